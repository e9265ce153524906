"""`kg lookup`: matching rules, ambiguity, suggestions, the label cache, hostile input, output formats.

The graph is tests/fixtures/lookup/graph.ttl (docs/graph.md shape), loaded into a temporary store;
links to reference vocabularies are looked up in tests/fixtures/query/graph.ttl, which has two.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from paperkg.kg import label_index
from paperkg.kg import lookup as lookup_module
from paperkg.kg.cli import main
from paperkg.kg.lookup import BadTerm, lookup
from paperkg.kg.names import lookup_key
from paperkg.kg.store import Store, StoreError
from paperkg.kg.terms import PREFIXES

FIXTURE = Path(__file__).parent / "fixtures" / "lookup" / "graph.ttl"
LINKED = Path(__file__).parent / "fixtures" / "query" / "graph.ttl"
PWC_SAE = "https://paperswithcode.com/method/sparse-autoencoder"
CSO_SAE = "https://cso.kmi.open.ac.uk/topics/sparse_autoencoders"
ID = "https://w3id.org/paperkg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SAE = ID + "entity/sparseautoencoder-b40a0aab"
VSAE_PAPER = ID + "paper/title-analysis-of-variational-sparse-autoencoders-5708fa42"


def make_store(path: Path, fixture: Path = FIXTURE) -> Store:
    store = Store(path)
    with store.transaction() as db:
        db.load(path=str(fixture), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return make_store(tmp_path_factory.mktemp("lookup") / "store")


@pytest.fixture
def own_store(tmp_path) -> Store:
    """A store a test may write to."""
    return make_store(tmp_path / "store")


def run(store: Store, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["lookup", *args, "--store", str(store.path)], env=env)


# -- matching rules ----------------------------------------------------------------------------


def test_the_fixture_indexes_every_label_under_the_shared_key(store):
    """If kg.names.lookup_key changes, the fixture's pkg:lookupKey literals must follow it."""
    rows = store.query(
        "SELECT ?e ?label ?key WHERE { { ?e skos:prefLabel ?label } UNION { ?e skos:altLabel ?label } "
        "?e pkg:lookupKey ?key }",
        prefixes=PREFIXES,
    )
    keys, labels = {}, {}
    for row in rows:
        keys.setdefault(row["e"].value, set()).add(row["key"].value)
        labels.setdefault(row["e"].value, set()).add(row["label"].value)
    assert len(keys) == 21
    for entity, names in labels.items():
        assert {lookup_key(name) for name in names} <= keys[entity], entity


@pytest.mark.parametrize(
    "term", ["SAE", "SAEs", "sparse autoencoders", "Sparse Autoencoder", "sparse-autoencoders", "SPARSE  AUTOENCODER"]
)
def test_every_name_of_an_entity_finds_it(store, term):
    result = lookup(store, term)
    assert [m.iri for m in result.matches] == [SAE]
    match = result.matches[0]
    assert match.name == "sparse autoencoder" and match.type == "Method"
    assert match.paper_count == 4 and len(match.papers) == 4
    assert result.suggestions == []


@pytest.mark.parametrize(
    "term, name",
    [
        ("gpt2", "GPT-2"),
        ("Gpt-2", "GPT-2"),
        ("GPT2 small", "GPT2-small"),
        ("pythia 70m", "Pythia-70M"),
        ("PYTHIA-70M", "Pythia-70M"),
        ("vSAE", "Variational Sparse Autoencoder"),
        ("t-SNE", "t-SNE"),
        ("tsne", "t-SNE"),
        ("LLAMA-3.1", "Llama 3.1"),
    ],
)
def test_case_hyphens_and_spaces_do_not_matter_but_letters_do(store, term, name):
    assert [m.name for m in lookup(store, term).matches] == [name]


def test_aliases_list_acronym_first_without_case_duplicates(store):
    match = lookup(store, "SAE").matches[0]
    assert match.aliases == ["SAE", "SAEs", "Sparse Autoencoders"]


