"""Where an extraction worker's CPU goes, per abstract: the spaCy pipeline, and the rest.

    python bench/worker_split.py [--papers N] [--warm N]

A `kg build --workers N` worker runs, for each batch of papers, the pipeline (`nlp.pipe`), turns
each Doc into records (`doc_to_extraction`), prepares each paper for the writing process
(`kg.ingest.prepare`: `link_locally`, then the paper's own quads as N-Quads) and pickles the batch
back. This times each step on its own, in one process, over N real arXiv abstracts (the seeded
sample `bench/extract_speed.py` reads, after the --warm papers that precede them in it fill the
name caches as a worker's earlier papers would; the garbage collector set as a worker's,
`start_worker`), and the writing process's unpickling of what the
workers send. CPU time of this process (`time.process_time`), so other jobs on a shared machine
distort it less; model load excluded. Compare checkouts by running each in its own environment,
alternating.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

BATCH = 64  # the papers a worker extracts and sends back at a time (`Extractor.extract`)
LINKING = "  of which link_locally (run again)"
UNPICKLING = "unpickling (writing process)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--warm", type=int, default=500, help="papers run first, untimed")
    args = parser.parse_args()

    from bench.extract_speed import arxiv_papers
    from paperkg.extract.ops import one_blas_thread
    from paperkg.extract.pipeline import doc_to_extraction, load_extractor, start_worker, text_of
    from paperkg.kg.ingest import prepare
    from paperkg.kg.linking import link_locally

    papers = arxiv_papers(args.warm + args.papers)
    if papers is None:
        sys.exit("needs the arXiv corpus (../shared/data/arxiv-ai/ or $PAPERKG_ARXIV)")
    extractor = load_extractor()
    writer_gc = gc.get_threshold()
    start_worker()  # the garbage collector as a worker runs it, the model loaded
    name = f"{extractor.name} {extractor.version}"
    clock = time.process_time

    def split(part: list) -> tuple[dict[str, float], list, list[bytes]]:
        spent: dict[str, float] = {}
        started = clock()
        with one_blas_thread():
            docs = list(extractor.nlp.pipe(map(text_of, part), batch_size=BATCH))
        spent["pipeline (nlp.pipe)"], started = clock() - started, clock()
        records = [doc_to_extraction(d, p, name) for d, p in zip(docs, part)]
        spent["doc_to_extraction"], started = clock() - started, clock()
        prepared = [prepare(r) for r in records]
        spent["prepare (link_locally + own N-Quads)"], started = clock() - started, clock()
        for r in records:  # again: its caches warm now
            link_locally(r)
        spent[LINKING], started = clock() - started, clock()
        sent = [pickle.dumps(prepared[i : i + BATCH], pickle.HIGHEST_PROTOCOL) for i in range(0, len(prepared), BATCH)]
        spent["pickling a batch back"], started = clock() - started, clock()
        worker_gc = gc.get_threshold()
        gc.set_threshold(*writer_gc)  # the writing process collects as Python does by default
        started = clock()
        for batch in sent:
            pickle.loads(batch)
        spent[UNPICKLING] = clock() - started
        gc.set_threshold(*worker_gc)
        return spent, prepared, sent

    split(papers[: args.warm])
    spent, prepared, sent = split(papers[args.warm :])
    n = len(prepared)
    worker = sum(v for k, v in spent.items() if k not in (LINKING, UNPICKLING))
    print(f"{n} arXiv abstracts after {args.warm} warm-up ones; CPU ms per abstract (share of the worker's)")
    for step, seconds in spent.items():
        share = "" if step == UNPICKLING else f" ({100 * seconds / worker:4.1f}%)"
        print(f"  {step:38} {1000 * seconds / n:6.2f}{share}")
    print(f"  {'worker in all':38} {1000 * worker / n:6.2f}")
    nquads = sum(len(p.nquads) for p in prepared)
    print(f"  sent back: {sum(map(len, sent)) / n / 1024:.1f} KiB per abstract, N-Quads {nquads / n / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
