"""What the store costs to take the same quads in loads of different sizes, alternating, in one run.

    python -m bench.store_loads STORE [--loads 200000,850000] [--repeat 3]

The quads of a built store (`kg build`'s, say of 10,000 papers) are dumped as N-Quads and
shuffled with a fixed seed: Oxigraph keys its indexes by hashes, so a build's writes land all
over the key space, as shuffled lines do (lines in dump order would give each load a key range
of its own, which RocksDB takes without compacting). Then, for each load size in turn, --repeat
times, a child process bulk-loads the lines into a fresh Oxigraph database in slices of that
many quads, optimizes it (as `kg build` does after a large write) and closes it: its CPU time
(`bench.process`), RocksDB's background compaction threads included. Compare the medians; on a
machine shared with other jobs only the CPU times mean anything.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from bench.machine import describe
from bench.process import run_measured
from paperkg.kg.store import Store

ROOT = Path(__file__).resolve().parent.parent

# Run in a child: argv = N-Quads file, database directory, quads per load.
CHILD = """
import sys
import pyoxigraph as ox
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
size = int(sys.argv[3])
db = ox.Store(sys.argv[2])
for start in range(0, len(lines), size):
    db.bulk_load(b"".join(lines[start : start + size]), ox.RdfFormat.N_QUADS, lenient=True)
db.optimize()
db.flush()
"""


def shuffled_nquads(store: Path, path: Path, seed: int = 0) -> int:
    """Write the quads of `store` to `path` as N-Quads lines in a seeded random order; returns how many."""
    dumped = Store(store).oxigraph.dump(format=ox.RdfFormat.N_QUADS)
    assert dumped is not None  # dump returns the bytes when given no output
    lines = dumped.splitlines(keepends=True)
    random.Random(seed).shuffle(lines)
    path.write_bytes(b"".join(lines))
    return len(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a built paperkg store whose quads are loaded")
    parser.add_argument("--loads", default="200000,850000", help="quads per load, compared")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "store-loads.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.loads.split(",")]
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="paperkg-loads-") as tmp:
        nquads = Path(tmp) / "quads.nq"
        quads = shuffled_nquads(args.store, nquads)
        for _ in range(args.repeat):
            for size in sizes:
                db = Path(tmp) / f"db-{size}"
                run = run_measured([sys.executable, "-c", CHILD, nquads, db, str(size)]).check()
                shutil.rmtree(db)
                runs[size].append({"cpu_s": round(run.cpu_s, 1), "wall_s": round(run.wall_s, 1)})
                print(f"  {size:,} quads a load: {json.dumps(runs[size][-1])}", flush=True)
    results: dict = {
        "machine": describe(ROOT),
        "quads": quads,
        "loads": {
            size: {"median_cpu_s": statistics.median(r["cpu_s"] for r in rows), "runs": rows}
            for size, rows in runs.items()
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps({size: row["median_cpu_s"] for size, row in results["loads"].items()}))


if __name__ == "__main__":
    main()
