"""Extraction engines: local processes and a Dask cluster give the same graph as one process."""

from __future__ import annotations

import multiprocessing
import os
import re
import socket
import time

import pytest
from click.testing import CliRunner

from paperkg.extract import pipeline as extract_pipeline
from paperkg.extract.pipeline import as_extracted
from paperkg.extract.records import ExtractedEntity, Mention, Paper, PaperExtraction
from paperkg.extract.resources import data_dir
from paperkg.kg import build as build_module
from paperkg.kg import engines
from paperkg.kg.build import build
from paperkg.kg.cli import main
from paperkg.kg.engines import DaskEngine, EngineError, LocalEngine, make_engine
from paperkg.kg.store import Store

DEMO = str(data_dir() / "demo")
# Build times differ between any two builds; everything else must be equal.
_BUILD_TIMES = ("<http://www.w3.org/ns/prov#startedAtTime>", "<http://www.w3.org/ns/prov#endedAtTime>")


class AcronymExtractor:
    """A deterministic stand-in for the spaCy pipeline: capitalised acronyms become Concepts.

    It records the `n_process` it was asked for, so tests can see what an engine requested.
    """

    name, version = "test-acronyms", "1"
    _ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*\b")

    def __init__(self):
        self.calls: list[int] = []

    def extract(self, papers, n_process=1, finish=as_extracted):
        self.calls.append(n_process)
        for paper in papers:
            yield finish(self._one(paper))

    def _one(self, paper: Paper) -> PaperExtraction:
        found: dict[str, list[Mention]] = {}
        for fld in ("title", "abstract"):
            for m in self._ACRONYM.finditer(getattr(paper, fld)):
                found.setdefault(m.group(), []).append(
                    Mention(m.group(), fld, m.start(), m.end(), 0, "Concept", "test")
                )
        entities = tuple(ExtractedEntity(n, "Concept", (), tuple(ms)) for n, ms in sorted(found.items()))
        return PaperExtraction(paper, entities, (), (), f"{self.name} {self.version}")


def graph_lines(store: Store) -> list[str]:
    """The store as sorted N-Quads lines, build times left out."""
    lines = (str(q) for q in store.oxigraph.quads_for_pattern(None, None, None))
    return sorted(line for line in lines if not any(p in line for p in _BUILD_TIMES))


def shipped_model_present() -> bool:
    model_dir = getattr(extract_pipeline, "MODEL_DIR", None)
    return model_dir is not None and (model_dir / "config.cfg").is_file()


needs_model = pytest.mark.skipif(not shipped_model_present(), reason="no trained pipeline in extract/model yet")


@pytest.fixture(scope="module")
def reference_lines(tmp_path_factory) -> list[str]:
    store = Store(tmp_path_factory.mktemp("one") / "store")
    build(store, [DEMO], extractor=AcronymExtractor(), workers=1)
    lines = graph_lines(store)
    assert len(lines) > 500 and any("#mentions>" in line for line in lines)
    return lines


# -- local -------------------------------------------------------------------------------------


def test_local_engine_passes_workers_as_n_process():
    extractor = AcronymExtractor()
    papers = [Paper(key="p1", title="On GPT", abstract="We study LLM.", source="x.jsonl", line=1)]
    assert [ex.paper for ex in LocalEngine(workers=2).extract(papers, extractor)] == papers
    assert extractor.calls == [2]


def test_two_workers_build_the_graph_one_process_builds(tmp_path, reference_lines):
    store = Store(tmp_path / "store")
    build(store, [DEMO], extractor=AcronymExtractor(), workers=2)
    assert graph_lines(store) == reference_lines


@pytest.mark.parametrize("fast", [False, True])
def test_cli_workers_and_fast_reach_the_extractor(tmp_path, monkeypatch, reference_lines, fast):
    extractor = AcronymExtractor()
    loaded = []
    monkeypatch.setattr(
        extract_pipeline, "load_extractor", lambda model=None, members=None: loaded.append(members) or extractor
    )
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["build", DEMO, "--store", str(store), "--workers", "2", "-q", *(["--fast"] if fast else [])]
    )
    assert result.exit_code == 0, result.output
    assert loaded == [1 if fast else None]
    assert graph_lines(Store(store)) == reference_lines


class PoisonedAcronyms(AcronymExtractor):
    """Fails on every batch that holds a paper whose title says 'poison'."""

    def extract(self, papers, n_process=1, finish=as_extracted):
        papers = list(papers)
        if any("poison" in p.title for p in papers):
            raise ValueError("cannot extract this one")
        yield from super().extract(papers, n_process, finish)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_paper_is_skipped_and_the_graph_is_the_same_for_any_worker_count(tmp_path, reference_lines, workers):
    poison = tmp_path / "poison.jsonl"
    poison.write_text('{"title": "A poison paper on GPT", "abstract": "We study LLM."}\n')
    store, failed = Store(tmp_path / "store"), []
    build(store, [DEMO, str(poison)], extractor=PoisonedAcronyms(), workers=workers, on_problem=failed.append)
    assert [p.line for p in failed] == [1]  # reported once, and everything else landed as with one worker
    assert graph_lines(store) == reference_lines


