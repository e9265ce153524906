"""What the default `kg viz` map of a store shows, and how long the page takes to write.

    python bench/viz_map.py --store /tmp/demo-store
    python bench/viz_map.py --store ./mygraph --max-nodes 500 --min-papers 1 --out map.html

Reads the store's page graph as `kg viz` does, selects with the command's defaults (or the
given --min-papers / --max-nodes), and reports: entities shown, the share of them seen in two or
more papers, the Louvain communities of the shown graph (`viz.communities`, the regions the map
is laid out by), how many have 3 or more members (the regions drawn with a name), their
modularity on the shown graph, and the time to select, lay out and write the page (median of
--repeat runs; reading the store is timed apart). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REGION_MIN = 3  # members of a region the page draws and names (viz/static/page.js)


def measure(store: Path, *, min_papers: int | None, max_nodes: int, repeat: int, out: Path) -> dict:
    import networkx as nx

    from paperkg.kg.files import write_text
    from paperkg.kg.page_graph import page_graph
    from paperkg.kg.store import Store
    from paperkg.viz.attributes import papers_of, weighted_undirected
    from paperkg.viz.communities import communities
    from paperkg.viz.html import page_html
    from paperkg.viz.select import select

    started = time.perf_counter()
    graph = page_graph(Store(store), min_papers=min_papers or 0)
    read_s = time.perf_counter() - started
    options = {"max_nodes": max_nodes} if min_papers is None else {"max_nodes": max_nodes, "min_papers": min_papers}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        selection = select(graph, **options)
        write_text(out, page_html(selection))
        times.append(time.perf_counter() - started)
    shown = selection.graph
    groups = communities(shown)
    simple = weighted_undirected(shown)
    grouped = set().union(*(c.members for c in groups)) if groups else set()
    partition = [set(c.members) for c in groups] + [{n} for n in simple if n not in grouped]
    return {
        "store": str(store),
        "entities_total": selection.total_entities,
        "entities_shown": selection.entities,
        "shared_share": round(sum(1 for n in shown if papers_of(shown, n) >= 2) / max(len(shown), 1), 3),
        "single_paper_left_out": getattr(selection, "single_paper_left_out", 0),
        "communities": len(groups),
        "regions_named": sum(1 for c in groups if len(c.members) >= REGION_MIN),
        "modularity": round(nx.community.modularity(simple, partition, weight="weight"), 3) if simple.size() else None,
        "links_shown": shown.number_of_edges(),
        "read_store_s": round(read_s, 2),
        "write_page_s": round(statistics.median(times), 2),
        "page_mb": round(out.stat().st_size / 1e6, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built paperkg store")
    parser.add_argument("--min-papers", type=int, help="as kg viz --min-papers (default: the command's rule)")
    parser.add_argument("--max-nodes", type=int, default=300, help="as kg viz --max-nodes (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="page writes to time (the median is reported)")
    parser.add_argument("--out", type=Path, help="keep the page here (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paperkg-map-") as work:
        out = args.out or Path(work) / "map.html"
        result = measure(args.store, min_papers=args.min_papers, max_nodes=args.max_nodes, repeat=args.repeat, out=out)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
