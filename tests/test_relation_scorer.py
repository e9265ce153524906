"""The trained relation scorer as a pipeline component (extract.relation_scorer)."""

from __future__ import annotations

import json
import logging
import re

import numpy
import pytest
import spacy
from spacy.tokens import Span

from paperkg.extract.keys import MENTIONS_KEY, RELATIONS_CAPPED_KEY, RELATIONS_KEY
from paperkg.extract.pipeline import MODEL_DIR, load_nlp, text_of
from paperkg.extract.readers import read_papers
from paperkg.extract.relation_scorer import (
    MAX_BETWEEN,
    RelationScorer,
    _Words,
    pair_classes,
    sentence_pairs,
    text_pairs,
)
from paperkg.extract.resources import data_dir
from paperkg.schema.namespaces import RELATIONS, SYMMETRIC_RELATIONS

CLASSES = pair_classes(RELATIONS, SYMMETRIC_RELATIONS)


def scorer_pipeline(max_pairs: int = 200):
    """A blank pipeline with a scorer that knows one cue: "X for Y" is X usedFor Y."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    scorer = nlp.add_pipe("paperkg_relations", config={"max_pairs": max_pairs, "threshold": 0.5})
    weights = numpy.zeros((2, len(CLASSES)))
    weights[0, CLASSES.index("none")] = 2.0  # "bias": no relation, unless ...
    weights[1, CLASSES.index("usedFor>")] = 5.0  # ... the words between are "for"
    scorer.initialize(features=["bias", "bs=for"], classes=CLASSES, weights=weights)
    return nlp


def with_mentions(nlp, text: str, *spans: tuple[int, int, str]):
    doc = nlp.make_doc(text)
    doc.spans[MENTIONS_KEY] = [Span(doc, s, e, label=label) for s, e, label in spans]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


TEXT = "Transformers for translation beat recurrent networks on WMT."
MENTIONS = ((0, 1, "Method"), (2, 3, "Task"), (4, 6, "Method"), (7, 8, "Dataset"))


def test_the_scorer_keeps_the_relations_its_weights_give(tmp_path):
    doc = with_mentions(scorer_pipeline(), TEXT, *MENTIONS)
    ((s_start, s_end, o_start, o_end, relation, score),) = doc.user_data[RELATIONS_KEY]
    assert (TEXT[s_start:s_end], relation, TEXT[o_start:o_end]) == ("Transformers", "usedFor", "translation")
    assert 0.5 <= score <= 1 and doc.user_data[RELATIONS_CAPPED_KEY] == 0


def test_the_scorer_is_saved_and_loaded_with_the_pipeline(tmp_path):
    nlp = scorer_pipeline()
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    before = with_mentions(nlp, TEXT, *MENTIONS).user_data[RELATIONS_KEY]
    after = with_mentions(loaded, TEXT, *MENTIONS).user_data[RELATIONS_KEY]
    assert before and after == before
    assert loaded.get_pipe("paperkg_relations").classes == CLASSES


def test_a_sentence_of_many_mentions_is_scored_on_a_bounded_number_of_pairs(caplog):
    mentions = [(i, i + 1, "Method") for i in range(0, 4000, 2)]  # 2,000 mentions in one sentence
    pairs, capped = sentence_pairs(mentions, 10_000)
    assert len(pairs) <= (MAX_BETWEEN + 1) * len(mentions) and not capped
    assert all(gap <= MAX_BETWEEN for _, _, gap in pairs)
    pairs, capped = sentence_pairs(mentions, 200)
    assert len(pairs) == 200 and capped
    assert pairs[:3] == [(0, 1, 0), (1, 2, 0), (2, 3, 0)]  # the nearest first

    nlp = scorer_pipeline(max_pairs=50)
    text = " ".join(["model"] * 600)
    with caplog.at_level(logging.WARNING):
        doc = with_mentions(nlp, text, *((i, i + 1, "Method") for i in range(600)))
    assert doc.user_data[RELATIONS_CAPPED_KEY] == 1
    assert "over 50 mention pairs" in caplog.text


def test_pairs_skip_overlapping_mentions():
    mentions = [(0, 10, "Method"), (5, 8, "Method"), (12, 15, "Task")]
    pairs, _ = sentence_pairs(mentions, 100)
    assert (0, 1, 0) not in pairs  # (0, 10) and (5, 8) overlap
    assert {(i, j) for i, j, _ in pairs} == {(1, 2), (0, 2)}


def test_training_takes_a_generic_mention_of_the_papers_own_work_as_the_phrase_found_at_run_time(tmp_path):
    # SciERC marks "approach" in "our approach" Generic; the pipeline finds "our approach", a Method
    from paperkg.extract.relation_training import scierc_pairs

    record = {
        "doc_key": "x",
        "sentences": [["We", "apply", "our", "approach", "to", "machine", "translation", "."]],
        "ner": [[[3, 3, "Generic"], [5, 6, "Task"]]],
        "relations": [[[3, 3, 5, 6, "USED-FOR"]]],
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    pairs = scierc_pairs(path)
    assert pairs.labels == ["usedFor>"]
    assert "pa=apply" in pairs.features[0]  # the word before "our approach", not "our"


def test_training_sums_each_pairs_features_into_its_logits_and_its_gradient_back():
    from paperkg.extract.relation_training import Encoded, _feature_gradient, _probabilities

    # three pairs over four features: pair 0 has features 0 and 2, pair 1 features 1, 2 and 3, pair 2 feature 0
    data = Encoded(numpy.array([0, 0, 1, 1, 1, 2]), numpy.array([0, 2, 1, 2, 3, 0]), numpy.array([0, 1, 0]), 3)
    weights = numpy.arange(12, dtype="float64").reshape(4, 3) / 10
    logits = numpy.array([weights[0] + weights[2], weights[1] + weights[2] + weights[3], weights[0]])
    expected = numpy.exp(logits) / numpy.exp(logits).sum(axis=1, keepdims=True)
    assert numpy.allclose(_probabilities(data, weights), expected)
    grad_logits = numpy.arange(9, dtype="float64").reshape(3, 3)
    gradient = _feature_gradient(data, grad_logits, 4)
    assert numpy.allclose(gradient[0], grad_logits[0] + grad_logits[2])
    assert numpy.allclose(gradient[2], grad_logits[0] + grad_logits[1])
    assert numpy.allclose(gradient[3], grad_logits[1])


@pytest.mark.parametrize(
    "text", ["", "  ", "x", "We fine-tune GPT-4o (see $x^2$), e.g. on COCO-2017... ", "İstanbul -a- b-, ﬁne"]
)
def test_the_scorer_reads_each_word_and_where_it_starts(text):
    """A text's words, lower-cased, each with its offset (in the lower-cased text), as a word
    pattern finds them one match at a time."""
    words = _Words(text)
    found = list(re.finditer(r"\w[\w-]*|[^\w\s]", text.lower()))
    assert words.words == [m.group() for m in found]
    assert words.starts == [m.start() for m in found]


def test_probabilities_sum_each_pairs_known_features_and_skip_the_unknown():
    """Every pair's logits are the sum of its known features' rows (none for a pair without
    any): the names of all pairs are looked up at once and the unknown ones left out."""
    scorer = RelationScorer(None, "paperkg_relations", 200, 0.5)
    weights = numpy.array([[0.0, 1.0, 2.0], [3.0, 0.5, -1.0], [-2.0, 0.25, 4.0]], dtype="float32")
    scorer.initialize(features=["a", "b", "c"], classes=["none", "r>", "r<"], weights=weights)
    pairs = [["a", "unknown", "c"], [], ["unknown"], ["b", "b", "c"]]
    logits = numpy.array([weights[0] + weights[2], numpy.zeros(3), numpy.zeros(3), 2 * weights[1] + weights[2]])
    expected = numpy.exp(logits) / numpy.exp(logits).sum(axis=1, keepdims=True)
    assert numpy.allclose(scorer.probabilities(pairs), expected)


def test_a_batch_of_docs_is_scored_doc_by_doc_as_each_alone(caplog):
    """`pipe` scores the pairs of a batch's Docs together: each Doc gets its own relations and
    capped count, a Doc without mentions none, and a capped sentence is logged for its Doc."""
    nlp = scorer_pipeline(max_pairs=50)
    scorer = nlp.get_pipe("paperkg_relations")
    first = with_mentions(nlp, TEXT, *MENTIONS)
    bare = nlp.make_doc("Nothing is marked here.")
    later = "We study models for parsing, and parsers for translation."
    many = " ".join(["model"] * 600)
    docs = [
        first,
        nlp.get_pipe("sentencizer")(bare),
        with_mentions(nlp, later, (2, 3, "Method"), (4, 5, "Task"), (7, 8, "Method"), (9, 10, "Task")),
        with_mentions(nlp, many, *((i, i + 1, "Method") for i in range(600))),
    ]
    alone = [(scorer(doc).user_data[RELATIONS_KEY], doc.user_data[RELATIONS_CAPPED_KEY]) for doc in docs]
    for doc in docs:
        doc.user_data.pop(RELATIONS_KEY)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        batched = [
            (d.user_data[RELATIONS_KEY], d.user_data[RELATIONS_CAPPED_KEY]) for d in scorer.pipe(docs, batch_size=3)
        ]
    assert batched == alone
    assert [len(found) for found, _ in batched[:3]] == [1, 0, 2] and [c for _, c in batched] == [0, 0, 0, 1]
    assert [(later[s:e], r, later[o:p]) for s, e, o, p, r, _ in batched[2][0]] == [
        ("models", "usedFor", "parsing"),
        ("parsers", "usedFor", "translation"),
    ]
    assert caplog.text.count("over 50 mention pairs") == 1


@pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")
def test_the_shipped_scorer_finds_in_a_batch_what_it_finds_in_each_doc_alone():
    """Real abstracts through the shipped pipeline (`nlp.pipe`, so the scorer's `pipe`, in
    batches of 4): each Doc's relations are those it gets alone, and each pair's probabilities
    are bitwise those of its text's pairs scored alone."""
    nlp = load_nlp()
    scorer = nlp.get_pipe("paperkg_relations")
    texts = [text_of(paper) for paper in read_papers(data_dir() / "demo").papers][:10]
    texts += ["", "A text of no mention.", "We train BERT on SQuAD and GPT-2 on WikiText-103 for question answering."]
    docs = list(nlp.pipe(texts, batch_size=4))
    batched = [(doc.user_data[RELATIONS_KEY], doc.user_data[RELATIONS_CAPPED_KEY]) for doc in docs]
    assert sum(len(found) for found, _ in batched) > 20
    assert batched == [(scorer(doc).user_data[RELATIONS_KEY], doc.user_data[RELATIONS_CAPPED_KEY]) for doc in docs]
    inputs = [scorer._mentions(doc) for doc in docs]
    features = [text_pairs(text, sentences, scorer.max_pairs)[1] for text, sentences in inputs]
    together = scorer.probabilities([pair for each in features for pair in each])
    alone = numpy.concatenate([scorer.probabilities(each) for each in features if each])
    assert together.tobytes() == alone.tobytes()
    assert scorer.score_texts(inputs) == [scorer.score(text, sentences) for text, sentences in inputs]