def _listing(papers: int, first: int = 0) -> list[str]:
    """`papers` JSON Lines records with arXiv ids, each naming an acronym of its own."""
    return [
        f'{{"id": "2501.{first + i:05d}", "title": "ACR{first + i} study", "abstract": "We use ACR{first + i}X."}}'
        for i in range(papers)
    ]


# Where the fake extractor ran, appended to by `_ExtractedIn` in the worker processes.
EXTRACTED_IN = "PAPERKG_TEST_EXTRACTED_IN"


class _ExtractedIn(AcronymExtractor):
    def extract(self, papers, n_process=1, finish=as_extracted):
        papers = list(papers)
        with open(os.environ[EXTRACTED_IN], "a") as f:
            f.write(f"{os.getpid()} {len(papers)}\n")
        yield from super().extract(papers, n_process, finish)


def test_workers_extract_while_the_input_is_still_read(tmp_path, monkeypatch):
    listing = tmp_path / "papers.jsonl"
    listing.write_text("\n".join(_listing(300)) + "\n")
    monkeypatch.setenv(EXTRACTED_IN, str(tmp_path / "extracted-in"))
    reading = build_module.read_inputs
    seen_while_reading = []

    def slow_reader(inputs):
        for number, item in enumerate(reading(inputs)):
            if number == 200:  # three batches read: wait (a while at most) for a worker to finish one
                for _ in range(200):
                    if (tmp_path / "extracted-in").exists():
                        break
                    time.sleep(0.05)
                seen_while_reading.append((tmp_path / "extracted-in").exists())
            yield item

    monkeypatch.setattr(build_module, "read_inputs", slow_reader)
    report = build(Store(tmp_path / "store"), [str(listing)], extractor=_ExtractedIn(), workers=2)
    assert seen_while_reading == [True]
    assert report.new_papers == 300
    ran = (tmp_path / "extracted-in").read_text().split("\n")
    assert str(os.getpid()) not in {line.split(" ")[0] for line in ran if line}


def test_a_paper_sent_before_a_later_duplicate_merged_into_it_is_extracted_as_merged(tmp_path):
    """The first record of 2501.00000 has no date and no link; its duplicate at the end has both,
    and two workers, which start on the first record, write the graph one process writes."""
    records = _listing(300)
    records.append(
        '{"id": "2501.00000", "title": "ACR0 study", "abstract": "We use ACR0X.", '
        '"published": "2025-01-02", "url": "https://example.org/acr0"}'
    )
    listing = tmp_path / "papers.jsonl"
    listing.write_text("\n".join(records) + "\n")
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    build(one, [str(listing)], extractor=AcronymExtractor(), workers=1)
    build(two, [str(listing)], extractor=AcronymExtractor(), workers=2)
    lines = graph_lines(two)
    assert any("https://example.org/acr0" in line for line in lines)
    assert lines == graph_lines(one)


def test_the_workers_end_with_the_extraction_not_with_the_write(tmp_path, monkeypatch):
    alive_at_commit = []
    derive = build_module.keep_reader_caches

    def keep_reader_caches(store):
        alive_at_commit.extend(multiprocessing.active_children())
        derive(store)

    monkeypatch.setattr(build_module, "keep_reader_caches", keep_reader_caches)
    build(Store(tmp_path / "store"), [DEMO], extractor=AcronymExtractor(), workers=2)
    assert alive_at_commit == []


def test_a_build_with_nothing_new_starts_no_workers(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    build(store, [DEMO], extractor=AcronymExtractor(), workers=2)
    monkeypatch.setattr(engines.ReadingFeed, "_start", lambda feed: pytest.fail("workers started"))
    assert build(store, [DEMO], extractor=AcronymExtractor(), workers=2).new_papers == 0


def test_strict_stops_two_workers_at_a_bad_record_read_after_extraction_started(tmp_path):
    listing = tmp_path / "papers.jsonl"
    listing.write_text("\n".join([*_listing(200), "{not json"]) + "\n")
    store = Store(tmp_path / "store")
    with pytest.raises(build_module.StrictModeError):
        build(store, [str(listing)], extractor=AcronymExtractor(), workers=2, strict=True)
    assert not store.exists()


# Where `kg build` linked each paper (the process ids), appended to by `_linked_where` in any process.
LINKED_IN = "PAPERKG_TEST_LINKED_IN"


def _linked_where(extraction):
    from paperkg.kg.ingest import prepare

    with open(os.environ[LINKED_IN], "a") as f:
        f.write(f"{os.getpid()}\n")
    return prepare(extraction)


@needs_model
def test_shipped_pipeline_two_processes_same_graph_as_one_linked_in_the_workers(tmp_path, monkeypatch):
    listing = str(data_dir() / "demo" / "hf-daily-papers-interpretability-2.txt")
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    build(one, [listing], workers=1)
    monkeypatch.setenv(LINKED_IN, str(tmp_path / "linked-in"))
    monkeypatch.setattr(build_module, "prepare", _linked_where)
    report = build(two, [listing], workers=2)
    assert graph_lines(two) == graph_lines(one)
    linked_in = (tmp_path / "linked-in").read_text().split()
    assert len(linked_in) == report.new_papers > 1
    assert str(os.getpid()) not in linked_in  # every paper was linked in a worker, none here


# -- dask --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def distributed():
    return pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (pip install 'paperkg[distributed]')"
    )


