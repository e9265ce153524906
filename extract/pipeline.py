"""The extractor seam: papers in, per-paper extractions out.

`kg build` and `kg extract` both go through `load_extractor().extract(...)`. The spaCy pipeline is
the one shipped in `extract/model/` (trained by `kg train`); it is loaded once per process.

A caller may hand `extract` a `finish` step (a function of one extraction, such as `kg build`'s
linking): it runs where the paper was extracted, in the worker process when there are several,
so per-paper work after extraction spreads over the cores too. The step must be picklable (a
module-level function) and its results too.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from paperkg.extract.allocator import reuse_freed_memory
from paperkg.extract.doc_text import mention_fields
from paperkg.extract.grouping import group_mentions
from paperkg.extract.keys import ABBR_LONG_KEY, FIELD_BREAK, RELATIONS_KEY
from paperkg.extract.records import Field, Mention, Paper, PaperExtraction, ScoredRelation, Sentence
from paperkg.schema.errors import NotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["ALL_MEMBERS", "Extractor", "MODEL_DIR", "as_extracted", "load_extractor", "load_nlp"]

T = TypeVar("T")


def as_extracted(extraction: PaperExtraction) -> PaperExtraction:
    """The `finish` step that keeps an extraction as it is."""
    return extraction


MODEL_DIR = Path(__file__).resolve().parent / "model"

_NLP_CACHE: dict[tuple[str, int | None], Language] = {}


def load_nlp(model: str | Path | None = None, members: int | None = None):
    """The spaCy pipeline at `model` (default: the shipped one), loaded once per process.

    None runs the pipeline's default recogniser: its single model (`ner`) when it has one, else
    all its voting members. `members` = N runs the first N voting members instead (see
    `paperkg_vote`; `ALL_MEMBERS` runs them all, `--accurate`), except that N = 1 (`--fast`)
    runs the single model when there is one, the fastest recogniser either way.
    """
    path = str(Path(model) if model else MODEL_DIR)
    key = (path, members)
    if key not in _NLP_CACHE:
        import spacy

        from paperkg.extract.ops import run_on_numpy_blas

        if not Path(path, "config.cfg").is_file():
            raise NotFoundError(f"no spaCy pipeline at {path} (train one with `kg train`)")
        with _collector_kept():
            nlp = spacy.load(path, exclude=_members_beyond(path, members))
        run_on_numpy_blas(nlp)
        if "paperkg_refine" not in nlp.pipe_names:  # a bare recogniser, e.g. a training run's output
            from paperkg.extract.assembly import add_paperkg_components

            add_paperkg_components(nlp)
        _NLP_CACHE[key] = nlp
    return _NLP_CACHE[key]


@contextmanager
def _collector_kept() -> Iterator[None]:
    """Leave the cyclic garbage collector as the block found it: srsly's msgpack reader, which
    spaCy loads a pipeline with, turns it on when it is done. `kg build` loads the model inside
    its write, which pauses the collector (`kg.ingest`), and on a 2,000-abstract build the
    collector then ran through the whole write: 17% of the writing thread's samples, 70% of the
    CPU of the thread that unpickles what the workers send (py-spy)."""
    enabled = gc.isenabled()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


_MEMBER = re.compile(r"^(?:ner|ballot)_(\d+)$")
ALL_MEMBERS = 1_000  # `members` for every voting member: `--accurate`


def _members_beyond(path: str, members: int | None) -> list[str]:
    """The components not to load: with a single model (`ner`) and `members` None or 1, the
    voting members, their ballots and the vote; otherwise the single model and the members
    (and their ballots) numbered `members` or higher."""
    from spacy.util import load_config

    names = load_config(Path(path, "config.cfg"), interpolate=False)["nlp"]["pipeline"]
    voting = [name for name in names if _MEMBER.match(name)]
    if "ner" in names and members in (None, 1):
        return [*voting, *(["paperkg_vote"] if "paperkg_vote" in names else [])]
    if members is None:
        return []
    beyond = [name for name in voting if int(name.rsplit("_", 1)[1]) >= members]  # ner_3, ballot_3
    return [*beyond, *(["ner"] if "ner" in names and voting else [])]


class Extractor:
    """Runs the paperkg spaCy pipeline over papers (title and abstract as one Doc)."""

    def __init__(self, nlp):
        reuse_freed_memory()  # a tenth of extraction's CPU time was page faults on freed arrays
        self.nlp = nlp
        meta = nlp.meta
        self.name = f"paperkg-{meta.get('name', 'extractor')}"
        self.version = str(meta.get("version", "0"))
        running = sum(1 for name in nlp.pipe_names if name.startswith("ner_") and _MEMBER.match(name))
        if meta.get("single_recogniser"):  # the build's provenance says which recogniser ran
            if running:
                self.version += f" (accurate: {running} of {meta['members']} voting recogniser members)"
        elif running < meta.get("members", running):
            self.version += f" ({running} of {meta['members']} recogniser members)"

    @overload
    def extract(
        self, papers: Iterable[Paper], n_process: int = 1, batch_size: int = 64
    ) -> Iterator[PaperExtraction]: ...
    @overload
    def extract(
        self,
        papers: Iterable[Paper],
        n_process: int = 1,
        batch_size: int = 64,
        *,
        finish: Callable[[PaperExtraction], T],
    ) -> Iterator[T]: ...
    def extract(
        self,
        papers: Iterable[Paper],
        n_process: int = 1,
        batch_size: int = 64,
        *,
        finish: Callable[[PaperExtraction], Any] = as_extracted,
    ) -> Iterator[Any]:
        """`finish(extraction)` of each paper in input order; `n_process` > 1 runs whole batches,
        finishing included, in forked workers."""
        if n_process > 1:
            yield from _extract_in_processes(self, papers, n_process, batch_size, finish)
            return
        from paperkg.extract.ops import one_blas_thread  # numpy and thinc: loaded with the model anyway

        # Papers are consumed lazily: nlp.pipe's as_tuples carries each paper next to its text.
        pairs = ((text_of(paper), paper) for paper in papers)
        with one_blas_thread():
            for doc, paper in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
                yield finish(doc_to_extraction(doc, paper, f"{self.name} {self.version}"))


# The extractor and finishing step a forked worker runs: inherited from the parent, so no worker
# loads the model.
_WORKER_EXTRACTOR: Extractor | None = None
_WORKER_FINISH: Callable[[PaperExtraction], Any] = as_extracted


def worker_pool(extractor: Extractor, n_process: int, finish: Callable = as_extracted):
    """A pool of `n_process` forked workers whose `extract_batch` runs `extractor` and `finish`,
    both inherited (no worker loads the model), with its pipes widened (`widen_pipes`)."""
    global _WORKER_EXTRACTOR, _WORKER_FINISH
    _WORKER_EXTRACTOR, _WORKER_FINISH = extractor, finish
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=start_worker)
    widen_pipes(pool)
    return pool


def extract_batch(papers: list[Paper]) -> list:
    """`finish(extraction)` of each of `papers`, in a worker of `worker_pool`."""
    assert _WORKER_EXTRACTOR is not None, "a worker forked before the extractor was set"
    return list(_WORKER_EXTRACTOR.extract(papers, finish=_WORKER_FINISH))


def _extract_in_processes(
    extractor: Extractor, papers: Iterable[Paper], n_process: int, batch_size: int, finish: Callable
) -> Iterator:
    # Workers return finished items rather than Docs (as spaCy's own n_process does), so the
    # parent does no per-paper work and the cores add up.
    with worker_pool(extractor, n_process, finish) as pool:
        for batch in pool.imap(extract_batch, _batches(papers, batch_size)):
            yield from batch


# Bytes a pool's pipe holds: Linux's limit for a process without privileges (`fs.pipe-max-size`).
# A batch's finished papers pickle to about 400 KB (6 KB a paper).
PIPE_BYTES = 1 << 20


def widen_pipes(pool) -> None:
    """Let the pipes that carry a pool's batches and results hold `PIPE_BYTES` instead of
    Linux's 64 KB. Through a 64 KB pipe a batch's result passes in a dozen pieces, and the
    thread that reads them in the writing process needs the GIL back between two pieces, which
    the writing thread holds up to 5 ms at a time: the worker waited, blocked in its write, for
    4-6% of a 10,000-abstract build's streaming; with room for a whole result, 1.6-2.5%. Where the
    pipes cannot be widened (not Linux, a lower limit, a Python whose pool keeps them elsewhere)
    they stay as they are."""
    import fcntl

    size_pipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if size_pipe is None:
        return
    for name in ("_inqueue", "_outqueue"):  # multiprocessing.Pool's own queues, private
        reader: Any = getattr(getattr(pool, name, None), "_reader", None)
        try:
            fcntl.fcntl(reader.fileno(), size_pipe, PIPE_BYTES)
        except (AttributeError, OSError):
            return


# A worker's young objects are mostly one batch's Docs and records, which their reference counts
# free; a batch briefly holds tens of thousands, and collecting every 700 new ones (Python's
# default) walked them hundreds of times a batch: 2% of a worker's CPU, for almost no garbage.
WORKER_GC_THRESHOLD = 50_000


def start_worker() -> None:
    """How an extraction worker's garbage collector runs. It leaves alone what the worker inherited
    (the model, the caller's papers), which is never its garbage: every full collection walked all
    of it (1.4% of the CPU of 2,000 abstracts beside 20,000 papers read, 0.1% frozen), and writing
    its bookkeeping into the inherited objects copied their memory pages; and it collects the
    young objects less often (`WORKER_GC_THRESHOLD`). It collects whether or not the process it
    was forked from had paused its own collector (`kg build` forks the workers inside its write,
    which does)."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()


def _batches(items: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def text_of(paper: Paper) -> str:
    return paper.title + FIELD_BREAK + paper.abstract


def doc_to_extraction(doc, paper: Paper, extractor: str) -> PaperExtraction:
    """Field-relative mentions, sentences and abbreviations of a paper's Doc."""

    abstract_start = len(paper.title) + len(FIELD_BREAK)

    def locate(char: int) -> tuple[Field, int]:
        return ("title", 0) if char < abstract_start else ("abstract", abstract_start)

    sentences: list[Sentence] = []
    sentence_at: list[tuple[int, int, Field, int]] = []  # (doc start, doc end, field, index)
    counts: dict[Field, int] = {"title": 0, "abstract": 0}
    # slices of the paper's text, which the Doc was made from (spaCy's tokenizer keeps every
    # character): Span.text and Doc.text build a Python Token for every token they cover
    whole = text_of(paper)
    for sent in doc.sents:
        raw = whole[sent.start_char : sent.end_char]
        text = raw.strip()
        if not text:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        fld, base = locate(start)
        idx = counts[fld]
        counts[fld] += 1
        sentences.append(Sentence(fld, idx, start - base, start - base + len(text), text))
        sentence_at.append((sent.start_char, sent.end_char, fld, idx))

    starts = [s for s, _, _, _ in sentence_at]

    def sentence_of(char: int) -> int:
        i = bisect.bisect_right(starts, char) - 1  # the last sentence starting at or before char
        if i >= 0 and char < sentence_at[i][1]:
            return sentence_at[i][3]
        return 0

    mentions = []
    for start, end, label, source, canonical in mention_fields(doc):
        fld, base = locate(start)
        mention = Mention(whole[start:end], fld, start - base, end - base, sentence_of(start), label, source)
        mentions.append((mention, canonical or None))
    pairs = tuple(dict.fromkeys((s.label_, whole[s.start_char : s.end_char]) for s in doc.spans.get(ABBR_LONG_KEY, [])))
    entities = group_mentions(mentions, pairs)
    relations = []
    for s_start, s_end, o_start, o_end, relation, score in doc.user_data.get(RELATIONS_KEY, ()):
        fld, base = locate(s_start)
        relations.append(
            ScoredRelation(fld, (s_start - base, s_end - base), (o_start - base, o_end - base), relation, score)
        )
    return PaperExtraction(paper, entities, tuple(sentences), pairs, extractor, tuple(relations))


def load_extractor(model: str | Path | None = None, members: int | None = None) -> Extractor:
    return Extractor(load_nlp(model, members))
