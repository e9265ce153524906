"""Extraction throughput on one text set: the bare tokenizers (the ceiling), the spaCy pipeline,
and paperkg's extractor on one process and on all cores.

One-process rates are measured on this process's CPU time, so other jobs on a shared machine do
not distort them (wall time is kept beside it); the all-cores row can only be wall time, and it
includes starting the worker processes and loading the pipeline in each, as `kg build` pays.
`measure` works on any list of `Paper` and is meant to be shared by bench/extract_speed.py.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from paperkg.extract.records import Paper


def _timed(call: Callable[[], object], runs: int, min_s: float = 0.5) -> dict:
    """Median seconds per call over `runs` runs; a run repeats a fast call for at least `min_s`."""
    cpu, wall = [], []
    for _ in range(runs):
        calls = 0
        c, w = time.process_time(), time.perf_counter()
        while not calls or time.process_time() - c < min_s:
            call()
            calls += 1
        cpu.append((time.process_time() - c) / calls)
        wall.append((time.perf_counter() - w) / calls)
    return {"cpu_s": round(statistics.median(cpu), 4), "wall_s": round(statistics.median(wall), 4), "runs": runs}


def _rates(timing: dict, papers: int, words: int, clock: str) -> dict:
    seconds = timing[clock]
    return {
        **timing,
        "clock": clock,
        "abstracts_per_s": round(papers / seconds, 1),
        "words_per_s": round(words / seconds),
    }


def measure(papers: list[Paper], processes: int, runs: int = 3, model=None) -> dict:
    """Rates of every stage on `papers`; medians of `runs` runs."""
    import spacy

    from paperkg.extract.pipeline import load_extractor, text_of

    started = time.perf_counter()
    extractor = load_extractor(model)
    load_s = time.perf_counter() - started
    texts = [text_of(p) for p in papers]
    words = sum(len(t.split()) for t in texts)
    list(extractor.extract(papers[:20]))  # warm-up: first-call allocations are not throughput
    blank = spacy.blank("en")

    def tokenize(tokenizer):
        call = lambda: [tokenizer(t) for t in texts]  # noqa: E731
        call()  # warm the tokenizer's caches, as they are on a long run
        return call

    rows = {
        "spacy_blank_tokenizer": _rates(_timed(tokenize(blank.tokenizer), runs), len(texts), words, "cpu_s"),
        "paperkg_tokenizer": _rates(_timed(tokenize(extractor.nlp.tokenizer), runs), len(texts), words, "cpu_s"),
        "spacy_pipeline_1_process": _rates(
            _timed(lambda: list(extractor.nlp.pipe(texts)), runs), len(texts), words, "cpu_s"
        ),
        "extractor_1_process": _rates(
            _timed(lambda: list(extractor.extract(papers)), runs), len(texts), words, "cpu_s"
        ),
    }
    if processes > 1:
        timing = _timed(lambda: list(extractor.extract(papers, n_process=processes)), runs, min_s=0)
        rows[f"extractor_{processes}_processes"] = _rates(timing, len(texts), words, "wall_s")
    one = rows["extractor_1_process"]
    return {
        "papers": len(papers),
        "words": words,
        "processes": processes,
        "pipeline": list(extractor.nlp.pipe_names),
        "pipeline_load_s": round(load_s, 2),
        "rows": rows,
        "per_core_abstracts_per_s": one["abstracts_per_s"],
        "share_of_tokenizer_ceiling": round(one["words_per_s"] / rows["spacy_blank_tokenizer"]["words_per_s"], 4),
    }
