"""SciERC-format documents (one JSON object per line: `sentences`, `ner`, `relations`, `doc_key`)
as spaCy Docs, or as running text.

Docs are built on the dataset's own tokens, joined by single spaces, so training and evaluation
see exactly the tokens the annotations were made on; `running_text` joins them as an abstract
is written, for measuring the extractor on text it has to tokenise itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from paperkg.schema.errors import InputError

SCIERC_LABELS = ("Task", "Method", "Metric", "Material", "OtherScientificTerm", "Generic")
SCORED_LABELS = ("Task", "Method", "Metric", "Material", "OtherScientificTerm")
# The graph type of each scored SciERC label (Generic names nothing and has none).
SCIERC_TO_GRAPH = {
    "Method": "Method",
    "Task": "Task",
    "Metric": "Metric",
    "Material": "Dataset",
    "OtherScientificTerm": "Concept",
}

# SciERC writes brackets and quotes the Penn Treebank way; raw text has the characters.
_PTB_ESCAPES = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}


@dataclass(frozen=True)
class GoldDocument:
    key: str
    words: tuple[str, ...]
    sentence_starts: tuple[int, ...]  # token index of each sentence's first token
    spans: frozenset[tuple[int, int, str]]  # (start token, end token exclusive, label)
    # (first argument's start, end, second argument's start, end (tokens, end exclusive), label)
    relations: frozenset[tuple[int, int, int, int, str]] = frozenset()


def read_scierc(path: str | Path) -> Iterator[GoldDocument]:
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                sentences = obj["sentences"]
                ner = obj.get("ner") or [[] for _ in sentences]
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{lineno}: not a SciERC record ({exc})") from None
            words: list[str] = []
            starts: list[int] = []
            for sent in sentences:
                starts.append(len(words))
                words.extend(_PTB_ESCAPES.get(w, w) for w in sent)
            spans = frozenset((s, e + 1, label) for sent in ner for s, e, label in sent)
            relations = frozenset(
                (s1, e1 + 1, s2, e2 + 1, label) for sent in obj.get("relations") or () for s1, e1, s2, e2, label in sent
            )
            yield GoldDocument(str(obj.get("doc_key", lineno)), tuple(words), tuple(starts), spans, relations)


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|n't)$")
_NO_SPACE_AFTER = frozenset("([{")


def running_text(words: Sequence[str]) -> tuple[str, list[int]]:
    """The tokens joined as running text ("a method ( AM )" -> "a method (AM)"), and the character
    offset of each token in it."""
    text, starts = "", []
    for i, word in enumerate(words):
        if i and not _NO_SPACE_BEFORE.match(word) and words[i - 1] not in _NO_SPACE_AFTER:
            text += " "
        starts.append(len(text))
        text += word
    return text, starts


def gold_to_doc(nlp, gold: GoldDocument, with_entities: bool = True):
    """A Doc on the gold tokens with sentence starts set; entities are the longest non-overlapping spans."""
    from spacy.tokens import Doc

    n = len(gold.words)
    starts = set(gold.sentence_starts)
    doc = Doc(
        nlp.vocab,
        words=list(gold.words),
        spaces=[True] * (n - 1) + [False],
        sent_starts=[i in starts for i in range(n)],
    )
    if with_entities:
        doc.ents = _non_overlapping(doc, gold.spans)
    return doc


def _non_overlapping(doc, spans):
    from spacy.tokens import Span
    from spacy.util import filter_spans

    return filter_spans([Span(doc, s, e, label=label) for s, e, label in sorted(spans)])


def spans_match(predicted: tuple[int, int], gold: tuple[int, int]) -> bool:
    """Lenient argument match: overlapping spans of which one contains the other or which end
    together (the head of an English noun phrase is its last word)."""
    (ps, pe), (gs, ge) = predicted, gold
    if ps >= ge or gs >= pe:
        return False
    return (ps <= gs and ge <= pe) or (gs <= ps and pe <= ge) or pe == ge
