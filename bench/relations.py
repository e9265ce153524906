"""Typed relations end to end: SciERC dev abstracts in as raw text, the graph's relations out.

    python bench/relations.py [--scierc DIR] [--model DIR] [--arxiv N] [--json OUT]

Each SciERC dev abstract is written as running text (`extract.scierc.running_text`) and built
into a fresh graph by the shipped extractor, as `kg build` would; every `rdf:Statement` is read
back through SPARQL with, for each sentence it was derived from, the offsets of its subject's and
object's mentions there; an argument with no mention in the sentence is the paper's own work,
which the sentence writes as "our method" or the like (`extract.own_work`), and those phrases'
offsets stand for it. A statement in a sentence is one predicted relation, put in SciERC's
terms by the ontology's mapping (`schema.relations`: label and argument order) and matched to a
gold relation of the same label whose arguments it matches leniently: a predicted mention matches
a gold argument when the spans overlap and one contains the other or both end on the same
character (the head of an English noun phrase is its last word). A symmetric relation matches in
either order. Each gold relation is matched at most once, each prediction at most once (a maximum
one-to-one matching).

The ceiling is the share of gold relations whose two arguments both match some mention the
graph holds in that abstract: no relation layer can find the others, since the entities are not
there. Rows, from one run: the pipeline as shipped, and the same pipeline without the trained
relation scorer (`paperkg_relations`), i.e. the patterns alone. With --arxiv N, the first N
papers of the 2,000-abstract arXiv sample (or of --arxiv-sample FILE) are built both ways too:
typed relations per 1,000 abstracts and the build's CPU time. With --diagnose, each gold relation
the shipped graph does not state is counted where it is first lost (`LOSSES`: an argument the
extractor does not find or linking leaves out, a pair the scorer does not score, scores too low or
labels otherwise), each gold argument the graph lacks by why (`ARGUMENT_LOSSES`), and what each
relation's own threshold would keep (`label_thresholds`); with
--arxiv too, the relations the scorer keeps in those papers by what linking leaves of their
arguments (`FATES`). With --audit, the precision of the 100 relation rows of an arXiv build judged by hand
(tests/fixtures/relations/), overall, for reliable relations, by what found them and by relation
(`--sample-audit STORE` draws them, `--reliable` among reliable statements only), of the rows
drawn per pattern (`--sample-patterns STORE` and `--sample-patterns-2 STORE...` draw them), of
the rows the scorer alone found below its threshold
(`--sample-band STORE` draws them from a build at a lower one, `--threshold` sets it for this
bench's builds), and the
share of right answers among the top 10 of the five named questions judged by hand
(`questions.jsonl` there); `--sample-added STORE... --base STORE...` draws the rows a change adds
to builds of the same papers, to judge them. With --weigh STORE, the precision a build's relations would have by
those judged rows, each weighed by what found it. With --questions STORE, those questions are
asked of a built graph and their top answers printed as unjudged rows of that fixture. With
--pairs N, where the pairs of linked mentions of one sentence in the first N papers of
--arxiv-sample go: related or not, by the mentions between them, and for the unrelated ones the
wording between (`CONSTRUCTIONS`) and their types.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.extract.own_work import OWN_WORK
from paperkg.extract.records import Paper
from paperkg.extract.scierc import read_scierc, running_text, spans_match
from paperkg.schema.namespaces import SYMMETRIC_RELATIONS
from paperkg.schema.relations import SCIERC_RELATION_LABELS, scierc_relation

ROOT = Path(__file__).resolve().parent.parent
SCIERC = Path(os.environ.get("PAPERKG_SCIERC") or ROOT.parent / "shared" / "data" / "scierc")
ARXIV_SAMPLE = Path("/work/baseline/arxiv-2000.jsonl")
AUDIT = ROOT / "tests" / "fixtures" / "relations" / "audit.jsonl"
AUDIT_BEFORE = AUDIT.with_name("audit-814c09c.jsonl")  # the rows of a build with main 814c09c's pipeline
# main a24f056's rows on papers no one tuned on: 100 of all, and 50 of the reliable statements'
AUDIT_HELD_OUT = AUDIT.with_name("audit-a24f056.jsonl")
AUDIT_HELD_OUT_RELIABLE = AUDIT.with_name("audit-a24f056-reliable.jsonl")
AUDIT_PATTERNS = AUDIT.with_name("audit-patterns.jsonl")  # rows drawn per pattern (PATTERNS_AUDITED)
# the patterns judged one by one when they were added (issue 26): coordination, appositives, a
# method's material, and what sentences about the paper's own work say of its proposal
PATTERNS_AUDITED = {
    "coordinated": 15,
    "apposition": 15,
    "described-for": 12,
    "builds-on": 6,
    "proposal-uses": 20,
    "proposal-compared": 12,
    "proposal-part": 12,
    "proposal-role": 12,
}
# the patterns added from reading arXiv sentences with linked mentions and no relation (issue 26, a
# second round), each drawn from builds of three 300-abstract samples they were not written on
# (`--sample-patterns-2`): builds-on again for its relative clauses, coined-proposal for what a paper
# whose proposal is a dataset or a coined name typed a concept says of it
AUDIT_PATTERNS_2 = AUDIT.with_name("audit-patterns-2.jsonl")
PATTERNS_AUDITED_2 = {
    "experiments-show": 8,
    "achieves-in": 8,
    "purpose-lead": 6,
    "trained-from": 6,
    "measured-by": 10,
    "improves": 8,
    "listed": 10,
    "list-of-kinds": 8,
    "name-based": 8,
    "builds-on": 8,
    "coined-proposal": 10,
}
# rows of a `conjunct` pattern (a list's items share what one of them is related to; measured at
# 168b3ad, not shipped) drawn from builds of three 300-abstract samples outside the 2k sample
AUDIT_CONJUNCT = AUDIT.with_name("audit-conjunct.jsonl")
# rows the relation scorer alone found with a score in [low, high): what lowering its threshold from
# the shipped pipeline's `high` to `low` would add (`--sample-band`)
AUDIT_BAND = AUDIT.with_name("audit-band.jsonl")
BAND = (0.30, 0.45)
BAND_AUDITED = 40
# rows a scorer trained with arXiv silver (`relation_training --silver`, weight 0.3, threshold
# 0.60; not shipped) found in a build of the first 300 papers of the 2k sample that the shipped
# pipeline's build does not have: how precise the relations it adds are
AUDIT_SILVER = AUDIT.with_name("audit-silver.jsonl")
# rows a change adds to builds of three 300-abstract samples outside the 2k sample (`--sample-added`):
# phrases standing for the name they are in apposition to or for the paper's proposal, and a title's
# proposal related to what it is for and to what its description is related to (issue 26)
AUDIT_ADDED = AUDIT.with_name("audit-standing-for.jsonl")
ADDED_AUDITED = 40
# every row the `described-builds-on` pattern (a name's appositive or subtitle saying what it is
# built on) adds to a build of 4,200 papers outside the 2k sample (`--sample-added`; 22, fewer than
# ADDED_AUDITED)
AUDIT_BUILT_ON = AUDIT.with_name("audit-described-builds-on.jsonl")
# rows that sentences split after a token holding a dollar ("$A$daptive") and values' decimal points
# read inside a clause ("87.6 on GSM8K") add to the same 4,200 papers' build (`--sample-added`)
AUDIT_SPLIT = AUDIT.with_name("audit-split-and-values.jsonl")
QUESTIONS = AUDIT.with_name("questions.jsonl")
# the same subjects judged on other builds or with other queries, newest first: which queries asked
# which build (README there)
QUESTIONS_OTHERS = {
    "f7052c7": AUDIT.with_name("questions-f7052c7.jsonl"),  # main f7052c7's queries and build
    "2f01a65": AUDIT.with_name("questions-2f01a65.jsonl"),  # main 2f01a65's queries, its build
    "2f01a65 queries, 3a9b450 build": AUDIT.with_name("questions-3a9b450-build.jsonl"),
    "3a9b450": AUDIT.with_name("questions-3a9b450.jsonl"),  # main 3a9b450's queries and build
}
TOP = 10  # the answers judged per question and subject
# the named questions the audit asks, each with its parameter and the subjects it is asked about;
# most-used-datasets has no parameter: its top 50 answers are judged, five subjects' worth

QUESTION_SUBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "methods-for-task": (
        "task",
        ("question answering", "object detection", "semantic segmentation", "image generation", "summarization"),
    ),
    "method-datasets": ("method", ("CLIP", "BERT", "LoRA", "ViT", "GPT-4")),
    "metrics-per-dataset": ("dataset", ("ImageNet", "GSM8K", "COCO", "CIFAR-10", "nuScenes")),
    "most-used-datasets": ("", ("",)),
    "entity-relations": ("entity", ("CLIP", "LoRA", "RAG", "ImageNet", "Transformer")),
}
SCORER = "paperkg_relations"
Span = tuple[int, int]

_STATEMENTS = """
SELECT ?paper ?s ?relation ?o ?sentence ?text ?start ?ss ?se ?os ?oe WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?relation ; rdf:object ?o ;
      prov:wasDerivedFrom ?sentence .
  ?sentence pkg:paper ?paper ; pkg:field "abstract" ; rdf:value ?text ; oa:start ?start .
  OPTIONAL { ?ms pkg:sentence ?sentence ; oa:hasBody ?s ; oa:start ?ss ; oa:end ?se . }
  OPTIONAL { ?mo pkg:sentence ?sentence ; oa:hasBody ?o ; oa:start ?os ; oa:end ?oe . }
}"""
_MENTIONS = """
SELECT ?paper ?start ?end WHERE {
  ?m a pkg:Mention ; pkg:paper ?paper ; pkg:sentence/pkg:field "abstract" ; oa:start ?start ; oa:end ?end .
}"""


@dataclass(frozen=True)
class Gold:
    paper: str
    label: str
    first: Span
    second: Span


@dataclass
class Predicted:
    paper: str
    label: str
    symmetric: bool
    firsts: set[Span] = field(default_factory=set)  # the mentions of SciERC's first argument
    seconds: set[Span] = field(default_factory=set)
    swapped: bool = False  # the graph relation's object is SciERC's first argument

    @classmethod
    def of(cls, paper: str, relation: str) -> Predicted:
        """The graph `relation`, stated in `paper`, in SciERC's terms (its mentions still to add)."""
        label, swapped = scierc_relation(relation)
        return cls(paper, label, relation in SYMMETRIC_RELATIONS, swapped=swapped)

    def add(self, subject: set[Span], obj: set[Span]) -> None:
        """Mentions of the graph relation's subject and object."""
        (self.seconds if self.swapped else self.firsts).update(subject)
        (self.firsts if self.swapped else self.seconds).update(obj)


