"""`paperkg_relations`: a trained scorer of typed relations between the mentions of a sentence.

Every pair of mentions in a sentence with at most `MAX_BETWEEN` mentions between them (nearest
pairs first, at most `max_pairs` per sentence, so a sentence of many mentions costs linear time)
is described by sparse features that need no parser: the two types, the words between them (as a
bag, the first and last ones, and the whole stretch when it is short), their distance in words
and in mentions, each mention's last word (the head of an English noun phrase) and the words just
outside the pair. A multinomial logistic regression over those features, trained on SciERC
(`extract.relation_training`), gives each pair a probability for "no relation" and for each graph
relation in each direction; a pair whose best relation reaches `threshold` is kept.

A paper's reference to its own work ("our method", "the proposed framework") takes part as a
mention of type Method: the graph attaches what the scorer finds for it to the entity the paper
proposes (`extract.own_work`, `kg.relations`).

Results go to `doc.user_data[RELATIONS_KEY]` as `(subject start, subject end, object start,
object end, relation, score)` in character offsets; the number of sentences whose pairs were cut
at `max_pairs` to `doc.user_data[RELATIONS_CAPPED_KEY]`. Run time is numpy only: the weights are
one float32 matrix saved with the pipeline.
"""

from __future__ import annotations

import bisect
import itertools
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from paperkg.extract.doc_text import doc_text, mention_fields
from paperkg.extract.keys import MENTIONS_KEY, RELATIONS_CAPPED_KEY, RELATIONS_KEY
from paperkg.extract.own_work import Mention, with_own_work

log = logging.getLogger(__name__)

NONE = "none"
_WORD = re.compile(r"\w[\w-]*|[^\w\s]")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_SHORT = 4  # a stretch between two mentions of at most this many words is a feature as a whole
# 98% of SciERC's training relations have at most two mentions between their arguments (90% of
# the pairs): farther pairs cost time and hardly ever hold a relation
MAX_BETWEEN = 2
# Model is a Method with a name (rules tell them apart); SciERC, which the scorer learns from, has no Model
_FEATURE_TYPE = {"Model": "Method"}
_ZERO_ROW = ""  # the name of the row of zeros below the weights (no feature's name is empty)


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-10" if n < 11 else "11+"


@dataclass(slots=True)
class _Context:
    """What a mention contributes to the features of every pair it is in (not frozen: a frozen
    dataclass sets each field through `object.__setattr__`, three times as long to make)."""

    type: str
    first: int  # index of its first and last word in the text's words
    last: int
    head: str
    outside: tuple[str, ...]  # features of the words just before and after it


class _Words:
    """A text's words, lower-cased, with where each starts: found once per text."""

    def __init__(self, text: str):
        # split around the words (gap, word, gap, ..., gap), each word's start the length of all
        # before it: the same words as `finditer` finds, without a match object for each
        parts = _WORD_SPLIT.split(text.lower())
        self.words: list[str] = parts[1::2]
        self.starts: list[int] = list(itertools.accumulate(map(len, parts[:-1]), initial=0))[1::2]

    def context(self, m: Mention) -> _Context:
        first = bisect.bisect_left(self.starts, m[0])
        last = max(first, bisect.bisect_left(self.starts, m[1]) - 1)
        head = self.words[last] if last < len(self.words) else ""
        before, after = self.words[max(0, first - 2) : first], self.words[last + 1 : last + 3]
        outside = (
            "pa=" + (before[-1] if before else "<s>"),
            "pa2=" + " ".join(before),
            "nb=" + (after[0] if after else "</s>"),
            "nb2=" + " ".join(after),
        )
        return _Context(_FEATURE_TYPE.get(m[2], m[2]), first, last, head, outside)


def text_pairs(
    text: str, sentences: Sequence[Sequence[Mention]], max_pairs: int
) -> tuple[list[tuple[Mention, Mention]], list[list[str]], int]:
    """The pairs of mentions the scorer considers in each sentence (mentions sorted by start),
    their features, and how many sentences had more pairs than `max_pairs`."""
    words = _Words(text)
    pairs: list[tuple[Mention, Mention]] = []
    features: list[list[str]] = []
    capped = 0
    for sentence in sentences:
        chosen, was_capped = sentence_pairs(sentence, max_pairs)
        capped += was_capped
        context = [words.context(m) for m in sentence]
        for i, j, gap in chosen:
            pairs.append((sentence[i], sentence[j]))
            features.append(
                _pair_features(context[i], context[j], words.words[context[i].last + 1 : context[j].first], gap)
            )
    return pairs, features, capped


def _pair_features(a: _Context, b: _Context, between: list[str], between_mentions: int) -> list[str]:
    """The features of the pair (a, b), `a` first, with the words and the number of mentions between."""
    types = f"{a.type}|{b.type}"
    first = between[0] if between else "<none>"
    last = between[-1] if between else "<none>"
    distance = _bucket(len(between))
    features = [
        "bias",
        "t=" + types,
        "d=" + distance,
        f"t={types}|d={distance}",
        f"m={_bucket(between_mentions)}",
        "bf=" + first,
        "bl=" + last,
        f"t={types}|bf={first}",
        f"t={types}|bl={last}",
        "ha=" + a.head,
        "hb=" + b.head,
        f"ha={a.head}|tb={b.type}",
        f"hb={b.head}|ta={a.type}",
        a.outside[0],
        a.outside[1],
        b.outside[2],
        b.outside[3],
    ]
    if len(between) <= _SHORT:
        stretch = " ".join(between)
        features.append("bs=" + stretch)
        features.append(f"t={types}|bs={stretch}")
    if len(between) > 1:
        features.append(f"b2={between[0]} {between[1]}")
        features.append(f"bl2={between[-2]} {between[-1]}")
    features += map("bw=".__add__, set(between))  # `"bw=" + w` for each, in the set's order, in C
    return features


