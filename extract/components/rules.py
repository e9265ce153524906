"""`paperkg_rules`: named models, datasets, metrics, tasks and methods from the curated
gazetteers, the reference vocabularies' names of distinctive shape and token-pattern rules; its
state is the gazetteer and those names, saved with the pipeline."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.training import Example

from paperkg.extract.components.refine import VOCABULARY_RULE, defined_collections, title_of
from paperkg.extract.doc_text import token_texts
from paperkg.extract.gazetteers import GazetteerEntry, model_families
from paperkg.extract.keys import ABBR_SHORT_KEY, RULES_KEY
from paperkg.extract.naming import DATASET_HEADS, is_generic_reference
from paperkg.extract.tokenizer import make_tokenizer

_SIZE = r"\d+(?:\.\d+)?[MBKT]"
_VERSION_TOKEN = re.compile(
    rf"^(?:v?\d+(?:\.\d+)*[a-z]?|{_SIZE}|[RVO]\d+(?:\.\d+)?|small|base|large|medium|mini|tiny|XL|XXL|xl"
    r"|Instruct|instruct|Chat|chat|Turbo|Pro|Ultra|Flash|Sonnet|Opus|Haiku|Coder|Math)$"
)
# A name carrying a parameter count: Pythia-70M, LLaMA-2-7B, OPT-175B, Qwen2.5-0.5B.
_SIZED_NAME = re.compile(rf"^[A-Za-z][\w.]*(?:-[\w.]+)*-{_SIZE}(?:-[\w.]+)*$")
# Benchmark-style names: MedQA, TruthfulQA, MT-Bench, MultiNLI.
_BENCH_NAME = re.compile(r"^[A-Z][\w-]*(?:QA|Bench|bench|NLI|GLUE)$")
# A word of a dataset's name before a head word (`ImageNet-1K`, `MS-COCO`, `iNaturalist`)
_DATASET_WORD = re.compile(r"^(?:[A-Z0-9][\w.-]*|[a-z]+[A-Z0-9][\w.-]*)$")
# A title's own name: one word with a capital after its first letter (SeeBel, iReason, FG-CXR,
# DARTS-GT), so that ordinary words before a colon ("Position:", "Review:") are not names.
_TITLE_NAME = re.compile(r"^[A-Za-z](?=[\w.+-]*[A-Z])[\w.+-]*$")
# verbs after which a paper names its own work: `we propose CAMEO`, `we introduce ScanNet` (another
# ScanNet than the dataset), `dubbed X`
_INTRODUCING = frozenset("propose proposes present presents introduce introduces named called dubbed".split())
# What a word is to the rules that test every token (`ArtefactRules._marked`): it opens a model's
# name, it is a benchmark-style name, it is a collection's head word, it introduces a name
_OPENS_MODEL, _BENCH, _HEAD, _INTRODUCES = 1, 2, 4, 8
_MARKS_KEPT = 65_536  # the words whose marks are kept; all are forgotten when there are more


class ArtefactRules:
    """Named models, datasets, metrics, tasks and methods: gazetteers plus token-pattern rules.

    Spans go to `doc.spans["paperkg_rules"]` labelled with the graph type; `kb_id_` carries the
    gazetteer's canonical name when there is one, `id_` the rule that fired.

    `names` (`extract.vocabulary.vocabulary_names`) are matched exactly as written and typed as
    the vocabularies type them (`rule:vocabulary`): a named dataset or model is a mention where
    the recogniser gives it no span (`ScanNet`, `Kinetics-400` in a list of benchmarks). The
    other rules win ties, `paperkg_refine` lets them neither cut nor split a recogniser's span,
    and a paper's own acronym (`EMMA (Efficient Multi-Modal Adaptation)`) is not the vocabulary's
    name spelled so.
    """

    def __init__(self, nlp: Language, name: str, entries: list[GazetteerEntry] | None = None):
        self.nlp = nlp
        self.name = name
        self.entries: list[GazetteerEntry] = []
        self._compile(entries or [])
        self._compile_names([])

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        entries: Sequence[GazetteerEntry] | None = None,
        names: Sequence[GazetteerEntry] | None = None,
    ) -> None:
        """Set the gazetteer and the vocabularies' names, as `SpanRuler.initialize` sets its
        patterns: when the pipeline is assembled (`nlp.initialize`, or directly) and again
        whenever they change. The patterns need no examples; None keeps the current ones."""
        if entries is not None:
            self._compile(entries)
        if names is not None:
            self._compile_names(names)

    def _compile_names(self, names: Sequence[GazetteerEntry]) -> None:
        self.names = list(names)
        self.named = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        # tokenized by a tokenizer of the same rules with a vocabulary of its own: the pipeline's,
        # having tokenized ten thousand names as the pipeline loads, tokenized every text after
        # that 2-3 times slower (docs/extraction.md); ORTH is matched by hash, the same in both
        scratch = type(self.nlp)()
        scratch.tokenizer = make_tokenizer(scratch)
        for type_ in sorted({n.type for n in self.names}):
            phrases = [n.name for n in self.names if n.type == type_]
            self.named.add(type_, [scratch.make_doc(p) for p in phrases])

    def _compile(self, entries: Sequence[GazetteerEntry]) -> None:
        self.entries = list(entries)
        vocab = self.nlp.vocab
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.canonical: dict[str, tuple[str, str]] = {}  # matcher key -> (canonical, type)
        for i, entry in enumerate(self.entries):
            key = f"g{i}"
            self.canonical[key] = (entry.name, entry.type)
            for phrase in (entry.name, *entry.aliases):
                matcher = self.lower if phrase.islower() else self.exact
                matcher.add(key, [self.nlp.make_doc(phrase)])
        families = self.families = model_families(self.entries)
        family = rf"^(?:{'|'.join(map(re.escape, families))})(?:[-_.]?\d[\w.]*|-[\w.]+)*$" if families else r"(?!)"
        # a token that opens a model's name, sized or of a family (the regex tries each family in turn)
        self._model_start = re.compile(f"{_SIZED_NAME.pattern}|{family}")
        self._marks: dict[str, int] = {}  # word -> `_mark(word)`

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for key, s, e in matcher(doc):
                canonical, type_ = self.canonical[self.nlp.vocab.strings[key]]
                spans.append(Span(doc, s, e, label=type_, kb_id=canonical, span_id="rule:gazetteer"))
        texts = token_texts(doc)
        opens_model, bench_names, heads, introducing = self._marked(texts)
        spans.extend(self._model_names(doc, texts, opens_model))
        spans.extend(self._title_name(doc))
        for s, e in _dataset_phrases(doc, texts, heads):
            span = doc[s : e - 1]
            # "the camera SONAR dataset": a lower-case modifier means the name is not all capitals
            modified = s > 0 and doc[s - 1].is_lower and doc[s - 1].is_alpha and not doc[s - 1].is_stop
            if not modified and not is_generic_reference([t.text for t in span]):
                spans.append(Span(doc, s, e - 1, label="Dataset", span_id="rule:dataset"))
        for i in bench_names:
            spans.append(Span(doc, i, i + 1, label="Dataset", span_id="rule:dataset"))
        # after `paperkg_abbreviations`: its definitions name collections the pattern above misses
        spans.extend(defined_collections(doc))
        spans.extend(self._vocabulary_names(doc, texts, introducing))  # last: the other rules win ties
        doc.spans[RULES_KEY] = _longest_first(spans)
        return doc

    def _vocabulary_names(self, doc: Doc, texts: list[str], introducing: list[int]) -> list[Span]:
        """The vocabularies' names in `doc`, but not the paper's own names: an acronym it defines,
        a name it introduces (`we propose CAMEO, a cascaded framework`) or titles itself with
        (`CellNet -- Localizing Cells ...`), which a vocabulary may list for another work."""
        matches = self.named(doc)
        if not matches:  # most papers: the paper's own names need not be read
            return []
        own = {s.label_ for s in doc.spans.get(ABBR_SHORT_KEY, [])}
        own.update(texts[i + 1] for i in introducing if i + 1 < len(texts))
        if len(texts) > 1 and texts[1] in (":", "-", "--", "—"):
            own.add(texts[0])
        found = []
        for key, s, e in matches:
            text = doc[s:e].text
            if text not in own:
                found.append(Span(doc, s, e, label=key, kb_id=text, span_id=VOCABULARY_RULE))
        return found

    def _marked(self, texts: list[str]) -> tuple[list[int], list[int], list[int], list[int]]:
        """The tokens (indices) that open a model's name, that are benchmark-style names
        (`_BENCH_NAME`), that are collection heads (`DATASET_HEADS`) and that introduce a name
        (`_INTRODUCING`). Every token is tested, and an abstract's words are mostly ones seen
        before: each word's answers are kept as one number (`_mark`), looked up once a token in C
        (`map`), and Python touches only the few tokens marked. The tests of every token (two
        regexes, one of them cached, and a lower-cased look-up) took 0.07 ms an arXiv abstract."""
        marks = self._marks
        if len(marks) > _MARKS_KEPT:
            marks.clear()
        for word in set(texts).difference(marks):
            marks[word] = self._mark(word)
        found = list(map(marks.__getitem__, texts))
        marked: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        for i in itertools.compress(range(len(found)), found):
            for mark, indices in zip((_OPENS_MODEL, _BENCH, _HEAD, _INTRODUCES), marked):
                if found[i] & mark:
                    indices.append(i)
        return marked

    def _mark(self, word: str) -> int:
        return (
            (_OPENS_MODEL if self._model_start.match(word) else 0)
            | (_BENCH if _BENCH_NAME.match(word) else 0)
            | (_HEAD if word.lower() in DATASET_HEADS else 0)
            | (_INTRODUCES if word.lower() in _INTRODUCING else 0)
        )

    def _model_names(self, doc: Doc, texts: list[str], opens_model: list[int]) -> list[Span]:
        """Models' names from the tokens that open one (`_marked`) and the version tokens after."""
        found = []
        end = 0
        for i in opens_model:
            if i < end:
                continue  # inside the name before
            text = texts[i]
            end = i + 1
            while end < len(texts) and end - i < 4 and _VERSION_TOKEN.match(texts[end]):
                end += 1
            # A bare family name ("DeepSeek") is a model only with a version; the gazetteer
            # covers the bare names that are models on their own.
            if end > i + 1 or _SIZED_NAME.match(text) or any(c.isdigit() for c in text):
                found.append(Span(doc, i, end, label="Model", span_id="rule:model"))
        return found

    def _title_name(self, doc: Doc) -> list[Span]:
        """The name a `NAME: subtitle` title gives the paper's own artefact (`SeeBel: Seeing is
        Believing`, `FG-CXR: A ... Gaze Dataset`): a Dataset when the subtitle names a dataset,
        a Model when the name ends in a model family or `LLM` (`MentalLLaMA`, `SciLitLLM`), a
        Method otherwise."""
        if len(doc) < 3 or doc[1].text != ":" or not _TITLE_NAME.match(doc[0].text):
            return []
        title = title_of(doc)
        if title is None:
            return []
        name = doc[0].text
        if any(t.lower_ in DATASET_HEADS for t in title[2:]):
            type_ = "Dataset"
        elif name.endswith(("LLM", *self.families)):
            type_ = "Model"
        else:
            type_ = "Method"
        # kb_id: named as written, never made singular (`FinePhys`)
        return [Span(doc, 0, 1, label=type_, kb_id=name, span_id="rule:title")]

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "gazetteer.jsonl", [e.to_json() for e in self.entries])
        if self.names:
            srsly.write_jsonl(path / "names.jsonl", [e.to_json() for e in self.names])

    def from_disk(self, path, exclude=()):
        self._compile([GazetteerEntry.from_json(o) for o in srsly.read_jsonl(Path(path) / "gazetteer.jsonl")])
        names = Path(path) / "names.jsonl"  # pipelines saved before the vocabularies' names have none
        self._compile_names([GazetteerEntry.from_json(o) for o in srsly.read_jsonl(names)] if names.is_file() else [])
        return self


