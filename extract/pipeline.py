"""The extractor seam: papers in, per-paper extractions out.

`kg build` and `kg extract` both go through `load_extractor().extract(...)`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from extract.records import ExtractedEntity, Mention, Paper, PaperExtraction, Sentence

__all__ = ["Extractor", "load_extractor"]


class Extractor:
    """Placeholder until the trained pipeline lands: upper-case acronyms become Concepts."""

    name = "paperkg-placeholder"
    version = "0"

    _ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*\b")

    def extract(self, papers: Iterable[Paper], n_process: int = 1) -> Iterator[PaperExtraction]:
        for paper in papers:
            yield self._extract_one(paper)

    def _extract_one(self, paper: Paper) -> PaperExtraction:
        found: dict[str, list[Mention]] = {}
        sentences = []
        for fld in ("title", "abstract"):
            text = getattr(paper, fld)
            sentences.append(Sentence(fld, 0, 0, len(text), text))
            for m in self._ACRONYM.finditer(text):
                found.setdefault(m.group(), []).append(
                    Mention(m.group(), fld, m.start(), m.end(), 0, "Concept", "placeholder")
                )
        entities = tuple(
            ExtractedEntity(name, "Concept", (), tuple(ms)) for name, ms in sorted(found.items())
        )
        return PaperExtraction(paper, entities, tuple(sentences), (), f"{self.name} {self.version}")


def load_extractor(model: str | None = None) -> Extractor:
    return Extractor()
