"""Support and confidence on relation statements (kg.support), across builds and relinks."""

from __future__ import annotations

from dataclasses import replace

from graph_papers import build, ent, extraction, paper, scored, triples

from paperkg.extract.records import PaperExtraction
from paperkg.kg.iris import entity_iri, statement_iri
from paperkg.kg.names import lookup_key
from paperkg.kg.store import Store
from paperkg.kg.support import stored_support
from paperkg.kg.terms import pkg, rdf


def undefined_sa() -> PaperExtraction:
    """Uses SA without defining it: linked to SA itself until some paper defines it."""
    p = replace(paper("title:sa scoring", "Scoring Prototypes", "The SA module helps prototype scoring."), year=2024)
    ex = extraction(p, ent("SA", "Method"), ent("prototype scoring", "Task"))
    return scored(ex, "SA", "usedFor", "prototype scoring", 0.7)


def defining_sa() -> PaperExtraction:
    p = replace(
        paper(
            "title:score aggregation",
            "Aggregating Scores",
            "We propose score aggregation (SA), which helps prototype scoring. "
            "Local surrogate explainers such as LIME help.",
        ),
        year=2025,
    )
    ex = extraction(
        p,
        ent("score aggregation", "Method", "score aggregation", "SA", acronym="SA"),
        ent("prototype scoring", "Task"),
        ent("local surrogate explainers", "Method", "Local surrogate explainers"),
        ent("LIME", "Method"),  # the corpus knows its long form: its entity is that
        abbreviations=[("SA", "score aggregation")],
    )
    ex = scored(ex, "score aggregation", "usedFor", "prototype scoring", 0.9)
    return scored(ex, "LIME", "hyponymOf", "Local surrogate explainers", 0.6)  # the such-as pattern agrees


def support_of(store: Store, subject: str, relation: str, obj: str):
    node = statement_iri(entity_iri(lookup_key(subject)), getattr(pkg, relation), entity_iri(lookup_key(obj)))
    if not any(store.oxigraph.quads_for_pattern(node, rdf.type, rdf.Statement)):
        return None
    return stored_support(store.oxigraph, node)[0]


def test_papers_stating_a_relation_are_counted_per_year_and_make_it_reliable(tmp_path, sa_settled):
    store = build(tmp_path / "g", [undefined_sa(), defining_sa()])
    support = support_of(store, "score aggregation", "usedFor", "prototype scoring")
    assert support is not None
    assert (support.papers, dict(support.years), support.confidence) == (2, {2024: 1, 2025: 1}, 0.9)
    assert support.reliable and not support.patterns
    # the acronym's own entity no longer states it: the use of SA moved to score aggregation
    assert support_of(store, "SA", "usedFor", "prototype scoring") is None


def test_one_paper_is_reliable_only_when_scorer_and_pattern_agree(tmp_path):
    store = build(tmp_path / "g", [defining_sa()])
    agreed = support_of(
        store, "local interpretable model-agnostic explanation", "hyponymOf", "local surrogate explainers"
    )
    assert agreed is not None and agreed.papers == 1 and agreed.agreement == 1
    assert agreed.patterns == {"such-as"} and agreed.reliable
    alone = support_of(store, "score aggregation", "usedFor", "prototype scoring")
    assert alone is not None and alone.papers == 1 and not alone.reliable


def test_adding_papers_build_by_build_gives_the_support_of_one_build(tmp_path, sa_settled):
    at_once = build(tmp_path / "once", [undefined_sa(), defining_sa()])
    for order in ([undefined_sa()], [defining_sa()]), ([defining_sa()], [undefined_sa()]):
        bit_by_bit = build(tmp_path / f"bits-{order[0][0].paper.key}", *order)
        assert triples(bit_by_bit) == triples(at_once)


def test_one_build_a_paper_a_chunk_gives_the_support_of_one_chunk(tmp_path, sa_settled):
    # support is summed over a build's chunks and written at its end: a relation made by the
    # first chunk and taken away by the second (SA relinked) must leave no support behind
    at_once = build(tmp_path / "once", [undefined_sa(), defining_sa()])
    for papers in [undefined_sa(), defining_sa()], [defining_sa(), undefined_sa()]:
        chunked = build(tmp_path / f"chunked-{papers[0].paper.key}", papers, chunk_size=1)
        assert triples(chunked) == triples(at_once)


def sentiment_sa() -> PaperExtraction:
    """Defines SA otherwise than `defining_sa`: with both, SA is contested and links to itself again."""
    p = replace(
        paper("title:sentiment analysis", "Sentiment Analysis", "We study sentiment analysis (SA) of reviews."),
        year=2025,
    )
    return extraction(
        p,
        ent("sentiment analysis", "Task", "sentiment analysis", "SA", acronym="SA"),
        abbreviations=[("SA", "sentiment analysis")],
    )


def test_a_relation_removed_and_made_again_in_one_build_is_there(tmp_path, sa_settled):
    # chunk by chunk: SA usedFor prototype scoring is made, taken away when a paper defines SA,
    # and made again when another defines it otherwise; the build must know it is there again
    papers = [undefined_sa(), defining_sa(), sentiment_sa()]
    at_once = build(tmp_path / "once", papers)
    chunked = build(tmp_path / "chunked", papers, chunk_size=1)
    assert triples(chunked) == triples(at_once)
    again = support_of(chunked, "SA", "usedFor", "prototype scoring")
    assert again is not None and again.papers == 1
