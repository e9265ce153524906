"""Time data in the graph: periods, first appearance and quartiles, kept right by incremental builds."""

from __future__ import annotations

from collections import Counter, defaultdict

import graph_papers as gp
import pytest

from paperkg.kg.iris import corpus_iri, entity_iri
from paperkg.kg.terms import dcterms, pkg, rdf, term_value
from paperkg.kg.timeline import corpus_months, period_of, stored_periods
from paperkg.kg.validate import validate_store

SPLITS = {
    "definitions arrive late": [
        [gp.probe_undefined, gp.sa_undefined],
        [gp.protopnet],
        [gp.vsae, gp.transcoders, gp.anchored, gp.sonar, gp.sonar_variant, gp.tsetlin, gp.tsetlin_plain],
        [gp.self_explain, gp.probe],
    ],
    "one paper per build": [[make] for make in (lambda ex=ex: ex for ex in gp.all_papers())],
    "newest first": [
        [lambda ex=ex: ex] for ex in sorted(gp.all_papers(), key=lambda ex: gp.DATE_OF[ex.paper.key], reverse=True)
    ],
}


def batches(split):
    return [[gp.dated(make()) for make in batch] for batch in SPLITS[split]]


@pytest.mark.parametrize("split", SPLITS)
def test_time_data_of_builds_one_after_another_equals_one_build(tmp_path, split):
    at_once = gp.build(tmp_path / "once", gp.all_dated())
    bit_by_bit = gp.build(tmp_path / "bits", *batches(split))
    time_predicates = {str(p) for p in (pkg.periodCount, pkg.period, pkg.firstSeen, pkg.firstPaper, pkg.medianMonth)}
    assert any(t.split(" ")[1] in time_predicates for t in gp.triples(at_once))
    assert gp.triples(bit_by_bit) == gp.triples(at_once)


@pytest.mark.parametrize("split", ["definitions arrive late", "newest first"])
def test_time_data_of_one_build_a_paper_a_chunk_equals_one_chunk(tmp_path, split):
    # a build keeps its time data in memory from chunk to chunk and writes it at its end: a paper
    # relinked in a later chunk must leave its entity's periods and first paper as a recount has them
    in_order = [paper for batch in batches(split) for paper in batch]
    chunked = gp.build(tmp_path / "chunked", in_order, chunk_size=1)
    _assert_matches_recount(chunked)
    assert gp.triples(chunked) == gp.triples(gp.build(tmp_path / "once", gp.all_dated()))


def _recount(store):
    """Each entity's periods and first (date, paper), counted from the papers' links and dates."""
    db = store.oxigraph
    dates = {q.subject: term_value(q.object) for q in db.quads_for_pattern(None, dcterms.issued, None)}
    years = {q.subject: int(term_value(q.object)) for q in db.quads_for_pattern(None, pkg.year, None)}
    periods: dict = defaultdict(Counter)
    first: dict = {}
    for q in db.quads_for_pattern(None, pkg.mentions, None):
        paper, entity = q.subject, q.object
        period = period_of(dates.get(paper), years.get(paper))
        if period:
            periods[entity][period] += 1
        date = dates.get(paper)
        if date and not date.startswith("--"):
            first[entity] = min(first.get(entity, (date, paper.value)), (date, paper.value))
    return periods, first


def _assert_matches_recount(store):
    db = store.oxigraph
    periods, first = _recount(store)
    dates = {q.subject: term_value(q.object) for q in db.quads_for_pattern(None, dcterms.issued, None)}
    years = {q.subject: int(term_value(q.object)) for q in db.quads_for_pattern(None, pkg.year, None)}
    papers = [q.subject for q in db.quads_for_pattern(None, rdf.type, pkg.Paper)]
    by_period = Counter(period_of(dates.get(p), years.get(p)) for p in papers)
    undated = by_period.pop(None, 0)
    assert stored_periods(db, corpus_iri()) == by_period
    assert corpus_months(db).no_year == undated
    entities = {q.subject for q in db.quads_for_pattern(None, pkg.key, None)}
    assert entities
    assert {q.subject for q in db.quads_for_pattern(None, pkg.periodCount, None)} <= entities | {corpus_iri()}
    for e in entities:
        assert stored_periods(db, e) == periods[e], e
        seen = [term_value(q.object) for q in db.quads_for_pattern(e, pkg.firstSeen, None)]
        paper = [term_value(q.object) for q in db.quads_for_pattern(e, pkg.firstPaper, None)]
        assert (seen[0], paper[0]) == first[e] if e in first else seen == paper == []


@pytest.mark.parametrize("split", ["definitions arrive late", "newest first"])
def test_stored_time_data_matches_a_recount_after_every_build(tmp_path, split):
    # after each gp.build, not only the last: an acronym linked to one long form and then, when a
    # second definition arrives, back to an entity of its own ends where it started
    for batch in batches(split):
        store = gp.build(tmp_path / "g", batch)
        _assert_matches_recount(store)
        store.close()


