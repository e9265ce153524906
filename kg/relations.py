"""Typed entity-entity relations read from one sentence with a small set of precise patterns.

Each pattern looks at two mentions and the text between them (Hearst patterns for hyponymy,
"X outperforms Y" for comparison, "X for Y" for use, "X achieves ... on Y" for evaluation, "the X
module of Y" for parthood). They favour precision over recall (on SciERC's dev relation
annotations: precision 0.93 at recall 0.12, measured by `kg.relation_check`). Like roles, relations depend only on the
paper's own text and the types its extractor gave the mentions.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from paperkg.extract.own_work import OWN_WORK, with_own_work
from paperkg.kg.iris import sentence_iri
from paperkg.kg.roles import about_own_work

if TYPE_CHECKING:
    import pyoxigraph as ox

    from paperkg.extract.records import ScoredRelation
    from paperkg.kg.linking import LinkedMention, LinkedPaper, Sentence

_ARTEFACTS = frozenset({"Method", "Model"})


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
    that proposes none it is nothing."""
    found: dict[tuple, RelationMention] = {}
    by_span = {(lm.mention.field, lm.mention.start, lm.mention.end): lm.iri for lm in mentions}
    proposal = next(
        (lm for lm in mentions if lm.role == "proposes" and lm.type in _ARTEFACTS),
        None,  # mentions come title first, then in text order
    )
    proposed = proposal.iri if proposal else None
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
    for r in scored:
        at = _sentence_of(sentences, r.field, r.subject[0])
        if at is None:
            continue
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
    return sorted(found.values(), key=lambda r: (r.sentence, r.subject.value, r.relation, r.object.value))


# what the role a sentence gives a mention says of the method or model the paper proposes
_ROLE_RELATIONS = {
    ("evaluatesOn", "Dataset"): "evaluatedOn",
    ("reports", "Metric"): "evaluatedWith",
    ("addresses", "Task"): "usedFor",
}


# in a title, what comes before this names what the proposal is or is made of ("X: Dynamic
# Dimension Selection for Reward Modeling"); what comes after, what it is for
_TITLE_PURPOSE = re.compile(r"\b(?:for|towards?)\s", re.IGNORECASE)


def _proposal_relations(
    sentences: dict[tuple[str, int], Sentence], mentions: Sequence[LinkedMention], proposal: LinkedMention
) -> list[RelationMention]:
    """The paper's proposal evaluated on the datasets, evaluated with the metrics and used for the
    tasks its sentences give those roles ("we evaluate on COCO": the proposal is evaluated on
    COCO), in a sentence that names no other method or model: "we evaluate five LLMs on GSM8K"
    evaluates the LLMs. A sentence of the abstract counts when it speaks of the paper's own work
    or names the proposal: "current methods lack X, resulting in low accuracy" reports nothing of it."""
    by_sentence: dict[tuple[str, int], list[LinkedMention]] = {}
    for lm in mentions:
        by_sentence.setdefault((lm.mention.field, lm.mention.sentence), []).append(lm)
    found = []
    for key, group in by_sentence.items():
        if any(lm.type in _ARTEFACTS and lm.entity != proposal.entity for lm in group):
            continue
        s, after = sentences[key], sentences[key].start  # mentions from `after` on count
        if key[0] != "title" and not (about_own_work(s.text) or any(lm.entity == proposal.entity for lm in group)):
            continue
        if key[0] == "title":
            purpose = _TITLE_PURPOSE.search(s.text)
            after = s.start + purpose.end() if purpose else s.end
        for lm in group:
            relation = _ROLE_RELATIONS.get((lm.role, lm.type))
            if relation is not None and lm.mention.start >= after:
                found.append(RelationMention(proposal.iri, relation, lm.iri, key, None, frozenset({"proposal-role"})))
    return found


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
            (x.entity for x in by_sentence[key] if (x.start + offset, x.end + offset) == span and x.type == "Method"),
            None,
        )
    return found


# text between a mention and what comes next that still belongs to the mention: "(SAEs)", ","
_TAIL = r"\s*(?:\([^()]{1,20}\)\s*)?"
_DET = (
    r"(?:(?:the|a|an|both|all|several|various|other|existing|standard|strong|conventional|"
    r"traditional|common|popular|classic|prior|baseline|recent|state-of-the-art|\d+)\s+)*"
)
# between the items of a list; an item's parenthesised acronym is a mention of its own
_LIST_GAP = re.compile(
    r"^\s*[()]?\s*(?:\([^()]{1,20}\))?\s*\)?\s*(?:,|and|or|,\s*and|,\s*or|,\s*as well as)?\s*(?:the\s+)?$"
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
_COMPARE_MID = re.compile(rf"^{_TAIL}\s*(?:with|to|against)\s+{_DET}$", re.IGNORECASE)
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
_EVALUATED_ON = re.compile(
    rf"^{_TAIL}[^.;:]{{0,80}}?\b(?:achiev|obtain|reach|perform|result|score|outperform|"
    rf"evaluat|test|benchmark|experiment)\w*[^.;:]{{0,60}}?\b(?:on|over|across)\s+{_DET}$",
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

    for i, a in enumerate(spans):
        for j in range(i + 1, len(spans)):
            b = spans[j]
            if b.start < a.end:
                continue
            gap = text[a.end : b.start]
            if len(gap) > 160:
                break
            lead = text[: a.start]
            if _SUCH_AS.match(gap):
                for x in _list_from(spans, j, text):
                    add(x, "hyponymOf", _hypernym(spans, i, x, text), "such-as")
            elif _AND_OTHER.match(gap) or _IS_A.match(gap):
                add(a, "hyponymOf", b, "is-a")
            elif _COMPARE.match(gap) or (_COMPARE_LEAD.search(lead) and _COMPARE_MID.match(gap)):
                for x in _list_from(spans, j, text):
                    add(a, "comparedWith", x, "compared")
            elif (
                a.type in _ARTEFACTS
                and b.type == "Dataset"
                and (_EVALUATED_ON.match(gap) or (_EVALUATE_LEAD.search(lead) and _ON.match(gap)))
            ):
                for x in _list_from(spans, j, text):
                    if x.type == "Dataset":
                        add(a, "evaluatedOn", x, "evaluated-on")
            elif (
                a.type in _ARTEFACTS | {"Concept", "Dataset"}
                and b.type in ("Task", "Method")
                and _USED_FOR.match(gap)
                and not (_RANGE_TO.match(gap) and _RANGE_FROM.search(lead))
            ):
                add(a, "usedFor", b, "used-for")
            elif b.type in _ARTEFACTS | {"Dataset", "Concept"} and a.type in ("Task", "Method") and _USED_BY.match(gap):
                add(b, "usedFor", a, "using")
            elif _PART_OF.match(gap):
                add(a, "partOf", b, "part-of")
    return found


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


def _list_from(spans: Sequence[Span], j: int, text: str) -> list[Span]:
    """The mentions of a list that starts at spans[j]: `X1, X2 (X2'), and X3`."""
    items = [spans[j]]
    for k in range(j + 1, len(spans)):
        if spans[k].start < items[-1].end:
            continue
        if not _LIST_GAP.match(text[items[-1].end : spans[k].start]):
            break
        items.append(spans[k])
    return items
