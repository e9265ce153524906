"""What Oxigraph's bulk loads at a build's end cost, on the files a real build loads, alternating.

    python -m bench.end_loads CORPUS --work DIR [--repeat 2] [--variants four,one,sorted,shuffled,strict]
                              [--allocators glibc,mimalloc,mimalloc:MIMALLOC_PURGE_DELAY=-1+...]

First a child `kg build`s CORPUS (`--workers 2`, into DIR/store) and keeps a copy of every N-Quads
file its end loads (`kg.store.load_nquads_file`: the spool, then the descriptions, the time data
and the support) as DIR/load-1.nq ...; a DIR that holds them from an earlier run is reused. Then,
--repeat times, each variant in turn, a child bulk-loads the same quads by path (as the build
does) into a fresh database, waits for RocksDB's background compaction to end, and optimizes and
flushes it (the build's commit). Its CPU time (`bench.process`: the loader's own threads, which
end with the load, included) and the part of RocksDB's threads.

- four: the files one load each, in the build's order (what a build does);
- one: the files as one file, one load;
- sorted: `one` with its lines sorted (a subject's quads together, graphs apart);
- shuffled: `one` with its lines in a seeded random order;
- strict: `one` loaded without `lenient` (IRIs and language tags checked).

With `--allocators glibc,mimalloc` each variant also loads under mimalloc, preloaded as `kg build`
preloads it (`kg.allocator`): the loader keeps each key as an allocation of its own, and glibc's
allocator took a quarter of a load's CPU (bench/results/2026-12-07-issue27-allocator.md).
`mimalloc:NAME=VALUE+NAME=VALUE` loads under mimalloc with those of its options set in the
environment (bench/results/2026-12-07-issue27-allocator-options.md).

Compare the medians of CPU time; on a machine shared with other jobs the wall times mean little.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
from pathlib import Path

from bench.machine import describe
from bench.process import run_measured
from paperkg.kg.allocator import library

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("four", "one", "sorted", "shuffled", "strict")
ALLOCATORS = ("glibc", "mimalloc")

# Run in a child: argv = corpus, store, file prefix. Builds as `kg build --workers 2` does, copying
# each end load's file before it loads.
CAPTURE = """
import shutil, sys
from paperkg.kg import build, ingest, spool, store
loaded = store.load_nquads_file
copies = []
def copy_and_load(db, file):
    file.flush()
    copies.append(f"{sys.argv[3]}{len(copies) + 1}.nq")
    shutil.copyfile(f"/proc/self/fd/{file.fileno()}", copies[-1])
    loaded(db, file)
spool.load_nquads_file = ingest.load_nquads_file = copy_and_load
build.build(store.Store(sys.argv[2]), [sys.argv[1]], workers=2)
"""

# Run in a child: argv = database, "strict" or "lenient", files loaded one after another.
LOAD = """
import os, sys, time
import pyoxigraph as ox
def compaction_cpu():
    ticks = 0
    for task in os.listdir("/proc/self/task"):
        stat = open(f"/proc/self/task/{task}/stat").read()
        if stat[stat.index("(") + 1 :].startswith("rocksdb"):
            ticks += sum(int(t) for t in stat[stat.rindex(")") + 2 :].split()[11:13])
    return ticks / os.sysconf("SC_CLK_TCK")
db = ox.Store(sys.argv[1])
for path in sys.argv[3:]:
    db.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=sys.argv[2] == "lenient")
last = -1.0
while (now := compaction_cpu()) != last:  # RocksDB compacts the loaded files in the background
    last = now
    time.sleep(0.5)
db.optimize()
db.flush()
print(compaction_cpu(), len(db))
"""


def captured(work: Path) -> list[Path]:
    return sorted(work.glob("load-*.nq"), key=lambda p: int(p.stem.split("-")[1]))


def write_variants(files: list[Path], work: Path, variants: list[str]) -> dict[str, list[Path]]:
    """The files each variant loads, written under `work` once."""
    one = work / "one.nq"
    lines: list[bytes] = []
    if not one.exists() or "sorted" in variants or "shuffled" in variants:
        lines = [line for f in files for line in f.read_bytes().splitlines(keepends=True)]
        one.write_bytes(b"".join(lines))
    if "sorted" in variants:
        (work / "sorted.nq").write_bytes(b"".join(sorted(lines)))
    if "shuffled" in variants:
        random.Random(0).shuffle(lines)
        (work / "shuffled.nq").write_bytes(b"".join(lines))
    other = {"one": [one], "strict": [one], "sorted": [work / "sorted.nq"], "shuffled": [work / "shuffled.nq"]}
    return {"four": files, **other}


def _environment(allocator: str) -> dict[str, str] | None:
    """The environment a load runs in under `allocator` (None: this process's, glibc's): glibc,
    mimalloc, or mimalloc with options (`mimalloc:MIMALLOC_PURGE_DELAY=-1+MIMALLOC_...=...`)."""
    if allocator == "glibc":
        return None
    path = library()
    if path is None:
        sys.exit("mimalloc's library is not installed (cmeel-mimalloc, a Linux dependency of paperkg)")
    options = dict(option.split("=", 1) for option in allocator.partition(":")[2].split("+") if option)
    return {**os.environ, **options, "LD_PRELOAD": str(path)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus a build loads at its end (kg build's input)")
    parser.add_argument("--work", type=Path, required=True, help="where the build and the loaded files go")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument(
        "--allocators", default="glibc", help="glibc, mimalloc, mimalloc:NAME=VALUE+...: each variant under each"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "end-loads.json")
    args = parser.parse_args(argv)
    allocators = args.allocators.split(",")
    if not {a.partition(":")[0] for a in allocators} <= set(ALLOCATORS):
        parser.error(f"--allocators: choose among {', '.join(ALLOCATORS)}")
    environments = {a: _environment(a) for a in allocators}
    variants = [v if allocators == ["glibc"] else f"{v} {a}" for v in args.variants.split(",") for a in allocators]
    args.work.mkdir(parents=True, exist_ok=True)
    if not captured(args.work):
        run_measured([sys.executable, "-c", CAPTURE, args.corpus, args.work / "store", args.work / "load-"]).check()
    files = captured(args.work)
    loaded = write_variants(files, args.work, [v.partition(" ")[0] for v in variants])
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    for _ in range(args.repeat):
        for variant in variants:
            files_of, _, allocator = variant.partition(" ")
            db = args.work / "db"
            shutil.rmtree(db, ignore_errors=True)
            mode = "strict" if files_of == "strict" else "lenient"
            argv = [sys.executable, "-c", LOAD, db, mode, *loaded[files_of]]
            run = run_measured(argv, env=environments[allocator or "glibc"]).check()
            shutil.rmtree(db)
            compaction, quads = run.stdout.split()
            row = {"cpu_s": round(run.cpu_s, 1), "compaction_cpu_s": float(compaction), "wall_s": round(run.wall_s, 1)}
            runs[variant].append({**row, "quads": int(quads), "load_average": run.load_average[0]})
            print(f"  {variant}: {json.dumps(runs[variant][-1])}", flush=True)
    results = {
        "machine": describe(ROOT),
        "files": {f.name: f.stat().st_size for f in files},
        "variants": {
            v: {"median_cpu_s": statistics.median(r["cpu_s"] for r in rows), "runs": rows} for v, rows in runs.items()
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps({v: row["median_cpu_s"] for v, row in results["variants"].items()}))


if __name__ == "__main__":
    main()
