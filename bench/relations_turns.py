"""The relation mentions a worker finds in a paper, this checkout's `kg/relations.py` against another
checkout's, CPU per abstract.

    python bench/relations_turns.py --old /work/main/kg/relations.py [--papers N] [--rounds N]

Runs N real arXiv abstracts (`bench/extract_speed.py`'s seeded sample) through this checkout's
pipeline and `kg.ingest.prepare` once, recording every call `link_locally` makes of
`relation_mentions` and every call that makes of `sentence_relation_patterns`. Checks that the
other version answers every call as this one does (the records' fields: the two versions' classes
differ), then times, in turns (old first in even rounds, new first in odd ones), each version over
the recorded calls of both functions. Prints the medians of the rounds' CPU (`time.process_time`)
in ms an abstract.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import statistics
import sys
import time
import types
from pathlib import Path

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")


def _loaded(path: str, name: str) -> types.ModuleType:
    """The module at `path`, registered as `name` (its dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    sys.modules[name] = module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _recorded(version: types.ModuleType, extractions: list) -> tuple[list, list]:
    """Every call `prepare` makes of `version`'s `relation_mentions` over `extractions`, and every
    call that makes of its `sentence_relation_patterns`, each with its answer."""
    from paperkg.kg import linking
    from paperkg.kg.ingest import prepare

    mentions, patterns = [], []
    find, read = version.relation_mentions, version.sentence_relation_patterns

    def relation_mentions(*args):
        mentions.append((args, find(*args)))
        return mentions[-1][1]

    def sentence_relation_patterns(text, spans):
        patterns.append(((text, [dataclasses.astuple(s) for s in spans]), read(text, spans)))
        return patterns[-1][1]

    linking.relation_mentions, version.sentence_relation_patterns = relation_mentions, sentence_relation_patterns
    try:
        for ex in extractions:
            prepare(ex)
    finally:
        linking.relation_mentions, version.sentence_relation_patterns = find, read
    return mentions, patterns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="another checkout's kg/relations.py")
    parser.add_argument("--papers", type=int, default=5000, help="abstracts (default 5,000)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of turns (default 7)")
    args = parser.parse_args()

    from bench.extract_speed import arxiv_papers
    from paperkg.extract.pipeline import load_extractor, start_worker
    from paperkg.kg import relations

    papers = arxiv_papers(args.papers)
    if papers is None:
        sys.exit("needs the arXiv corpus (../shared/data/arxiv-ai/ or $PAPERKG_ARXIV)")
    extractions = list(load_extractor().extract(papers))
    start_worker()  # the garbage collector as a worker runs it
    old = _loaded(args.old, "relations_old")
    versions = {"old": old, "new": relations}
    mentions, patterns = _recorded(relations, extractions)
    spans = {k: [(text, [v.Span(*s) for s in made]) for (text, made), _ in patterns] for k, v in versions.items()}

    def fields(records: list) -> list[tuple]:
        return [dataclasses.astuple(r) for r in records]

    differ = sum(fields(old.relation_mentions(*a)) != fields(answer) for a, answer in mentions)
    differ += sum(old.sentence_relation_patterns(*call) != answer for call, (_, answer) in zip(spans["old"], patterns))
    print(
        f"{len(papers)} arXiv abstracts; calls: relation_mentions {len(mentions)}, sentence_relation_patterns "
        f"{len(patterns)}; answered otherwise by the old version: {differ}"
    )

    def over_mentions(key: str) -> float:
        find = versions[key].relation_mentions
        start = time.process_time()
        for a, _ in mentions:
            find(*a)
        return time.process_time() - start

    def over_patterns(key: str) -> float:
        read = versions[key].sentence_relation_patterns
        start = time.process_time()
        for text, made in spans[key]:
            read(text, made)
        return time.process_time() - start

    for label, timed in (("relation_mentions", over_mentions), ("sentence_relation_patterns", over_patterns)):
        times: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(args.rounds):
            for key in ("old", "new") if r % 2 == 0 else ("new", "old"):
                times[key].append(1000 * timed(key) / len(papers))
        before, after = (statistics.median(times[k]) for k in ("old", "new"))
        rounds = " ".join(f"{o:.3f}/{n:.3f}" for o, n in zip(times["old"], times["new"]))
        print(f"  {label:28s} old {before:.3f}  new {after:.3f} ms an abstract ({after / before - 1:+.1%}; {rounds})")


if __name__ == "__main__":
    main()
