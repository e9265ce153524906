"""The curated gazetteers in data/gazetteers/*.tsv: canonical name, graph type, aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import ENTITY_TYPES

__all__ = ["GazetteerEntry", "default_gazetteer_dir", "load_gazetteers", "model_families"]


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases)}

    @classmethod
    def from_json(cls, obj: dict) -> GazetteerEntry:
        return cls(obj["name"], obj["type"], tuple(obj.get("aliases", ())))


def default_gazetteer_dir() -> Path:
    from paperkg.extract.resources import data_dir

    return data_dir() / "gazetteers"


def load_gazetteers(directory: str | Path | None = None) -> list[GazetteerEntry]:
    directory = Path(directory) if directory else default_gazetteer_dir()
    entries = []
    for path in sorted(directory.glob("*.tsv")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2 or cols[1] not in ENTITY_TYPES:
                raise InputError(
                    f"{path}:{lineno}: expected name<TAB>type<TAB>aliases with a type in {', '.join(ENTITY_TYPES)}"
                )
            aliases = tuple(a.strip() for a in cols[2].split("|") if a.strip()) if len(cols) > 2 else ()
            entries.append(GazetteerEntry(cols[0].strip(), cols[1], aliases))
    return entries


def model_families(entries: list[GazetteerEntry]) -> list[str]:
    """The alphabetic stems of model names (`GPT` from `GPT-2`, `ResNet` from `ResNet50`), which
    take versions and sizes after them; stems shorter than three letters are too ambiguous."""
    stems = set()
    for entry in entries:
        if entry.type != "Model":
            continue
        for name in (entry.name, *entry.aliases):
            m = re.match(r"[A-Za-z]+", name)
            if m and len(m.group()) >= 3 and not m.group().islower():
                stems.add(m.group())
    return sorted(stems, key=len, reverse=True)
