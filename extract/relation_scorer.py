"""`paperkg_relations`: a trained scorer of typed relations between the mentions of a sentence.

Every ordered pair of mentions in a sentence (nearest pairs first, at most `max_pairs` per
sentence) is described by sparse features that need no parser: the two types, the words between
them (as a bag, the first and last ones, and the whole stretch when it is short), their distance
in words and in mentions, each mention's last word (the head of an English noun phrase) and the
words just outside the pair. A multinomial logistic regression over those features, trained on
SciERC (`extract.relation_training`), gives each pair a probability for "no relation" and for each
graph relation in each direction; a pair whose best relation reaches `threshold` is kept.

Results go to `doc.user_data[RELATIONS_KEY]` as `(subject start, subject end, object start,
object end, relation, score)` in character offsets; the number of sentences whose pairs were cut
at `max_pairs` to `doc.user_data[RELATIONS_CAPPED_KEY]`. Run time is numpy only: the weights are
one float32 matrix saved with the pipeline.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from paperkg.extract.keys import MENTIONS_KEY, RELATIONS_CAPPED_KEY, RELATIONS_KEY

log = logging.getLogger(__name__)

NONE = "none"
_WORD = re.compile(r"\w[\w-]*|[^\w\s]")
_SHORT = 4  # a stretch between two mentions of at most this many words is a feature as a whole
# Model is a Method with a name (rules tell them apart); SciERC, which the scorer learns from, has no Model
_FEATURE_TYPE = {"Model": "Method"}

Mention = tuple[int, int, str]  # start, end (characters), graph type


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-10" if n < 11 else "11+"


def pair_features(text: str, a: Mention, b: Mention, between_mentions: int) -> list[str]:
    """The features of the pair (a, b), `a` before `b` in `text`, `between_mentions` mentions between."""
    ta, tb = _FEATURE_TYPE.get(a[2], a[2]), _FEATURE_TYPE.get(b[2], b[2])
    between = _WORD.findall(text[a[1] : b[0]].lower())
    head_a = _last_word(text[a[0] : a[1]])
    head_b = _last_word(text[b[0] : b[1]])
    before = _WORD.findall(text[max(0, a[0] - 30) : a[0]].lower())[-2:]
    after = _WORD.findall(text[b[1] : b[1] + 30].lower())[:2]
    types = f"{ta}|{tb}"
    first = between[0] if between else "<none>"
    last = between[-1] if between else "<none>"
    features = [
        "bias",
        "t=" + types,
        f"d={_bucket(len(between))}",
        f"t={types}|d={_bucket(len(between))}",
        f"m={_bucket(between_mentions)}",
        "bf=" + first,
        "bl=" + last,
        f"t={types}|bf={first}",
        f"t={types}|bl={last}",
        "ha=" + head_a,
        "hb=" + head_b,
        f"ha={head_a}|tb={tb}",
        f"hb={head_b}|ta={ta}",
        "pa=" + (before[-1] if before else "<s>"),
        "pa2=" + " ".join(before),
        "nb=" + (after[0] if after else "</s>"),
        "nb2=" + " ".join(after),
    ]
    if len(between) <= _SHORT:
        features.append("bs=" + " ".join(between))
        features.append(f"t={types}|bs=" + " ".join(between))
    if len(between) > 1:
        features.append(f"b2={between[0]} {between[1]}")
        features.append(f"bl2={between[-2]} {between[-1]}")
    features.extend("bw=" + w for w in set(between))
    return features


def _last_word(span_text: str) -> str:
    words = _WORD.findall(span_text.lower())
    return words[-1] if words else ""


def sentence_pairs(mentions: Sequence[Mention], max_pairs: int) -> tuple[list[tuple[int, int, int]], bool]:
    """`(i, j, mentions between)` for the pairs of non-overlapping mentions (sorted by start), nearest
    first, at most `max_pairs`; and whether any were left out."""
    pairs = []
    n = len(mentions)
    for gap in range(n - 1):
        for i in range(n - 1 - gap):
            j = i + 1 + gap
            if mentions[i][1] <= mentions[j][0]:
                if len(pairs) == max_pairs:
                    return pairs, True
                pairs.append((i, j, gap))
    return pairs, False


def pair_classes(relations: Sequence[str], symmetric: frozenset[str]) -> list[str]:
    """The classes a pair (a, b) can take: none; `rel>` (a is the subject) and `rel<` (b is);
    a symmetric relation once."""
    classes = [NONE]
    for r in relations:
        classes.extend([r] if r in symmetric else [r + ">", r + "<"])
    return classes


class RelationScorer:
    def __init__(self, nlp: Language, name: str, max_pairs: int, threshold: float):
        self.name = name
        self.max_pairs = max_pairs
        self.threshold = threshold
        self.features: dict[str, int] = {}
        self.classes: list[str] = []
        self.weights = numpy.zeros((0, 0), dtype="float32")

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        features: Sequence[str] = (),
        classes: Sequence[str] = (),
        weights: numpy.ndarray | None = None,
    ) -> None:
        """Set the trained model: feature names (rows of `weights`), class names (its columns)."""
        self.features = {f: i for i, f in enumerate(features)}
        self.classes = list(classes)
        self.weights = numpy.asarray(weights if weights is not None else numpy.zeros((len(features), len(classes))))
        self.weights = self.weights.astype("float32")

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, int, int, str, float]] = []
        capped = 0
        if self.classes and MENTIONS_KEY in doc.spans:
            text = doc.text
            spans = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans[MENTIONS_KEY])
            for sentence in mentions_by_sentence(doc, spans):
                more, was_capped = self.score_sentence(text, sentence)
                found.extend(more)
                capped += was_capped
        if capped:
            log.warning(
                "%d sentence(s) had more mention pairs than %d; the nearest were scored", capped, self.max_pairs
            )
        doc.user_data[RELATIONS_KEY] = found
        doc.user_data[RELATIONS_CAPPED_KEY] = capped
        return doc

    def score_sentence(self, text: str, mentions: Sequence[Mention]) -> tuple[list, bool]:
        """The relations kept among one sentence's mentions (sorted by start), and whether capped."""
        pairs, capped = sentence_pairs(mentions, self.max_pairs)
        if not pairs:
            return [], capped
        probabilities = self.probabilities([pair_features(text, mentions[i], mentions[j], g) for i, j, g in pairs])
        best = probabilities[:, 1:].argmax(axis=1) + 1
        kept = []
        for (i, j, _), c, p in zip(pairs, best, probabilities[numpy.arange(len(pairs)), best]):
            if p >= self.threshold:
                a, b = mentions[i], mentions[j]
                name = self.classes[c]
                subject, obj = (b, a) if name.endswith("<") else (a, b)
                kept.append((subject[0], subject[1], obj[0], obj[1], name.rstrip("<>"), round(float(p), 3)))
        return kept, capped

    def probabilities(self, pairs: Sequence[Sequence[str]]) -> numpy.ndarray:
        """Class probabilities, one row per pair of feature lists."""
        rows, cols = [], []
        for r, names in enumerate(pairs):
            for name in names:
                i = self.features.get(name)
                if i is not None:
                    rows.append(r)
                    cols.append(i)
        logits = numpy.zeros((len(pairs), len(self.classes)), dtype="float32")
        numpy.add.at(logits, numpy.asarray(rows, dtype="int64"), self.weights[numpy.asarray(cols, dtype="int64")])
        logits -= logits.max(axis=1, keepdims=True)
        numpy.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        meta = {"classes": self.classes, "features": list(self.features)}
        (path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
        numpy.save(path / "weights.npy", self.weights.astype("float16"), allow_pickle=False)

    def from_disk(self, path, exclude=()) -> RelationScorer:
        path = Path(path)
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        weights = numpy.load(path / "weights.npy", allow_pickle=False)
        self.initialize(features=meta["features"], classes=meta["classes"], weights=weights)
        return self


def mentions_by_sentence(doc: Doc, spans: list[Mention]) -> Iterator[list[Mention]]:
    """The mentions of each sentence, in order; a mention belongs to the sentence it starts in."""
    bounds = [(s.start_char, s.end_char) for s in doc.sents]
    k = 0
    for start, end in bounds:
        sentence = []
        while k < len(spans) and spans[k][0] < end:
            if spans[k][0] >= start and spans[k][1] <= end:
                sentence.append(spans[k])
            k += 1
        if len(sentence) > 1:
            yield sentence


@Language.factory("paperkg_relations", default_config={"max_pairs": 200, "threshold": 0.5})
def make_relation_scorer(nlp: Language, name: str, max_pairs: int, threshold: float) -> RelationScorer:
    return RelationScorer(nlp, name, max_pairs, threshold)
