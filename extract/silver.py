"""Silver training data: a teacher pipeline labels unlabelled corpus abstracts for a student.

The teacher is a paperkg pipeline's most accurate recogniser (by default the shipped
pipeline's three voting members, `--accurate`; a pipeline without voting members teaches with
its single model). Each abstract (title and abstract as one Doc, as `kg extract` reads a paper)
is tokenized by the teacher's tokenizer, which is the one the student will run with, and the
teacher's recogniser entities (SciERC labels, after the vote) become the Doc's entities. The Docs are written as
spaCy DocBin shards that `kg train --silver` trains on next to the gold data.

When a student reads the silver (`kg train --silver`), `retype_shard` types the teacher's
entities as paperkg's graph types them, so that the student's Material is the graph's Dataset.

The corpus is JSON Lines, optionally gzipped, one object a line with `title` and `abstract`
(the format of ../shared/data/arxiv-ai/). Which abstracts are labelled is a seeded random
sample, so the same seed labels the same abstracts.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from paperkg.extract.keys import FIELD_BREAK
from paperkg.schema.errors import InputError

__all__ = [
    "corpus_sample",
    "label_corpus",
    "read_corpus_texts",
    "retype",
    "retype_shard",
    "silver_rules",
]


def read_corpus_texts(path: str | Path) -> list[str]:
    """Every record's `title` + blank line + `abstract` (records without an abstract are skipped)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{lineno}: not JSON ({exc})") from None
            abstract = (obj.get("abstract") or "").strip()
            if abstract:
                texts.append((obj.get("title") or "").strip() + FIELD_BREAK + abstract)
    return texts


def corpus_sample(path: str | Path, n: int, seed: int = 0, skip: int = 0) -> list[str]:
    """`n` texts of the corpus in a seeded random order, after the first `skip` of that order."""
    texts = read_corpus_texts(path)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    return [texts[i] for i in order[skip : skip + n]]


def _student_doc(doc):
    """A bare copy of a labelled Doc: its tokens, sentence starts and recogniser entities."""
    from spacy.tokens import Doc, Span

    copy = Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        sent_starts=[bool(t.is_sent_start) for t in doc],
    )
    copy.set_ents([Span(copy, e.start, e.end, label=e.label_) for e in doc.ents], default="outside")
    return copy


def label_corpus(
    corpus: str | Path,
    out_dir: str | Path,
    n: int,
    seed: int = 0,
    skip: int = 0,
    teacher: str | Path | None = None,
    shard_size: int = 2000,
    batch_size: int = 64,
    log=print,
) -> list[Path]:
    """Label `n` sampled corpus abstracts with the teacher; returns the DocBin shards written
    (`OUT/silver-000.spacy`, ...). A shard already on disk is kept, so an interrupted run resumes."""
    from spacy.tokens import DocBin

    from paperkg.extract.ops import one_blas_thread
    from paperkg.extract.pipeline import ALL_MEMBERS, load_nlp

    nlp = load_nlp(teacher, ALL_MEMBERS)
    texts = corpus_sample(corpus, n, seed=seed, skip=skip)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shards = []
    for first in range(0, len(texts), shard_size):
        path = out / f"silver-{first // shard_size:03d}.spacy"
        shards.append(path)
        if path.exists():
            continue
        db = DocBin(attrs=["ORTH", "SPACY", "SENT_START", "ENT_IOB", "ENT_TYPE"])
        with one_blas_thread():  # runs beside other labelling jobs, one per core
            for doc in nlp.pipe(texts[first : first + shard_size], batch_size=batch_size):
                db.add(_student_doc(doc))
        staged = path.with_suffix(".partial")
        db.to_disk(staged)
        staged.rename(path)
        log(f"{path}: {len(db)} abstracts labelled")
    return shards


def retype(doc, rule_spans) -> int:
    """The teacher's entities of `doc` typed as `paperkg_refine` types the graph's mentions;
    returns how many changed label. A span the rules (gazetteers, model-name and `NAME dataset`
    patterns) found exactly takes the rules' type (a model name is a Method, not Material); a span
    whose head says it is a collection of data (`IMHI evaluation benchmark`) is Material; a
    Material span that is a kind of data (`histopathology images`, `is_modality`) is
    OtherScientificTerm, the graph's Concept. Generic spans stay Generic.

    The teacher of several was trained on TDMSci, whose Datasets are named collections, and on
    SciERC, whose Material is any data: its silver calls 30% of its Material kinds of data and
    names benchmarks Method, and a student of it typed domains, diseases and model names Dataset
    (docs/extraction.md)."""
    from spacy.tokens import Span

    from paperkg.extract.components.refine import is_modality, names_collection
    from paperkg.extract.evaluation import GRAPH_TO_SCIERC

    ruled = {(r.start, r.end): GRAPH_TO_SCIERC.get(r.label_) for r in rule_spans}
    ents, changed = [], 0
    for ent in doc.ents:
        label = ent.label_
        if label != "Generic":
            by_rule = ruled.get((ent.start, ent.end))
            label = by_rule or ("Material" if names_collection(ent) else label)
            if label == "Material" and not by_rule and is_modality(ent):
                label = "OtherScientificTerm"
        changed += label != ent.label_
        ents.append(Span(doc, ent.start, ent.end, label=label))
    doc.set_ents(ents, default="outside")
    return changed


def silver_rules(gazetteer_dir: str | Path | None = None):
    """A pipeline of `paperkg_rules` alone, with the gazetteers of `gazetteer_dir` (default:
    data/gazetteers), to type silver by."""
    import spacy

    from paperkg.extract.components.rules import ArtefactRules
    from paperkg.extract.gazetteers import load_gazetteers

    nlp = spacy.blank("en")
    rules = nlp.add_pipe("paperkg_rules")
    assert isinstance(rules, ArtefactRules)
    rules.initialize(entries=load_gazetteers(gazetteer_dir))
    return nlp


def retype_shard(shard: str | Path, out_path: str | Path, rules) -> tuple[int, int]:
    """`shard` (a `kg label` DocBin) written to `out_path` with every Doc's entities `retype`d by
    the `rules` pipeline (`silver_rules`); returns (entities, entities retyped)."""
    from spacy.tokens import DocBin

    from paperkg.extract.keys import RULES_KEY

    db = DocBin(attrs=["ORTH", "SPACY", "SENT_START", "ENT_IOB", "ENT_TYPE"])
    total = changed = 0
    for doc in DocBin().from_disk(shard).get_docs(rules.vocab):
        changed += retype(doc, rules(doc).spans[RULES_KEY])
        total += len(doc.ents)
        db.add(doc)
    db.to_disk(out_path)
    return total, changed
