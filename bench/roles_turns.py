"""The roles' cues, this checkout's `kg/roles.py` against another checkout's, CPU per abstract.

    python bench/roles_turns.py --old /work/main/kg/roles.py [--papers N] [--rounds N]

Runs N real arXiv abstracts (`bench/extract_speed.py`'s seeded sample) through this checkout's
pipeline and `kg.ingest.prepare` once, recording every call of `mention_role`, `about_own_work`
and `own_work_link` (a worker's order: a paper's mentions in text order, then its relations).
Checks that the other version answers every call as this one does, then times, in turns (old
first in even rounds, new first in odd ones; a loaded machine slows both alike), each version
over the recorded calls and `prepare` over all N extractions with each version's three functions
in place (the name caches warm after the first pass: the roles' own share shows). Prints the
medians of the rounds' CPU (`time.process_time`) in ms an abstract.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROLE_FUNCTIONS = (("linking", "mention_role"), ("relations", "about_own_work"), ("relations", "own_work_link"))


def _module(path: str, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_place(version: types.ModuleType) -> None:
    """Make `prepare` call `version`'s role functions."""
    from paperkg.kg import linking, relations

    modules = {"linking": linking, "relations": relations}
    for where, name in ROLE_FUNCTIONS:
        setattr(modules[where], name, getattr(version, name))


def _recorded(version: types.ModuleType, extractions: list) -> dict[str, list]:
    """Every call `prepare` makes of the role functions over `extractions`, with its answer."""
    from paperkg.kg.ingest import prepare

    calls: dict[str, list] = {name: [] for _, name in ROLE_FUNCTIONS}

    def recording(name: str, function: Callable) -> Callable:
        def call(*args, **kwargs):
            answer = function(*args, **kwargs)
            calls[name].append((args, kwargs, answer))
            return answer

        return call

    recorder = types.SimpleNamespace(**{name: recording(name, getattr(version, name)) for _, name in ROLE_FUNCTIONS})
    _in_place(recorder)  # type: ignore[arg-type]
    for ex in extractions:
        prepare(ex)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="another checkout's kg/roles.py")
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from bench.extract_speed import arxiv_papers
    from paperkg.extract.ops import one_blas_thread
    from paperkg.extract.pipeline import doc_to_extraction, load_extractor, start_worker, text_of
    from paperkg.kg.ingest import prepare

    papers = arxiv_papers(args.papers)
    extractor = load_extractor()
    name = f"{extractor.name} {extractor.version}"
    with one_blas_thread():
        docs = extractor.nlp.pipe(map(text_of, papers), batch_size=64)
        extractions = [doc_to_extraction(doc, paper, name) for doc, paper in zip(docs, papers)]
    start_worker()
    versions = {
        "old": _module(args.old, "roles_old"),
        "new": _module(str(Path(__file__).resolve().parent.parent / "kg" / "roles.py"), "roles_new"),
    }
    calls = _recorded(versions["new"], extractions)
    old = versions["old"]
    differ = sum(getattr(old, name)(*a, **k) != answer for name, made in calls.items() for a, k, answer in made)
    counts = {name: len(made) for name, made in calls.items()}
    print(f"{len(papers)} arXiv abstracts; calls: {counts}; answered otherwise by the old version: {differ}")

    def over_calls(version: types.ModuleType) -> float:
        role = version.mention_role
        start = time.process_time()
        for a, k, _ in calls["mention_role"]:
            role(*a, **k)
        return time.process_time() - start

    def over_prepare(version: types.ModuleType) -> float:
        _in_place(version)
        start = time.process_time()
        for ex in extractions:
            prepare(ex)
        return time.process_time() - start

    for label, timed in (("mention_role over the calls", over_calls), ("prepare", over_prepare)):
        times: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(args.rounds):
            for key in ("old", "new") if r % 2 == 0 else ("new", "old"):
                times[key].append(1000 * timed(versions[key]) / len(papers))
        old, new = (statistics.median(times[k]) for k in ("old", "new"))
        rounds = " ".join(f"{o:.3f}/{n:.3f}" for o, n in zip(times["old"], times["new"]))
        print(f"  {label:30s} old {old:.3f}  new {new:.3f} ms an abstract ({new / old - 1:+.1%}; rounds {rounds})")


if __name__ == "__main__":
    main()
