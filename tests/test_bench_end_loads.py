"""bench.end_loads: every variant loads the same quads a build's end loads (no timing asserted)."""

from __future__ import annotations

import json

import pytest

from bench import end_loads
from paperkg.kg.allocator import library


def _nquads(n: int, name: str) -> bytes:
    return b"".join(f'<http://ex.org/{name}{i}> <http://ex.org/p> "{i}" .\n'.encode() for i in range(n))


def test_every_variant_loads_every_captured_quad(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "load-1.nq").write_bytes(_nquads(30, "paper"))
    (work / "load-2.nq").write_bytes(_nquads(20, "entity"))
    (work / "load-10.nq").write_bytes(_nquads(5, "relation"))  # the tenth load: after the second, not the first
    out = tmp_path / "out.json"

    end_loads.main(["unused-corpus.jsonl", "--work", str(work), "--repeat", "1", "--out", str(out)])

    results = json.loads(out.read_text())
    assert list(results["files"]) == ["load-1.nq", "load-2.nq", "load-10.nq"]
    assert {v: [r["quads"] for r in row["runs"]] for v, row in results["variants"].items()} == {
        v: [55] for v in end_loads.VARIANTS
    }
    assert sorted((work / "sorted.nq").read_bytes().splitlines()) == (work / "sorted.nq").read_bytes().splitlines()


@pytest.mark.skipif(library() is None, reason="mimalloc's library (cmeel-mimalloc) is Linux-only")
def test_each_variant_loads_under_each_allocator_asked_for(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "load-1.nq").write_bytes(_nquads(30, "paper"))
    out = tmp_path / "out.json"

    argv = ["unused.jsonl", "--work", str(work), "--repeat", "1", "--variants", "four,one", "--out", str(out)]
    end_loads.main([*argv, "--allocators", "glibc,mimalloc"])

    runs = json.loads(out.read_text())["variants"]
    assert {v: [r["quads"] for r in row["runs"]] for v, row in runs.items()} == {
        "four glibc": [30],
        "four mimalloc": [30],
        "one glibc": [30],
        "one mimalloc": [30],
    }
    assert end_loads._environment("mimalloc")["LD_PRELOAD"] == str(library())
    assert end_loads._environment("glibc") is None


@pytest.mark.skipif(library() is None, reason="mimalloc's library (cmeel-mimalloc) is Linux-only")
def test_mimallocs_options_are_set_for_the_loads_that_name_them(monkeypatch):
    monkeypatch.delenv("MIMALLOC_PURGE_DELAY", raising=False)
    environ = end_loads._environment("mimalloc:MIMALLOC_PURGE_DELAY=-1+MIMALLOC_ALLOW_LARGE_OS_PAGES=1")
    assert environ is not None and environ["LD_PRELOAD"] == str(library())
    assert (environ["MIMALLOC_PURGE_DELAY"], environ["MIMALLOC_ALLOW_LARGE_OS_PAGES"]) == ("-1", "1")
    assert "MIMALLOC_PURGE_DELAY" not in (end_loads._environment("mimalloc") or {})
