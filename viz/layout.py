"""Node positions computed in Python, for pages too big to lay out in the browser.

vis-network's physics costs about 0.1-0.3 s per iteration at 5,000 nodes in headless Chromium
(bench/viz_speed.py), so a big page would take minutes to settle. Above `BROWSER_LAYOUT_MAX`
nodes the page gets fixed positions from here and physics stays off.

The layout is Fruchterman-Reingold with sampled repulsion: each step, every node is pushed away
from a random sample of nodes instead of all of them (O(n·m) instead of O(n²)), pulled towards
its neighbours (more strongly for heavier links), and held together by a weak gravity. numpy
only: networkx's own spring layout needs scipy beyond 500 nodes and is O(n²) per step.
"""

from __future__ import annotations

import networkx as nx

from paperkg.viz.attributes import weighted_undirected

BROWSER_LAYOUT_MAX = 800
"""Largest page laid out by vis-network physics in the browser (300 nodes settle in about 2 s)."""
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
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}
