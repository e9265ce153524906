"""The lockstep recogniser (`paperkg_ner`) against spaCy's own decoder, on the same weights."""

import numpy
import pytest

spacy = pytest.importorskip("spacy")

from spacy.pipeline.ner import EntityRecognizer  # noqa: E402
from spacy.tokens import Span  # noqa: E402
from spacy.training import Example  # noqa: E402

from paperkg.extract.pipeline import MODEL_DIR, load_nlp, text_of  # noqa: E402
from paperkg.extract.readers import read_papers  # noqa: E402
from paperkg.extract.recogniser import LockstepRecognizer  # noqa: E402
from paperkg.extract.resources import data_dir  # noqa: E402

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="no shipped model in extract/model")

# Edge cases next to the demo's abstracts: a lone token, whitespace runs, a title break, an
# abbreviation at the very end, sentence starts right after a capitalised name.
EDGE_TEXTS = [
    "",
    "GPT-4",
    "   ",
    "A title\n\nWe train BERT on SQuAD.  It beats   RoBERTa. CLIP",
    "Sparse autoencoders (SAEs) recover features. Pythia-70M\n\nis probed with SAEs",
]


def _recognisers():
    nlp = load_nlp()
    ours = nlp.get_pipe("ner")
    theirs = EntityRecognizer(nlp.vocab, ours.model, name="ner", moves=ours.moves)
    return nlp, ours, theirs


def _docs(nlp, texts):
    sentences = nlp.get_pipe("paperkg_sentences")
    return [sentences(nlp.make_doc(text)) for text in texts]


def _annotations(docs):
    return [([(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob for t in doc]) for doc in docs]


def _demo_texts():
    return [text_of(p) for p in read_papers(data_dir() / "demo").papers] + EDGE_TEXTS


def test_the_shipped_pipeline_runs_the_lockstep_recogniser():
    assert isinstance(load_nlp().get_pipe("ner"), LockstepRecognizer)


@pytest.mark.parametrize("batch_size", [1, 7, 64])
def test_it_labels_exactly_as_spacys_decoder(batch_size):
    nlp, ours, theirs = _recognisers()
    texts = _demo_texts()
    expected = _annotations(theirs.pipe(_docs(nlp, texts), batch_size=batch_size))
    got = _annotations(ours.pipe(_docs(nlp, texts), batch_size=batch_size))
    assert sum(len(ents) for ents, _ in expected) > 500  # the comparison covers real entities
    assert got == expected


def test_preset_entities_go_to_spacys_decoder():
    nlp, ours, theirs = _recognisers()
    text = "We fine-tune BERT and RoBERTa on SQuAD and report exact match."
    docs = {name: _docs(nlp, [text])[0] for name in ("ours", "theirs")}
    for doc in docs.values():
        doc.set_ents([Span(doc, 0, 1, label="Task")], default="unmodified")
    ours(docs["ours"])
    theirs(docs["theirs"])
    assert _annotations([docs["ours"]]) == _annotations([docs["theirs"]])
    assert (docs["ours"].ents[0].start, docs["ours"].ents[0].label_) == (0, "Task")


@pytest.mark.parametrize("weights", ["initial", "random", "random, some moves unseen"])
def test_a_new_component_decodes_as_spacys(weights):
    # the factory's defaults (spaCy's NER model), initialised on one sentence. Initial weights
    # score every move alike, so the moves' validity and the tie-breaking decide everything;
    # random ones exercise every move; moves marked unseen (as when labels are added to a
    # trained model) are scored lowest
    nlp = spacy.blank("en")
    ours = nlp.add_pipe("paperkg_ner")
    assert isinstance(ours, LockstepRecognizer)
    words = "We train BERT on SQuAD and test GPT-4 on MMLU .".split()
    spans = [(2, 3, "Method"), (4, 5, "Material"), (7, 8, "Method"), (9, 10, "Material")]
    nlp.initialize(lambda: [Example.from_dict(nlp.make_doc(" ".join(words)), {"entities": _offsets(words, spans)})])
    if weights.startswith("random"):
        rng = numpy.random.default_rng(0)
        for layer in (ours.model.get_ref("lower"), ours.model.get_ref("upper")):
            for name in layer.param_names:
                layer.set_param(name, rng.normal(size=layer.get_param(name).shape).astype("f"))
    if weights.endswith("unseen"):
        names = [ours.moves.get_class_name(i) for i in range(ours.moves.n_moves)]
        ours.model.attrs["unseen_classes"] = {names.index("U-Method"), names.index("B-Material")}
    theirs = EntityRecognizer(nlp.vocab, ours.model, name="ner", moves=ours.moves)
    texts = _demo_texts()
    expected = _annotations(theirs.pipe((nlp.make_doc(t) for t in texts), batch_size=16))
    got = _annotations(ours.pipe((nlp.make_doc(t) for t in texts), batch_size=16))
    assert len({label for ents, _ in expected for _, _, label in ents}) == (1 if weights == "initial" else 2)
    assert sum(len(ents) for ents, _ in expected) > 50
    assert got == expected


def _offsets(words, spans):
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words) + 1)]
    return [(starts[s], starts[e] - 1, label) for s, e, label in spans]


