"""Entity linking: which entity each mention of a paper names, across all papers in the store.

Linking happens in two steps, both deterministic:

1. Within a paper (`link_locally`): a name's key is `lookup_key` of its text, so case, plural,
   hyphen/spacing and LaTeX variants share one key (`GPT-2` = `GPT2`). An acronym the paper
   defines (`sparse autoencoders (SAEs)`) takes the key of its long form, so `SAE` is
   `sparse autoencoder` in that paper - and only there: `SA` can be `score aggregation` in one
   paper and `sentiment analysis` in another.
2. Across papers (`AcronymIndex`): an acronym a paper uses without defining it links to the one
   entity that papers define it for. While no paper defines it, or papers define it with different
   long forms, it stays an entity of its own (keyed by the acronym) and never glues unrelated
   entities together. Such mentions carry `pkg:acronymKey`, so when a later build adds the first
   (or a conflicting) definition, exactly those mentions move; the result equals a build of all
   papers at once.

An entity's IRI comes from its key, never from its type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeVar, cast

import pyoxigraph as ox

from paperkg.extract.records import Field, Mention, Paper, PaperExtraction, Sentence
from paperkg.kg.iris import entity_iri, mention_iri, one_base, paper_iri
from paperkg.kg.names import based_free, is_acronym_like, lookup_key, singular_surface
from paperkg.kg.quality import Quality, load_quality
from paperkg.kg.relations import RelationMention, relation_mentions
from paperkg.kg.roles import mention_role
from paperkg.kg.terms import Term, named, pkg, term_value
from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS

T = TypeVar("T")


@dataclass(frozen=True)
class LinkedMention:
    iri: ox.NamedNode
    mention: Mention
    type: str  # the type the extractor gave this mention
    role: str
    entity: ox.NamedNode
    acronym_key: str | None = None  # set on an acronym its paper does not define


@dataclass
class LinkedPaper:
    """A paper's sentences and mentions with the entity each mention is linked to."""

    iri: ox.NamedNode
    sentences: dict[tuple[str, int], Sentence]
    mentions: list[LinkedMention]
    # relations between mentions: they do not change when a mention is linked elsewhere
    relations: list[RelationMention] = field(default_factory=list)

    def entities(self) -> set[ox.NamedNode]:
        return {m.entity for m in self.mentions}

    def relinked(self, moves: dict[ox.NamedNode, ox.NamedNode]) -> LinkedPaper:
        """The same paper with the mentions in `moves` (mention IRI -> entity) linked elsewhere."""
        mentions = [replace(m, entity=moves.get(m.iri, m.entity)) for m in self.mentions]
        return LinkedPaper(self.iri, self.sentences, mentions, self.relations)


@dataclass
class LocalLinks:
    """The result of linking one paper on its own: entity keys, and acronyms still to resolve."""

    record: Paper  # the paper as read
    extractor: str  # the extractor's name and version
    paper: LinkedPaper
    keys: dict[ox.NamedNode, str]  # entity IRI -> key, for the entities decided in the paper
    pending: dict[ox.NamedNode, str] = field(default_factory=dict)  # mention IRI -> acronym key
    definitions: dict[str, set[str]] = field(default_factory=dict)  # acronym key -> long-form keys
    acronyms: dict[str, set[str]] = field(default_factory=dict)  # long-form key -> short forms
    generic_dropped: int = 0  # extracted names not linked because they name nothing
    form_keys: dict[str, str] = field(default_factory=dict)  # mention text -> its `lookup_key`


# What the writing process reads of a paper's local links, as an extraction worker sends it: plain
# values, not dataclasses holding pyoxigraph terms, and not the paper's sentences (its N-Quads hold
# them already, and the write never reads them). Each IRI is sent once, in a list the rest names by
# position: the writing process makes its terms with one `map` and looks none up by its text. A
# `Mention` goes as its fields' dict, which becomes the received one's own (unpickling a dict and
# setting it cost less than a tuple and `dict(zip(...))`, or pickle's rebuilding of the dataclass).
LinksWire = tuple


