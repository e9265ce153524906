"""`paperkg_refine`: recogniser, rule and abbreviation spans merged into typed graph mentions."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.doc_text import set_mentions, token_flags, token_texts
from paperkg.extract.keys import ABBR_LONG_KEY, ABBR_SHORT_KEY, ENTITIES_KEY, FIELD_BREAK, RULES_KEY
from paperkg.extract.naming import ARTEFACT_HEADS, DATASET_HEADS, is_generic_reference
from paperkg.extract.scierc import SCIERC_TO_GRAPH

VOCABULARY_RULE = "rule:vocabulary"  # the id of `paperkg_rules`' spans of the vocabularies' names

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


def title_of(doc: Doc) -> Span | None:
    """The paper's title, the first sentence when a field break ends it (`paperkg_sentences` ends
    the title there); None when the text starts with the abstract, or has no sentences."""
    if not doc.has_annotation("SENT_START"):
        return None
    title = next(doc.sents, None)
    if title is None or FIELD_BREAK not in title[-1].text + title[-1].whitespace_:
        return None
    return title


# a word of a title's purpose phrase: capitalised (`Financial`, `Text-driven`), an acronym or a
# number (`UAV`, `3D`); a lower-case word (`in`, `with`, `and`) ends the phrase
_TITLE_WORD = re.compile(r"^[A-Z0-9][\w'-]*$")


def title_purpose(doc: Doc) -> Span | None:
    """The task a `METHOD for TASK` title names (`MM-DREX: ... Dynamic Routing of LLM Experts for
    Financial Trading`, `... for Intent Recognition in Low-Resource Languages`): the capitalised words
    after the title's last `for`, when their head is a task's (`head_type`) or a gerund no
    method's head claims (`Trading`, `Grounding`, `Decision-Making`); `for Transformers`, `for
    Few-Shot Class-Incremental Learning` and `for the Metaverse` name none. Found only where the
    recogniser and the rules found nothing (`TypeRefiner`): on 2,000 arXiv titles, 85 of 362. A Task span with the
    rule's id (`rule:purpose`)."""
    title = title_of(doc)
    if title is None:
        return None
    texts = token_texts(doc)  # the title's words without a Token made for each
    words = texts[title.start : title.end]
    if "for" not in words:
        return None
    start = end = title.end - words[::-1].index("for")  # after the last `for`
    while end < title.end and _TITLE_WORD.match(texts[end]):
        end += 1
    # a gerund first is a verb: `for Evaluating Image-to-Code Generation` names the generation,
    # `for Mapping the Capability Boundaries`, `for Detecting and Restoring ...` name nothing
    if end - start > 1 and _gerund(doc[start]):
        start += 1
    elif end - start == 1 and end < title.end and doc[end].lower_ in ("the", "a", "an", "and", "&"):
        return None
    if end == start:
        return None
    phrase = doc[start:end]
    guess = head_type(phrase.text)
    if guess == "Task" or (guess == "Concept" and _gerund(phrase[-1])):
        return Span(doc, start, end, label="Task", span_id="rule:purpose")
    return None


def _gerund(token) -> bool:
    return token.lower_.endswith("ing") and len(token) > 4


def names_collection(span: Span) -> bool:
    """True when a phrase's head word says it is a collection of data (`finite state machine
    dataset`, `IMHI evaluation benchmark`): the graph types it Dataset whatever the recogniser
    said."""
    return is_collection_head(span[-1].text)


def is_collection_head(word: str) -> bool:
    """`names_collection` of a phrase whose last word is `word`."""
    return word.lower() in DATASET_HEADS


# Heads of phrases that name a kind of data, not a collection of it: "the medical domain",
# "histopathology images", "unstructured text data". SciERC's Material takes them, so a teacher
# labels them Material; the silver is retyped by them (`silver.retype`).
_MODALITY_HEADS = frozenset(
    """domain domains image images imagery video videos footage data text texts content audio speech
    modality modalities signal signals recording recordings scan scans""".split()
)


def is_modality(span: Span) -> bool:
    """True for a phrase of common words ending in a modality head (`histopathology images`,
    `speech and text modalities`): a kind of data, not a Dataset. A name among its words
    (`WSJ test data`, `Waymo images`, `3D scans`) keeps it a candidate."""
    return span[-1].lower_ in _MODALITY_HEADS and all(_common_word(t) for t in span)


def is_common_phrase(span: Span) -> bool:
    """True for a phrase of common words only (`financial markets`, `pulmonary diseases`, `fungi`,
    `histopathology images`): a kind of thing, not a named Dataset. With a collection head it
    describes one (`a large-scale benchmark`, `public datasets`, `a synthetic dataset`, `the
    finite state machine dataset`) and names none: 20 of 20 such Datasets drawn from 2,000 arXiv
    abstracts (docs/extraction.md). A name or a digit among its words (`WSJ test data`, `3D
    scans`, `IMHI evaluation benchmark`) keeps it a candidate."""
    return all(_common_word(t) for t in span)


def kind_concepts(
    doc: Doc, entities: list[Span], mentions: list[Span], longs: list[Span], shorts: list[Span]
) -> list[Span]:
    """Graph mentions with the recogniser's Datasets that are kinds of things (`is_common_phrase`)
    typed Concept, and with them the acronym they define (`whole slide images (WSI)`). A span of
    the gazetteers or of a `NAME dataset` rule stays a Dataset, and so does an acronym's long form
    when a span naming a collection holds one of its forms (`interpretable mental health
    instruction (IMHI) dataset`, `the IMHI evaluation benchmark`): that phrase names it, unless
    the long form is a kind of data (`is_modality`: `WSI datasets` are datasets of whole slide
    images).
    Only the graph's mentions change: the entity spans keep SciERC's sense of Material, which
    counts "images", "speech" and "news articles" (docs/extraction.md has what typing them
    Concept there costs). `longs` and `shorts`: the Doc's `acronym_spans`."""
    acronym_forms = [*longs, *shorts]
    forms = {(f.start, f.end): f.label_ for f in acronym_forms}
    texts = token_texts(doc)  # `names_collection` of each span from its last word's text, no Token made
    named = {
        f.label_
        for s in [*entities, *mentions]
        if is_collection_head(texts[s.end - 1])
        for f in acronym_forms
        if s.start <= f.start and f.end <= s.end
    }
    kinds = {
        (m.start, m.end)
        for m in mentions
        if m.label_ == "Dataset"
        and not m.id_.startswith("rule")
        and is_common_phrase(m)
        and (is_modality(m) or forms.get((m.start, m.end)) not in named)
    }
    acronyms = {forms[k] for k in kinds if k in forms}
    return [
        Span(doc, m.start, m.end, label="Concept", kb_id=m.kb_id_, span_id=m.id_)
        if m.label_ == "Dataset" and ((m.start, m.end) in kinds or forms.get((m.start, m.end)) in acronyms)
        else m
        for m in mentions
    ]


def _common_word(token) -> bool:
    """A lower-case word (hyphens allowed), capitalised only as a sentence's first word; or
    punctuation inside a phrase."""
    text = token.text
    if token.is_punct:
        return True
    if not text.replace("-", "").isalpha():
        return False
    return text.islower() or (token.is_sent_start and text[1:].islower())


def _named_artefacts(rules) -> list[Span]:
    """The rules' named models and datasets that may stand alone inside a longer span; not the
    vocabularies' names, which only fill gaps: inside `AIME 2024`, `RadGraph F1` or `R-Sparse
    R-CNN` they are part of another name."""
    return [r for r in rules if r.label_ in ("Model", "Dataset") and r.id_ != VOCABULARY_RULE]


def split_named(spans: list[Span], rules) -> list[Span]:
    """Mentions for the graph: named models and datasets inside a longer span stand alone
    (`MedQA clinical cases` -> `MedQA`, `IMDb datasets` -> `IMDb`), with the rule's type and name."""
    named = _named_artefacts(rules)
    out = []
    for span in spans:
        inner = [r for r in named if span.start <= r.start and r.end <= span.end and len(r) < len(span)]
        out.extend(inner or [span])
    return out


# what a bracket at the end of a recognised span may hold to be a name of its own: one word with a
# capital (`Gaussian Splatting (3DGS)`, `masked language model (SciBERT)`), not a gloss (`(color image)`)
_BRACKETED_NAME = re.compile(r"^(?![vV]\d)[\w.&/+-]*[A-Z][\w.&/+-]*$")  # a version (`V1.0`) is no name


def split_brackets(spans: list[Span]) -> list[Span]:
    """Mentions for the graph: a recognised span that ends in a bracket it opened after its start
    (`Action Gradient Reward (ARG)`, `3D point clouds (ScanObjectNN)`, `intrinsic (biological)`,
    where `paperkg_abbreviations` found no definition) names what stands before the bracket; a
    one-word name in the bracket is a mention of its own, of the same type. A bracket inside the
    span (`end-to-end (E2E) model`) stays, as SciERC marks such phrases."""
    out = []
    texts = token_texts(spans[0].doc) if spans else []
    for span in spans:
        # the brackets from the Doc's token texts (each token read from a Span is a new Token), and
        # only for a recognised span that ends in one
        inner = range(span.start + 1, span.end - 1)
        if span.id_ != "ner" or texts[span.end - 1] != ")" or len(opened := [i for i in inner if texts[i] == "("]) != 1:
            out.append(span)
            continue
        doc, start, open_ = span.doc, span.start, opened[0]
        before = Span(doc, start, open_, label=span.label_, span_id=span.id_)
        inside = doc[open_ + 1 : span.end - 1]
        out.append(before)
        if len(inside) == 1 and _BRACKETED_NAME.match(inside.text):
            out.append(Span(doc, inside.start, inside.end, label=span.label_, span_id=span.id_))
    return out


def _typed(doc: Doc, ent: Span, start: int, end: int, type_: str) -> Span:
    """The recognised span `ent`'s part `start`-`end` as a mention of type `type_`: `ent` itself
    relabelled when the part is all of it (most are), which spares the three Tokens a new Span makes
    (`doc.ents` makes its Spans anew at every read: relabelling one changes no entity)."""
    if (start, end) != (ent.start, ent.end) or ent.kb_id:
        return Span(doc, start, end, label=type_, span_id="ner")
    ent.label_ = type_
    ent.id_ = "ner"
    return ent


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
        texts, flags = token_texts(doc), token_flags(doc)
        longs, shorts = acronym_spans(doc)
        # the recognised spans' parts as token bounds: a Span made for each part, and for each part
        # trimmed, cost a quarter of this component's time
        for ent in doc.ents:
            graph_type = SCIERC_TO_GRAPH.get(ent.label_)
            if not graph_type:
                continue
            for part_start, part_end in _colon_parts(texts, ent.start, ent.end):
                start, end = _trim(texts, flags, part_start, part_end)
                if end > start and not is_generic_reference(texts[start:end]):
                    type_ = "Dataset" if is_collection_head(texts[end - 1]) else graph_type
                    chosen[(start, end)] = _typed(doc, ent, start, end, type_)
        rules = list(doc.spans[RULES_KEY]) if self.use_rules and RULES_KEY in doc.spans else None  # read once
        if rules is not None:
            self._unwrap_artefacts(doc, chosen, rules)
            for rule in rules:
                self._merge_rule(chosen, rule)
            purpose = title_purpose(doc)  # only where the recogniser and the rules found nothing
            if purpose is not None and not any(k[0] < purpose.end and purpose.start < k[1] for k in chosen):
                chosen[(purpose.start, purpose.end)] = purpose
        unsupported: list[Span] = []
        if self.use_abbreviations and ABBR_LONG_KEY in doc.spans:
            unsupported = self._merge_abbreviations(doc, chosen, longs, shorts)
        spans = entities = sorted(chosen.values(), key=lambda s: s.start)
        doc.spans[ENTITIES_KEY] = entities
        if self.use_abbreviations:
            mentions = split_definitions(doc, spans, definitions(longs, shorts))
            mentions += nested_short_forms(doc, mentions, longs, shorts)
            taken = {i for s in mentions for i in range(s.start, s.end)}
            mentions += [s for s in unsupported if not taken.intersection(range(s.start, s.end))]
            mentions = acronym_stems(doc, mentions, longs, shorts)
            spans = sorted(mentions, key=lambda s: s.start)
        if rules is not None:
            spans = split_named(spans, rules)
        spans = split_brackets(spans)
        set_mentions(doc, kind_concepts(doc, entities, spans, longs, shorts))
        return doc

    @staticmethod
    def _unwrap_artefacts(doc: Doc, chosen: dict, rules) -> None:
        """Drop recognised spans that only wrap named models or datasets in generic words
        ("the Pythia-70M transformer", "SST-2 and AGNews datasets"), so the names stand alone."""
        named = _named_artefacts(rules)
        for k in list(chosen):
            within = [r for r in named if k[0] <= r.start and r.end <= k[1]]
            inside = {i for r in within for i in range(r.start, r.end)}
            if not inside or len(inside) == k[1] - k[0]:
                continue
            rest = [t.text for t in doc[k[0] : k[1]] if t.i not in inside and not t.is_punct]
            # "the PASCAL VOC 2007 dataset" stays whole, as SciERC marks it
            named_head = len(within) == 1 and k[1] == within[0].end + 1 and rest[-1].lower() in DATASET_HEADS
            if is_generic_reference(rest, ARTEFACT_HEADS) and not named_head:
                del chosen[k]

    @staticmethod
    def _merge_rule(chosen: dict, rule: Span) -> None:
        key = (rule.start, rule.end)
        overlapping = [k for k in chosen if k[0] < rule.end and rule.start < k[1]]
        if any(k[0] <= rule.start and rule.end <= k[1] and k != key for k in overlapping):
            return  # inside a longer recognised span
        if rule.id_ == VOCABULARY_RULE and any(k != key for k in overlapping):
            return  # a vocabulary's name fills a gap or types a span; it never cuts one
        for k in overlapping:
            del chosen[k]
        chosen[key] = rule  # the rule's own span: a copy of it made three Tokens and three string lookups

    @staticmethod
    def _merge_abbreviations(doc: Doc, chosen: dict, longs: list[Span], shorts: list[Span]) -> list[Span]:
        """Both forms of an acronym get one type; a form nothing else covers is added, and one
        that covers shorter spans replaces them. A longer span around a form stays as it is
        (SciERC marks `Additive Operator Splitting (AOS) techniques` as one mention); the graph's
        mentions split such spans later (see `split_definitions`).

        Pairs that neither the recogniser nor a rule found in any form are returned instead: they
        become graph mentions (every defined acronym is linked), not scored entity spans."""
        long_bounds = {(s.start, s.end) for s in longs}
        unsupported: list[Span] = []
        for spans in _acronym_forms(longs, shorts).values():
            type_, supported = _pair_type(chosen, spans, [s for s in spans if (s.start, s.end) in long_bounds])
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


def acronym_spans(doc: Doc) -> tuple[list[Span], list[Span]]:
    """The long forms and the short forms (definitions and uses) `paperkg_abbreviations` found, read
    once for all the steps that look at them: a span group makes its Spans anew at every read."""
    return list(doc.spans.get(ABBR_LONG_KEY, [])), list(doc.spans.get(ABBR_SHORT_KEY, []))


def _acronym_forms(longs: list[Span], shorts: list[Span]) -> dict[str, list[Span]]:
    """Long forms and short forms (definitions and uses), by the short form they belong to."""
    forms: dict[str, list[Span]] = {}
    for span in [*longs, *shorts]:
        forms.setdefault(span.label_, []).append(span)
    return forms


def definitions(longs: list[Span], shorts: list[Span]) -> list[tuple[Span, Span]]:
    """The (long form, short form) pairs `paperkg_abbreviations` found where the acronym is
    defined: the short form right next to its long form, with the parenthesis between (`long form
    (SF)` or `SF (long form)`), not its later uses; `longs` and `shorts` as `acronym_spans`."""
    return [
        (long, short)
        for long in longs
        for short in shorts
        if short.label_ == long.label_ and (0 < short.start - long.end <= 3 or 0 < long.start - short.end <= 3)
    ]


def defined_collections(doc: Doc) -> list[Span]:
    """Phrases naming a collection of data by an acronym definition (`paperkg_abbreviations`' span
    groups): a definition whose closing parenthesis is followed by a collection head
    (`interpretable mental health instruction (IMHI) dataset`, `the Fields of The World (FTW)
    benchmark`), from the definition's first word to the head; and a later use of such an acronym
    followed by one or two lower-case words and a collection head (`the IMHI evaluation
    benchmark`; `the IMHI dataset` is the rules' `NAME dataset` pattern's). Spans labelled
    Dataset, with the rule's id (`rule:defined`), in text order.

    The rules' `NAME dataset` pattern cannot find these: its name tokens stop at the parenthesis
    and at a lower-case word. `paperkg_rules` adds them to its spans at run time; marking them in
    the silver as well did not teach a student the pattern (docs/extraction.md)."""
    found: list[Span] = []
    collections: dict[str, int] = {}  # acronym -> the token after its definition's head
    longs, shorts = acronym_spans(doc)
    for long, short in definitions(longs, shorts):
        end = max(long.end, short.end)
        head = end + 1  # after the closing parenthesis
        if head >= len(doc) or doc[end].text != ")" or doc[head].lower_ not in DATASET_HEADS:
            continue
        if head + 1 < len(doc) and doc[head + 1].lower_ in DATASET_HEADS:
            head += 1  # `the Quad-State Tornado Damage (QSTD) benchmark dataset`
        # the data of a task or of a kind, not one collection: a plural head (`Magnetic Resonance
        # Imaging (MRI) datasets`, `multi-view photometric stereo (MVPS) benchmark datasets`: 11 of
        # 14 plural heads of 20,000 arXiv abstracts), or a long form in common words naming a task or method
        # (`question answering (QA) benchmark`); a capitalised one is mostly a name (`Multi-Hop
        # Question Answering (MHQA) benchmark`, `Financial Instruction Tuning (FIT) dataset`)
        if doc[head].lower_ in ("datasets", "benchmarks", "corpora") or (
            is_common_phrase(long) and head_type(long.text) != "Concept"
        ):
            continue
        found.append(Span(doc, min(long.start, short.start), head + 1, label="Dataset", span_id="rule:defined"))
        collections.setdefault(short.label_, head + 1)
    for use in shorts:
        if use.start < collections.get(use.label_, len(doc)):
            continue  # not a defined collection's acronym, or not after its definition
        words = 0
        while use.end + words < len(doc) and words < 2 and _lower_word(doc[use.end + words]):
            words += 1
        head = use.end + words
        if words and head < len(doc) and doc[head].lower_ in DATASET_HEADS:
            found.append(Span(doc, use.start, head + 1, label="Dataset", span_id="rule:defined"))
    return sorted(found, key=lambda s: s.start)


