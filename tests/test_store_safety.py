"""The store under concurrency and on hostile ground: readers during writes, foreign folders,
disk errors (issue 17, points 2, 3 and 6)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main
from paperkg.kg.iris import entity_iri, one_base, paper_iri
from paperkg.kg.store import MARKER, Store, StoreError

P = ox.NamedNode("http://example.org/p")


def write(store: Store, n: int) -> None:
    with store.transaction() as db:
        db.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{n}-{i}"), P, ox.Literal(str(i))) for i in range(20)])


_READER = textwrap.dedent(
    """
    import sys, time
    from paperkg.kg.store import Store
    path, stop = sys.argv[1], sys.argv[2]
    import os
    reads = failures = 0
    while not os.path.exists(stop):
        store = Store(path)
        try:
            n = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
            assert n % 20 == 0 and n > 0, n
            reads += 1
        except Exception as exc:
            failures += 1
            print(type(exc).__name__, exc, file=sys.stderr)
        store.close()
    print(reads, failures)
    """
)


def test_readers_never_fail_while_a_writer_replaces_generations(tmp_path):
    store = Store(tmp_path / "g")
    write(store, 0)
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(store.path), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for n in range(1, 40):
            write(store, n)
    finally:
        stop.touch()
    outcomes = [reader.communicate(timeout=60) for reader in readers]
    for out, err in outcomes:
        reads, failures = map(int, out.split())
        assert failures == 0, err
        assert reads > 0
    assert len(store) == 40 * 20
    # once the readers are gone, the next write removes every old generation
    write(store, 40)
    assert sorted(p.name for p in store.path.glob("gen-*")) == [(store.path / "CURRENT").read_text()]


def test_an_open_reader_keeps_its_generation_past_a_write(tmp_path):
    store = Store(tmp_path / "g")
    write(store, 0)
    reader = Store(store.path)
    assert len(reader) == 20
    write(store, 1)
    write(store, 2)
    assert len(reader) == 20  # its generation is still there, whole
    assert len(Store(store.path)) == 60
    reader.close()
    write(store, 3)
    assert len(list(store.path.glob("gen-*"))) == 1


def test_a_folder_of_ones_own_is_refused_and_left_as_it_was(tmp_path):
    folder = tmp_path / "u"
    (folder / "gen-results").mkdir(parents=True)
    (folder / "gen-results" / "data.csv").write_text("x\n")
    data = tmp_path / "papers.jsonl"
    data.write_text('{"title": "A paper", "abstract": "Sparse autoencoders."}\n')
    result = CliRunner().invoke(main, ["build", str(data), "--store", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "not a paperkg store and not empty" in result.stderr
    assert (folder / "gen-results" / "data.csv").read_text() == "x\n"
    assert sorted(p.name for p in folder.iterdir()) == ["gen-results"]


def test_an_empty_folder_becomes_a_marked_store_and_foreign_names_in_it_survive(tmp_path):
    store = Store(tmp_path / "empty")
    store.path.mkdir()
    write(store, 0)
    assert (store.path / MARKER).is_file()
    mine = store.path / "gen-notes"  # not a generation name: never deleted
    mine.mkdir()
    write(store, 1)
    assert mine.is_dir()


def test_a_store_written_before_the_marker_is_still_a_store(tmp_path):
    store = Store(tmp_path / "g")
    write(store, 0)
    (store.path / MARKER).unlink()
    write(store, 1)
    assert len(store) == 40 and (store.path / MARKER).is_file()


@pytest.mark.parametrize(
    "code, words", [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")]
)
def test_a_disk_error_during_a_write_is_one_line_and_the_graph_is_unchanged(tmp_path, monkeypatch, code, words):
    store = Store(tmp_path / "g")
    write(store, 0)
    generation = (store.path / "CURRENT").read_text()

    def broken_flush(self):
        raise OSError(code, os.strerror(code))

    from paperkg.kg import store as store_module

    monkeypatch.setattr(store_module._Writer, "flush", broken_flush, raising=False)
    with pytest.raises(StoreError) as caught:
        write(store, 1)
    message = str(caught.value)
    assert words in message and "the graph is unchanged" in message and "\n" not in message
    assert (store.path / "CURRENT").read_text() == generation
    assert len(Store(store.path)) == 20
    assert len(list(store.path.glob("gen-*"))) == 1  # the failed generation is gone


def test_a_killed_writes_generation_is_reported_and_removed_by_the_next_write(tmp_path):
    import shutil

    store = Store(tmp_path / "g")
    write(store, 0)
    shutil.copytree(store.path / "gen-000001", store.path / "gen-000002")  # as a killed write leaves it
    assert [g.name for g in store.leftovers()] == ["gen-000002"]
    result = CliRunner().invoke(main, ["stats", "--store", str(store.path)])
    assert result.exit_code == 0
    assert "note: gen-000002 left by an interrupted write; the next write removes it\n" in result.stderr
    store.close()
    write(store, 1)
    assert store.leftovers() == [] and len(store) == 40  # the new gen-000002 is built afresh
    assert [g.name for g in store.path.glob("gen-*")] == [(store.path / "CURRENT").read_text()]


def test_a_store_refuses_a_base_iri_other_than_the_one_it_was_built_with(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    write(store, 0)
    assert "base https://w3id.org/paperkg/id/" in (store.path / MARKER).read_text()
    monkeypatch.setenv("PAPERKG_BASE", "https://example.org/other/")
    with pytest.raises(StoreError, match="built with base IRI <https://w3id.org/paperkg/id/>"):
        write(Store(store.path), 1)
    with pytest.raises(StoreError, match="PAPERKG_BASE"):
        len(Store(store.path))
    monkeypatch.delenv("PAPERKG_BASE")
    assert len(Store(store.path)) == 20  # nothing was changed


def test_a_build_mints_its_iris_under_the_base_it_started_with(monkeypatch):
    # the base is read once per build (kg.iris.one_base), then again outside it
    monkeypatch.setenv("PAPERKG_BASE", "https://example.org/first/")
    with one_base():
        monkeypatch.setenv("PAPERKG_BASE", "https://example.org/second/")
        assert entity_iri("bert").value.startswith("https://example.org/first/entity/")
        assert paper_iri("arxiv:1").value.startswith("https://example.org/first/paper/")
    assert entity_iri("bert").value.startswith("https://example.org/second/entity/")


def test_a_store_from_before_the_base_record_gets_one_at_its_next_write(tmp_path):
    store = Store(tmp_path / "store")
    write(store, 0)
    marker = store.path / MARKER
    marker.write_text(marker.read_text().split("base ")[0])
    assert len(Store(store.path)) == 20
    write(Store(store.path), 1)
    assert marker.read_text().count("base https://w3id.org/paperkg/id/") == 1


# -- what a write derives for its readers ----------------------------------------------------------


def test_a_writes_derived_caches_read_its_graph_before_the_switch_and_are_kept_after(tmp_path):
    store = Store(tmp_path / "g")
    write(store, 0)
    old = store.generation
    seen = {}

    def derive(new: Store) -> None:
        seen["live"] = Store(store.path).generation  # still the old one
        seen["count"] = new.triples()
        new.keep_json("derived", {"generation": new.generation})
        assert new.kept_json("derived") == {"generation": new.generation}
        assert not list((store.path / "cache").glob(f"*-{new.generation}*"))  # nothing on disk yet

    with store.transaction(compact=True, derive=derive) as db:
        db.extend([ox.Quad(ox.NamedNode("http://example.org/new"), P, ox.Literal("1"))])
    live = Store(store.path)
    assert seen == {"live": old, "count": 21}
    assert live.kept_json("derived") == {"generation": live.generation} and live.generation != old
    assert (live.path / "cache" / f"triples-{live.generation}").read_text() == "21"


def test_a_derive_that_fails_leaves_the_old_graph_and_keeps_nothing(tmp_path):
    store = Store(tmp_path / "g")
    write(store, 0)
    old = store.generation

    def derive(new: Store) -> None:
        new.keep_json("derived", {})
        raise RuntimeError("cannot derive")

    with pytest.raises(RuntimeError, match="cannot derive"), store.transaction(compact=True, derive=derive) as db:
        db.extend([ox.Quad(ox.NamedNode("http://example.org/new"), P, ox.Literal("1"))])
    live = Store(store.path)
    assert live.generation == old and len(live) == 20
    assert live.kept_json("derived") is None and not list(live.path.glob("cache/derived-*"))


def test_what_runs_beside_the_compaction_runs_at_the_same_time():
    """`_beside` runs both at once: each waits here for the other to have started."""
    from paperkg.kg.store import _beside

    started = {"background": threading.Event(), "work": threading.Event()}

    def run(me: str, other: str) -> None:
        started[me].set()
        assert started[other].wait(timeout=10), f"{other} did not run beside {me}"

    def failing() -> None:
        raise ValueError("background")

    _beside(lambda: run("background", "work"), lambda: run("work", "background"))
    with pytest.raises(ValueError, match="background"):
        _beside(failing, lambda: None)
