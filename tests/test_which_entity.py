"""Which entity a name means (`kg.label_index.which`), shared by lookup, `--bind` and `--focus`;
model families (`kg.families`, `pkg:variantOf`); counts kept right by incremental builds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from graph_papers import build, ent, extraction, paper, triples

from paperkg.kg.bindings import to_term
from paperkg.kg.families import family_links, family_names
from paperkg.kg.ingest import add_extractions
from paperkg.kg.label_index import EntityRef, entity_ref, which
from paperkg.kg.lookup import lookup
from paperkg.kg.query import StoreBackend
from paperkg.kg.store import Store
from paperkg.kg.terms import pkg
from paperkg.kg.validate import validate_store


def ref(name: str, type_: str, papers: int) -> EntityRef:
    return EntityRef("https://example.org/" + name.replace(" ", "-"), name, type_, papers)


def test_the_entity_in_the_most_papers_wins_then_the_name():
    big, small, tied = ref("large language model", "Method", 900), ref("LLM", "Concept", 3), ref("a", "Concept", 3)
    assert which([small, big, tied]) == [big, tied, small]


def test_papers_win_over_a_wanted_type_which_breaks_ties():
    model, fragment = ref("BERT", "Model", 47), ref("benchmarked against a transformer model", "Method", 1)
    assert which([fragment, model], "Method") == [model, fragment]
    pe, error = ref("positional encoding", "Method", 2), ref("prediction error", "Concept", 2)
    assert which([pe, error], "Concept") == [error, pe]
    assert which([pe, error]) == which([pe, error], "Dataset") == [pe, error]  # none of that type: by name


# -- one rule for lookup and --bind, on a built graph --------------------------------------------

CORPUS_LONG = "Zonal Quantile Policy Optimization"
LOCAL_LONG = "Zero Query Prompt Optimisation"


def _defining(i: int, long: str):
    p = paper(f"title:zqpo paper {i}", f"Paper {i} on policies", f"We study {long} (ZQPO) for agents {i}.")
    return extraction(p, ent(long, "Method", long, "ZQPO", acronym="ZQPO"), abbreviations=[("ZQPO", long)])


@pytest.fixture(scope="module")
def zqpo_store(tmp_path_factory):
    papers = [_defining(i, CORPUS_LONG) for i in range(3)] + [_defining(9, LOCAL_LONG)]
    return build(tmp_path_factory.mktemp("zqpo") / "store", papers)


def test_lookup_shows_the_main_entity_and_folds_a_one_paper_definition(zqpo_store):
    result = lookup(zqpo_store, "ZQPO")
    assert [(m.name, m.paper_count) for m in result.matches] == [(CORPUS_LONG, 3)]
    assert [(d.name, d.papers) for d in result.definitions] == [(LOCAL_LONG, 1)]
    assert result.others == []


def test_bind_means_what_lookup_shows_and_offers_the_other(zqpo_store):
    notes: list[str] = []
    bound = to_term("method", "ZQPO", StoreBackend(zqpo_store), notes)
    assert bound == ox.NamedNode(lookup(zqpo_store, "ZQPO").matches[0].iri)
    [note] = notes
    assert LOCAL_LONG in note and "2 so named" in note


# -- model families ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, families",
    [
        ("Qwen3-8B", ["Qwen3"]),
        ("Qwen3-VL-8B-Instruct", ["Qwen3-VL-8B", "Qwen3-VL", "Qwen3"]),
        ("Qwen3-30B-A3B", ["Qwen3-30B", "Qwen3"]),
        ("Mixtral 8x7B", ["Mixtral"]),
        ("BERT-large", ["BERT"]),
        ("Llama-2-7B", ["Llama-2"]),  # a version number is not a size: Llama-2 is no variant of Llama
        ("ResNet-50", []),
        ("GPT-4o", []),
        ("Qwen3", []),
    ],
)
def test_family_names(name, families):
    assert family_names(name) == families


def test_the_nearest_family_in_the_graph_is_linked_and_the_most_used_of_a_shared_name():
    models = [
        ref("Qwen3", "Model", 10),
        ref("QWEN3", "Model", 2),  # another entity with the family's name: the one in fewer papers
        ref("Qwen3-VL", "Model", 5),
        ref("Qwen3-VL-8B-Instruct", "Model", 1),
        ref("Qwen3-8B", "Model", 4),
        ref("ResNet-50", "Model", 4),
    ]
    keys = [(m.iri, m.name.lower().replace("-", "")) for m in models]
    by_name = {m.name: m.iri for m in models}
    assert family_links(models, keys) == {
        by_name["Qwen3-VL"]: by_name["Qwen3"],
        by_name["Qwen3-VL-8B-Instruct"]: by_name["Qwen3-VL"],
        by_name["Qwen3-8B"]: by_name["Qwen3"],
    }


def _model_paper(i: int, *names: str):
    text = "We compare " + " and ".join(names) + " on reasoning."
    return extraction(paper(f"title:models {i}", f"Models {i}", text), *(ent(n, "Model") for n in names))


FAMILY_PAPERS = [
    _model_paper(1, "Qwen3-8B"),
    _model_paper(2, "Qwen3-VL-8B-Instruct", "Qwen3-8B"),
    _model_paper(3, "Qwen3", "Qwen3-VL"),
]


def _variant_links(store) -> set[tuple[str, str]]:
    def label(node) -> str:
        found = entity_ref(store, node)
        assert found is not None
        return found.name

    return {(label(q.subject), label(q.object)) for q in store.oxigraph.quads_for_pattern(None, pkg.variantOf, None)}


def test_a_build_links_variants_to_their_family_and_lookup_counts_the_family(tmp_path):
    store = build(tmp_path / "store", FAMILY_PAPERS)
    assert _variant_links(store) == {
        ("Qwen3-8B", "Qwen3"),
        ("Qwen3-VL", "Qwen3"),
        ("Qwen3-VL-8B-Instruct", "Qwen3-VL"),
    }
    assert validate_store(store).conforms
    [family] = lookup(store, "qwen3").matches
    assert sorted(v.name for v in family.variants) == ["Qwen3-8B", "Qwen3-VL"]
    assert family.family is None and family.paper_count == 1
    assert family.family_papers == 3  # papers naming Qwen3 or a variant, however deep
    [instruct] = lookup(store, "Qwen3-VL-8B-Instruct").matches
    assert instruct.family is not None and instruct.family.name == "Qwen3-VL"


def test_a_family_seen_in_a_later_build_links_the_stored_variants_as_one_build_does(tmp_path):
    together = build(tmp_path / "together", FAMILY_PAPERS)
    apart = build(tmp_path / "apart", FAMILY_PAPERS[:2], FAMILY_PAPERS[2:])
    assert _variant_links(apart) == _variant_links(together)
    assert triples(apart) == triples(together)


def test_the_triple_count_is_kept_per_generation_and_follows_every_build(tmp_path):
    """`Store.triples` answers from a per-generation file once counted; a build makes a new
    generation, whose count is that generation's, never the cached one of the one before."""
    store = build(tmp_path / "store", FAMILY_PAPERS[:1])
    first = store.triples()
    assert first == len(store) and (store.path / "cache" / f"triples-{store.generation}").is_file()
    with store.transaction() as db:
        add_extractions(db, FAMILY_PAPERS[1:])
    again = Store(store.path)
    assert again.triples() == len(again) > first
    assert [p.name for p in (store.path / "cache").glob("triples-*")] == [f"triples-{again.generation}"]
