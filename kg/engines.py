"""Where extraction runs: in this process (spaCy's own process pool), or on a Dask cluster.

Every engine yields one `PaperExtraction` per paper in the order the papers were given, whatever
ran them and however the input was split, so linking and loading see the same sequence and the
graph comes out the same for every engine and worker count. Given a `finish` step (`kg build`
links each paper with `kg.linking.link_locally`), an engine yields `finish(extraction)` instead,
computed where the paper was extracted: in a worker process, or on a Dask worker.

Dask is an optional extra (`pip install 'paperkg[distributed]'`) and is imported only when the
dask engine runs.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from paperkg.extract.pipeline import as_extracted, extract_batch, worker_pool
from paperkg.extract.records import Paper, PaperExtraction
from paperkg.schema.errors import PaperkgError

ENGINES = ("local", "dask")


class EngineError(PaperkgError):
    """An engine that cannot run (missing extra, unreachable scheduler); the message is for the user."""


Failure = Callable[[Paper, Exception], None]
"""Told about a paper whose extraction (or finishing) failed on its own, which is then left out."""

Finish = Callable[[PaperExtraction], Any]
"""A step run on each extraction where it was made (`kg build` prepares the paper there)."""


class Engine(Protocol):
    def extract(
        self, papers: Sequence[Paper], extractor=None, on_failure: Failure | None = None, finish: Finish = as_extracted
    ) -> Iterator[Any]:
        """`finish(extraction)` of each of `papers`, in input order, finished where the paper
        was extracted; `extractor` defaults to the shipped pipeline.

        With `on_failure`, an engine that can isolate papers skips one whose extraction fails
        and reports it there; otherwise (and on engines that cannot) the error propagates."""


def make_engine(
    name: str = "local", *, workers: int = 1, scheduler: str | None = None, model=None, members: int | None = None
) -> Engine:
    """The engine the CLI names: `local` (N processes here) or `dask` (a cluster, local if no address).

    `model` and `members` choose the extractor, as `extract.pipeline.load_extractor` takes them."""
    if name == "local":
        if scheduler:
            raise EngineError("--scheduler needs --engine dask")
        return LocalEngine(workers=workers, model=model, members=members)
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers, model=model, members=members)
    raise EngineError(f"unknown engine {name!r} (choose one of: {', '.join(ENGINES)})")


class LocalEngine:
    """The extractor in this process; `workers` > 1 becomes the extractor's `n_process`."""

    def __init__(self, workers: int = 1, model=None, members: int | None = None):
        self.workers = workers
        self.model = model
        self.members = members

    def extract(
        self, papers: Sequence[Paper], extractor=None, on_failure: Failure | None = None, finish: Finish = as_extracted
    ) -> Iterator[Any]:
        if extractor is None:
            from paperkg.extract.pipeline import load_extractor

            extractor = load_extractor(self.model, self.members)
        if on_failure is None:
            yield from extractor.extract(papers, n_process=self.workers, finish=finish)
        elif self.workers == 1:
            yield from isolated(extractor, papers, on_failure, finish)
        else:
            # The process pool streams whole batches; when one fails, the papers from there on are
            # extracted in this process, isolated, so the bad paper is skipped and the rest lands.
            done = 0
            try:
                for item in extractor.extract(papers, n_process=self.workers, finish=finish):
                    yield item
                    done += 1
            except Exception:
                yield from isolated(extractor, papers[done:], on_failure, finish)


ISOLATION_BATCH = 64

# Batches a worker may have outstanding while the input is still read: one it runs and one
# waiting, so no worker starves, and a batch a later duplicate changes is sent again behind few.
READ_AHEAD = 2