def test_an_acronym_with_two_long_forms_shows_one_and_folds_the_other(store):
    """One paper each: the tie goes to the name first in order; the other paper's definition
    of MAE is folded under it, not a second match."""
    result = lookup(store, "MAE")
    assert [(m.name, m.type) for m in result.matches] == [("masked autoencoder", "Method")]
    assert result.matches[0].papers
    assert [(d.name, d.type, d.papers) for d in result.definitions] == [("mean absolute error", "Metric", 1)]
    assert result.others == []


def test_type_narrows_an_ambiguous_term(store):
    assert [m.name for m in lookup(store, "mae", type="metric").matches] == ["mean absolute error"]
    assert [m.name for m in lookup(store, "MAE", type="Method").matches] == ["masked autoencoder"]


# -- suggestions -------------------------------------------------------------------------------


def test_a_misspelling_suggests_the_entity_first(store):
    result = lookup(store, "sparse autoencder")
    assert result.matches == []
    assert result.suggestions[0].iri == SAE
    iris = [s.iri for s in result.suggestions]
    assert len(iris) == len(set(iris))
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_respect_the_type(store):
    result = lookup(store, "sparse autoencder", type="Dataset")
    assert all(s.type == "Dataset" for s in result.suggestions)
    assert SAE not in [s.iri for s in result.suggestions]


def test_nonsense_matches_nothing(store):
    result = lookup(store, "zzqx")
    assert result.matches == [] and result.suggestions == []


# -- what a match shows -----------------------------------------------------------------------


def test_papers_come_best_role_first_with_their_roles(store):
    match = lookup(store, "vSAE").matches[0]
    assert [(p.iri, p.roles) for p in match.papers] == [(VSAE_PAPER, ["proposes"])]
    assert match.papers[0].title == "Analysis of Variational Sparse Autoencoders"
    sae = lookup(store, "SAE").matches[0]
    ranks = [
        min(["proposes", "evaluatesOn", "uses", "addresses", "reports", "mentions"].index(r) for r in p.roles)
        for p in sae.papers
    ]
    assert ranks == sorted(ranks)
    assert [p.date for p in sae.papers if p.roles == ["mentions"]] == ["2024-06-17", "--09-29"]


def test_limit_caps_papers_relations_and_co_occurrences(store):
    match = lookup(store, "SAE", limit=2).matches[0]
    assert len(match.papers) == 2 and len(match.evidence) == 2
    assert [r.relation for r in match.related] == ["comparedWith", "comparedWith", "coOccursWith", "coOccursWith"]
    assert match.paper_count == 4


def test_one_evidence_sentence_per_paper_with_the_mention_marked(store):
    match = lookup(store, "SAE").matches[0]
    assert [ev.paper for ev in match.evidence] == [p.iri for p in match.papers]
    for ev in match.evidence:
        assert lookup_key(ev.sentence[ev.start : ev.end]) in {"sae", "sparseautoencoder"}
    # the sentence that gives the paper its role is preferred
    chosen = next(ev for ev in match.evidence if ev.paper == VSAE_PAPER)
    assert chosen.sentence.startswith("We evaluate a TopK vSAE")
    assert chosen.sentence[chosen.start : chosen.end] == "SAE"


def test_typed_relations_come_before_co_occurrence(store):
    related = lookup(store, "vSAE").matches[0].related
    typed = [(r.name, r.relation, r.count) for r in related if r.relation != "coOccursWith"]
    assert typed == [("SAE Bench", "evaluatedOn", 1), ("sparse autoencoder", "comparedWith", 1)]
    assert [r.relation for r in related][: len(typed)] == [t[1] for t in typed]
    sae = lookup(store, "SAE").matches[0].related
    assert {r.relation for r in sae[:3]} == {"comparedWith"}  # symmetric: SAE's side does not matter
    cooc = [r for r in sae if r.relation == "coOccursWith"]
    assert cooc[0].name == "large language model" and cooc[0].count == 3
    assert [r.count for r in cooc] == sorted((r.count for r in cooc), reverse=True)
    assert not {r.iri for r in cooc} & {r.iri for r in sae[:3]}


