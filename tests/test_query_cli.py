"""`kg query` and `kg queries` from the command line: formats, bindings, refusals, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from query_support import (
    ENTITY,
    FIXTURE_TRIPLES,
    HOSTILE_TITLE,
    PAPER,
    PKG,
    bindings_of,
    kg,
    snapshot,
    values,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
DATASETS = (
    "SELECT ?entity ?label ?papers WHERE { ?entity a pkg:Dataset ; skos:prefLabel ?label ; pkg:paperCount ?papers } "
    "ORDER BY ?label"
)
HOSTILE = "SELECT ?paper ?title WHERE { ?paper dcterms:title ?title } ORDER BY ?title"
TYPED = """SELECT ?lang ?decimal ?double ?flag ?date ?unbound WHERE {
  BIND(STRLANG("chat", "fr") AS ?lang) BIND(1.5 AS ?decimal) BIND(1.0e3 AS ?double)
  BIND(true AS ?flag) BIND("2024-01-10"^^xsd:date AS ?date)
  OPTIONAL { <urn:nothing> <urn:at> ?unbound }
}"""


def query(store, *args):
    return kg("query", "--store", str(store.path), *args)


# -- output formats -------------------------------------------------------------------------------


def test_tsv_is_the_default_off_a_terminal(shared_store):
    result = query(shared_store, DATASETS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f'?entity\t?label\t?papers\n<{ENTITY}openwebtext>\t"OpenWebText"\t1\n<{ENTITY}the-pile>\t"The Pile"\t2\n'
    )


def test_csv_is_sparql_csv(shared_store):
    result = query(shared_store, DATASETS, "--format", "csv")
    assert result.stdout_bytes.decode() == (
        f"entity,label,papers\r\n{ENTITY}openwebtext,OpenWebText,1\r\n{ENTITY}the-pile,The Pile,2\r\n"
    )
    assert query(shared_store, DATASETS, "--csv").stdout_bytes == result.stdout_bytes


def test_json_is_sparql_results_json(shared_store):
    result = query(shared_store, DATASETS, "--format", "json")
    integer = XSD + "integer"
    assert json.loads(result.stdout) == {
        "head": {"vars": ["entity", "label", "papers"]},
        "results": {
            "bindings": [
                {
                    "entity": {"type": "uri", "value": f"{ENTITY}openwebtext"},
                    "label": {"type": "literal", "value": "OpenWebText"},
                    "papers": {"type": "literal", "value": "1", "datatype": integer},
                },
                {
                    "entity": {"type": "uri", "value": f"{ENTITY}the-pile"},
                    "label": {"type": "literal", "value": "The Pile"},
                    "papers": {"type": "literal", "value": "2", "datatype": integer},
                },
            ]
        },
    }
    assert query(shared_store, DATASETS, "--json").stdout == result.stdout


def test_table_abbreviates_iris_and_counts_rows(shared_store):
    result = query(shared_store, DATASETS, "--format", "table")
    assert result.exit_code == 0
    assert "entity:openwebtext" in result.stdout and "The Pile" in result.stdout
    assert "2 rows" in result.stdout
    assert "https://" not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_typed_terms_survive_a_round_trip_through_another_parser(shared_store, fmt):
    """Oxigraph's own results parser reads back exactly the terms the store returned."""
    result = query(shared_store, TYPED, "--format", fmt)
    parsed = ox.parse_query_results(
        result.stdout, ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.TSV
    )
    expected = list(shared_store.oxigraph.query(TYPED, prefixes={"xsd": XSD}))
    assert [v.value for v in parsed.variables] == ["lang", "decimal", "double", "flag", "date", "unbound"]
    assert [tuple(s) for s in parsed] == [tuple(s) for s in expected]


def test_typed_terms_in_json(shared_store):
    (row,) = bindings_of(query(shared_store, TYPED, "--json").stdout)
    assert row["lang"] == {"type": "literal", "value": "chat", "xml:lang": "fr"}
    assert row["decimal"] == {"type": "literal", "value": "1.5", "datatype": XSD + "decimal"}
    assert row["date"]["datatype"] == XSD + "date"
    assert "unbound" not in row


def test_tsv_writes_numbers_bare_and_leaves_unbound_empty(shared_store):
    lines = query(shared_store, TYPED, "--format", "tsv").stdout.splitlines()
    lang, decimal, _, flag, date, unbound = lines[1].split("\t")
    assert (lang, decimal, flag, date, unbound) == ('"chat"@fr', "1.5", "true", f'"2024-01-10"^^<{XSD}date>', "")


