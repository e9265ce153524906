"""Every named query on the fixture graph (and on the seed graph): SPARQL results JSON, right answers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from query_support import (
    ABOVE_THE_FIXTURE,
    ENTITY,
    FIXTURE_TRIPLES,
    NAMED_BINDINGS,
    PAPER,
    bindings_of,
    kg,
    values,
)

from paperkg.kg.queries import named_queries
from paperkg.kg.store import Store
from paperkg.kg.terms import dcterms, pkg, rdf, xsd

P1, P2 = f"{PAPER}arxiv-2401.00001-aaaa0001", f"{PAPER}arxiv-2402.00002-aaaa0002"
P3, P4 = f"{PAPER}arxiv-2311.00003-aaaa0003", f"{PAPER}title-undated-paper-aaaa0004"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def named(store, name, *binds):
    args = ["query", "--store", str(store.path), "--named", name, "--json"]
    for bind in binds:
        args += ["--bind", bind]
    result = kg(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def rows(store, name, *binds):
    return bindings_of(json.dumps(named(store, name, *binds)))


def short(iris):
    return [i.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if i else i for i in iris]


def by_count(found, var, count):
    """Rows ranked by `count` as [(count, {short names})]: ties may come in any order."""
    groups: list[tuple[str, set]] = []
    for name, n in zip(short(values(found, var)), values(found, count)):
        if not groups or groups[-1][0] != n:
            groups.append((n, set()))
        groups[-1][1].add(name)
    return groups


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_returns_sparql_results_json(shared_store, name):
    for binds in ([], NAMED_BINDINGS.get(name, [])):
        document = named(shared_store, name, *binds)
        parsed = ox.parse_query_results(json.dumps(document), ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            assert document == {"head": {}, "boolean": bool(parsed)}
        else:
            assert document["head"]["vars"] == [v.value for v in parsed.variables]
            assert len(list(parsed)) == len(document["results"]["bindings"]), (name, binds)
            assert document["results"]["bindings"] or name in ABOVE_THE_FIXTURE, (name, binds)


def test_docs_list_every_named_query():
    docs = (Path(__file__).parents[1] / "docs" / "query.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in docs for name in named_queries())


def test_entities_per_type(shared_store):
    found = rows(shared_store, "entities-per-type")
    assert dict(zip(short(values(found, "type")), map(int, values(found, "entities")))) == {
        "Method": 3,
        "Concept": 2,
        "Dataset": 2,
        "Metric": 2,
        "Model": 2,
        "Task": 1,
    }


def test_model_families_count_the_papers_of_family_and_variants(shared_store):
    """Pythia itself is in no paper of the fixture: its one paper names Pythia-70M."""
    found = rows(shared_store, "model-families")
    assert list(zip(short(values(found, "model")), values(found, "variants"), values(found, "papers"))) == [
        ("pythia", "1", "1")
    ]


def test_most_used_datasets(shared_store):
    found = rows(shared_store, "most-used-datasets")
    assert short(values(found, "dataset")) == ["the-pile", "openwebtext"]
    assert values(found, "papers") == ["2", "1"]


def test_methods_for_task(shared_store):
    found = rows(shared_store, "methods-for-task", "task=mechanistic interpretability")
    assert by_count(found, "method", "papers") == [("2", {"sae"}), ("1", {"pythia-70m", "positional-encoding"})]


def test_paper_proposes(shared_store):
    assert short(values(rows(shared_store, "paper-proposes", "paper=2401.00001"), "entity")) == ["sae"]


def test_papers_proposing_methods(shared_store):
    found = rows(shared_store, "papers-proposing-methods")
    assert list(zip(values(found, "paper"), short(values(found, "method")))) == [(P1, "sae"), (P3, "rome")]


def proposals_store(path: Path, papers: int, dated: int):
    """`papers` papers, each proposing one entity of its own, a Method, Model, Dataset or Method
    in turn; the first `dated` of them have distinct dates, the newest last."""
    store = Store(path)
    with store.transaction() as db:
        for i in range(papers):
            paper, entity = ox.NamedNode(f"{PAPER}p{i:03d}"), ox.NamedNode(f"{ENTITY}e{i:03d}")
            db.add(ox.Quad(paper, pkg.proposes, entity))
            db.add(ox.Quad(entity, rdf.type, getattr(pkg, ("Method", "Model", "Dataset", "Method")[i % 4])))
            if i < dated:
                day = date(2025, 1, 1) + timedelta(days=i)
                db.add(ox.Quad(paper, dcterms.issued, ox.Literal(day.isoformat(), datatype=xsd.date)))
        del db  # the transaction closes the writer by dropping it
    return store


@pytest.mark.parametrize("dated", [140, 100])
def test_papers_proposing_methods_are_the_newest_hundred_methods_and_models(tmp_path, dated):
    """140 dated: the newest 100 of the 105 dated Methods and Models. 100 dated: their 75 Methods
    and Models, newest first, then 25 of the 45 undated ones (undated proposals come last)."""
    found = rows(proposals_store(tmp_path / "store", 160, dated), "papers-proposing-methods")
    proposed = [i for i in range(160) if i % 4 != 2]
    newest = sorted((i for i in proposed if i < dated), reverse=True)[:100]
    assert len(found) == 100
    assert values(found, "method")[: len(newest)] == [f"{ENTITY}e{i:03d}" for i in newest]
    assert set(values(found, "method")[len(newest) :]) <= {f"{ENTITY}e{i:03d}" for i in proposed if i >= dated}
    assert values(found, "issued").count(None) == 100 - len(newest)
    assert values(found, "paper") == [m.replace(f"{ENTITY}e", f"{PAPER}p") for m in values(found, "method")]


def test_method_datasets(shared_store):
    found = rows(shared_store, "method-datasets", "method=SAE")
    assert by_count(found, "dataset", "papers") == [("1", {"openwebtext", "the-pile"})]


def test_metrics_per_dataset(shared_store):
    found = rows(shared_store, "metrics-per-dataset", "dataset=The Pile")
    assert values(found, "metricLabel") == ["reconstruction loss"]


def test_cooccurring_entities_count_shared_papers(shared_store):
    found = rows(shared_store, "cooccurring-entities", "entity=SAE")
    assert by_count(found, "other", "count") == [
        ("2", {"the-pile", "mech-interp"}),
        (
            "1",
            {
                "pythia-70m",
                "reconstruction-loss",
                "openwebtext",
                "mse",
                "positional-encoding",
                "rome",
                "prediction-error",
                "feature",
            },
        ),
    ]


def test_acronyms_with_long_forms(shared_store):
    found = rows(shared_store, "acronyms")
    assert list(zip(values(found, "acronym"), values(found, "longForm"))) == [
        ("MSE", "mean squared error"),
        ("PE", "positional encoding"),
        ("PE", "prediction error"),
        ("ROME", "Rank-One Model Editing"),  # the long form is an alternative label here
        ("SAE", "sparse autoencoder"),
    ]
    assert values(rows(shared_store, "acronyms", "acronym=ROME"), "longForm") == ["Rank-One Model Editing"]


def test_papers_with_code(shared_store):
    found = rows(shared_store, "papers-with-code")
    assert values(found, "paper") == [P2, P1]
    assert values(found, "repository") == ["https://github.com/example/scaling", "https://github.com/example/sae"]


def test_evidence_for_a_paper_entity_link(shared_store):
    found = rows(shared_store, "evidence", "paper=2401.00001", "entity=SAE")
    assert list(zip(values(found, "field"), values(found, "start"), values(found, "exact"))) == [
        ("title", "0", "Sparse Autoencoders"),
        ("abstract", "9", "sparse autoencoders"),
        ("abstract", "30", "SAEs"),
    ]
    assert values(found, "sentence")[2] == "We train sparse autoencoders (SAEs) on Pythia-70M activations."


def test_papers_using(shared_store):
    found = rows(shared_store, "papers-using", "entity=SAE")
    assert values(found, "paper") == [P2, P1, P3, P4]
    assert short(values(found, "role")) == ["uses", "proposes", None, None]


def test_paper_mentions(shared_store):
    assert named(shared_store, "paper-mentions", "paper=2401.00001", "entity=SAE")["boolean"] is True
    assert named(shared_store, "paper-mentions", "paper=2401.00001", "entity=ROME")["boolean"] is False


def test_entity_relations(shared_store):
    found = rows(shared_store, "entity-relations", "entity=SAE")
    assert list(zip(values(found, "direction"), short(values(found, "relation")), short(values(found, "other")))) == [
        ("both", "comparedWith", "rome"),
        ("out", "evaluatedOn", "the-pile"),
        ("out", "usedFor", "mech-interp"),
    ]
    # reliable first (two papers state ROME's comparison), then by supporting papers
    assert [int(p) for p in values(found, "papers")] == [2, 1, 1]
    assert values(found, "reliable") == ["true", "false", "false"]


def count_agrees_with_rdflib(store, tmp_path: Path) -> int:
    """COUNT(*) over the store equals the same COUNT run by rdflib over the exported N-Triples."""
    import rdflib

    ours = int(values(bindings_of(kg("query", "--store", str(store.path), COUNT_ALL, "--json").stdout), "n")[0])
    export = tmp_path / "graph.nt"
    store.oxigraph.dump(str(export), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph = rdflib.Graph()
    graph.parse(export, format="nt")
    (theirs,) = next(iter(graph.query(COUNT_ALL)))
    assert ours == int(theirs) == len(graph)
    return ours


def test_triple_count_agrees_with_an_independent_engine(shared_store, tmp_path):
    assert count_agrees_with_rdflib(shared_store, tmp_path) == FIXTURE_TRIPLES


@pytest.mark.slow
def test_named_queries_on_the_seed_graph(tmp_path):
    """The done-when check on the real listings: extraction, linking, then every named query."""
    from paperkg.kg import build
    from paperkg.kg.store import Store

    build.build(Store(tmp_path / "seed"), [str(Path(__file__).parents[1] / "data" / "demo")])
    store = Store(tmp_path / "seed")
    assert count_agrees_with_rdflib(store, tmp_path) > 0
    for name in named_queries():
        document = named(store, name)
        assert "boolean" in document or "results" in document