@pytest.fixture(scope="module")
def dask_cluster(distributed):
    with engines.local_cluster(2) as cluster:
        yield cluster


def test_dask_local_cluster_build_matches_single_process(tmp_path, distributed, reference_lines):
    extractor = AcronymExtractor()
    store = Store(tmp_path / "store")
    build(store, [DEMO], extractor=extractor, engine=DaskEngine(workers=2, partition_size=5))
    assert extractor.calls == []  # the papers were extracted on the cluster, not here
    assert graph_lines(store) == reference_lines


@pytest.mark.parametrize("partition_size", [1, 7, 1000])
def test_dask_partitioning_never_changes_the_order(dask_cluster, partition_size):
    papers = [Paper(f"test:{i}", f"Paper {i} on GPT{i % 5}", f"We study LLM{i}.", "x.jsonl", i) for i in range(40)]
    engine = DaskEngine(scheduler=dask_cluster.scheduler_address, partition_size=partition_size, in_flight=1)
    got = list(engine.extract(papers, AcronymExtractor()))
    assert got == list(AcronymExtractor().extract(papers))


@needs_model
def test_dask_workers_load_the_shipped_pipeline_once_each(dask_cluster, distributed):
    papers = [
        Paper(f"test:{i}", f"GPT-{i}", "We train a sparse autoencoder on Pythia-70M.", "x.jsonl", i) for i in range(8)
    ]
    engine = DaskEngine(scheduler=dask_cluster.scheduler_address, partition_size=1)
    for _ in range(2):
        assert [ex.paper for ex in engine.extract(papers)] == papers
    with distributed.Client(dask_cluster) as client:
        cached = client.run(lambda: [type(e).__name__ for e in engines._WORKER_EXTRACTORS.values()])
    assert sum(len(names) for names in cached.values()) >= 1
    assert all(names in ([], ["Extractor"]) for names in cached.values())


def test_local_cluster_workers_run_without_dask_malloc_trim(dask_cluster, distributed):
    with distributed.Client(dask_cluster) as client:
        seen = client.run(
            lambda: (
                __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_"),
                __import__("os").environ.get("OMP_NUM_THREADS"),
            )
        )
    assert set(seen.values()) == {(None, "1")}  # Dask's other worker settings stay


def test_worker_loads_the_extractor_once(monkeypatch):
    loads = []

    def load(model=None, members=None):
        loads.append((model, members))
        return AcronymExtractor()

    monkeypatch.setattr(extract_pipeline, "load_extractor", load)
    monkeypatch.setattr(engines, "_WORKER_EXTRACTORS", {})
    papers = [Paper("test:1", "GPT", "LLM", "x.jsonl", 1)]
    for _ in range(3):
        assert engines._extract_partition(papers, ("some/model", None))[1][0].paper == papers[0]
    assert engines._extract_partition(papers, ("some/model", 1))[1][0].paper == papers[0]
    assert loads == [("some/model", None), ("some/model", 1)]


def test_dask_unreachable_scheduler_is_one_clear_error(distributed):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    engine = DaskEngine(scheduler=f"tcp://127.0.0.1:{port}", connect_timeout=1)
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler"):
        list(engine.extract([Paper("test:1", "T", "A", "x", 1)], AcronymExtractor()))


def test_missing_dask_extra_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(EngineError, match=r"pip install 'paperkg\[distributed\]'"):
        list(DaskEngine().extract([Paper("test:1", "T", "A", "x", 1)], AcronymExtractor()))


def test_make_engine_choices():
    assert isinstance(make_engine("local", workers=3), LocalEngine)
    assert isinstance(make_engine("dask", scheduler="tcp://h:8786"), DaskEngine)
    with pytest.raises(EngineError, match="--scheduler needs --engine dask"):
        make_engine("local", scheduler="tcp://h:8786")


def test_cli_scheduler_without_dask_engine_exits_with_one_line(tmp_path):
    result = CliRunner().invoke(main, ["build", DEMO, "--store", str(tmp_path / "s"), "--scheduler", "tcp://h:1"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --scheduler needs --engine dask"
    assert not (tmp_path / "s").exists()