def matches(p: Predicted, g: Gold) -> bool:
    if p.paper != g.paper or p.label != g.label:
        return False

    def ordered(firsts: set[Span], seconds: set[Span]) -> bool:
        return any(spans_match(s, g.first) for s in firsts) and any(spans_match(s, g.second) for s in seconds)

    return ordered(p.firsts, p.seconds) or (p.symmetric and ordered(p.seconds, p.firsts))


def one_to_one(predicted: list[Predicted], gold: list[Gold]) -> set[int]:
    """Indices of the predictions in a maximum matching with the gold relations."""
    return set(matching(predicted, gold).values())


def matching(predicted: list[Predicted], gold: list[Gold]) -> dict[int, int]:
    """Gold index -> prediction index of a maximum one-to-one matching (augmenting paths)."""
    by_paper: dict[str, list[int]] = defaultdict(list)
    for j, g in enumerate(gold):
        by_paper[g.paper].append(j)
    options = [[j for j in by_paper[p.paper] if matches(p, gold[j])] for p in predicted]
    owner: dict[int, int] = {}  # gold index -> prediction index

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(predicted)):
        augment(i, set())
    return owner


def scierc_papers(path: Path) -> tuple[list[Paper], list[Gold]]:
    """The abstracts as papers (no title: SciERC has none) and their gold relations in offsets."""
    papers, gold = [], []
    for n, doc in enumerate(read_scierc(path), 1):
        text, starts = running_text(doc.words)
        key = f"scierc:{doc.key}"

        def span(s: int, e: int) -> Span:
            return starts[s], starts[e - 1] + len(doc.words[e - 1])  # noqa: B023  (used right away)

        papers.append(Paper(key, "", text, str(path), n))
        gold.extend(Gold(key, label, span(s1, e1), span(s2, e2)) for s1, e1, s2, e2, label in doc.relations)
    return papers, gold


def build_graph(papers: list[Paper], directory: Path, extractor):
    from paperkg.kg.ingest import add_extractions
    from paperkg.kg.store import Store

    store = Store(directory)
    with store.transaction() as db:
        add_extractions(db, extractor.extract(papers))
    return store


