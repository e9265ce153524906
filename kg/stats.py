"""Counts that describe a graph: papers, entities per type, triples; and how good its entities are."""

from __future__ import annotations

from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES
from paperkg.schema.namespaces import ENTITY_TYPES

_PREFIXES = "PREFIX pkg: <{pkg}>\nPREFIX skos: <{skos}>\nPREFIX oa: <{oa}>\n".format(**PREFIXES)

_BY_TYPE = (
    _PREFIXES
    + """
SELECT ?type (COUNT(?e) AS ?n) WHERE {{
  VALUES ?type {{ {types} }}
  ?e a ?type .
}} GROUP BY ?type
""".format(types=" ".join(f"pkg:{t}" for t in ENTITY_TYPES))
)

_PAPERS = _PREFIXES + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }"

_LINKED = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?e) AS ?n) (COUNT(DISTINCT ?exact) AS ?exactly) WHERE {
  { ?e skos:exactMatch ?link . BIND(?e AS ?exact) } UNION { ?e skos:closeMatch ?link }
}"""
)

_DROPPED = _PREFIXES + "SELECT (SUM(?n) AS ?dropped) WHERE { ?b a pkg:Build ; pkg:genericDropped ?n }"

# an acronym is resolved when its entity is keyed by a long form, ambiguous when its uses
# stayed an entity of their own because no definition settled what it stands for
_ACRONYMS = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?resolved) AS ?r) WHERE {
  ?e pkg:acronym ?resolved .
}"""
)
_AMBIGUOUS = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?k) AS ?n) WHERE { ?m pkg:acronymKey ?k ; oa:hasBody ?e . ?e pkg:key ?k }"""
)

# the hubs: the paper count of the `top`-th entity first (sorting numbers only), then the
# entities with at least that many papers; labels and types are read for those few alone
_HUB_THRESHOLD = _PREFIXES + "SELECT ?papers WHERE { ?e pkg:paperCount ?papers } ORDER BY DESC(?papers) LIMIT %d"
_HUBS = (
    _PREFIXES
    + """
SELECT ?e ?label ?type ?papers WHERE {
  ?e pkg:paperCount ?papers .
  FILTER(?papers >= %d)
  ?e skos:prefLabel ?label ; a ?type .
  FILTER(STRSTARTS(STR(?type), STR(pkg:)))
}"""
)


def graph_stats(store: Store) -> dict:
    """`{"papers", "entities", "by_type", "triples"}` for the store's live graph."""
    by_type = {t: 0 for t in ENTITY_TYPES}
    for row in store.query(_BY_TYPE):
        by_type[row["type"].value.rsplit("#", 1)[1]] = int(row["n"].value)
    return {
        "papers": _number(store, _PAPERS, "n"),
        "entities": sum(by_type.values()),
        "by_type": by_type,
        "triples": store.triples(),
    }


def quality_stats(store: Store, top: int = 20) -> dict:
    """`graph_stats` plus the quality layer's report (kg.quality): entities linked to a
    vocabulary (any link, and by `skos:exactMatch`), generic names the builds dropped, acronyms
    resolved to a long form and left ambiguous, and the `top` entities by paper count."""
    numbers = graph_stats(store)
    linked = next(iter(store.query(_LINKED)))
    numbers["linked"] = int(linked["n"].value)
    numbers["linked_exactly"] = int(linked["exactly"].value)
    numbers["linked_share"] = round(numbers["linked"] / numbers["entities"], 3) if numbers["entities"] else 0.0
    numbers["generic_dropped"] = _number(store, _DROPPED, "dropped")
    numbers["acronyms_resolved"] = _number(store, _ACRONYMS, "r")
    numbers["acronyms_ambiguous"] = _number(store, _AMBIGUOUS, "n")
    numbers["hubs"] = _hubs(store, top)
    return numbers


def _hubs(store: Store, top: int) -> list[dict]:
    """The `top` entities in the most papers, ties by label (case-blind)."""
    counts = [int(row["papers"].value) for row in store.query(_HUB_THRESHOLD % top)]
    if not counts:
        return []
    hubs = [
        {
            "entity": row["e"].value,
            "label": row["label"].value,
            "type": row["type"].value.rsplit("#", 1)[1],
            "papers": int(row["papers"].value),
        }
        for row in store.query(_HUBS % counts[-1])
    ]
    return sorted(hubs, key=lambda h: (-h["papers"], h["label"].lower(), h["entity"]))[:top]


def _number(store: Store, query: str, variable: str) -> int:
    row = next(iter(store.query(query)), None)
    value = row[variable] if row is not None else None
    return int(value.value) if value is not None else 0