def links_to_wire(links: LocalLinks) -> LinksWire:
    """`links` as plain values, for `links_from_wire` in another process; not its sentences."""
    paper = links.paper
    iris: dict[str, int] = {}  # IRI -> its position in the list sent
    at = iris.setdefault  # `at(iri, len(iris))`: its position, a new one when first seen
    mentions = [
        (
            at(lm.iri.value, len(iris)),
            vars(lm.mention),
            lm.type,
            lm.role,
            at(lm.entity.value, len(iris)),
            lm.acronym_key,
        )
        for lm in paper.mentions
    ]
    relations = [
        (at(r.subject.value, len(iris)), r.relation, at(r.object.value, len(iris)), r.sentence, r.score, r.patterns)
        for r in paper.relations
    ]
    keys = [(at(e.value, len(iris)), key) for e, key in links.keys.items()]
    pending = [(at(m.value, len(iris)), key) for m, key in links.pending.items()]
    return (
        links.record,
        links.extractor,
        at(paper.iri.value, len(iris)),
        mentions,
        relations,
        keys,
        pending,
        links.definitions,
        links.acronyms,
        links.generic_dropped,
        links.form_keys,
        list(iris),
    )


def links_from_wire(wire: LinksWire) -> LocalLinks:
    """The `LocalLinks` that `links_to_wire` was given, its paper without sentences; an IRI that
    recurs (an entity several mentions name, a mention a relation joins) is one term."""
    record, extractor, paper, mentions, relations, keys, pending, definitions, acronyms, dropped, form_keys, iris = wire
    terms = list(map(ox.NamedNode, iris))
    linked = [
        _frozen(
            LinkedMention,
            {
                "iri": terms[iri],
                "mention": _frozen(Mention, mention),
                "type": mtype,
                "role": role,
                "entity": terms[entity],
                "acronym_key": acronym_key,
            },
        )
        for iri, mention, mtype, role, entity, acronym_key in mentions
    ]
    stated = [
        _frozen(
            RelationMention,
            {
                "subject": terms[s],
                "relation": r,
                "object": terms[o],
                "sentence": at,
                "score": score,
                "patterns": found,
            },
        )
        for s, r, o, at, score, found in relations
    ]
    return LocalLinks(
        record,
        extractor,
        LinkedPaper(terms[paper], {}, linked, stated),
        {terms[e]: key for e, key in keys},
        {terms[m]: key for m, key in pending},
        definitions,
        acronyms,
        dropped,
        form_keys,
    )


def _frozen(cls: type[T], values: dict[str, object]) -> T:
    """An instance of the frozen dataclass `cls` holding `values`, one for each of its fields:
    its `__init__` sets each field through `object.__setattr__`, which made a received paper's
    mentions cost a quarter more to build (measured; it has no `__post_init__` to skip)."""
    made = _new(cls)
    _set(made, "__dict__", values)
    return made


_new, _set = object.__new__, object.__setattr__


def link_locally(ex: PaperExtraction) -> LocalLinks:
    """Link a paper's mentions by what the paper itself says and the corpus's acronym evidence
    (`kg.quality`); generic names are not linked; acronyms nothing settles stay pending.

    A pure function of the extraction, so an extraction engine runs it in its workers."""
    with one_base():  # its IRIs under one base, read once, wherever it runs
        return _link_locally(ex)