def read_back(store, keys: dict[str, str]) -> tuple[list[Predicted], dict[str, list[Span]]]:
    """Predicted relations (one per statement and sentence) and every mention, per paper key."""
    from paperkg.kg.terms import PREFIXES

    grouped: dict[tuple, Predicted] = {}
    for row in store.query(_STATEMENTS, prefixes=PREFIXES):
        relation = row["relation"].value.rsplit("#", 1)[1]
        p = grouped.setdefault(
            (row["sentence"].value, row["s"].value, relation, row["o"].value),
            Predicted.of(keys[row["paper"].value], relation),
        )
        start = int(row["start"].value)
        own = _own_work(row["text"].value, start)
        subject = {(int(row["ss"].value), int(row["se"].value))} if row["ss"] is not None else own
        obj = {(int(row["os"].value), int(row["oe"].value))} if row["os"] is not None else own
        p.add(subject, obj)
    mentions: dict[str, list[Span]] = defaultdict(list)
    for row in store.query(_MENTIONS, prefixes=PREFIXES):
        mentions[keys[row["paper"].value]].append((int(row["start"].value), int(row["end"].value)))
    return list(grouped.values()), mentions


def score(predicted: list[Predicted], gold: list[Gold]) -> dict:
    right = one_to_one(predicted, gold)
    found = Counter(p.label for p in predicted)
    correct = Counter(predicted[i].label for i in right)
    wanted = Counter(g.label for g in gold)
    rows = {label: _prf(correct[label], found[label], wanted[label]) for label in SCIERC_RELATION_LABELS}
    rows["micro"] = _prf(sum(correct.values()), len(predicted), len(gold))
    return rows


def _prf(right: int, found: int, gold: int) -> dict:
    p = right / found if found else 0.0
    r = right / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": gold, "found": found, "right": right, "P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)}


def ceiling(gold: list[Gold], mentions: dict[str, list[Span]]) -> dict:
    """The share of gold relations, and of gold arguments, that the graph's mentions reach."""
    args = [(g.paper, a) for g in gold for a in (g.first, g.second)]
    reached = {x for x in set(args) if any(spans_match(m, x[1]) for m in mentions[x[0]])}
    both = sum((g.paper, g.first) in reached and (g.paper, g.second) in reached for g in gold)
    return {
        "relations_reachable": round(both / len(gold), 3),
        "arguments_reached": round(len(reached) / len(set(args)), 3),
    }


def _own_work(text: str, start: int = 0) -> set[Span]:
    """The offsets of the paper's references to its own work in `text`, which starts at `start`."""
    return {(start + m.start(), start + m.end()) for m in OWN_WORK.finditer(text)}


# where a gold relation is lost between the text and the graph: each gold relation is counted at the
# first of these it meets (of its two arguments' losses, the earlier)
LOSSES = (
    "in the graph",  # a statement of the graph matches it (one to one)
    "argument generic",  # SciERC's Generic mention ("method", "it") that is no own-work phrase: no entity
    "argument not found",  # no mention the extractor found (or own-work phrase) overlaps it
    "argument span differs",  # mentions overlap it, none matches: a span cut or run on
    "argument dropped as generic",  # the matching mentions are left out by linking as a common kind
    "argument not linked",  # ... left out by linking otherwise
    "relation mention, no statement",  # stated, but the one-to-one matching gave the statement to another
    "arguments in two sentences",  # the extractor's sentences part them: the scorer sees no pair
    "pair not scored",  # more than `MAX_BETWEEN` mentions between them, or the sentence was capped
    "scored below threshold",  # the right relation is the scorer's best, below its threshold
    "scored another relation",  # another relation, or the other direction, scores higher
    "scored, not linked",  # scored right between mentions linking leaves out (other mentions match)
)


def diagnose(
    extractor, scorer, path: Path, papers: list[Paper], gold: list[Gold], matched: set[int]
) -> dict[str, Counter[str]]:
    """SciERC label (and "all") -> how many of its gold relations meet each of `LOSSES` first
    (`matched`: the gold relations the graph's statements match). The scorer's stages recompute
    `scorer`'s probabilities for every pair of the mentions the extractor found, as the pipeline's
    `paperkg_relations` saw them; without a scorer (None) the last five stages read "pair not scored"."""
    from paperkg.extract.keys import FIELD_BREAK
    from paperkg.extract.own_work import with_own_work
    from paperkg.extract.pipeline import text_of
    from paperkg.extract.relation_scorer import sentence_mentions
    from paperkg.kg.linking import link_locally
    from paperkg.kg.quality import load_quality

    quality = load_quality()
    generic = {}
    for doc in read_scierc(path):
        _, starts = running_text(doc.words)
        generic[f"scierc:{doc.key}"] = {
            (starts[s], starts[e - 1] + len(doc.words[e - 1])) for s, e, label in doc.spans if label == "Generic"
        }
    by_paper: dict[str, list[int]] = defaultdict(list)
    for j, g in enumerate(gold):
        by_paper[g.paper].append(j)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in extractor.extract(papers):
        key, text, own = ex.paper.key, ex.paper.abstract, _own_work(ex.paper.abstract)
        links = link_locally(ex)
        found = {(m.start, m.end): m.type for e in ex.entities for m in e.mentions if m.field == "abstract"}
        extracted = set(found) | own
        linked = {(lm.mention.start, lm.mention.end) for lm in links.paper.mentions} | own
        span = {lm.iri: (lm.mention.start, lm.mention.end) for lm in links.paper.mentions}
        stated = []
        for r in links.paper.relations:
            p = Predicted.of(key, r.relation)
            p.add({span.get(r.subject, (-1, -1))}, {span.get(r.object, (-1, -1))})
            stated.append(p)
        sentences = [(s.start, s.end) for s in ex.sentences if s.field == "abstract"]
        pairs: list[tuple[Span, Span, list[float]]] = []
        if scorer is not None:  # in the offsets of the paper's one text, title first, as the pipeline has them
            base = len(ex.paper.title) + len(FIELD_BREAK)
            whole = text_of(ex.paper)
            mentions = with_own_work(whole, sorted((a + base, b + base, t) for (a, b), t in found.items()))
            grouped = list(sentence_mentions([(a + base, b + base) for a, b in sentences], mentions))
            scored, probabilities, _ = scorer.pair_probabilities(whole, grouped)
            for (a, b), row in zip(scored, probabilities.tolist()):
                pairs.append(((a[0] - base, a[1] - base), (b[0] - base, b[1] - base), row))

        for j in by_paper[key]:
            g = gold[j]
            losses = (_argument_loss(a, linked, generic[key], extracted, text, quality) for a in (g.first, g.second))
            lost = min((x for x in losses if x), default=0)
            if j in matched:
                lost = 0
            elif not lost:
                lost = LOSSES.index(_relation_loss(scorer, g, stated, pairs, sentences))
            table[g.label][LOSSES[lost]] += 1
    table["all"] = sum(table.values(), Counter())
    return dict(table)


