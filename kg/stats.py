"""Counts that describe a graph: papers, entities per type, triples."""

from __future__ import annotations

from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES
from paperkg.schema.vocab import ENTITY_TYPES

_BY_TYPE = """
PREFIX pkg: <{pkg}>
SELECT ?type (COUNT(?e) AS ?n) WHERE {{
  VALUES ?type {{ {types} }}
  ?e a ?type .
}} GROUP BY ?type
""".format(pkg=PREFIXES["pkg"], types=" ".join(f"pkg:{t}" for t in ENTITY_TYPES))

_PAPERS = "SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{}Paper> }}".format(PREFIXES["pkg"])


def graph_stats(store: Store) -> dict:
    """`{"papers", "entities", "by_type", "triples"}` for the store's live graph."""
    by_type = {t: 0 for t in ENTITY_TYPES}
    for row in store.query(_BY_TYPE):
        by_type[row["type"].value.rsplit("#", 1)[1]] = int(row["n"].value)
    papers = int(next(iter(store.query(_PAPERS)))["n"].value)
    return {
        "papers": papers,
        "entities": sum(by_type.values()),
        "by_type": by_type,
        "triples": len(store),
    }
