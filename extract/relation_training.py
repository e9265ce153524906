"""Training the relation scorer (`extract.relation_scorer`) on SciERC, and adding it to a pipeline.

    python -m paperkg.extract.relation_training TRAIN.jsonl DEV.jsonl [--model DIR]

Each SciERC sentence becomes the scorer's input as it sees text at run time: the abstract as
running text, the gold mentions in characters with their graph types (Generic mentions left out,
as the pipeline leaves them out), and the gold relations in graph terms through the ontology's
mapping (`schema.relations`). The model is a multinomial logistic regression trained by full-batch
Adam with an L2 penalty; features seen fewer than `min_count` times in training are dropped. The
epoch count and the keeping threshold are chosen on dev, on the mentions the pipeline finds there:
the best F1 at a precision of at least `min_precision`. With `--silver FILE` (`kg.relation_silver`)
the scorer also learns from arXiv sentences the precise patterns label (measured, not shipped: more
relations on arXiv, fewer right on SciERC; docs/extraction.md). The scorer is then saved into the
pipeline at `--model` (default: the shipped one) as `paperkg_relations`, after `paperkg_refine`,
and nothing else of the pipeline is rewritten.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy

from paperkg.extract.keys import MENTIONS_KEY
from paperkg.extract.own_work import OWN_WORK, with_own_work
from paperkg.extract.relation_scorer import (
    NONE,
    Mention,
    RelationScorer,
    mentions_by_sentence,
    pair_classes,
    text_pairs,
)
from paperkg.extract.scierc import SCIERC_TO_GRAPH, read_scierc, running_text, spans_match
from paperkg.schema.namespaces import RELATIONS, SYMMETRIC_RELATIONS
from paperkg.schema.relations import graph_relation

MAX_PAIRS = 200


@dataclass
class PairSet:
    features: list[list[str]]
    labels: list[str]


def scierc_pairs(path: str | Path, nlp=None) -> PairSet:
    """Every pair of mentions in a sentence, with its features and its gold class: the gold
    mentions, or with `nlp` (a pipeline without the scorer) the mentions it finds in the running
    text, a pair taking the class of a gold relation whose arguments both match it leniently."""
    out = PairSet([], [])
    for text, sentences, gold in _documents(path):
        if nlp is not None:
            doc = nlp(text)
            found = [(s.start_char, s.end_char, s.label_) for s in doc.spans[MENTIONS_KEY]]
            sentences = list(mentions_by_sentence(doc, with_own_work(text, found)))
        pairs, features, _ = text_pairs(text, sentences, MAX_PAIRS)
        out.features.extend(features)
        out.labels.extend(_class(gold, a, b) for a, b in pairs)
    return out


def silver_pairs(path: str | Path) -> PairSet:
    """Every pair of mentions in the sentences of a silver file (`kg.relation_silver`), with the
    class of the relation the precise patterns state between them, or none."""
    out = PairSet([], [])
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            sentences = [[(s, e, t) for s, e, t in mentions] for mentions in record["sentences"]]
            gold = {((s1, e1), (s2, e2)): relation for s1, e1, s2, e2, relation in record["relations"]}
            pairs, features, _ = text_pairs(record["text"], sentences, MAX_PAIRS)
            out.features.extend(features)
            out.labels.extend(_class(gold, a, b) for a, b in pairs)
    return out


def _documents(path: str | Path) -> Iterator[tuple[str, list[list[Mention]], dict]]:
    """Per document: its running text, its sentences' gold mentions, its gold relations."""
    for doc in read_scierc(path):
        text, starts = running_text(doc.words)

        def chars(s: int, e: int) -> tuple[int, int]:
            return starts[s], starts[e - 1] + len(doc.words[e - 1])  # noqa: B023  (used right away)

        # a Generic mention of the paper's own work ("approach" in "our approach") takes part as the
        # phrase the pipeline finds there, a Method, as at run time; other Generic mentions do not
        own = [(m.start(), m.end()) for m in OWN_WORK.finditer(text)]
        mentions: dict[tuple[int, int], tuple[tuple[int, int], str | None]] = {}
        for s, e, label in doc.spans:
            span = chars(s, e)
            phrase = next((o for o in own if spans_match(o, span)), None) if label == "Generic" else None
            mentions[(s, e)] = (phrase, "Method") if phrase else (span, SCIERC_TO_GRAPH.get(label))
        gold: dict[tuple, str] = {}
        for s1, e1, s2, e2, label in doc.relations:
            (first, t1), (second, t2) = mentions.get((s1, e1), (None, None)), mentions.get((s2, e2), (None, None))
            if t1 and t2:
                relation, swapped = graph_relation(label, t1)
                subject, obj = (second, first) if swapped else (first, second)
                gold[(subject, obj)] = relation
        bounds = [*doc.sentence_starts, len(doc.words)]
        sentences = [
            sorted({(*span, t) for (s, e), (span, t) in mentions.items() if t and start <= s and e <= end})
            for start, end in zip(bounds, bounds[1:])
        ]
        yield text, [m for m in sentences if len(m) > 1], gold


