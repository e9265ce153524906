"""Typed entity-entity relations read from one sentence with a small set of precise patterns.

Each pattern looks at two mentions and the text between them (Hearst patterns for hyponymy,
"X outperforms Y" for comparison, "X for Y" for use, "X achieves ... on Y" for evaluation, "the X
module of Y" for parthood, "A, B and C" for conjunction, "X, a Y for Z" for a name's class and
purpose, "X leverages ... Y" for what X is built with, and so "X, a framework built upon Y" or a
title "X: Leveraging Y" for what a name's appositive or subtitle says); a paper's sentences about its own work
also relate its proposal to what they name (`_proposal_relations`), and its title "NAME: ... for X"
to what it is for; a generic phrase in apposition to a name stands for it (`_standing_for`). They favour precision over
recall (on SciERC's dev relation annotations with gold spans: precision 0.86 at recall 0.17,
measured by `kg.relation_check`; audited precision per pattern on arXiv in docs/extraction.md).
Like roles, relations depend only on the paper's own text and the types its extractor gave the
mentions.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from paperkg.extract.own_work import OWN_WORK, with_own_work
from paperkg.kg.iris import sentence_iri
from paperkg.kg.names import lookup_key
from paperkg.kg.roles import about_own_work, own_work_link

if TYPE_CHECKING:
    import pyoxigraph as ox

    from paperkg.extract.records import ScoredRelation
    from paperkg.kg.linking import LinkedMention, LinkedPaper, Sentence

_ARTEFACTS = frozenset({"Method", "Model"})
_USERS = _ARTEFACTS | {"Concept", "Dataset"}  # what "X for Y" says is used for Y


@dataclass(frozen=True)
class Span:
    """A mention inside a sentence: offsets relative to the sentence, the extractor's type, the entity."""

    start: int
    end: int
    type: str
    entity: Hashable


@dataclass(frozen=True)
class RelationMention:
    """A relation one sentence states between two of a paper's mentions, and what found it."""

    subject: ox.NamedNode  # mention IRIs
    relation: str
    object: ox.NamedNode
    sentence: tuple[str, int]  # (field, index) of the sentence that states it
    score: float | None = None  # the trained scorer's probability, when it found the relation
    patterns: frozenset[str] = frozenset()  # the patterns that found it


def relation_mentions(
    sentences: dict[tuple[str, int], Sentence], mentions: Sequence[LinkedMention], scored: Sequence[ScoredRelation]
) -> list[RelationMention]:
    """The relations a paper's sentences state between its linked mentions: the scorer's (its
    pairs whose mentions were linked) and the patterns', one record per mention pair and relation.

    A reference to the paper's own work ("our method", `extract.own_work`) stands
    for the method or model the paper proposes, through that entity's first mention; in a paper
    that proposes none it is nothing. A generic phrase in apposition to a name stands for that
    name's mention."""
    found: dict[tuple, RelationMention] = {}
    by_span = {(lm.mention.field, lm.mention.start, lm.mention.end): lm.iri for lm in mentions}
    artefact = next(
        (lm for lm in mentions if lm.role == "proposes" and lm.type in _ARTEFACTS),
        None,  # mentions come title first, then in text order
    )
    proposal = artefact or next((lm for lm in mentions if lm.role == "proposes" and _coined(lm)), None)
    proposed = artefact.iri if artefact else None  # what "our method" stands for
    by_sentence: dict[tuple[str, int], list[Span]] = {key: [] for key in sentences}
    for lm in mentions:
        m = lm.mention
        offset = sentences[(m.field, m.sentence)].start
        by_sentence[(m.field, m.sentence)].append(Span(m.start - offset, m.end - offset, lm.type, lm.iri))
    if proposed is not None:
        for key, spans in by_sentence.items():
            s = sentences[key]
            own = with_own_work(s.text, [(x.start, x.end, x.type) for x in spans])
            spans.extend(Span(a, b, "Method", proposed) for a, b, _ in own if OWN_WORK.fullmatch(s.text[a:b]))
    # each scored relation's sentence, found once: both loops below read it
    located = [(r, at) for r in scored if (at := _sentence_of(sentences, r.field, r.subject[0])) is not None]
    unlinked: dict[tuple[str, int], set[tuple[int, int]]] = {}  # the scorer's arguments no mention holds
    for r, at in located:
        offset = sentences[at].start
        for start, end in (r.subject, r.object):
            if (r.field, start, end) not in by_span:
                unlinked.setdefault(at, set()).add((start - offset, end - offset))
    for key, phrases in unlinked.items():
        by_sentence[key].extend(_standing_for(sentences[key], by_sentence[key], phrases))
    for r, at in located:
        a, b = (
            _mention_at(by_span, by_sentence, sentences, at, r.subject),
            _mention_at(by_span, by_sentence, sentences, at, r.object),
        )
        if a is not None and b is not None and a != b:
            found[(a, r.relation, b, at)] = RelationMention(a, r.relation, b, at, r.score)
    for key, spans in by_sentence.items():
        for (first, relation, second), patterns in sentence_relation_patterns(sentences[key].text, spans).items():
            subject, obj = cast("ox.NamedNode", first), cast("ox.NamedNode", second)  # spans carry mention IRIs
            known = found.get((subject, relation, obj, key))
            score = known.score if known else None
            found[(subject, relation, obj, key)] = RelationMention(
                subject, relation, obj, key, score, frozenset(patterns)
            )
    if proposal is not None:
        for d in _proposal_relations(sentences, mentions, proposal):
            pair = (d.subject, d.relation, d.object, d.sentence)
            known = found.get(pair)
            found[pair] = replace(d, score=known.score, patterns=known.patterns | d.patterns) if known else d
    if artefact is not None:
        for d in _title_descriptions(sentences, mentions, artefact, list(found.values())):
            found.setdefault((d.subject, d.relation, d.object, d.sentence), d)
    for d in _name_bases(mentions):
        pair = (d.subject, d.relation, d.object, d.sentence)
        known = found.get(pair)
        found[pair] = replace(d, score=known.score, patterns=known.patterns | d.patterns) if known else d
    return sorted(found.values(), key=lambda r: (r.sentence, r.subject.value, r.relation, r.object.value))


