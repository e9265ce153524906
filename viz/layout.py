"""Node positions computed in Python: every page comes laid out, with vis-network's physics off.

vis-network's physics costs about 0.1-0.3 s per iteration at 5,000 nodes in headless Chromium
(bench/viz_speed.py) and lays a graph out differently on every machine; positions from here
open at once and are the same for the same graph. A map is laid out by community
(`viz.regions`, each region with `spread_layout`); a page with a focus on rings (`ring_layout`).

`spread_layout` is Fruchterman-Reingold with sampled repulsion: each step, every node is pushed away
from a random sample of nodes instead of all of them (O(n·m) instead of O(n²)), pulled towards
its neighbours (more strongly for heavier links), and held together by a weak gravity. numpy
only: networkx's own spring layout needs scipy beyond 500 nodes and is O(n²) per step.
"""

from __future__ import annotations

import networkx as nx

from paperkg.viz.attributes import weighted_undirected
from paperkg.viz.communities import louvain

EDGE_LENGTH_PX = 90  # typical drawn length of a link, in vis-network canvas units


def spread_layout(graph: nx.Graph, *, iterations: int = 150, sample: int = 128, seed: int = 7) -> dict:
    """{node: (x, y)} in canvas units; deterministic for a given graph and seed."""
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    simple = weighted_undirected(graph)
    links = [(index[u], index[v], w) for u, v, w in simple.edges(data="weight")]
    src = np.array([a for a, _, _ in links], dtype=np.intp)
    dst = np.array([b for _, b, _ in links], dtype=np.intp)
    strength = (1.0 + np.log1p(np.array([w for _, _, w in links]))).astype(np.float32)

    rng = np.random.default_rng(seed)
    side = np.sqrt(n)  # with unit ideal distance, n nodes fill about a sqrt(n) square
    # x and y as separate float32 arrays: 3x faster than an (n, 2) float64 array here
    x, y = (rng.uniform(-side / 2, side / 2, size=n).astype(np.float32) for _ in range(2))
    m = min(sample, n)
    gravity = 0.5 / side
    for step in range(iterations):
        temperature = 0.1 * side * (1 - step / iterations) + 0.01
        picked = rng.choice(n, size=m, replace=False)
        dx = x[:, None] - x[None, picked]
        dy = y[:, None] - y[None, picked]
        inverse = (n / m) / np.maximum(dx * dx + dy * dy, 1e-4)  # repulsion k^2/d, k = 1
        mx = (dx * inverse).sum(axis=1)
        my = (dy * inverse).sum(axis=1)
        if len(links):
            lx, ly = x[src] - x[dst], y[src] - y[dst]
            pull = np.sqrt(lx * lx + ly * ly) * strength  # attraction d^2/k
            mx += np.bincount(dst, lx * pull, n) - np.bincount(src, lx * pull, n)
            my += np.bincount(dst, ly * pull, n) - np.bincount(src, ly * pull, n)
        radius = np.sqrt(x * x + y * y)
        mx -= x * gravity * radius
        my -= y * gravity * radius
        length = np.maximum(np.sqrt(mx * mx + my * my), 1e-9)
        scale = np.minimum(length, temperature) / length
        x += (mx * scale).astype(np.float32)
        y += (my * scale).astype(np.float32)

    pos = np.stack([x, y], axis=1).astype(float)
    pos -= pos.mean(axis=0)
    if len(links):
        typical = float(np.median(np.sqrt(((pos[src] - pos[dst]) ** 2).sum(axis=1)))) or 1.0
    else:
        typical = 1.0
    pos *= EDGE_LENGTH_PX / typical
    placed = {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in _packed(simple, placed).items()}


def _packed(simple: nx.Graph, positions: dict) -> dict:
    """The largest connected component centred where the layout put it, every other component
    moved onto rings around it (each keeping its shape, shrunk if it sprawls), biggest first.
    Repulsion flings small components and lone nodes far out, so a page fitted to all of them
    would show the main graph as a dot; packed, the main graph fills the window."""
    import math

    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    if len(parts) < 2:
        return positions

    def centre_and_spread(part) -> tuple[float, float, float]:
        x = sum(positions[n][0] for n in part) / len(part)
        y = sum(positions[n][1] for n in part) / len(part)
        return x, y, max(math.hypot(positions[n][0] - x, positions[n][1] - y) for n in part)

    cx, cy, spread = centre_and_spread(parts[0])
    packed = {n: (positions[n][0] - cx, positions[n][1] - cy) for n in parts[0]}
    margin = EDGE_LENGTH_PX / 2
    radius, ring_width, angle = spread + 2 * margin, 0.0, 0.0
    for part in parts[1:]:
        px, py, spread = centre_and_spread(part)
        half = min(spread, EDGE_LENGTH_PX * math.sqrt(len(part))) + margin  # its half-width on the ring
        shrink = (half - margin) / spread if spread else 1.0
        if angle + 2 * half / radius > 2 * math.pi:  # this ring is full: the next one further out
            radius += ring_width + half + margin
            angle, ring_width = 0.0, 0.0
        angle += half / radius
        ox, oy = radius * math.cos(angle), radius * math.sin(angle)
        for n in part:
            packed[n] = (ox + (positions[n][0] - px) * shrink, oy + (positions[n][1] - py) * shrink)
        angle += half / radius
        ring_width = max(ring_width, half)
    return packed


