"""What the time data costs a build, and how long trends take to compute and show.

    python bench/trends.py build INPUT... --store DIR [--workers 2]   # a build, its time-data share timed inside it
    python bench/trends.py compare INPUT [--workers 2]                # two fresh builds, with and without time data
    python bench/trends.py query --store DIR [--runs 3]               # trend computation and `kg trends` on a store

`build` runs `kg build` in this process with `kg.timeline.TimeChanges` (the whole of the time
data's bookkeeping and write) wrapped in a timer: the share of the build it takes, on the very build measured.
`compare` builds INPUT twice into fresh stores, the second time with `TimeChanges` made a
no-op, and prints both wall times and the ratio (one run each: on a loaded machine, read the
in-build share from `build` beside it). `query` times `trend_report` in this process (the
computation, median of --runs) and `kg trends` from the shell (what a user waits for, with
Python's start-up), beside `python -c pass`: wall and CPU seconds, since on a loaded machine the
wall time stretches and the CPU time does not.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lookup_speed import kg_executable  # noqa: E402
from bench.process import run_measured  # noqa: E402


@contextmanager
def timed_time_data(enabled: bool = True):
    """Time the build's time data as it is tallied and as its lines are made (or, when not
    `enabled`, skip both). The lines are made as the build writes its last load's file
    (`TimeChanges.changes`), so each line is timed as it is taken."""
    from paperkg.kg.timeline import TimeChanges

    spent = [0.0]
    add, changes = TimeChanges.add, TimeChanges.changes

    def timed_add(*args, **kwargs):
        started = time.perf_counter()
        if enabled:
            add(*args, **kwargs)
        spent[0] += time.perf_counter() - started

    def timed_changes(*args, **kwargs):
        lines = changes(*args, **kwargs) if enabled else iter(())
        while True:
            started = time.perf_counter()
            line = next(lines, None)
            spent[0] += time.perf_counter() - started
            if line is None:
                return
            yield line

    TimeChanges.add, TimeChanges.changes = timed_add, timed_changes  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        TimeChanges.add, TimeChanges.changes = add, changes  # type: ignore[method-assign]


def time_data_triples(store_path: Path) -> int:
    from paperkg.kg.store import Store
    from paperkg.kg.terms import pkg

    db = Store(store_path).oxigraph
    predicates = (pkg.periodCount, pkg.period, pkg.papersInPeriod) + (
        pkg.firstSeen,
        pkg.firstPaper,
        pkg.q1Month,
        pkg.medianMonth,
        pkg.q3Month,
    )
    return sum(1 for p in predicates for _ in db.quads_for_pattern(None, p, None))


def build(inputs: list[str], store: Path, workers: int, *, with_time: bool = True) -> dict:
    from paperkg.kg.build import build as run_build
    from paperkg.kg.store import Store

    target = Store(store)
    with timed_time_data(with_time) as spent:
        started = time.perf_counter()
        report = run_build(target, inputs, workers=workers)
        wall = time.perf_counter() - started
    target.close()
    row = {
        "papers": report.new_papers,
        "build_s": round(wall, 1),
        "time_data_s": round(spent[0], 1),
        "time_data_share": round(spent[0] / wall, 4) if wall else 0.0,
        "triples": report.triples_after,
    }
    if with_time:
        row["time_data_triples"] = time_data_triples(store)
    return row


def query(store: Path, runs: int) -> dict:
    from paperkg.kg.store import Store
    from paperkg.kg.trend_report import trend_report

    rows: dict = {}
    for name, options in {
        "all (min 10 papers)": {},
        "rising": {"select": "rising"},
        "new Models": {"select": "new", "type": "Model"},
        "bursts": {"select": "bursts"},
    }.items():
        walls, cpus = [], []
        for _ in range(runs):
            s = Store(store)
            started, cpu = time.perf_counter(), time.process_time()
            report = trend_report(s, **options)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            s.close()
        rows[f"trend_report {name}"] = {
            "median_s": round(statistics.median(walls), 3),
            "median_cpu_s": round(statistics.median(cpus), 3),
            "records": len(report.records),
        }
    kg = kg_executable()
    for label, argv in {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kg trends --rising --top 20": [kg, "trends", "--store", store, "--rising", "--top", "20"],
        "kg trends --new --type Model --top 20": [kg, "trends", "--store", store, "--new", "--type", "Model"],
        "kg trends --json (all)": [kg, "trends", "--store", store, "--json"],
    }.items():
        done = [run_measured(argv).check() for _ in range(runs)]
        rows[label] = {
            "median_s": round(statistics.median(r.wall_s for r in done), 3),
            "median_cpu_s": round(statistics.median(r.cpu_s for r in done), 3),
            "max_s": max(r.wall_s for r in done),
            "load_average": done[-1].load_average,
        }
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build")
    b.add_argument("inputs", nargs="+")
    b.add_argument("--store", type=Path, required=True)
    b.add_argument("--workers", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("input")
    c.add_argument("--workers", type=int, default=2)
    q = sub.add_parser("query")
    q.add_argument("--store", type=Path, required=True)
    q.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if args.what == "build":
        result = build(args.inputs, args.store, args.workers)
    elif args.what == "compare":
        work = Path(tempfile.mkdtemp(prefix="trends-bench-"))
        try:
            with_time = build([args.input], work / "with", args.workers)
            without = build([args.input], work / "without", args.workers, with_time=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result = {
            "with time data": with_time,
            "without": without,
            "ratio": round(with_time["build_s"] / without["build_s"], 3),
        }
    else:
        result = query(args.store, args.runs)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
