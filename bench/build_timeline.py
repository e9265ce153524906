"""Where a build's wall time goes, and how many cores it keeps busy: one `kg build` run in this
process, its end marked phase by phase, the CPU of the process and of its extraction workers
sampled every two seconds.

    python -m bench.build_timeline CORPUS --store DIR [--workers 2] [--out timeline.json]

The build runs as `kg build --workers N` runs it (under the allocator `kg build` preloads,
`kg.allocator`). It prints, for each phase from the last chunk on (the spool's load, the summaries
computed, the last load, the commit with the readers' caches beside the compaction), its wall
time, the process's CPU, the cores busy on average (process and workers together), the CPU of the
build's Python thread and of RocksDB's threads, and the idle core-seconds (cores x wall - CPU):
on an idle machine, what a faster end could still win. The same for the streaming part before the
last chunk. The samples (`--out`) show the cores busy over time.

Oxigraph's loader threads end with each load: their CPU counts in the process's, not in a
thread's. Timings mean something on an idle machine only; compare runs made one after another.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from paperkg.kg import build as building
from paperkg.kg import ingest, spool
from paperkg.kg import store as storing
from paperkg.kg.allocator import relaunched

_TICK = os.sysconf("SC_CLK_TCK")
_CORES = os.cpu_count() or 1

# (module or class, function, mark before the call, mark after it): the build's end in order
_MARKS: list[tuple[Any, str, str | None, str | None]] = [
    (ingest, "_add_chunk", None, "last chunk"),
    (spool.PaperSpool, "load_into", "spool load starts", "spool loaded"),
    (ingest._Pending, "write", None, "summaries computed"),
    (ingest._Loads, "__exit__", None, "last load done"),
    (storing, "_beside", "commit starts", "commit done"),
]


def _cpu(stat_path: str) -> tuple[str, float]:
    """A task's name and CPU seconds (user + system) from its /proc stat file."""
    with open(stat_path) as file:
        stat = file.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    return stat[stat.index("(") + 1 : stat.rindex(")")], (int(fields[11]) + int(fields[12])) / _TICK


def sample() -> dict[str, float]:
    """CPU seconds so far: the process, its Python main thread, RocksDB's threads, the workers."""
    me = os.getpid()
    found = {"process": _cpu(f"/proc/{me}/stat")[1], "build thread": 0.0, "rocksdb": 0.0}
    workers = 0.0
    for task in os.listdir(f"/proc/{me}/task"):
        try:
            name, cpu = _cpu(f"/proc/{me}/task/{task}/stat")
            with open(f"/proc/{me}/task/{task}/children") as file:
                children = file.read().split()
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
        if task == str(me):
            found["build thread"] = cpu
        elif name.startswith("rocksdb"):
            found["rocksdb"] += cpu
        for child in children:  # the pool's workers, children of whichever thread started them
            try:
                workers += _cpu(f"/proc/{child}/stat")[1]
            except FileNotFoundError:
                continue
    times = os.times()
    found["workers"] = workers + times.children_user + times.children_system  # running and ended
    return found


class Timeline:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[str, float, dict[str, float]]] = []
        self.samples: list[dict[str, float]] = []
        self._stop = threading.Event()

    def mark(self, name: str) -> None:
        self.marks.append((name, time.perf_counter() - self.started, sample()))

    def hook(self, owner: Any, name: str, before: str | None, after: str | None) -> None:
        function: Callable = getattr(owner, name)

        def marked(*args: Any, **kwargs: Any) -> Any:
            if before:
                self.mark(before)
            result = function(*args, **kwargs)
            if after:
                self.mark(after)
            return result

        setattr(owner, name, marked)

    def sample_every(self, seconds: float) -> None:
        def run() -> None:
            while not self._stop.wait(seconds):
                self.samples.append({"t": round(time.perf_counter() - self.started, 1), **sample()})

        threading.Thread(target=run, daemon=True, name="timeline").start()

    def stop(self) -> None:
        self._stop.set()
        self.mark("end")


def phases(timeline: Timeline) -> list[dict[str, Any]]:
    """One row a phase between marks kept (the last of each, in time order): streaming ends at
    the last chunk (`_add_chunk` is called once a chunk)."""
    last: dict[str, tuple[float, dict[str, float]]] = {}
    for name, at, cpu in timeline.marks:
        last[name] = (at, cpu)
    ordered = sorted(last.items(), key=lambda item: item[1][0])
    rows = []
    previous = ("start", (0.0, {"process": 0.0, "build thread": 0.0, "rocksdb": 0.0, "workers": 0.0}))
    for name, (at, cpu) in ordered:
        wall = at - previous[1][0]
        used = {key: cpu[key] - previous[1][1][key] for key in cpu}
        busy = used["process"] + used["workers"]
        rows.append(
            {
                "phase": f"{previous[0]} -> {name}",
                "wall_s": round(wall, 1),
                "cpu_s": round(busy, 1),
                "cores": round(busy / wall, 2) if wall else 0.0,
                "build_thread_s": round(used["build thread"], 1),
                "rocksdb_s": round(used["rocksdb"], 1),
                "workers_s": round(used["workers"], 1),
                "idle_core_s": round(max(0.0, _CORES * wall - busy), 1),
            }
        )
        previous = (name, (at, cpu))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--store", required=True, help="a new directory (emptied first)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", help="write the phases and the samples here as JSON")
    args = parser.parse_args()
    environ = relaunched(["build"], os.environ)
    if environ is not None:  # run as `kg build` runs
        os.execve(sys.executable, [sys.executable, "-m", "bench.build_timeline", *sys.argv[1:]], environ)
    shutil.rmtree(args.store, ignore_errors=True)
    timeline = Timeline()
    for hooked in _MARKS:
        timeline.hook(*hooked)
    timeline.sample_every(2.0)
    building.build(storing.Store(args.store), [args.corpus], workers=args.workers)
    timeline.stop()
    rows = phases(timeline)
    print(f"{'phase':<45} {'wall':>7} {'CPU':>7} {'cores':>6} {'build':>7} {'rocksdb':>8} {'idle':>7}")
    for row in rows:
        print(
            f"{row['phase']:<45} {row['wall_s']:>7} {row['cpu_s']:>7} {row['cores']:>6} "
            f"{row['build_thread_s']:>7} {row['rocksdb_s']:>8} {row['idle_core_s']:>7}"
        )
    total_wall = sum(r["wall_s"] for r in rows)
    total_cpu = sum(r["cpu_s"] for r in rows)
    print(f"{'whole build':<45} {total_wall:>7.1f} {total_cpu:>7.1f} {total_cpu / total_wall:>6.2f}")
    if args.out:
        with open(args.out, "w") as file:
            json.dump({"cores": _CORES, "phases": rows, "samples": timeline.samples}, file, indent=1)


if __name__ == "__main__":
    main()
