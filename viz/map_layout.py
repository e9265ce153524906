"""Where a map page puts its nodes and which lines it draws, before pyvis sees them.

`merged_edges` turns the graph's edges into the lines drawn (one per pair and relation),
`main_lines` picks those that shape the layout (and that a big page draws), `region_positions`
lays the nodes out by community along those lines (`viz.regions`), sized as `drawn_sizes` says
the page script will draw them. A page with a focus is laid out by `viz.layout.ring_layout`.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from paperkg.schema.namespaces import CO_OCCURRENCE, SYMMETRIC_RELATIONS
from paperkg.viz import TYPED_STRENGTH
from paperkg.viz.attributes import edge_weight, papers_of
from paperkg.viz.communities import Community
from paperkg.viz.regions import region_layout
from paperkg.viz.style import community_colors

NODE_SIZE = (8, 44)  # drawn radius of the nodes in fewest and most papers (square-root scale, page.js)


def merged_edges(graph) -> list[tuple]:
    """(u, v, relation, weight, co-occurrence count or None), one per drawn line.

    Parallel edges of one relation become one line (the largest weight); symmetric relations
    ignore direction. A pair linked by a typed relation draws that relation only, carrying the
    pair's co-occurrence count, so lines do not pile up on top of each other.
    """
    merged: dict[tuple, float] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        relation = str(data.get("relation") or "")
        if relation in SYMMETRIC_RELATIONS and str(v) < str(u):
            u, v = v, u
        key = (u, v, relation)
        merged[key] = max(merged.get(key, 0.0), edge_weight(data))
    cooc = {frozenset((u, v)): w for (u, v, r), w in merged.items() if r == CO_OCCURRENCE}
    typed_pairs = {frozenset((u, v)) for (u, v, r) in merged if r != CO_OCCURRENCE}
    lines: list[tuple] = []
    for (u, v, relation), weight in sorted(merged.items(), key=lambda kv: tuple(map(str, kv[0]))):
        pair = frozenset((u, v))
        if relation == CO_OCCURRENCE:
            if pair in typed_pairs:
                continue
            lines.append((u, v, relation, weight, int(weight)))
        else:
            count = cooc.get(pair)
            lines.append((u, v, relation, max(weight, count or 0), int(count) if count else None))
    return lines


def main_lines(lines: list[tuple]) -> set[int]:
    """Indices of the lines that pull their nodes together in the layout (and that a big page
    draws): typed relations, links of entities that share two or more papers, and each node's
    three heaviest links. Entities named in one paper only hang from those few links instead of
    pulling their whole abstract into a petal, so what several papers share (and the typed
    relations) shapes the map."""
    chosen = {i for i, (_u, _v, relation, weight, _c) in enumerate(lines) if relation != CO_OCCURRENCE or weight >= 2}
    by_node: dict = {}
    for i, (u, v, _relation, weight, _count) in enumerate(lines):
        by_node.setdefault(u, []).append((-weight, i))
        by_node.setdefault(v, []).append((-weight, i))
    return chosen | {i for ranked in by_node.values() for _w, i in sorted(ranked)[:3]}


def region_positions(graph, groups: Sequence[Community], pulling: list[tuple]) -> tuple[dict, list[dict]]:
    """Positions by community (`viz.regions`), the members of each laid out along the `pulling`
    lines, and the regions to draw with their names. Nodes without any link share one unnamed
    region."""
    pull = nx.Graph()
    pull.add_nodes_from(graph)
    for u, v, relation, weight, _count in pulling:
        # papers shared relative to the two entities' own paper counts (cosine): a hub shares
        # papers with everything, so raw counts would pull every region into a ball around it
        cosine = weight / max(papers_of(graph, u) * papers_of(graph, v), 1) ** 0.5
        pull.add_edge(u, v, weight=cosine * (1 if relation == CO_OCCURRENCE else TYPED_STRENGTH))
    members = [c.members for c in groups]
    unlinked = set(graph).difference(*members)
    positions, regions = region_layout(pull, members + ([unlinked] if unlinked else []), drawn_sizes(graph))
    colors = community_colors(groups)
    drawn = [
        {
            "names": list(c.leaders),
            "size": len(c.members),
            "x": region.x,
            "y": region.y,
            "r": region.radius,
            "color": colors[next(iter(c.members))],
        }
        for c, region in zip(groups, regions)
    ]
    return positions, drawn


def drawn_sizes(graph) -> dict:
    """{node: its drawn radius}, as the page script scales paper counts (page.js)."""
    values = {n: max(papers_of(graph, n), 1) for n in graph}
    low, high = min(values.values(), default=1), max(values.values(), default=1)
    small, big = NODE_SIZE
    return {
        n: small + (big - small) * (((v - low) / (high - low)) ** 0.5 if high > low else 0.5) for n, v in values.items()
    }
