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

    the typed relations (schema RELATIONS)                 entity -> entity, weight = sentences
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

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from paperkg.kg.iris import statement_iri
from paperkg.kg.terms import PREFIXES, dcterms, named, pkg, prov, skos, solutions, term_value
from paperkg.schema.namespaces import ENTITY_TYPES, RELATIONS, ROLES, parse_entity_type

_ENTITIES = """
SELECT ?e ?type ?papers ?mentions WHERE {
  VALUES ?type { %s }
  ?e pkg:paperCount ?papers .
  FILTER (?papers >= %d)
  ?e a ?type ; pkg:mentionCount ?mentions .
  FILTER (%s)
}"""

_RELATIONS = """
SELECT ?s ?p ?o (COUNT(?sentence) AS ?w) WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?sentence .
} GROUP BY ?s ?p ?o"""

_PAPERS = """
SELECT ?p ?title ?year (COUNT(?m) AS ?mentions) WHERE {
  ?p a pkg:Paper ; dcterms:title ?title .
  OPTIONAL { ?p pkg:year ?year }
  OPTIONAL { ?m pkg:paper ?p ; a pkg:Mention }
} GROUP BY ?p ?title ?year"""

_ROLE_EDGES = """
SELECT ?p ?role ?e WHERE {{
  VALUES ?role {{ {} }}
  ?p ?role ?e .
}}""".format(" ".join(f"pkg:{r}" for r in ROLES))


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
    papers; `max_nodes` the most-mentioned entities (by papers, then mentions, then IRI);
    `min_cooccurrence` only co-occurrence edges with at least that many papers.
    """
    db = store.oxigraph if hasattr(store, "oxigraph") else store
    wanted = tuple(map(parse_entity_type, types)) if types else ENTITY_TYPES
    g = nx.MultiDiGraph()
    for r in _ranked(db, wanted, min_papers, max_nodes):
        e = r["e"]
        g.add_node(
            e.value,
            kind="entity",
            type=r["type"].value.rsplit("#", 1)[1],
            label=_one(db, e, skos.prefLabel),
            key=_one(db, e, pkg.key),
            aliases=sorted(q.object.value for q in db.quads_for_pattern(e, skos.altLabel, None)),
            acronyms=sorted(q.object.value for q in db.quads_for_pattern(e, pkg.acronym, None)),
            papers=int(r["papers"].value),
            mentions=int(r["mentions"].value),
            paper_titles=_titles(db, e, titles),
            **_median_month(db, e),
        )
    restricted = max_nodes is not None or min_papers > 1 or bool(types)
    for s, relation, o, weight in _relations(db, g) if restricted else _all_relations(db):
        if s in g and o in g:
            g.add_edge(s, o, key=relation, relation=relation, weight=weight)
    if include_cooccurrence:
        _add_cooccurrences(db, g, min_cooccurrence)
    if include_papers:
        _add_papers(db, g)
    return g


def _ranked(db: ox.Store, types: tuple[str, ...], min_papers: int, limit: int | None) -> list:
    """Entities by papers, then mentions, then IRI; the first `limit` of them.

    Sorting on the IRI in SPARQL would read every entity's IRI, so the engine only finds the
    counts of the last entity kept, and the ties at that point are settled here.
    """

    def query(condition: str, order: str = "") -> list:
        text = _ENTITIES % (" ".join(f"pkg:{t}" for t in types), min_papers, condition) + order
        return list(solutions(db.query(text, prefixes=PREFIXES)))

    def rank(r) -> tuple:
        return -int(r["papers"].value), -int(r["mentions"].value), r["e"].value

    if limit is None:
        return sorted(query("true"), key=rank)
    top = query("true", f" ORDER BY DESC(?papers) DESC(?mentions) LIMIT {int(limit)}")
    if len(top) < limit:
        return sorted(top, key=rank)
    papers, mentions = int(top[-1]["papers"].value), int(top[-1]["mentions"].value)
    kept = query(f"?papers > {papers} || (?papers = {papers} && ?mentions >= {mentions})")
    return sorted(kept, key=rank)[:limit]


def _median_month(db: ox.Store, entity: ox.NamedNode) -> dict[str, str]:
    """{"median_month": YYYY-MM} (`kg.timeline`), or nothing for an entity without a dated paper."""
    found = next(iter(db.quads_for_pattern(entity, pkg.medianMonth, None)), None)
    return {} if found is None else {"median_month": term_value(found.object)}


def _one(db: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> str:
    return term_value(next(iter(db.quads_for_pattern(subject, predicate, None))).object)


def _all_relations(db: ox.Store) -> Iterable[tuple[str, str, str, int]]:
    for r in solutions(db.query(_RELATIONS, prefixes=PREFIXES)):
        relation = r["p"].value.rsplit("#", 1)[1]
        if relation in RELATIONS:
            yield r["s"].value, relation, r["o"].value, int(r["w"].value)


def _relations(db: ox.Store, g: nx.MultiDiGraph) -> Iterable[tuple[str, str, str, int]]:
    """The typed relations leaving the view's entities, read node by node."""
    for node in list(g):
        s = ox.NamedNode(node)
        for relation in RELATIONS:
            predicate = getattr(pkg, relation)
            for q in db.quads_for_pattern(s, predicate, None):
                o = named(q.object)
                if o.value in g:
                    evidence = statement_iri(s, predicate, o)
                    weight = sum(1 for _ in db.quads_for_pattern(evidence, prov.wasDerivedFrom, None))
                    yield node, relation, o.value, weight


def _titles(db: ox.Store, entity: ox.NamedNode, limit: int) -> list[str]:
    found: list[str] = []
    if limit <= 0:
        return found
    for role in (pkg.proposes, pkg.mentions):
        for q in db.quads_for_pattern(None, role, entity):
            for t in db.quads_for_pattern(q.subject, dcterms.title, None):
                title = term_value(t.object)
                if title not in found:
                    found.append(title)
            if len(found) >= limit:
                return found[:limit]
    return found


def _add_cooccurrences(db: ox.Store, g: nx.MultiDiGraph, min_count: int) -> None:
    """Join every pair of the view's entities that share a paper, weighted by the papers shared.

    Counted from each entity's `pkg:mentions` edges: only the papers of the entities in the view
    are read, so a capped view of a large graph stays cheap.
    """
    entities: dict[ox.NamedNode, list[str]] = defaultdict(list)  # paper -> view entities in it
    for n, kind in g.nodes(data="kind"):
        if kind == "entity":
            for q in db.quads_for_pattern(None, pkg.mentions, ox.NamedNode(n)):
                entities[named(q.subject)].append(n)
    pairs: Counter = Counter()
    for found in entities.values():
        pairs.update(combinations(sorted(found), 2))
    for (a, b), n in sorted(pairs.items()):
        if n >= min_count:
            g.add_edge(a, b, key="coOccursWith", relation="coOccursWith", weight=n)


def _add_papers(db: ox.Store, g: nx.MultiDiGraph) -> None:
    for r in solutions(db.query(_PAPERS, prefixes=PREFIXES)):
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
    for r in solutions(db.query(_ROLE_EDGES, prefixes=PREFIXES)):
        if r["e"].value in g:
            roles[(r["p"].value, r["e"].value)].add(r["role"].value.rsplit("#", 1)[1])
    for (p, e), found in roles.items():
        if p not in g:
            continue
        for role in sorted(found - {"mentions"} or {"mentions"}):
            g.add_edge(p, e, key=role, relation=role, weight=1)
