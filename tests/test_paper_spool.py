"""What a build adds waits in a file (kg.spool) and reaches the store in one load at its end: the
papers' own quads, what the build decides of them, and the relations' evidence."""

from __future__ import annotations

import gc
import io
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_papers import all_papers, build, ent, extraction, paper, protopnet, sa_undefined, scored, triples
from test_relation_support import defining_sa, support_of, undefined_sa

from paperkg.extract.records import PaperExtraction
from paperkg.kg import ingest
from paperkg.kg.ingest import add_extractions
from paperkg.kg.nquads import PAPERS_NEEDED
from paperkg.kg.spool import PaperSpool
from paperkg.kg.store import Store, StoreError
from paperkg.kg.terms import oa, pkg, prov, rdf

SENTENCE_TYPE = f"<{rdf.type.value}> <{pkg.Sentence.value}>".encode()
BODY = f"<{oa.hasBody.value}>".encode()
EVIDENCE = f"<{prov.wasDerivedFrom.value}>".encode()


class _LoadsRecorded:
    """A database that notes the N-Quads of each bulk load before making it."""

    def __init__(self, db: ox.Store):
        self._db = db
        self.loads: list[bytes] = []

    def __getattr__(self, name: str):
        return getattr(self._db, name)

    def bulk_load(self, data=None, *args, path=None, **kwargs) -> None:
        if path is not None:  # a file by its path: read it, and hand its bytes on
            data = Path(path).read_bytes()
        elif not isinstance(data, bytes):  # a file object: the same
            data = data.read()
        self.loads.append(data)
        self._db.bulk_load(io.BytesIO(data), *args, **kwargs)


def test_a_builds_quads_are_loaded_once_after_its_last_chunk(tmp_path):
    with Store(tmp_path / "g").transaction() as db:
        recorded = _LoadsRecorded(db)
        add_extractions(recorded, all_papers(), chunk_size=1)
    # the first load, before the summaries', holds the papers, their mentions' bodies and the evidence
    for marker in SENTENCE_TYPE, BODY, EVIDENCE:
        assert [n for n, data in enumerate(recorded.loads) if marker in data] == [0]


def test_a_paper_of_an_earlier_chunk_is_relinked_from_the_spool(tmp_path, sa_settled):
    """A definition in a later chunk moves an acronym an earlier chunk's paper used undefined:
    that paper is read from the spool, and the graph is the one a single chunk makes."""
    papers = [sa_undefined(), protopnet()]
    with Store(tmp_path / "chunked").transaction() as db:
        assert add_extractions(db, papers, chunk_size=1).relinked == 1
    assert triples(Store(tmp_path / "chunked")) == triples(build(tmp_path / "once", papers))


def _quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"http://x/s{n}"), ox.NamedNode("http://x/p"), ox.NamedNode(f"http://x/o{n}"))


def _nquads(*quads: ox.Quad) -> bytes:
    return b"".join(f"{q} .\n".encode() for q in quads)


def test_a_relinked_papers_earlier_decisions_are_neither_viewed_nor_loaded(tmp_path):
    paper_iri = ox.NamedNode("http://x/paper")
    spool = PaperSpool(tmp_path)
    spool.add(paper_iri, _nquads(_quad(0)), _nquads(_quad(1)), [])
    spool.add(ox.NamedNode("http://x/other"), _nquads(_quad(3)), _nquads(_quad(4)), [])
    spool.relink(paper_iri, _nquads(_quad(2)))
    assert set(spool.view(paper_iri)) == {_quad(0), _quad(2)}
    db = ox.Store()
    spool.load_into(db)
    assert set(db) == {_quad(0), _quad(2), _quad(3), _quad(4)}


def test_killed_evidence_is_left_out_unless_spooled_again(tmp_path):
    spool = PaperSpool(tmp_path)
    spool.add_evidence(_nquads(_quad(0), _quad(1), _quad(2)))
    spool.kill([_quad(0), _quad(1)])
    spool.add_evidence(_nquads(_quad(1)))  # made again by a later chunk
    db = ox.Store()
    spool.load_into(db)
    assert set(db) == {_quad(1), _quad(2)}