class ReadingFeed:
    """Extraction on `LocalEngine`'s worker processes that starts while the input is read.

    Reading a large listing (JSON, `Paper`s) takes seconds of one core; the workers extract the
    papers already read meanwhile. `send` takes each paper to extract as it is first read: the
    extractor is loaded and the workers forked at the first one (a build with nothing new forks
    none), and at most `READ_AHEAD` batches a worker are out while reading goes on. `results`
    takes the papers as the read ended (duplicates merged): a batch sent before one of its papers
    was merged with a later record is sent again, the remaining batches are sent, and the
    finished extractions come back in input order, as `LocalEngine.extract` yields them.
    """

    def __init__(self, engine: LocalEngine, extractor=None, finish: Finish = as_extracted, batch_size: int = 64):
        self.engine, self.extractor, self.finish, self.batch_size = engine, extractor, finish, batch_size
        self.sent: list[Paper] = []  # every paper sent, in order
        self.batches: list[Any] = []  # the pool's result of each whole batch sent so far
        self.finished = 0  # batches done (counted by the pool's result thread)
        self.pool: Any = None

    def __enter__(self) -> ReadingFeed:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()

    def send(self, paper: Paper) -> None:
        if self.pool is None:
            self._start()
        self.sent.append(paper)
        start = len(self.batches) * self.batch_size
        if start + self.batch_size <= len(self.sent) and self._may_send():
            self._submit(self.sent[start : start + self.batch_size])

    def results(self, papers: Sequence[Paper], on_failure: Failure | None = None) -> Iterator[Any]:
        """`finish(extraction)` of each of `papers` (the papers sent, as they are after the
        read), in order."""
        if not papers:
            return
        if self.pool is None:
            self._start()
        keys = [p.key for p in papers]
        if keys != [p.key for p in self.sent]:
            raise EngineError("the papers to extract are not the papers read for extraction")
        size = self.batch_size
        parts = [list(papers[i : i + size]) for i in range(0, len(papers), size)]
        for index in range(len(self.batches)):
            if any(now is not then for now, then in zip(parts[index], self.sent[index * size : (index + 1) * size])):
                self.batches[index] = self.pool.apply_async(extract_batch, (parts[index],))
        for part in parts[len(self.batches) :]:
            self._submit(part)
        for index, result in enumerate(self.batches):
            self.batches[index] = None  # a result is held until it is yielded, no longer
            try:
                finished = result.get()
            except Exception:
                if on_failure is None:
                    raise
                # as LocalEngine.extract does: the papers from the failed batch on, isolated here
                self.pool.terminate()
                yield from isolated(self.extractor, papers[index * size :], on_failure, self.finish)
                return
            yield from finished
        # the workers end with the extraction, as `Pool.imap`'s did: alive through the rest of
        # the write, they would hold their memory, and every page the writer then changes that
        # they share with it would be copied (0.7 s more system CPU on 2,000 abstracts)
        self.pool.terminate()

    def _start(self) -> None:
        if self.extractor is None:
            from paperkg.extract.pipeline import load_extractor

            self.extractor = load_extractor(self.engine.model, self.engine.members)
        self.pool = worker_pool(self.extractor, self.engine.workers, self.finish)

    def _may_send(self) -> bool:
        return len(self.batches) - self.finished < READ_AHEAD * self.engine.workers

    def _submit(self, part: list[Paper]) -> None:
        self.batches.append(
            self.pool.apply_async(extract_batch, (part,), callback=self._count, error_callback=self._count)
        )

    def _count(self, _outcome: Any) -> None:
        self.finished += 1


def isolated(extractor, papers: Iterable[Paper], on_failure: Failure, finish: Finish = as_extracted) -> Iterator[Any]:
    """Finished extractions of `papers` in order, a batch at a time; when a batch fails, its
    papers are extracted one by one, and one that fails on its own goes to `on_failure` and is
    left out."""
    iterator = iter(papers)
    while batch := list(itertools.islice(iterator, ISOLATION_BATCH)):
        try:
            done = list(extractor.extract(batch, finish=finish))
        except Exception:
            done = []
            for paper in batch:
                try:
                    done.extend(extractor.extract([paper], finish=finish))
                except Exception as exc:
                    on_failure(paper, exc)
        yield from done


