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

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from paperkg.extract.records import Mention, PaperExtraction, Sentence
from paperkg.kg.identity import entity_iri, mention_iri, paper_iri
from paperkg.kg.names import is_acronym_like, lookup_key, singular_surface
from paperkg.kg.roles import mention_role
from paperkg.kg.terms import pkg
from paperkg.schema.namespaces import ENTITY_TYPES, PKG_NS


@dataclass(frozen=True)
class LinkedMention:
    iri: ox.NamedNode
    mention: Mention
    type: str  # the type the extractor gave this mention
    role: str
    entity: ox.NamedNode
    acronym_key: str | None = None  # set on an acronym its paper does not define
    build: ox.NamedNode | None = None


@dataclass
class LinkedPaper:
    """A paper's sentences and mentions with the entity each mention is linked to."""

    iri: ox.NamedNode
    sentences: dict[tuple[str, int], Sentence]
    mentions: list[LinkedMention]

    def entities(self) -> set[ox.NamedNode]:
        return {m.entity for m in self.mentions}

    def relinked(self, moves: dict[ox.NamedNode, ox.NamedNode]) -> LinkedPaper:
        """The same paper with the mentions in `moves` (mention IRI -> entity) linked elsewhere."""
        mentions = [replace(m, entity=moves.get(m.iri, m.entity)) for m in self.mentions]
        return LinkedPaper(self.iri, self.sentences, mentions)


@dataclass
class LocalLinks:
    """The result of linking one paper on its own: entity keys, and acronyms still to resolve."""

    extraction: PaperExtraction
    paper: LinkedPaper
    keys: dict[ox.NamedNode, str]  # entity IRI -> key, for the entities decided in the paper
    pending: dict[ox.NamedNode, str] = field(default_factory=dict)  # mention IRI -> acronym key
    definitions: dict[str, set[str]] = field(default_factory=dict)  # acronym key -> long-form keys
    acronyms: dict[str, set[str]] = field(default_factory=dict)  # long-form key -> short forms


def link_locally(ex: PaperExtraction) -> LocalLinks:
    """Link a paper's mentions by what the paper itself says; undefined acronyms stay pending."""
    piri = paper_iri(ex.paper.key)
    short_to_long, acronyms = _definitions(ex)
    sentences = _sentences(ex)
    staged: list[tuple[Mention, str, str, bool]] = []  # mention, type, key, pending
    for ent in ex.entities:
        name_key = lookup_key(ent.name)
        if not name_key:
            continue
        pending = False
        key = short_to_long.get(name_key, name_key)
        if key == name_key and is_acronym_like(ent.name):
            pending = True
        for m in ent.mentions:
            mtype = m.type if m.type in ENTITY_TYPES else ent.type if ent.type in ENTITY_TYPES else "Concept"
            staged.append((m, mtype, key, pending))
    staged.sort(key=lambda s: (s[0].field != "title", s[0].start, s[0].end, s[0].text, s[2]))
    links = LocalLinks(ex, LinkedPaper(piri, sentences, []), {})
    seen_spans = set()
    for m, mtype, key, pending in staged:
        span = (m.field, m.start, m.end)
        if span in seen_spans or m.end <= m.start:
            continue  # one entity per span: the extractor may offer the same span twice
        seen_spans.add(span)
        sentence = _sentence_of(m, sentences)
        m = replace(m, sentence=sentence.index)
        role = mention_role(
            sentence.text,
            m.start - sentence.start,
            m.end - sentence.start,
            mtype,
            in_title=m.field == "title",
        )
        iri = mention_iri(piri, len(links.paper.mentions))
        entity = entity_iri(key)
        links.paper.mentions.append(LinkedMention(iri, m, mtype, role, entity, key if pending else None))
        if pending:
            links.pending[iri] = key
        else:
            links.keys[entity] = key
    # a definition counts only when the paper names its long form: the entity must exist
    named = set(links.keys.values())
    for short_key, long_key in short_to_long.items():
        if long_key in named:
            links.definitions.setdefault(short_key, set()).add(long_key)
            links.acronyms.setdefault(long_key, set()).update(acronyms[long_key])
    return links