def _standing_for(sentence: Sentence, spans: Sequence[Span], phrases: set[tuple[int, int]]) -> list[Span]:
    """Spans for the scorer's arguments that no linked mention holds (`phrases`, offsets in the
    sentence; linking leaves generic phrases out) but that stand for a method, model or dataset
    they are in apposition to ("DraftAttention, a training-free framework for X", "Intermediate
    Representation Injection (IRI), a training-free technique", "SPECTRAL, our iterative method
    with closed-form updates"): the scorer's relations of the phrase are the name's."""
    text = sentence.text
    named = sorted((x for x in spans if x.type in _ARTEFACTS | {"Dataset"} and _is_name(text, x)), key=lambda x: -x.end)
    found = []
    for a, b in sorted(phrases):
        name = next(
            (
                x
                for x in named
                if x.end <= a
                and (
                    _appositive(text, x, a, b)
                    or (_OWN_APPOSITIVE.match(text[x.end : a]) and _PHRASE_END.match(text[b:]))
                )
            ),
            None,
        )
        if name is not None:
            found.append(Span(a, b, name.type, name.entity))
    return found


_DESCRIBED_RELATIONS = frozenset({"usedFor", "evaluatedOn", "evaluatedWith", "comparedWith"})


def _title_descriptions(
    sentences: dict[tuple[str, int], Sentence],
    mentions: Sequence[LinkedMention],
    proposal: LinkedMention,
    relations: Sequence[RelationMention],
) -> list[RelationMention]:
    """A title "NAME: DESCRIPTION ..." describes its proposal NAME by the method or model opening
    its subtitle ("MoAlign: Motion-Centric Representation Alignment for Video Diffusion Models"),
    which `kg.roles` gives the paper too: what the title relates that description to, it relates
    NAME to, pattern `title-description`."""
    title = sentences.get(("title", 0))
    if title is None or proposal.mention.field != "title":
        return []
    colon = title.text.find(":")
    opening = {
        lm.iri
        for lm in mentions
        if lm.mention.field == "title"
        and lm.role == "proposes"
        and lm.type in _ARTEFACTS
        and lm.entity != proposal.entity
        and 0 < colon < lm.mention.start
        and not title.text[colon + 1 : lm.mention.start - title.start].strip()
    }
    entity = {lm.iri: lm.entity for lm in mentions}
    found = []
    for r in relations:
        # a description's conjunct or class is a part or kind of NAME ("FreqFormer: Hierarchical
        # Frequency-Domain Attention with Adaptive Spectral Routing"), not NAME's
        if r.sentence != ("title", 0) or r.relation not in _DESCRIBED_RELATIONS:
            continue
        for description, other, swap in ((r.subject, r.object, False), (r.object, r.subject, True)):
            if description in opening and entity[other] != proposal.entity:
                subject, obj = (other, proposal.iri) if swap else (proposal.iri, other)
                found.append(
                    RelationMention(subject, r.relation, obj, r.sentence, None, frozenset({"title-description"}))
                )
    return found


# a name built on another the paper names: "LLM-based agents", "CLIP-guided editing", "GNN-driven search"
_NAME_BASED = re.compile(r"^(?P<base>\S+?)-(?:based|driven|powered|guided|assisted|enhanced|augmented)\s+\S")


def _name_bases(mentions: Sequence[LinkedMention]) -> list[RelationMention]:
    """A method or model the paper names, used for a mention whose name says it is built on it
    ("LLM-based agents": LLM usedFor them, through that entity's mention in the same sentence, else
    its first), pattern `name-based`."""
    first: dict[str, LinkedMention] = {}
    for lm in mentions:
        if lm.type in _ARTEFACTS:
            first.setdefault(lookup_key(lm.mention.text), lm)
    found = []
    for lm in mentions:
        based = _NAME_BASED.match(lm.mention.text)
        base = first.get(lookup_key(based.group("base"))) if based else None
        if base is None:
            continue
        key = (lm.mention.field, lm.mention.sentence)
        here = (m for m in mentions if m.entity == base.entity and (m.mention.field, m.mention.sentence) == key)
        near = next(here, base)
        found.append(RelationMention(near.iri, "usedFor", lm.iri, key, None, frozenset({"name-based"})))
    return found


# a digit, or a capital after a name's first letter: HemBLIP, T5, CoPe
_NAME_WRITTEN = re.compile(r"\d|.[A-Z]")


def _coined(lm: LinkedMention) -> bool:
    """A proposed dataset, or a proposed name the recogniser typed a concept that is written as a
    coined name ("CoPe", "LoPE", "YOTO"): what the paper proposes when it proposes no method or model."""
    return lm.type == "Dataset" or (lm.type == "Concept" and _NAME_WRITTEN.search(lm.mention.text) is not None)


# what the role a sentence gives a mention says of the method or model the paper proposes
_ROLE_RELATIONS = {
    ("evaluatesOn", "Dataset"): "evaluatedOn",
    ("reports", "Metric"): "evaluatedWith",
    ("addresses", "Task"): "usedFor",
}


# the kinds of proposal a role's relation holds for, where not only a method or model: a proposed
# dataset is for the tasks its sentences address (and evaluated on no other dataset), a coined name
# typed a concept also evaluated on datasets (it may be a metric itself, so not evaluated with one)
_ROLE_HOLDERS = {
    ("addresses", "Task"): _ARTEFACTS | {"Dataset", "Concept"},
    ("evaluatesOn", "Dataset"): _ARTEFACTS | {"Concept"},
}


# in a title, what comes before this names what the proposal is or is made of ("X: Dynamic
# Dimension Selection for Reward Modeling"); what comes after, what it is for
_TITLE_PURPOSE = re.compile(r"\b(?:for|towards?)\s", re.IGNORECASE)
# in a title without that, what comes before this is what it is for ("Natural Human Motion Recovery
# by Aligning High-Order Temporal Dynamics"), and after it what the proposal is made of
_TITLE_MEANS = re.compile(r"\b(?:via|with|by|using|through|based on)\s", re.IGNORECASE)


