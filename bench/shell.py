"""`kg lookup` and `kg viz` timed from the shell, as child processes of the installed `kg` command.

Lookup terms are picked from the store so that the worst cases are in: the most-mentioned entity
by name and by acronym, a rare entity, a misspelling (fuzzy suggestions, with the label cache
dropped and then warm) and a term that matches nothing. `python -c pass` and `kg --help` are
timed beside them as the floor any command pays.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from bench.building import kg_executable
from bench.process import run_measured

PKG = "https://w3id.org/paperkg/ns#"


def _one(store, sparql: str) -> str | None:
    row = next(iter(store.query(sparql)), None)
    return row[0].value if row is not None else None


def lookup_terms(store_path: Path) -> dict[str, str]:
    from paperkg.kg.store import Store

    store = Store(store_path).require()
    hub = _one(
        store,
        f"SELECT ?l WHERE {{ ?e <{PKG}paperCount> ?n ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} "
        "ORDER BY DESC(?n) ?l LIMIT 1",
    )
    acronym = _one(
        store, f"SELECT ?a WHERE {{ ?e <{PKG}acronym> ?a ; <{PKG}paperCount> ?n }} ORDER BY DESC(?n) ?a LIMIT 1"
    )
    rare = _one(
        store,
        f"SELECT ?l WHERE {{ ?e <{PKG}paperCount> 1 ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} "
        "ORDER BY ?l LIMIT 1",
    )
    store.close()
    terms = {"hub entity": hub, "hub acronym": acronym, "rare entity": rare}
    if hub and len(hub) > 3:
        terms["misspelt hub (fuzzy)"] = hub[:2] + hub[3] + hub[2] + hub[4:]
    terms["no match"] = "zzqxj"
    return {label: term for label, term in terms.items() if term}


def _median_run(argv: list, runs: int, before=None, ok=(0,)) -> tuple[dict, str]:
    """Median wall time of `runs` runs, and the last run's stdout."""
    results = []
    for _ in range(runs):
        if before:
            before()
        run = run_measured(argv)
        if run.returncode not in ok:
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {run.returncode}: {run.stderr.strip()[-500:]}")
        results.append(run)
    walls = [r.wall_s for r in results]
    return {
        "median_s": round(statistics.median(walls), 3),
        "min_s": min(walls),
        "max_s": max(walls),
        "max_rss_mib": max(r.max_rss_mib for r in results),
        "runs": runs,
    }, results[-1].stdout


def measure_lookup(store_path: Path, runs: int = 5, log=print) -> dict:
    kg = kg_executable()
    base = [kg, "lookup", "--store", store_path]
    cache = store_path / "cache"

    def drop_cache():
        shutil.rmtree(cache, ignore_errors=True)

    rows = {
        "python -c pass": _median_run([sys.executable, "-c", "pass"], runs)[0],
        "kg --help": _median_run([kg, "--help"], runs)[0],
    }
    for label, term in lookup_terms(store_path).items():
        ok = (0, 1)  # 1: nothing matched, which is a measured case too
        if label.startswith("misspelt"):
            rows[f"{label}, cache cold"] = {"term": term, **_median_run(base + [term], runs, drop_cache, ok)[0]}
            rows[f"{label}, cache warm"] = {"term": term, **_median_run(base + [term], runs, None, ok)[0]}
        else:
            rows[label] = {"term": term, **_median_run(base + [term], runs, None, ok)[0]}
        log(f"  lookup {label}: {term!r}")
    return {
        "store": store_path.name,
        "rows": rows,
        "slowest_lookup_s": max(r["median_s"] for k, r in rows.items() if "term" in r),
    }


def measure_viz(store_path: Path, work: Path, runs: int = 3, log=print) -> dict:
    import json

    output = work / "viz.html"
    argv = [kg_executable(), "viz", "--store", store_path, "-o", output, "--json"]
    timing, stdout = _median_run(argv, runs)
    summary = json.loads(stdout)
    html_bytes = output.stat().st_size
    log(f"  viz: {timing['median_s']:.2f} s, {html_bytes / 1e6:.2f} MB")
    result = {
        "store": store_path.name,
        **timing,
        "html_mib": round(html_bytes / 2**20, 2),
        "entities_total": summary.get("entities_total"),
        "entities_shown": summary.get("entities_shown"),
        "links_shown": summary.get("links_shown"),
    }
    output.unlink(missing_ok=True)
    return result
