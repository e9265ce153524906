"""Extraction throughput: the local engine (spaCy n_process 1 and 2) beside Dask with 1 and 2 workers.

The corpus is bench/corpus.py's: N distinct papers whose abstracts recombine real abstract
sentences (the demo listings, and SciERC when present). Every run extracts the same papers with
the shipped pipeline and must return exactly the baseline's extractions (local, 1 process).

Besides wall time it reports the CPU seconds of this process and all its descendants (workers,
schedulers, raylets): on a machine busy with other work wall-clock speedups mean little, CPU
time still does. Cold runs include loading the pipeline in every worker process; warm runs reuse
loaded workers (Dask keeps its per-worker extractor; spaCy's n_process pool is started anew by
every call, so local n_process > 1 has no warm case). `--ray` adds Ray actors doing the same
work, for the engine comparison in docs/deploy.md (Ray is not a paperkg dependency).

    python -m bench.distributed_speed --papers 600
    python -m bench.distributed_speed --papers 600 --ray     # needs `pip install ray`
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

from paperkg.extract.records import Paper
from paperkg.kg.build import read
from paperkg.kg.engines import DaskEngine, LocalEngine, local_cluster


def synthetic_papers(n: int) -> list[Paper]:
    """The first `n` papers of bench/corpus.py's corpus, read back as `kg build` reads a user's file."""
    from bench.corpus import load_pool, papers, write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        path = write_jsonl(Path(tmp) / "corpus.jsonl", papers(n, load_pool()))
        found, _, _ = read([str(path)], strict=True, on_problem=lambda p: None)
    return found


def tree_cpu() -> float:
    """CPU seconds of this process and its descendants, including exited ones they reaped."""
    import psutil  # a dependency of dask's distributed

    procs = [psutil.Process()]
    procs += procs[0].children(recursive=True)
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def timed(label: str, run, papers: list[Paper], baseline: list | None, rows: list) -> list:
    cpu, started = tree_cpu(), time.perf_counter()
    out = list(run())
    seconds, cpu = time.perf_counter() - started, tree_cpu() - cpu
    if baseline is not None and out != baseline:
        raise SystemExit(f"{label}: extractions differ from the baseline")
    rows.append((label, seconds, len(papers) / seconds, cpu))
    print(
        f"{label:<34}{seconds:>8.2f} s {len(papers) / seconds:>9.1f} abstracts/s"
        f"{cpu:>9.1f} CPU s {1000 * cpu / len(papers):>7.1f} CPU ms/abstract",
        flush=True,
    )
    return out


def bench_dask(papers, baseline, rows, workers: int) -> None:
    started = time.perf_counter()
    with local_cluster(workers) as cluster:
        print(f"  (dask LocalCluster of {workers} up in {time.perf_counter() - started:.1f} s)")
        engine = DaskEngine(scheduler=cluster.scheduler_address)
        for run in ("cold", "warm"):
            timed(f"dask, {workers} worker(s), {run}", lambda: engine.extract(papers), papers, baseline, rows)


def bench_ray(papers, baseline, rows, workers: int, partition_size: int) -> None:
    import ray

    @ray.remote(num_cpus=1)
    class RayExtractor:
        def __init__(self):
            from paperkg.extract.pipeline import load_extractor

            self.extractor = load_extractor()

        def extract(self, part):
            return list(self.extractor.extract(part, n_process=1))

    started = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    print(f"  (ray with {workers} CPU(s) up in {time.perf_counter() - started:.1f} s)")
    try:
        actors = [RayExtractor.remote() for _ in range(workers)]
        parts = [papers[i : i + partition_size] for i in range(0, len(papers), partition_size)]

        def run():
            refs = [actors[i % workers].extract.remote(part) for i, part in enumerate(parts)]
            for ref in refs:
                yield from ray.get(ref)

        for label in ("cold", "warm"):
            timed(f"ray, {workers} actor(s), {label}", run, papers, baseline, rows)
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--ray", action="store_true", help="also measure Ray actors (pip install ray)")
    args = parser.parse_args()

    papers = synthetic_papers(args.papers)
    words = sum(len(p.title.split()) + len(p.abstract.split()) for p in papers)
    print(
        f"{len(papers)} synthetic papers, {words:,} words; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    rows: list = []
    from paperkg.extract.pipeline import load_extractor

    started = time.perf_counter()
    load_extractor()
    print(f"  (pipeline loaded in this process in {time.perf_counter() - started:.1f} s)")
    baseline = timed("local, n_process=1 (baseline)", lambda: LocalEngine(1).extract(papers), papers, None, rows)
    timed("local, n_process=2", lambda: LocalEngine(2).extract(papers), papers, baseline, rows)
    for workers in (1, 2):  # the engines take turns, so a change in the machine's load hits both
        bench_dask(papers, baseline, rows, workers)
        if args.ray:
            bench_ray(papers, baseline, rows, workers, partition_size=max(1, len(papers) // (4 * workers)))
    _, _, base_rate, base_cpu = rows[0]
    print("\nrelative to the baseline:       throughput   CPU per abstract")
    for label, _, rate, cpu in rows:
        print(f"  {label:<34}{rate / base_rate:>6.2f}x {cpu / base_cpu:>12.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
