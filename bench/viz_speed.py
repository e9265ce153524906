"""How fast `kg viz` pages are written and how fast they settle in Chromium.

A synthetic graph shaped like the real one (entities with long-tailed paper counts, co-occurrence
edges from simulated papers, a few typed relations) of N entities is selected with the default
cap, rendered and written; then the page is opened from file:// in headless Chromium with every
request blocked, and the time until the page (laid out when written) is drawn is measured.

    python bench/viz_speed.py                     # 5,000 entities, default cap
    python bench/viz_speed.py --entities 20000 --max-nodes 1000

Targets (issue 7): written in seconds; with the default cap, settled within 10 s. "Settled" is
time to interactive: laid out, fitted to the window and labelled (issue 19). Once settled the
script also reports how many nodes lie outside the opening view, the labels drawn and the
smallest of them in screen pixels, and the time of one frame and of relabelling after a zoom:

    python bench/viz_speed.py --entities 5000 --max-nodes 0 --min-papers 0   # the 5k-node page, nothing left out
Baseline (`--baseline`): pyvis's own path on the whole graph, `Network.from_nx` on the undirected
graph and `generate_html` with `cdn_resources="in_line"`: its write time and the external URLs its
page still loads (from_nx is slow on undirected graphs, and in_line still loads scripts from a CDN).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from paperkg.viz import DEFAULT_MAX_NODES

TYPES = ("Method", "Model", "Dataset", "Task", "Metric", "Concept")
TYPED_RELATIONS = ("usedFor", "evaluatedOn", "comparedWith", "partOf", "hyponymOf")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TARGET_WRITE_S = 5.0
TARGET_SETTLE_S = 10.0


def synthetic_graph(entities: int, seed: int = 7) -> nx.MultiDiGraph:
    """Papers mention 3-8 entities each, popular ones more often (Zipf-like), as in real listings."""
    rng = random.Random(seed)
    papers = entities // 2
    ids = [f"https://example.org/entity/{i}" for i in range(entities)]
    popularity = [1.0 / (i + 1) ** 0.9 for i in range(entities)]
    graph = nx.MultiDiGraph(papers=papers, name=f"synthetic graph ({entities:,} entities)")
    for i, node in enumerate(ids):
        graph.add_node(
            node,
            label=f"entity {i} {rng.choice(TYPES).lower()}",
            type=rng.choice(TYPES),
            aliases=[f"E{i}"],
            papers=0,
            paper_titles=[],
        )
    together: dict[tuple[str, str], int] = {}
    for p in range(papers):
        mentioned = set(rng.choices(ids, weights=popularity, k=rng.randint(3, 8)))
        for node in mentioned:
            data = graph.nodes[node]
            data["papers"] += 1
            if len(data["paper_titles"]) < 3:
                data["paper_titles"].append(f"Synthetic paper {p} on <b>{data['label']}</b>")
        for a in mentioned:
            for b in mentioned:
                if a < b:
                    together[(a, b)] = together.get((a, b), 0) + 1
    for (a, b), count in together.items():
        graph.add_edge(a, b, relation="coOccursWith", weight=count)
        graph.add_edge(b, a, relation="coOccursWith", weight=count)
    for a, b in rng.sample(sorted(together), k=min(len(together), entities // 5)):
        graph.add_edge(a, b, relation=rng.choice(TYPED_RELATIONS), weight=1)
    return graph


# once settled: is the page fitted, are its labels readable, and how long does one frame and one
# relabelling (after a zoom) take; vis-network's renderer._redraw() draws a frame synchronously
_INTERACTIVE = """() => {
    const net = window.paperkg.network;
    const box = document.querySelector('#graph canvas').getBoundingClientRect();
    const outside = Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
        .filter(d => d.x < 0 || d.y < 0 || d.x > box.width || d.y > box.height).length;
    const scale = net.getScale();
    const px = net.body.nodeIndices.map(id => net.body.nodes[id])
        .filter(n => n.options.label && n.labelModule.visible())
        .map(n => n.labelModule.fontOptions.size * scale);
    let t = performance.now();
    net.renderer._redraw();
    const frame = performance.now() - t;
    t = performance.now();
    window.paperkg.placeLabels();
    const relabel = performance.now() - t;
    return {outside: outside, labels: px.length, minLabelPx: px.length ? Math.min(...px) : null,
            frameMs: frame, relabelMs: relabel};
}"""


def settle_seconds(path: Path, timeout_s: float = 120.0) -> tuple[float, int]:
    """Seconds from navigation to the page being interactive (laid out, fitted, labelled), and the
    nodes drawn; also prints what `_INTERACTIVE` measures."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function("() => window.paperkg && window.paperkg.settled", timeout=timeout_s * 1000)
            seconds = time.perf_counter() - start
            drawn = page.evaluate("window.paperkg.network.body.nodeIndices.length")
            after = page.evaluate(_INTERACTIVE)
            print(
                f"interactive: {after['outside']:,} nodes outside the opening view, {after['labels']:,} labels "
                f"(smallest {after['minLabelPx'] or 0:.1f} px), one frame {after['frameMs']:.0f} ms, "
                f"relabelling after a zoom {after['relabelMs']:.0f} ms"
            )
        finally:
            browser.close()
    return seconds, drawn


