"""Silver training data: a teacher pipeline labels unlabelled corpus abstracts for a student.

The teacher is a paperkg pipeline's most accurate recogniser (by default the shipped
pipeline's three voting members, `--accurate`; a pipeline without voting members teaches with
its single model). Each abstract (title and abstract as one Doc, as `kg extract` reads a paper)
is tokenized by the teacher's tokenizer, which is the one the student will run with, and the
teacher's recogniser entities (SciERC labels, after the vote) become the Doc's entities. The Docs are written as
spaCy DocBin shards that `kg train --silver` trains on next to the gold data.

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

__all__ = ["corpus_sample", "label_corpus", "read_corpus_texts"]


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
