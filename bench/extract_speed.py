"""Extractor speed on one core: abstracts/s and words/s, against the bare tokenizer's ceiling.

    python bench/extract_speed.py [--papers N] [--model DIR] [--processes N] [--scierc FILE]

Rows: the tokenizer alone (the ceiling), the whole spaCy pipeline, the extractor with every
recogniser member voting, and the extractor as `--fast` runs it (one member), in the same run.

Target: at least 100 abstracts/s per core for the whole extractor. Papers are the seed listings in
data/demo (about 230 words each), repeated to N, or with --scierc the abstracts of a SciERC-format
file (about 130 words each, as in docs/MEASURED.md's baseline). Single-process rates use this
process's CPU time, so other jobs on a shared machine do not distort them; the multi-process row
(--processes > 1) is wall time."""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def scierc_papers(path: str, n: int):
    from paperkg.extract.records import Paper
    from paperkg.extract.scierc import read_scierc

    papers = [Paper(g.key, "", " ".join(g.words), path, i) for i, g in enumerate(read_scierc(path), 1)]
    return (papers * (n // len(papers) + 1))[:n]


def demo_papers(n: int):
    from paperkg.extract.readers import read_papers
    from paperkg.extract.resources import data_dir

    papers = read_papers(data_dir() / "demo").papers
    return (papers * (n // len(papers) + 1))[:n]


def rate(label: str, seconds: float, n: int, words: int) -> None:
    print(f"{label:34} {n / seconds:8.1f} abstracts/s {words / seconds:10,.0f} words/s ({seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--model", default=None)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--scierc", default=None, help="time SciERC-format abstracts instead of the demo listings")
    args = parser.parse_args()

    from paperkg.extract.pipeline import load_extractor, text_of

    papers = scierc_papers(args.scierc, args.papers) if args.scierc else demo_papers(args.papers)
    extractor = load_extractor(args.model)
    texts = [text_of(p) for p in papers]
    words = sum(len(t.split()) for t in texts)
    list(extractor.extract(papers[:20]))  # warm-up

    clock = time.process_time
    started = clock()
    for text in texts:
        extractor.nlp.make_doc(text)
    rate("tokenizer only (ceiling), CPU", clock() - started, len(texts), words)

    started = clock()
    list(extractor.nlp.pipe(texts))
    rate("spaCy pipeline (nlp.pipe), CPU", clock() - started, len(texts), words)

    started = clock()
    list(extractor.extract(papers))
    rate("extractor, 1 process, CPU", clock() - started, len(texts), words)

    fast = load_extractor(args.model, members=1)
    list(fast.extract(papers[:20]))
    started = clock()
    list(fast.extract(papers))
    rate("extractor --fast, 1 process, CPU", clock() - started, len(texts), words)

    if args.processes > 1:
        started = time.perf_counter()
        list(extractor.extract(papers, n_process=args.processes))
        rate(f"extractor, {args.processes} processes, wall", time.perf_counter() - started, len(texts), words)


if __name__ == "__main__":
    main()
