"""Typed exact-span precision, recall and F1 of the extractor on SciERC-format gold documents.

The pipeline runs on each document's own tokens (so spans align). Gold labels may be SciERC's
(Task, Method, Metric, Material, OtherScientificTerm, Generic) or paperkg's graph types (Method,
Model, Dataset, Task, Metric, Concept), and a gold file may annotate only some of them (TDMSci:
Task, Dataset, Metric): only the labels the gold file uses are scored, and a prediction of any
other label is neither right nor wrong. With SciERC labels, graph types map back onto them
(Method+Model -> Method, Dataset -> Material, Concept -> OtherScientificTerm); with paperkg's,
the recogniser's SciERC labels map forward (Material -> Dataset, OtherScientificTerm ->
Concept), and Model counts as Method when the gold file has no Model. Generic is never scored.
Besides the whole extractor, the recogniser alone and the recogniser with each family of rules
are scored, so every addition's gain is visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.extract.scierc import SCIERC_TO_GRAPH, SCORED_LABELS, GoldDocument, gold_to_doc, read_scierc
from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import ENTITY_TYPES

__all__ = ["GRAPH_TO_SCIERC", "SETTINGS", "LabelScheme", "Scores", "evaluate", "label_scheme", "score"]

GRAPH_TO_SCIERC = {
    "Method": "Method",
    "Model": "Method",
    "Dataset": "Material",
    "Task": "Task",
    "Metric": "Metric",
    "Concept": "OtherScientificTerm",
}


@dataclass(frozen=True)
class LabelScheme:
    """The labels a gold file is scored on, and how predicted labels map onto them."""

    name: str  # "scierc" or "paperkg"
    labels: tuple[str, ...]  # scored, in a fixed order

    def from_recogniser(self, label: str) -> str | None:
        """A recogniser (SciERC) label in this scheme, or None when it is not scored."""
        if self.name == "scierc":
            return label if label in self.labels else None
        return self.from_graph(SCIERC_TO_GRAPH.get(label, ""))

    def from_graph(self, type_: str) -> str | None:
        """A graph type in this scheme, or None when it is not scored."""
        if self.name == "scierc":
            label = GRAPH_TO_SCIERC.get(type_)
        else:
            label = "Method" if type_ == "Model" and "Model" not in self.labels else type_
        return label if label in self.labels else None


def label_scheme(labels) -> LabelScheme:
    """The scheme of a gold file that uses `labels`: SciERC's when they are all SciERC labels,
    else paperkg's graph types; only the used labels (Generic aside) are scored."""
    used = set(labels) - {"Generic"}
    if not used:  # a file without entities: every prediction of SciERC's labels is wrong
        return LabelScheme("scierc", SCORED_LABELS)
    if used <= set(SCORED_LABELS):
        return LabelScheme("scierc", tuple(lab for lab in SCORED_LABELS if lab in used))
    if used <= set(ENTITY_TYPES):
        return LabelScheme("paperkg", tuple(lab for lab in ENTITY_TYPES if lab in used))
    unknown = sorted(used - set(SCORED_LABELS) - set(ENTITY_TYPES))
    if unknown:
        raise InputError(
            f"gold labels {', '.join(unknown)} are neither SciERC's ({', '.join(SCORED_LABELS)}, "
            f"Generic) nor paperkg's ({', '.join(ENTITY_TYPES)})"
        )
    raise InputError(f"gold labels mix SciERC's and paperkg's names: {', '.join(sorted(used))}")


SCIERC_SCHEME = LabelScheme("scierc", SCORED_LABELS)

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
    labels: tuple[str, ...] = SCORED_LABELS

    def add(self, gold: set[Span3], pred: set[Span3]) -> None:
        self.documents += 1
        for label in self.labels:
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
            lab: self._prf(self.tp.get(lab, 0), self.n_pred.get(lab, 0), self.n_gold.get(lab, 0)) for lab in self.labels
        }
        micro = self._prf(sum(self.tp.values()), sum(self.n_pred.values()), sum(self.n_gold.values()))
        return {"micro": micro, "per_label": per_label, "documents": self.documents}


def score(pairs: Iterable[tuple[set[Span3], set[Span3]]], labels: tuple[str, ...] = SCORED_LABELS) -> Scores:
    """Scores over (gold spans, predicted spans) pairs of spans (start, end, label); only `labels` count."""
    scores = Scores(labels=labels)
    for gold, pred in pairs:
        scores.add(gold, pred)
    return scores


def _gold_set(gold: GoldDocument, scheme: LabelScheme) -> set[Span3]:
    return {s for s in gold.spans if s[2] in scheme.labels}


def _predicted(doc, setting: tuple[bool, bool, str] | None, refiner, scheme: LabelScheme = SCIERC_SCHEME) -> set[Span3]:
    if setting is None:
        spans = ((e.start, e.end, scheme.from_recogniser(e.label_)) for e in doc.ents)
    else:
        refiner.use_rules, refiner.use_abbreviations, group = setting
        refiner(doc)
        spans = ((s.start, s.end, scheme.from_graph(s.label_)) for s in doc.spans[group])
    return {(start, end, label) for start, end, label in spans if label is not None}


def evaluate(
    gold_path: str | Path,
    model: str | Path | None = None,
    settings: Iterable[str] = tuple(SETTINGS),
    members: int | None = None,
) -> dict[str, dict]:
    """{setting name: Scores.to_json()} for the pipeline at `model` (default: the shipped one),
    running its first `members` recogniser members (default: all). Each result also says which
    labels were scored (`labels`, the ones the gold file uses) and in which names (`scheme`)."""
    from paperkg.extract.ops import one_blas_thread
    from paperkg.extract.pipeline import load_nlp

    nlp = load_nlp(model, members)
    refiner = nlp.get_pipe("paperkg_refine")
    saved = (refiner.use_rules, refiner.use_abbreviations)
    golds = list(read_scierc(gold_path))
    scheme = label_scheme({s[2] for g in golds for s in g.spans})
    docs = nlp.pipe(gold_to_doc(nlp, g, with_entities=False) for g in golds)
    results = {name: Scores(labels=scheme.labels) for name in settings}
    try:
        with one_blas_thread():
            for gold, doc in zip(golds, docs):
                expected = _gold_set(gold, scheme)
                for name in settings:
                    results[name].add(expected, _predicted(doc, SETTINGS[name], refiner, scheme))
    finally:
        refiner.use_rules, refiner.use_abbreviations = saved
    return {name: {**s.to_json(), "labels": list(scheme.labels), "scheme": scheme.name} for name, s in results.items()}