def test_what_is_skipped_is_blanked_in_the_spool_which_loads_by_its_path(tmp_path):
    """A relinked paper's old decisions and killed evidence are blanked in the spool's own file,
    which Oxigraph reads by its path: no copy of the file is made (nor read through Python)."""
    paper_iri = ox.NamedNode("http://x/paper")
    spool = PaperSpool(tmp_path)
    spool.add(paper_iri, _nquads(_quad(0)), _nquads(_quad(1)), [])
    spool.add_evidence(_nquads(_quad(5), _quad(6)))
    spool.relink(paper_iri, _nquads(_quad(2)))
    spool.kill([_quad(5)])
    spool_file = os.fstat(spool._file.fileno())
    loaded = []

    class Recorded:
        def bulk_load(self, *args, path=None, **kwargs):
            stat = os.stat(path)
            loaded.append(((stat.st_dev, stat.st_ino), Path(path).read_bytes()))
            db.bulk_load(*args, path=path, **kwargs)

    db = ox.Store()
    spool.load_into(Recorded())
    [(file, data)] = loaded
    assert file == (spool_file.st_dev, spool_file.st_ino)
    # blank lines in place of what is skipped
    assert [line + b"\n" for line in data.splitlines() if line] == [_nquads(q) for q in (_quad(0), _quad(6), _quad(2))]
    assert set(db) == {_quad(0), _quad(2), _quad(6)}


def test_the_spool_is_settled_on_the_builds_thread_before_the_descriptions_begin(tmp_path, monkeypatch):
    """Blanking what the end load skips takes the GIL: beside the descriptions it would hold the
    loader back twice as long."""
    events = []
    settle, changes = PaperSpool.settle, ingest.Descriptions.changes

    def noted_settle(self):
        events.append(("settle", threading.get_ident()))
        settle(self)

    def noted_changes(self):
        events.append(("describe", threading.get_ident()))
        yield from changes(self)

    monkeypatch.setattr(PaperSpool, "settle", noted_settle)
    monkeypatch.setattr(ingest.Descriptions, "changes", noted_changes)
    build(tmp_path / "g", all_papers())
    on_this_thread = [event for event, thread in events if thread == threading.get_ident()]
    assert on_this_thread[:2] == ["settle", "describe"]


def undefined_sa_again() -> PaperExtraction:
    """A second paper that uses SA undefined, for prototype scoring."""
    p = replace(paper("title:sa ranking", "Ranking Prototypes", "The SA module helps prototype scoring."), year=2025)
    return scored(
        extraction(p, ent("SA", "Method"), ent("prototype scoring", "Task")), "SA", "usedFor", "prototype scoring", 0.8
    )


def test_evidence_a_build_adds_to_a_stored_relation_and_takes_back_is_gone(tmp_path, sa_settled):
    """The stored relation SA usedFor prototype scoring gains a sentence in the spool (first chunk),
    then loses it and its stored one when the second chunk defines SA: the graph is one build's."""
    papers = [undefined_sa(), undefined_sa_again(), defining_sa()]
    at_once = build(tmp_path / "once", papers)
    bit_by_bit = build(tmp_path / "bits", papers[:1], papers[1:], chunk_size=1)
    assert triples(bit_by_bit) == triples(at_once)
    assert support_of(bit_by_bit, "SA", "usedFor", "prototype scoring") is None


def test_the_descriptions_are_computed_while_the_papers_load(tmp_path, monkeypatch):
    """At the build's end the spooled papers load on a thread of their own while the build's
    thread computes the entities' descriptions, which read nothing the papers hold."""
    describing = threading.Event()
    changes, load_into = ingest.Descriptions.changes, PaperSpool.load_into

    def noted_changes(self):
        describing.set()
        yield from changes(self)

    def load_when_describing(self, db):
        assert describing.wait(timeout=10), "the papers were loaded before the descriptions began"
        load_into(self, db)

    monkeypatch.setattr(ingest.Descriptions, "changes", noted_changes)
    monkeypatch.setattr(PaperSpool, "load_into", load_when_describing)
    with Store(tmp_path / "g").transaction() as db:
        add_extractions(db, all_papers())
    assert any(Store(tmp_path / "g").oxigraph.quads_for_pattern(None, rdf.type, pkg.Sentence))