def add_relations(store: Store, entity: str, relations: list[tuple[str, bool, int, bool]]) -> None:
    """`usedFor` relations of `entity` with new Methods: (name, reliable, supporting papers,
    whether the new Method is the subject) each."""
    rdf, pkg = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "https://w3id.org/paperkg/ns#"
    with store.transaction() as db:
        for name, reliable, papers, inverse in relations:
            other, node = ox.NamedNode(f"{ID}entity/{name}"), ox.NamedNode(f"{ID}rel/{name}")
            subject, object_ = (other, ox.NamedNode(entity)) if inverse else (ox.NamedNode(entity), other)
            db.extend(
                ox.Quad(s, ox.NamedNode(p), o)
                for s, p, o in [
                    (other, rdf + "type", ox.NamedNode(pkg + "Method")),
                    (other, SKOS + "prefLabel", ox.Literal(name)),
                    (node, rdf + "subject", subject),
                    (node, rdf + "predicate", ox.NamedNode(pkg + "usedFor")),
                    (node, rdf + "object", object_),
                    (node, pkg + "supportPapers", ox.Literal(papers)),
                    (node, pkg + "reliable", ox.Literal(reliable)),
                ]
            )
        del db  # the transaction closes the writer by dropping it


def test_the_typed_relations_kept_are_the_reliable_ones_then_those_most_papers_state(own_store):
    add_relations(
        own_store,
        SAE,
        [
            ("often", False, 50, False),
            ("oftener", False, 60, False),
            ("single", True, 1, False),
            ("twice", True, 2, False),
            ("thrice", True, 3, False),
            ("back", True, 7, True),
        ],
    )
    related = lookup(Store(own_store.path), "SAE", limit=2).matches[0].related
    typed = [(r.name, r.relation, r.reliable, r.count) for r in related if r.relation != "coOccursWith"]
    assert typed == [("back", "^usedFor", True, 7), ("thrice", "usedFor", True, 3)]


def test_a_relation_seen_from_its_object_is_marked(store):
    related = lookup(store, "SAE Bench").matches[0].related
    assert (related[0].name, related[0].relation) == ("Variational Sparse Autoencoder", "^evaluatedOn")


# -- bad and hostile input ---------------------------------------------------------------------


@pytest.mark.parametrize("term", ["", "   ", "-!?", "\n"])
def test_a_term_without_letters_is_refused(store, term):
    with pytest.raises(BadTerm, match="no letters or digits"):
        lookup(store, term)


def test_unknown_type_and_bad_limit_are_refused(store):
    with pytest.raises(BadTerm, match="unknown type"):
        lookup(store, "SAE", type="Gadget")
    with pytest.raises(BadTerm, match="limit"):
        lookup(store, "SAE", limit=0)


def test_a_missing_store_is_reported(tmp_path):
    with pytest.raises(StoreError, match="no graph"):
        lookup(Store(tmp_path / "nothing"), "SAE")


HOSTILE = [
    'SAE" } UNION { ?s ?p ?o } #',
    "x' . } ; DROP ALL ; #",
    "SELECT * WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s ?p ?o }",
    "SAE\nINSERT DATA { <a> <b> <c> }",
    '"""',
    "{{}}",
    "<" + SAE + ">",
    "\\u0022 ; CLEAR DEFAULT",
    "[bold]SAE[/bold]",
]


@pytest.mark.parametrize("term", HOSTILE)
def test_hostile_terms_are_only_names(store, term):
    before = len(store)
    try:
        result = lookup(store, term)
    except BadTerm:
        return
    assert len(store) == before
    assert all(m.iri != SAE for m in result.matches) or lookup_key(term) == "sae"


def test_punctuation_around_a_name_is_ignored(store):
    assert [m.iri for m in lookup(store, '"SAE"').matches] == [SAE]
    assert [m.iri for m in lookup(store, "(SAEs),").matches] == [SAE]


