"""Which part of a graph the page shows: an ego network, type and paper-count filters, a size cap.

The input is the networkx view of the store (`kg.view`, attributes in `viz.attributes`); its
graph-level attributes `entities` and `papers`, totals of the whole graph when the view holds
only part of it, are used when present.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import networkx as nx

from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import CO_OCCURRENCE, RELATIONS
from paperkg.viz import DEFAULT_MAX_NODES, SHARED_ENOUGH, STRONGEST_LINKS, TYPED_STRENGTH
from paperkg.viz.attributes import (
    aliases_of,
    edge_weight,
    is_paper,
    label_of,
    neighbour_counts,
    papers_of,
    type_of,
)


class SelectionError(InputError):
    """A selection that cannot be made (e.g. an unknown focus term); the message is for the user."""


@dataclass
class Selection:
    """The subgraph to draw and what was left out on the way."""

    graph: nx.MultiDiGraph
    total_entities: int
    total_papers: int
    focus: tuple = ()
    filtered_out: int = 0  # entities removed by focus, types or an explicit min-papers
    single_paper_left_out: int = 0  # entities of one paper only, left out by the default (see `select`)
    left_out: list = field(default_factory=list)  # nodes the cap dropped, best ranked first
    left_out_labels: list[str] = field(default_factory=list)  # their labels, same order
    left_out_count: int = 0  # how many the cap dropped: more than `left_out` when the view held only the top
    max_nodes: int | None = None
    distances: dict = field(default_factory=dict)  # with a focus: node -> links away from it
    rank: dict = field(default_factory=dict)  # node -> place in the ranking (0 = first kept)

    @property
    def ranked_by(self) -> str:
        """How the kept nodes were chosen, in words (completes "the N nodes ...")."""
        if self.focus:
            return (
                "nearest the focus (fewest links away, then linked to the ring inside by a typed relation, "
                "then sharing the most papers with it)"
            )
        return "seen in the most papers (then the most connected)"

    @property
    def entities(self) -> int:
        return sum(1 for n in self.graph if not is_paper(self.graph, n))

    @property
    def papers_shown(self) -> int:
        return sum(1 for n in self.graph if is_paper(self.graph, n))


def select(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    min_papers: int | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    papers: bool = False,
    key: Callable[[str], str] | None = None,
    links: int | None = STRONGEST_LINKS,
) -> Selection:
    """Apply, in order: drop paper nodes unless `papers`; the ego network of `focus` within
    `depth` steps (edges followed both ways); entity `types` and `min_papers` filters (the focus
    entity always stays); then keep at most `max_nodes` nodes, those seen in the most papers first
    (`None` or 0: no cap). `key` normalises names when matching `focus` to labels and aliases: the
    graph's own name key (`paperkg.kg.names.lookup_key`), so the page finds what linking merged.

    `min_papers=None` is the default map's rule: without a focus, when at least SHARED_ENOUGH
    entities are seen in two or more papers, the entities of one paper only are left out
    (counted in `single_paper_left_out`), so the map shows what papers share rather than each
    abstract's own terms; otherwise, and around a focus, nothing is.

    Of the links between the entities kept (co-occurrence and typed relations), each node keeps
    those of its `links` strongest pairs (`weak_links`; `None` or 0 keeps them all).
    """
    total_entities = _graph_count(graph, "entities", lambda n: not is_paper(graph, n))
    total_papers = _graph_count(graph, "papers", lambda n: is_paper(graph, n))

    keep = {n for n in graph if papers or not is_paper(graph, n)}
    view = graph.subgraph(keep)
    centers: tuple = ()
    distances: dict = {}
    if focus is not None:
        if focus in view:  # a node already chosen (e.g. an entity IRI the store resolved the name to)
            centers = (focus,)
        elif key is None:
            raise TypeError("select(focus=...) needs the graph's name key (key=...)")
        else:  # the name means the entity in the most papers, as everywhere (kg.label_index.which)
            centers = tuple(find_nodes(view, focus, key=key)[:1])
        distances = ego_distances(view, centers, depth)
        keep = set(distances)
    wanted_types = set(types) if types else None
    keep = {
        n
        for n in keep
        if n in centers
        or is_paper(graph, n)
        or ((wanted_types is None or type_of(graph, n) in wanted_types) and papers_of(graph, n) >= (min_papers or 0))
    }
    # a view of the entities in the most papers only (kg.page_graph) says how many there are in all
    counts: dict[int, int] | None = graph.graph.get("paper_counts") if focus is None else None
    matching = sum(1 for n in keep if not is_paper(graph, n))
    if counts is not None:
        below = sum(n for papers, n in counts.items() if papers < (min_papers or 0))
        matching = graph.graph.get("typed_entities", matching) - below
    filtered_out = total_entities - matching
    single = []
    single_count = 0
    if min_papers is None and focus is None:
        single = [n for n in keep if not is_paper(graph, n) and papers_of(graph, n) < 2]
        single_count = counts.get(1, 0) if counts is not None else len(single)
        if matching - single_count < SHARED_ENOUGH:
            single, single_count = [], 0
        keep.difference_update(single)

    chosen, left_out = cap(induced(graph, keep), max_nodes, keep=centers, distances=distances)
    shown = sum(1 for n in chosen if not is_paper(graph, n))
    drawn = induced(graph, chosen)
    if links:
        drawn.remove_edges_from(weak_links(drawn, links, keep=centers))
    return Selection(
        graph=drawn,
        total_entities=total_entities,
        total_papers=total_papers,
        focus=centers,
        filtered_out=filtered_out,
        single_paper_left_out=single_count,
        left_out=left_out,
        left_out_count=matching - single_count - shown if counts is not None else len(left_out),
        left_out_labels=[label_of(graph, n) for n in left_out],
        max_nodes=max_nodes or None,
        distances={n: distances[n] for n in chosen} if distances else {},
        rank={n: i for i, n in enumerate(chosen)},
    )


def induced(graph: nx.MultiDiGraph, nodes: Collection) -> nx.MultiDiGraph:
    """The subgraph on `nodes`, as a graph of its own, nodes in the graph's order: what
    `graph.subgraph(nodes).copy()` gives, without walking networkx's filtered views (seconds for
    the ten thousand links among a big graph's hubs)."""
    inside = set(nodes)
    sub = graph.__class__()
    sub.graph.update(graph.graph)
    sub.add_nodes_from((n, graph.nodes[n]) for n in graph if n in inside)
    edges = graph.edges(inside, keys=True, data=True) if graph.is_multigraph() else graph.edges(inside, data=True)
    sub.add_edges_from(e for e in edges if e[1] in inside)
    return sub


