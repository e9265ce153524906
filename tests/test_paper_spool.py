"""A build's papers' own quads wait in a file (kg.spool) and reach the store in one load at its end."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pyoxigraph as ox
from graph_papers import all_papers, build, protopnet, sa_undefined, triples

from paperkg.kg import ingest
from paperkg.kg.ingest import add_extractions
from paperkg.kg.spool import PaperSpool
from paperkg.kg.store import Store
from paperkg.kg.terms import pkg, rdf

SENTENCE_TYPE = f"<{rdf.type.value}> <{pkg.Sentence.value}>".encode()


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


def test_a_builds_own_quads_are_loaded_once_after_its_last_chunk(tmp_path):
    with Store(tmp_path / "g").transaction() as db:
        recorded = _LoadsRecorded(db)
        add_extractions(recorded, all_papers(), chunk_size=1)
    with_sentences = [n for n, data in enumerate(recorded.loads) if SENTENCE_TYPE in data]
    chunks = len(all_papers())
    assert with_sentences == [chunks]  # after the chunks' own loads, before the summaries'


def test_a_paper_of_an_earlier_chunk_is_relinked_from_the_spool(tmp_path, sa_settled):
    """A definition in a later chunk moves an acronym an earlier chunk's paper used undefined:
    that paper is read from the spool, and the graph is the one a single chunk makes."""
    papers = [sa_undefined(), protopnet()]
    with Store(tmp_path / "chunked").transaction() as db:
        assert add_extractions(db, papers, chunk_size=1).relinked == 1
    assert triples(Store(tmp_path / "chunked")) == triples(build(tmp_path / "once", papers))


def test_the_descriptions_are_computed_while_the_papers_load(tmp_path, monkeypatch):
    """At the build's end the spooled papers load on a thread of their own while the build's
    thread computes the entities' descriptions, which read nothing the papers hold."""
    describing = threading.Event()
    write, load_into = ingest.Descriptions.write, PaperSpool.load_into

    def noted_write(self, *args, **kwargs):
        describing.set()
        write(self, *args, **kwargs)

    def load_when_describing(self, db):
        assert describing.wait(timeout=10), "the papers were loaded before the descriptions began"
        load_into(self, db)

    monkeypatch.setattr(ingest.Descriptions, "write", noted_write)
    monkeypatch.setattr(PaperSpool, "load_into", load_when_describing)
    with Store(tmp_path / "g").transaction() as db:
        add_extractions(db, all_papers())
    assert any(Store(tmp_path / "g").oxigraph.quads_for_pattern(None, rdf.type, pkg.Sentence))