def _class(gold: dict, a: Mention, b: Mention) -> str:
    """The class of the pair (a, b): of the gold relation between exactly these spans, else of
    one whose arguments they match leniently."""
    exact = [(a[:2], b[:2], ">"), (b[:2], a[:2], "<")]
    lenient = [
        (subject, obj, ">" if spans_match(a[:2], subject) else "<")
        for subject, obj in gold
        if (spans_match(a[:2], subject) and spans_match(b[:2], obj))
        or (spans_match(b[:2], subject) and spans_match(a[:2], obj))
    ]
    for subject, obj, direction in [*exact, *lenient]:
        relation = gold.get((subject, obj))
        if relation:
            return relation if relation in SYMMETRIC_RELATIONS else relation + direction
    return NONE


@dataclass
class Encoded:
    rows: numpy.ndarray
    cols: numpy.ndarray
    labels: numpy.ndarray
    n: int


def encode(pairs: PairSet, features: dict[str, int], classes: list[str]) -> Encoded:
    rows, cols = [], []
    for r, names in enumerate(pairs.features):
        for name in names:
            i = features.get(name)
            if i is not None:
                rows.append(r)
                cols.append(i)
    index = {c: i for i, c in enumerate(classes)}
    labels = numpy.asarray([index[label] for label in pairs.labels], dtype="int64")
    return Encoded(numpy.asarray(rows, dtype="int64"), numpy.asarray(cols, dtype="int64"), labels, len(pairs.labels))


def _probabilities(data: Encoded, weights: numpy.ndarray) -> numpy.ndarray:
    # rows come sorted and every pair has the bias feature, so each row's features are one run
    logits = numpy.add.reduceat(weights[data.cols], numpy.searchsorted(data.rows, numpy.arange(data.n)), axis=0)
    logits -= logits.max(axis=1, keepdims=True)
    numpy.exp(logits, out=logits)
    return logits / logits.sum(axis=1, keepdims=True)


def _feature_gradient(data: Encoded, grad_logits: numpy.ndarray, n_features: int) -> numpy.ndarray:
    """The gradient of the weights given that of the logits: each row's summed into its features."""
    per_entry = grad_logits[data.rows]
    return numpy.stack(
        [numpy.bincount(data.cols, weights=per_entry[:, c], minlength=n_features) for c in range(per_entry.shape[1])],
        axis=1,
    )