def _argument_loss(a: Span, linked: set[Span], generic: set[Span], extracted: set[Span], text: str, quality) -> int:
    """The index in `LOSSES` of where the gold argument `a` is lost; 0 when the graph links it."""
    if any(spans_match(m, a) for m in linked):
        return 0
    if a in generic:
        return 1
    if not any(m[0] < a[1] and a[0] < m[1] for m in extracted):
        return 2
    hits = [m for m in extracted if spans_match(m, a)]
    if not hits:
        return 3
    return 4 if any(quality.is_common_kind(text[m[0] : m[1]]) for m in hits) else 5


def _relation_loss(scorer, g: Gold, stated: list[Predicted], pairs: list, sentences: list[Span]) -> str:
    """Where a gold relation whose arguments the graph links is lost (`LOSSES`): `stated`, the
    graph's relation mentions; `pairs`, the scorer's `(first mention, second mention, class
    probabilities)`; `sentences`, the extractor's sentence bounds."""
    if any(matches(p, g) for p in stated):
        return "relation mention, no statement"
    if not any(a <= min(g.first[0], g.second[0]) and max(g.first[1], g.second[1]) <= b for a, b in sentences):
        return "arguments in two sentences"
    verdicts = []
    for a, b, row in pairs:
        if not (spans_match(a, g.first) and spans_match(b, g.second)) and not (
            spans_match(b, g.first) and spans_match(a, g.second)
        ):
            continue
        best = max(range(1, len(row)), key=row.__getitem__)
        name = scorer.classes[best]
        subject, obj = (b, a) if name.endswith("<") else (a, b)
        p = Predicted.of(g.paper, name.rstrip("<>"))
        p.add({subject}, {obj})
        verdicts.append(
            "scored, not linked"
            if matches(p, g) and row[best] >= scorer.threshold
            else "scored below threshold"
            if matches(p, g)
            else "scored another relation"
        )
    return min(verdicts, key=LOSSES.index, default="pair not scored")


THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def label_thresholds(scorer, pairs) -> dict[str, dict]:
    """Per graph relation, on `pairs` (`extract.relation_training.PairSet`, features and gold
    classes): the gold pairs, and at each of `THRESHOLDS` the pairs the scorer would keep with that
    relation as its best and how many of them are right: what a threshold of its own would buy
    each relation."""
    probabilities = scorer.probabilities(pairs.features)
    relation = [c.rstrip("<>") for c in scorer.classes]
    gold = [scorer.classes.index(label) for label in pairs.labels]
    best = probabilities[:, 1:].argmax(axis=1) + 1
    out: dict[str, dict] = {}
    for name in dict.fromkeys(relation[1:]):
        row: dict = {"gold": sum(1 for g in gold if g and relation[g] == name)}
        for t in THRESHOLDS:
            kept = [i for i, b in enumerate(best.tolist()) if relation[b] == name and probabilities[i, b] >= t]
            row[f"{t:.2f}"] = f"{sum(best[i] == gold[i] for i in kept)}/{len(kept)}"
        out[name] = row
    return out


def loss_table(table: dict[str, Counter[str]]) -> str:
    """`diagnose`'s counts, a row per loss and a column per SciERC label."""
    labels = [*SCIERC_RELATION_LABELS, "all"]
    counts = [table.get(label, Counter()) for label in labels]
    lines = [f"{'':<32}" + "".join(f"{label:>13}" for label in labels)]
    lines.append(f"{'gold relations':<32}" + "".join(f"{sum(c.values()):>13}" for c in counts))
    for loss in LOSSES:
        lines.append(f"{loss:<32}" + "".join(f"{c[loss]:>13}" for c in counts))
    return "\n".join(lines)


@contextlib.contextmanager
def without_scorer(extractor) -> Iterator[None]:
    """The extractor with the relation scorer switched off: the patterns alone."""
    if SCORER not in extractor.nlp.pipe_names:
        yield
        return
    with extractor.nlp.select_pipes(disable=[SCORER]):
        yield


def run_scierc(extractor, path: Path, work: Path, diagnosed: bool = False) -> dict:
    papers, gold = scierc_papers(path)
    out: dict = {"papers": len(papers), "gold_relations": len(gold), "rows": {}}
    for name, switch in (("shipped", contextlib.nullcontext), ("patterns only", lambda: without_scorer(extractor))):
        if name == "shipped" and SCORER not in extractor.nlp.pipe_names:
            name = "shipped (no relation scorer in the pipeline)"
        with switch():
            store = build_graph(papers, work / name.split()[0], extractor)
        keys = {f"{_paper_iri(p.key)}": p.key for p in papers}
        predicted, mentions = read_back(store, keys)
        out["rows"][name] = score(predicted, gold)
        out.setdefault("ceiling", ceiling(gold, mentions))  # the shipped graph's: it links related phrases
        if diagnosed and name.startswith("shipped"):
            scorer = extractor.nlp.get_pipe(SCORER) if SCORER in extractor.nlp.pipe_names else None
            out["diagnosis"] = diagnose(extractor, scorer, path, papers, gold, set(matching(predicted, gold)))
            out["arguments lost"] = argument_losses(extractor, path, papers, mentions)
            if scorer is not None:  # on the pairs of the mentions the pipeline finds, which the scorer is chosen on
                from paperkg.extract.relation_training import scierc_pairs

                with extractor.nlp.select_pipes(disable=[SCORER]):
                    pairs = scierc_pairs(path, extractor.nlp)
                out["right/kept by threshold"] = label_thresholds(scorer, pairs)
    return out


# why a gold relation's argument has no mention in the graph, in the order tried
ARGUMENT_LOSSES = (
    "in the graph",  # a graph mention matches it (`spans_match`)
    "generic",  # SciERC's Generic mention ("method", "it", "this approach") that is no own-work phrase
    "own work",  # an own-work phrase ("our method"): it stands for a proposal the abstract does not name
    "not found",  # no mention the extractor found overlaps it
    "boundary",  # the extractor's mentions overlap it, none matches: a span cut or run on
    "not linked",  # the extractor found a matching mention that the graph leaves out (a generic name)
)