def _lower_word(token) -> bool:
    """A lower-case word, hyphens allowed, that is neither a stop word (`we use GRW to establish
    benchmarks`) nor a collection head."""
    return (
        token.is_lower
        and not token.is_stop
        and token.text.replace("-", "").isalpha()
        and token.lower_ not in DATASET_HEADS
    )


def split_definitions(doc: Doc, spans: list[Span], defined: list[tuple[Span, Span]]) -> list[Span]:
    """Mentions for the graph: a span holding an acronym definition (`convolutional neural
    networks (CNNs)`, `EMMA (Efficient Multi-Modal Adaptation)`, `Additive Operator Splitting (AOS)
    techniques`, or one that starts inside the long form) gives way to the long form and the short
    form, each of the span's type. `defined`: the Doc's `definitions`."""
    out = list(spans)
    for long, short in defined:
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


def nested_short_forms(doc: Doc, mentions: list[Span], longs: list[Span], shorts: list[Span]) -> list[Span]:
    """Mentions for the graph: a use of a defined acronym inside a longer mention (`TopK vSAE`,
    `vSAE features`, `SAE Bench`) is also a mention of the acronym's entity, typed as its other
    mentions are; the longer mention stays as it is."""
    at = {(m.start, m.end): m for m in mentions}
    type_of: dict[str, str] = {}
    for form in [*longs, *shorts]:
        mention = at.get((form.start, form.end))
        if mention is not None:
            type_of.setdefault(form.label_, mention.label_)
    out = []
    for short in shorts:
        key = (short.start, short.end)
        if short.label_ not in type_of or key in at:
            continue
        if any(m.start <= short.start and short.end <= m.end for m in mentions):
            out.append(Span(doc, short.start, short.end, label=type_of[short.label_], span_id="abbreviation"))
            at[key] = out[-1]
    return out