def test_keys_are_looked_up_as_bound_literals(store):
    """Even a key that was never normalised is only ever compared with pkg:lookupKey literals."""
    assert label_index.entities_with_key(store, 'sae" } UNION { ?e ?p ?o } #') == []
    assert label_index.entities_with_key(store, "sae") != []


# -- the label cache ---------------------------------------------------------------------------


def test_exact_lookups_need_no_cache(own_store):
    lookup(own_store, "SAE")
    assert not (own_store.path / "cache").exists()


def test_fuzzy_lookups_cache_the_labels_per_generation(own_store, monkeypatch):
    lookup(own_store, "sparse autoencder")
    cached = label_index.cache_path(own_store)
    assert cached.name == f"labels-{own_store.generation}.json" and cached.is_file()
    assert json.loads(cached.read_text())["generation"] == own_store.generation

    def no_reading(store):
        raise AssertionError("the cached index should have been used")

    monkeypatch.setattr(label_index.LabelIndex, "read", classmethod(lambda cls, store: no_reading(store)))
    assert lookup(Store(own_store.path), "sparse autoencder").suggestions[0].iri == SAE


def test_a_write_invalidates_the_cache(own_store):
    lookup(own_store, "sparse autoencder")
    old = label_index.cache_path(own_store)
    new_entity = ox.NamedNode(ID + "entity/sparseautoencding-test")
    with own_store.transaction() as db:
        db.extend(
            ox.Quad(new_entity, p, o)
            for p, o in [
                (
                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode("https://w3id.org/paperkg/ns#Concept"),
                ),
                (ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal("sparse autoencding")),
                (ox.NamedNode("https://w3id.org/paperkg/ns#lookupKey"), ox.Literal("sparseautoencding")),
            ]
        )
    fresh = Store(own_store.path)
    assert fresh.generation != old.name
    assert lookup(fresh, "sparse autoencdng").suggestions[0].iri == new_entity.value
    assert not old.exists() and label_index.cache_path(fresh).is_file()


def test_a_corrupt_cache_is_rebuilt(own_store):
    path = label_index.cache_path(own_store)
    path.parent.mkdir()
    path.write_text("{not json")
    assert lookup(own_store, "sparse autoencder").suggestions[0].iri == SAE
    assert json.loads(path.read_text())["format"] == label_index.CACHE_FORMAT


# -- what the build keeps of hubs ----------------------------------------------------------------


@pytest.fixture
def hubs(tmp_path, monkeypatch) -> Store:
    """A store whose entities in 2 papers or more are hubs, their relations and time lines kept."""
    monkeypatch.setattr(lookup_module, "HUB_PAPERS", 2)
    store = make_store(tmp_path / "store", LINKED)
    lookup_module.keep_hubs(store)
    return store


def not_read(*args):
    raise AssertionError("what the build kept should have been read")


def test_a_hub_is_shown_from_what_the_build_kept_as_it_would_be_read(hubs, monkeypatch):
    kept = lookup(hubs, "SAE").to_dict()
    assert kept["matches"][0]["time"] and kept["matches"][0]["related"]
    hubs.cache_path("lookup-hubs", ".json").unlink()
    assert lookup(Store(hubs.path), "SAE").to_dict() == kept  # read from the store
    lookup_module.keep_hubs(hubs)
    monkeypatch.setattr(lookup_module, "_related", not_read)
    monkeypatch.setattr(lookup_module, "_time", not_read)
    assert lookup(Store(hubs.path), "SAE").to_dict() == kept
    with pytest.raises(AssertionError, match="should have been read"):
        lookup(hubs, "SAE", limit=3)  # another limit than the one kept: read from the store


def test_an_entity_in_fewer_papers_or_a_corrupt_file_is_read_from_the_store(hubs, monkeypatch):
    hubs.cache_path("lookup-hubs", ".json").write_text("{not json")
    assert lookup(Store(hubs.path), "SAE").matches[0].related
    lookup_module.keep_hubs(hubs)
    monkeypatch.setattr(lookup_module, "HUB_PAPERS", 1000)
    monkeypatch.setattr(lookup_module, "_related", not_read)
    with pytest.raises(AssertionError, match="should have been read"):
        lookup(Store(hubs.path), "SAE")


