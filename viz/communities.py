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
    name: str
    members: frozenset


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[Community]:
    """Louvain communities of the graph, largest first. Nodes without any edge form no community
    of their own: they are left out of the result (the page colours them as "unconnected")."""
    simple = weighted_undirected(graph)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if simple.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(simple, weight="weight", resolution=resolution, seed=seed)
    degree = neighbour_counts(simple)
    parts = sorted(parts, key=lambda p: (-len(p), min(label_of(graph, n).casefold() for n in p)))
    return [
        Community(index=i, name=community_name(graph, members, degree), members=frozenset(members))
        for i, members in enumerate(parts)
    ]


def community_name(graph: nx.Graph, members, degree: dict) -> str:
    """The labels of the members in most papers (then best connected), entities before papers."""
    ranked = sorted(
        members,
        key=lambda n: (
            is_paper(graph, n),
            -papers_of(graph, n),
            -degree.get(n, 0),
            label_of(graph, n).casefold(),
        ),
    )
    return " · ".join(label_of(graph, n) for n in ranked[:NAME_SIZE])