def _proposal_relations(
    sentences: dict[tuple[str, int], Sentence], mentions: Sequence[LinkedMention], proposal: LinkedMention
) -> list[RelationMention]:
    """What the paper's sentences say of its proposal, in a sentence that speaks of the paper's
    own work or names the proposal ("current methods lack X, resulting in low accuracy" says
    nothing of it):

    - the datasets, metrics and tasks the sentence gives a role are what the proposal is
      evaluated on, evaluated with and used for ("we evaluate on COCO": evaluated on COCO), when
      every other method or model the sentence names is one the proposal is built with or
      compared to ("we evaluate five LLMs on GSM8K" evaluates the LLMs; "built on LLaMA, our
      method reaches 80% on GSM8K" the proposal), pattern `proposal-role`;
    - a method, model or dataset the work is built with is used for the proposal ("we fine-tune
      LLaMA", "based on CLIP", "we train on ImageNet"), pattern `proposal-uses`; a named
      baseline the work is measured against is compared with it ("outperforms SAM"),
      `proposal-compared` (`kg.roles.own_work_link`);
    - a component the paper proposes in a sentence of its own ("we design a path-aware attention
      module") is part of the proposal, pattern `proposal-part`."""
    by_sentence: dict[tuple[str, int], list[LinkedMention]] = {}
    for lm in mentions:
        by_sentence.setdefault((lm.mention.field, lm.mention.sentence), []).append(lm)
    found = []
    named = proposal.mention.text.casefold()

    # a proposal that is no method or model (`_coined`) is marked, its relations judged apart
    marks = frozenset() if proposal.type in _ARTEFACTS else frozenset({"coined-proposal"})

    def add(subject: LinkedMention, relation: str, obj: LinkedMention, key: tuple[str, int], pattern: str) -> None:
        found.append(RelationMention(subject.iri, relation, obj.iri, key, None, frozenset({pattern}) | marks))

    for key, group in by_sentence.items():
        s = sentences[key]
        after, before = s.start, s.end  # mentions from `after` to `before` count
        names_proposal = any(lm.entity == proposal.entity for lm in group)
        if key[0] != "title" and not (about_own_work(s.text) or names_proposal):
            continue
        if key[0] == "title":
            purpose, means = _TITLE_PURPOSE.search(s.text), _TITLE_MEANS.search(s.text)
            if purpose:
                after = s.start + purpose.end()
            else:
                before = s.start + means.start() if means else s.start
        links: dict[ox.NamedNode, str] = {}  # mention -> what it is to the proposal
        window = _title_for(s.text, proposal) if key[0] == "title" else (0, -1)
        for lm in group:
            text = lm.mention.text.casefold()
            # "the pre-trained SALAD model" in a paper proposing SALAD is SALAD
            if (
                (lm.role == "uses" or (lm.role == "mentions" and lm.type in _ARTEFACTS))
                and lm.entity != proposal.entity
                and named not in text
                and text not in named
            ):
                link = own_work_link(s.text, lm.mention.start - s.start, lm.mention.end - s.start, lm.type)
                # what a proposed dataset is built with is another dataset; a model trained on it uses it
                if link is not None and (proposal.type != "Dataset" or (lm.type, link) == ("Dataset", "usedFor")):
                    links[lm.iri] = link
                elif link is None and window[0] <= lm.mention.start - s.start and lm.mention.end - s.start <= window[1]:
                    links[lm.iri] = "for"
        others = any(
            lm.type in _ARTEFACTS and lm.entity != proposal.entity and lm.role != "proposes" and lm.iri not in links
            for lm in group
        )
        for lm in group:
            relation = None if others else _ROLE_RELATIONS.get((lm.role, lm.type))
            if relation is not None and proposal.type not in _ROLE_HOLDERS.get((lm.role, lm.type), _ARTEFACTS):
                relation = None
            if relation is not None and after <= lm.mention.start and lm.mention.end <= before:
                add(proposal, relation, lm, key, "proposal-role")
            if links.get(lm.iri) == "usedFor":
                add(lm, "usedFor", proposal, key, "proposal-uses")
            elif links.get(lm.iri) == "comparedWith":
                add(proposal, "comparedWith", lm, key, "proposal-compared")
            elif links.get(lm.iri) == "for" and proposal.type in _ARTEFACTS:
                add(proposal, "usedFor", lm, key, "title-for")
            elif (
                lm.role == "proposes"
                and not names_proposal
                and key[0] != "title"
                and lm.type in ("Method", "Concept")
                and _COMPONENT.search(lm.mention.text)
            ):
                add(lm, "partOf", proposal, key, "proposal-part")
    return found


_FOR = re.compile(r"\bfor\s", re.IGNORECASE)


def _title_for(title: str, proposal: LinkedMention) -> tuple[int, int]:
    """Where a title "NAME: ... for X with Y", NAME the proposal, says what the proposal is for: from
    the first "for" after the colon up to a cue of means ("with", "via", ...); (0, -1) for none."""
    colon = title.find(":")
    purpose = _FOR.search(title, colon + 1) if proposal.mention.field == "title" and colon > 0 else None
    if purpose is None or proposal.mention.end > colon:
        return 0, -1
    means = _TITLE_MEANS.search(title, purpose.end())
    return purpose.end(), means.start() if means else len(title)


# the head of a name for a part of a system: "a path-aware attention module", "an occlusion-aware loss"
_COMPONENT = re.compile(
    r"\b(?:module|component|loss|mechanism|block|layer|head|encoder|decoder|branch|unit|adapter|regulari[sz]er|"
    r"router|scheduler|strategy)s?(?: function)?$",
    re.IGNORECASE,
)


def paper_relations(paper: LinkedPaper) -> set[tuple[ox.NamedNode, str, ox.NamedNode, ox.NamedNode]]:
    """`(subject, relation, object, sentence)` for the typed relations the paper's sentences state,
    between the entities its mentions are linked to (the evidence a build adds to each relation)."""
    entity = {lm.iri: lm.entity for lm in paper.mentions}
    found = set()
    for r in paper.relations:
        s, o = entity[r.subject], entity[r.object]
        if s != o:
            found.add((s, r.relation, o, sentence_iri(paper.iri, *r.sentence)))
    return found