class DaskEngine:
    """Partitions of the papers go to Dask workers; results come back in input order.

    With no `scheduler` address a `LocalCluster` of `workers` single-threaded processes is started
    for the run and closed after it. Each worker loads the extractor once and keeps it (or, when an
    extractor object is given, receives one copy of it). At most `in_flight` partitions per worker
    are outstanding, so memory stays bounded on large inputs.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        model=None,
        members: int | None = None,
        partition_size: int | None = None,
        in_flight: int = 4,
        connect_timeout: float = 10.0,
    ):
        self.scheduler = scheduler
        self.workers = workers
        self.model = model
        self.members = members
        self.partition_size = partition_size
        self.in_flight = in_flight
        self.connect_timeout = connect_timeout

    def extract(
        self, papers: Sequence[Paper], extractor=None, on_failure: Failure | None = None, finish: Finish = as_extracted
    ) -> Iterator[Any]:
        if not papers:
            return
        with self._client() as client:
            n_workers = sum(client.nthreads().values())  # task slots: worker processes x threads
            size = self.partition_size or _partition_size(len(papers), n_workers)
            parts = [list(papers[i : i + size]) for i in range(0, len(papers), size)]
            shared = client.scatter(extractor, broadcast=True) if extractor is not None else None
            pending: deque = deque()
            next_part = 0
            while next_part < len(parts) or pending:
                while next_part < len(parts) and len(pending) < self.in_flight * n_workers:
                    part = parts[next_part]
                    choice = (self.model, self.members)
                    pending.append((part, client.submit(_extract_partition, part, choice, shared, finish, pure=False)))
                    next_part += 1
                part, future = pending.popleft()
                keys, finished = future.result()
                _check_order(part, keys)
                yield from finished

    @contextmanager
    def _client(self):
        distributed = _import_distributed()
        if self.scheduler is None:
            with local_cluster(self.workers) as cluster, distributed.Client(cluster) as client:
                yield client
            return
        try:
            client = distributed.Client(self.scheduler, timeout=self.connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
        with client:
            try:
                client.wait_for_workers(1, timeout=self.connect_timeout)
            except TimeoutError as exc:
                raise EngineError(f"the Dask scheduler at {self.scheduler} has no workers") from exc
            yield client


@contextmanager
def local_cluster(workers: int):
    """A Dask `LocalCluster` of `workers` single-threaded processes, set up for extraction."""
    distributed = _import_distributed()
    import dask

    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536 to hand memory back to the OS sooner;
    # with spaCy's many small allocations that costs 15-30% more CPU per abstract (measured,
    # docs/deploy.md), so these workers go without it.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster:
            yield cluster


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise EngineError("the dask engine needs the distributed extra: pip install 'paperkg[distributed]'") from exc
    return distributed


def _partition_size(n_papers: int, n_workers: int) -> int:
    # About four partitions per worker balances uneven abstracts; the cap keeps each task's
    # payload small and the results streaming on large inputs.
    return max(1, min(500, math.ceil(n_papers / (4 * max(1, n_workers)))))


def _check_order(papers: list[Paper], keys: list[str]) -> None:
    if keys != [p.key for p in papers]:
        raise EngineError("a Dask worker returned extractions that do not match its partition's papers")


# -- on the workers ------------------------------------------------------------------------------

_WORKER_EXTRACTORS: dict = {}  # (model, members) -> extractor, loaded once per worker process
_WORKER_LOCK = threading.Lock()


def _extract_partition(
    papers: list[Paper], choice: tuple, extractor=None, finish: Finish = as_extracted
) -> tuple[list[str], list]:
    """The keys of the papers extracted (to check the order) and their finished extractions."""
    if extractor is None:
        with _WORKER_LOCK:
            if choice not in _WORKER_EXTRACTORS:
                from paperkg.extract.pipeline import load_extractor

                _WORKER_EXTRACTORS[choice] = load_extractor(*choice)
            extractor = _WORKER_EXTRACTORS[choice]
    extractions = list(extractor.extract(papers, n_process=1))
    return [ex.paper.key for ex in extractions], [finish(ex) for ex in extractions]