@pytest.mark.parametrize("pieces", [1, 2, 3])
def test_maxout_takes_the_largest_piece(pieces):
    from paperkg.extract.ops import best_piece

    unmaxed = numpy.random.default_rng(pieces).standard_normal((50, 8, pieces)).astype("f")
    got = best_piece(unmaxed)
    assert got.shape == (50, 8) and got.flags.c_contiguous
    assert numpy.array_equal(got, unmaxed.max(axis=2))


def _decode_with(monkeypatch, nlp, ours, texts, spy):
    """`ours`' entities of `texts` in one batch, `spy` wrapped around its inside steps' at-once path."""
    from paperkg.extract import recogniser

    at_once = recogniser._InsideSteps.followed_at_once
    monkeypatch.setattr(recogniser._InsideSteps, "followed_at_once", lambda self, *a: spy(at_once, self, *a))
    return _annotations(ours.pipe(_docs(nlp, texts), batch_size=len(texts)))


def test_entities_followed_at_once_are_those_stepped_token_by_token(monkeypatch):
    nlp, ours, theirs = _recognisers()
    texts = _demo_texts()
    answers = []

    def both(at_once, inside, next_entity, order, *rest):
        answers.append((at_once(inside, next_entity, order, *rest), inside.step_by_step(next_entity, order.copy())))
        return answers[-1][0]

    got = _decode_with(monkeypatch, nlp, ours, texts, both)
    assert got == _annotations(theirs.pipe(_docs(nlp, texts), batch_size=len(texts)))
    [(at_once, stepped)] = answers
    assert at_once is not None and len(at_once[0][0]) > 100
    assert [sorted(numpy.concatenate(part).tolist()) for part in at_once] == [
        sorted(numpy.concatenate(part).tolist()) for part in stepped
    ]


def test_entities_followed_at_once_that_spacy_would_not_choose_are_stepped_again(monkeypatch):
    # every entity followed at once made one token shorter than its model chooses: the check of
    # its steps in spaCy's groups finds the choices differ, and the batch is decided step by step
    from paperkg.extract import recogniser

    nlp, ours, theirs = _recognisers()
    texts = _demo_texts()
    ends = recogniser._InsideSteps._ends

    def shorter(inside, begins):
        return numpy.maximum(ends(inside, begins) - 1, begins + 1)

    monkeypatch.setattr(recogniser._InsideSteps, "_ends", shorter)
    answers = []

    def kept(at_once, *args):
        answers.append(at_once(*args))
        return answers[-1]

    got = _decode_with(monkeypatch, nlp, ours, texts, kept)
    assert answers == [None]
    assert got == _annotations(theirs.pipe(_docs(nlp, texts), batch_size=len(texts)))
