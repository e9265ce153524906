"""`kg viz` through the CLI on the tiny graph of tests/fixtures/viz: options, outputs, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.kg.cli import main
from paperkg.kg.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "viz" / "graph.ttl"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("viz") / "store"
    with Store(path).transaction() as db:
        db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
        del db  # the transaction closes the writer by dropping it
    return str(path)


def kg(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def summary(*args: str) -> dict:
    result = kg("viz", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_writes_one_page_and_reports_on_stderr(store, tmp_path):
    out = tmp_path / "graph.html"
    result = kg("viz", "--store", store, "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {out}: 6 of 6 entities" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "sparse autoencoder" in html
    assert "graph built 2024-03-01 10:01" in html and "from 3 papers" in html


def test_the_page_carries_the_links_of_the_store(store, tmp_path):
    out = tmp_path / "graph.html"
    assert kg("viz", "--store", store, "-o", str(out)).exit_code == 0
    raw = re.search(r'id="graph-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1)
    links = {n["name"]: n["links"] for n in json.loads(raw)["nodes"]}
    assert links["sparse autoencoder"] == [
        {"iri": "https://paperswithcode.com/method/sparse-autoencoder", "match": "exact", "source": "Papers with Code"}
    ]
    assert links["<svg onload=window.__pwned=3> feature"][0]["iri"] == "javascript:window.__pwned=5"
    assert links["The Pile"] == []


def test_default_output_is_graph_html_in_the_current_directory(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert kg("viz", "--store", store).exit_code == 0
    assert (tmp_path / "graph.html").stat().st_size > 100_000


def test_dash_writes_the_page_to_stdout(store):
    result = kg("viz", "--store", store, "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert "wrote stdout" in result.stderr


def test_json_summary_of_a_focus(store, tmp_path):
    numbers = summary("--store", store, "-o", str(tmp_path / "p.html"), "--focus", "MSE")
    assert numbers["entities_shown"] == 4  # mean squared error and the three it co-occurs with
    numbers = summary("--store", store, "-o", str(tmp_path / "p.html"), "--focus", "probing", "--depth", "2")
    assert numbers["entities_shown"] == 6 and numbers["entities_total"] == 6


def test_types_min_papers_papers_and_cap(store, tmp_path):
    out = str(tmp_path / "p.html")
    assert summary("--store", store, "-o", out, "--types", "dataset,Method")["entities_shown"] == 2
    assert summary("--store", store, "-o", out, "--min-papers", "2")["entities_shown"] == 3
    with_papers = summary("--store", store, "-o", out, "--papers")
    assert (with_papers["papers_shown"], with_papers["papers_total"]) == (3, 3)
    capped = summary("--store", store, "-o", out, "--max-nodes", "2")
    assert capped["entities_shown"] == 2 and capped["left_out_by_cap"] == 4
    assert "sparse autoencoder" not in capped["left_out_examples"]


def test_cap_is_reported_on_stderr(store, tmp_path):
    result = kg("viz", "--store", store, "-o", str(tmp_path / "p.html"), "--max-nodes", "3")
    assert "note: kept the 3 nodes seen in the most papers (then the most connected); 3 others left out" in (
        result.stderr
    )


def test_colour_by_community(store, tmp_path):
    out = tmp_path / "p.html"
    assert kg("viz", "--store", store, "-o", str(out), "--color-by", "community").exit_code == 0
    assert 'id="legend-communities"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--focus", "no such thing"], 1, "Error: no entity named 'no such thing' in the graph"),
        (["--types", "Method,Widget"], 2, "unknown type Widget"),
        (["--depth", "-1"], 2, "--depth"),
        (["--color-by", "year"], 2, "--color-by"),
        (["-o", "-", "--json"], 2, "cannot be combined with -o -"),
    ],
)
def test_bad_input_is_one_clear_error(store, args, code, message):
    result = kg("viz", "--store", store, *args)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr


def test_without_a_graph_it_says_how_to_build_one(tmp_path):
    result = kg("viz", "--store", str(tmp_path / "nothing"), "-o", str(tmp_path / "p.html"))
    assert result.exit_code == 1 and "kg build" in result.stderr
    assert not (tmp_path / "p.html").exists()


def test_an_unwritable_output_is_one_line(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = kg("viz", "--store", store, "-o", str(blocker / "graph.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write") and result.stderr.count("\n") == 1


def test_pyvis_is_imported_only_when_a_page_is_rendered():
    code = (
        "import sys, paperkg.kg.cli, paperkg.kg.commands.viz, paperkg.viz.select, paperkg.viz.html,"
        " paperkg.viz.communities\n"
        "assert 'pyvis' not in sys.modules and 'IPython' not in sys.modules, 'pyvis imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_title_option_and_its_default(store, tmp_path):
    out = tmp_path / "t.html"
    result = kg("viz", "--store", store, "-o", str(out), "--title", "Reading group <week 3>")
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<title>Reading group &lt;week 3&gt;</title>" in html and "<h1>Reading group &lt;week 3&gt;</h1>" in html
    # without --title: what the graph was built from (the fixture's papers all come from one file)
    assert summary("--store", store, "-o", str(out))["title"] == "listing.jsonl · paperkg graph"


def test_built_from_names_the_input_file_folder_or_count(tmp_path):
    from paperkg.kg.page_graph import built_from

    def store_with(*locations):
        path = tmp_path / f"s{len(locations)}"
        with Store(path).transaction() as db:
            for i, where in enumerate(locations):
                paper = ox.NamedNode(f"https://example.org/paper/{i}")
                pkg = "https://w3id.org/paperkg/ns#"
                db.add(
                    ox.Quad(
                        paper,
                        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                        ox.NamedNode(pkg + "Paper"),
                    )
                )
                db.add(ox.Quad(paper, ox.NamedNode(pkg + "sourceLocation"), ox.Literal(where)))
            del db
        return Store(path)

    assert built_from(store_with("data/demo/a.txt:1")) == "a.txt"
    assert built_from(store_with("data/demo/a.txt:1", "data/demo/b.txt:9")) == "data/demo"
    assert built_from(store_with("x/a.txt:1", "y/b.txt:2", "z/c.jsonl:3")) == "3 inputs"
    assert built_from(store_with()) is None  # the page is then named after the store's folder


def test_a_pages_totals_and_sources_are_kept_per_generation(tmp_path):
    from paperkg.kg import page_graph as module

    path = tmp_path / "store"
    with Store(path).transaction() as db:
        db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
        del db
    first = module.page_graph(Store(path), max_nodes=5).graph
    assert Store(path).cache_path("counts", ".json").is_file()

    def no_query(*args, **kwargs):
        raise AssertionError("the kept totals should have answered")

    again = Store(path)
    again.query = no_query  # type: ignore[method-assign]
    assert module.built_from(again) == "listing.jsonl"
    assert module.entity_count(again, module.ENTITY_TYPES) == first["entities"] == 6
    with Store(path).transaction() as db:  # a new generation: counted again
        db.add(
            ox.Quad(
                ox.NamedNode("https://example.org/paper/new"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/paperkg/ns#Paper"),
            )
        )
        del db
    assert module.page_graph(Store(path), max_nodes=5).graph["papers"] == first["papers"] + 1


def test_the_default_map_says_what_it_left_out_and_how_to_see_it(store, tmp_path, monkeypatch):
    monkeypatch.setattr("paperkg.viz.select.SHARED_ENOUGH", 3)  # the fixture's 3 entities in 2+ papers
    out = tmp_path / "p.html"
    result = kg("viz", "--store", store, "-o", str(out))
    assert result.exit_code == 0
    assert f"wrote {out}: 3 of 6 entities" in result.stderr
    assert "note: left out 3 entities seen in one paper only, to show what papers share; --min-papers 1 shows them" in (
        result.stderr
    )
    assert 'id="single-paper"' in out.read_text(encoding="utf-8")
    numbers = summary("--store", store, "-o", str(out))
    assert (numbers["entities_shown"], numbers["left_out_single_paper"]) == (3, 3)
    for explicit in ("0", "1"):  # an explicit --min-papers is obeyed and says nothing of the rule
        result = kg("viz", "--store", store, "-o", str(out), "--min-papers", explicit)
        assert "6 of 6 entities" in result.stderr and "one paper only" not in result.stderr
    assert summary("--store", store, "-o", str(out), "--focus", "SAE")["left_out_single_paper"] == 0
    assert "--min-papers 1 shows" in " ".join(kg("viz", "--help").stdout.split())


def test_every_name_on_the_page_carries_the_graph_s_own_name_key(store):
    from paperkg.kg.names import lookup_key
    from paperkg.kg.page_graph import page_graph
    from paperkg.viz.html import build_network
    from paperkg.viz.select import select

    selection = select(page_graph(Store(store), papers=True), min_papers=1, max_nodes=0, papers=True)
    net, _drawn = build_network(selection)
    for node in net.nodes:
        names = [node["name"], *node["aliases"]]
        assert node["keys"] == {name: lookup_key(name) for name in names}
    sae = next(node for node in net.nodes if node["name"] == "sparse autoencoder")
    # the plural and the acronym's plural key as the graph merged them, which page.js alone could not
    assert sae["keys"]["sparse autoencoders"] == sae["keys"]["sparse autoencoder"] == "sparseautoencoder"
    assert sae["keys"]["SAEs"] == "sae"


# -- reading only what a page shows -------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from graph_papers import all_papers, build

    return build(tmp_path_factory.mktemp("built") / "store", all_papers())


def _shown(selection) -> tuple[set, set]:
    return set(selection.graph), {(u, v, k) for u, v, k in selection.graph.edges(keys=True)}


@pytest.mark.parametrize("cap", [3, 8, 300])
def test_a_map_read_to_its_cap_shows_what_reading_everything_shows(built, cap):
    from paperkg.kg.names import lookup_key
    from paperkg.kg.page_graph import page_graph
    from paperkg.viz.select import select

    everything = select(page_graph(built, min_papers=1), min_papers=1, max_nodes=cap, key=lookup_key)
    capped = select(page_graph(built, min_papers=1, max_nodes=cap), min_papers=1, max_nodes=cap, key=lookup_key)
    assert capped.entities == everything.entities
    assert capped.left_out_count == everything.left_out_count
    assert capped.total_entities == everything.total_entities and capped.filtered_out == everything.filtered_out
    # the cap breaks ties in paper counts by mentions here, by links there: compare the untied
    if cap >= everything.total_entities:
        assert _shown(capped) == _shown(everything)


def test_a_focus_read_around_the_entity_shows_what_reading_everything_shows(built):
    from paperkg.kg import label_index
    from paperkg.kg.names import lookup_key
    from paperkg.kg.page_graph import page_graph
    from paperkg.viz.select import select

    [sae, *_] = label_index.entities_with_key(built, lookup_key("SAE"))
    for depth in (1, 2):
        everything = select(page_graph(built), focus="SAE", depth=depth, max_nodes=300, key=lookup_key)
        around = select(page_graph(built, focus=sae.iri, depth=depth, max_nodes=300), focus=sae.iri, depth=depth)
        assert around.focus == everything.focus == (sae.iri,)
        assert _shown(around) == _shown(everything)


def test_a_page_graph_knows_its_newest_month(built, tmp_path):
    """The newest full date among the papers ("Oct 16" has no year, "2025" no month); none
    for a graph without dated papers."""
    from graph_papers import DATES, all_dated, build

    from paperkg.kg.page_graph import page_graph

    newest = max(d[:7] for d in DATES if d[:4].isdigit() and len(d) >= 7)
    assert newest == "2025-09"
    assert page_graph(build(tmp_path / "dated", all_dated()), max_nodes=5).graph["last_month"] == newest
    assert page_graph(built, max_nodes=5).graph["last_month"] is None