def test_hostile_text_in_every_format(shared_store):
    tsv = query(shared_store, HOSTILE, "--format", "tsv").stdout
    assert len(tsv.splitlines()) == 5  # header and four papers: the newline is escaped
    assert '"Editing \\"Facts\\" } with [bold]ROME[/bold]\\na second line"' in tsv
    rows = list(csv.reader(io.StringIO(query(shared_store, HOSTILE, "--csv").stdout)))
    assert HOSTILE_TITLE in [r[1] for r in rows]
    assert HOSTILE_TITLE in values(bindings_of(query(shared_store, HOSTILE, "--json").stdout), "title")
    one = "SELECT ?title WHERE { paper:arxiv-2311.00003-aaaa0003 dcterms:title ?title }"
    table = query(shared_store, one, "--format", "table").stdout
    assert 'Editing "Facts" } with [bold]ROME[/bold]' in table  # printed, not read as markup


def test_ask_in_every_format(shared_store):
    ask = "ASK { entity:sae a pkg:Method }"
    assert json.loads(query(shared_store, ask, "--json").stdout) == {"head": {}, "boolean": True}
    assert query(shared_store, ask, "--format", "tsv").stdout == "true\n"
    assert query(shared_store, ask, "--format", "csv").stdout_bytes == b"true\r\n"
    assert query(shared_store, "ASK { entity:sae a pkg:Dataset }", "--format", "table").stdout.strip() == "false"


def test_construct_prints_turtle_with_prefixes(shared_store):
    result = query(shared_store, "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a pkg:Dataset ; skos:prefLabel ?l }")
    assert result.exit_code == 0
    assert "@prefix skos:" in result.stdout and "entity:the-pile skos:prefLabel" in result.stdout
    triples = {str(q.triple) for q in ox.parse(result.stdout, ox.RdfFormat.TURTLE)}
    assert triples == {
        f'<{ENTITY}the-pile> <http://www.w3.org/2004/02/skos/core#prefLabel> "The Pile"',
        f'<{ENTITY}openwebtext> <http://www.w3.org/2004/02/skos/core#prefLabel> "OpenWebText"',
    }


def test_describe_prints_ntriples(shared_store):
    result = query(shared_store, "DESCRIBE entity:mse", "--format", "ntriples")
    lines = result.stdout.splitlines()
    # 9 triples of description, 6 of time data (a period, first seen and paper, three quartiles)
    assert len(lines) == 15 and all(line.startswith(f"<{ENTITY}mse> ") and line.endswith(" .") for line in lines)
    assert f'<{ENTITY}mse> <{PKG}acronym> "MSE" .' in lines


def test_format_must_fit_the_query_form(shared_store):
    assert query(shared_store, "DESCRIBE entity:mse", "--format", "csv").exit_code == 2
    assert query(shared_store, DATASETS, "--format", "turtle").exit_code == 2


def test_limit_stops_after_n_rows(shared_store):
    result = query(shared_store, DATASETS, "--limit", "1", "--json")
    assert values(bindings_of(result.stdout), "label") == ["OpenWebText"]
    assert query(shared_store, DATASETS, "--limit", "0").stdout == "?entity\t?label\t?papers\n"
    construct = query(shared_store, "CONSTRUCT WHERE { ?s ?p ?o }", "--limit", "3", "--format", "ntriples")
    assert len(construct.stdout.splitlines()) == 3


