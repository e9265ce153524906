"""A worker's `kg.ingest.prepare` and the wire, this checkout's against another checkout's, in turns.

    python bench/prepare_turns.py --old /work/main [--extractions FILE] [--papers N] [--warm N] [--rounds N]

Loads the other checkout's `kg/iris.py`, `kg/nquads.py`, `kg/linking.py`, `kg/rdf.py` and
`kg/ingest.py` beside this checkout's in one process (each importing the other's siblings; every
other module shared), then over real arXiv extractions (--extractions, a pickled list; made by
this checkout's pipeline from `bench/extract_speed.py`'s seeded sample of --warm + --papers
abstracts and kept there when the file is missing):

1. checks that both prepare every paper alike: the N-Quads bytes equal, and the `LocalLinks` the
   writing process rebuilds from the wire equal, with the same IRIs shared as one term;
2. times `prepare` over the --papers after the --warm ones (both sides have seen every paper once,
   so the name caches are warm: what differs shows), the sides alternating every 100 papers;
3. times the wire: pickling batches of 64 prepared papers (the worker) and unpickling them with
   the collector off, as the writing process does during the write (`kg.ingest._collector_paused`).

CPU of this process (`time.process_time`); medians of --rounds, ms an abstract, every round shown.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib
import importlib.abc
import importlib.util
import os
import pickle
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")

MODULES = ("iris", "nquads", "linking", "rdf", "ingest")  # in the order they import each other
INGEST = "paperkg.kg.ingest"
BATCH = 64  # the papers a worker sends back at a time
T = TypeVar("T")


class _Checkout(importlib.abc.MetaPathFinder):
    """Finds `paperkg.kg.<name>` for `names` in another checkout's `kg/`."""

    def __init__(self, root: Path, names: set[str]):
        self.root, self.names = root, names

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.root / "kg" / f"{fullname.rsplit('.', 1)[1]}.py")


def other_checkout(root: Path) -> dict[str, types.ModuleType]:
    """The other checkout's `MODULES`, imported under their names and put back out of sight."""
    names = [f"paperkg.kg.{m}" for m in MODULES]
    mine = {n: importlib.import_module(n) for n in names}
    for n in names:
        del sys.modules[n]
    finder = _Checkout(root, set(names))
    sys.meta_path.insert(0, finder)
    try:
        theirs = {n.rsplit(".", 1)[1]: importlib.import_module(n) for n in names}
    finally:
        sys.meta_path.remove(finder)
        sys.modules.update(mine)
        for n, module in mine.items():  # `paperkg.kg`'s attributes: this checkout's again
            setattr(sys.modules["paperkg.kg"], n.rsplit(".", 1)[1], module)
    return theirs


def _extractions(path: Path, n: int) -> list:
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from bench.extract_speed import arxiv_papers
    from paperkg.extract.ops import one_blas_thread
    from paperkg.extract.pipeline import doc_to_extraction, load_extractor, text_of

    papers = arxiv_papers(n)
    if papers is None:
        sys.exit("needs the arXiv corpus (../shared/data/arxiv-ai/ or $PAPERKG_ARXIV)")
    extractor = load_extractor()
    name = f"{extractor.name} {extractor.version}"
    with one_blas_thread():
        docs = extractor.nlp.pipe(map(text_of, papers), batch_size=BATCH)
        extractions = [doc_to_extraction(d, p, name) for d, p in zip(docs, papers)]
    with path.open("wb") as fh:
        pickle.dump(extractions, fh, pickle.HIGHEST_PROTOCOL)
    return extractions


def _plain(x: object) -> object:
    """A rebuilt value as plain values, its classes by name (the two sides' classes differ)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return (type(x).__name__, *((f.name, _plain(getattr(x, f.name))) for f in dataclasses.fields(x)))
    if isinstance(x, ox.NamedNode):
        return ("iri", x.value)
    if isinstance(x, dict):
        return ("dict", *((_plain(k), _plain(v)) for k, v in x.items()))
    if isinstance(x, list | tuple):
        return (type(x).__name__, *map(_plain, x))
    return x


def _shared(links: object) -> list[int]:
    """Which of the rebuilt links' IRIs are one term: each term numbered where first met."""
    seen: dict[int, int] = {}
    paper = links.paper  # type: ignore[attr-defined]
    nodes = [n for lm in paper.mentions for n in (lm.iri, lm.entity)]
    nodes += [n for r in paper.relations for n in (r.subject, r.object)]
    nodes += [*links.keys, *links.pending]  # type: ignore[attr-defined]
    return [seen.setdefault(id(n), len(seen)) for n in nodes]


