"""Run a command as a child process and measure it: wall time, CPU time, peak memory.

Peak memory is taken two ways, without psutil:

- ``peak_pss_mib``: the child and all its descendants (spaCy's worker processes, say); each
  process counts its proportional set size, so pages shared after a fork are not counted twice.
  Read when the tree's resident size (cheap, sampled every `interval` seconds) reaches a new high
  by 2%, at most once a second: reading ``smaps_rollup`` walks a process's page tables (13 ms of
  CPU for a 1.1 GB build, more as it grows), and read every 0.1 s it took a fifth of a core from
  the build it measured. Short spikes between samples can be missed, and the peak read can be up
  to 2% below the real one.
- ``max_rss_mib``: the largest single process of the tree: the highest ``VmHWM`` (the kernel's
  exact resident high-water mark) seen for any of them. Not ``wait4``'s ``ru_maxrss``: a child
  inherits the high-water mark of the process it was forked from, so that figure shows this
  harness's own size whenever it is larger than the child.

CPU time (user + system) also comes from ``wait4`` and includes waited-for descendants, so it is
the work done whatever else the machine was running; wall time is not. ``harness_cpu_s`` is the
CPU this harness's sampling took, beside the child, on the same cores. ``main_cpu_s`` is the
child's own CPU time (its last /proc sample): the part no worker process can take over, so on an
idle machine the wall time is at least the larger of it and ``cpu_s`` / cores. ``main_threads_cpu_s``
splits it by thread name (a thread's last sample; numbered threads of one pool summed), so the
Python thread of a build shows apart from the store's own threads (RocksDB's compaction pool,
``rocksdb:low``); a thread that ends between samples loses its last `interval` of CPU.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.machine import load_average

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class ChildRun:
    argv: list[str]
    returncode: int
    wall_s: float
    cpu_s: float
    main_cpu_s: float
    main_threads_cpu_s: dict[str, float]
    peak_pss_mib: float
    max_rss_mib: float
    harness_cpu_s: float
    load_average: list[float]  # when the run ended
    stdout: str
    stderr: str

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("stdout")
        data["stderr"] = self.stderr[-2000:]
        data["argv"] = [str(a) for a in self.argv]
        return data

    def check(self) -> ChildRun:
        if self.returncode != 0:
            last = " / ".join(self.stderr.strip().splitlines()[-3:])
            raise RuntimeError(f"{' '.join(map(str, self.argv))} exited {self.returncode}: {last}")
        return self


def _children(pid: int) -> list[int]:
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
            found.extend(int(c) for c in text.split())
    except (OSError, ValueError):
        pass
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(_children(p))
    return pids


def _high_water_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size of `pid` (resident size where smaps_rollup is unavailable)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return _rss_kib(pid)


def _rss_kib(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _cpu_ticks(stat: str) -> tuple[str, int] | None:
    """The name and CPU ticks of a process or thread from the text of its /proc `stat` file."""
    try:
        name, fields = stat.split("(", 1)[1].rsplit(")", 1)
        numbers = fields.split()
        return name, int(numbers[11]) + int(numbers[12])  # utime, stime (fields 14 and 15 of stat)
    except (ValueError, IndexError):
        return None


def _own_cpu_ticks(pid: int) -> int | None:
    try:
        found = _cpu_ticks(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return None
    return None if found is None else found[1]


def _thread_ticks(pid: int) -> dict[str, tuple[str, int]]:
    """Each thread of `pid` by thread id: its name and CPU ticks."""
    found = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            ticks = _cpu_ticks(Path(f"/proc/{pid}/task/{tid}/stat").read_text())
        except OSError:
            continue  # the thread ended
        if ticks is not None:
            found[tid] = ticks
    return found


def threads_by_name(threads: dict[str, tuple[str, int]]) -> dict[str, float]:
    """CPU seconds per thread name, most first; a pool's numbered threads (`rocksdb:low0`,
    `rocksdb:low1`) count as one name."""
    seconds: dict[str, float] = {}
    for name, ticks in threads.values():
        pool = name.rstrip("0123456789")
        seconds[pool] = seconds.get(pool, 0.0) + ticks / _TICK
    return {name: round(cpu, 2) for name, cpu in sorted(seconds.items(), key=lambda item: -item[1])}


class _Sampler(threading.Thread):
    PSS_GROWTH = 1.02  # the tree's resident size must grow this much before PSS is read again
    PSS_EVERY_S = 1.0  # and no sooner than this after the last read

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.largest_kib = 0
        self.own_ticks = 0
        self.threads: dict[str, tuple[str, int]] = {}
        self.cpu_s = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        rss_read, read_at = 0, float("-inf")  # the tree's resident size at the last PSS read, and when
        while not self.done.is_set():
            tree = _tree(self.pid)
            rss = sum(_rss_kib(p) for p in tree)
            now = time.monotonic()
            if rss >= rss_read * self.PSS_GROWTH and now - read_at >= self.PSS_EVERY_S:
                self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in tree))
                rss_read, read_at = rss, now
            self.largest_kib = max([self.largest_kib, *(_high_water_kib(p) for p in tree)])
            ticks = _own_cpu_ticks(self.pid)
            self.own_ticks = self.own_ticks if ticks is None else ticks
            self.threads.update(_thread_ticks(self.pid))
            self.cpu_s = time.thread_time()
            self.done.wait(self.interval)


def run_measured(argv: list, *, cwd: Path | None = None, env: dict | None = None, interval: float = 0.1) -> ChildRun:
    """Run `argv` to completion (output captured to files, so no pipe can fill) and measure it."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([str(a) for a in argv], cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        sampler = _Sampler(child.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
        out.seek(0)
        err.seek(0)
        return ChildRun(
            argv=list(argv),
            returncode=child.returncode,
            wall_s=round(wall, 3),
            cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
            main_cpu_s=round(sampler.own_ticks / _TICK, 2),
            main_threads_cpu_s=threads_by_name(sampler.threads),
            peak_pss_mib=round(sampler.peak_kib / 1024, 1),
            max_rss_mib=round(sampler.largest_kib / 1024, 1),
            harness_cpu_s=round(sampler.cpu_s, 2),
            load_average=load_average(),
            stdout=out.read(),
            stderr=err.read(),
        )