def weak_links(graph: nx.MultiDiGraph, per_node: int, keep: Collection = ()) -> list[tuple]:
    """The links between entities (co-occurrence and typed relations, as edges (u, v, key)) whose
    pair is not among the `per_node` strongest pairs of either end. A pair's strength is its
    association strength, the papers the two share divided by the product of their papers
    (VOSviewer's normalisation): how much more two entities meet than their sizes predict, so the
    hubs every paper names do not take all the links; a pair joined by a typed relation counts
    `TYPED_STRENGTH` times as strong. A pair kept keeps all its links; the links of the nodes in
    `keep` (a focus) always stay, and so do the edges of papers."""
    links: dict[frozenset, list[tuple]] = {}
    shared: dict[frozenset, float] = {}  # pair -> the papers it shares (its co-occurrence link)
    stated: dict[frozenset, float] = {}  # pair -> the papers stating its best-supported typed relation
    for u, v, k, data in graph.edges(keys=True, data=True):
        relation = str(data.get("relation") or "")
        if u == v or u in keep or v in keep or not (relation == CO_OCCURRENCE or relation in RELATIONS):
            continue
        pair = frozenset((u, v))
        links.setdefault(pair, []).append((u, v, k))
        weights = shared if relation == CO_OCCURRENCE else stated
        weights[pair] = max(weights.get(pair, 0.0), edge_weight(data))
    strength: dict[frozenset, tuple] = {}
    by_node: dict = {}
    for pair in links:
        u, v = sorted(pair, key=str)
        papers = shared.get(pair) or stated[pair]
        association = papers / (max(papers_of(graph, u), 1) * max(papers_of(graph, v), 1))
        strength[pair] = (-association * (TYPED_STRENGTH if pair in stated else 1), str(u), str(v))
        by_node.setdefault(u, []).append(pair)
        by_node.setdefault(v, []).append(pair)
    strong = {pair for pairs in by_node.values() for pair in sorted(pairs, key=strength.__getitem__)[:per_node]}
    return [e for pair, edges in links.items() if pair not in strong for e in edges]


