"""The benchmark harness: its corpus, its arithmetic, and one `python -m bench --quick` run.

No timing is asserted anywhere: the quick run only has to produce every section of the results.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import corpus
from bench.building import growth
from bench.process import run_measured, threads_by_name
from bench.targets import judge
from paperkg.extract.readers import read_inputs
from paperkg.extract.records import Paper

ROOT = Path(__file__).resolve().parents[1]
MINI_SCIERC = ROOT / "tests" / "fixtures" / "bench" / "scierc"


@pytest.fixture(scope="module")
def pool() -> corpus.Pool:
    return corpus.load_pool(MINI_SCIERC)


def test_scierc_tokens_become_running_text(pool):
    assert "We describe a toy tagger (TT) for bench tests." in pool.sentences
    assert "The tagger's accuracy is reported on a small corpus, as usual." in pool.sentences
    assert "Parsing is hard: it isn't solved yet." in pool.sentences
    assert "Results improve by 3% over the baseline [1]." in pool.sentences


def test_pool_takes_demo_and_scierc_abstracts(pool):
    assert pool.sources["scierc"] == 2
    assert pool.sources["demo"] > 60
    assert 3 in pool.lengths and 2 in pool.lengths  # the mini documents' sentence counts


def test_corpus_is_deterministic_distinct_and_prefix_stable(pool):
    papers = corpus.papers(300, pool, seed=3)
    assert papers == corpus.papers(300, pool, seed=3)
    assert papers != corpus.papers(300, pool, seed=4)
    assert papers[:40] == corpus.papers(40, pool, seed=3)
    assert papers[250:] == corpus.papers(50, pool, seed=3, start=250)
    assert len({p["id"] for p in papers}) == len({p["title"] for p in papers}) == 300
    assert all(p["abstract"] for p in papers)


def test_corpus_file_reads_back_as_distinct_papers(pool, tmp_path):
    path = corpus.write_jsonl(tmp_path / "c.jsonl", corpus.papers(120, pool))
    read = [p for p in read_inputs([str(path)]) if isinstance(p, Paper)]
    assert len(read) == 120
    assert len({p.key for p in read}) == 120
    assert all(p.key.startswith("arxiv:") for p in read)


def _row(n, seconds, mib=100.0):
    return {
        "papers_in": n,
        "wall_s": seconds,
        "cpu_s": seconds,
        "peak_pss_mib": mib,
        "max_rss_mib": mib,
        "store_mib": n / 10,
        "triples": n * 1000,
    }


def test_growth_exponent_is_one_for_linear_and_two_for_quadratic():
    linear = growth([_row(1000, 10), _row(5000, 50)])[0]
    assert linear["cpu_exponent"] == pytest.approx(1.0)
    assert linear["cpu_per_5x"] == pytest.approx(5.0)
    quadratic = growth([_row(1000, 10), _row(10000, 1000)])[0]
    assert quadratic["cpu_exponent"] == pytest.approx(2.0)
    assert quadratic["cpu_per_5x"] == pytest.approx(25.0)


_BUSY_THREADS = """
import threading, time
def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
def named(name, seconds):
    tid = threading.get_native_id()
    with open(f"/proc/self/task/{tid}/comm", "w") as comm:
        comm.write(name)
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
workers = [threading.Thread(target=named, args=(f"pool{i}", 0.3)) for i in range(2)]
for w in workers:
    w.start()
for w in workers:
    w.join()
time.sleep(0.3)  # a sample after the pool's last tick
"""


def test_a_childs_cpu_is_split_by_thread_name_with_a_pool_counted_once():
    run = run_measured([sys.executable, "-c", _BUSY_THREADS], interval=0.05).check()
    threads = run.main_threads_cpu_s
    assert threads["pool"] >= 0.4  # two threads of 0.3 s each, named pool0 and pool1: one pool
    assert not {"pool0", "pool1"} & set(threads)
    assert sum(threads.values()) == pytest.approx(run.main_cpu_s, abs=0.2)


_GROWS_THEN_HOLDS = """
import time
held = []
for _ in range(8):
    held.append(bytearray(25 * 2**20))  # 200 MiB in steps, each page touched
    time.sleep(0.1)
time.sleep(1.5)
"""


def test_peak_pss_is_read_as_the_child_grows_not_at_every_sample(monkeypatch):
    """Reading smaps_rollup walks a process's page tables: at a 3 GiB build's size, every 0.1 s
    it took a fifth of a core from the build. It is read on growth, not on every cheap sample."""
    import bench.process

    reads = []
    pss = bench.process._pss_kib
    monkeypatch.setattr(bench.process, "_pss_kib", lambda pid: reads.append(pid) or pss(pid))
    run = run_measured([sys.executable, "-c", _GROWS_THEN_HOLDS], interval=0.02).check()
    assert run.peak_pss_mib >= 150  # the 200 MiB held, read while it grew
    samples = run.wall_s / 0.02
    assert 1 <= len(reads) <= run.wall_s / bench.process._Sampler.PSS_EVERY_S + 1 < samples / 4
    assert run.harness_cpu_s > 0


def test_threads_by_name_sums_numbered_threads_and_orders_by_cpu():
    tick = __import__("os").sysconf("SC_CLK_TCK")
    threads = {"1": ("kg", 2 * tick), "2": ("rocksdb:low0", 3 * tick), "3": ("rocksdb:low1", tick)}
    assert threads_by_name(threads) == {"rocksdb:low": 4.0, "kg": 2.0}


def test_targets_are_judged_only_at_the_sizes_they_name():
    small = {"build": {"rows": [_row(1000, 10), _row(5000, 100)], "growth": growth([_row(1000, 10), _row(5000, 100)])}}
    verdicts = {t["target"]: t["met"] for t in judge(small)}
    assert verdicts["build 10k abstracts"] is None
    assert verdicts["build time growth"] is False
    big = {"build": {"rows": [_row(10_000, 200, 900.0), _row(50_000, 900, 2500.0)], "growth": []}}
    verdicts = {t["target"]: t["met"] for t in judge(big)}
    assert verdicts["build 10k abstracts"] is False
    assert verdicts["peak memory at 50k"] is False


def test_quick_run_writes_every_section(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--markdown",
            str(tmp_path / "table.md"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    for section in (
        "machine",
        "config",
        "corpus",
        "extraction",
        "build",
        "queries",
        "lookup",
        "viz",
        "incremental",
        "targets",
    ):
        assert section in results, section
        assert "error" not in results[section], results[section]
    machine = results["machine"]
    assert machine["cores"] >= 1 and machine["python"] and machine["packages"]["spacy"]
    assert "this machine only" in machine["note"]
    assert machine["host_ms"] > 0  # the VM's speed beside the numbers
    assert {"spacy_blank_tokenizer", "extractor_1_process"} <= set(results["extraction"]["rows"])
    assert [r["papers_in"] for r in results["build"]["rows"]] == [10, 50]
    assert all(r["triples"] > 0 and r["peak_pss_mib"] > 0 for r in results["build"]["rows"])
    assert len(results["build"]["growth"]) == 1
    queries = results["queries"]["queries"]
    assert queries and all("paperkg_ms" in q and "rdflib_ms" in q for q in queries)
    assert results["queries"]["triples"] == results["queries"]["rdflib_triples"]
    assert "hub entity" in results["lookup"]["rows"]
    assert results["viz"]["html_mib"] > 0
    assert results["incremental"]["add"]["papers"] == 60
    assert "| build |" in (tmp_path / "table.md").read_text()