# -- the command -------------------------------------------------------------------------------


def test_json_has_exactly_the_documented_shape(store):
    result = run(store, "SAE", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"matches", "others", "definitions", "suggestions"}
    match = data["matches"][0]
    assert set(match) == {
        "iri",
        "name",
        "type",
        "aliases",
        "papers",
        "evidence",
        "related",
        "links",
        "family",
        "variants",
        "family_papers",
        "time",
    }
    assert match["links"] == []  # this fixture links nothing
    assert match["time"] is None  # nor holds time data
    assert match["iri"] == SAE and len(match["papers"]) >= 2
    assert all(set(p) == {"iri", "title", "date", "roles"} for p in match["papers"])
    assert all(set(e) == {"paper", "sentence", "start", "end"} for e in match["evidence"])
    assert all(set(r) == {"iri", "name", "type", "relation", "count", "reliable"} for r in match["related"])
    assert isinstance(match["related"][0]["count"], int) and isinstance(match["related"][0]["reliable"], bool)


@pytest.fixture(scope="module")
def linked_store(tmp_path_factory) -> Store:
    return make_store(tmp_path_factory.mktemp("linked") / "store", LINKED)


def test_lookup_shows_when_the_entity_appeared(linked_store):
    [match] = json.loads(run(linked_store, "SAE", "--json").stdout)["matches"]
    time = match["time"]
    assert time["first_seen"] == "2023-11-05" and time["first_paper"].endswith("arxiv-2311.00003-aaaa0003")
    # the store's months run from its first dated paper to its last, December 2023 without any
    assert time["monthly"] == {"2023-11": 1, "2023-12": 0, "2024-01": 1, "2024-02": 1}
    assert time["papers_without_year"] == 1
    assert len(time["sparkline"]) == 4
    out = run(linked_store, "SAE").stdout
    assert "first seen 2023-11-05, median 2024-01" in out and "2023-11 to 2024-02" in out


def test_json_lists_links_exact_first_with_their_source(linked_store):
    result = run(linked_store, "SAE", "--json")
    assert result.exit_code == 0, result.output
    [match] = json.loads(result.stdout)["matches"]
    assert match["links"] == [
        {"iri": PWC_SAE, "match": "exact", "source": "Papers with Code"},
        {"iri": CSO_SAE, "match": "close", "source": "CSO"},
    ]


def test_an_entity_without_links_has_none(linked_store):
    assert lookup(linked_store, "Pythia-70M").matches[0].links == []


@pytest.mark.parametrize(
    "iri, source",
    [
        ("https://w3id.org/aio/ActivationLayer", "AI Ontology"),
        ("http://w3id.org/mlso/vocab/evaluation_measure#average_cost", "Papers with Code"),
        ("https://example.org/x", "example.org"),
    ],
)
def test_a_link_is_named_by_its_vocabulary_else_its_host(iri, source):
    from paperkg.kg.external import source_of

    assert source_of(iri) == source


def test_terminal_shows_the_links_on_one_line(linked_store):
    out = run(linked_store, "SAE").stdout
    [line] = [line for line in out.splitlines() if line.startswith("links:")]
    assert PWC_SAE in line and CSO_SAE in line


def test_a_bidi_override_in_a_link_is_printed_escaped(own_store):
    """IRIs may hold U+202E (it is a valid IRI character): it must not reorder the terminal line."""
    hostile = ox.NamedNode("https://example.org/\u202eexe.txt")
    with own_store.transaction() as db:
        db.add(ox.Quad(ox.NamedNode(SAE), ox.NamedNode(SKOS + "closeMatch"), hostile))
    out = run(own_store, "SAE").stdout
    assert "\u202e" not in out
    assert "links: https://example.org/\\u202eexe.txt" in out
    assert json.loads(run(own_store, "SAE", "--json").stdout)["matches"][0]["links"][0]["iri"] == hostile.value