def test_the_time_data_and_support_are_computed_while_the_papers_load(tmp_path, monkeypatch):
    """A first build's time data and relations' support read nothing the papers hold (no entity
    lost a paper, no relation is counted again): they are computed before the papers are loaded."""
    supported = threading.Event()
    support_changes, load_into = ingest._support_changes, PaperSpool.load_into

    def noted_support_changes(*args, **kwargs):
        yield from support_changes(*args, **kwargs)
        supported.set()

    def load_when_supported(self, db):
        assert supported.wait(timeout=10), "the support was computed only after the papers were loaded"
        load_into(self, db)

    monkeypatch.setattr(ingest, "_support_changes", noted_support_changes)
    monkeypatch.setattr(PaperSpool, "load_into", load_when_supported)
    with Store(tmp_path / "g").transaction() as db:
        add_extractions(db, all_papers())
    assert triples(Store(tmp_path / "g")) == triples(build(tmp_path / "plain", all_papers()))


def _dated(ex: PaperExtraction, date: str) -> PaperExtraction:
    return replace(ex, paper=replace(ex.paper, date=date))


def _loads_noted(on_ask: Callable[[], object], on_queue: Callable[[], object] = lambda: None):
    """`_Loads.run` that calls `on_queue` as it queues a load and `on_ask` whenever the load's
    result is asked for (the build asks for the papers' load before it reads them)."""
    run = ingest._Loads.run

    def noted(self, load, *args):
        on_queue()
        future = run(self, load, *args)
        result = future.result

        def asked_result(timeout=None):
            on_ask()
            return result(timeout)

        future.result = asked_result  # type: ignore[method-assign]
        return future

    return noted


def test_what_reads_the_papers_at_the_end_waits_for_them(tmp_path, sa_settled, monkeypatch):
    """The build's papers relinked from the spool: an entity's first paper is found again among
    its papers, and a relation is counted again from its mentions, only once the papers are
    loaded. Here the papers load only when something asks for them: a read before the ask would
    find them missing."""
    from paperkg.kg import timeline

    asked, loaded, reads = threading.Event(), threading.Event(), []
    load_into = PaperSpool.load_into

    def load_when_asked(self, db):
        assert asked.wait(timeout=10), "nothing asked for the papers"
        load_into(self, db)
        loaded.set()

    def reading(name, read):
        def noted(*args):
            reads.append((name, loaded.is_set()))
            return read(*args)

        return noted

    papers = [_dated(undefined_sa(), "2024-03-01"), _dated(undefined_sa_again(), "2024-02-01"), defining_sa()]
    with monkeypatch.context() as patched:
        patched.setattr(PaperSpool, "load_into", load_when_asked)
        patched.setattr(ingest._Loads, "run", _loads_noted(asked.set))
        patched.setattr(timeline, "_dated_papers", reading("first paper", timeline._dated_papers))
        patched.setattr(ingest, "recount", reading("recount", ingest.recount))
        relinked = build(tmp_path / "relinked", papers, chunk_size=1)
    assert {name for name, _ in reads} == {"first paper", "recount"}
    assert all(after_load for _, after_load in reads), reads
    assert triples(relinked) == triples(build(tmp_path / "once", papers))


def test_what_reads_nothing_of_the_papers_does_not_wait_behind_what_does(tmp_path, sa_settled, monkeypatch):
    """An entity lost its first paper (its time data waits for the papers): the relations' support
    is still computed up to its own wait before the papers are asked for."""
    events = []
    support_changes = ingest._support_changes

    def noted_support_changes(*args, **kwargs):
        events.append("support")
        yield from support_changes(*args, **kwargs)

    monkeypatch.setattr(ingest, "_support_changes", noted_support_changes)
    monkeypatch.setattr(ingest._Loads, "run", _loads_noted(lambda: events.append("papers asked")))
    papers = [_dated(undefined_sa(), "2024-03-01"), _dated(undefined_sa_again(), "2024-02-01"), defining_sa()]
    build(tmp_path / "relinked", papers, chunk_size=1)
    assert events[:2] == ["support", "papers asked"]


def test_the_lines_that_need_the_papers_are_set_aside_unread():
    waiting: list = []
    parts = [iter(["a1", PAPERS_NEEDED, "a2"]), iter(["b1", "b2"]), iter(["c1", PAPERS_NEEDED, "c2"])]
    assert list(ingest._until_papers_needed(parts, waiting)) == ["a1", "b1", "b2", "c1"]
    assert [list(part) for part in waiting] == [["a2"], ["c2"]]