def argument_losses(extractor, path: Path, papers: list[Paper], graph: dict[str, list[Span]]) -> dict:
    """The gold relations' arguments (each span once) by `ARGUMENT_LOSSES`, all and per SciERC label:
    what bounds the share of gold relations the graph can reach (`ceiling`)."""
    docs = {f"scierc:{doc.key}": doc for doc in read_scierc(path)}
    found: Counter[str] = Counter()
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for ex in extractor.extract(papers):
        doc, key, text = docs[ex.paper.key], ex.paper.key, ex.paper.abstract
        _, starts = running_text(doc.words)
        label = {(s, e): name for s, e, name in doc.spans}
        extracted = [(m.start, m.end) for e in ex.entities for m in e.mentions]
        own = _own_work(text)
        arguments = {(s, e) for s1, e1, s2, e2, _ in doc.relations for s, e in ((s1, e1), (s2, e2))}
        for s, e in sorted(arguments):
            span = (starts[s], starts[e - 1] + len(doc.words[e - 1]))
            name = label.get((s, e), "none")
            if any(spans_match(m, span) for m in graph[key]):
                why = "in the graph"
            elif name == "Generic":
                why = "own work" if any(spans_match(m, span) for m in own) else "generic"
            elif not any(m[0] < span[1] and span[0] < m[1] for m in extracted):
                why = "not found"
            elif not any(spans_match(m, span) for m in extracted):
                why = "boundary"
            else:
                why = "not linked"
            found[why] += 1
            by_label[name][why] += 1
            examples[why].append(text[span[0] : span[1]])
    return {"arguments": sum(found.values()), **{w: found[w] for w in ARGUMENT_LOSSES}} | {
        "by label": {name: {w: c[w] for w in ARGUMENT_LOSSES} for name, c in sorted(by_label.items())},
        "examples": {w: sorted(examples[w])[:12] for w in ARGUMENT_LOSSES[1:]},
    }


def _paper_iri(key: str) -> str:
    from paperkg.kg.iris import paper_iri

    return paper_iri(key).value


def run_arxiv(extractor, n: int, work: Path, sample: Path = ARXIV_SAMPLE, diagnosed: bool = False) -> dict:
    from paperkg.extract.readers import read_inputs

    papers = [p for p in read_inputs([str(sample)]) if isinstance(p, Paper)][:n]
    out: dict = {"papers": len(papers)}
    if diagnosed:
        out["scorer's relations"] = dict(scorer_fates(extractor, papers))
    rows = {}
    for name, switch in (("shipped", contextlib.nullcontext), ("patterns only", lambda: without_scorer(extractor))):
        started = time.process_time()
        with switch():
            store = build_graph(papers, work / f"arxiv-{name.split()[0]}", extractor)
        cpu = time.process_time() - started
        statements = _count(store)
        rows[name] = {
            "relations_per_1000": round(1000 * statements / len(papers), 1),
            "build_cpu_s": round(cpu, 2),
            "abstracts_per_cpu_s": round(len(papers) / cpu, 1),
        }
    return out | {"rows": rows}


# what becomes of a relation the scorer keeps (an own-work argument in a paper proposing nothing first)
FATES = (
    "arguments linked",  # both linked (or "our method" standing for the paper's proposal): the graph can keep it
    "argument generic",  # an argument is a name linking leaves out as a common kind ("training strategy")
    "own work, no proposal",  # an argument is "our method" in a paper that proposes no method or model
    "other",  # an argument linking leaves out otherwise
)


def scorer_fates(extractor, papers: list[Paper]) -> Counter[str]:
    """How many of the relations the scorer keeps in `papers` meet each of `FATES`: the volume
    the graph loses between the scorer and its relation mentions."""
    from paperkg.kg.linking import link_locally
    from paperkg.kg.quality import load_quality

    quality = load_quality()
    fates: Counter[str] = Counter()
    for ex in extractor.extract(papers):
        links = link_locally(ex)
        spans = {(lm.mention.field, lm.mention.start, lm.mention.end) for lm in links.paper.mentions}
        proposal = any(lm.role == "proposes" and lm.type in ("Method", "Model") for lm in links.paper.mentions)
        for r in ex.relations:
            text = ex.paper.title if r.field == "title" else ex.paper.abstract
            left = [text[a:b] for a, b in (r.subject, r.object) if (r.field, a, b) not in spans]
            names = [t for t in left if not OWN_WORK.fullmatch(t)]
            fates[
                "own work, no proposal"
                if len(names) < len(left) and not proposal
                else "arguments linked"
                if not names
                else "argument generic"
                if any(quality.is_common_kind(t) for t in names)
                else "other"
            ] += 1
    return fates


# what a sentence writes between two of its mentions, the first that applies (`construction`): the
# kinds of wording a relation pattern would read, to see which of them leave the most pairs unrelated
CONSTRUCTIONS = (
    ("list", re.compile(r"^[\s,;]*(?:(?:and|or|as well as|along with)\b\s*)?(?:(?:the|a|an)\s+)?$")),
    ("bracket", re.compile(r"^\s*\(|\(\s*$")),
    ("apposition", re.compile(r"^\s*[,:]\s*(?:a|an|the first|our)\s")),
    ("colon", re.compile(r"^\s*:")),
    ("such as", re.compile(r"\b(?:such as|including|e\.g\.|like)\b")),
    ("comparison", re.compile(r"\b(?:outperform|surpass|exceed|beat|rival|compar|versus|vs\b|than\b)")),
    ("achieves, reports", re.compile(r"\b(?:achiev|reach|attain|obtain|report|scor|improv|reduc)")),
    ("on, across (a dataset)", re.compile(r"\b(?:on|across|over)\s+(?:\S+\s+){0,2}$")),
    (
        "with, using, built on",
        re.compile(
            r"\b(?:with|using|uses?\b|via|through|based on|built (?:on|upon)|leverag|incorporat|integrat|combin|"
            r"employ|adopt)"
        ),
    ),
    ("for, to", re.compile(r"\b(?:for|to|towards?)\b")),
    ("in, of, from", re.compile(r"\b(?:in|of|within|from|into)\b")),
)
FAR = 120  # characters between two mentions beyond which a pair is counted as far apart
_OWN_ACRONYM = re.compile(r"^\s*\([^()]{1,20}\)")  # the first mention's bracketed acronym: "(LLMs) use"


def construction(gap: str) -> str:
    """The kind of wording between two mentions (`CONSTRUCTIONS`); "far apart" beyond `FAR`
    characters, "other" when none applies (a clause of its own verb). The first mention's bracketed
    acronym is part of it, not wording between."""
    if len(gap) > FAR:
        return "far apart"
    gap = _OWN_ACRONYM.sub("", gap.lower())
    return next((name for name, pattern in CONSTRUCTIONS if pattern.search(gap)), "other")


