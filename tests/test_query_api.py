"""kg.query, kg.bindings and kg.queries through their Python API."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from query_support import ENTITY, PAPER, PKG

from paperkg.kg.answers import Boolean, Solutions, Triples, limited
from paperkg.kg.bindings import BindingError, parse_assignment, to_term
from paperkg.kg.queries import UnknownQuery, named_queries, named_query, parse_named_query
from paperkg.kg.query import StoreBackend, leading_values, run
from paperkg.kg.query_errors import QueryError, QuerySyntaxError, UpdateRefused
from paperkg.kg.sparql import query_form
from paperkg.schema.errors import PaperkgError

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def backend(shared_store):
    return StoreBackend(shared_store)


# -- query forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, keyword",
    [
        ("SELECT * WHERE {}", "select", "SELECT"),
        ("  # a comment\n ask {}", "ask", "ASK"),
        ("PREFIX ex: <http://ex.org/#> CONSTRUCT WHERE { ?s ?p ?o }", "construct", "CONSTRUCT"),
        ("BASE <urn:x#frag> PREFIX : <urn:y> describe <urn:z>", "describe", "DESCRIBE"),
        ("PREFIX #c\n a: # c\n <urn:a> INSERT DATA {}", "update", "INSERT"),
        ("with <urn:g> delete {} where {}", "update", "WITH"),
        ("COPY DEFAULT TO <urn:g>", "update", "COPY"),
    ],
)
def test_query_form_reads_the_first_keyword_after_the_prologue(text, kind, keyword):
    assert query_form(text) == type(query_form("ASK {}"))(kind, keyword)


@pytest.mark.parametrize("text", ["", "# only a comment", "SELEC * {}", "PREFIX a <urn:x> SELECT * {}", "{ ?s ?p ?o }"])
def test_query_form_of_something_else_is_none(text):
    assert query_form(text) is None


# -- running --------------------------------------------------------------------------------------


def test_select_gives_variables_and_typed_rows(backend):
    result = run(backend, "SELECT ?e ?n WHERE { ?e pkg:paperCount ?n } ORDER BY DESC(?n) LIMIT 1")
    assert isinstance(result, Solutions) and result.variables == ["e", "n"]
    assert list(result.rows) == [
        (ox.NamedNode(f"{ENTITY}sae"), ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")))
    ]


def test_ask_and_construct(backend):
    assert run(backend, "ASK { entity:sae a pkg:Method }") == Boolean(True)
    triples = run(backend, "CONSTRUCT WHERE { entity:sae pkg:acronym ?a }")
    assert isinstance(triples, Triples)
    assert [str(t.object) for t in triples.triples] == ['"SAE"']


def test_bindings_are_substituted_by_the_engine(backend):
    text = "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label }"
    result = run(backend, text, {"label": ox.Literal("The Pile")})
    assert [row[0] for row in result.rows] == [ox.NamedNode(f"{ENTITY}the-pile")]


def test_limited_reads_no_further(backend):
    result = limited(run(backend, "SELECT ?s WHERE { ?s ?p ?o }"), 2)
    assert len(list(result.rows)) == 2
    assert limited(Boolean(False), 1) == Boolean(False)


def test_update_is_refused_before_the_backend_sees_it():
    class Untouchable:
        def query(self, text, bindings):
            raise AssertionError("the backend was reached")

    with pytest.raises(UpdateRefused, match="DROP"):
        run(Untouchable(), "DROP ALL")


def test_syntax_error_carries_its_position(backend):
    with pytest.raises(QuerySyntaxError) as caught:
        run(backend, 'SELECT ?s WHERE {\n  ?s ?p "open\n}')
    assert caught.value.line == 2 and caught.value.source_line == '  ?s ?p "open'
    assert str(caught.value).startswith("syntax error at line 2, column ")


def test_unprojected_binding_is_explained(backend):
    with pytest.raises(QueryError, match=r"does not select \?p"):
        run(backend, "SELECT ?o WHERE { ?p ?q ?o }", {"p": ox.NamedNode("urn:x")})


def test_a_bound_select_query_reads_its_terms_first():
    """The terms open the WHERE group as a VALUES block, written by Oxigraph's serialiser: a quote
    or a brace in a literal stays inside it."""
    text = "SELECT ?o WHERE { { SELECT ?p WHERE { ?p ?q ?r } } ?p ?x ?o }"
    bound = leading_values(text, {"p": ox.NamedNode("urn:x"), "o": ox.Literal('a "b" } c')})
    assert bound == (
        'SELECT ?o WHERE { VALUES (?p ?o) { (<urn:x> "a \\"b\\" } c") }  { SELECT ?p WHERE { ?p ?q ?r } } ?p ?x ?o }'
    )
    assert leading_values("ASK { ?p ?q ?o }", {"p": ox.NamedNode("urn:x")}) is None
    assert leading_values(text, {"p": ox.BlankNode("b")}) is None


# -- the --bind rule --------------------------------------------------------------------------------


def term(name, value, backend):
    return to_term(name, value, backend)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<https://example.org/a>", ox.NamedNode("https://example.org/a")),
        ("https://example.org/a?b=c", ox.NamedNode("https://example.org/a?b=c")),
        ("pkg:Method", ox.NamedNode(f"{PKG}Method")),
        ("entity:sae", ox.NamedNode(f"{ENTITY}sae")),
        ('"2024"^^xsd:gYear', ox.Literal("2024", datatype=ox.NamedNode(XSD + "gYear"))),
        ('"chat"@fr', ox.Literal("chat", language="fr")),
        ('"a \\"quoted\\" }\\nline"', ox.Literal('a "quoted" }\nline')),
        ('"\\u00e9t\\u00E9"', ox.Literal("été")),
        ("2024", ox.Literal("2024", datatype=ox.NamedNode(XSD + "integer"))),
        ("-0.5", ox.Literal("-0.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ("1e-3", ox.Literal("1e-3", datatype=ox.NamedNode(XSD + "double"))),
        ("true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ("foo:bar", ox.Literal("foo:bar")),
        ('x" } DROP ALL\n', ox.Literal('x" } DROP ALL\n')),
        ("", ox.Literal("")),
    ],
)
def test_values_become_terms(value, expected, backend):
    assert term("x", value, backend) == expected


@pytest.mark.parametrize(
    "value", ["<not an iri>", "<relative/path>", "<http://x> } <http://y>", '"x"^^"y"', '"bad \\q escape"']
)
def test_malformed_terms_are_refused(value, backend):
    with pytest.raises(BindingError):
        term("x", value, backend)


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("entity", "SAE", "sae"),
        ("entity", "saes", "sae"),
        ("entity", "Sparse Autoencoders", "sae"),
        ("entity", "Rank-One Model Editing", "rome"),
        ("dataset", "the pile", "the-pile"),
        ("method", "PE", "positional-encoding"),  # two entities are "PE": the Method wins for ?method
        ("concept", "PE", "prediction-error"),
    ],
)
def test_entity_names_resolve_by_lookup_key(name, value, expected, backend):
    assert term(name, value, backend) == ox.NamedNode(ENTITY + expected)


def test_a_name_of_several_entities_binds_the_one_lookup_shows_and_offers_the_others(backend):
    """Two entities are "PE", one paper each: the tie goes to the name first in order, as in
    `kg lookup`; the other is named in a note with its IRI, and nothing fails."""
    notes: list[str] = []
    assert to_term("entity", "PE", backend, notes) == ox.NamedNode(ENTITY + "positional-encoding")
    [note] = notes
    assert "positional encoding (Method, 1 paper)" in note and f"<{ENTITY}prediction-error>" in note


def test_entity_name_errors(backend):
    with pytest.raises(BindingError, match="no entity is called"):
        term("entity", "transformer", backend)
    with pytest.raises(BindingError, match="not a name"):
        term("entity", "}}", backend)
    assert term("entity", '"SAE"', backend) == ox.Literal("SAE")  # quoting opts out of the lookup


@pytest.mark.parametrize(
    "value",
    ["2401.00001", "arXiv:2401.00001", "Sparse Autoencoders Find Interpretable Features"],
)
def test_papers_resolve_by_id_or_title(value, backend):
    assert term("paper", value, backend) == ox.NamedNode(f"{PAPER}arxiv-2401.00001-aaaa0001")


@pytest.mark.parametrize("value", ["10.1234/scaling-saes", "doi:10.1234/scaling-saes", "DOI:10.1234/scaling-saes"])
def test_papers_resolve_by_doi(value, backend):
    assert term("paper", value, backend) == ox.NamedNode(f"{PAPER}arxiv-2402.00002-aaaa0002")


def test_unknown_paper(backend):
    with pytest.raises(BindingError, match="no paper"):
        term("paper", "9999.99999", backend)


def test_types_resolve_by_class_name(backend):
    assert term("type", "dataset", backend) == ox.NamedNode(f"{PKG}Dataset")
    assert term("type", "Gadget", backend) == ox.Literal("Gadget")


def test_parse_assignment():
    assert parse_assignment("?entity=a=b") == ("entity", "a=b")
    assert parse_assignment("$x=") == ("x", "")
    for bad in ("entity", "=x", "two words=x", "1x=2"):
        with pytest.raises(BindingError):
            parse_assignment(bad)


# -- the named-query library ------------------------------------------------------------------------


def test_named_query_headers():
    query = parse_named_query(
        "# name: q\n# description: What q does.\n# param a: the a\n# param b: the b\n#\n# more\nASK {}\n"
    )
    assert (query.name, query.description, [p.name for p in query.parameters]) == ("q", "What q does.", ["a", "b"])
    with pytest.raises(ValueError):
        parse_named_query("# name: q\nASK {}")


def test_an_unknown_named_query_is_a_user_error_that_suggests_one():
    with pytest.raises(UnknownQuery) as raised:
        named_query("papers-usin")
    assert isinstance(raised.value, PaperkgError) and not isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("no named query 'papers-usin'") and "papers-using" in str(raised.value)


def test_every_named_query_is_a_select_or_ask_whose_parameters_the_engine_can_bind(backend):
    queries = named_queries()
    assert len(queries) >= 12
    for query in queries.values():
        assert query_form(query.text).kind in ("select", "ask"), query.name
        bound = {p.name: ox.NamedNode("urn:nothing") for p in query.parameters}
        result = run(backend, query.text, bound)  # raises if a parameter is not projected
        assert isinstance(result, (Solutions, Boolean))
