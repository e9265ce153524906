"""The networkx view of the store and the exports built on the store and the view."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from graph_papers import all_papers, build

from paperkg.kg import export as kg_export
from paperkg.kg.cli import main
from paperkg.kg.iris import entity_iri
from paperkg.kg.view import graph_view

SAE = entity_iri("sparseautoencoder").value


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("graph") / "store", all_papers())


def test_view_nodes_carry_the_documented_attributes(built):
    g = graph_view(built)
    assert isinstance(g, nx.MultiDiGraph)
    node = g.nodes[SAE]
    assert node["kind"] == "entity" and node["type"] == "Method"
    assert node["label"] == "SAE"  # written more often than its long form
    assert {"SAEs", "sparse autoencoders"} <= set(node["aliases"])
    assert node["acronyms"] == ["SAE"]
    assert node["papers"] == 4 and node["mentions"] >= node["papers"]
    assert len(node["paper_titles"]) == 3 and all(isinstance(t, str) for t in node["paper_titles"])
    assert all(d["type"] in ("Method", "Model", "Dataset", "Task", "Metric", "Concept") for _, d in g.nodes(data=True))


def test_view_edges_are_typed_and_weighted(built):
    g = graph_view(built)
    relations = {d["relation"] for _, _, d in g.edges(data=True)}
    assert "coOccursWith" in relations and relations & {"hyponymOf", "comparedWith", "usedFor"}
    for u, v, key, d in g.edges(keys=True, data=True):
        assert key == d["relation"] and d["weight"] >= 1
        if key == "coOccursWith":
            assert u < v  # one edge per pair
    vsae = entity_iri("variationalsparseautoencoder").value
    assert g.edges[SAE, vsae, "coOccursWith"]["weight"] == 1  # SAE's IRI sorts first


def test_view_filters_and_paper_nodes(built):
    small = graph_view(built, min_papers=2)
    assert SAE in small and all(d["papers"] >= 2 for _, d in small.nodes(data=True))
    top = graph_view(built, max_nodes=3, types=["Method", "Model"])
    assert len(top) == 3 and SAE in top
    with_papers = graph_view(built, include_papers=True)
    papers = [n for n, d in with_papers.nodes(data=True) if d["kind"] == "paper"]
    assert len(papers) == 12
    roles = {d["relation"] for u, _, d in with_papers.edges(data=True) if u in papers}
    assert "proposes" in roles and "mentions" in roles
    with pytest.raises(ValueError, match="unknown type Gadget"):
        graph_view(built, types=["Gadget"])


def test_restricted_and_full_views_agree_on_cooccurrence(built):
    full = graph_view(built)
    restricted = graph_view(built, max_nodes=len(full))
    assert sorted(full.edges(keys=True, data="weight")) == sorted(restricted.edges(keys=True, data="weight"))


# -- exports ---------------------------------------------------------------------------------------

RDF_PARSE = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@pytest.mark.parametrize("fmt", RDF_PARSE)
def test_rdf_exports_hold_every_triple_kg_stats_counts(built, tmp_path, fmt):
    runner = CliRunner()
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(main, ["export", "--store", str(built.path), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    stats = json.loads(runner.invoke(main, ["stats", "--store", str(built.path), "--json"]).output)
    assert sum(1 for _ in ox.parse(path=out, format=RDF_PARSE[fmt])) == stats["triples"]
    if fmt == "turtle":  # and in an engine that shares no code with the writer
        assert len(rdflib.Graph().parse(out, format="turtle")) == stats["triples"]


def test_jsonld_is_one_compact_document_rdflib_reads(built, tmp_path):
    out = tmp_path / "graph.jsonld"
    kg_export.export(built, "jsonld", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["pkg"] == "https://w3id.org/paperkg/ns#"
    assert len(rdflib.Graph().parse(out, format="json-ld")) == len(built)


def test_graphml_and_gexf_read_back_with_the_view_attributes(built, tmp_path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"graph.{fmt}"
        kg_export.export(built, fmt, out)
        g = reader(out)
        assert g.number_of_nodes() == graph_view(built).number_of_nodes()
        assert "SAE" in g.nodes[SAE]["aliases"]


def test_csv_writes_node_and_edge_tables(built, tmp_path):
    written = kg_export.export(built, "csv", tmp_path / "graph.csv")
    assert [p.name for p in written] == ["graph.nodes.csv", "graph.edges.csv"]
    with open(written[0], encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(written[1], encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    sae = next(n for n in nodes if n["id"] == SAE)
    assert sae["label"] == "SAE" and "SAEs" in sae["aliases"].split("; ")
    assert {e["relation"] for e in edges} >= {"coOccursWith"}
    assert len(edges) == graph_view(built).number_of_edges()


def test_a_failed_export_leaves_the_previous_file_alone(built, tmp_path, monkeypatch):
    out = tmp_path / "graph.jsonld"
    out.write_text("previous", encoding="utf-8")

    def broken(db, path):
        path.write_text("half a docu", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(kg_export, "_write_jsonld", broken)
    with pytest.raises(OSError, match="disk full"):
        kg_export.export(built, "jsonld", out)
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.jsonld"]  # no temporary left behind


def test_export_errors_are_one_line(built, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(
        main,
        ["export", "--store", str(built.path), "--format", "turtle", "-o", str(tmp_path / "no" / "such" / "g.ttl")],
    )
    assert missing.exit_code == 1 and "no such directory" in missing.output
    bad = runner.invoke(main, ["export", "--store", str(built.path), "--format", "rdfxml", "-o", "x"])
    assert bad.exit_code == 2 and "rdfxml" in bad.output
    empty = runner.invoke(main, ["export", "--store", str(tmp_path / "none"), "--format", "turtle", "-o", "x"])
    assert empty.exit_code == 1 and "no graph at" in empty.output