def prf(probabilities: numpy.ndarray, labels: numpy.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall, F1 of the relations kept at `threshold` (class 0 is no relation)."""
    best = probabilities[:, 1:].argmax(axis=1) + 1
    kept = probabilities[numpy.arange(len(best)), best] >= threshold
    right = int(numpy.sum(kept & (best == labels)))
    found, gold = int(kept.sum()), int(numpy.sum(labels > 0))
    p, r = (right / found if found else 0.0), (right / gold if gold else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def train(
    train_path: str | Path,
    dev_path: str | Path,
    nlp,
    *,
    silver: str | Path | None = None,
    silver_weight: float = 0.3,
    silver_none_weight: float = 0.0,
    epochs: int = 300,
    rate: float = 0.05,
    l2: float = 1e-4,
    min_count: int = 2,
    min_precision: float = 0.55,
    log=print,
) -> dict:
    """The trained scorer's features, classes, weights and threshold, with its dev scores.

    Trained on the gold mentions' pairs and the pairs of the mentions `nlp` finds, and on the
    pairs of a `silver` file (`kg.relation_silver`): a related pair weighing `silver_weight` of a
    SciERC pair, an unrelated one `silver_none_weight` (the patterns miss most relations, so their
    silence says little); chosen on the dev pairs of the mentions `nlp` finds, the pairs the scorer meets at run
    time."""
    parts = [(scierc_pairs(train_path), 1.0), (scierc_pairs(train_path, nlp), 1.0)]
    if silver is not None:
        pairs = silver_pairs(silver)
        for weight, related in ((silver_weight, True), (silver_none_weight, False)):
            if weight > 0:
                kept = [i for i, label in enumerate(pairs.labels) if (label != NONE) == related]
                parts.append((PairSet([pairs.features[i] for i in kept], [pairs.labels[i] for i in kept]), weight))
    train_pairs = PairSet([f for p, _ in parts for f in p.features], [label for p, _ in parts for label in p.labels])
    pair_weights = numpy.concatenate([numpy.full(len(p.labels), w) for p, w in parts])
    pair_weights /= pair_weights.sum()
    dev_pairs = scierc_pairs(dev_path, nlp)
    counts = Counter(f for names in train_pairs.features for f in set(names))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    features = {f: i for i, f in enumerate(names)}
    classes = pair_classes(RELATIONS, SYMMETRIC_RELATIONS)
    tr, dv = encode(train_pairs, features, classes), encode(dev_pairs, features, classes)
    log(f"{tr.n} training pairs ({int(numpy.sum(tr.labels > 0))} related), {dv.n} dev pairs, {len(names)} features")
    weights = numpy.zeros((len(names), len(classes)))
    m, v = numpy.zeros_like(weights), numpy.zeros_like(weights)
    onehot = numpy.eye(len(classes))[tr.labels]
    best: dict = {"f1": -1.0}
    thresholds = numpy.arange(0.3, 0.91, 0.05)
    for epoch in range(1, epochs + 1):
        grad_logits = (_probabilities(tr, weights) - onehot) * pair_weights[:, None]
        grad = l2 * weights + _feature_gradient(tr, grad_logits, len(names))
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        weights -= rate * (m / (1 - 0.9**epoch)) / (numpy.sqrt(v / (1 - 0.999**epoch)) + 1e-8)
        if epoch % 10 == 0:
            dev_probabilities = _probabilities(dv, weights)
            for t in thresholds:
                p, r, f = prf(dev_probabilities, dv.labels, float(t))
                if p >= min_precision and f > best["f1"]:
                    best = {"f1": f, "precision": p, "recall": r, "epoch": epoch, "threshold": round(float(t), 2)}
                    best["weights"] = weights.copy()
            log(f"epoch {epoch}: best so far { ({k: v for k, v in best.items() if k != 'weights'}) }")
    return {"features": names, "classes": classes, **best}


def add_to_pipeline(model_dir: str | Path, trained: dict) -> Path:
    """Save the trained scorer into the pipeline at `model_dir`, in place, after `paperkg_refine`;
    the other components' directories are copied, not saved again (a re-save rewrites their bytes)."""
    import spacy

    from paperkg.extract.assembly import save_in_place

    model = Path(model_dir)
    nlp = spacy.load(model)
    if "paperkg_relations" in nlp.pipe_names:
        nlp.remove_pipe("paperkg_relations")
    scorer = nlp.add_pipe("paperkg_relations", config={"threshold": trained["threshold"], "max_pairs": MAX_PAIRS})
    assert isinstance(scorer, RelationScorer)
    scorer.initialize(features=trained["features"], classes=trained["classes"], weights=trained["weights"])
    nlp.meta["relations"] = {k: trained[k] for k in ("precision", "recall", "f1", "epoch", "threshold")}
    return save_in_place(nlp, model, "paperkg_relations")


def main(argv: list[str] | None = None) -> None:
    from paperkg.extract.pipeline import MODEL_DIR

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("dev", type=Path)
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="the pipeline to add the scorer to")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--silver", type=Path, default=None, help="silver relations (kg.relation_silver) too")
    parser.add_argument("--silver-weight", type=float, default=0.3, help="a related silver pair's weight (SciERC's: 1)")
    parser.add_argument("--silver-none-weight", type=float, default=0.0, help="an unrelated silver pair's weight")
    args = parser.parse_args(argv)
    from paperkg.extract.pipeline import load_nlp

    nlp = load_nlp(args.model)
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n == "paperkg_relations"]):
        trained = train(
            args.train,
            args.dev,
            nlp,
            silver=args.silver,
            silver_weight=args.silver_weight,
            silver_none_weight=args.silver_none_weight,
            epochs=args.epochs,
        )
    print(add_to_pipeline(args.model, trained))


if __name__ == "__main__":
    main()