@Language.factory("paperkg_rules")
def make_rules(nlp: Language, name: str) -> ArtefactRules:
    return ArtefactRules(nlp, name)


def _dataset_phrases(doc: Doc, texts: list[str], heads: Iterable[int]) -> list[tuple[int, int]]:
    """(start, end) of each `NAME... head` phrase (`ImageNet-1K benchmark`, `SONAR dataset`): one
    or more name-like words that are not stop words (`_DATASET_WORD`), then a `DATASET_HEADS`
    word (`heads`: those tokens' indices, in order); all such phrases, non-overlapping, the longest
    first and the earlier of two as long. What spaCy's `Matcher` returns for that token pattern
    with `+` and `greedy="LONGEST"`, in its order; the Matcher tests a regular expression on every
    token through a Python call, which took half of this component's time, while a head word comes
    a few times an abstract."""
    pairs: list[tuple[int, int]] = []
    for head in heads:
        start = head
        while start > 0 and _DATASET_WORD.search(texts[start - 1]) and not doc[start - 1].is_stop:
            start -= 1
        pairs.extend((s, head + 1) for s in range(start, head))
    taken = [False] * len(texts)
    found = []
    for s, e in sorted(pairs, key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
        if not any(taken[s:e]):
            found.append((s, e))
            taken[s:e] = [True] * (e - s)
    return found


def _longest_first(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longer ones winning, earlier rules winning ties."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)