def pyvis_baseline(graph: nx.MultiDiGraph) -> tuple[float, int]:
    """Seconds for pyvis's own from_nx + in_line page of the whole graph, and its external URLs."""
    from pyvis.network import Network

    simple = nx.Graph()
    simple.add_nodes_from((n, {"label": d["label"], "title": d["label"]}) for n, d in graph.nodes(data=True))
    simple.add_edges_from((u, v, {"weight": w}) for u, v, w in graph.edges(data="weight"))
    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(simple)
    html = net.generate_html()
    seconds = time.perf_counter() - start
    external = re.findall(r"""(?:src|href)\s*=\s*["']?https?://""", html)
    return seconds, len(external)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES, help="0: no cap")
    parser.add_argument("--min-papers", type=int, help="as kg viz --min-papers (default: the command's rule)")
    parser.add_argument("--color-by", choices=("type", "community"), default="type")
    parser.add_argument("--no-browser", action="store_true", help="only time writing the page")
    parser.add_argument(
        "--baseline", action="store_true", help="also time pyvis's from_nx + in_line page of the whole graph (slow)"
    )
    args = parser.parse_args(argv)

    from paperkg.kg.files import write_text
    from paperkg.viz.html import page_html
    from paperkg.viz.select import select

    t0 = time.perf_counter()
    graph = synthetic_graph(args.entities)
    t1 = time.perf_counter()
    selection = select(graph, max_nodes=args.max_nodes, min_papers=args.min_papers)
    html = page_html(selection, color_by=args.color_by)
    out = Path(tempfile.mkdtemp(prefix="viz-bench-")) / "graph.html"
    write_text(out, html)
    t2 = time.perf_counter()
    print(
        f"graph: {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} edges (generated in {t1 - t0:.1f} s)"
    )
    print(
        f"page:  {selection.entities:,} nodes, {selection.graph.number_of_edges():,} edges, "
        f"{out.stat().st_size / 1e6:.2f} MB, selected+rendered+written in {t2 - t1:.2f} s "
        f"(target < {TARGET_WRITE_S:.0f} s) -> {out}"
    )
    ok = t2 - t1 < TARGET_WRITE_S
    if args.baseline:
        seconds, external = pyvis_baseline(graph)
        print(
            f"baseline: pyvis from_nx + in_line, whole graph: written in {seconds:.1f} s, "
            f"{external} external script/style URLs (blank offline)"
        )
    if not args.no_browser:
        if not Path(CHROMIUM).exists():
            print(f"chromium: {CHROMIUM} not found; settle time not measured")
            return 0 if ok else 1
        seconds, drawn = settle_seconds(out)
        print(
            f"settle: {seconds:.2f} s in headless Chromium, {drawn:,} nodes drawn "
            f"(target < {TARGET_SETTLE_S:.0f} s with the default cap)"
        )
        ok = ok and (seconds < TARGET_SETTLE_S or args.max_nodes != DEFAULT_MAX_NODES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