def _as_ingest(ingest: types.ModuleType, work: Callable[[], T]) -> T:
    """`work` done with `ingest` as `paperkg.kg.ingest`, where pickle finds `_received`."""
    mine = sys.modules[INGEST]
    sys.modules[INGEST] = ingest
    try:
        return work()
    finally:
        sys.modules[INGEST] = mine


def _round_trip(ingest: types.ModuleType, prepared: list) -> list:
    """`prepared` as the writing process receives it from a worker of `ingest`."""
    return _as_ingest(ingest, lambda: [p for b in _sent(prepared) for p in pickle.loads(b)])


def _sent(prepared: list) -> list[bytes]:
    return [pickle.dumps(prepared[i : i + BATCH], pickle.HIGHEST_PROTOCOL) for i in range(0, len(prepared), BATCH)]


def check(old: types.ModuleType, new: types.ModuleType, extractions: list) -> int:
    """Papers the two sides prepare or receive differently."""
    differ = 0
    for start in range(0, len(extractions), 1000):
        part = extractions[start : start + 1000]
        before, after = [old.prepare(e) for e in part], [new.prepare(e) for e in part]
        got_before, got_after = _round_trip(old, before), _round_trip(new, after)
        for a, b, ra, rb in zip(before, after, got_before, got_after, strict=True):
            same = a.nquads == b.nquads == ra.nquads == rb.nquads
            same = same and _plain(ra.links) == _plain(rb.links) and _shared(ra.links) == _shared(rb.links)
            differ += not same
    return differ


def _turns(sides: dict[str, Callable[[int], object]], rounds: int, parts: int) -> dict[str, list[float]]:
    """Each side's CPU seconds over all `parts` per round, the sides alternating part by part."""
    spent: dict[str, list[float]] = {name: [] for name in sides}
    clock = time.process_time
    for r in range(rounds):
        total = dict.fromkeys(sides, 0.0)
        for part in range(parts):
            order = list(sides) if (r + part) % 2 == 0 else list(reversed(sides))
            for name in order:
                started = clock()
                sides[name](part)
                total[name] += clock() - started
        for name in sides:
            spent[name].append(total[name])
    return spent


def _report(label: str, spent: dict[str, list[float]], n: int) -> None:
    (a_name, a), (b_name, b) = ((k, [x * 1000 / n for x in v]) for k, v in spent.items())
    ma, mb = statistics.median(a), statistics.median(b)
    rounds = " ".join(f"{x:.3f}/{y:.3f}" for x, y in zip(a, b))
    change = f"{(mb / ma - 1) * 100:+.1f} %"
    print(f"{label:9s} {a_name} {ma:.4f}  {b_name} {mb:.4f} ms an abstract ({change}); rounds {rounds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, type=Path, help="another checkout's root (its kg/ is read)")
    parser.add_argument("--extractions", type=Path, default=Path("/tmp/prepare-turns-extractions.pkl"))
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--warm", type=int, default=2000, help="papers prepared first, untimed")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    extractions = _extractions(args.extractions, args.warm + args.papers)
    old = other_checkout(args.old)["ingest"]
    new = sys.modules[INGEST]
    from paperkg.extract.pipeline import start_worker

    start_worker()  # the garbage collector as a worker runs it
    print(f"{len(extractions)} extractions; prepared or received differently: {check(old, new, extractions)}")
    timed = extractions[args.warm : args.warm + args.papers]
    parts = [timed[i : i + 100] for i in range(0, len(timed), 100)]
    sides = {"old": old, "new": new}

    def preparing(ingest: types.ModuleType) -> Callable[[int], object]:
        return lambda part: [ingest.prepare(e) for e in parts[part]]

    _report("prepare", _turns({k: preparing(m) for k, m in sides.items()}, args.rounds, len(parts)), len(timed))
    prepared = {k: [m.prepare(e) for e in timed] for k, m in sides.items()}

    def pickling(k: str) -> Callable[[int], list[bytes]]:
        return lambda _: _as_ingest(sides[k], lambda: _sent(prepared[k]))

    sent = {k: pickling(k)(0) for k in sides}

    def unpickling(k: str) -> Callable[[int], object]:
        return lambda _: _as_ingest(sides[k], lambda: [pickle.loads(b) for b in sent[k]])

    _report("pickling", _turns({k: pickling(k) for k in sides}, args.rounds, 1), len(timed))
    gc.disable()  # the write pauses the collector while the pool's thread unpickles
    _report("unpickle", _turns({k: unpickling(k) for k in sides}, args.rounds, 1), len(timed))
    gc.enable()
    for k in sides:
        print(f"{k}: {sum(map(len, sent[k])) / len(timed) / 1024:.1f} KiB sent an abstract")


if __name__ == "__main__":
    main()
