"""Shared by the query tests: the tiny graph of tests/fixtures/query in a temporary store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main
from paperkg.kg.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "query" / "graph.ttl"
FIXTURE_TRIPLES = 369
ENTITY = "https://w3id.org/paperkg/id/entity/"
PAPER = "https://w3id.org/paperkg/id/paper/"
PKG = "https://w3id.org/paperkg/ns#"
HOSTILE_TITLE = 'Editing "Facts" } with [bold]ROME[/bold]\na second line'

# A binding for every parameter of the named queries, by name (each resolves in the fixture).
NAMED_BINDINGS = {
    "cooccurring-entities": ["entity=SAE"],
    "first-appearances": ["type=Method"],
    "rising-entities": ["type=Method"],
    "bursts": ["type=Concept"],
    "entity-relations": ["entity=sparse autoencoders"],
    "evidence": ["paper=2401.00001", "entity=SAE"],
    "method-datasets": ["method=SAE"],
    "methods-for-task": ["task=mechanistic interpretability"],
    "metrics-per-dataset": ["dataset=The Pile"],
    "paper-mentions": ["paper=arXiv:2401.00001", "entity=SAE"],
    "paper-proposes": ["paper=2401.00001"],
    "papers-using": ["entity=SAE"],
    "acronyms": ["acronym=SAE"],
    "external-links": [],
    "model-families": ["model=Pythia"],
}

# Named queries that read only entities in at least 10 papers: none in the fixture, so they answer
# nothing here; tests/test_trends_report.py checks their answers on a store of 1,200 papers.
ABOVE_THE_FIXTURE = {"first-appearances", "rising-entities", "bursts"}


def load_fixture(path: Path) -> Store:
    store = Store(path)
    with store.transaction() as db:
        db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
        del db  # the transaction closes the writer by dropping it
    return store


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """A fresh store holding the fixture graph (tests may change it)."""
    monkeypatch.delenv("PAPERKG_BASE", raising=False)
    return load_fixture(tmp_path / "store")


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory) -> Store:
    """One store holding the fixture graph, for tests that only read."""
    return load_fixture(tmp_path_factory.mktemp("query") / "store")


def kg(*args: str):
    """Run `kg ARGS...` in-process; the result has .exit_code, .stdout and .stderr."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def bindings_of(stdout: str) -> list[dict]:
    """The rows of a SPARQL results JSON document, each row as a {var: term-dict} mapping."""
    return json.loads(stdout)["results"]["bindings"]


def values(rows: list[dict], var: str) -> list:
    return [row[var]["value"] if var in row else None for row in rows]


def snapshot(store: Store) -> tuple[str, str]:
    """What identifies the live graph: its generation and a digest of its canonical N-Triples."""
    quads = sorted(str(q) for q in Store(store.path).oxigraph)
    return (store.path / "CURRENT").read_text(), hashlib.sha256("\n".join(quads).encode()).hexdigest()
