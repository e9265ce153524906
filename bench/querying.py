"""Every named query on a built store, in paperkg's store and in plain rdflib in-memory SPARQL.

The same triples go to both: the store's graph is dumped as N-Triples and parsed by `rdflib.Graph()`.
Parameters are bound to the most-mentioned entity, method, task and dataset (the slow case), and
every row is read. The timing and binding helpers are bench/query_speed.py's.
"""

from __future__ import annotations

import time
from pathlib import Path


def measure(store_path: Path, work: Path, runs: int = 7, rdflib_runs: int = 3, log=print) -> dict:
    import pyoxigraph as ox
    import rdflib

    from bench.query_speed import median_ms, paperkg_call, parameters, rdflib_call
    from paperkg.kg.queries import named_queries
    from paperkg.kg.query import StoreBackend
    from paperkg.kg.store import Store

    store = Store(store_path).require()
    backend = StoreBackend(store)
    chosen = parameters(backend)
    dump = work / "query-graph.nt"
    started = time.perf_counter()
    store.oxigraph.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    dump_s = time.perf_counter() - started
    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(str(dump), format="nt")
    parse_s = time.perf_counter() - started
    log(f"queries: {len(store):,} triples; rdflib parsed them in {parse_s:.1f} s")
    rows = []
    for query in named_queries().values():
        row = {"query": query.name, "parameters": {p.name: str(chosen.get(p.name)) for p in query.parameters}}
        missing = [p.name for p in query.parameters if p.name not in chosen]
        if missing:
            row["error"] = f"no benchmark value for parameter(s) {', '.join(missing)}"
        else:
            bound = {p.name: chosen[p.name] for p in query.parameters}
            ours, n = median_ms(paperkg_call(backend, query.text, bound), runs)
            theirs, m = median_ms(rdflib_call(graph, query.text, bound), rdflib_runs)
            row.update(
                rows_paperkg=n,
                rows_rdflib=m,
                paperkg_ms=round(ours, 1),
                rdflib_ms=round(theirs, 1),
                ratio=round(theirs / ours, 1) if ours else None,
            )
            log(f"  {query.name:<32} {ours:9.1f} ms  rdflib {theirs:10.1f} ms  {row['ratio']}x")
        rows.append(row)
    dump.unlink(missing_ok=True)
    return {
        "store": store_path.name,
        "triples": len(store),
        "rdflib_triples": len(graph),
        "dump_s": round(dump_s, 1),
        "rdflib_parse_s": round(parse_s, 1),
        "runs": runs,
        "rdflib_runs": rdflib_runs,
        "queries": rows,
    }