def test_json_suggestions(store):
    result = run(store, "sparse", "autoencder", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["matches"] == []
    assert data["suggestions"][0]["iri"] == SAE
    assert set(data["suggestions"][0]) == {"iri", "name", "type", "score"}


def test_terminal_layout_without_colour_when_not_a_terminal(store):
    result = run(store, "sparse", "autoencoders")
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b[" not in out
    for text in [
        "sparse autoencoder",
        "Method",
        "4 papers",
        "also: SAE, SAEs, Sparse Autoencoders",
        "Analysis of Variational Sparse Autoencoders",
        "--09-26",
        "uses",
        "(SAEs)",
        "compared with",
        "co-occurs",
        "large language model",
        "3 papers",
    ]:
        assert text in out, text
    assert out.index("compared with") < out.index("co-occurs")
    assert "**" not in out  # piped: plain text, no markers around the mention


def colours(text: str) -> set[int]:
    """Colour parameters (30-38, 90-97) among the ANSI SGR sequences in `text`."""
    params = {int(p) for seq in re.findall(r"\x1b\[([0-9;]*)m", text) for p in seq.split(";") if p}
    return {p for p in params if 30 <= p <= 38 or 90 <= p <= 97}


def test_colour_in_a_terminal_unless_no_color(store):
    coloured = run(store, "SAE", env={"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color"}).stdout
    assert colours(coloured)
    plain = run(store, "SAE", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-256color"}).stdout
    assert not colours(plain) and "\x1b[" in plain  # bold and underline still mark the mention


def test_relations_read_from_the_entity_looked_up(store):
    out = run(store, "SAE Bench").stdout
    assert re.search(r"evaluates\s+Variational Sparse Autoencoder", out)
    assert "evaluated on" not in out


def test_ambiguous_terms_print_the_main_entity_and_fold_the_other_definitions(store):
    out = run(store, "MAE").stdout
    assert "names 2 entities" not in out
    assert out.startswith("masked autoencoder")
    assert "also defined in 1 paper as: mean absolute error" in out


def test_suggestions_are_printed(store):
    result = run(store, "sparse autoencder")
    assert result.exit_code == 0
    assert "Did you mean" in result.stdout and "sparse autoencoder" in result.stdout


def test_no_match_exits_1_with_one_line(store):
    result = run(store, "zzqx")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "zzqx" in result.stderr


@pytest.mark.parametrize("term", HOSTILE + ["-- x", "%s", "{}"])
def test_hostile_terms_never_crash_the_command(store, term):
    result = run(store, "--", term)
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if result.exit_code == 1:
        assert result.stderr.count("\n") == 1


def test_bad_arguments(store, tmp_path):
    assert run(store, "SAE", "--type", "Gadget").exit_code == 2
    assert run(store, "SAE", "--limit", "0").exit_code == 2
    missing = CliRunner().invoke(main, ["lookup", "SAE", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "no graph at" in missing.stderr


def test_help_has_examples():
    out = CliRunner().invoke(main, ["lookup", "--help"]).stdout
    assert "Examples:" in out and "kg lookup SAE" in out


HEAVY = ("spacy", "thinc", "torch", "rdflib", "networkx", "pyvis")


@pytest.mark.parametrize("term", ["SAE", "sparse autoencder"])
def test_lookup_imports_nothing_heavy(store, term):
    code = (
        "import sys\n"
        "from paperkg.kg.cli import main\n"
        f"try:\n    main(['lookup', {term!r}, '--store', {str(store.path)!r}])\n"
        "except SystemExit:\n    pass\n"
        f"print('heavy:', *(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "sparse autoencoder" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "heavy:"


def test_piped_output_keeps_the_entity_iri_on_one_line_to_copy(store):
    out = run(store, "SAE", env={"COLUMNS": "40"}).stdout
    assert SAE in out.splitlines()
