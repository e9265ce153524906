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
from paperkg.kg.terms import PREFIXES, dcterms, named, pkg, prov, rdf, skos, solutions, term_value, xsd
from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS, RELATIONS, ROLES, parse_entity_type

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
SELECT ?p ?title ?year ?date (COUNT(?m) AS ?mentions) WHERE {
  ?p a pkg:Paper ; dcterms:title ?title .
  OPTIONAL { ?p pkg:year ?year }
  OPTIONAL { ?p dcterms:issued ?date }
  OPTIONAL { ?m pkg:paper ?p ; a pkg:Mention }
} GROUP BY ?p ?title ?year ?date"""

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
    entities: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The entity graph of `store` (a `kg.store.Store` or a `pyoxigraph.Store`).

    `types` keeps only entities of those types; `min_papers` only entities in at least that many
    papers; `max_nodes` the most-mentioned entities (by papers, then mentions, then IRI);
    `min_cooccurrence` only co-occurrence edges with at least that many papers. `entities`
    (IRIs) are the entities to show instead, whatever the other filters say: a reader that
    chose them reads only them.
    """
    db = store.oxigraph if hasattr(store, "oxigraph") else store
    wanted = tuple(map(parse_entity_type, types)) if types else ENTITY_TYPES
    g = nx.MultiDiGraph()
    chosen = _ranked(db, wanted, min_papers, max_nodes) if entities is None else _described(db, entities)
    for r in chosen:
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
            **_time(db, e),
        )
    restricted = entities is not None or max_nodes is not None or min_papers > 1 or bool(types)
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

    With a limit, the entities are read paper count by paper count from the highest down, each
    count one index lookup (`?e pkg:paperCount N`), until `limit` are found: a map of a graph
    of half a million entities reads its few hundred, not all of them (no index orders entities
    by a number, and sorting all of them in SPARQL took seconds).
    """

    def rank(r) -> tuple:
        return -int(r["papers"].value), -int(r["mentions"].value), r["e"].value

    if limit is None:
        text = _ENTITIES % (" ".join(f"pkg:{t}" for t in types), min_papers, "true")
        return sorted(solutions(db.query(text, prefixes=PREFIXES)), key=rank)
    most = next(iter(solutions(db.query(_MOST_PAPERS, prefixes=PREFIXES))))["n"]
    wanted = {getattr(pkg, t) for t in types}
    found: list[dict] = []
    for papers in range(int(most.value) if most is not None else 0, max(min_papers, 1) - 1, -1):
        if len(found) >= limit:
            break
        count = ox.Literal(str(papers), datatype=xsd.integer)
        for q in db.quads_for_pattern(None, pkg.paperCount, count):
            e = named(q.subject)
            # Oxigraph 0.5.13 answers some integer objects with other counts too (asked for 255 it
            # gives entities in 258-376 papers, for 2047 one in 2081): the entity's own count decides
            if next(iter(db.quads_for_pattern(e, pkg.paperCount, None))).object != count:
                continue
            type_ = next((t.object for t in db.quads_for_pattern(e, rdf.type, None) if t.object in wanted), None)
            mentions = next(iter(db.quads_for_pattern(e, pkg.mentionCount, None)), None)
            if type_ is not None and mentions is not None:
                found.append({"e": e, "type": type_, "papers": count, "mentions": mentions.object})
    return sorted(found, key=rank)[:limit]


_MOST_PAPERS = "SELECT (MAX(?n) AS ?n) WHERE { ?e pkg:paperCount ?n }"


def _described(db: ox.Store, entities: Iterable[str]) -> list[dict]:
    """The rows `_ranked` gives, for the entities given (those not in the store left out)."""
    rows = []
    for iri in entities:
        e = ox.NamedNode(iri)
        types = [q.object for q in db.quads_for_pattern(e, rdf.type, None) if term_value(q.object).startswith(PKG_NS)]
        found = [next(iter(db.quads_for_pattern(e, p, None)), None) for p in (pkg.paperCount, pkg.mentionCount)]
        type_ = next((t for t in types if term_value(t).removeprefix(PKG_NS) in ENTITY_TYPES), None)
        if type_ is not None and found[0] is not None and found[1] is not None:
            rows.append({"e": e, "type": type_, "papers": found[0].object, "mentions": found[1].object})
    return rows


def _time(db: ox.Store, entity: ox.NamedNode) -> dict[str, str]:
    """{"median_month": YYYY-MM, "first_month": YYYY-MM} (`kg.timeline`: the month of its median
    and of its first dated paper), or nothing for an entity without a dated paper."""
    found = {}
    for key, predicate in (("median_month", pkg.medianMonth), ("first_month", pkg.firstSeen)):
        stored = next(iter(db.quads_for_pattern(entity, predicate, None)), None)
        if stored is not None:
            found[key] = term_value(stored.object)[:7]
    return found


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
    nodes = sorted(n for n, kind in g.nodes(data="kind") if kind == "entity")
    entities: dict[str, list[int]] = defaultdict(list)  # paper -> view entities in it, by position
    for i, n in enumerate(nodes):
        for q in db.quads_for_pattern(None, pkg.mentions, ox.NamedNode(n)):
            entities[named(q.subject).value].append(i)  # positions ascend: each pair comes once, in order
    pairs: Counter = Counter()
    for found in entities.values():
        pairs.update(combinations(found, 2))
    for (a, b), n in sorted(pairs.items()):
        if n >= min_count:
            g.add_edge(nodes[a], nodes[b], key="coOccursWith", relation="coOccursWith", weight=n)


def _add_papers(db: ox.Store, g: nx.MultiDiGraph) -> None:
    for r in solutions(db.query(_PAPERS, prefixes=PREFIXES)):
        title = r["title"].value
        g.add_node(
            r["p"].value,
            kind="paper",
            type="Paper",
            label=title,
            year=int(r["year"].value) if r["year"] is not None else None,
            # a full date only: "--10-16" (a listing's "Oct 16") is in no month
            **({"first_month": r["date"].value[:7]} if r["date"] is not None and r["date"].value[:1].isdigit() else {}),
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
