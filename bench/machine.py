"""What the numbers were measured on: cores, CPU, memory, Python, package versions, load."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = ("paperkg", "spacy", "thinc", "pyoxigraph", "rdflib", "networkx", "pyvis", "numpy", "click")
NOTE = "absolute numbers are for this machine only; compare ratios, and runs made on the same machine"


def _cpuinfo_field(name: str) -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def cores() -> int:
    """Cores this process may run on (what a build's --workers should use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git(root: Path) -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


_PROBE_TEXT = "We propose GRPO-2, a group relative policy optimisation method (evaluated on GSM8K and MATH). " * 40
_PROBE_WORDS = re.compile(r"\b[A-Z][\w-]*\b")


def _probe_once() -> float:
    started = time.process_time()
    counts: dict[str, int] = {}
    for _ in range(500):
        for word in _PROBE_WORDS.findall(_PROBE_TEXT):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
        "".join(sorted(_PROBE_TEXT.split()))
    return time.process_time() - started


def host_ms(runs: int = 7) -> float:
    """CPU milliseconds of a fixed pure-Python workload (regex, dict, sort: what paperkg's Python
    does), median of `runs`: the same code on the same VM has run 1.5x slower in some hours than
    in others, so a build's time is read beside this (lower is faster)."""
    return round(1000 * statistics.median(_probe_once() for _ in range(runs)), 1)


def describe(root: Path) -> dict:
    return {
        "note": NOTE,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "hostname": platform.node(),
        "cores": cores(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpuinfo_field("model name") or platform.processor() or None,
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "git": _git(root),
        "load_average_at_start": load_average(),
        "host_ms": host_ms(),
    }


def label(info: dict) -> str:
    """One line for the head of the table."""
    return (
        f"{info['cores']} cores, {info['cpu_model']}, {info['memory_gib']} GiB, Python {info['python']}, "
        f"spaCy {info['packages']['spacy']}, pyoxigraph {info['packages']['pyoxigraph']}, "
        f"rdflib {info['packages']['rdflib']}; load average at start {info['load_average_at_start']}"
    )
