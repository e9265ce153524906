"""The graph a `kg viz` page draws: the store's networkx view (`kg.view`) with each entity's
links to reference vocabularies (node attribute `links`: a list of {"iri", "match", "source"},
see `kg.external`) and every node's name keys for the page's search (node attribute `keys`:
{name or alias: `kg.names.lookup_key` of it}), plus the facts the page header shows (graph
name, total papers and entities, when it was built).

    graph = page_graph(Store(path))
    selection = viz.select.select(graph, focus="SAE", depth=2, key=lookup_key)
    kg.files.write_text("sae.html", viz.html.page_html(selection))

kg does not import viz here: only the CLI (`kg.commands.viz`) joins the two packages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from pathlib import PurePosixPath

import networkx as nx
import pyoxigraph as ox

from paperkg.kg.external import entity_links
from paperkg.kg.names import lookup_key
from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES

_LAST_BUILD = "SELECT (MAX(?t) AS ?t) WHERE { ?b a pkg:Build ; prov:endedAtTime ?t }"
_SOURCES = "SELECT DISTINCT ?where WHERE { ?p a pkg:Paper ; pkg:sourceLocation ?where }"


def page_graph(
    store: Store,
    *,
    papers: bool = False,
    types: Collection[str] | None = None,
    min_papers: int = 0,
    name: str | None = None,
) -> nx.MultiDiGraph:
    """The entity graph of `store` (with paper nodes if `papers`), keeping only `types` and
    entities in at least `min_papers` papers (pass none of these when the page has a focus: its
    neighbourhood goes through entities of every type). Graph attributes: `name` (`name`, else
    what the graph was built from, see `built_from`), `papers` and `entities` (totals in the
    store), `built` (see `last_build`)."""
    from paperkg.kg.stats import graph_stats
    from paperkg.kg.view import graph_view

    graph = graph_view(store, include_papers=papers, types=types or None, min_papers=max(min_papers, 1))
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "entity":
            data["links"] = [asdict(link) for link in entity_links(store.oxigraph, ox.NamedNode(node))]
        # the page searches by the graph's own name key, which only Python computes exactly
        data["keys"] = {name: lookup_key(name) for name in (data.get("label") or node, *data.get("aliases", ()))}
    totals = graph_stats(store)
    graph.graph.update(
        name=name or f"{built_from(store) or store.path.name} · paperkg graph",
        papers=totals["papers"],
        entities=totals["entities"],
        built=last_build(store),
    )
    return graph


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
    files = set()
    for row in store.query(_SOURCES, prefixes=PREFIXES):
        files.add(PurePosixPath(row["where"].value.rsplit(":", 1)[0]))
    if not files:
        return None
    if len(files) == 1:
        return files.pop().name
    folders = {f.parent for f in files}
    if len(folders) == 1 and str(folders.pop()) not in ("", "."):
        return str(next(iter(files)).parent)
    return f"{len(files):,} inputs"
