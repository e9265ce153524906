"""Reading the networkx view of the store (`kg.view`) with neutral defaults.

Nodes carry `label`, `type` (an entity type or "Paper"), `aliases`, `papers` (paper count),
`paper_titles`, `links` (a list of {"iri", "match", "source"}), `keys` ({name or alias: its
name key}; both added by `kg.page_graph`), `median_month` and `first_month` (YYYY-MM: the months of
its median and first dated paper, `pkg:medianMonth`, `pkg:firstSeen`; a paper's own month); edges
carry `relation` and `weight`. Any attribute may be missing, so any graph with node labels can be
drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable

import networkx as nx

PAPER = "Paper"
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def label_of(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("label") or node)


def type_of(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("type") or "")


def papers_of(graph: nx.Graph, node: Hashable) -> int:
    try:
        return int(graph.nodes[node].get("papers") or 0)
    except (TypeError, ValueError):
        return 0


def median_month_of(graph: nx.Graph, node: Hashable) -> str | None:
    month = graph.nodes[node].get("median_month")
    return str(month) if month else None


def first_month_of(graph: nx.Graph, node: Hashable) -> str | None:
    """YYYY-MM, or None: anything else (text from a store is untrusted) dates nothing."""
    return _month(graph.nodes[node].get("first_month"))


def last_month_of(graph: nx.Graph) -> str | None:
    """The graph's newest month (graph attribute `last_month`, YYYY-MM), or None."""
    return _month(graph.graph.get("last_month"))


def _month(value: object) -> str | None:
    month = str(value or "")
    return month if _MONTH.fullmatch(month) else None


def aliases_of(graph: nx.Graph, node: Hashable) -> list[str]:
    aliases = graph.nodes[node].get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [aliases]
    return [str(a) for a in aliases]


def search_keys_of(graph: nx.Graph, node: Hashable) -> dict[str, str]:
    """{name or alias: its name key} for the page's search, as `kg.page_graph` computes them with
    the graph's own normaliser (viz cannot import it); empty when the graph has none."""
    keys = graph.nodes[node].get("keys")
    return {str(name): str(key) for name, key in keys.items()} if isinstance(keys, dict) else {}


def titles_of(graph: nx.Graph, node: Hashable) -> list[str]:
    titles = graph.nodes[node].get("paper_titles") or ()
    if isinstance(titles, str):
        titles = [titles]
    return [str(t) for t in titles]


def links_of(graph: nx.Graph, node: Hashable) -> list[dict]:
    """The node's links to reference vocabularies, each {"iri", "match", "source"} as strings."""
    links = graph.nodes[node].get("links") or ()
    return [
        {k: str(link.get(k) or "") for k in ("iri", "match", "source")}
        for link in links
        if isinstance(link, dict) and link.get("iri")
    ]


def is_paper(graph: nx.Graph, node: Hashable) -> bool:
    return type_of(graph, node) == PAPER


def edge_weight(data: dict) -> float:
    """An edge's weight; 1 when missing or not a positive number."""
    try:
        weight = float(data.get("weight", 1))
    except (TypeError, ValueError):
        return 1.0
    return weight if math.isfinite(weight) and weight > 0 else 1.0


def neighbour_counts(graph: nx.Graph) -> dict:
    """Distinct neighbours of each node, whatever the direction or number of parallel edges."""
    if graph.is_directed():
        return {n: len(set(graph.successors(n)).union(graph.predecessors(n))) for n in graph}
    return {n: len(graph[n]) for n in graph}


def weighted_undirected(graph: nx.Graph) -> nx.Graph:
    """One undirected edge per linked pair (no self-loops), weighted by the sum of its edges' weights."""
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = edge_weight(data)
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple
