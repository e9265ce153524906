"""`kg build` as a user runs it, at several corpus sizes, and an incremental add against a rebuild.

Every build is a child process of the installed `kg` command on JSON Lines files, into a fresh
store; time, CPU and peak memory come from `bench.process`, the store's size from its directory.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from bench.process import ChildRun, run_measured


def kg_executable() -> str:
    from bench.lookup_speed import kg_executable as find

    return find()


def build_argv(inputs: list[Path], store: Path, workers: int) -> list:
    return [kg_executable(), "build", *inputs, "--store", store, "--workers", str(workers), "-q"]


def dir_mib(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def store_facts(path: Path) -> dict:
    from paperkg.kg.store import Store

    store = Store(path)
    db = store.oxigraph
    count = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/paperkg/ns#%s> }"
    facts = {"triples": len(store), "store_mib": dir_mib(path)}
    for kind in ("Paper", "Mention"):
        facts[kind.lower() + "s"] = int(next(iter(db.query(count % kind)))["n"].value)
    facts["entities"] = int(
        next(
            iter(db.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e <https://w3id.org/paperkg/ns#paperCount> ?c }"))
        )["n"].value
    )
    store.close()
    return facts


def idle_wall_estimate(run: dict, workers: int) -> float:
    """What the wall time would be on an idle machine, at least: the serial part (the main
    process's own CPU) or the whole CPU spread over the workers, whichever is larger."""
    return round(max(run["main_cpu_s"], run["cpu_s"] / max(1, workers)), 1)


def _row(size: int, run: ChildRun, store: Path, workers: int) -> dict:
    row = {"papers_in": size, **run.summary(), **store_facts(store)}
    row["idle_wall_estimate_s"] = idle_wall_estimate(row, workers)
    row["papers_per_s"] = round(size / run.wall_s, 2)
    row["ms_per_paper_cpu"] = round(1000 * run.cpu_s / size, 1)
    return row


def build_sizes(corpora: dict[int, Path], work: Path, workers: int, log=print) -> list[dict]:
    """A fresh store per size; returns one row per size, smallest first."""
    rows = []
    for size in sorted(corpora):
        store = work / f"store-{size}"
        shutil.rmtree(store, ignore_errors=True)
        log(f"build {size:,} papers ...")
        run = run_measured(build_argv([corpora[size]], store, workers)).check()
        rows.append(_row(size, run, store, workers))
        log(
            f"  {run.wall_s:,.1f} s wall, {run.cpu_s:,.1f} s CPU ({run.main_cpu_s:,.1f} s main), "
            f"peak {run.peak_pss_mib:,.0f} MiB, "
            f"{rows[-1]['triples']:,} triples, {rows[-1]['store_mib']:,.0f} MiB on disk"
        )
    return rows


def growth(rows: list[dict]) -> list[dict]:
    """For each step up in size: how time, memory and disk grew, also scaled to a 5x step.

    The exponent k in time ~ size^k: 1 is linear; `per_5x` is the ratio a 5x step would show
    at that exponent (5.0 when linear).
    """
    steps = []
    for a, b in zip(rows, rows[1:]):
        factor = b["papers_in"] / a["papers_in"]
        step = {"from": a["papers_in"], "to": b["papers_in"], "input_ratio": round(factor, 2)}
        for name, key in (
            ("wall", "wall_s"),
            ("cpu", "cpu_s"),
            ("memory", "peak_pss_mib"),
            ("disk", "store_mib"),
            ("triples", "triples"),
        ):
            ratio = b[key] / a[key] if a[key] else float("nan")
            exponent = math.log(ratio) / math.log(factor) if ratio > 0 else float("nan")
            step[f"{name}_ratio"] = round(ratio, 2)
            step[f"{name}_exponent"] = round(exponent, 3)
            step[f"{name}_per_5x"] = round(5**exponent, 2)
        steps.append(step)
    return steps


def incremental(
    base_store: Path, base_corpus: Path, extra: Path, extra_size: int, work: Path, workers: int, log=print
) -> dict:
    """Add `extra` to a copy of `base_store`, and build base + extra from nothing, in the same run."""
    added = work / "store-incremental"
    rebuilt = work / "store-rebuild"
    for path in (added, rebuilt):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(base_store, added)
    log(f"incremental: add {extra_size:,} papers to a copy of {base_store.name} ...")
    add = run_measured(build_argv([extra], added, workers)).check()
    log(f"  {add.wall_s:,.1f} s wall; full rebuild ...")
    full = run_measured(build_argv([base_corpus, extra], rebuilt, workers)).check()
    log(f"  {full.wall_s:,.1f} s wall")
    add_facts, full_facts = store_facts(added), store_facts(rebuilt)
    return {
        "added_papers": extra_size,
        "add": {**add.summary(), **add_facts},
        "rebuild": {**full.summary(), **full_facts},
        "speedup_wall": round(full.wall_s / add.wall_s, 2),
        "speedup_cpu": round(full.cpu_s / add.cpu_s, 2),
        # the incremental store has one more build node; otherwise the graphs should agree
        "triples_difference": add_facts["triples"] - full_facts["triples"],
    }