def test_query_from_file_and_stdin(shared_store, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# how many papers?\nSELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:Paper }\n")
    assert query(shared_store, "--file", str(path)).stdout == "?n\n4\n"
    from click.testing import CliRunner

    from paperkg.kg.cli import main

    piped = CliRunner().invoke(
        main, ["query", "--store", str(shared_store.path), "--file", "-"], input=path.read_text()
    )
    assert piped.stdout == "?n\n4\n"


def test_exactly_one_query_source(shared_store):
    assert query(shared_store).exit_code == 2
    assert query(shared_store, "ASK {}", "--named", "acronyms").exit_code == 2


def test_prefixes_are_listed(shared_store):
    text = kg("query", "--prefixes").stdout
    assert f"pkg:     {PKG}" in text and f"entity:  {ENTITY}" in text
    assert json.loads(kg("query", "--prefixes", "--json").stdout)["paper"] == PAPER


def test_missing_store_is_one_line(tmp_path):
    result = kg("query", "--store", str(tmp_path / "none"), "ASK {}")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no graph at" in result.stderr


# -- --bind ---------------------------------------------------------------------------------------


def test_bind_by_name_resolves_through_the_lookup_key(shared_store):
    for name in ("SAE", "SAEs", "sparse autoencoders", "Sparse-Autoencoder"):
        result = query(shared_store, "--named", "papers-using", "--bind", f"entity={name}", "--json")
        rows = bindings_of(result.stdout)
        assert set(values(rows, "entity")) == {f"{ENTITY}sae"}, name
        assert len(set(values(rows, "paper"))) == 4


@pytest.mark.parametrize(
    "value, paper",
    [
        ("2401.00001", "arxiv-2401.00001-aaaa0001"),
        ("2401.00001v2", "arxiv-2401.00001-aaaa0001"),
        ("arXiv:2401.00001v1", "arxiv-2401.00001-aaaa0001"),
        ("10.1234/scaling-saes", "arxiv-2402.00002-aaaa0002"),
        ("DOI:10.1234/Scaling-SAEs", "arxiv-2402.00002-aaaa0002"),
        ("Scaling Sparse Autoencoders", "arxiv-2402.00002-aaaa0002"),
    ],
)
def test_bind_paper_by_any_form_of_its_id(shared_store, value, paper):
    result = query(shared_store, HOSTILE, "--bind", f"paper={value}", "--json")
    assert result.exit_code == 0, result.stderr
    assert values(bindings_of(result.stdout), "paper") == [f"{PAPER}{paper}"]


@pytest.mark.parametrize(
    "hostile",
    [
        'x" } ; DROP ALL ; SELECT * WHERE { "',
        "x' } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
        "line one\n} DROP ALL\n#",
        '"unbalanced',
        "?title",
        "}",
    ],
)
def test_hostile_values_are_terms_not_text(shared_store, hostile):
    before = snapshot(shared_store)
    result = query(shared_store, HOSTILE, "--bind", f"title={hostile}", "--json")
    assert result.exit_code == 0, result.stderr
    assert bindings_of(result.stdout) == []
    assert snapshot(shared_store) == before


def test_a_hostile_value_matches_exactly_the_literal_it_spells(shared_store):
    result = query(shared_store, HOSTILE, "--bind", f"title={HOSTILE_TITLE}", "--json")
    rows = bindings_of(result.stdout)
    assert values(rows, "paper") == [f"{PAPER}arxiv-2311.00003-aaaa0003"]
    assert values(rows, "title") == [HOSTILE_TITLE]


def test_a_hostile_iri_is_refused(shared_store):
    before = snapshot(shared_store)
    result = query(shared_store, HOSTILE, "--bind", "paper=<http://x> } DROP ALL ; <http://y>")
    assert result.exit_code == 1
    assert "not a valid absolute IRI" in result.stderr
    assert snapshot(shared_store) == before


def test_bind_a_variable_the_query_uses_but_does_not_select(shared_store):
    every = "SELECT ?title WHERE { ?paper dcterms:title ?title } ORDER BY ?title"
    titles = query(shared_store, every, "--format", "csv")
    title = titles.stdout.splitlines()[1]
    text = "SELECT ?paper WHERE { ?paper dcterms:title ?title }"
    bound = query(shared_store, text, "--bind", f'title="{title}"', "--format", "json")
    assert bound.exit_code == 0, bound.stderr
    data = json.loads(bound.stdout)
    assert data["head"]["vars"] == ["paper"]  # ?title is bound, not added to the columns
    assert len(data["results"]["bindings"]) == 1
    # with GROUP BY and DISTINCT too
    grouped = "SELECT DISTINCT (COUNT(?paper) AS ?n) WHERE { ?paper dcterms:title ?title } GROUP BY ?paper"
    result = query(shared_store, grouped, "--bind", f'title="{title}"')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["?n", "1"]


def test_bind_a_variable_the_query_never_uses_says_so(shared_store):
    result = query(shared_store, "SELECT ?paper WHERE { ?paper dcterms:title ?title }", "--bind", "year=2024")
    assert result.exit_code == 1
    assert "the query does not use ?year" in result.stderr


def test_select_star_keeps_the_order_of_the_query(shared_store):
    text = "SELECT * WHERE { ?z dcterms:title ?m . OPTIONAL { ?z pkg:year ?a } } LIMIT 1"
    assert query(shared_store, text).stdout.splitlines()[0] == "?z\t?m\t?a"
    as_json = json.loads(query(shared_store, text, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["z", "m", "a"]


def test_bind_errors(shared_store):
    assert query(shared_store, "--named", "papers-using", "--bind", "entity").exit_code == 1
    unknown = query(shared_store, "--named", "papers-using", "--bind", "nothing=1")
    assert unknown.exit_code == 2 and "takes entity" in unknown.stderr
    ambiguous = query(shared_store, "--named", "papers-using", "--bind", "entity=PE")
    assert ambiguous.exit_code == 0 and "prediction-error" in ambiguous.stderr and "positional" in ambiguous.stdout
    missing = query(shared_store, "--named", "papers-using", "--bind", "entity=no such thing")
    assert missing.exit_code == 1 and "no entity is called" in missing.stderr


def test_unknown_named_query_suggests_one(shared_store):
    result = query(shared_store, "--named", "papers-usin")
    assert result.exit_code == 2 and "papers-using" in result.stderr


# -- read-only ------------------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { entity:sae a pkg:Method }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s a <urn:T> } WHERE { ?s a pkg:Paper }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/graph.ttl>",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "PREFIX ex: <urn:ex#> # a comment\nBASE <urn:b/>\n  drop   silent all",
    "CLEAR ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_change_nothing(shared_store, update):
    before = snapshot(shared_store)
    result = query(shared_store, update)
    assert result.exit_code == 1
    assert "refused" in result.stderr and "--allow-update" in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(shared_store) == before


def test_a_query_that_mentions_update_keywords_still_runs(shared_store):
    result = query(shared_store, 'SELECT ?x WHERE { BIND("DROP ALL" AS ?x) }')
    assert result.stdout == '?x\n"DROP ALL"\n'


def test_allow_update_applies_it_in_a_transaction(store):
    generation = (store.path / "CURRENT").read_text()
    result = query(store, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--allow-update")
    assert result.exit_code == 0
    assert f"{FIXTURE_TRIPLES:,} -> {FIXTURE_TRIPLES + 1:,} triples" in result.stderr
    assert (store.path / "CURRENT").read_text() != generation
    assert query(store, "ASK { <urn:a> <urn:b> <urn:c> }").stdout == "true\n"


def test_a_failing_update_changes_nothing(store):
    before = snapshot(store)
    result = query(store, "INSERT DATA { <urn:a> <urn:b> }", "--allow-update")
    assert result.exit_code == 2
    assert snapshot(store) == before


# -- malformed queries ----------------------------------------------------------------------------


def test_syntax_error_shows_line_column_and_the_line(shared_store):
    text = "SELECT ?s\nWHERE {\n  ?s a pkg:Paper .\n  ?s foo:bar ?o .\n}"
    result = query(shared_store, text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: syntax error at line 4, column 13: undeclared prefix "
        "(the predeclared ones are listed by `kg query --prefixes`)\n"
        "    ?s foo:bar ?o .\n"
        "              ^\n"
    )


def test_syntax_error_of_a_typo(shared_store):
    result = query(shared_store, "SELEC * WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    first, line, caret = result.stderr.splitlines()
    assert first.startswith("Error: syntax error at line 1, column ")
    assert line == "  SELEC * WHERE { ?s ?p ?o }"
    assert caret.strip() == "^"


# -- kg queries -----------------------------------------------------------------------------------


def test_queries_lists_the_named_queries():
    listed = json.loads(kg("queries", "--json").stdout)
    assert len(listed) >= 12
    assert all(q["name"] and q["description"] for q in listed)
    names = [q["name"] for q in listed]
    assert "papers-using" in names
    papers_using = listed[names.index("papers-using")]
    assert [p["name"] for p in papers_using["parameters"]] == ["entity"]
    text = kg("queries").stdout
    assert all(name in text for name in names)
    assert "--bind entity=..." in text


# -- startup --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["query", "--named", "papers-using", "--bind", "entity=SAE"],
        ["query", "--bind", "paper=arXiv:2401.00001v2", "--bind", "type=method", HOSTILE.replace("?title", "?type")],
        ["lookup", "SAE"],
        ["stats", "--quality"],
        ["trends", "--min-papers", "1", "--bursts"],
    ],
)
def test_the_query_commands_import_neither_spacy_nor_rdflib(shared_store, command):
    script = (
        "import sys\n"
        "from paperkg.kg.cli import main\n"
        "try:\n"
        f"    main({[*command, '--store', str(shared_store.path)]!r})\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'torch', 'rdflib', 'pyvis')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


# -- support ---------------------------------------------------------------------------------------


def test_min_support_keeps_the_rows_enough_papers_support(shared_store):
    base = ("--named", "entity-relations", "--bind", "entity=SAE", "--json")
    every = bindings_of(query(shared_store, *base).stdout)
    supported = bindings_of(query(shared_store, *base, "--min-support", "2").stdout)
    assert len(every) == 3
    assert [b["other"]["value"] for b in supported] == [ENTITY + "rome"]
    assert bindings_of(query(shared_store, *base, "--min-support", "3").stdout) == []


def test_min_support_needs_a_count_of_papers(shared_store):
    result = query(shared_store, HOSTILE, "--min-support", "2")
    assert result.exit_code == 2
    assert "?papers column" in result.stderr