def _sentence_of(sentences: dict[tuple[str, int], Sentence], field: str, start: int) -> tuple[str, int] | None:
    return next((key for key, s in sentences.items() if key[0] == field and s.start <= start < s.end), None)


def _mention_at(by_span, by_sentence, sentences, key, span: tuple[int, int]):
    """The mention IRI the scorer's span names: a linked mention's, or the proposed entity's for
    a reference to the paper's own work."""
    found = by_span.get((key[0], *span))
    if found is None:
        offset = sentences[key].start
        found = next(
            (x.entity for x in by_sentence[key] if (x.start + offset, x.end + offset) == span),
            None,
        )
    return found


# a word of description that starts no clause or phrase of its own
_WORD = r"(?!(?:that|which|who|where|whose|for|of|to|in|on|with|by|from|as|and|or|is|are|was|were)\b)[\w-]+"
# text between a mention and what comes next that still belongs to the mention: "(SAEs)", ","
_TAIL = r"\s*(?:\([^()]{1,20}\)\s*)?"
_DET = (
    r"(?:(?:the|a|an|both|all|several|various|other|existing|standard|strong|conventional|"
    r"traditional|common|popular|classic|prior|baseline|recent|state-of-the-art|\d+)\s+)*"
)
# between the items of a list; an item's parenthesised acronym is a mention of its own
_LIST_GAP = re.compile(
    r"^\s*[()]?\s*(?:\([^()]{1,20}\))?\s*\)?\s*"
    r"(?:,|and|or|,\s*and|,\s*or|,?\s*(?:as well as|along with|together with))?\s*(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)
# a head noun that may follow the hypernym: "CNN architectures such as VGG16"
_HEAD = (
    r"(?:(?:architecture|model|method|approach|technique|variant|family|families|network|"
    r"algorithm|dataset|benchmark|task|metric|framework|tool|system)s?\s*)?"
)
_SUCH_AS = re.compile(rf"^{_TAIL}{_HEAD},?\s*(?:such as|including|e\.g\.,?|like|especially|in particular)\s+{_DET}$")
_AND_OTHER = re.compile(rf"^{_TAIL},?\s*(?:and|or)\s+other\s+{_DET}$")
_IS_A = re.compile(
    rf"^{_TAIL},?\s*(?:(?:is|are|as)\s+)?(?:a|an|one)\s+(?:\w+\s+)?(?:type|kind|form|variant|"
    rf"version|variation|extension|generali[sz]ation|special case|class|family|instance|example)s?"
    rf"\s+of\s+{_DET}$"
)
_COMPARE = re.compile(
    rf"^{_TAIL}\s*(?:\w+ly\s+)?(?:also\s+|even\s+|still\s+)?"
    r"(?:outperform|surpass|beat|exceed|underperform|outpace|rival)\w*\s+"
    rf"(?:\w+\s+){{0,2}}?{_DET}$"
    rf"|^{_TAIL}\s*(?:against|vs\.?|versus|compared (?:with|to)|in comparison (?:with|to)|"
    rf"(?:performs?|is|are)\s+(?:on par|comparable|competitive)\s+(?:with|to))\s+{_DET}(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_COMPARE_LEAD = re.compile(r"\bcompar\w*\s+(?:\w+\s+){0,2}?$", re.IGNORECASE)
# the second of a pair a verb before the first governs: "compare A with B", "combines A and B"
_PAIR_MID = re.compile(rf"^{_TAIL}\s*(?:with|to|against|and)\s+{_DET}$", re.IGNORECASE)
_USED_FOR = re.compile(
    rf"^{_TAIL}\s*(?:(?:is|are|was|were)\s+)?(?:(?:\w+ly\s+)?(?:used|applied|designed|tailored|"
    rf"developed|proposed|employed|adapted|effective)\s+)?(?:for|to)\s+{_DET}(?:task of\s+)?$",
    re.IGNORECASE,
)
_USED_BY = re.compile(
    rf"^{_TAIL},?\s*(?:(?:is|are|was|were)\s+)?(?:based on|using|uses|use|employing|employs|via|"
    rf"by means of|built (?:on|upon)|relies on|relying on|leverag\w+|with the help of)\s+{_DET}$",
    re.IGNORECASE,
)
# the verbs of acting with a material, in both patterns below
_MATERIAL_VERBS = (
    r"(?:use|employ|adopt|leverage|utili[sz]e|combine|integrate|incorporate)s?|"
    r"combining|integrating|incorporating|leveraging|utili[sz]ing|employing|adopting"
)
# a method that acts with another as its material, a few words of description between: "LLMRefiner
# leverages the specific frozen layer of a pre-trained LLM", "Pun-RAG ... combining PunGPT2 with"
_BUILDS_ON = re.compile(
    rf"^{_TAIL},?\s*(?:(?:that|which|also|further|first|then)\s+)?(?:{_MATERIAL_VERBS}|builds (?:on|upon)|"
    rf"is built (?:on|upon)|relies on|extends|fine-tunes|distills)\s+(?:{_WORD}\s+){{0,4}}?{_DET}$",
    re.IGNORECASE,
)
# a name whose appositive, or a title's subtitle, says what it is built on: "TAPO, a novel reinforcement
# learning framework built upon GRPO", "Pun-RAG, a retrieval-augmented generation framework combining
# PunGPT2 with ...", "a single ViT, built on DINOv3", "Geo4D: Leveraging Video Generators for ..."
_DESCRIBED_BUILDS_ON = re.compile(
    rf"^{_TAIL}(?:,\s*(?:(?:a|an)\s+(?:{_WORD}\s+){{1,6}}?)?|:\s*)(?:(?:that|which)\s+)?(?:(?:is\s+)?(?:built|based)\s+"
    rf"(?:on|upon)|powered by|{_MATERIAL_VERBS}|extends?|extending)\s+(?:{_WORD}\s+){{0,4}}?{_DET}$",
    re.IGNORECASE,
)
# the point of a value ("92.5% accuracy on COCO", "a 1.5B-parameter model"), no end of a clause
_POINT = r"(?<=\d)\.(?=\d)"
# a character of the same clause
_IN_CLAUSE = rf"(?:[^.;:]|{_POINT})"
_EVALUATED_ON = re.compile(
    rf"^{_TAIL}{_IN_CLAUSE}{{0,80}}?\b(?:achiev|obtain|reach|perform|result|score|outperform|"
    rf"evaluat|test|benchmark|experiment)\w*{_IN_CLAUSE}{{0,60}}?\b(?:on|over|across)\s+{_DET}$",
    re.IGNORECASE,
)
# a mention a preposition or participle governs is no subject of the clause: "With ResNet-18,
# SaluNet-C-18 achieves 97.35% on CIFAR-10", "on Qwen3-1.7B, SGSD outperforms GRPO on AIME24",
# "rivaling models like Qwen3-235B-A22B, AM-Thinking-v1 achieves 85.3 on AIME 2024"
_OBJECT_LEAD = re.compile(
    r"\b(?:with|using|within|utili[sz]ing|employing|via|under|from|of|by|on|like|including|than|against)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_EVALUATE_LEAD = re.compile(r"\b(?:evaluat|test|benchmark|validat|assess)\w*\s+(?:\w+\s+){0,2}?$", re.IGNORECASE)
_ON = re.compile(rf"^{_TAIL}\s*(?:\w+\s+){{0,3}}?(?:on|over|across)\s+{_DET}$", re.IGNORECASE)
# "from CNNs to transformers": a range of things, not a use of one for the other
_RANGE_FROM = re.compile(rf"\bfrom\s+{_DET}$", re.IGNORECASE)
_RANGE_TO = re.compile(rf"^{_TAIL}\s*to\s+{_DET}$", re.IGNORECASE)
# a mention that modifies the one before it through a preposition: "systems in the social sciences"
_MODIFIER_GAP = re.compile(r"^\s*(?:in|of|for|on|from|within|across|with)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
_PART_OF = re.compile(
    rf"^{_TAIL}\s*(?:module|component|layer|block|head|unit|part|subnetwork|encoder|decoder)s?\s+"
    rf"(?:of|in|within)\s+{_DET}$",
    re.IGNORECASE,
)

# the opening of an appositive after a name: "Voyager, a novel ...", "HemBLIP: A ...", "X (XX), the first"
_APPOSITIVE = rf"^{_TAIL}\s*(?:,|:|,?\s*(?:is|was)\b)\s*(?:a|an|the first|one)\s+"
# an appositive that says what kind of thing a name is: "Voyager, a novel video diffusion
# framework", "HemBLIP: A Vision-Language Model", "X (XX), the first Y", "X is a Y"
_APPOSITION = re.compile(rf"{_APPOSITIVE}(?:{_WORD}\s+){{0,2}}$", re.IGNORECASE)
# a name's appositive that the paper writes as its own: "SPECTRAL, our iterative method"
_OWN_APPOSITIVE = re.compile(rf"^{_TAIL}\s*,\s*our\s+(?:{_WORD}\s+){{0,2}}$", re.IGNORECASE)
# ... and the appositive's class is the whole phrase, not a modifier of it ("a CIR framework",
# "the first reinforcement learning (RL)-based framework")
_PHRASE_END = re.compile(
    r"^\s*(?:\([^()]*\)(?![\w-]))?\s*(?:[,.;:)]|$|(?:that|which|who|where|for|to|with|in|on|of|and|or|by|from|"
    r"using|via|designed|trained|built|based|capable|tailored|specifically|called|named)\b)",
    re.IGNORECASE,
)
# the name is the whole subject of the appositive: not the last of several ("X plus ResNet18, a
# two-stage framework"), nor the end of a title's longer opening ("Dissecting Agentic RAG: A ...")
_NAME_LEAD = re.compile(r"(?:\b(?:and|or|plus|with)|,)\s*$", re.IGNORECASE)
# an appositive that says what a name is for: "LaMP-Cap, a dataset for personalized figure caption
# generation", "VOccl3D: A Video Benchmark Dataset for 3D Human Pose and Shape Estimation"
_DESCRIBED_FOR = re.compile(rf"{_APPOSITIVE}(?:{_WORD}\s+){{1,6}}(?:for|to)\s+{_DET}(?:task of\s+)?$", re.IGNORECASE)
# coordinated mentions are items of a list (`_LIST_GAP`) with something between them ("A and B",
# "A, B, or C", "A as well as B"); a bare comma only inside a list that an "and" or "or" closes
_SEPARATOR = re.compile(r",|\b(?:and|or|as well as|along with|together with)\b", re.IGNORECASE)
_CLOSING = re.compile(r"\b(?:and|or|as well as)\b", re.IGNORECASE)
# "combines A with B", "integrates A and B": used together
_COMBINE_LEAD = re.compile(
    r"\b(?:combin|integrat|pair|coupl|fus|unif|merg|bridg|marr|synergi[sz])\w*\s+(?:\w+\s+){0,2}?$", re.IGNORECASE
)

# a clause that reports experiments on the datasets it names, whose result names what was run:
# "Extensive experiments on COCO and LVIS demonstrate that X ...", "Results on D show that our method"
_EXPERIMENTS_ON = re.compile(
    r"\b(?:experiments?|evaluations?|results|tests|studies|benchmarks)\s+(?:\w+\s+){0,3}?(?:on|across|over)\s+"
    rf"{_IN_CLAUSE}{{0,100}}$",
    re.IGNORECASE,
)
_SHOW_THAT = re.compile(
    rf"^{_TAIL}{_IN_CLAUSE}{{0,100}}?\b(?:show|demonstrate|reveal|confirm|indicate|verify|validate|prove|suggest)s?\s+"
    rf"that\s+(?:both\s+)?{_DET}(?:proposed\s+)?$",
    re.IGNORECASE,
)
# ... and a sentence that opens with the dataset its result is on: "On the Waterbirds dataset, LaViD improves"
_ON_LEAD = re.compile(rf"^\s*(?:on|across)\s+{_DET}$", re.IGNORECASE)
_ON_RESULT = re.compile(rf"^{_TAIL}\s*(?:(?:dataset|benchmark)s?\s*)?,\s*{_DET}(?:proposed\s+)?$", re.IGNORECASE)
# what a method reaches on a task: "X achieves state-of-the-art performance in 3D object detection",
# "VLMs have achieved remarkable breakthroughs in the field of remote sensing"
_ACHIEVES_IN = re.compile(
    rf"^{_TAIL}\s*(?:(?:has|have|also|further|consistently)\s+)*(?:achiev|attain|deliver|set|establish|"
    rf"yield|reach)\w*\s+(?:[\w-]+,?\s+){{0,4}}?(?:performance|results?|progress|success|breakthroughs?|"
    rf"advances|gains|improvements?)\s+(?:in|on|for|across)\s+(?:the\s+(?:field|area|domain|task)s?\s+of\s+)?"
    rf"(?:a\s+(?:variety|range|number)\s+of\s+|many\s+|diverse\s+|multiple\s+)?{_DET}$",
    re.IGNORECASE,
)
# a sentence opened by a purpose whose main clause gives the means: "For decoding audio tokens in a
# streaming manner, we introduce a sliding-window DiT", "To address X, this paper proposes Y"
_PURPOSE_LEAD = re.compile(
    r"^\s*(?:(?:specifically|moreover|additionally|furthermore|finally|first|second|third|then|here|"
    r"in addition),?\s+)?(?:for|to\s+(?:address|tackle|solve|handle|improve|enable|support|perform|achieve|"
    rf"facilitate|advance|enhance))\s+{_DET}$",
    re.IGNORECASE,
)
_PURPOSE_MEANS = re.compile(
    rf"^{_TAIL}{_IN_CLAUSE}{{0,80}}?,\s*(?:we|this\s+(?:paper|work|study))\s+(?:\w+ly\s+|further\s+|also\s+|first\s+)?"
    r"(?:propose|introduce|present|develop|design|use|adopt|employ|leverage|utili[sz]e|build|devise|construct)"
    rf"s?\s+{_DET}(?:(?:novel|new|simple|lightweight|efficient|unified|effective)\s+)*$",
    re.IGNORECASE,
)
# a model named with what it was trained from: "Datarus-R1-14B, a 14B-parameter model fine-tuned from
# Qwen", "X, distilled from Y", "a ResNet pre-trained on ImageNet"
_TRAINED_FROM = re.compile(
    rf"^{_TAIL},?\s*(?:(?:a|an)\s+(?:[^,.;:()]|{_POINT}){{0,60}}?\s+)?(?:(?:is|are|was|were)\s+)?(?:fine-?tuned|distilled|"
    rf"initiali[sz]ed|pre-?trained|trained|post-trained|adapted)\s+(?:\w+ly\s+)?(?:from|on|upon)\s+{_DET}$",
    re.IGNORECASE,
)

# a value as results write it, its decimal point no end of a clause: "84.9%", "+1.8", "0.8513"
_NUMBER = r"[-+~]?\d+(?:[.,]\d+)*\s*%?"
# a method with the metric it is measured by: "TASER achieves the highest soft pairwise accuracy",
# "SME-YOLO improves mAP by 2.2%", "X reaches 84.9% top-1 accuracy"
_MEASURED_BY = re.compile(
    rf"^{_TAIL}{_HEAD},?\s*(?:(?:\w+ly|also|further|still|even|has|have)\s+)*(?:achiev|attain|obtain|reach|record|"
    rf"deliver|yield|improv|boost|increas|rais|lift|enhanc|reduc|lower|cut)\w*\s+(?:by\s+)?"
    rf"(?:(?:{_NUMBER}|[^\s.;:,()]+)\s+){{0,5}}?(?:in\s+(?:terms\s+of\s+)?)?{_DET}$",
    re.IGNORECASE,
)
# a method that improves another: "FRAG substantially improves InternVL2-76B", "Recent advances in RL
# have strengthened the reasoning capabilities of VLMs"
_IMPROVES = re.compile(
    rf"^{_TAIL},?\s*(?:(?:\w+ly|also|further|has|have|can)\s+)*(?:improv|enhanc|boost|strengthen|empower|"
    rf"augment|equip)\w*\s+(?:the\s+(?:[\w-]+\s+){{0,3}}?(?:of|in)\s+)?{_DET}$",
    re.IGNORECASE,
)


# Most pairs of mentions match no gap pattern, and the patterns above (after `_TAIL`, which keeps
# at most one parenthesis, and a "(" opens none of them) each open with one of a few words, after a
# comma or colon for some: a gap's opening (that comma or colon, if any, joined to the first run of
# word characters and hyphens after it, else to the first other character) rules out the patterns
# that cannot open so, one match a pair instead of one a pattern. Each entry accepts every opening
# of its pattern as a prefix of that (a superset: spaces the pattern allows to be empty join
# words); a gap pattern most pairs never reach has none. A pattern that opens otherwise needs its
# entry changed with it (tests/test_relation_openings.py tries every gap of real sentences).
_OPENING = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?([,:]?)\s*([\w-]+|.?)")
_OPENINGS = {
    name: re.compile(opening, re.IGNORECASE)
    for name, opening in (
        (
            "such-as",
            r",?(?:such|including|e|like|especially|in)$|architecture|model|method|approach|technique|variant|"
            r"famil|network|algorithm|dataset|benchmark|task|metric|framework|tool|system",
        ),
        ("and-other", r",?(?:and|or)$"),
        ("is-a", r",?(?:is|are|as|a|an|one)$"),
        (
            "compare",
            r"\w+ly$|(?:also|even|still|against|vs|versus|compared|in|performs?|is|are)$|"
            r"outperform|surpass|beat|exceed|underperform|outpace|rival",
        ),
        ("pair-mid", r"(?:with|to|against|and)$"),
        ("part-of", r"(?:module|component|layer|block|head|unit|part|subnetwork|encoder|decoder)s?$"),
        (
            "used-for",
            r"(?:is|are|was|were|\w+ly|used|applied|designed|tailored|developed|proposed|employed|adapted|effective|"
            r"for|to)$",
        ),
        (
            "using",
            r",?(?:(?:is|are|was|were|based|using|uses|use|employing|employs|via|by|built|relies|relying|with)$|leverag)",
        ),
        (
            "builds-on",
            r",?(?:that|which|also|further|first|then|builds|is|relies|extends|fine-tunes|distills|"
            rf"{_MATERIAL_VERBS})$",
        ),
        (
            "described-builds-on",
            rf"[,:](?:a|an|that|which|is|built|based|powered|{_MATERIAL_VERBS}|extends?|extending)$",
        ),
        ("appositive", r"[,:](?:a|an|the|one)$|,?(?:is|was)\b"),  # `_APPOSITIVE`: `_appositive`, `_DESCRIBED_FOR`
        ("achieves-in", r"(?:has|have|also|further|consistently)$|achiev|attain|deliver|set|establish|yield|reach"),
        (
            "trained-from",
            r",?(?:a|an|is|are|was|were|fine-?tuned|distilled|initiali[sz]ed|pre-?trained|trained|post-trained|"
            r"adapted)$",
        ),
        (
            "improves",
            r",?(?:\w+ly$|(?:also|further|has|have|can)$|improv|enhanc|boost|strengthen|empower|augment|equip)",
        ),
    )
}


def _gap_openers(gap: str) -> frozenset[str]:
    """The names in `_OPENINGS` of the gap patterns `gap` may match."""
    opening = _OPENING.match(gap)
    return _openers(opening[1] + opening[2])  # type: ignore[index]  # it matches every string


@lru_cache(maxsize=8192)  # a gap's opening: a few thousand cover most gaps
def _openers(opening: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _OPENINGS.items() if pattern.match(opening))


def sentence_relations(text: str, spans: Sequence[Span]) -> set[tuple[Hashable, str, Hashable]]:
    """`(subject entity, relation, object entity)` for the relations the sentence states."""
    return set(sentence_relation_patterns(text, spans))


def sentence_relation_patterns(text: str, spans: Sequence[Span]) -> dict[tuple[Hashable, str, Hashable], set[str]]:
    """`(subject entity, relation, object entity)` -> the names of the patterns that state it."""
    spans = sorted(spans, key=lambda s: (s.start, s.end))
    found: dict[tuple[Hashable, str, Hashable], set[str]] = {}

    def add(a: Span, rel: str, b: Span, pattern: str) -> None:
        if a.entity != b.entity:
            found.setdefault((a.entity, rel, b.entity), set()).add(pattern)

    # a lead (what stands before the first mention) is read only after a gap (between the two)
    # allows its cue: a lead is the sentence so far, a gap a few words that rarely match
    for i, a in enumerate(spans):
        lead = text[: a.start]
        for j in range(i + 1, len(spans)):
            b = spans[j]
            if b.start < a.end:
                continue
            gap = text[a.end : b.start]
            if len(gap) > 160:
                break
            opens = _gap_openers(gap)
            if "such-as" in opens and _SUCH_AS.match(gap):
                for x in _list_from(spans, j, text):
                    add(x, "hyponymOf", _hypernym(spans, i, x, text), "such-as")
            elif ("and-other" in opens and _AND_OTHER.match(gap)) or ("is-a" in opens and _IS_A.match(gap)):
                add(a, "hyponymOf", b, "is-a")
            elif ("compare" in opens and _COMPARE.match(gap)) or (
                "pair-mid" in opens and _PAIR_MID.match(gap) and _COMPARE_LEAD.search(lead)
            ):
                for x in _list_from(spans, j, text):
                    add(a, "comparedWith", x, "compared")
            elif (
                a.type in _ARTEFACTS
                and b.type == "Dataset"
                and (_EVALUATED_ON.match(gap) or (_ON.match(gap) and _EVALUATE_LEAD.search(lead)))
                and not _OBJECT_LEAD.search(lead)
            ):
                for x in _list_from(spans, j, text):
                    if x.type == "Dataset":
                        add(a, "evaluatedOn", x, "evaluated-on")
            elif (
                a.type in _USERS
                and b.type in ("Task", "Method")
                and "used-for" in opens
                and _USED_FOR.match(gap)
                and not (_RANGE_TO.match(gap) and _RANGE_FROM.search(lead))
            ):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(a, "usedFor", x, "used-for")
            elif (
                b.type in _ARTEFACTS | {"Dataset", "Concept"}
                and a.type in ("Task", "Method")
                and "using" in opens
                and _USED_BY.match(gap)
            ):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(x, "usedFor", a, "using")
            elif a.type in _ARTEFACTS and b.type in _USERS and "builds-on" in opens and _BUILDS_ON.match(gap):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(x, "usedFor", a, "builds-on")
            elif (
                a.type in _ARTEFACTS
                and b.type in _USERS
                and "described-builds-on" in opens
                and _is_name(text, a)
                and _DESCRIBED_BUILDS_ON.match(gap)
                and not _NAME_LEAD.search(lead)
            ):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(x, "usedFor", a, "described-builds-on")
            elif "part-of" in opens and _PART_OF.match(gap):
                add(a, "partOf", b, "part-of")
            elif "appositive" in opens and _is_name(text, a) and _appositive(text, a, b.start, b.end):
                if not _spells(text[b.start : b.end], text[a.start : a.end]):
                    add(a, "hyponymOf", b, "apposition")
            elif (
                a.type in _USERS
                and b.type in ("Task", "Method")
                and "appositive" in opens
                and _DESCRIBED_FOR.match(gap)
            ):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(a, "usedFor", x, "described-for")
            elif (
                a.type == "Dataset"
                and b.type in _ARTEFACTS
                and (
                    (_EXPERIMENTS_ON.search(lead) and _SHOW_THAT.match(gap))
                    or (_ON_LEAD.match(lead) and _ON_RESULT.match(gap))
                )
            ):
                add(b, "evaluatedOn", a, "experiments-show")
            elif a.type in _ARTEFACTS and b.type == "Task" and "achieves-in" in opens and _ACHIEVES_IN.match(gap):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(a, "usedFor", x, "achieves-in")
            elif a.type == "Task" and b.type in _ARTEFACTS and _PURPOSE_LEAD.match(lead) and _PURPOSE_MEANS.match(gap):
                add(b, "usedFor", a, "purpose-lead")
            elif (
                a.type in _ARTEFACTS
                and b.type in _ARTEFACTS | {"Dataset"}
                and "trained-from" in opens
                and _TRAINED_FROM.match(gap)
                and not _NAME_LEAD.search(lead)
            ):
                for x in _list_from(spans, j, text, same_kind=True):
                    add(x, "usedFor", a, "trained-from")
            elif a.type in _ARTEFACTS and b.type == "Metric" and _MEASURED_BY.match(gap):
                add(a, "evaluatedWith", b, "measured-by")
            elif a.type in _ARTEFACTS and b.type in _ARTEFACTS and "improves" in opens and _IMPROVES.match(gap):
                add(a, "usedFor", b, "improves")
            else:  # both patterns below read whether a and b are neighbours in a list: read once
                listed = j == i + 1 and _LIST_GAP.match(gap) and _SEPARATOR.search(gap) and _closed_list(spans, i, text)
                same = _kind(a) == _kind(b)
                combined = same and "pair-mid" in opens and _PAIR_MID.match(gap) and _COMBINE_LEAD.search(lead)
                if same and (listed or combined):
                    add(a, "conjunctionWith", b, "coordinated")
                    # what is combined with a list goes with each item ("combines CLIP with ALIGN and
                    # BLIP"); in a plain list only neighbours, as SciERC marks conjunctions ("A, B and C":
                    # not A with C, which its dev annotates once in the 27 times it was proposed)
                    if combined:
                        for x in _list_from(spans, j, text, same_kind=True)[1:]:
                            add(a, "conjunctionWith", x, "listed")
                elif listed and len(_list_from(spans, _list_start(spans, i, text), text)) >= 3:
                    add(a, "conjunctionWith", b, "list-of-kinds")
    return found


def _appositive(text: str, name: Span, start: int, end: int) -> bool:
    """Whether the phrase at `text[start:end]` is an appositive saying what kind of thing `name`
    is: "Voyager, a novel video diffusion framework", "HemBLIP: A Vision-Language Model"."""
    gap = text[name.end : start]
    return bool(
        _APPOSITION.match(gap)
        and _PHRASE_END.match(text[end:])
        and not _NAME_LEAD.search(text[: name.start])
        and (name.start == 0 or ":" not in gap)
    )


def _kind(span: Span) -> str:
    """Methods and models are one kind of thing for coordination: "CLIP and contrastive learning"."""
    return "artefact" if span.type in _ARTEFACTS else span.type


def _is_name(text: str, span: Span) -> bool:
    """A mention written as a name: a capital after its first letter or a digit (HemBLIP, T5), or a
    capital word inside a sentence (Voyager)."""
    name = text[span.start : span.end]
    return _NAME_WRITTEN.search(name) is not None or (span.start > 0 and name[:1].isupper())


def _spells(long: str, short: str) -> bool:
    """Whether `long` is the long form of `short`, the same thing and not its class: the initials
    of its words, or of all but its last (a head noun), open `short`'s capitals ("Adaptive Query
    Expansion" of "AdaQE-CG", "multi-turn adaptive prompting attack" of "MAPA", "Synergistic
    Quantization-Aware Pruning Framework" of "SQAP-VLA"; not "video diffusion framework" of "Voyager")."""
    capitals = "".join(c for c in short if c.isupper())
    for words in (long.split(), re.split(r"[\s-]+", long)):  # "Quantization-Aware": Q or QA
        initials = "".join(w[:1] for w in words).upper()
        if any(len(i) >= 2 and capitals.startswith(i) for i in (initials, initials[:-1])):
            return True
    return False


def _closed_list(spans: Sequence[Span], i: int, text: str) -> bool:
    """Whether the list that spans[i] opens ends with "and" or "or": "A, B and C", not "For A, B is"."""
    items = _list_from(spans, i, text)
    return any(_CLOSING.search(text[x.end : y.start]) for x, y in zip(items, items[1:]))


def _hypernym(spans: Sequence[Span], i: int, hyponym: Span, text: str) -> Span:
    """The hypernym of "spans[i] such as <hyponym>": the head of the phrase spans[i] ends, that is
    the mention it modifies through a preposition when that one is of the hyponym's kind and
    spans[i] is not ("information systems in the social sciences, such as search interfaces": the
    systems, not the sciences)."""
    head = spans[i]
    for k in range(i - 1, -1, -1):
        before = spans[k]
        if before.end > head.start or not _MODIFIER_GAP.match(text[before.end : head.start]):
            break
        if before.type == hyponym.type != spans[i].type:
            return before
        head = before
    return spans[i]


def _list_start(spans: Sequence[Span], i: int, text: str) -> int:
    """The index of the first item of the list spans[i] is an item of: "A, B and C" for B is A."""
    while i > 0 and spans[i - 1].end <= spans[i].start:
        gap = text[spans[i - 1].end : spans[i].start]
        if not (_LIST_GAP.match(gap) and _SEPARATOR.search(gap)):
            break
        i -= 1
    return i


def _list_from(spans: Sequence[Span], j: int, text: str, same_kind: bool = False) -> list[Span]:
    """The mentions of a list that starts at spans[j]: `X1, X2 (X2'), and X3`; with `same_kind`,
    only while its items are of spans[j]'s kind ("for detection and segmentation", not "for
    detection and CLIP")."""
    items = [spans[j]]
    for k in range(j + 1, len(spans)):
        if spans[k].start < items[-1].end:
            continue
        if not _LIST_GAP.match(text[items[-1].end : spans[k].start]) or (
            same_kind and _kind(spans[k]) != _kind(spans[j])
        ):
            break
        items.append(spans[k])
    return items