def _link_locally(ex: PaperExtraction) -> LocalLinks:
    quality = load_quality()
    piri = paper_iri(ex.paper.key)
    definitions = _definitions(ex, quality)
    short_to_long, acronyms = definitions.short_to_long, definitions.acronyms
    sentences = _sentences(ex)
    staged: list[tuple[Mention, str, str, bool, bool]] = []  # mention, type, key, pending, established
    dropped = 0
    facts = {ent.name: _name_facts(ent.name) for ent in ex.entities}
    runs = _proper_runs(ex.paper, quality)
    generic = {}  # generic name -> whether a term of art qualifies it
    for ent in ex.entities:
        _, _, common_kind, qualified, *_ = facts[ent.name]
        if not ent.acronym and common_kind and not _proper_name_in(ent.mentions, runs):
            generic[ent.name] = qualified
    related = _related_phrases(ex, generic)
    for ent in ex.entities:
        name_key, curated_key, _, _, established, acronym_like, long_key, surface, known = facts[ent.name]
        if not name_key:
            continue
        mentions = ent.mentions
        if ent.name in generic:
            # a generic name ("downstream task") is no entity, save where the paper relates it to a name
            mentions = tuple(m for m in ent.mentions if (m.field, m.start, m.end) in related)
            if not mentions:
                dropped += 1  # its sentence stays evidence
                continue
        pending = False
        # a curated alias is its name's key (`ASR`, `automatic speech recognition`: speech recognition)
        key = short_to_long.get(name_key, curated_key)
        if key == name_key and acronym_like:
            if long_key is not None:  # the corpus says what it stands for: CNN is convolutional neural network
                key = long_key
                acronyms.setdefault(key, set()).add(surface)
            else:  # a name of its own (COCO), or unsettled: resolved against the store
                pending = not known
        for m in mentions:
            mtype = m.type if m.type in ENTITY_TYPES else ent.type if ent.type in ENTITY_TYPES else "Concept"
            staged.append((m, mtype, definitions.redirects.get(lookup_key(m.text), key), pending, established))
    staged.sort(key=lambda s: (s[0].field != "title", s[0].start, s[0].end, s[0].text, s[2]))
    links = LocalLinks(ex.paper, ex.extractor, LinkedPaper(piri, sentences, []), {}, generic_dropped=dropped)
    seen_spans = set()
    for m, mtype, key, pending, established in staged:
        span = (m.field, m.start, m.end)
        if span in seen_spans or m.end <= m.start:
            continue  # one entity per span: the extractor may offer the same span twice
        seen_spans.add(span)
        sentence = _sentence_of(m, sentences)
        if m.sentence != sentence.index:  # most mentions know their sentence: no copy to make
            m = replace(m, sentence=sentence.index)
        role = mention_role(
            sentence.text,
            m.start - sentence.start,
            m.end - sentence.start,
            mtype,
            in_title=m.field == "title",
            established=established,
        )
        if role == "evaluatesOn" and mtype in ("Concept", "Method") and _is_benchmark(m, sentence):
            mtype = "Dataset"  # a name papers evaluate on is a benchmark: `on Humanity's Last Exam`
        iri = mention_iri(piri, len(links.paper.mentions))
        entity = entity_iri(key)
        acronym_key = key if pending else None
        # built as `links_from_wire` builds it: 0.6 us a mention, its `__init__` 1.5-2.1 (measured)
        linked = {"iri": iri, "mention": m, "type": mtype, "role": role, "entity": entity, "acronym_key": acronym_key}
        links.paper.mentions.append(_frozen(LinkedMention, linked))
        if pending:
            links.pending[iri] = key
        else:
            links.keys[entity] = key
    links.paper.relations = relation_mentions(sentences, links.paper.mentions, ex.relations)
    # computed above already (lookup_key keeps them): sent along so the writing process need not
    links.form_keys = {lm.mention.text: lookup_key(lm.mention.text) for lm in links.paper.mentions}
    # a definition counts only when the paper names its long form: the entity must exist
    named = set(links.keys.values())
    for short_key, long_key in short_to_long.items():
        if long_key in named and short_key not in definitions.local:
            links.definitions.setdefault(short_key, set()).add(long_key)
            links.acronyms.setdefault(long_key, set()).update(acronyms[long_key])
    for long_key, shorts in acronyms.items():  # acronyms the corpus resolved or a nested phrase used
        if long_key in named and long_key not in short_to_long.values():
            links.acronyms.setdefault(long_key, set()).update(shorts)
    return links


# What linking reads of an entity's name that is the same in every paper (`_name_facts`), as plain
# values in a tuple, which the collector stops tracking: an object a name (a dataclass and its dict)
# nearly doubled the objects a worker's full collections walk (78,260 -> 148,493 after 2,000 arXiv
# abstracts, a full collection 30 -> 103 ms).
_NameFacts = tuple[str, str, bool, bool, bool, bool, str | None, str, bool]


