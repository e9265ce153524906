"""Communities of entities (Louvain, from networkx), each named after its leading entities.

Like a term map: clusters of entities that are mentioned together, labelled by their most
studied members so the reader can tell what each coloured region is about.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from paperkg.viz.attributes import is_paper, label_of, neighbour_counts, papers_of, weighted_undirected

NAME_SIZE = 3  # entities named in a community's name


@dataclass(frozen=True)
class Community:
    index: int  # 0 = the largest community
    leaders: tuple[str, ...]  # labels of its leading members, best first (see `leading_labels`)
    members: frozenset

    @property
    def name(self) -> str:
        return " · ".join(self.leaders)


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[Community]:
    """Louvain communities of the graph, largest first. Nodes without any edge form no community
    of their own: they are left out of the result (the page colours them as "unconnected")."""
    simple = weighted_undirected(graph)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if simple.number_of_nodes() == 0:
        return []
    parts = louvain(simple, resolution=resolution, seed=seed)
    degree = neighbour_counts(simple)
    parts = sorted(parts, key=lambda p: (-len(p), min(label_of(graph, n).casefold() for n in p)))
    return [
        Community(index=i, leaders=leading_labels(graph, members, degree), members=frozenset(members))
        for i, members in enumerate(parts)
    ]


def louvain(simple: nx.Graph, *, resolution: float = 1.0, seed: int = 0) -> list[set]:
    """networkx's Louvain communities of a weighted undirected graph, the same in every process.

    networkx walks sets of nodes, whose order for string nodes changes with Python's hash seed
    (the demo's map came out as 5 or 6 communities from one run to the next); numbered in the
    order of their names, the nodes hash, and so are walked, the same way every time."""
    order = sorted(simple, key=str)
    number = {n: i for i, n in enumerate(order)}
    numbered = nx.Graph()
    numbered.add_nodes_from(range(len(order)))
    numbered.add_weighted_edges_from(
        sorted((number[u], number[v], w) for u, v, w in simple.edges(data="weight", default=1))
    )
    parts = nx.community.louvain_communities(numbered, weight="weight", resolution=resolution, seed=seed)
    return [{order[i] for i in part} for part in parts]


def leading_labels(graph: nx.Graph, members, degree: dict) -> tuple[str, ...]:
    """The labels of the NAME_SIZE members in most papers (then best connected), entities before
    papers: what a community is named after."""
    ranked = sorted(
        members,
        key=lambda n: (
            is_paper(graph, n),
            -papers_of(graph, n),
            -degree.get(n, 0),
            label_of(graph, n).casefold(),
        ),
    )
    return tuple(label_of(graph, n) for n in ranked[:NAME_SIZE])