def acronym_stems(doc: Doc, mentions: list[Span], longs: list[Span], shorts: list[Span]) -> list[Span]:
    """Mentions for the graph: a recogniser's mention that is the stem of a defined acronym, its
    part before a hyphen, takes the acronym's type when the stem is not defined itself (`a prior
    work on CD` beside `contextual decomposition for transformers (CD-T)`: a paper names the work
    it extends by the stem, and the recogniser, seeing a bare acronym, may call it anything)."""
    forms = [*longs, *shorts]
    at = {(m.start, m.end): m for m in mentions}
    defined = {f.label_ for f in forms}
    stems: dict[str, str] = {}
    for form in forms:
        stem, hyphen, _ = form.label_.partition("-")
        mention = at.get((form.start, form.end))
        if hyphen and len(stem) > 1 and stem.isupper() and stem not in defined and mention is not None:
            stems.setdefault(stem, mention.label_)
    if not stems:  # most Docs: no mention's text to read (a Span's text makes a Token of each of its tokens)
        return list(mentions)
    return [
        Span(doc, m.start, m.end, label=stems[m.text], kb_id=m.kb_id_, span_id=m.id_)
        if m.id_ == "ner" and m.text in stems
        else m
        for m in mentions
    ]


def _colon_parts(texts: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The token bounds of a span (`texts`: its Doc's token texts) split at its colons: a colon
    separates a name from what follows (`MM-DREX: Multimodal-Driven Dynamic Routing of LLM
    Experts`, a title the recogniser took whole); no SciERC entity contains one."""
    if ":" not in texts[start:end]:  # most spans
        return [(start, end)]
    cuts = [i for i in range(start, end) if texts[i] == ":"]
    bounds = zip([start, *(c + 1 for c in cuts)], [*cuts, end])
    return [(s, e) for s, e in bounds if e > s]


# a result value the recogniser glued to a name ("45.9% accuracy", "2.69\\% gain", "+10.1% accuracy",
# "Identification Rate of 84.34%", "F1 scores (F1=0.16)"); a whole number stays ("20 Newsgroups"
# is a name)
_VALUE = re.compile(r"^[+\-~±]?(?:\d[\d,]*\.\d+(?:\\?%)?|[\d.,]*\d\\?%|\\?%)$|^[\w@-]+=[+\-]?[\d.,]*\d\\?%?$")
_VALUE_LINKS = frozenset({"of", "at", "=", "~", "by"})  # "a rate of 84.34%": the value's link word


def _trim(texts: list[str], flags: tuple[list[int], list[int]], start: int, end: int) -> tuple[int, int]:
    """The token bounds `start`, `end` of a Doc without edge whitespace or punctuation (a closing
    bracket stays if opened inside), and without result values at either end: a value is not part
    of a name. `texts` and `flags` are the Doc's `token_texts` and `token_flags`: a Token made for
    each look cost a fifth of the component's time."""
    space, punct = flags
    depth = 0
    for i in range(start, end):  # an unbalanced bracket cuts the span there
        if texts[i] in "([":
            depth += 1
        elif texts[i] in ")]":
            if depth == 0:
                start = i + 1
            depth = max(0, depth - 1)
    if depth:
        opens = [i for i in range(start, end) if texts[i] in "(["]
        end = opens[-depth]
    while start < end and (space[start] or punct[start] or _VALUE.match(texts[start])):
        start += 1
    while end > start:
        last = end - 1
        opened = [i for i in range(start, last) if texts[i] in "(["]
        if texts[last] in ")]" and opened:
            if not all(_VALUE.match(texts[i]) or punct[i] for i in range(opened[-1] + 1, last)):
                break
            end = opened[-1]  # a bracket holding only values: "(F1=0.16)"
        elif _VALUE.match(texts[last]):
            end -= 1
            while end > start and texts[end - 1].lower() in _VALUE_LINKS:  # a token's lower_
                end -= 1
        elif space[last] or punct[last]:
            end -= 1
        else:
            break
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