# A worker meets the same names paper after paper (~13 entities an arXiv abstract, most of them seen
# before): what they say is worked out once per name and process, not once per paper.
@lru_cache(maxsize=65536)
def _name_facts(name: str) -> _NameFacts:
    """The `lookup_key` of the name's bare form (`_bare_name`) and that key's curated key; whether
    the bare form is generic (`Quality.is_common_kind`) and a term of art qualifies it
    (`_qualified`); whether the name names a term the field has (`Quality.is_named`); whether it is
    acronym-like and then the curated key of the long form the corpus establishes for it (None
    without one), its `singular_surface` and whether a vocabulary or the gazetteers list it as a
    name of its own (else None, "" and False)."""
    quality = load_quality()
    bare = _bare_name(name, quality)
    key = lookup_key(bare)
    common_kind = quality.is_common_kind(bare)
    acronym_like = is_acronym_like(name)
    long = quality.long_form(name) if acronym_like else None
    return (
        key,
        quality.curated_key(key),
        common_kind,
        common_kind and _qualified(bare, quality),
        quality.is_named(name),
        acronym_like,
        quality.curated_key(lookup_key(long)) if long else None,
        singular_surface(name.strip()) if acronym_like else "",
        acronym_like and quality.is_known_name(name),
    )


def _bare_name(name: str, quality: Quality) -> str:
    """`ImageNet dataset` is ImageNet, `object detection task` object detection, `OpenAI's o3` o3,
    `LLM-based agent` LLM agent: no generic names."""
    name = quality.maker_free_name(name) or name
    name = based_free(name) or name
    return quality.kind_head_name(name) or name


def _qualified(name: str, quality: Quality) -> bool:
    """Whether a generic phrase is a kind of thing qualified by a term of art ("text-to-speech
    conversion system", "staged pre-training strategy"), not by a common word ("synthetic data",
    "large-scale dataset") nor a generic phrase itself. A field the tables name qualifies too ("deep
    learning model", "AI system"): dropping those cost 0.17 typed relations per arXiv abstract (4.59
    -> 4.41 on 300) for one hub of the 150 biggest."""
    modifier = name.strip().rpartition(" ")[0]
    return bool(modifier) and not quality.is_common_kind(modifier)


# A capitalised run of words in running text between lower-case words: not a sentence's first word,
# not a title-cased name ("the Bias Benchmark for QA"), not capitalised list items ("Speed, Quality,
# and Usability"), not a capital fused to another word ("Transformer-based").
_PROPER_RUN = re.compile(r"(?<=[a-z] )(?:[A-Z][a-z]+ )*[A-Z][a-z]+(?=\s[a-z])")


def _proper_runs(paper: Paper, quality: Quality) -> list[tuple[int, int]]:
    """Where the abstract (a title capitalises every word) writes common words as a proper name: a
    `_PROPER_RUN` of words general English uses
    but the field's writing does not ("a hidden Markov model", "a Monte Carlo method", "Chinese
    texts"). The word tables are lower case, where "markov" and "chinese" look common. Words the
    field uses often, capitalised, coin a paper's own name for a part of its method ("the Forward
    Predictive Reasoning module") or stress a term ("Transformer model"), and say nothing new. A
    run with no word of the mention after it is a title-cased phrase ("Synthetic Data") or a word
    alone: a language or a place ("in Polish", "on Russian and Ukrainian") that the recogniser
    types a dataset, which the dataset questions would then answer with (two of GPT-4's ten on a
    10,000-abstract build)."""
    return [
        r.span()
        for r in _PROPER_RUN.finditer(paper.abstract or "")
        if not any(quality.is_common_in_field(word) for word in r.group().split())
    ]


def _proper_name_in(mentions: Iterable[Mention], runs: list[tuple[int, int]]) -> bool:
    """Whether a mention in the abstract holds one of `_proper_runs` before a lower-case word of its own."""
    return any(m.start <= start and end < m.end for m in mentions if m.field == "abstract" for start, end in runs)


def _related_phrases(ex: PaperExtraction, generic: dict[str, bool]) -> set[tuple[Field, int, int]]:
    """`(field, start, end)` of the mentions of qualified generic phrases (`generic`: name ->
    whether a term of art qualifies it) that the scorer relates to a mention of no generic name.
    Such a phrase ("text-to-speech conversion system") is what the paper relates the name to;
    a word of common kind ("features"), a phrase a common word qualifies ("synthetic data") or a
    relation between two generic phrases says nothing of a named thing, and kept as entities they
    would be hubs of unrelated papers."""
    qualified = {
        (m.field, m.start, m.end): generic[e.name] for e in ex.entities if e.name in generic for m in e.mentions
    }
    found = set()
    for r in ex.relations:
        a, b = (r.field, *r.subject), (r.field, *r.object)
        for this, other in ((a, b), (b, a)):
            if qualified.get(this) and other not in qualified:
                found.add(this)
    return found


