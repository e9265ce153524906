"""Extraction throughput: the local engine (spaCy n_process 1 and 2) beside Dask with 1 and 2 workers.

The corpus is synthetic and reproducible: N distinct papers whose abstracts recombine sentences
of the bundled demo abstracts. Every run extracts the same papers with the shipped pipeline and
must return the same extractions in the same order as the baseline (local, 1 process).

Besides wall time it reports the CPU seconds spent by this process and all its descendants
(workers, schedulers, raylets), which stays meaningful on a machine busy with other work, where
wall-clock speedups are not. Cold runs include loading the pipeline in every worker process; warm
runs reuse loaded workers
(Dask keeps its per-worker extractor; spaCy's n_process pool is started anew by every call, so
local n_process > 1 has no warm case). `--ray` adds Ray actors doing the same work, for the
engine comparison in docs/deploy.md (Ray is not a paperkg dependency).

    python bench/distributed_speed.py --papers 2000
    python bench/distributed_speed.py --papers 2000 --ray     # needs `pip install ray`
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import re
import time

from extract.records import Paper
from extract.resources import data_dir
from kg.build import read
from kg.engines import DaskEngine, LocalEngine, local_cluster

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def synthetic_papers(n: int, seed: int = 7) -> list[Paper]:
    demo, _, _ = read([str(data_dir() / "demo")], strict=False, on_problem=lambda p: None)
    sentences = sorted({s for p in demo for s in _SENTENCE_END.split(p.abstract) if len(s) > 30})
    titles = [p.title for p in demo]
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        abstract = " ".join(rng.sample(sentences, rng.randint(5, 9)))
        title = f"{rng.choice(titles)} (variant {i})"
        papers.append(Paper(f"synthetic:{i}", title, abstract, "synthetic.jsonl", i + 1))
    return papers


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
    print(f"{label:<34}{seconds:>8.2f} s {len(papers) / seconds:>9.1f} abstracts/s"
          f"{cpu:>9.1f} CPU s {1000 * cpu / len(papers):>7.1f} CPU ms/abstract", flush=True)
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
            from extract.pipeline import load_extractor

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
    print(f"{len(papers)} synthetic papers, {words:,} words; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    rows: list = []
    from extract.pipeline import load_extractor

    started = time.perf_counter()
    load_extractor()
    print(f"  (pipeline loaded in this process in {time.perf_counter() - started:.1f} s)")
    baseline = timed("local, n_process=1 (baseline)", lambda: LocalEngine(1).extract(papers), papers, None, rows)
    timed("local, n_process=2", lambda: LocalEngine(2).extract(papers), papers, baseline, rows)
    for workers in (1, 2):
        bench_dask(papers, baseline, rows, workers)
    if args.ray:
        for workers in (1, 2):
            bench_ray(papers, baseline, rows, workers, partition_size=max(1, len(papers) // (4 * workers)))
    _, _, base_rate, base_cpu = rows[0]
    print("\nrelative to the baseline:       throughput   CPU per abstract")
    for label, _, rate, cpu in rows:
        print(f"  {label:<34}{rate / base_rate:>6.2f}x {cpu / base_cpu:>12.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
