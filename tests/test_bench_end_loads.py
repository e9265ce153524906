"""bench.end_loads: every variant loads the same quads a build's end loads (no timing asserted)."""

from __future__ import annotations

import json

from bench import end_loads


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
