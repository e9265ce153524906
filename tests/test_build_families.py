"""The model families a build links (`pkg:variantOf`) are computed before its descriptions are in
the store, from the models it described and the stored ones it did not touch: the links are those
`kg.families` makes from the finished graph, and an incremental build's are one build's."""

from __future__ import annotations

from graph_papers import build, ent, extraction, paper, triples

from paperkg.extract.records import PaperExtraction
from paperkg.kg.families import refresh_families
from paperkg.kg.store import Store
from paperkg.kg.terms import pkg, skos


def _says(key: str, *models: str) -> PaperExtraction:
    """A paper whose one sentence names `models`, each a Model entity of its own name."""
    text = f"We compare {' and '.join(models)} on reasoning benchmarks."
    return extraction(paper(key, f"Study {key}", text), *(ent(m, "Model") for m in models))


def _variant_links(store: Store) -> set[tuple[str, str]]:
    """(variant's label, family's label) for every `pkg:variantOf` link of `store`."""
    db = store.oxigraph

    def label(node) -> str:
        return next(db.quads_for_pattern(node, skos.prefLabel, None)).object.value

    return {(label(q.subject), label(q.object)) for q in db.quads_for_pattern(None, pkg.variantOf, None)}


def _as_the_finished_graph_links(store: Store) -> bool:
    """Whether `store`'s links are those `refresh_families` reads from its finished graph: none to
    add, none removed."""
    with store.transaction() as db:
        before = set(db.quads_for_pattern(None, pkg.variantOf, None))
        added = refresh_families(db)
        return added == "" and set(db.quads_for_pattern(None, pkg.variantOf, None)) == before


def test_a_first_build_links_its_models_to_their_families(tmp_path):
    store = build(tmp_path / "g", [_says("a", "Qwen3", "Qwen3-8B", "Qwen3-VL-8B-Instruct"), _says("b", "Qwen3-VL")])
    assert _variant_links(store) == {("Qwen3-8B", "Qwen3"), ("Qwen3-VL", "Qwen3"), ("Qwen3-VL-8B-Instruct", "Qwen3-VL")}
    assert _as_the_finished_graph_links(store)


def test_a_family_a_later_build_brings_links_the_stored_variants(tmp_path):
    first, later = [_says("a", "Llama-2-7B", "Qwen3-8B")], [_says("b", "Llama-2"), _says("c", "Qwen3")]
    bit_by_bit = build(tmp_path / "bits", first, later)
    assert _variant_links(bit_by_bit) == {("Llama-2-7B", "Llama-2"), ("Qwen3-8B", "Qwen3")}
    assert triples(bit_by_bit) == triples(build(tmp_path / "once", first + later))
    assert _as_the_finished_graph_links(bit_by_bit)


def test_a_stored_family_links_a_later_builds_variant(tmp_path):
    first, later = [_says("a", "Qwen3")], [_says("b", "Qwen3-8B")]
    bit_by_bit = build(tmp_path / "bits", first, later)
    assert _variant_links(bit_by_bit) == {("Qwen3-8B", "Qwen3")}
    assert triples(bit_by_bit) == triples(build(tmp_path / "once", first + later))


def test_a_model_whose_label_changes_gains_or_loses_its_family(tmp_path):
    """`Zorblax.8B` and `Zorblax-8B` (no vocabulary's names) are one entity, labelled as most
    papers write it; only the hyphenated label names a family."""
    dotted = [_says("a", "Zorblax", "Zorblax.8B"), _says("b", "Zorblax.8B")]
    hyphenated = [_says(key, "Zorblax-8B") for key in "cde"]
    more_dotted = [_says(key, "Zorblax.8B") for key in "fghi"]
    assert _variant_links(build(tmp_path / "bits", dotted)) == set()
    assert _variant_links(build(tmp_path / "bits", hyphenated)) == {("Zorblax-8B", "Zorblax")}
    store = build(tmp_path / "bits", more_dotted)
    assert _variant_links(store) == set()
    assert triples(store) == triples(build(tmp_path / "once", dotted + hyphenated + more_dotted))
    assert _as_the_finished_graph_links(store)


def test_a_model_that_becomes_a_method_loses_its_family(tmp_path):
    """A stored model the build describes again as a Method is no model of the families any more,
    though the store still held its old description while the links were made."""
    first = [_says("a", "Zorblax", "Zorblax-Chat")]
    method = [
        extraction(paper(key, f"Study {key}", "We train Zorblax-Chat on dialogues."), ent("Zorblax-Chat", "Method"))
        for key in "bcd"
    ]
    bit_by_bit = build(tmp_path / "bits", first, method)
    assert _variant_links(build(tmp_path / "first", first)) == {("Zorblax-Chat", "Zorblax")}
    assert _variant_links(bit_by_bit) == set()
    assert triples(bit_by_bit) == triples(build(tmp_path / "once", first + method))
