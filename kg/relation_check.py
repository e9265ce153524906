"""How well the relation patterns (`kg.relations`) agree with SciERC's relation annotations.

Each SciERC sentence is rebuilt as text with its gold entity spans (types mapped to the graph's:
Material -> Dataset, OtherScientificTerm and Generic -> Concept), the patterns run on it, and
their relations are compared with the gold ones, mapped to graph relations as the ontology says
(`schema.relations`); a symmetric relation matches in either direction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.extract.scierc import SCIERC_TO_GRAPH
from paperkg.kg.relations import Span, sentence_relations
from paperkg.schema.namespaces import RELATIONS, SYMMETRIC_RELATIONS
from paperkg.schema.relations import graph_relation

# gold spans all take part in relations, so Generic ones ("this method") stand as Concepts
_TYPES = {**SCIERC_TO_GRAPH, "Generic": "Concept"}
_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]"}


@dataclass
class RelationScores:
    predicted: Counter = field(default_factory=Counter)
    gold: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)

    def precision(self, relation: str | None = None) -> float:
        p = self._count(self.predicted, relation)
        return self._count(self.correct, relation) / p if p else 0.0

    def recall(self, relation: str | None = None) -> float:
        g = self._count(self.gold, relation)
        return self._count(self.correct, relation) / g if g else 0.0

    @staticmethod
    def _count(counter: Counter, relation: str | None) -> int:
        return counter[relation] if relation else sum(counter.values())

    def table(self) -> str:
        lines = [f"{'relation':<17}{'gold':>6}{'found':>7}{'right':>7}{'P':>7}{'R':>7}"]
        for rel in (*RELATIONS, None):
            lines.append(
                f"{rel or 'all':<17}{self._count(self.gold, rel):>6}{self._count(self.predicted, rel):>7}"
                f"{self._count(self.correct, rel):>7}{self.precision(rel):>7.2f}{self.recall(rel):>7.2f}"
            )
        return "\n".join(lines)


def score_file(path: str | Path) -> RelationScores:
    scores = RelationScores()
    for text, spans, gold in scierc_sentences(path):
        found = sentence_relations(text, spans)
        scores.gold.update(rel for _, rel, _ in gold)
        for a, rel, b in found:
            scores.predicted[rel] += 1
            if (a, rel, b) in gold or (rel in SYMMETRIC_RELATIONS and (b, rel, a) in gold):
                scores.correct[rel] += 1
    return scores


def scierc_sentences(path: str | Path) -> Iterator[tuple[str, list[Span], set]]:
    """Per sentence: its text, gold spans (entity = token span), gold relations in graph terms."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            doc = json.loads(line)
            offset = 0
            for words, ner, relations in zip(doc["sentences"], doc["ner"], doc["relations"]):
                starts, text = [], ""
                for w in words:
                    starts.append(len(text))
                    text += _BRACKETS.get(w, w) + " "
                text = text[:-1]
                spans, types = [], {}
                for s, e, label in ner:
                    i, j = s - offset, e - offset
                    spans.append(
                        Span(starts[i], starts[j] + len(_BRACKETS.get(words[j], words[j])), _TYPES[label], (s, e))
                    )
                    types[(s, e)] = _TYPES[label]
                yield text, spans, set(_gold(relations, types))
                offset += len(words)


def _gold(relations, types) -> Iterator[tuple]:
    for s1, e1, s2, e2, label in relations:
        a, b = (s1, e1), (s2, e2)
        relation, swapped = graph_relation(label, types[a])
        yield (b, relation, a) if swapped else (a, relation, b)
