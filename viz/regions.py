"""The map laid out by community, as a term map is: each community a round region of its own,
regions linked by many links placed next to each other, none overlapping.

Each community's members are laid out on their own (`layout.spread_layout` over the links
inside it), which gives the region its radius; the regions' centres start from a spread layout
of the graph of communities (weighted by the links between them), then settle: linked regions
pull together until they touch, everything drifts gently towards the middle, and overlapping
regions push apart. Deterministic: the only randomness is `spread_layout`'s seeded one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import networkx as nx

from paperkg.viz.layout import EDGE_LENGTH_PX, spread_layout

MARGIN_PX = 50  # from a region's outermost member to its edge: the member's size and label
GAP_PX = 30  # between two regions
SPACING_PX = 50  # least gap between two members of a region (a hub's neighbours crowd around it)
PULLS_PER_NODE = 3  # links inside its region that pull a member: its strongest
CROWD_MAX = 400  # members above which a region is left as spread_layout placed it (pairwise cost: n²)
SETTLE_STEPS = 300


@dataclass(frozen=True)
class Region:
    x: float
    y: float
    radius: float


def region_layout(
    graph: nx.Graph, groups: Sequence[Collection], sizes: dict | None = None
) -> tuple[dict, list[Region]]:
    """({node: (x, y)}, one Region per group) for a weighted undirected `graph` whose nodes are
    split into `groups` (every node in exactly one). Members of a group lie inside its region
    and regions do not overlap; two members are at least SPACING_PX apart beyond their drawn
    radii (`sizes`, {node: radius}, 0 when not given)."""
    sizes = sizes or {}
    if not groups:
        return {}, []
    local = [_uncrowded(_gathered(spread_layout(_strongest(_ordered(graph, group)))), sizes) for group in groups]
    radii = [
        max((_norm(x, y) + sizes.get(n, 0) for n, (x, y) in pos.items()), default=0.0) + MARGIN_PX for pos in local
    ]
    group_of = {n: i for i, group in enumerate(groups) for n in group}
    between = nx.Graph()
    between.add_nodes_from(range(len(groups)))
    for u, v, weight in graph.edges(data="weight", default=1):
        a, b = group_of[u], group_of[v]
        if a != b:
            between.add_edge(a, b, weight=between.get_edge_data(a, b, {"weight": 0})["weight"] + weight)
    centres = _place(radii, between)
    positions = {
        node: (round(cx + x, 1), round(cy + y, 1))
        for (cx, cy), pos in zip(centres, local)
        for node, (x, y) in pos.items()
    }
    regions = [Region(round(cx, 1), round(cy, 1), round(r, 1)) for (cx, cy), r in zip(centres, radii)]
    return positions, regions


def _place(radii: list[float], between: nx.Graph) -> list[tuple[float, float]]:
    """Centres of circles with these radii: linked ones touching where they can, none overlapping."""
    import numpy as np

    k = len(radii)
    if k == 1:
        return [(0.0, 0.0)]
    r = np.array(radii)
    start = spread_layout(between)
    # spread_layout draws a typical link EDGE_LENGTH_PX long; regions need about two radii
    xy = np.array([start[i] for i in range(k)]) * (2 * r.mean() / EDGE_LENGTH_PX)
    xy += np.stack([np.cos(np.arange(k)), np.sin(np.arange(k))], axis=1)  # no two centres on one spot
    links = np.array([(a, b, w) for a, b, w in between.edges(data="weight")], dtype=float).reshape(-1, 3)
    a, b = links[:, 0].astype(int), links[:, 1].astype(int)
    pull = 0.1 * links[:, 2] / links[:, 2].max() if len(links) else links[:, 2]
    area = r * r
    push_share = area[None, :] / (area[:, None] + area[None, :])  # the smaller region moves more
    apart = r[:, None] + r[None, :] + GAP_PX
    np.fill_diagonal(apart, 0.0)
    for step in range(SETTLE_STEPS * 3):
        settling = step < SETTLE_STEPS
        if settling:
            xy -= 0.02 * (xy - (xy * area[:, None]).sum(axis=0) / area.sum())  # towards the middle
            if len(links):
                d = xy[b] - xy[a]
                length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
                excess = np.maximum(length - (r[a] + r[b] + GAP_PX), 0.0)
                move = d * (pull * excess / length)[:, None] / 2
                np.add.at(xy, a, move)
                np.add.at(xy, b, -move)
        d = xy[:, None, :] - xy[None, :, :]
        length = np.hypot(d[..., 0], d[..., 1])
        overlap = np.maximum(apart - length, 0.0)
        if not settling and not overlap.any():
            break
        direction = d / np.maximum(length, 1e-9)[..., None]
        xy += (direction * (overlap * push_share * 1.01)[..., None]).sum(axis=1)
    xy -= (xy * area[:, None]).sum(axis=0) / area.sum()
    return [(float(x), float(y)) for x, y in xy]


def _strongest(region: nx.Graph) -> nx.Graph:
    """The region with only each member's PULLS_PER_NODE heaviest links: all of them pull a dense
    community into a ball around its hub."""
    ranked: dict = {}
    for u, v, weight in region.edges(data="weight"):
        ranked.setdefault(u, []).append((-weight, str(v), v))
        ranked.setdefault(v, []).append((-weight, str(u), u))
    kept = nx.Graph()
    kept.add_nodes_from(region)
    for u, links in ranked.items():
        for _weight, _name, v in sorted(links)[:PULLS_PER_NODE]:
            kept.add_edge(u, v, weight=region[u][v]["weight"])
    return kept


def _gathered(positions: dict) -> dict:
    """Centred on the members' mean, with the stragglers (members linked mostly outside the
    region, which spread_layout packs around the rest) brought in to the edge of the bulk, so
    the region is no bigger than its members need."""
    import numpy as np

    positions = _centred(positions)
    if len(positions) < 5:
        return positions
    radius = {n: _norm(x, y) for n, (x, y) in positions.items()}
    edge = 1.2 * float(np.percentile(list(radius.values()), 80))
    return {
        n: (x, y) if radius[n] <= edge else (x * edge / radius[n], y * edge / radius[n])
        for n, (x, y) in positions.items()
    }


def _uncrowded(positions: dict, sizes: dict, steps: int = 40) -> dict:
    """The positions pushed apart, pair by pair, until no two drawn nodes are closer than SPACING_PX."""
    import numpy as np

    if not 1 < len(positions) <= CROWD_MAX:
        return positions
    nodes = list(positions)
    n = len(nodes)
    # x and y apart, float32: about 3 times faster than (n, n, 2) float64 arrays
    x, y = (np.array([positions[node][i] for node in nodes], dtype=np.float32) for i in (0, 1))
    x += np.cos(np.arange(n, dtype=np.float32)) * 1e-3  # no two on one spot
    y += np.sin(np.arange(n, dtype=np.float32)) * 1e-3
    radius = np.array([sizes.get(node, 0) for node in nodes], dtype=np.float32)
    least = SPACING_PX + radius[:, None] + radius[None, :]
    np.fill_diagonal(least, 0.0)
    for _ in range(steps):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        length = np.maximum(np.sqrt(dx * dx + dy * dy), 1e-6)
        push = np.maximum(least - length, 0.0)
        if not push.any():
            break
        push *= 0.51 / length
        x += (dx * push).sum(axis=1)
        y += (dy * push).sum(axis=1)
    xy = np.stack([x, y], axis=1).astype(float)
    return _centred({n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)})


def _ordered(graph: nx.Graph, nodes: Collection) -> nx.Graph:
    """The subgraph on `nodes`, its nodes and links in the order of their names: a subgraph view
    walks a set, whose order changes with Python's hash seed, and so would the layout."""
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    links = ((u, v, w) if str(u) < str(v) else (v, u, w) for u, v, w in graph.subgraph(nodes).edges(data="weight"))
    sub.add_weighted_edges_from(sorted(links, key=lambda link: (str(link[0]), str(link[1]))))
    return sub


def _centred(positions: dict) -> dict:
    if not positions:
        return {}
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    return {n: (x - cx, y - cy) for n, (x, y) in positions.items()}


def _norm(x: float, y: float) -> float:
    return (x * x + y * y) ** 0.5