_BENCHMARKS_BEFORE = re.compile(r"\bbenchmarks?\b[^.;:]{0,80}$", re.IGNORECASE)  # `benchmarks such as X`
_BENCHMARK_AFTER = re.compile(r"^\s*(?:\([^()]*\)\s*)?benchmarks?\b", re.IGNORECASE)  # `X (HLE) benchmark`


def _is_benchmark(m: Mention, sentence: Sentence) -> bool:
    """A name (`HLE`, `Humanity's Last Exam`: an acronym, or words that each begin with a capital)
    that its sentence calls a benchmark."""
    words = [w for w in m.text.split() if any(ch.isalpha() for ch in w)]
    if not (is_acronym_like(m.text) or (len(words) > 1 and all(w[0].isupper() for w in words))):
        return False
    start, end = m.start - sentence.start, m.end - sentence.start
    return bool(_BENCHMARKS_BEFORE.search(sentence.text[:start]) or _BENCHMARK_AFTER.match(sentence.text[end:]))


@dataclass
class _Definitions:
    short_to_long: dict[str, str]  # acronym key -> long-form key, as the paper defines it
    acronyms: dict[str, set[str]]  # long-form key -> short forms
    local: set[str]  # acronym keys whose definition here conflicts with the corpus: this paper only
    redirects: dict[str, str]  # acronym key -> the corpus's long-form key, for nested long forms


def _definitions(ex: PaperExtraction, quality: Quality) -> _Definitions:
    """The acronyms the paper defines, judged against the long forms the corpus establishes.

    A definition that agrees with the corpus, or defines an acronym the corpus does not know,
    counts for every paper. One that conflicts ("Conditional Co-occurrence (CoCo)"), or defines an
    acronym the corpus reads several ways (`MLM`), holds in this paper only. A long form that
    merely ends in the corpus's ("multi large language models (LLMs)") never takes the acronym:
    its uses link to the corpus's long form.
    """
    pairs = list(ex.abbreviations)
    pairs += [(e.acronym, e.name) for e in ex.entities if e.acronym]
    found = _Definitions({}, {}, set(), {})
    for short, long in sorted(pairs):
        short_key, long_key = lookup_key(short), quality.curated_key(lookup_key(long))
        if not short_key or not long_key or short_key == long_key or short_key in found.short_to_long:
            continue
        corpus = quality.long_form(short)
        corpus_key = quality.curated_key(lookup_key(corpus)) if corpus else long_key
        if corpus_key != long_key and long_key.endswith(corpus_key):
            found.redirects[short_key] = corpus_key
            found.acronyms.setdefault(corpus_key, set()).add(singular_surface(short.strip()))
            continue
        if corpus_key != long_key or quality.is_contested(short):
            found.local.add(short_key)
        found.short_to_long[short_key] = long_key
        found.acronyms.setdefault(long_key, set()).add(singular_surface(short.strip()))
    return found


def _sentences(ex: PaperExtraction) -> dict[tuple[str, int], Sentence]:
    sentences: dict[tuple[str, int], Sentence] = {(s.field, s.index): s for s in ex.sentences}
    for fld in ("title", "abstract"):
        text = getattr(ex.paper, fld) or ""
        if text and not any(f == fld for f, _ in sentences):
            sentences[(fld, 0)] = Sentence(fld, 0, 0, len(text), text)
    return sentences


def _sentence_of(m: Mention, sentences: dict[tuple[str, int], Sentence]) -> Sentence:
    """The mention's sentence: by index when it holds the span, else the one whose offsets do."""
    s = sentences.get((m.field, m.sentence))
    if s is not None and s.start <= m.start and m.end <= s.end:
        return s
    for (fld, _), s in sorted(sentences.items()):
        if fld == m.field and s.start <= m.start < s.end:
            return s
    return min((s for (fld, _), s in sentences.items() if fld == m.field), key=lambda s: s.index)


