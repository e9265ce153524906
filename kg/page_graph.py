"""The graph a `kg viz` page draws: the store's networkx view (`kg.view`) with each entity's
links to reference vocabularies (node attribute `links`: a list of {"iri", "match", "source"},
see `kg.external`) and every node's name keys for the page's search (node attribute `keys`:
{name or alias: `kg.names.lookup_key` of it}), plus the facts the page header shows (graph
name, total papers and entities, when it was built, the month of its newest paper).

    graph = page_graph(Store(path))
    selection = viz.select.select(graph, focus="SAE", depth=2, key=lookup_key)
    kg.files.write_text("sae.html", viz.html.page_html(selection))

kg does not import viz here: only the CLI (`kg.commands.viz`) joins the two packages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import asdict
from pathlib import PurePosixPath

import networkx as nx
import pyoxigraph as ox

from paperkg.kg.external import entity_links
from paperkg.kg.names import lookup_key
from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES, pkg, rdf, term_value
from paperkg.kg.timeline import corpus_months
from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS, RELATIONS

_LAST_BUILD = "SELECT (MAX(?t) AS ?t) WHERE { ?b a pkg:Build ; prov:endedAtTime ?t }"
# the files papers were read from: each location is `file:line`, cut in the engine, not per paper here
_SOURCES = """
SELECT DISTINCT ?file WHERE { ?p pkg:sourceLocation ?where BIND(REPLACE(?where, ":[^:]*$", "") AS ?file) }"""


def page_graph(
    store: Store,
    *,
    papers: bool = False,
    types: Collection[str] | None = None,
    min_papers: int = 0,
    name: str | None = None,
    max_nodes: int | None = None,
    focus: str | None = None,
    depth: int = 1,
) -> nx.MultiDiGraph:
    """The entity graph of `store` (with paper nodes if `papers`), keeping only `types` and
    entities in at least `min_papers` papers (pass none of these when the page has a focus: its
    neighbourhood goes through entities of every type). Graph attributes: `name` (`name`, else
    what the graph was built from, see `built_from`), `papers` and `entities` (totals in the
    store), `built` (see `last_build`), `last_month` (YYYY-MM of the newest dated paper, or None).

    A page shows a few hundred entities of a graph that may hold half a million, so with
    `max_nodes` only what it can show is read: the `max_nodes` entities in the most papers (and
    a few more, to name what the cap left out), with `typed_entities`, the number of entities
    of the wanted types, and `paper_counts`, how many of them are in 1, 2, ... papers (below
    `min_papers`, or 2), so the page can say how many it left out. With `focus`
    (an entity IRI), the entities nearest it instead (`neighbourhood`).
    """
    from paperkg.kg.view import graph_view

    if focus is not None:
        chosen = neighbourhood(store, focus, depth, max_nodes, types, min_papers)
        graph = graph_view(store, include_papers=papers, entities=chosen)
    elif max_nodes:
        graph = graph_view(
            store,
            include_papers=papers,
            types=types or None,
            min_papers=max(min_papers, 1),
            max_nodes=max_nodes + LEFT_OUT_EXAMPLES,
        )
        graph.graph["typed_entities"] = entity_count(store, types or ENTITY_TYPES)
        graph.graph["paper_counts"] = {
            n: entity_count(store, types or ENTITY_TYPES, n) for n in range(1, max(min_papers, 2))
        }
    else:
        graph = graph_view(store, include_papers=papers, types=types or None, min_papers=max(min_papers, 1))
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "entity":
            data["links"] = [asdict(link) for link in entity_links(store.oxigraph, ox.NamedNode(node))]
        # the page searches by the graph's own name key, which only Python computes exactly
        data["keys"] = {name: lookup_key(name) for name in (data.get("label") or node, *data.get("aliases", ()))}
    graph.graph.update(
        name=name or f"{built_from(store) or store.path.name} · paperkg graph",
        papers=_count(store, _PAPERS),
        entities=entity_count(store, ENTITY_TYPES),
        built=last_build(store),
        last_month=max(corpus_months(store.oxigraph).months, default=None),
    )
    return graph


# entities read beyond a map's cap, for the page and the command to name a few it left out
LEFT_OUT_EXAMPLES = 10

_PAPERS = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }"
_ENTITIES = "SELECT (COUNT(?e) AS ?n) WHERE { VALUES ?type { %s } ?e a ?type }"
_IN_PAPERS = "SELECT (COUNT(?e) AS ?n) WHERE { VALUES ?type { %s } ?e pkg:paperCount %d ; a ?type }"
# every entity, and only an entity, has one paper count: with no type to test, count those
_ALL_ENTITIES = "SELECT (COUNT(?e) AS ?n) WHERE { ?e pkg:paperCount ?papers }"
_ALL_IN_PAPERS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e pkg:paperCount %d }"


def _count(store: Store, query: str) -> int:
    """The number `query` counts, kept per store generation with the others a page asked for:
    the totals in its header (every paper, every entity) scan the whole graph, 0.9 s on the whole
    corpus, and every page of a generation needs the same."""
    counts = _kept_dict(store, "counts")
    if query not in counts:
        counts[query] = next((int(row["n"].value) for row in store.query(query, prefixes=PREFIXES)), 0)
        store.keep_json("counts", counts)
    return int(counts[query])


def _kept_dict(store: Store, name: str) -> dict:
    found = store.kept_json(name)
    return found if isinstance(found, dict) else {}


def entity_count(store: Store, types: Collection[str], papers: int | None = None) -> int:
    """Entities of `types` (seen in exactly `papers` papers, if given), counted by the engine
    (all types: without joining the types, 20x faster on 20k papers)."""
    if set(types) >= set(ENTITY_TYPES):
        return _count(store, _ALL_ENTITIES if papers is None else _ALL_IN_PAPERS % papers)
    classes = " ".join(f"pkg:{t}" for t in types)
    return _count(store, _ENTITIES % classes if papers is None else _IN_PAPERS % (classes, papers))


def neighbourhood(
    store: Store,
    focus: str,
    depth: int,
    limit: int | None,
    types: Collection[str] | None = None,
    min_papers: int = 0,
) -> list[str]:
    """`focus` and the entities nearest it, ring by ring up to `depth` links away (typed
    relations either way, or a paper shared), of `types` and in at least `min_papers` papers:
    each ring ranked as `viz.select.cap` ranks it (a typed relation to the ring inside first,
    then the most papers shared with it, then the most papers), and no more read once `limit`
    entities are found. A ring is counted from its papers' mentions, so the cost is the papers
    of the entities expanded, not the size of the graph."""
    db = store.oxigraph
    chosen = [focus]
    seen = {focus}
    ring = [focus]
    for _ in range(depth):
        if limit and len(chosen) >= limit:
            break
        typed: set[str] = set()
        shared: Counter = Counter()
        papers: Counter = Counter()
        for node in ring:
            e = ox.NamedNode(node)
            for relation in RELATIONS:
                predicate = getattr(pkg, relation)
                typed.update(term_value(q.object) for q in db.quads_for_pattern(e, predicate, None))
                typed.update(term_value(q.subject) for q in db.quads_for_pattern(None, predicate, e))
            mentioning = [q.subject for q in db.quads_for_pattern(None, pkg.mentions, e)]
            counted: Counter = Counter()
            for paper in mentioning:
                counted.update(term_value(q.object) for q in db.quads_for_pattern(paper, pkg.mentions, None))
            for other, n in counted.items():
                shared[other] = max(shared[other], n)
        candidates = set()
        for other in (typed | set(shared)) - seen:
            e = ox.NamedNode(other)
            found = next(iter(db.quads_for_pattern(e, pkg.paperCount, None)), None)
            papers[other] = int(term_value(found.object)) if found else 0
            kinds = {term_value(q.object).removeprefix(PKG_NS) for q in db.quads_for_pattern(e, rdf.type, None)}
            if papers[other] >= min_papers and kinds & set(types or ENTITY_TYPES):
                candidates.add(other)
        ranked = sorted(candidates, key=lambda n: (n not in typed, -shared[n], -papers[n], n))
        ring = ranked[: limit - len(chosen)] if limit else ranked
        chosen.extend(ring)
        seen.update(ring)
    return chosen


def last_build(store: Store) -> str | None:
    """When the latest build ended, as `YYYY-MM-DD HH:MM` (UTC offset dropped), or None."""
    for row in store.query(_LAST_BUILD, prefixes=PREFIXES):
        if row["t"] is not None:
            return row["t"].value[:16].replace("T", " ")
    return None


def built_from(store: Store) -> str | None:
    """What the store's papers were read from, in a few words: the one input file, else the
    folder holding all of them (`data/demo`), else how many inputs; None for a store without
    papers."""
    kept = _kept_dict(store, "sources")
    if "files" not in kept:
        # every paper's source is read (1.9 s on the whole corpus): once per generation
        kept = {"files": sorted({row["file"].value for row in store.query(_SOURCES, prefixes=PREFIXES)})}
        store.keep_json("sources", kept)
    files = {PurePosixPath(f) for f in kept["files"]}
    if not files:
        return None
    if len(files) == 1:
        return files.pop().name
    folders = {f.parent for f in files}
    if len(folders) == 1 and str(folders.pop()) not in ("", "."):
        return str(next(iter(files)).parent)
    return f"{len(files):,} inputs"