def test_what_waits_for_the_papers_loads_after_the_rest_which_does_not_wait(tmp_path, sa_settled, monkeypatch):
    """Papers relinked from the spool: the descriptions and everything else that reads nothing of
    the papers are queued to load before the papers are asked for; what read them loads last, with
    the build's record, and the graph is the one a single chunk makes."""
    events = []
    run_noting = _loads_noted(lambda: events.append("papers asked"), lambda: events.append("load queued"))
    papers = [_dated(undefined_sa(), "2024-03-01"), _dated(undefined_sa_again(), "2024-02-01"), defining_sa()]
    with monkeypatch.context() as patched, Store(tmp_path / "relinked").transaction() as db:
        patched.setattr(ingest._Loads, "run", run_noting)
        recorded = _LoadsRecorded(db)
        add_extractions(recorded, papers, chunk_size=1)
    assert events[:4] == ["load queued", "load queued", "papers asked", "load queued"]  # then the loads end
    assert len(recorded.loads) == 3
    assert f"<{pkg.surfaceForm.value}>".encode() in recorded.loads[1]
    build_type = f"<{rdf.type.value}> <{pkg.Build.value}>".encode()
    assert [n for n, data in enumerate(recorded.loads) if build_type in data] == [2]
    assert f"<{pkg.supportPapers.value}>".encode() in recorded.loads[2]  # a relation counted again
    assert triples(Store(tmp_path / "relinked")) == triples(build(tmp_path / "once", papers))


def test_a_failed_end_load_is_raised_when_the_build_added_nothing(tmp_path, monkeypatch):
    """Every paper is there already, so nothing waits for the spool's load: its error still
    reaches the caller when the loads end, and the store says its graph is unchanged."""
    build(tmp_path / "g", all_papers())

    def broken_load(self, db):
        raise OSError("disk full")

    monkeypatch.setattr(PaperSpool, "load_into", broken_load)
    with pytest.raises(StoreError, match="disk full"), Store(tmp_path / "g").transaction() as db:
        add_extractions(db, all_papers())


class _WritesRecorded(_LoadsRecorded):
    """Notes each write to the database: a bulk load, or quads added one way or another."""

    def __init__(self, db: ox.Store):
        super().__init__(db)
        self.writes: list[str] = []

    def bulk_load(self, *args, **kwargs) -> None:
        self.writes.append("load")
        super().bulk_load(*args, **kwargs)

    def extend(self, quads) -> None:
        quads = list(quads)
        if quads:
            self.writes.append("extend")
        self._db.extend(quads)

    def add(self, quad) -> None:
        self.writes.append("add")
        self._db.add(quad)


def test_nothing_is_written_after_a_first_builds_last_load(tmp_path):
    """A few quads written after the bulk loads overlap every index file, and the commit's
    compaction rewrites them all: the descriptions, the model families and the build's record load
    with the time data and the support (each load is merged into the database: fewer, less)."""
    with Store(tmp_path / "g").transaction() as db:
        recorded = _WritesRecorded(db)
        add_extractions(recorded, all_papers())
    assert set(recorded.writes) == {"load"}
    # the papers, then the rest as one load: descriptions, time data, support, families, the build
    assert len(recorded.loads) == 2
    for predicate in pkg.surfaceForm, pkg.undatedPapers, pkg.supportPapers, pkg.variantOf:
        assert [n for n, data in enumerate(recorded.loads) if f"<{predicate.value}>".encode() in data] == [1]
    assert f"<{rdf.type.value}> <{pkg.Build.value}>".encode() in recorded.loads[-1]


def test_a_builds_chunks_leave_no_cyclic_garbage_for_settle_to_freeze(tmp_path, sa_settled, monkeypatch):
    """`settle` freezes what each chunk keeps without collecting it first: there is nothing to collect,
    in a first build nor in one that relinks a stored paper."""
    found: list[int] = []
    freeze = gc.freeze

    def collected_then_frozen() -> None:
        found.append(gc.collect(1))
        freeze()

    monkeypatch.setattr(gc, "freeze", collected_then_frozen)
    with Store(tmp_path / "s").transaction() as db:
        add_extractions(db, [sa_undefined(), *all_papers()], chunk_size=2)
    with Store(tmp_path / "s").transaction() as db:
        add_extractions(db, [defining_sa()], chunk_size=2)
    assert len(found) > 3 and not any(found)