def pair_fates(extractor, papers: list[Paper]) -> dict:
    """Where the pairs of mentions of one sentence that become two different entities go: how many
    the paper's graph relates (any relation between the two entities), by the number of linked
    mentions between them, and for the others the wording between (`construction`) and the types."""
    from paperkg.kg.linking import link_locally

    between: dict[str, Counter[str]] = defaultdict(Counter)
    unrelated: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for ex in extractor.extract(papers):
        linked = link_locally(ex).paper
        entity = {lm.iri: lm.entity for lm in linked.mentions}
        related = {frozenset((entity[r.subject], entity[r.object])) for r in linked.relations}
        by_sentence: dict[tuple[str, int], list] = defaultdict(list)
        for lm in linked.mentions:
            by_sentence[(lm.mention.field, lm.mention.sentence)].append(lm)
        for key, group in by_sentence.items():
            text, offset = linked.sentences[key].text, linked.sentences[key].start
            group.sort(key=lambda lm: (lm.mention.start, lm.mention.end))
            for i, a in enumerate(group):
                for k, b in enumerate(group[i + 1 :], i + 1):
                    if b.mention.start < a.mention.end or a.entity == b.entity:
                        continue
                    inside = sum(1 for m in group[i + 1 : k] if m.mention.start >= a.mention.end)
                    row = between[str(min(inside, 3)) + ("+" if inside >= 3 else "")]
                    row["pairs"] += 1
                    if frozenset((a.entity, b.entity)) in related:
                        row["related"] += 1
                        continue
                    unrelated[construction(text[a.mention.end - offset : b.mention.start - offset])] += 1
                    types[f"{a.type} / {b.type}"] += 1
    return {
        "pairs": sum(r["pairs"] for r in between.values()),
        "related": sum(r["related"] for r in between.values()),
        "by linked mentions between": {n: dict(between[n]) for n in sorted(between)},
        "unrelated, by the wording between": dict(unrelated.most_common()),
        "unrelated, by types": dict(types.most_common(12)),
    }


def _count(store) -> int:
    from paperkg.kg.terms import rdf

    return sum(1 for _ in store.oxigraph.quads_for_pattern(None, rdf.type, rdf.Statement))


def audit(path: Path = AUDIT) -> dict:
    """Precision of the judged relation rows: all, reliable or not, by what found them and by relation."""
    rows = _judged(path)
    groups = {
        "all": rows,
        "reliable": [r for r in rows if r["reliable"]],
        "not reliable": [r for r in rows if not r["reliable"]],
        "scorer only": [r for r in rows if r["score"] is not None and not r["patterns"]],
        "patterns only": [r for r in rows if r["score"] is None],
        "scorer and patterns": [r for r in rows if r["score"] is not None and r["patterns"]],
    }
    by_relation = defaultdict(list)
    for r in rows:
        by_relation[r["relation"]].append(r)
    return {name: _tally(group) for name, group in groups.items()} | {
        "by relation": {relation: _tally(group) for relation, group in sorted(by_relation.items())}
    }


def _tally(group: list[dict]) -> dict:
    """How many judged rows, the share correct, and the count of each kind of wrong."""
    return {
        "rows": len(group),
        "precision": round(sum(r["judged"] == "correct" for r in group) / len(group), 3) if group else None,
        "wrong type": sum(r["judged"] == "wrong type" for r in group),
        "wrong arguments": sum(r["judged"] == "wrong arguments" for r in group),
    }


_RELATION_MENTIONS = """
SELECT ?rm ?sentence ?text ?stext ?ssentence ?relation ?otext ?osentence ?score ?pattern ?reliable ?papers WHERE {
  ?rm a pkg:RelationMention ; pkg:sentence ?sentence ; pkg:subjectMention ?sm ; pkg:relation ?relation ;
      pkg:objectMention ?om .
  ?sentence rdf:value ?text .
  ?sm oa:hasBody ?s ; oa:exact ?stext ; pkg:sentence ?ssentence .
  ?om oa:hasBody ?o ; oa:exact ?otext ; pkg:sentence ?osentence .
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?relation ; rdf:object ?o ;
      pkg:reliable ?reliable ; pkg:supportPapers ?papers .
  OPTIONAL { ?rm pkg:score ?score }
  OPTIONAL { ?rm pkg:pattern ?pattern }
}"""
AUDIT_SEED = 26
RELIABLE_AUDITED = 50  # rows `--sample-audit --reliable` draws: reliable statements are a few of all rows


def audit_rows(
    store: Path | list[Path],
    n: int | None = 100,
    pattern: str | None = None,
    band: tuple[float, float] | None = None,
    reliable: bool = False,
) -> list[dict]:
    """`n` of the built graph's relation mentions (those `pattern` found, when given; those the scorer
    alone found with a score in `band`'s [low, high), when given; those of reliable statements only,
    when `reliable`), drawn with a seeded shuffle over
    the rows sorted by relation-mention IRI, as unjudged rows of the audit fixture; an argument that
    is the paper's own work is written as the sentence writes it ("our method"). Several stores'
    rows are drawn from as one (papers of different samples have different IRIs)."""
    import random

    from paperkg.kg.store import Store
    from paperkg.kg.terms import PREFIXES

    stores = store if isinstance(store, list) else [store]
    found = [r for path in stores for r in Store(path).query(_RELATION_MENTIONS, prefixes=PREFIXES)]
    rows = sorted(found, key=lambda r: r["rm"].value)
    if pattern is not None:
        rows = [r for r in rows if r["pattern"] is not None and pattern in r["pattern"].value.split()]
    if band is not None:
        low, high = band
        rows = [r for r in rows if r["pattern"] is None and r["score"] is not None]
        rows = [r for r in rows if low <= float(r["score"].value) < high]
    if reliable:
        rows = [r for r in rows if r["reliable"].value == "true"]
    random.Random(AUDIT_SEED).shuffle(rows)
    return [
        {
            "sentence": r["text"].value,
            "subject": _as_written(r, "s"),
            "relation": r["relation"].value.rsplit("#", 1)[1],
            "object": _as_written(r, "o"),
            "score": float(r["score"].value) if r["score"] is not None else None,
            "patterns": r["pattern"].value.split() if r["pattern"] is not None else [],
            "reliable": r["reliable"].value == "true",
            "papers": int(r["papers"].value),
            "judged": None,
        }
        for r in rows[:n]
    ]


def added_rows(stores: list[Path], bases: list[Path], n: int | None = ADDED_AUDITED) -> list[dict]:
    """`n` of the relation rows (`audit_rows`) of `stores` that `bases`, builds of the same papers
    before a change, do not have (the same sentence, argument texts and relation): what the change
    adds, drawn with a seeded shuffle over them sorted by those."""
    import random

    def key(row: dict) -> tuple[str, str, str, str]:
        return row["sentence"], row["subject"], row["relation"], row["object"]

    before = {key(r) for r in audit_rows(bases, None)}
    rows = sorted({key(r): r for r in audit_rows(stores, None) if key(r) not in before}.values(), key=key)
    random.Random(AUDIT_SEED).shuffle(rows)
    return rows[:n]