class AcronymIndex:
    """Which entities the store's papers define an acronym for (each acronym read once)."""

    def __init__(self, db: ox.Store):
        self._db = db
        self._stored: dict[str, dict[str, ox.NamedNode]] = {}

    def stored(self, acronym_key: str) -> dict[str, ox.NamedNode]:
        """Key -> IRI of the entities in the store that some paper defines `acronym_key` for."""
        if acronym_key not in self._stored:
            found: dict[str, ox.NamedNode] = {}
            for q in self._db.quads_for_pattern(None, pkg.lookupKey, ox.Literal(acronym_key)):
                e = named(q.subject)
                if any(
                    lookup_key(term_value(a.object)) == acronym_key
                    for a in self._db.quads_for_pattern(e, pkg.acronym, None)
                ):
                    for k in self._db.quads_for_pattern(e, pkg.key, None):
                        found[term_value(k.object)] = e
            self._stored[acronym_key] = found
        return self._stored[acronym_key]


def resolve_acronym(acronym_key: str, definers: Iterable[str]) -> str:
    """The key an undefined acronym links to: the one long form defined for it, else itself."""
    definers = set(definers)
    return next(iter(definers)) if len(definers) == 1 else acronym_key


def mentions_with_acronym_key(db: ox.Store, acronym_key: str) -> dict[ox.NamedNode, ox.NamedNode]:
    """Mention IRI -> paper IRI for the stored mentions of the undefined acronym `acronym_key`."""
    found: dict[ox.NamedNode, ox.NamedNode] = {}
    for q in db.quads_for_pattern(None, pkg.acronymKey, ox.Literal(acronym_key)):
        for p in db.quads_for_pattern(q.subject, pkg.paper, None):
            found[named(q.subject)] = named(p.object)
    return found


def load_linked_paper(db: ox.Store, paper: ox.NamedNode) -> LinkedPaper:
    """A stored paper's sentences and linked mentions, as `link_locally` made them."""
    sentences: dict[tuple[str, int], Sentence] = {}
    mentions = []
    nodes: dict[ox.NamedNode, dict[str, Term]] = {}
    for q in db.quads_for_pattern(None, pkg.paper, paper):
        # every predicate of a mention or sentence ends in "#name", and no name repeats
        nodes[named(q.subject)] = {
            p.predicate.value.rsplit("#", 1)[1]: p.object for p in db.quads_for_pattern(q.subject, None, None)
        }
    for props in nodes.values():
        if props["type"] == pkg.Sentence:
            s = Sentence(
                _field(props["field"]),
                int(term_value(props["sentenceIndex"])),
                int(term_value(props["start"])),
                int(term_value(props["end"])),
                term_value(props["value"]),
            )
            sentences[(s.field, s.index)] = s
    for node, props in nodes.items():
        if props["type"] == pkg.Mention:
            mtype = term_value(props["entityType"])[len(PKG_NS) :]
            sentence = nodes[named(props["sentence"])]
            m = Mention(
                term_value(props["exact"]),
                _field(sentence["field"]),
                int(term_value(props["start"])),
                int(term_value(props["end"])),
                int(term_value(sentence["sentenceIndex"])),
                mtype,
                term_value(props["extractor"]),
            )
            ak = props.get("acronymKey")
            mentions.append(
                LinkedMention(
                    node,
                    m,
                    mtype,
                    term_value(props["role"])[len(PKG_NS) :],
                    named(props["hasBody"]),
                    term_value(ak) if ak is not None else None,
                )
            )
    mentions.sort(key=lambda lm: int(lm.iri.value.rsplit("/m", 1)[1]))
    relations = [
        RelationMention(
            named(props["subjectMention"]),
            term_value(props["relation"])[len(PKG_NS) :],
            named(props["objectMention"]),
            _sentence_key(nodes[named(props["sentence"])]),
            float(term_value(props["score"])) if "score" in props else None,
            frozenset(term_value(props["pattern"]).split()) if "pattern" in props else frozenset(),
        )
        for props in nodes.values()
        if props["type"] == pkg.RelationMention
    ]
    relations.sort(key=lambda r: (r.sentence, r.subject.value, r.relation, r.object.value))
    return LinkedPaper(paper, sentences, mentions, relations)


def _sentence_key(props: dict[str, Term]) -> tuple[str, int]:
    return term_value(props["field"]), int(term_value(props["sentenceIndex"]))


def _field(term: Term) -> Field:
    """A stored `pkg:field` literal; `link_locally` only ever writes a `Field`."""
    return cast(Field, term_value(term))
