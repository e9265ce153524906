"""Names -> entities: the label index, exact in the store and fuzzy from a per-generation cache.

Every entity carries `pkg:lookupKey` literals (`kg.names.lookup_key` of its preferred name and of
each alias; see docs/graph.md). An exact match is therefore one query with the key bound as a
literal, which Oxigraph answers from its indexes whatever the size of the graph.

"Did you mean" has to compare the term with every key. Reading all keys through SPARQL on each
call would grow with the graph, so they are read once per store generation and kept in
``STORE/cache/labels-<generation>.json``. Every write makes a new generation, so a cached file
never outlives the graph it was read from (older files are removed when a new one is written).
If the cache cannot be written (a read-only store), the index is used from memory.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.store import Store
from kg.terms import PREFIXES
from schema.namespaces import ENTITY_TYPES, PKG_NS

CACHE_FORMAT = 1
# rapidfuzz ratio (0-100) below which a key is not worth suggesting
SCORE_CUTOFF = 70

# With ?key bound this is the exact lookup; unbound, it lists the whole index. (Entity types are
# kept in Python: a VALUES block here costs a scan of every typed resource.)
_KEYS = """
SELECT ?key ?e ?name ?type ?count WHERE {
  ?e pkg:lookupKey ?key ; skos:prefLabel ?name ; a ?type .
  OPTIONAL { ?e pkg:paperCount ?count }
}"""


@dataclass(frozen=True)
class EntityRef:
    iri: str
    name: str
    type: str  # local name of its class, e.g. "Method"
    paper_count: int | None


def type_name(term: ox.NamedNode) -> str:
    """`pkg:Method` -> "Method" (other classes keep their full IRI)."""
    return term.value.removeprefix(PKG_NS)


def by_relevance(ref: EntityRef) -> tuple:
    """Sort key: the entity seen in more papers first, then by name."""
    return (-(ref.paper_count or 0), ref.name.casefold(), ref.iri)


def entities_with_key(store: Store, key: str) -> list[EntityRef]:
    """Entities one of whose names normalises to `key`, most papers first."""
    rows = store.query(_KEYS, prefixes=PREFIXES, substitutions={ox.Variable("key"): ox.Literal(key)})
    return sorted({ref for _, ref in _refs(rows)}, key=by_relevance)


def _refs(rows) -> list[tuple[str, EntityRef]]:
    """(key, entity) pairs from `_KEYS` rows; an entity with several preferred labels keeps the first."""
    names: dict[str, str] = {}
    pairs = []
    for row in rows:
        type_ = type_name(row["type"])
        if type_ not in ENTITY_TYPES:
            continue
        iri = row["e"].value
        name = names.setdefault(iri, row["name"].value)
        count = row["count"]
        pairs.append((row["key"].value, EntityRef(iri, name, type_, int(count.value) if count else None)))
    return pairs


@dataclass
class LabelIndex:
    """Every (lookup key, entity) pair of one generation: `keys[i]` names `entities[owners[i]]`."""

    generation: str
    entities: list[EntityRef]
    keys: list[str]
    owners: list[int]

    @classmethod
    def read(cls, store: Store) -> LabelIndex:
        """The index as the store holds it (one pass over every key)."""
        position: dict[str, int] = {}
        entities: list[EntityRef] = []
        keys: list[str] = []
        owners: list[int] = []
        for key, ref in _refs(store.query(_KEYS, prefixes=PREFIXES)):
            if ref.iri not in position:
                position[ref.iri] = len(entities)
                entities.append(ref)
            keys.append(key)
            owners.append(position[ref.iri])
        return cls(store.generation or "", entities, keys, owners)

    def to_json(self) -> dict:
        return {
            "format": CACHE_FORMAT,
            "generation": self.generation,
            "entities": [[e.iri, e.name, e.type, e.paper_count] for e in self.entities],
            "keys": self.keys,
            "owners": self.owners,
        }

    @classmethod
    def from_json(cls, data: dict) -> LabelIndex:
        return cls(data["generation"], [EntityRef(*e) for e in data["entities"]], data["keys"], data["owners"])

    def suggest(self, key: str, type: str | None = None, limit: int = 5) -> list[tuple[EntityRef, float]]:
        """Entities with a key close to `key` (rapidfuzz ratio), best first, each entity once."""
        from rapidfuzz import fuzz, process

        choices = {i: k for i, k in enumerate(self.keys) if type is None or self.entities[self.owners[i]].type == type}
        best: dict[int, float] = {}
        for _, score, i in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF, limit=None):
            owner = self.owners[i]
            best[owner] = max(score, best.get(owner, 0.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], by_relevance(self.entities[item[0]])))
        return [(self.entities[i], round(score, 1)) for i, score in ranked[:limit]]


def cache_path(store: Store) -> Path:
    return store.path / "cache" / f"labels-{store.generation}.json"


def load(store: Store) -> LabelIndex:
    """The label index of the store's current generation: from the cache, else read and cached."""
    path = cache_path(store)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") == CACHE_FORMAT and data.get("generation") == store.generation:
            return LabelIndex.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or unreadable: read it again below
    index = LabelIndex.read(store)
    try:
        _write(path, index)
    except OSError:
        pass  # a store we may not write to: the index still serves this call
    return index


def _write(path: Path, index: LabelIndex) -> None:
    """Write atomically (concurrent lookups may read it), then drop other generations' files."""
    path.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".labels-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(index.to_json(), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in path.parent.glob("labels-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