def _definitions(ex: PaperExtraction) -> tuple[dict[str, str], dict[str, set[str]]]:
    """`acronym key -> long-form key` for the acronyms the paper defines, and the short forms by long key."""
    pairs = list(ex.abbreviations)
    pairs += [(e.acronym, e.name) for e in ex.entities if e.acronym]
    short_to_long: dict[str, str] = {}
    acronyms: dict[str, set[str]] = {}
    for short, long in sorted(pairs):
        short_key, long_key = lookup_key(short), lookup_key(long)
        if not short_key or not long_key or short_key == long_key or short_key in short_to_long:
            continue
        short_to_long[short_key] = long_key
        acronyms.setdefault(long_key, set()).add(singular_surface(short.strip()))
    return short_to_long, acronyms


def _sentences(ex: PaperExtraction) -> dict[tuple[str, int], Sentence]:
    sentences = {(s.field, s.index): s for s in ex.sentences}
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
    """Which entities papers define an acronym for: those in the store plus those being added."""

    def __init__(self, db: ox.Store):
        self._db = db
        self._stored: dict[str, dict[str, ox.NamedNode]] = {}

    def stored(self, acronym_key: str) -> set[str]:
        """Keys of the entities in the store that some paper defines `acronym_key` for."""
        if acronym_key not in self._stored:
            found = {}
            for q in self._db.quads_for_pattern(None, pkg.lookupKey, ox.Literal(acronym_key)):
                e = q.subject
                if any(
                    lookup_key(a.object.value) == acronym_key for a in self._db.quads_for_pattern(e, pkg.acronym, None)
                ):
                    for k in self._db.quads_for_pattern(e, pkg.key, None):
                        found[k.object.value] = e
            self._stored[acronym_key] = found
        return set(self._stored[acronym_key])


def resolve_acronym(acronym_key: str, definers: Iterable[str]) -> str:
    """The key an undefined acronym links to: the one long form defined for it, else itself."""
    definers = set(definers)
    return next(iter(definers)) if len(definers) == 1 else acronym_key


def mentions_with_acronym_key(db: ox.Store, acronym_key: str) -> dict[ox.NamedNode, ox.NamedNode]:
    """Mention IRI -> paper IRI for the stored mentions of the undefined acronym `acronym_key`."""
    found = {}
    for q in db.quads_for_pattern(None, pkg.acronymKey, ox.Literal(acronym_key)):
        for p in db.quads_for_pattern(q.subject, pkg.paper, None):
            found[q.subject] = p.object
    return found


def load_linked_paper(db: ox.Store, paper: ox.NamedNode) -> LinkedPaper:
    """A stored paper's sentences and linked mentions, as `link_locally` made them."""
    sentences: dict[tuple[str, int], Sentence] = {}
    mentions = []
    nodes = {}
    for q in db.quads_for_pattern(None, pkg.paper, paper):
        # every predicate of a mention or sentence ends in "#name", and no name repeats
        nodes[q.subject] = {
            p.predicate.value.rsplit("#", 1)[1]: p.object for p in db.quads_for_pattern(q.subject, None, None)
        }
    for props in nodes.values():
        if props["type"] == pkg.Sentence:
            s = Sentence(
                props["field"].value,
                int(props["sentenceIndex"].value),
                int(props["start"].value),
                int(props["end"].value),
                props["value"].value,
            )
            sentences[(s.field, s.index)] = s
    for node, props in nodes.items():
        if props["type"] == pkg.Mention:
            mtype = props["entityType"].value[len(PKG_NS) :]
            sentence = nodes[props["sentence"]]
            m = Mention(
                props["exact"].value,
                props["field"].value,
                int(props["start"].value),
                int(props["end"].value),
                int(sentence["sentenceIndex"].value),
                mtype,
                props["extractor"].value,
            )
            ak = props.get("acronymKey")
            mentions.append(
                LinkedMention(
                    node,
                    m,
                    mtype,
                    props["role"].value[len(PKG_NS) :],
                    props["hasBody"],
                    ak.value if ak is not None else None,
                    props["wasGeneratedBy"],
                )
            )
    mentions.sort(key=lambda lm: int(lm.iri.value.rsplit("/m", 1)[1]))
    return LinkedPaper(paper, sentences, mentions)
