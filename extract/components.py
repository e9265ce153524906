"""paperkg's registered spaCy components: sentence boundaries, recogniser voting, abbreviations,
rules, type refinement.

Import this module before loading the shipped pipeline (extract.pipeline does), so spaCy finds the
factories by name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy
import srsly
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.training import Example

from paperkg.extract import architectures as _architectures  # noqa: F401  (registers the recogniser's encoder)
from paperkg.extract import recogniser as _recogniser  # noqa: F401  (registers the recogniser)
from paperkg.extract import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)
from paperkg.extract.abbreviations import find_abbreviations, find_short_form_uses
from paperkg.extract.gazetteers import GazetteerEntry, model_families
from paperkg.extract.keys import (
    ABBR_LONG_KEY,
    ABBR_SHORT_KEY,
    BALLOTS_KEY,
    ENTITIES_KEY,
    FIELD_BREAK,
    MENTIONS_KEY,
    RULES_KEY,
)
from paperkg.extract.naming import is_generic

# ---------------------------------------------------------------- sentence boundaries

_ENDS = {".", "?", "!"}
_NOT_START = numpy.iinfo("uint64").max  # SENT_START -1 as Doc.from_array reads it
_NOT_ENDS = {"al", "fig", "figs", "eq", "eqs", "sec", "vs", "cf", "approx", "resp", "no", "e.g", "i.e", "etc"}


@Language.component("paperkg_sentences")
def sentence_boundaries(doc: Doc) -> Doc:
    """Sentence starts after `.`/`?`/`!` before a capital or digit; never inside `$...$` or after
    `e.g.`-like abbreviations; always after a blank line (the title/abstract break)."""
    if doc.has_annotation("SENT_START") or not len(doc):
        return doc
    words, spaces = zip(*((t.text, t.whitespace_) for t in doc))  # one pass: each Token is a new object
    starts = numpy.full((len(doc), 1), _NOT_START, dtype="uint64")
    starts[0, 0] = 1
    in_math = False
    for i, word in enumerate(words[:-1]):
        if word == "$":
            in_math = not in_math
        if in_math:
            continue
        if "\n\n" in spaces[i] or ("\n\n" in word and not word.strip()):
            starts[i + 1, 0] = 1
        elif word in _ENDS:
            prev = words[i - 1].lower() if i else ""
            nxt = words[i + 1][:1]
            if prev not in _NOT_ENDS and (nxt.isupper() or nxt.isdigit() or nxt in "\"'([`"):
                starts[i + 1, 0] = 1
    doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # numpy uint64 is what Doc reads
    return doc


# ---------------------------------------------------------------- recogniser voting
# The recogniser is an ensemble: members trained alike from different seeds each label the Doc
# (`ner_0`, `ner_1`, ...); the ballot after each one keeps its entities and clears them for the
# next member; the vote keeps the spans a majority of the members agree on, label included.


def ballot(doc: Doc, weight: int = 1) -> Doc:
    """Moves the preceding recogniser member's entities into the ballot box, as `weight` members'
    votes (a stronger member, such as a contextual teacher among the vote's members, counts twice)."""
    box = doc.spans.get(BALLOTS_KEY)
    members = box.attrs["members"] if box is not None else 0  # an empty ballot still counts
    doc.spans[BALLOTS_KEY] = [*(box or ()), *(list(doc.ents) * weight)]
    doc.spans[BALLOTS_KEY].attrs["members"] = members + weight
    doc.set_ents([], default="missing")  # the next member must not take these as preset
    return doc


@Language.factory("paperkg_ballot", default_config={"weight": 1})
def make_ballot(nlp: Language, name: str, weight: int) -> Callable[[Doc], Doc]:
    return functools.partial(ballot, weight=weight)


@Language.component("paperkg_vote")
def vote(doc: Doc) -> Doc:
    """Entities: the spans (with their label) that a strict majority of the members that ran
    proposed. With one member this is its own output. Such spans never overlap: each member's
    entities do not, so two overlapping spans cannot both have more than half the votes."""
    if BALLOTS_KEY not in doc.spans:
        return doc
    box = doc.spans[BALLOTS_KEY]
    needed = box.attrs.get("members", 1) // 2 + 1
    votes: dict[tuple[int, int, str], int] = {}
    for span in box:
        key = (span.start, span.end, span.label_)
        votes[key] = votes.get(key, 0) + 1
    ents = [Span(doc, start, end, label=label) for (start, end, label), n in sorted(votes.items()) if n >= needed]
    del doc.spans[BALLOTS_KEY]
    doc.set_ents(ents, default="outside")
    return doc


# ---------------------------------------------------------------- abbreviations


@Language.component("paperkg_abbreviations")
def abbreviations(doc: Doc) -> Doc:
    """Long form <-> short form pairs defined in the text, and the later uses of each short form.

    Both span groups are labelled with the short form as defined, which ties them together.
    """
    shorts: dict[tuple[int, int], Span] = {}
    longs = []
    text = doc.text  # once: Doc.text joins a new Python Token per token on every call
    for abbr in find_abbreviations(text):
        long_span = doc.char_span(abbr.long_start, abbr.long_end, label=abbr.short, alignment_mode="expand")
        short_span = doc.char_span(abbr.short_start, abbr.short_end, label=abbr.short, alignment_mode="expand")
        if long_span is None or short_span is None:
            continue
        longs.append(long_span)
        uses = [doc.char_span(s, e, label=abbr.short) for s, e in find_short_form_uses(text, abbr)]
        for span in [short_span, *uses]:
            if span is not None:
                shorts.setdefault((span.start, span.end), span)
    doc.spans[ABBR_SHORT_KEY] = sorted(shorts.values(), key=lambda s: s.start)
    doc.spans[ABBR_LONG_KEY] = longs
    return doc


# ---------------------------------------------------------------- rules

_SIZE = r"\d+(?:\.\d+)?[MBKT]"
_VERSION_TOKEN = re.compile(
    rf"^(?:v?\d+(?:\.\d+)*[a-z]?|{_SIZE}|[RVO]\d+(?:\.\d+)?|small|base|large|medium|mini|tiny|XL|XXL|xl"
    r"|Instruct|instruct|Chat|chat|Turbo|Pro|Ultra|Flash|Sonnet|Opus|Haiku|Coder|Math)$"
)
# A name carrying a parameter count: Pythia-70M, LLaMA-2-7B, OPT-175B, Qwen2.5-0.5B.
_SIZED_NAME = re.compile(rf"^[A-Za-z][\w.]*(?:-[\w.]+)*-{_SIZE}(?:-[\w.]+)*$")
# Benchmark-style names: MedQA, TruthfulQA, MT-Bench, MultiNLI.
_BENCH_NAME = re.compile(r"^[A-Z][\w-]*(?:QA|Bench|bench|NLI|GLUE)$")
_DATASET_HEADS = ["dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "treebank"]
# A title's own name: one word with a capital after its first letter (SeeBel, iReason, FG-CXR,
# DARTS-GT), so that ordinary words before a colon ("Position:", "Review:") are not names.
_TITLE_NAME = re.compile(r"^[A-Za-z](?=[\w.+-]*[A-Z])[\w.+-]*$")


class ArtefactRules:
    """Named models, datasets, metrics, tasks and methods: gazetteers plus token-pattern rules.

    Spans go to `doc.spans["paperkg_rules"]` labelled with the graph type; `kb_id_` carries the
    gazetteer's canonical name when there is one, `id_` the rule that fired.
    """

    def __init__(self, nlp: Language, name: str, entries: list[GazetteerEntry] | None = None):
        self.nlp = nlp
        self.name = name
        self.entries: list[GazetteerEntry] = []
        self._compile(entries or [])
        self.dataset_matcher = Matcher(nlp.vocab)
        self.dataset_matcher.add(
            "Dataset",
            [
                [
                    {"TEXT": {"REGEX": r"^(?:[A-Z0-9][\w.-]*|[a-z]+[A-Z0-9][\w.-]*)$"}, "IS_STOP": False, "OP": "+"},
                    {"LOWER": {"IN": _DATASET_HEADS}},
                ]
            ],
            greedy="LONGEST",
        )

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        entries: Sequence[GazetteerEntry] | None = None,
    ) -> None:
        """Set the gazetteer, as `SpanRuler.initialize` sets its patterns: when the pipeline is
        assembled (`nlp.initialize`, or directly) and again whenever the gazetteers change.
        The patterns need no examples; `entries` None keeps the current ones."""
        if entries is not None:
            self._compile(entries)

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
        self.family = re.compile(
            rf"^(?:{'|'.join(map(re.escape, families))})(?:[-_.]?\d[\w.]*|-[\w.]+)*$" if families else r"(?!)"
        )

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for key, s, e in matcher(doc):
                canonical, type_ = self.canonical[self.nlp.vocab.strings[key]]
                spans.append(Span(doc, s, e, label=type_, kb_id=canonical, span_id="rule:gazetteer"))
        texts = [t.text for t in doc]  # once: every Token made from a Doc is a new Python object
        spans.extend(self._model_names(doc, texts))
        spans.extend(self._title_name(doc))
        for _, s, e in self.dataset_matcher(doc):
            span = doc[s : e - 1]
            # "the camera SONAR dataset": a lower-case modifier means the name is not all capitals
            modified = s > 0 and doc[s - 1].is_lower and doc[s - 1].is_alpha and not doc[s - 1].is_stop
            if not modified and not is_generic([t.text for t in span]):
                spans.append(Span(doc, s, e - 1, label="Dataset", span_id="rule:dataset"))
        for i, text in enumerate(texts):
            if _BENCH_NAME.match(text):
                spans.append(Span(doc, i, i + 1, label="Dataset", span_id="rule:dataset"))
        doc.spans[RULES_KEY] = _longest_first(spans)
        return doc

    def _model_names(self, doc: Doc, texts: list[str]) -> list[Span]:
        found = []
        i = 0
        while i < len(texts):
            text = texts[i]
            if _SIZED_NAME.match(text) or self.family.match(text):
                end = i + 1
                while end < len(texts) and end - i < 4 and _VERSION_TOKEN.match(texts[end]):
                    end += 1
                # A bare family name ("DeepSeek") is a model only with a version; the gazetteer
                # covers the bare names that are models on their own.
                if end > i + 1 or _SIZED_NAME.match(text) or any(c.isdigit() for c in text):
                    found.append(Span(doc, i, end, label="Model", span_id="rule:model"))
                i = end
            else:
                i += 1
        return found

    def _title_name(self, doc: Doc) -> list[Span]:
        """The name a `NAME: subtitle` title gives the paper's own artefact (`SeeBel: Seeing is
        Believing`, `FG-CXR: A ... Gaze Dataset`): a Dataset when the subtitle names a dataset,
        a Model when the name ends in a model family or `LLM` (`MentalLLaMA`, `SciLitLLM`), a
        Method otherwise."""
        if len(doc) < 3 or doc[1].text != ":" or not _TITLE_NAME.match(doc[0].text):
            return []
        title = next(doc.sents)  # paperkg_sentences ends the title at the field break
        if FIELD_BREAK not in title[-1].text + title[-1].whitespace_:
            return []  # no title: the text starts with the abstract
        name = doc[0].text
        if any(t.lower_ in _DATASET_HEADS for t in title[2:]):
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

    def from_disk(self, path, exclude=()):
        self._compile([GazetteerEntry.from_json(o) for o in srsly.read_jsonl(Path(path) / "gazetteer.jsonl")])
        return self


@Language.factory("paperkg_rules")
def make_rules(nlp: Language, name: str) -> ArtefactRules:
    return ArtefactRules(nlp, name)


def _longest_first(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longer ones winning, earlier rules winning ties."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


# ---------------------------------------------------------------- type refinement

SCIERC_TO_GRAPH = {
    "Method": "Method",
    "Task": "Task",
    "Metric": "Metric",
    "Material": "Dataset",
    "OtherScientificTerm": "Concept",
}

_HEAD_TYPES = [
    (re.compile(r"(dataset|corpus|corpora|benchmark|treebank|collection)s?$", re.I), "Dataset"),
    (re.compile(r"(score|rate|accuracy|error|precision|recall|loss|distance|divergence)s?$", re.I), "Metric"),
    (
        re.compile(
            r"(detection|classification|recognition|translation|generation|answering|segmentation"
            r"|retrieval|parsing|summari[sz]ation|prediction|tagging|labell?ing|extraction|analysis)$",
            re.I,
        ),
        "Task",
    ),
    (
        re.compile(
            r"(model|network|net|transformer|autoencoder|encoder|decoder|machine|algorithm|search"
            r"|learning|method|regression|optimi[sz]ation|attention|tuning|training|sampling|distillation"
            r"|embedding|probing|patching|layer|architecture|agent|classifier|clustering|propagation|tracing"
            r"|decomposition|injection|adaptation|regulari[sz]ation|inference|estimation)s?$",
            re.I,
        ),
        "Method",
    ),
]


def head_type(text: str) -> str:
    """A graph type guessed from a phrase's head word, for spans no recogniser typed."""
    for pattern, type_ in _HEAD_TYPES:
        if pattern.search(text):
            return type_
    return "Concept"


def split_named(spans: list[Span], rules) -> list[Span]:
    """Mentions for the graph: named models and datasets inside a longer span stand alone
    (`MedQA clinical cases` -> `MedQA`, `IMDb datasets` -> `IMDb`), with the rule's type and name."""
    named = [r for r in rules if r.label_ in ("Model", "Dataset")]
    out = []
    for span in spans:
        inner = [r for r in named if span.start <= r.start and r.end <= span.end and len(r) < len(span)]
        out.extend(inner or [span])
    return out


# Words that may wrap a named model or dataset without changing what it names.
_ARTEFACT_HEADS = frozenset(
    "transformer transformers model models dataset datasets benchmark benchmarks corpus checkpoint "
    "checkpoints family families series suite lm lms variant variants architecture network and or".split()
)


class TypeRefiner:
    """Merges recogniser, rule and abbreviation spans into typed, non-generic graph mentions.

    - recogniser labels map to graph types; Generic spans and generic phrases are dropped;
    - a rule span equal to a recogniser span retypes it; one that crosses or contains recogniser
      spans replaces them; one inside a recogniser span leaves it alone; others are added;
    - an acronym's long form and every use of its short form get one type, and are added where
      nothing else was found; among the graph's mentions, a use inside a longer mention is one
      more mention of the acronym (`nested_short_forms`).
    """

    def __init__(self, use_rules: bool = True, use_abbreviations: bool = True):
        self.use_rules = use_rules
        self.use_abbreviations = use_abbreviations

    def __call__(self, doc: Doc) -> Doc:
        chosen: dict[tuple[int, int], Span] = {}
        for part in (p for ent in doc.ents for p in _colon_parts(ent)):
            type_ = SCIERC_TO_GRAPH.get(part.label_)
            start, end = _trim(part)
            if type_ and end > start and not is_generic([t.text for t in doc[start:end]]):
                if doc[end - 1].lower_ in _DATASET_HEADS:
                    type_ = "Dataset"
                chosen[(start, end)] = Span(doc, start, end, label=type_, span_id="ner")
        if self.use_rules and RULES_KEY in doc.spans:
            self._unwrap_artefacts(doc, chosen, doc.spans[RULES_KEY])
            for rule in doc.spans[RULES_KEY]:
                self._merge_rule(doc, chosen, rule)
        unsupported: list[Span] = []
        if self.use_abbreviations and ABBR_LONG_KEY in doc.spans:
            unsupported = self._merge_abbreviations(doc, chosen)
        spans = sorted(chosen.values(), key=lambda s: s.start)
        doc.spans[ENTITIES_KEY] = spans
        if self.use_abbreviations:
            mentions = split_definitions(doc, spans)
            mentions += nested_short_forms(doc, mentions)
            taken = {i for s in mentions for i in range(s.start, s.end)}
            mentions += [s for s in unsupported if not taken.intersection(range(s.start, s.end))]
            spans = sorted(mentions, key=lambda s: s.start)
        if self.use_rules and RULES_KEY in doc.spans:
            spans = split_named(spans, doc.spans[RULES_KEY])
        doc.spans[MENTIONS_KEY] = spans
        return doc

    @staticmethod
    def _unwrap_artefacts(doc: Doc, chosen: dict, rules) -> None:
        """Drop recognised spans that only wrap named models or datasets in generic words
        ("the Pythia-70M transformer", "SST-2 and AGNews datasets"), so the names stand alone."""
        named = [r for r in rules if r.label_ in ("Model", "Dataset")]
        for k in list(chosen):
            within = [r for r in named if k[0] <= r.start and r.end <= k[1]]
            inside = {i for r in within for i in range(r.start, r.end)}
            if not inside or len(inside) == k[1] - k[0]:
                continue
            rest = [t.text for t in doc[k[0] : k[1]] if t.i not in inside and not t.is_punct]
            # "the PASCAL VOC 2007 dataset" stays whole, as SciERC marks it
            named_head = len(within) == 1 and k[1] == within[0].end + 1 and rest[-1].lower() in _DATASET_HEADS
            if is_generic(rest, _ARTEFACT_HEADS) and not named_head:
                del chosen[k]

    @staticmethod
    def _merge_rule(doc: Doc, chosen: dict, rule: Span) -> None:
        key = (rule.start, rule.end)
        overlapping = [k for k in chosen if k[0] < rule.end and rule.start < k[1]]
        if any(k[0] <= rule.start and rule.end <= k[1] and k != key for k in overlapping):
            return  # inside a longer recognised span
        for k in overlapping:
            del chosen[k]
        chosen[key] = Span(doc, rule.start, rule.end, label=rule.label_, kb_id=rule.kb_id_, span_id=rule.id_)

    @staticmethod
    def _merge_abbreviations(doc: Doc, chosen: dict) -> list[Span]:
        """Both forms of an acronym get one type; a form nothing else covers is added, and one
        that covers shorter spans replaces them. A longer span around a form stays as it is
        (SciERC marks `Additive Operator Splitting (AOS) techniques` as one mention); the graph's
        mentions split such spans later (see `split_definitions`).

        Pairs that neither the recogniser nor a rule found in any form are returned instead: they
        become graph mentions (every defined acronym is linked), not scored entity spans."""
        longs = {(s.start, s.end) for s in doc.spans[ABBR_LONG_KEY]}
        unsupported: list[Span] = []
        for spans in _acronym_forms(doc).values():
            type_, supported = _pair_type(chosen, spans, [s for s in spans if (s.start, s.end) in longs])
            if not supported:
                unsupported.extend(Span(doc, s.start, s.end, label=type_, span_id="abbreviation") for s in spans)
                continue
            for span in spans:
                key = (span.start, span.end)
                overlapping = [k for k in chosen if k[0] < span.end and span.start < k[1] and k != key]
                if any(not (span.start <= k[0] and k[1] <= span.end) for k in overlapping):
                    continue  # inside or across a longer span
                for k in overlapping:
                    del chosen[k]
                old = chosen.get(key)
                chosen[key] = Span(
                    doc, *key, label=type_, kb_id=old.kb_id_ if old else "", span_id=old.id_ if old else "abbreviation"
                )
        return unsupported


def _acronym_forms(doc: Doc) -> dict[str, list[Span]]:
    """Long forms and short forms (definitions and uses), by the short form they belong to."""
    forms: dict[str, list[Span]] = {}
    for span in [*doc.spans.get(ABBR_LONG_KEY, []), *doc.spans.get(ABBR_SHORT_KEY, [])]:
        forms.setdefault(span.label_, []).append(span)
    return forms


def split_definitions(doc: Doc, spans: list[Span]) -> list[Span]:
    """Mentions for the graph: a span holding an acronym definition (`convolutional neural
    networks (CNNs)`, `Additive Operator Splitting (AOS) techniques`, or one that starts inside
    the long form) gives way to the long form and the short form, each of the span's type."""
    # a definition's short form is the one right after its long form, inside the parenthesis
    definitions = [
        (long, short)
        for long in doc.spans.get(ABBR_LONG_KEY, [])
        for short in doc.spans.get(ABBR_SHORT_KEY, [])
        if short.label_ == long.label_ and 0 < short.start - long.end <= 3
    ]
    out = list(spans)
    for long, short in definitions:
        forms = {(long.start, long.end), (short.start, short.end)}
        holders = [  # looked up among the original spans: one span may hold two definitions
            s
            for s in spans
            if (s.start, s.end) not in forms
            and (s.start < short.end and short.start < s.end or (s.start <= long.start and long.end <= s.end))
        ]
        if not holders:
            continue
        type_ = holders[0].label_
        out = [s for s in out if not any(s.start < e and b < s.end for b, e in forms)]
        out += [Span(doc, b, e, label=type_, span_id="abbreviation") for b, e in sorted(forms)]
    return sorted(out, key=lambda s: s.start)


def nested_short_forms(doc: Doc, mentions: list[Span]) -> list[Span]:
    """Mentions for the graph: a use of a defined acronym inside a longer mention (`TopK vSAE`,
    `vSAE features`, `SAE Bench`) is also a mention of the acronym's entity, typed as its other
    mentions are; the longer mention stays as it is."""
    at = {(m.start, m.end): m for m in mentions}
    type_of: dict[str, str] = {}
    for form in [*doc.spans.get(ABBR_LONG_KEY, []), *doc.spans.get(ABBR_SHORT_KEY, [])]:
        mention = at.get((form.start, form.end))
        if mention is not None:
            type_of.setdefault(form.label_, mention.label_)
    out = []
    for short in doc.spans.get(ABBR_SHORT_KEY, []):
        key = (short.start, short.end)
        if short.label_ not in type_of or key in at:
            continue
        if any(m.start <= short.start and short.end <= m.end for m in mentions):
            out.append(Span(doc, short.start, short.end, label=type_of[short.label_], span_id="abbreviation"))
            at[key] = out[-1]
    return out


def _colon_parts(span: Span) -> list[Span]:
    """The span split at its colons, each side with its label: a colon separates a name from
    what follows (`MM-DREX: Multimodal-Driven Dynamic Routing of LLM Experts`, a title the
    recogniser took whole); no SciERC entity contains one."""
    cuts = [t.i for t in span if t.text == ":"]
    bounds = zip([span.start, *(c + 1 for c in cuts)], [*cuts, span.end])
    return [Span(span.doc, s, e, label=span.label) for s, e in bounds if e > s]


def _trim(span: Span) -> tuple[int, int]:
    """Token bounds without edge whitespace or punctuation (a closing bracket stays if opened inside)."""
    start, end = span.start, span.end
    doc = span.doc
    depth = 0
    for tok in doc[start:end]:  # an unbalanced bracket cuts the span there
        if tok.text in "([":
            depth += 1
        elif tok.text in ")]":
            if depth == 0:
                start = tok.i + 1
            depth = max(0, depth - 1)
    if depth:
        opens = [t.i for t in doc[start:end] if t.text in "(["]
        end = opens[-depth]
    while start < end and (doc[start].is_space or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        if doc[end - 1].text in ")]" and any(t.text in "([" for t in doc[start : end - 1]):
            break
        end -= 1
    return start, end


def _pair_type(chosen: dict, spans: list[Span], longs: list[Span]) -> tuple[str, bool]:
    """The type of an acronym pair, by votes: spans found exactly at one of its forms (rules count
    double), spans around its long form, and the long form's head word; and whether anything but
    the head word voted."""
    votes: dict[str, int] = {}
    for span in spans:
        found = chosen.get((span.start, span.end))
        if found is not None:
            votes[found.label_] = votes.get(found.label_, 0) + (2 if found.id_.startswith("rule") else 1)
    for (start, end), found in chosen.items():
        if any(start <= s.start and s.end <= end and (start, end) != (s.start, s.end) for s in longs):
            votes[found.label_] = votes.get(found.label_, 0) + 1
    supported = bool(votes)
    for span in longs:
        guess = head_type(span.text)
        if guess != "Concept":
            votes[guess] = votes.get(guess, 0) + 1
    return (max(sorted(votes), key=lambda label: votes[label]) if votes else "Concept"), supported


@Language.factory("paperkg_refine", default_config={"use_rules": True, "use_abbreviations": True})
def make_refiner(nlp: Language, name: str, use_rules: bool, use_abbreviations: bool) -> TypeRefiner:
    return TypeRefiner(use_rules, use_abbreviations)


# ---------------------------------------------------------------- the contextual teacher


@Language.factory("paperkg_teacher", default_config={"max_pieces": 256, "batch_size": 16, "threads": 1})
def make_teacher(nlp: Language, name: str, max_pieces: int, batch_size: int, threads: int):
    """A fine-tuned transformer as the recogniser of a teacher pipeline (extract/teacher.py);
    PyTorch is imported only when its weights load, so registering it costs nothing."""
    from paperkg.extract.teacher import TeacherRecogniser

    return TeacherRecogniser(name, max_pieces, batch_size, threads)