def test_a_relinked_acronym_moves_its_papers_periods(tmp_path):
    # "SAEs" used undefined in February is its own entity until a definition links it to
    # sparse autoencoders; then that February paper counts for sparse autoencoders
    store = gp.build(tmp_path / "g", *batches("definitions arrive late"))
    sae = entity_iri("sparseautoencoder")
    counts = stored_periods(store.oxigraph, sae)
    assert counts["2025-02"] == 1
    (first,) = store.oxigraph.quads_for_pattern(sae, pkg.firstSeen, None)
    assert term_value(first.object) == "2025-02-01"


def test_papers_without_a_year_are_left_out_and_counted(tmp_path):
    store = gp.build(tmp_path / "g", gp.all_dated())
    corpus = corpus_months(store.oxigraph)
    assert corpus.no_year == 1  # "Oct 16"
    assert corpus.year_only == 1  # "2025"
    assert sum(corpus.months.values()) == len(gp.DATE_OF) - 2
    assert list(corpus.months) == [f"2025-{m:02d}" for m in range(2, 10)]
    periods = {term_value(q.object) for q in store.oxigraph.quads_for_pattern(None, pkg.period, None)}
    assert "2025" in periods
    assert not any(p.startswith("--") for p in periods)
    # the year-less paper's entities count it nowhere
    yearless = next(
        q.subject for q in store.oxigraph.quads_for_pattern(None, pkg.dateText, None) if q.object.value == "Oct 16"
    )
    for q in store.oxigraph.quads_for_pattern(yearless, pkg.mentions, None):
        assert sum(stored_periods(store.oxigraph, q.object).values()) < int(
            next(store.oxigraph.quads_for_pattern(q.object, pkg.paperCount, None)).object.value
        )


def test_sparql_reads_monthly_counts_and_quartiles(tmp_path):
    store = gp.build(tmp_path / "g", gp.all_dated())
    rows = store.query(
        """PREFIX pkg: <https://w3id.org/paperkg/ns#>
        SELECT ?period ?n ?median WHERE {
          ?e pkg:key "sparseautoencoder" ; pkg:medianMonth ?median ; pkg:periodCount ?c .
          ?c pkg:period ?period ; pkg:papersInPeriod ?n .
        } ORDER BY ?period"""
    )
    found = [(r["period"].value, int(r["n"].value), r["median"].value) for r in rows]
    # four papers: the one using "SAEs" undefined in February, March, two in May
    assert [(p, n) for p, n, _ in found] == [("2025-02", 1), ("2025-03", 1), ("2025-05", 2)]
    assert {m for _, _, m in found} == {"2025-03"}


def test_a_dated_graph_conforms_to_the_shapes(tmp_path):
    store = gp.build(tmp_path / "g", gp.all_dated())
    assert any(store.oxigraph.quads_for_pattern(None, pkg.periodCount, None))
    assert any(store.oxigraph.quads_for_pattern(None, rdf.type, pkg.Paper))
    report = validate_store(store)
    assert report.conforms, report.text()


def test_the_graph_view_carries_each_entitys_median_month(tmp_path):
    from paperkg.kg.view import graph_view

    store = gp.build(tmp_path / "g", gp.all_dated())
    view = graph_view(store)
    sae = entity_iri("sparseautoencoder").value
    assert view.nodes[sae]["median_month"] == "2025-03"
    medians = {q.subject.value for q in store.oxigraph.quads_for_pattern(None, pkg.medianMonth, None)}
    assert {n for n, d in view.nodes(data=True) if "median_month" in d} == medians & set(view)
    # and the month of its first dated paper, for the page's month slider
    firsts = {q.subject.value: q.object.value[:7] for q in store.oxigraph.quads_for_pattern(None, pkg.firstSeen, None)}
    assert view.nodes[sae]["first_month"] == "2025-02"
    assert {n: d["first_month"] for n, d in view.nodes(data=True) if "first_month" in d} == {
        n: m for n, m in firsts.items() if n in view
    }


def test_a_new_entitys_time_data_are_the_lines_the_stored_path_makes_for_it():
    """An entity known to have nothing stored skips the store's reads; its lines are those the
    general path makes for it from an empty store."""
    import pyoxigraph as ox

    from paperkg.kg.timeline import PaperChange, TimeChanges

    a, b, c = (ox.NamedNode(f"https://example.org/e/{name}") for name in "abc")
    changes = TimeChanges()
    changes.add(
        [
            PaperChange(ox.NamedNode("https://example.org/p/1"), "2025-03-14", 2025, frozenset(), frozenset({a, b})),
            PaperChange(ox.NamedNode("https://example.org/p/2"), "2025-01-02", 2025, frozenset(), frozenset({a})),
            PaperChange(ox.NamedNode("https://example.org/p/3"), None, 2024, frozenset(), frozenset({a, c})),
            PaperChange(ox.NamedNode("https://example.org/p/4"), "2025-06-30", 2025, frozenset(), frozenset({a})),
        ]
    )
    general = "".join(changes.changes(ox.Store()))
    known_new = "".join(changes.changes(ox.Store(), {a, b, c}))
    assert sorted(known_new.splitlines()) == sorted(general.splitlines())
    assert known_new.count("firstSeen") == 2 and known_new.count("medianMonth") == 2