def _graph_count(graph: nx.Graph, attribute: str, counts: Callable) -> int:
    """The total the graph states (e.g. the store's, when the view was filtered), else a count."""
    stated = graph.graph.get(attribute)
    return stated if isinstance(stated, int) else sum(1 for n in graph if counts(n))


def find_nodes(graph: nx.Graph, term: str, *, key: Callable[[str], str]) -> list:
    """Nodes whose label or an alias has the same key as `term`, most papers first."""
    wanted = key(term)
    if not wanted:
        raise SelectionError(f"nothing to look for in {term!r}")
    found = [n for n in graph if any(key(name) == wanted for name in (label_of(graph, n), *aliases_of(graph, n)))]
    if not found:
        near = sorted(
            (n for n in graph if wanted in key(label_of(graph, n))),
            key=lambda n: (-papers_of(graph, n), label_of(graph, n).casefold()),
        )[:5]
        hint = f"; did you mean: {', '.join(label_of(graph, n) for n in near)}" if near else ""
        raise SelectionError(f"no entity named {term!r} in the graph{hint}")
    return sorted(found, key=lambda n: (-papers_of(graph, n), str(n)))


def ego_distances(graph: nx.Graph, centers: Collection, depth: int) -> dict:
    """{node: edges to the nearest center} for the nodes within `depth` edges of any center,
    following edges in both directions."""
    if depth < 0:
        raise SelectionError("depth must be 0 or more")
    undirected = graph.to_undirected(as_view=True)
    reached: dict = {}
    for center in centers:
        for node, steps in nx.single_source_shortest_path_length(undirected, center, cutoff=depth).items():
            reached[node] = min(steps, reached.get(node, steps))
    return reached


def cap(
    graph: nx.Graph, max_nodes: int | None, *, keep: Collection = (), distances: dict | None = None
) -> tuple[list, list]:
    """Split the nodes into (kept, left out), both in rank order; the nodes in `keep` come first
    whatever their rank.

    Without `distances` the nodes seen in the most papers rank first, ties broken by how
    connected they are, then label: an entity shared by many papers is what a map of a literature
    is for, and ranking by connections alone fills the page with the entities of the one abstract
    that names the most things.

    With `distances` (links away from a focus), nearer nodes rank first; within a ring, those
    with a typed relation to the ring inside it, then those sharing the most papers with it, then
    by papers: the neighbourhood closest to the focus, not the globally biggest hubs that happen
    to be two links away."""
    degree = neighbour_counts(graph)
    near = _closeness(graph, distances) if distances else {}
    ranked = sorted(
        graph,
        key=lambda n: (
            n not in keep,
            distances.get(n, 0) if distances else 0,
            near.get(n, (0, 0)),
            -papers_of(graph, n),
            -degree[n],
            label_of(graph, n).casefold(),
            str(n),
        ),
    )
    if not max_nodes or len(ranked) <= max_nodes:
        return ranked, []
    return ranked[:max_nodes], ranked[max_nodes:]


def _closeness(graph: nx.Graph, distances: dict) -> dict:
    """node -> (0 if a typed relation links it to the ring inside its own else 1, minus the most
    papers it shares with a node of that ring): a sort key, smaller is closer."""
    best: dict = {}
    for u, v, data in graph.edges(data=True):
        for a, b in ((u, v), (v, u)):
            if a in distances and b in distances and distances[b] == distances[a] - 1:
                typed = str(data.get("relation") or "") != CO_OCCURRENCE
                shared = edge_weight(data) if not typed else 0.0
                was = best.get(a, (1, 0.0))
                best[a] = (min(was[0], 0 if typed else 1), min(was[1], -shared))
    return best
