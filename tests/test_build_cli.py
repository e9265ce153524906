"""`kg build` and `kg stats` through the CLI: real listings, bad input, --strict, the store option."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
READERS = ROOT / "tests" / "fixtures" / "readers"


def run(*args, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return result


def stats(store: Path) -> dict:
    result = run("stats", "--store", store, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("demo") / "store"
    result = run("build", DEMO, "--store", store)
    assert result.exit_code == 0, result.output
    return store


def test_demo_listings_build_one_node_per_paper(demo_store):
    numbers = stats(demo_store)
    # 73 records in the two listings, 8 of them the same paper listed twice
    assert numbers["papers"] == 65
    assert set(numbers) >= {"papers", "entities", "by_type", "triples"}
    assert numbers["entities"] == sum(numbers["by_type"].values()) > 0
    assert set(numbers["by_type"]) == {"Method", "Model", "Dataset", "Task", "Metric", "Concept"}


def test_building_the_same_input_again_changes_nothing(demo_store, tmp_path):
    store = tmp_path / "again"
    shutil.copytree(demo_store, store)
    before = stats(store)
    result = run("build", DEMO, "--store", store)
    assert result.exit_code == 0, result.output
    assert "0 new" in result.stderr
    assert stats(store) == before


def test_a_broken_line_is_reported_with_its_line_and_the_rest_lands(tmp_path):
    store = tmp_path / "store"
    result = run("build", READERS / "broken_line2.jsonl", "--store", store)
    assert result.exit_code == 0, result.output
    assert "broken_line2.jsonl:2:" in result.stderr
    assert stats(store)["papers"] == 2


def test_strict_stops_at_the_first_bad_record_and_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "store"
    assert run("build", READERS / "papers.jsonl", "--store", store).exit_code == 0
    before = stats(store)
    generation = (store / "CURRENT").read_text()
    result = run("build", READERS / "broken_line2.jsonl", "--store", store, "--strict")
    assert result.exit_code == 1
    assert "broken_line2.jsonl:2:" in result.stderr
    assert stats(store) == before
    assert (store / "CURRENT").read_text() == generation


@pytest.mark.parametrize(
    "bad",
    ["bad/empty.txt", "bad/binary.bin", "bad/cp1252.txt", "bad/whitespace_only.txt", "nothing_readable"],
)
def test_unreadable_input_gets_one_line_and_no_traceback(tmp_path, bad):
    store = tmp_path / "store"
    result = run("build", READERS / bad, "--store", store)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(READERS / bad) in result.stderr
    assert not (store / "CURRENT").exists()


def test_the_store_defaults_to_the_environment_variable(tmp_path):
    store = tmp_path / "from-env"
    env = {"PAPERKG_STORE": str(store)}
    assert run("build", READERS / "papers.jsonl", env=env).exit_code == 0
    result = run("stats", "--json", env=env)
    assert json.loads(result.stdout)["papers"] == stats(store)["papers"] > 0


def test_stats_without_a_graph_says_how_to_make_one(tmp_path):
    result = run("stats", "--store", tmp_path / "none")
    assert result.exit_code == 1
    assert "kg build" in result.stderr