def sentence_pairs(mentions: Sequence[Mention], max_pairs: int) -> tuple[list[tuple[int, int, int]], bool]:
    """`(i, j, mentions between)` for the pairs of non-overlapping mentions (sorted by start) with at
    most `MAX_BETWEEN` mentions between, nearest first, at most `max_pairs`; and whether the cap left
    any out."""
    pairs: list[tuple[int, int, int]] = []
    n = len(mentions)
    for gap in range(min(n - 1, MAX_BETWEEN + 1)):
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
        self._rows = self.weights
        self._row_of: dict[str, int] = {}  # `features` and the zero row's name

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
        self.weights = numpy.asarray(
            weights if weights is not None else numpy.zeros((len(features), len(classes))), dtype="float32"
        )
        self._rows = numpy.vstack([self.weights, numpy.zeros((1, len(self.classes)), dtype="float32")])
        self._row_of = {**self.features, _ZERO_ROW: len(self.weights)}

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """The Docs, each with its relations and capped count set, the pairs of up to `batch_size`
        Docs scored together (`score_texts`): the dozen numpy calls that score a text's pairs (27
        an abstract) cost about as much for a batch's, and a Doc at a time they were a tenth of the
        scorer's time. `nlp.pipe` calls this; `__call__` is a batch of one."""
        for batch in minibatch(docs, size=batch_size):
            for doc, (found, capped) in zip(batch, self.score_texts([self._mentions(doc) for doc in batch])):
                if capped:
                    log.warning(
                        "%d sentence(s) had over %d mention pairs; the nearest were scored", capped, self.max_pairs
                    )
                doc.user_data[RELATIONS_KEY] = found
                doc.user_data[RELATIONS_CAPPED_KEY] = capped
                yield doc

    def _mentions(self, doc: Doc) -> tuple[str, list[list[Mention]]]:
        """The text the scorer reads and the mentions of each of its sentences (none without a
        model or mentions)."""
        if not self.classes or MENTIONS_KEY not in doc.spans:
            return "", []
        spans = sorted((start, end, label) for start, end, label, _, _ in mention_fields(doc))
        text = doc_text(doc)
        return text, list(mentions_by_sentence(doc, with_own_work(text, spans)))

    def score(self, text: str, sentences: Sequence[Sequence[Mention]]) -> tuple[list, int]:
        """The relations kept among each sentence's mentions (sorted by start), and how many
        sentences were capped."""
        return self.score_texts([(text, sentences)])[0]

    def score_texts(self, texts: Sequence[tuple[str, Sequence[Sequence[Mention]]]]) -> list[tuple[list, int]]:
        """`score` of each `(text, sentences)`, the probabilities of all their pairs found at once
        (each pair's as alone: its rows summed in the same order)."""
        scored = [text_pairs(text, sentences, self.max_pairs) for text, sentences in texts]
        features = [pair for _, pair_features, _ in scored for pair in pair_features]
        if not features:
            return [([], capped) for _, _, capped in scored]
        probabilities = self.probabilities(features)
        best = probabilities[:, 1:].argmax(axis=1) + 1
        chosen = zip(best.tolist(), probabilities[numpy.arange(len(features)), best].tolist())
        results = []
        for pairs, _, capped in scored:
            kept = []
            for (a, b), (c, p) in zip(pairs, itertools.islice(chosen, len(pairs))):
                if p >= self.threshold:
                    name = self.classes[c]
                    subject, obj = (b, a) if name.endswith("<") else (a, b)
                    kept.append((subject[0], subject[1], obj[0], obj[1], name.rstrip("<>"), round(p, 3)))
            results.append((kept, capped))
        return results

    def pair_probabilities(
        self, text: str, sentences: Sequence[Sequence[Mention]]
    ) -> tuple[list[tuple[Mention, Mention]], numpy.ndarray, int]:
        """The pairs `score` considers, their class probabilities (one row per pair, columns as
        `classes`) and how many sentences were capped, before any threshold."""
        pairs, features, capped = text_pairs(text, sentences, self.max_pairs)
        return pairs, self.probabilities(features) if pairs else numpy.zeros((0, len(self.classes))), capped

    def probabilities(self, pairs: Sequence[Sequence[str]]) -> numpy.ndarray:
        """Class probabilities, one row per pair of feature lists."""
        # every pair's names one after another, each pair's led by the zero row's (so none sums
        # nothing), looked up all at once in C (`map` with a default: -1 for a name the model
        # lacks), those left out by numpy: the same rows in the same order as looked up pair by pair
        names: list[str] = []
        offsets: list[int] = []
        for features in pairs:
            offsets.append(len(names))
            names.append(_ZERO_ROW)
            names += features
        found = numpy.fromiter(map(self._row_of.get, names, itertools.repeat(-1)), numpy.intp, len(names))
        known = found >= 0
        starts: numpy.ndarray = (numpy.cumsum(known) - known)[offsets]
        logits = numpy.add.reduceat(self._rows[found[known]], starts, axis=0)
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
    """The mentions of each sentence of `doc` with two or more, in order."""
    return sentence_mentions([(s.start_char, s.end_char) for s in doc.sents], spans)


def sentence_mentions(bounds: Sequence[tuple[int, int]], spans: list[Mention]) -> Iterator[list[Mention]]:
    """The mentions (sorted by start) inside each sentence's `(start, end)` that holds two or more,
    in order; a mention belongs to the sentence it starts in."""
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
