"""Typed exact-span precision, recall and F1 of the extractor on SciERC-format gold documents.

The pipeline runs on each document's own tokens (so spans align); graph types map back onto
SciERC labels (Method+Model -> Method, Dataset -> Material, Concept -> OtherScientificTerm);
Generic is not scored. Besides the whole extractor, the recogniser alone and the recogniser with
each family of rules are scored, so every addition's gain is visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.extract.scierc import SCORED_LABELS, GoldDocument, gold_to_doc, read_scierc

__all__ = ["GRAPH_TO_SCIERC", "SETTINGS", "Scores", "evaluate", "score"]

GRAPH_TO_SCIERC = {
    "Method": "Method",
    "Model": "Method",
    "Dataset": "Material",
    "Task": "Task",
    "Metric": "Metric",
    "Concept": "OtherScientificTerm",
}

# name -> (use rules, use abbreviations, span group); None means the recogniser's own labels.
# "extractor" scores the typed spans; "graph mentions" the mentions `kg extract` and `kg build`
# emit, where a span holding an acronym definition is split into long and short form.
SETTINGS: dict[str, tuple[bool, bool, str] | None] = {
    "recogniser": None,
    "recogniser+abbreviations": (False, True, "paperkg"),
    "recogniser+rules": (True, False, "paperkg"),
    "graph mentions": (True, True, "paperkg_mentions"),
    "extractor": (True, True, "paperkg"),
}

Span3 = tuple[int, int, str]


@dataclass
class Scores:
    tp: dict[str, int] = field(default_factory=dict)
    n_pred: dict[str, int] = field(default_factory=dict)
    n_gold: dict[str, int] = field(default_factory=dict)
    documents: int = 0

    def add(self, gold: set[Span3], pred: set[Span3]) -> None:
        self.documents += 1
        for label in SCORED_LABELS:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            self.tp[label] = self.tp.get(label, 0) + len(g & p)
            self.n_pred[label] = self.n_pred.get(label, 0) + len(p)
            self.n_gold[label] = self.n_gold.get(label, 0) + len(g)

    @staticmethod
    def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": tp,
            "predicted": n_pred,
            "gold": n_gold,
        }

    def to_json(self) -> dict:
        per_label = {
            lab: self._prf(self.tp.get(lab, 0), self.n_pred.get(lab, 0), self.n_gold.get(lab, 0))
            for lab in SCORED_LABELS
        }
        micro = self._prf(sum(self.tp.values()), sum(self.n_pred.values()), sum(self.n_gold.values()))
        return {"micro": micro, "per_label": per_label, "documents": self.documents}


def score(pairs: Iterable[tuple[set[Span3], set[Span3]]]) -> Scores:
    """Scores over (gold spans, predicted spans) pairs; spans are (start, end, SciERC label)."""
    scores = Scores()
    for gold, pred in pairs:
        scores.add(gold, pred)
    return scores


def _gold_set(gold: GoldDocument) -> set[Span3]:
    return {s for s in gold.spans if s[2] in SCORED_LABELS}


def _predicted(doc, setting: tuple[bool, bool, str] | None, refiner) -> set[Span3]:
    if setting is None:
        return {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in SCORED_LABELS}
    refiner.use_rules, refiner.use_abbreviations, group = setting
    refiner(doc)
    return {(s.start, s.end, GRAPH_TO_SCIERC[s.label_]) for s in doc.spans[group]}


def evaluate(
    gold_path: str | Path,
    model: str | Path | None = None,
    settings: Iterable[str] = tuple(SETTINGS),
    members: int | None = None,
) -> dict[str, dict]:
    """{setting name: Scores.to_json()} for the pipeline at `model` (default: the shipped one),
    running its first `members` recogniser members (default: all)."""
    from paperkg.extract.pipeline import load_nlp

    nlp = load_nlp(model, members)
    refiner = nlp.get_pipe("paperkg_refine")
    saved = (refiner.use_rules, refiner.use_abbreviations)
    golds = list(read_scierc(gold_path))
    docs = nlp.pipe(gold_to_doc(nlp, g, with_entities=False) for g in golds)
    results = {name: Scores() for name in settings}
    try:
        for gold, doc in zip(golds, docs):
            expected = _gold_set(gold)
            for name in settings:
                results[name].add(expected, _predicted(doc, SETTINGS[name], refiner))
    finally:
        refiner.use_rules, refiner.use_abbreviations = saved
    return {name: s.to_json() for name, s in results.items()}
