"""The writing process's streaming write alone, before and after, in one process, alternating.

    python bench/write_stream.py EXTRACTIONS --before-ingest ../main/kg/ingest.py [--papers N] [--rounds 3]

EXTRACTIONS is a pickle of extractions as `bench.write_path` keeps them (its --work's
`extractions-N.pickle`). Every paper is prepared once (`kg.ingest.prepare`, as the workers do)
and pickled in batches of 64, as the pool sends them. Then, `--rounds` times, each side in turn:
the name caches emptied, the batches unpickled as the pool's thread receives them, and
`add_prepared` into a fresh store until the build's end begins (aborted there, nothing loaded):
the process's CPU. "before" is the `kg/ingest.py` given (another checkout's, loaded as a module of
its own beside every other module of this checkout), "after" this checkout's. Same process, same
batches, alternating: a machine shared with other jobs loads both alike. What it does not time:
the build's end, and the unpickling's own code (`kg.linking.links_from_wire`, this checkout's on
both sides).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from paperkg.extract import naming
from paperkg.kg import ingest
from paperkg.kg.store import Store


class _EndReached(Exception):
    pass


def _stop(self: object) -> None:
    raise _EndReached  # `_Loads` is entered once the last chunk is written: the build's end


def load_ingest(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("paperkg.kg.ingest_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def stream_cpu(module: ModuleType, batches: list[bytes], store: Path) -> float:
    """CPU seconds of `module.add_prepared`'s chunks on `batches`, receiving included."""
    module._Loads.__enter__ = _stop
    for f in vars(naming).values():
        if hasattr(f, "cache_clear"):
            f.cache_clear()  # a build's writing process starts with cold name caches
    gc.collect()

    def received() -> Iterator[object]:
        for batch in batches:
            for p in pickle.loads(batch):  # rebuilt as `module`'s paper, on both sides alike
                yield module.PreparedPaper(p.links, p.nquads)

    shutil.rmtree(store, ignore_errors=True)
    started = time.process_time()
    try:
        with Store(store).transaction(compact=True) as db:
            module.add_prepared(db, received(), spool_dir=store)
    except _EndReached:
        pass
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("extractions", type=Path)
    parser.add_argument("--before-ingest", type=Path, required=True, help="the kg/ingest.py to compare with")
    parser.add_argument("--papers", type=int, default=None, help="the first N extractions [all]")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with open(args.extractions, "rb") as fh:
        extractions = pickle.load(fh)[: args.papers]
    batches = [
        pickle.dumps([ingest.prepare(ex) for ex in extractions[i : i + 64]]) for i in range(0, len(extractions), 64)
    ]
    del extractions
    sides = {"before": load_ingest(args.before_ingest), "after": ingest}
    times: dict[str, list[float]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.rounds):
            for side, module in sides.items():
                times[side].append(round(stream_cpu(module, batches, Path(work) / "store"), 2))
    print(json.dumps({**times, "median": {side: statistics.median(t) for side, t in times.items()}}))


if __name__ == "__main__":
    main()
