"""The shipped extractor on real abstracts from the seed listings, checked by hand."""

import json
from pathlib import Path

import pytest

pytest.importorskip("spacy")

from paperkg.extract.naming import is_generic_reference  # noqa: E402
from paperkg.extract.pipeline import MODEL_DIR, load_extractor  # noqa: E402
from paperkg.extract.records import Paper  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")


def _papers():
    rows = [json.loads(line) for line in (FIXTURES / "seed_abstracts.jsonl").read_text().splitlines()]
    return [Paper(r["id"], r["title"], r["abstract"], "seed_abstracts.jsonl", i) for i, r in enumerate(rows, 1)]


@pytest.fixture(scope="module")
def extractions():
    return {x.paper.key: x for x in load_extractor().extract(_papers())}


def entity(extraction, name):
    matches = [e for e in extraction.entities if e.name == name]
    assert matches, f"{name!r} not among {[e.name for e in extraction.entities]}"
    return matches[0]


@pytest.mark.parametrize(
    "paper, name, type_",
    [
        ("sae", "Pythia-70M", "Model"),
        ("tsetlin", "20 Newsgroups", "Dataset"),
        ("tsetlin", "IMDb", "Dataset"),
        ("cdt", "SST-2", "Dataset"),
        ("cdt", "AG News", "Dataset"),
        ("gpt2", "GPT-2", "Model"),
        ("gpt2", "GPT-4", "Model"),
        ("deepseek", "DeepSeek R1", "Model"),
        ("deepseek", "MedQA", "Dataset"),
        ("sonar", "VGG16", "Model"),
        ("sonar", "ResNet50", "Model"),
        ("chinchilla", "Chinchilla", "Model"),
        ("promptcam", "DINO", "Model"),
        ("promptcam", "Vision Transformers", "Model"),
    ],
)
def test_named_models_and_datasets(extractions, paper, name, type_):
    assert entity(extractions[paper], name).type == type_


@pytest.mark.parametrize(
    "paper, short, long",
    [
        ("sae", "SAEs", "Sparse Autoencoders"),
        ("sae", "vSAE", "Variational Sparse Autoencoder"),
        ("tsetlin", "SVMs", "support vector machines"),
        ("cdt", "CD-T", "contextual decomposition for transformers"),
        ("gpt2", "MLP", "Multi-Layer Perceptron"),
        ("deepseek", "LLMs", "large language models"),
        ("sonar", "SLIC", "Simple Linear Iterative Clustering"),
        ("promptcam", "Prompt-CAM", "Prompt Class Attention Map"),
        ("promptcam", "VPT", "Visual Prompt Tuning"),
    ],
)
def test_acronyms_are_linked_to_long_forms(extractions, paper, short, long):
    extraction = extractions[paper]
    assert (short, long) in extraction.abbreviations
    named = [e for e in extraction.entities if short in e.aliases or e.acronym == short.rstrip("s")]
    assert len(named) == 1 and named[0].name.lower().startswith(long.lower().rstrip("s")), named


def test_vsae_and_sae_stay_apart(extractions):
    sae = entity(extractions["sae"], "Sparse Autoencoder")
    vsae = entity(extractions["sae"], "Variational Sparse Autoencoder")
    assert sae.acronym == "SAE" and vsae.acronym == "vSAE"
    assert "vSAE" not in sae.aliases and "SAE" not in vsae.aliases
    # every later use of the short forms is a mention of its entity
    assert sum(m.text in ("SAE", "SAEs") for m in sae.mentions) >= 4
    assert sum(m.text == "vSAE" for m in vsae.mentions) >= 4


def test_no_generic_phrase_becomes_an_entity(extractions):
    for extraction in extractions.values():
        for e in extraction.entities:
            assert not is_generic_reference(e.name.split()), e.name


def test_mentions_point_into_their_field_and_sentence(extractions):
    for extraction in extractions.values():
        sentences = {(s.field, s.index): s for s in extraction.sentences}
        for e in extraction.entities:
            for m in e.mentions:
                text = getattr(extraction.paper, m.field)
                assert text[m.start : m.end] == m.text
                sentence = sentences[(m.field, m.sentence)]
                assert sentence.start <= m.start and m.end <= sentence.end
                assert text[sentence.start : sentence.end] == sentence.text


def test_json_carries_sentence_text(extractions):
    obj = extractions["deepseek"].to_json()
    assert obj["id"] == "deepseek" and obj["title"].startswith("Medical Reasoning")
    mention = entity(extractions["deepseek"], "MedQA").mentions[0]
    [row] = [e for e in obj["entities"] if e["name"] == "MedQA"]
    assert row["mentions"][0]["sentence"].startswith("This study assesses DeepSeek R1")
    assert row["mentions"][0]["start"] == mention.start


def test_parallel_extraction_matches_serial(extractions):
    parallel = list(load_extractor().extract(_papers()[:4], n_process=2, batch_size=1))
    assert [x.to_json() for x in parallel] == [extractions[x.paper.key].to_json() for x in parallel]
    assert [x.entities for x in parallel] == [extractions[x.paper.key].entities for x in parallel]


def _objects_frozen(extraction) -> int:
    import gc

    return gc.get_freeze_count()


def test_workers_garbage_collector_leaves_what_they_inherited_alone():
    import gc

    frozen_here = gc.get_freeze_count()
    counts = list(load_extractor().extract(_papers()[:2], n_process=2, batch_size=1, finish=_objects_frozen))
    # the extractor and the papers a worker inherited are frozen there, not in this process
    assert len(counts) == 2 and min(counts) > frozen_here + 10_000
    assert gc.get_freeze_count() == frozen_here


def _widest_pipe(extraction) -> int:
    import fcntl
    import os

    sizes = [0]
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                sizes.append(fcntl.fcntl(int(fd), fcntl.F_GETPIPE_SZ))
        except OSError:  # the directory's own descriptor, closed once listed
            continue
    return max(sizes)


def test_a_worker_hands_its_results_over_through_a_pipe_that_holds_them():
    import sys

    from paperkg.extract.pipeline import PIPE_BYTES

    if not sys.platform.startswith("linux"):
        pytest.skip("a pipe's size is set on Linux only")
    # a batch's results (about 400 KB) pass through the pool's pipe in one piece, not in 64 KB ones
    assert (
        list(load_extractor().extract(_papers()[:2], n_process=2, batch_size=1, finish=_widest_pipe))
        == [PIPE_BYTES] * 2
    )


def test_the_extractor_keeps_freed_memory_for_its_next_batch():
    import sys

    from paperkg.extract.allocator import reuse_freed_memory

    if not sys.platform.startswith("linux"):
        pytest.skip("malloc thresholds are set on Linux (glibc) only")
    assert reuse_freed_memory() is True  # glibc accepted both thresholds
    assert reuse_freed_memory() is True  # and once is enough: the call is cached


def test_the_shipped_tokenizer_keeps_the_splits_of_a_whole_corpus():
    """spaCy's tokenizer keeps the tokens of 10,000 chunks by default, full after a few hundred
    abstracts; the loaded pipeline's keeps them for a worker's share of the corpus."""
    from paperkg.extract.tokenizer import TOKENIZER_CACHE

    assert TOKENIZER_CACHE >= 500_000
    assert load_extractor().nlp.tokenizer.max_cache_size == TOKENIZER_CACHE