def pattern_audit(path: Path = AUDIT_PATTERNS) -> dict:
    """Precision of the judged rows of each pattern drawn for it (`--sample-patterns`), or of each
    score band (`--sample-band`)."""
    return {
        pattern: {
            "rows": len(group),
            "precision": round(_precision(group), 3),
            "wrong type": sum(r["judged"] == "wrong type" for r in group),
            "wrong arguments": sum(r["judged"] == "wrong arguments" for r in group),
        }
        for pattern, group in sorted(_by_drawn(_judged(path)).items())
    }


def _judged(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _precision(rows: list[dict]) -> float:
    return sum(r["judged"] == "correct" for r in rows) / len(rows)


def weighed(rows: list[dict], band: tuple[float, float] = BAND) -> dict:
    """The precision a build's relation rows (`audit_rows`) would have by the judged fixtures: each
    row counts with the precision of what found it: the mean of its audited patterns'
    (`audit-patterns.jsonl` and `audit-patterns-2.jsonl`, a pattern's rows of both together), the
    other patterns' and the scorer's alone at `band`'s high or over (`audit.jsonl`), the scorer's
    alone below it (`audit-band.jsonl`'s rows in `band`)."""
    low, high = band
    judged = _judged(AUDIT)
    drawn = _by_drawn(_judged(AUDIT_PATTERNS) + _judged(AUDIT_PATTERNS_2))
    by_pattern = {name: _precision(group) for name, group in drawn.items()}
    in_band = [r for r in _judged(AUDIT_BAND) if low <= r["score"] < high]
    precision = {
        "other patterns": _precision([r for r in judged if r["patterns"]]),
        "scorer alone": _precision([r for r in judged if not r["patterns"]]),
    }
    counts: Counter = Counter()
    expected: Counter = Counter()
    for r in rows:
        audited = [by_pattern[name] for name in r["patterns"] if name in by_pattern]
        source = (
            "audited patterns"
            if audited
            else "other patterns"
            if r["patterns"]
            else "scorer alone"
            if r["score"] >= high
            else "scorer alone, band"
        )
        if source == "scorer alone, band" and r["score"] < low:
            raise ValueError(f"a row scored {r['score']}, below the band {band}")
        if source == "scorer alone, band" and source not in precision:
            if not in_band:
                raise ValueError(f"a row scored {r['score']}, and no judged row of {AUDIT_BAND.name} in {band}")
            precision[source] = _precision(in_band)
        counts[source] += 1
        expected[source] += sum(audited) / len(audited) if audited else precision[source]
    return {
        "rows": len(rows),
        "precision": round(sum(expected.values()) / len(rows), 3),
        **{source: {"rows": n, "precision": round(expected[source] / n, 3)} for source, n in counts.items()},
    }


def _by_drawn(rows: list[dict]) -> dict[str, list[dict]]:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[r["drawn for"]].append(r)
    return by


def _as_written(row, argument: str) -> str:
    """The text of an audit row's subject ("s") or object ("o") in the row's sentence."""
    # a mention of another sentence stands for the paper's own work there, unless the sentence names it
    if row[f"{argument}sentence"] == row["sentence"] or row[f"{argument}text"].value in row["text"].value:
        return row[f"{argument}text"].value
    own = OWN_WORK.search(row["text"].value)
    return own.group() if own else row[f"{argument}text"].value


def question_rows(store: Path) -> Iterator[dict]:
    """The top answers of the audited named questions on a built graph, as unjudged fixture rows."""
    import subprocess

    for question, (parameter, subjects) in QUESTION_SUBJECTS.items():
        for subject in subjects:
            bind = ["--bind", f"{parameter}={subject}"] if parameter else []
            limit = TOP if parameter else 5 * TOP
            args = ["kg", "query", "--store", str(store), "--named", question, *bind, "--limit", str(limit)]
            done = subprocess.run([*args, "--format", "json"], capture_output=True, text=True, check=True)
            for rank, row in enumerate(json.loads(done.stdout)["results"]["bindings"], 1):
                values = {k: v["value"] for k, v in row.items()}
                answer = values.get("label") or values.get("metricLabel") or ""
                if question == "entity-relations":
                    relation = values["relation"].rsplit("#", 1)[1]
                    answer = f"{answer} {relation}" if values["direction"] == "in" else f"{relation} {answer}"
                yield {
                    "question": question,
                    "subject": subject,
                    "rank": rank,
                    "answer": answer,
                    "papers": int(values.get("papers", 0)),
                    "judged": None,
                }


def question_audit(path: Path = QUESTIONS) -> dict:
    """Per named question: the share of its answers judged right, and the right answers per ten
    places asked for (a subject with fewer than ten answers leaves places empty); the means over
    the questions."""
    rows = _judged(path)
    by_question: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_question[r["question"]].append(r)
    out: dict = {}
    for question, judged in by_question.items():
        parameter, subjects = QUESTION_SUBJECTS[question]
        places = TOP * len(subjects) if parameter else 5 * TOP
        right = sum(r["judged"] == "right" for r in judged)
        out[question] = {
            "answers": len(judged),
            "precision": round(right / len(judged), 3),
            "right of 10": round(10 * right / places, 2),
        }
    questions = list(out.values())
    out["mean precision"] = round(sum(q["precision"] for q in questions) / len(questions), 3)
    out["mean right of 10"] = round(sum(q["right of 10"] for q in questions) / len(questions), 2)
    return out


def table(rows: dict) -> str:
    lines = [f"{'':<24}{'label':<14}{'gold':>6}{'found':>7}{'right':>7}{'P':>7}{'R':>7}{'F1':>7}"]
    for name, labels in rows.items():
        for label, r in labels.items():
            lines.append(
                f"{name:<24}{label:<14}{r['gold']:>6}{r['found']:>7}{r['right']:>7}"
                f"{r['P']:>7.3f}{r['R']:>7.3f}{r['F1']:>7.3f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scierc", type=Path, default=SCIERC, help="folder with SciERC's dev.jsonl")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: the shipped one)")
    parser.add_argument("--arxiv", type=int, default=0, help="also build this many arXiv abstracts both ways")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    parser.add_argument("--diagnose", action="store_true", help="also count where gold relations are lost")
    parser.add_argument("--audit", action="store_true", help="only the judged rows' precision (no model needed)")
    parser.add_argument("--questions", type=Path, default=None, help="print the audited questions' answers in STORE")
    parser.add_argument("--sample-audit", type=Path, default=None, help="print 100 seeded relation rows of STORE")
    parser.add_argument(
        "--reliable",
        action="store_true",
        help=f"--sample-audit draws {RELIABLE_AUDITED} rows among the reliable statements' only",
    )
    parser.add_argument(
        "--sample-patterns", type=Path, default=None, help="print seeded relation rows of STORE per audited pattern"
    )
    parser.add_argument(
        "--sample-patterns-2",
        type=Path,
        nargs="+",
        default=None,
        metavar="STORE",
        help="print seeded relation rows of the STOREs together per pattern of the second round",
    )
    parser.add_argument(
        "--sample-band",
        type=Path,
        default=None,
        help=f"print {BAND_AUDITED} seeded rows of STORE the scorer alone found with a score in --band",
    )
    parser.add_argument(
        "--sample-added",
        type=Path,
        nargs="+",
        default=None,
        metavar="STORE",
        help=f"print {ADDED_AUDITED} seeded relation rows of the STOREs that the --base STOREs do not have",
    )
    parser.add_argument("--base", type=Path, nargs="+", default=[], metavar="STORE", help="--sample-added's")
    parser.add_argument(
        "--weigh", type=Path, default=None, help="the precision STORE's relations would have by the judged fixtures"
    )
    parser.add_argument(
        "--band", type=float, nargs=2, default=BAND, metavar=("LOW", "HIGH"), help="--sample-band's and --weigh's"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        metavar="N",
        help="only where the same-sentence mention pairs of the first N papers of --arxiv-sample go",
    )
    parser.add_argument("--threshold", type=float, default=None, help="the relation scorer's (default: the model's)")
    parser.add_argument("--keep", type=Path, default=None, help="build into this new folder and keep the stores")
    parser.add_argument(
        "--arxiv-sample", type=Path, default=ARXIV_SAMPLE, help="the JSON Lines papers --arxiv builds (default: the 2k)"
    )
    args = parser.parse_args(argv)
    if args.audit:
        questions = {"now": question_audit()} | {name: question_audit(p) for name, p in QUESTIONS_OTHERS.items()}
        relations = {
            "now": audit(),
            "814c09c": audit(AUDIT_BEFORE),
            "a24f056, held-out papers": audit(AUDIT_HELD_OUT),
            "a24f056, held-out papers, reliable statements only": audit(AUDIT_HELD_OUT_RELIABLE),
            "by pattern": pattern_audit(),
            "by pattern, second round": pattern_audit(AUDIT_PATTERNS_2),
            "a list's items sharing a relation (not shipped)": pattern_audit(AUDIT_CONJUNCT),
            "by score band": pattern_audit(AUDIT_BAND),
            "added by a scorer trained with silver": pattern_audit(AUDIT_SILVER),
            "added by phrases standing for names and a title's proposal (shipped)": pattern_audit(AUDIT_ADDED),
            "added by what a name's appositive or subtitle says it is built on (shipped)": pattern_audit(
                AUDIT_BUILT_ON
            ),
            "added by sentences split after dollars and values' decimal points (shipped)": pattern_audit(AUDIT_SPLIT),
        }
        print(json.dumps({"relations": relations, "named questions": questions}, indent=2))
        return 0
    if args.sample_patterns:
        for pattern, n in PATTERNS_AUDITED.items():
            for row in audit_rows(args.sample_patterns, n, pattern):
                print(json.dumps({"drawn for": pattern, **row}, ensure_ascii=False))
        return 0
    if args.sample_patterns_2:
        for pattern, n in PATTERNS_AUDITED_2.items():
            for row in audit_rows(args.sample_patterns_2, n, pattern):
                print(json.dumps({"drawn for": pattern, **row}, ensure_ascii=False))
        return 0
    if args.sample_band:
        low, high = args.band
        for row in audit_rows(args.sample_band, BAND_AUDITED, band=(low, high)):
            print(json.dumps({"drawn for": f"score {low}-{high}", **row}, ensure_ascii=False))
        return 0
    if args.sample_added:
        for row in added_rows(args.sample_added, args.base):
            print(json.dumps({"drawn for": "added", **row}, ensure_ascii=False))
        return 0
    if args.weigh:
        print(json.dumps(weighed(audit_rows(args.weigh, None), tuple(args.band)), indent=2))
        return 0
    if args.sample_audit:
        drawn = (
            audit_rows(args.sample_audit, RELIABLE_AUDITED, reliable=True)
            if args.reliable
            else audit_rows(args.sample_audit)
        )
        for row in drawn:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if args.questions:
        for row in question_rows(args.questions):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if args.pairs:
        from paperkg.extract.pipeline import load_extractor
        from paperkg.extract.readers import read_inputs

        papers = [p for p in read_inputs([str(args.arxiv_sample)]) if isinstance(p, Paper)][: args.pairs]
        print(json.dumps(pair_fates(load_extractor(args.model), papers), indent=2))
        return 0
    dev = args.scierc / "dev.jsonl"
    if not dev.is_file():
        print(f"no SciERC dev set at {dev} (set PAPERKG_SCIERC or --scierc)", file=sys.stderr)
        return 2
    from paperkg.extract.pipeline import load_extractor

    extractor = load_extractor(args.model)
    if args.threshold is not None and SCORER in extractor.nlp.pipe_names:
        extractor.nlp.get_pipe(SCORER).threshold = args.threshold
    if args.keep:
        args.keep.mkdir(parents=True)
    work = contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory(prefix="paperkg-relations-")
    with work as tmp:
        results = {"scierc_dev": run_scierc(extractor, dev, Path(tmp), args.diagnose)}
        if args.arxiv:
            results["arxiv"] = run_arxiv(extractor, args.arxiv, Path(tmp), args.arxiv_sample, args.diagnose)
    dev_results = results["scierc_dev"]
    print(f"SciERC dev: {dev_results['papers']} abstracts, {dev_results['gold_relations']} gold relations")
    print(f"ceiling set by the entities: {dev_results['ceiling']}")
    print(table(dev_results["rows"]))
    if "diagnosis" in dev_results:
        print("where gold relations are lost (shipped; each at the first loss it meets):")
        print(loss_table(dev_results["diagnosis"]))
        print(f"gold arguments, why not in the graph: {json.dumps(dev_results['arguments lost'])}")
    if "right/kept by threshold" in dev_results:
        print("the scorer on the pairs of found mentions, per relation: gold, right/kept at each threshold")
        for name, row in dev_results["right/kept by threshold"].items():
            print(f"{name:<16}" + "  ".join(f"{k}:{v}" for k, v in row.items()))
    if "arxiv" in results:
        print(json.dumps(results["arxiv"], indent=2))
    judged = audit()
    results["audit"] = judged
    print(
        f"audited relation rows ({AUDIT.name}): precision {judged['all']['precision']} of {judged['all']['rows']}, "
        f"reliable {judged['reliable']['precision']} of {judged['reliable']['rows']}"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
