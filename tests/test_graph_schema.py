"""The vocabulary (ontology.ttl, vocab.PKG) agrees with itself and with built graphs; SHACL validation."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from graph_papers import all_papers, build
from rdflib.namespace import OWL, RDF, RDFS

from paperkg.kg.cli import main
from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES, pkg, prov, rdf, skos
from paperkg.kg.validate import validate_store
from paperkg.schema import ONTOLOGY_PATH, SHAPES_PATH
from paperkg.schema.namespaces import TERMS
from paperkg.schema.vocab import PKG

NS = str(PKG._NS)
DECLARED_AS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Store:
    return build(tmp_path_factory.mktemp("graph") / "store", all_papers())


def declared_terms(ontology) -> set[str]:
    return {
        str(s)[len(NS) :]
        for s, _, o in ontology.triples((None, RDF.type, None))
        if o in DECLARED_AS and str(s).startswith(NS)
    }


def test_every_python_term_is_declared_with_a_label_and_a_comment_and_vice_versa(ontology):
    python_terms = set(PKG.__annotations__)
    assert python_terms == declared_terms(ontology)
    for term in python_terms:
        node = rdflib.URIRef(NS + term)
        assert ontology.value(node, RDFS.label), f"pkg:{term} has no rdfs:label"
        assert ontology.value(node, RDFS.comment), f"pkg:{term} has no rdfs:comment"


# rdflib's closed vocabularies, by name: held at module level, pytest's collection would probe them
@pytest.mark.parametrize("name", ["DCTERMS", "RDF", "SKOS", "PROV", "XSD", "SDO"])
def test_every_reused_term_exists_in_its_vocabulary(name):
    namespace = getattr(rdflib.namespace, name)
    declared = TERMS[str(namespace)]
    assert declared
    missing = {name for name in declared if name not in namespace.__annotations__}
    assert not missing, f"not terms of <{namespace}>: {sorted(missing)}"


@pytest.mark.parametrize("terms, typo", [(pkg, "paperCont"), (pkg, "Papers"), (skos, "prefLable")])
def test_an_undeclared_term_is_refused_not_minted(terms, typo):
    with pytest.raises(AttributeError, match=typo):
        getattr(terms, typo)
    with pytest.raises(AttributeError):
        getattr(PKG, typo)


def test_every_namespace_with_terms_is_a_prefix_users_can_write():
    assert set(TERMS) <= set(PREFIXES.values())


def test_schema_files_parse_in_an_independent_engine():
    assert len(list(ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE))) > 200
    assert len(list(ox.parse(path=SHAPES_PATH, format=ox.RdfFormat.TURTLE))) > 200


def test_every_vocabulary_term_a_built_graph_uses_is_declared(built, ontology):
    declared = declared_terms(ontology)
    used = set()
    for q in built.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        for term in (q.predicate, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
                used.add(term.value[len(NS) :])
    assert used and used <= declared, sorted(used - declared)


def test_a_built_graph_conforms_to_the_shapes(built):
    report = validate_store(built, slice_triples=1500)  # several slices: nodes judged across them
    assert report.conforms, report.text()
    assert report.triples == len(built)


# every hand-written graph the tests load (query, lookup, viz, ...): a test passing on a graph
# that kg build could never write would prove nothing
FIXTURE_GRAPHS = sorted((Path(__file__).parent / "fixtures").glob("*/graph.ttl"))


@pytest.mark.parametrize("path", FIXTURE_GRAPHS, ids=lambda path: path.parent.name)
def test_every_fixture_graph_conforms_to_the_shapes(path):
    db = ox.Store()
    db.load(path=str(path), format=ox.RdfFormat.TURTLE)
    report = validate_store(db)
    assert report.conforms, report.text()
    assert report.triples == len(db) > 0


def test_the_fixture_graphs_are_found():
    assert {path.parent.name for path in FIXTURE_GRAPHS} >= {"query", "lookup", "viz"}


def test_validate_command_passes_and_fails_with_a_readable_report(built, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "--store", str(built.path)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("valid:")

    broken = Store(tmp_path / "broken")
    with broken.transaction() as db:
        db.extend(built.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        label = next(iter(db.quads_for_pattern(None, skos.prefLabel, None)))
        db.remove(label)  # an entity without its preferred label
        role = next(iter(db.quads_for_pattern(None, pkg.proposes, None)))
        db.remove(ox.Quad(role.subject, pkg.mentions, role.object))  # a role without its mention
        db.add(
            ox.Quad(
                label.subject,
                pkg.paperCount,
                ox.Literal("0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            )
        )
    failed = runner.invoke(main, ["validate", "--store", str(broken.path)])
    assert failed.exit_code == 2
    assert "invalid:" in failed.output
    assert "pkgsh:EntityShape skos:prefLabel" in failed.output
    assert label.subject.value in failed.output
    assert "has a role for is not among its pkg:mentions" in failed.output
    as_json = runner.invoke(main, ["validate", "--store", str(broken.path), "--json"])
    report = json.loads(as_json.output)
    assert report["conforms"] is False
    assert {v["path"] for v in report["violations"]} >= {"skos:prefLabel", "pkg:paperCount"}


def test_validate_needs_a_store(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no graph at" in result.output


def test_a_mention_repeats_neither_its_sentences_field_nor_its_papers_build(built):
    """A third of a graph's quads are mentions': what their sentence and paper say is read there."""
    db = built.oxigraph
    mentions = {q.subject for q in db.quads_for_pattern(None, rdf.type, pkg.Mention)}
    assert mentions
    for predicate in (pkg.field, prov.wasGeneratedBy):
        assert not any(q.subject in mentions for q in db.quads_for_pattern(None, predicate, None)), predicate
    traced = db.query(
        "SELECT DISTINCT ?m WHERE { ?m a pkg:Mention ; pkg:sentence/pkg:field ?field ; "
        "pkg:paper/prov:wasGeneratedBy ?build . ?build a pkg:Build }",
        prefixes=PREFIXES,
    )
    assert {row["m"] for row in traced} == mentions
