"""The graph as a networkx `MultiDiGraph`, computed from the store (never a second copy of the truth).

    G = graph_view(Store(path), min_papers=2, max_nodes=500)

Nodes are keyed by IRI (a string). Entity nodes carry:

    kind          "entity"
    type          "Method" | "Model" | "Dataset" | "Task" | "Metric" | "Concept"
    label         preferred label (str)
    key           canonical key (str)
    aliases       other surface forms, sorted (list[str]; may be empty)
    acronyms      short forms papers defined for it (list[str])
    papers        number of papers mentioning it (int)
    mentions      number of mentions (int)
    paper_titles  up to `titles` titles of papers mentioning it, proposing papers first (list[str])

With `include_papers=True`, paper nodes carry `kind="paper"`, `type="Paper"`, `label` (the title),
`year` (int or None), `papers=1`, `mentions` (mentions in it), `aliases=[]`, `paper_titles=[title]`.

Edges carry `relation` (str) and `weight` (int) and are keyed by the relation, so
`G.edges[u, v, "usedFor"]` works:

    usedFor, evaluatedOn, comparedWith, partOf, hyponymOf   entity -> entity, weight = sentences
                                                            stating it
    coOccursWith                                            one edge per unordered pair, from the
                                                            smaller IRI to the larger; weight =
                                                            papers mentioning both
    proposes, uses, evaluatesOn, reports, addresses,        paper -> entity (papers included only);
    mentions                                                `mentions` only when the paper gives the
                                                            entity no other role; weight = 1

Lists stay lists here; the GraphML/GEXF/CSV exports join them with "; ".
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox

from kg.relations import RELATIONS
from kg.roles import ROLES
from kg.terms import PREFIXES, dcterms, pkg, skos
from schema.namespaces import ENTITY_TYPES

_ENTITIES = """
SELECT ?e ?type ?label ?key ?papers ?mentions WHERE {
  VALUES ?type { %s }
  ?e a ?type ; skos:prefLabel ?label ; pkg:key ?key ; pkg:paperCount ?papers ;
     pkg:mentionCount ?mentions .
  FILTER (?papers >= %d)
}"""

_RELATIONS = """
SELECT ?s ?p ?o (COUNT(?sentence) AS ?w) WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?sentence .
} GROUP BY ?s ?p ?o"""

_COOCCURRENCES_AMONG = """
SELECT ?a ?b ?n WHERE {
  VALUES ?a { %s }
  VALUES ?b { %s }
  ?c pkg:entity ?a .
  ?c pkg:entity ?b .
  FILTER (STR(?a) < STR(?b))
  ?c pkg:count ?n .
}"""

_PAPERS = """
SELECT ?p ?title ?year (COUNT(?m) AS ?mentions) WHERE {
  ?p a pkg:Paper ; dcterms:title ?title .
  OPTIONAL { ?p pkg:year ?year }
  OPTIONAL { ?m pkg:paper ?p ; a pkg:Mention }
} GROUP BY ?p ?title ?year"""

_ROLE_EDGES = """
SELECT ?p ?role ?e WHERE {
  VALUES ?role { %s }
  ?p ?role ?e .
}""" % " ".join(f"pkg:{r}" for r in ROLES)

_BATCH = 400


def graph_view(
    store,
    *,
    include_papers: bool = False,
    include_cooccurrence: bool = True,
    types: Iterable[str] | None = None,
    min_papers: int = 1,
    min_cooccurrence: int = 1,
    max_nodes: int | None = None,
    titles: int = 3,
) -> nx.MultiDiGraph:
    """The entity graph of `store` (a `kg.store.Store` or a `pyoxigraph.Store`).

    `types` keeps only entities of those types; `min_papers` only entities in at least that many
    papers; `max_nodes` the most-mentioned entities (by papers, then mentions, then label);
    `min_cooccurrence` only co-occurrence edges with at least that many papers.
    """
    db = store.oxigraph if hasattr(store, "oxigraph") else store
    wanted = tuple(types) if types else ENTITY_TYPES
    unknown = set(wanted) - set(ENTITY_TYPES)
    if unknown:
        raise ValueError(f"unknown entity type(s): {', '.join(sorted(unknown))}")
    g = nx.MultiDiGraph()
    rows = list(db.query(_ENTITIES % (" ".join(f"pkg:{t}" for t in wanted), min_papers), prefixes=PREFIXES))
    rows.sort(key=lambda r: (-int(r["papers"].value), -int(r["mentions"].value), r["label"].value, r["e"].value))
    if max_nodes is not None:
        rows = rows[:max_nodes]
    for r in rows:
        e = r["e"]
        g.add_node(
            e.value,
            kind="entity",
            type=r["type"].value.rsplit("#", 1)[1],
            label=r["label"].value,
            key=r["key"].value,
            aliases=sorted(q.object.value for q in db.quads_for_pattern(e, skos.altLabel, None)),
            acronyms=sorted(q.object.value for q in db.quads_for_pattern(e, pkg.acronym, None)),
            papers=int(r["papers"].value),
            mentions=int(r["mentions"].value),
            paper_titles=_titles(db, e, titles),
        )
    for r in db.query(_RELATIONS, prefixes=PREFIXES):
        s, o = r["s"].value, r["o"].value
        relation = r["p"].value.rsplit("#", 1)[1]
        if s in g and o in g and relation in RELATIONS:
            g.add_edge(s, o, key=relation, relation=relation, weight=int(r["w"].value))
    if include_cooccurrence:
        _add_cooccurrences(db, g, min_cooccurrence, restricted=max_nodes is not None or min_papers > 1 or bool(types))
    if include_papers:
        _add_papers(db, g)
    return g


def _titles(db: ox.Store, entity: ox.NamedNode, limit: int) -> list[str]:
    found: list[str] = []
    if limit <= 0:
        return found
    for role in (pkg.proposes, pkg.mentions):
        for q in db.quads_for_pattern(None, role, entity):
            for t in db.quads_for_pattern(q.subject, dcterms.title, None):
                if t.object.value not in found:
                    found.append(t.object.value)
            if len(found) >= limit:
                return found[:limit]
    return found


def _add_cooccurrences(db: ox.Store, g: nx.MultiDiGraph, min_count: int, restricted: bool) -> None:
    if restricted:
        pairs = _cooccurrences_among(db, [n for n, kind in g.nodes(data="kind") if kind == "entity"])
    else:
        pairs = _all_cooccurrences(db)
    for a, b, n in pairs:
        if n >= min_count and a in g and b in g:
            g.add_edge(a, b, key="coOccursWith", relation="coOccursWith", weight=n)


def _all_cooccurrences(db: ox.Store) -> Iterable[tuple[str, str, int]]:
    # Two pattern scans joined here: several times faster than the same join in SPARQL.
    counts = {q.subject: int(q.object.value) for q in db.quads_for_pattern(None, pkg.count, None)}
    members: dict[ox.NamedNode, list[str]] = defaultdict(list)
    for q in db.quads_for_pattern(None, pkg.entity, None):
        members[q.subject].append(q.object.value)
    for node, pair in members.items():
        if len(pair) == 2 and node in counts:
            a, b = sorted(pair)
            yield a, b, counts[node]


def _cooccurrences_among(db: ox.Store, nodes: list[str]) -> Iterable[tuple[str, str, int]]:
    every = " ".join(f"<{n}>" for n in nodes)  # IRIs read from the store, so well-formed
    for i in range(0, len(nodes), _BATCH):
        batch = " ".join(f"<{n}>" for n in nodes[i:i + _BATCH])
        for r in db.query(_COOCCURRENCES_AMONG % (batch, every), prefixes=PREFIXES):
            yield r["a"].value, r["b"].value, int(r["n"].value)


def _add_papers(db: ox.Store, g: nx.MultiDiGraph) -> None:
    for r in db.query(_PAPERS, prefixes=PREFIXES):
        title = r["title"].value
        g.add_node(
            r["p"].value,
            kind="paper",
            type="Paper",
            label=title,
            year=int(r["year"].value) if r["year"] is not None else None,
            papers=1,
            mentions=int(r["mentions"].value),
            aliases=[],
            paper_titles=[title],
        )
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in db.query(_ROLE_EDGES, prefixes=PREFIXES):
        if r["e"].value in g:
            roles[(r["p"].value, r["e"].value)].add(r["role"].value.rsplit("#", 1)[1])
    for (p, e), found in roles.items():
        if p not in g:
            continue
        for role in sorted(found - {"mentions"} or {"mentions"}):
            g.add_edge(p, e, key=role, relation=role, weight=1)
