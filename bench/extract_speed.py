"""Extractor speed on one core: abstracts/s and words/s, against the bare tokenizer's ceiling.

    python bench/extract_speed.py [--papers N] [--model DIR] [--processes N] [--scierc FILE | --demo]

Rows, all in one run: the tokenizer alone (the ceiling), the whole spaCy pipeline, the extractor
as `kg extract` runs it by default, the same extractor with spaCy's own NER decoder on thinc's blis
backend (as paperkg 4 ran it, before `extract/recogniser.py` and `extract/ops.py`), and for a
pipeline that also ships voting recogniser members the extractor with all of them (`--accurate`),
or for a pipeline of voting members only the extractor with one member (`--fast`).

Target: at least 100 abstracts/s per core for the whole extractor. Papers are N real 2025-26
arXiv abstracts (median about 170 words; a seeded sample of ../shared/data/arxiv-ai/ or
$PAPERKG_ARXIV) when that corpus is present; otherwise, or with --demo, the seed listings in
data/demo (about 230 words each), repeated to N; with --scierc the abstracts of a SciERC-format
file (about 130 words each). Single-process rates use this
process's CPU time, so other jobs on a shared machine distort them less (model load is not
counted); the multi-process row (--processes > 1) is wall time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def arxiv_papers(n: int):
    """N real arXiv papers (the bench's seeded sample), or None when the corpus is absent."""
    from bench.corpus import real_papers
    from paperkg.extract.records import Paper

    records = real_papers(n, seed=0)
    if records is None:
        return None
    return [Paper(f"arxiv:{r['id']}", r["title"], r["abstract"], "arxiv-ai", i) for i, r in enumerate(records, 1)]


def spacy_decoder_extractor(model: str | None):
    """The default extractor with spaCy's `ner` factory (its own greedy decoder) in place of
    `paperkg_ner`, on thinc's default backend (blis): the recogniser as paperkg 4 ran it."""
    import spacy

    from paperkg.extract.pipeline import MODEL_DIR, Extractor, _members_beyond

    path = str(model or MODEL_DIR)
    config = {"components": {"ner": {"factory": "ner"}}}
    return Extractor(spacy.load(path, exclude=_members_beyond(path, None), config=config))


def rate(label: str, seconds: float, n: int, words: int) -> None:
    print(f"{label:34} {n / seconds:8.1f} abstracts/s {words / seconds:10,.0f} words/s ({seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--model", default=None)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--scierc", default=None, help="time SciERC-format abstracts instead of arXiv ones")
    parser.add_argument("--demo", action="store_true", help="time the demo listings instead of arXiv abstracts")
    args = parser.parse_args()

    from paperkg.extract.pipeline import ALL_MEMBERS, load_extractor, text_of

    if args.scierc:
        papers, source = scierc_papers(args.scierc, args.papers), args.scierc
    else:
        papers, source = (None if args.demo else arxiv_papers(args.papers)), "arXiv corpus (seed 0)"
        if papers is None:
            papers, source = demo_papers(args.papers), "demo listings, repeated"
    mean_words = sum(len(text_of(p).split()) for p in papers) / len(papers)
    print(f"{len(papers)} abstracts from {source}, {mean_words:.0f} words each")
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

    baseline = spacy_decoder_extractor(args.model)
    list(baseline.extract(papers[:20]))
    started = clock()
    list(baseline.extract(papers))
    rate("extractor, spaCy decoder, blis, CPU", clock() - started, len(texts), words)

    if extractor.nlp.meta.get("members", 1) > 1:
        accurate = extractor.nlp.meta.get("single_recogniser", False)
        other = load_extractor(args.model, members=ALL_MEMBERS if accurate else 1)
        list(other.extract(papers[:20]))
        started = clock()
        list(other.extract(papers))
        label = "extractor --accurate" if accurate else "extractor, one member"
        rate(f"{label}, 1 process, CPU", clock() - started, len(texts), words)

    if args.processes > 1:
        started = time.perf_counter()
        list(extractor.extract(papers, n_process=args.processes))
        rate(f"extractor, {args.processes} processes, wall", time.perf_counter() - started, len(texts), words)


if __name__ == "__main__":
    main()
