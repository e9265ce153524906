"""Names -> entities: the label index, exact in the store and fuzzy from a per-generation cache.

Every entity carries `pkg:lookupKey` literals (`kg.names.lookup_key` of its preferred name and of
each alias; see docs/graph.md). An exact match is therefore one index lookup with the key bound
as a literal, whatever the size of the graph.

"Did you mean" has to compare the term with every key. Reading all keys from the store on each
call would grow with the graph, so they are read once per store generation and kept in
``STORE/cache/labels-<generation>.json``. Every write makes a new generation, so a cached file
never outlives the graph it was read from (older files are removed when a new one is written).
If the cache cannot be written (a read-only store), the index is used from memory. The cache
holds keys and entity IRIs only; names, types and paper counts are read for the few candidates
shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from paperkg.kg.store import Store
from paperkg.kg.terminal import plural
from paperkg.kg.terms import PREFIXES, pkg, rdf, skos, term_value
from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS

CACHE_FORMAT = 2
# rapidfuzz ratio (0-100) below which a key is not worth suggesting
SCORE_CUTOFF = 70
# fuzzy candidates whose names and types are read before the best few are chosen
CANDIDATES = 50

_ALL_KEYS = "SELECT ?e ?key WHERE { ?e pkg:lookupKey ?key }"


@dataclass(frozen=True)
class EntityRef:
    iri: str
    name: str
    type: str  # local name of its class, e.g. "Method"
    paper_count: int | None

    def described(self) -> str:
        """Its name, type and papers, as notes name an entity: "BERT (Model, 1 paper)"."""
        return f"{self.name} ({self.type}, {plural(self.paper_count or 0, 'paper')})"


def entity_ref(store: Store, entity: ox.NamedNode) -> EntityRef | None:
    """Name, type and paper count of `entity`; None if it is not one of the six entity types."""
    db = store.oxigraph
    types = [term_value(q.object).removeprefix(PKG_NS) for q in db.quads_for_pattern(entity, rdf.type, None)]
    type_ = next((t for t in ENTITY_TYPES if t in types), None)
    if type_ is None:
        return None
    name = min((term_value(q.object) for q in db.quads_for_pattern(entity, skos.prefLabel, None)), default=entity.value)
    counts = [int(term_value(q.object)) for q in db.quads_for_pattern(entity, pkg.paperCount, None)]
    return EntityRef(entity.value, name, type_, counts[0] if counts else None)


def by_relevance(ref: EntityRef) -> tuple:
    """Sort key: the entity seen in more papers first, then by name."""
    return (-(ref.paper_count or 0), ref.name.casefold(), ref.iri)


def which(refs: Iterable[EntityRef], type: str | None = None) -> list[EntityRef]:
    """Which entity a name means: the rule `kg lookup`, `--bind`, `kg viz --focus` and the page's
    search share. `refs` are the entities whose label or an alias has the name's key; the first
    of the result is meant, the others are offered beside it, never an error. The one seen in
    the most papers wins: a name used by thousands of papers means what they mean, not what one
    paper defined (`--bind method=BERT` is the model BERT, not a one-paper Method a sentence
    fragment named so). Among as many papers, one of `type` (what the caller asks for), then
    the name."""
    return sorted(refs, key=lambda r: (-(r.paper_count or 0), type is not None and r.type != type, *by_relevance(r)))


def entities_with_key(store: Store, key: str) -> list[EntityRef]:
    """Entities one of whose names normalises to `key`, in the order of `which`."""
    subjects = {q.subject for q in store.oxigraph.quads_for_pattern(None, pkg.lookupKey, ox.Literal(key))}
    refs = (entity_ref(store, s) for s in subjects if isinstance(s, ox.NamedNode))
    return which(r for r in refs if r is not None)


@dataclass
class LabelIndex:
    """Every (lookup key, entity) pair of one generation: `keys[i]` names `entities[owners[i]]`."""

    generation: str
    entities: list[str]
    keys: list[str]
    owners: list[int]

    @classmethod
    def read(cls, store: Store) -> LabelIndex:
        """The index as the store holds it (one pass over the pkg:lookupKey triples)."""
        position: dict[str, int] = {}
        keys, owners = [], []
        for entity, key in store.query(_ALL_KEYS, prefixes=PREFIXES):  # faster than quads_for_pattern
            keys.append(key.value)
            owners.append(position.setdefault(entity.value, len(position)))
        return cls(store.generation or "", list(position), keys, owners)

    def to_json(self) -> dict:
        return {
            "format": CACHE_FORMAT,
            "generation": self.generation,
            "entities": self.entities,
            "keys": self.keys,
            "owners": self.owners,
        }

    @classmethod
    def from_json(cls, data: dict) -> LabelIndex:
        return cls(data["generation"], data["entities"], data["keys"], data["owners"])

    def suggest(self, store: Store, key: str, type: str | None = None, limit: int = 5) -> list[tuple[EntityRef, float]]:
        """Entities with a key close to `key` (rapidfuzz ratio), best first, each entity once."""
        from rapidfuzz import fuzz, process

        best: dict[int, float] = {}
        for _, score, i in process.extract(key, self.keys, scorer=fuzz.ratio, score_cutoff=SCORE_CUTOFF, limit=None):
            owner = self.owners[i]
            best.setdefault(owner, score)  # extract yields the best scores first
            if len(best) == CANDIDATES:
                break
        found = []
        for owner, score in best.items():
            ref = entity_ref(store, ox.NamedNode(self.entities[owner]))
            if ref is not None and (type is None or ref.type == type):
                found.append((ref, round(score, 1)))
        found.sort(key=lambda item: (-item[1], by_relevance(item[0])))
        return found[:limit]


def cache_path(store: Store) -> Path:
    return store.cache_path("labels", ".json")


def load(store: Store) -> LabelIndex:
    """The label index of the store's current generation: from the cache, else read and cached."""
    data = store.kept_json("labels")
    try:
        if data["format"] == CACHE_FORMAT and data["generation"] == store.generation:
            return LabelIndex.from_json(data)
    except (KeyError, TypeError, ValueError):
        pass  # missing or unreadable: read it again below
    index = LabelIndex.read(store)
    store.keep_json("labels", index.to_json())
    return index