RING_SPACING_PX = 70  # arc length between neighbours on a ring, in canvas units
RING_GAP_PX = 170  # from one distance's outermost band to the next distance's first band
BAND_GAP_PX = 70  # between the bands of one distance when it holds too many for one circle


def ring_layout(graph: nx.Graph, distances: dict, rank: dict) -> tuple[dict, list[dict]]:
    """Positions with the focus at (0, 0) and every other node on a ring by its distance from it.

    Returns ({node: (x, y)}, [{"distance", "inner", "outer"} radii of each ring]). On the first
    ring, nodes of one community (Louvain over the ring's own links) sit next to each other, best
    ranked first; on outer rings each node sits at the angle of its neighbours on the ring inside,
    so branches stay together instead of criss-crossing. A ring too full for one circle is split
    into concentric bands, its nodes dealt to them in turn so their angular order holds."""
    import math

    centers = [n for n, d in distances.items() if d == 0 and n in graph]
    positions: dict = {}
    for i, node in enumerate(sorted(centers, key=lambda n: rank.get(n, 0))):
        angle = 2 * math.pi * i / max(len(centers), 1)
        offset = 0.0 if len(centers) == 1 else RING_SPACING_PX
        positions[node] = (round(offset * math.cos(angle), 1), round(offset * math.sin(angle), 1))
    simple = weighted_undirected(graph)
    angles: dict = {n: 0.0 for n in centers}
    rings: list[dict] = []
    radius = RING_GAP_PX if len(centers) == 1 else RING_GAP_PX + RING_SPACING_PX
    for distance in range(1, max(distances.values(), default=0) + 1):
        members = [n for n in graph if distances.get(n) == distance]
        if not members:
            continue
        order, start = _ring_order(simple, members, angles, rank, first=distance == 1)
        bands = _bands(len(order), radius)
        outer = radius + BAND_GAP_PX * (bands - 1)
        for i, node in enumerate(order):
            band_radius = radius + BAND_GAP_PX * (i % bands)
            angle = start + 2 * math.pi * i / len(order)
            angles[node] = angle
            positions[node] = (round(band_radius * math.cos(angle), 1), round(band_radius * math.sin(angle), 1))
        rings.append({"distance": distance, "inner": radius, "outer": outer})
        radius = outer + RING_GAP_PX
    return positions, rings


def _bands(count: int, radius: float) -> int:
    """Concentric bands needed for `count` nodes, RING_SPACING_PX apart, from `radius` outwards."""
    import math

    bands, capacity = 1, 0
    while True:
        capacity += int(2 * math.pi * (radius + BAND_GAP_PX * (bands - 1)) / RING_SPACING_PX)
        if capacity >= count:
            return bands
        bands += 1


def _ring_order(simple: nx.Graph, members: list, angles: dict, rank: dict, *, first: bool) -> tuple[list, float]:
    """The order of a ring's nodes around the circle, and the angle of the first."""
    import math

    if first:
        ring = simple.subgraph(members)
        groups = louvain(ring) if ring.number_of_edges() else []
        group_of = {n: i for i, group in enumerate(groups) for n in group}
        size: dict[int | None, int] = {i: len(group) for i, group in enumerate(groups)}  # None: no group
        order = sorted(
            members, key=lambda n: (-size.get(group_of.get(n), 1), group_of.get(n, len(groups)), rank.get(n, 0))
        )
        return order, -math.pi / 2

    def pull(node) -> float:
        inner = [angles[m] for m in simple[node] if m in angles]
        if not inner:
            return math.pi  # nothing inside links to it: the far side
        return math.atan2(sum(map(math.sin, inner)), sum(map(math.cos, inner))) % (2 * math.pi)

    wanted = {n: pull(n) for n in members}
    order = sorted(members, key=lambda n: (wanted[n], rank.get(n, 0)))
    # turn the evenly spaced circle so that, on average, each node sits at the angle it wants
    step = 2 * math.pi / len(order)
    turns = [wanted[n] - i * step for i, n in enumerate(order)]
    return order, math.atan2(sum(map(math.sin, turns)), sum(map(math.cos, turns)))
