"""The whole shared corpus on one machine: `kg build` and the readers a user waits for, before and after.

    python -m bench.full_corpus --before /path/to/old/venv/bin/kg [--sizes 10000,20000,40000,71893]
    python -m bench.full_corpus --before OLD_KG --before-sizes 10000 --sizes 10000,20000,71893
    python -m bench.full_corpus --sizes 71893 --before-store STORE --after-store STORE   # readers only

For each size (a seeded sample of the real corpus, a smaller one a prefix of a larger, as
`bench.corpus.real_papers` writes them) and each `kg` (the one given with --before, and this
checkout's), a build into a fresh store with --workers: wall time, the main process's own CPU
beside the workers' (extraction) CPU, peak memory (`bench.process`), and the growth exponent k
in time ~ size^k between sizes (`bench.building.growth`: 1.0 is linear). On the largest stores,
the readers of issue 27, each run from the shell, median of --repeat: the map, a focus page,
lookup, stats --quality and two named queries, and issue 29's `kg trends` and time queries.
Targets: build <= 360 s wall, exponent <= 1.05, the readers as listed in `READERS`. A reader's
first run starts without the files readers keep per store generation (`READER_CACHES`): what
the first reader after a build waits; the median counts the later, warm runs too.

Absolute numbers are for the machine that ran them (the JSON's `machine` block); on a loaded
machine compare the CPU times. Each build's row keeps `host_ms` (`bench.machine.host_ms`, a fixed
workload's CPU just before and after it): a VM's speed drifts by tens of percent within an hour.
A build of the whole corpus takes 6-10 minutes per `kg`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from bench.building import dir_mib, growth
from bench.corpus import real_papers, write_jsonl
from bench.machine import describe, host_ms
from bench.process import run_measured
from paperkg.kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 20_000, 40_000, 71_893)

# (name, arguments after `kg`, target seconds); {store} and {out} are filled in
READERS = (
    ("viz map", ["viz", "--store", "{store}", "-o", "{out}/map.html", "--json"], 10.0),
    ("viz --focus GRPO", ["viz", "--store", "{store}", "-o", "{out}/focus.html", "--focus", "GRPO", "--json"], 5.0),
    ("lookup LLM", ["lookup", "LLM", "--store", "{store}"], 0.5),
    ("stats --quality --top 150", ["stats", "--quality", "--top", "150", "--store", "{store}"], 5.0),
    ("papers-proposing-methods", ["query", "--named", "papers-proposing-methods", "--store", "{store}"], 1.0),
    (
        "cooccurring-entities GRPO",
        ["query", "--named", "cooccurring-entities", "--bind", "entity=GRPO", "--store", "{store}"],
        1.0,
    ),
    # issue 29: trends on the whole corpus
    (
        "trends --new --type Model --top 20",
        ["trends", "--new", "--type", "Model", "--top", "20", "--store", "{store}"],
        2.0,
    ),
    ("trends --rising --top 20", ["trends", "--rising", "--top", "20", "--store", "{store}"], 2.0),
    ("first-appearances", ["query", "--named", "first-appearances", "--timeout", "0", "--store", "{store}"], 2.0),
    ("rising-entities", ["query", "--named", "rising-entities", "--timeout", "0", "--store", "{store}"], 2.0),
    ("bursts", ["query", "--named", "bursts", "--timeout", "0", "--store", "{store}"], 2.0),
)

# What readers keep per store generation (`Store.keep_cache`) and a build does not write (it keeps
# the label index, the trend rows and lookup's hubs, `kg.build.keep_reader_caches`): removed
# before each reader's first run, whose time (`first_*`) is then what the first reader after a
# build waits; the median is of --repeat runs, the first among them.
READER_CACHES = ("counts", "sources")


def build(kg: str, corpus: Path, store: Path, workers: int) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    host_before = host_ms()
    run = run_measured([kg, "build", corpus, "--store", store, "--workers", str(workers), "-q"]).check()
    row = run.summary()
    row["host_ms"] = [host_before, host_ms()]  # the VM's speed just before and after (`host_ms`)
    row["worker_cpu_s"] = round(run.cpu_s - run.main_cpu_s, 1)
    row["store_mib"] = dir_mib(store)
    row["triples"] = Store(store).triples()
    return row


def readers(kg: str, store: Path, out: Path, repeat: int, only: str | None = None) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, args, target in READERS:
        if only is not None and not any(part in name for part in only.split(",")):
            continue
        argv = [kg, *(a.format(store=store, out=out) for a in args)]
        for kept in READER_CACHES:
            for path in (store / "cache").glob(f"{kept}-*.json"):
                path.unlink()
        runs = [run_measured(argv).check() for _ in range(repeat)]
        found[name] = {
            "wall_s": round(statistics.median(r.wall_s for r in runs), 2),
            "cpu_s": round(statistics.median(r.cpu_s for r in runs), 2),
            "first_wall_s": round(runs[0].wall_s, 2),
            "first_cpu_s": round(runs[0].cpu_s, 2),
            "target_s": target,
        }
        print(f"  {name}: {json.dumps(found[name])}", flush=True)
        if name.startswith("viz"):
            found[name]["page_mib"] = round(json.loads(runs[-1].stdout)["bytes"] / 2**20, 2)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="the `kg` of the code to compare with (e.g. another checkout's venv)")
    parser.add_argument("--after", default=shutil.which("kg"), help="the `kg` measured [this environment's]")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="corpus sizes to build")
    parser.add_argument(
        "--before-sizes", help="the sizes built with --before [--sizes]: the old code's biggest builds take long"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each reader (the median is kept)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "full-corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "full-corpus.json")
    parser.add_argument("--before-store", type=Path, help="measure the readers on this store; build nothing")
    parser.add_argument("--after-store", type=Path, help="measure the readers on this store; build nothing")
    parser.add_argument(
        "--readers", metavar="TEXT", help="only the readers whose name holds TEXT (or one of TEXT,TEXT...)"
    )
    args = parser.parse_args(argv)
    kgs = {"before": args.before, "after": args.after}
    results: dict = {"machine": describe(ROOT), "kg": kgs, "builds": {}, "growth": {}, "readers": {}}

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")

    if args.before_store or args.after_store:
        stores = {"before": args.before_store, "after": args.after_store}
    else:
        sizes = sorted(int(s) for s in args.sizes.split(","))
        records = real_papers(max(sizes))
        if records is None:
            raise SystemExit("the shared arXiv corpus is not there (bench.corpus.arxiv_path)")
        corpora = {n: write_jsonl(args.work / f"corpus-{n}.jsonl", records[:n]) for n in sizes}
        stores = {}
        built = {"before": sorted(int(s) for s in (args.before_sizes or args.sizes).split(",")), "after": sizes}
        for which, kg in kgs.items():
            if not kg:
                continue
            rows = []
            for n in built[which]:
                started = time.strftime("%H:%M:%S")
                print(f"{started} {which}: build {n:,} papers ...", flush=True)
                rows.append({"papers_in": n, **build(kg, corpora[n], args.work / f"{which}-{n}", args.workers)})
                shown = ("wall_s", "main_cpu_s", "worker_cpu_s", "main_threads_cpu_s", "harness_cpu_s", "host_ms")
                print(f"  {json.dumps({k: rows[-1][k] for k in shown})}")
                results["builds"][which] = rows
                save()
            results["growth"][which] = growth(rows)
            if max(built[which]) == max(sizes):  # readers compare stores of one size only
                stores[which] = args.work / f"{which}-{max(sizes)}"
    for which, store in stores.items():
        if store and kgs[which]:
            print(f"{which}: readers on {store} ...", flush=True)
            results["readers"][which] = readers(
                kgs[which], store, args.work / f"pages-{which}", args.repeat, args.readers
            )
            save()
    print(json.dumps({k: results[k] for k in ("growth", "readers")}, indent=2))


if __name__ == "__main__":
    main()
