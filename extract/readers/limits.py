"""How long a title or abstract may be: longer ones are cut, with a warning, as they are read.

Extraction time grows faster than the text (a 100,000-character abstract takes about 17 s, a
900,000-character one ran 300 s at 2.8 GB before it was stopped, and spaCy refuses a text of
1,000,000 characters outright), while real abstracts stay far below the limits (arXiv allows
1,920 characters). Set ``PAPERKG_MAX_ABSTRACT_CHARS`` / ``PAPERKG_MAX_TITLE_CHARS`` to change
them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

from paperkg.extract.readers.problems import ReadProblem
from paperkg.extract.records import Paper

__all__ = ["MAX_ABSTRACT_CHARS", "MAX_TITLE_CHARS", "max_chars", "within_limits"]

MAX_ABSTRACT_CHARS = 20_000
MAX_TITLE_CHARS = 1_000


def max_chars(field: str) -> int:
    """The limit for `field` ("abstract" or "title"): the environment's, else the default."""
    name = f"PAPERKG_MAX_{field.upper()}_CHARS"
    default = MAX_ABSTRACT_CHARS if field == "abstract" else MAX_TITLE_CHARS
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def within_limits(paper: Paper) -> Iterator[Paper | ReadProblem]:
    """`paper`, its title and abstract cut at a word boundary to the limits, with a warning per cut."""
    changes = {}
    for field in ("title", "abstract"):
        text = getattr(paper, field)
        limit = max_chars(field)
        if len(text) > limit:
            cut = text[:limit]
            cut = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut
            changes[field] = cut
            yield ReadProblem(
                paper.source,
                paper.line,
                f"{field} of {len(text):,} characters cut to the first {len(cut):,} "
                f"(the limit is PAPERKG_MAX_{field.upper()}_CHARS={limit:,})",
                skipped=False,
            )
    yield replace(paper, **changes) if changes else paper
