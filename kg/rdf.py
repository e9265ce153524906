"""Records -> quads, following docs/graph.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache

import pyoxigraph as ox

from paperkg.extract.readers.dates import xsd_type
from paperkg.extract.records import Paper, Sentence
from paperkg.kg.entities import EntitySummary
from paperkg.kg.iris import (
    form_iri_text,
    merge_iri_text,
    paper_iri,
    relation_mention_iri_text,
    sentence_iri_text,
    statement_iri,
)
from paperkg.kg.linking import LinkedMention, LinkedPaper
from paperkg.kg.nquads import iri, literal, literal_end
from paperkg.kg.terms import Term, dcterms, fabio, integer, named, oa, pkg, prism, prov, rdf, sdo, skos, term_value, xsd


def paper_nquads(paper: Paper, at: str) -> str:
    """The bibliographic description of one paper (not its entities), whose IRI is `at`, as N-Quads
    lines, byte for byte what `kg.nquads.serialized` writes of its quads: an extraction worker
    writes one a paper, and making its literals as terms first took longer than the rest of its
    lines (`kg.nquads`)."""
    at = f"<{at}> "
    lines = [_A_PAPER, _A_SCHOLARLY_ARTICLE, f"{_TITLE}{literal(paper.title)} .\n"]
    if paper.abstract:
        lines.append(f"{_ABSTRACT}{literal(paper.abstract)} .\n")
    if paper.date:
        lines.append(f"{_ISSUED}{literal(paper.date, getattr(xsd, xsd_type(paper.date)))} .\n")
    if paper.date_text:
        lines.append(f"{_DATE_TEXT}{literal(paper.date_text)} .\n")
    if paper.year is not None:
        lines.append(f'{_YEAR}"{paper.year}{_INTEGER}')
    if paper.arxiv_id:
        lines.append(f"{_ARXIV_ID}{literal(paper.arxiv_id)} .\n")
    if paper.doi:
        lines.append(f"{_DOI}{literal(paper.doi)} .\n")
    # an IRI is made a term to be checked, as a quad's would be: a listing's URL may not be one
    lines += [f"{_URL}{iri(ox.NamedNode(url))} .\n" for url in paper.urls]
    lines += [f"{_CODE_REPOSITORY}{iri(ox.NamedNode(url))} .\n" for url in paper.code_urls]
    lines += [f"{_CREATOR}{literal(name)} .\n" for name in paper.authors]
    count = paper.author_count if paper.author_count is not None else (len(paper.authors) or None)
    if count is not None:
        lines.append(f'{_AUTHOR_COUNT}"{count}{_INTEGER}')
    if paper.upvotes is not None:
        lines.append(f'{_UPVOTES}"{paper.upvotes}{_INTEGER}')
    lines += [f"{_SOURCE_LOCATION}{literal(location)} .\n" for location in paper.locations]
    return at + at.join(lines)


def location_quads(paper: Paper) -> Iterator[ox.Quad]:
    """Where the paper was read: one `pkg:sourceLocation` per listing and line."""
    s = paper_iri(paper.key)
    for location in paper.locations:
        yield ox.Quad(s, pkg.sourceLocation, ox.Literal(location))


# -- a paper's sentences and mentions, as N-Quads lines (`kg.nquads` says why) ---------------------
# The extraction workers write these; the writing process loads them (`kg.ingest.prepare`).


# The lines of a node of a paper's own: its IRI once, then one f-string a line with the predicates
# and classes rendered here once. A mention's lines take 1.0 us of CPU so, 3.4 us as `nquad` calls
# (an f-string, a predicate's value and an IRI term a line) and as much as a `str.format` template.
_TYPE, _PAPER, _SENTENCE, _FIELD = (f"<{p.value}> " for p in (rdf.type, pkg.paper, pkg.sentence, pkg.field))
_INDEX, _VALUE, _START, _END = (f"<{p.value}> " for p in (pkg.sentenceIndex, rdf.value, oa.start, oa.end))
_EXACT, _ROLE, _EXTRACTOR, _ENTITY_TYPE, _ACRONYM_KEY = (
    f"<{p.value}> " for p in (oa.exact, pkg.role, pkg.extractor, pkg.entityType, pkg.acronymKey)
)
_HAS_BODY = f"<{oa.hasBody.value}> "
_SUBJECT, _RELATION, _OBJECT, _SCORE, _PATTERN = (
    f"<{p.value}> " for p in (pkg.subjectMention, pkg.relation, pkg.objectMention, pkg.score, pkg.pattern)
)
_INTEGER = literal_end(xsd.integer)  # after a number's digits, which need no escaping
_A_SENTENCE, _A_MENTION, _A_RELATION_MENTION = (
    f"{_TYPE}{iri(c)} .\n" for c in (pkg.Sentence, pkg.Mention, pkg.RelationMention)
)
_A_PAPER, _A_SCHOLARLY_ARTICLE = (f"{_TYPE}{iri(c)} .\n" for c in (pkg.Paper, sdo.ScholarlyArticle))
_TITLE, _ABSTRACT, _ISSUED, _DATE_TEXT, _YEAR, _ARXIV_ID, _DOI = (
    f"<{p.value}> "
    for p in (dcterms.title, dcterms.abstract, dcterms.issued, pkg.dateText, pkg.year, fabio.hasArXivId, prism.doi)
)
_URL, _CODE_REPOSITORY, _CREATOR, _AUTHOR_COUNT, _UPVOTES, _SOURCE_LOCATION = (
    f"<{p.value}> "
    for p in (sdo.url, sdo.codeRepository, dcterms.creator, pkg.authorCount, pkg.upvotes, pkg.sourceLocation)
)


def sentence_nquads(paper: str, s: Sentence) -> str:
    """A sentence node of the paper whose IRI is `paper`, as N-Quads lines."""
    node = f"<{sentence_iri_text(paper, s.field, s.index)}> "
    return node.join(
        (
            "",
            _A_SENTENCE,
            f"{_PAPER}<{paper}> .\n",
            f"{_FIELD}{literal(s.field)} .\n",
            f'{_INDEX}"{s.index}{_INTEGER}',
            f"{_VALUE}{literal(s.text)} .\n",
            f'{_START}"{s.start}{_INTEGER}',
            f'{_END}"{s.end}{_INTEGER}',
        )
    )


def mention_nquads(paper: str, lm: LinkedMention) -> str:
    """A mention node without its body (the link to the entity is in `link_quads`). What its
    sentence or paper says is not repeated: the field is its sentence's `pkg:field`, the build
    that made it its paper's `prov:wasGeneratedBy` (a third of a build's quads are mentions')."""
    m, node = lm.mention, f"<{lm.iri.value}> "
    lines: tuple[str, ...] = (
        "",
        _A_MENTION,
        f"{_PAPER}<{paper}> .\n",
        f"{_SENTENCE}<{sentence_iri_text(paper, m.field, m.sentence)}> .\n",
        f"{_EXACT}{literal(m.text)} .\n",
        f'{_START}"{m.start}{_INTEGER}',
        f'{_END}"{m.end}{_INTEGER}',
        f"{_ROLE}{_pkg_iri(lm.role)} .\n",
        f"{_EXTRACTOR}{literal(m.source or 'unknown')} .\n",
        f"{_ENTITY_TYPE}{_pkg_iri(lm.type)} .\n",
    )
    if lm.acronym_key is not None:
        lines += (f"{_ACRONYM_KEY}{literal(lm.acronym_key)} .\n",)
    return node.join(lines)


def link_nquads(paper: LinkedPaper) -> list[str]:
    """Everything that depends on which entity each mention names, as N-Quads lines, each once:
    bodies and paper-entity roles (what a build decides of each new paper, `kg.spool`). Rendered
    as a mention's lines are (every mention of a build has one)."""
    at = f"<{paper.iri.value}> "
    lines = []
    links = set()  # (role, entity) the paper has a line for: most entities are named more than once
    for lm in paper.mentions:
        entity = f"<{lm.entity.value}> .\n"
        lines.append(f"<{lm.iri.value}> {_HAS_BODY}{entity}")
        for role in ("mentions", lm.role):
            if (role, entity) not in links:
                links.add((role, entity))
                lines.append(f"{at}{_pkg_iri(role)} {entity}")
    return lines


def link_quads(paper: LinkedPaper) -> set[ox.Quad]:
    """`link_nquads` as quads, to compare with a stored paper's (a relinked one: few)."""
    return set(ox.parse("".join(link_nquads(paper)).encode(), ox.RdfFormat.N_QUADS))


def relation_mention_nquads(paper: LinkedPaper) -> Iterator[str]:
    """The relations the paper's sentences state between its mentions, and what found each."""
    at = paper.iri.value
    for n, r in enumerate(paper.relations):
        lines: tuple[str, ...] = (
            "",
            _A_RELATION_MENTION,
            f"{_PAPER}<{at}> .\n",
            f"{_SENTENCE}<{sentence_iri_text(at, *r.sentence)}> .\n",
            f"{_SUBJECT}{iri(r.subject)} .\n",
            f"{_RELATION}{_pkg_iri(r.relation)} .\n",
            f"{_OBJECT}{iri(r.object)} .\n",
        )
        if r.score is not None:
            lines += (f"{_SCORE}{literal(f'{r.score:.3f}', xsd.decimal)} .\n",)
        if r.patterns:
            lines += (f"{_PATTERN}{literal(' '.join(sorted(r.patterns)))} .\n",)
        yield f"<{relation_mention_iri_text(at, n)}> ".join(lines)


# -- entities --------------------------------------------------------------------------------------

SUMMARY_PREDICATES = frozenset(
    (
        rdf.type,
        skos.prefLabel,
        skos.altLabel,
        pkg.key,
        pkg.lookupKey,
        pkg.acronym,
        pkg.paperCount,
        pkg.mentionCount,
        pkg.hasMerge,
        pkg.surfaceForm,
        skos.exactMatch,
        skos.closeMatch,
    )
)


# An entity's description, rendered as a mention's lines are: its IRI once, the predicates and
# classes here once (a build describes every entity it touched: ~480k at the whole corpus).
_LABEL, _ALT_LABEL, _KEY, _LOOKUP_KEY, _ACRONYM = (
    f"<{p.value}> " for p in (skos.prefLabel, skos.altLabel, pkg.key, pkg.lookupKey, pkg.acronym)
)
_PAPER_COUNT, _MENTION_COUNT, _HAS_MERGE, _ALIAS, _MERGE_RULE, _SURFACE_FORM = (
    f"<{p.value}> " for p in (pkg.paperCount, pkg.mentionCount, pkg.hasMerge, pkg.alias, pkg.mergeRule, pkg.surfaceForm)
)
_A_MERGE, _A_FORM = (f"{_TYPE}{iri(c)} .\n" for c in (pkg.AliasMerge, pkg.SurfaceForm))


_LINKS = {relation: f"<{getattr(skos, relation).value}> " for relation in ("exactMatch", "closeMatch")}


@cache
def _pkg_iri(name: str) -> str:
    """The IRI of `pkg`'s class or property `name` as N-Quads writes it, made once per name
    (`entity_nquads`, `link_nquads`, `statement_nquads`)."""
    return iri(getattr(pkg, name))


def entity_nquads(entity: ox.NamedNode, s: EntitySummary) -> list[str]:
    """An entity's description and the explanation of each of its aliases, as N-Quads lines
    (`kg.nquads`): a build writes one for every entity it touched."""
    at = entity.value
    node = f"<{at}> "
    lines = [
        f"{node}{_TYPE}{_pkg_iri(s.type)} .\n",
        f"{node}{_LABEL}{literal(s.label)} .\n",
        f"{node}{_KEY}{literal(s.key)} .\n",
        f'{node}{_PAPER_COUNT}"{s.papers}{_INTEGER}',
        f'{node}{_MENTION_COUNT}"{s.mentions}{_INTEGER}',
    ]
    append = lines.append  # loops, not comprehensions: most of these tuples hold one item or none
    for k in s.lookup_keys:
        append(f"{node}{_LOOKUP_KEY}{literal(k)} .\n")
    for a in s.aliases:
        append(f"{node}{_ALT_LABEL}{literal(a)} .\n")
    for a in s.acronyms:
        append(f"{node}{_ACRONYM}{literal(a)} .\n")
    for relation, target in s.links:
        append(f"{node}{_LINKS[relation]}<{target}> .\n")
    for alias, rules in s.merges:
        merge = f"<{merge_iri_text(at, alias)}> "
        lines += (f"{node}{_HAS_MERGE}{merge}.\n", f"{merge}{_A_MERGE}", f"{merge}{_ALIAS}{literal(alias)} .\n")
        for r in rules:
            append(f"{merge}{_MERGE_RULE}{literal(r)} .\n")
    for text, type_, n in s.forms:
        form = f"<{form_iri_text(at, text, type_)}> "
        lines += (
            f"{node}{_SURFACE_FORM}{form}.\n",
            f"{form}{_A_FORM}",
            f"{form}{_EXACT}{literal(text)} .\n",
            f"{form}{_ENTITY_TYPE}{_pkg_iri(type_)} .\n",
            f'{form}{_MENTION_COUNT}"{n}{_INTEGER}',
        )
    return lines


def stored_tallies(quads: set[ox.Quad]) -> Counter:
    """(text, extractor type) -> mentions, from an entity's `stored_entity_quads`."""
    forms: dict[Term, dict[ox.NamedNode, Term]] = {q.object: {} for q in quads if q.predicate == pkg.surfaceForm}
    for q in quads:
        if q.subject in forms:
            forms[q.subject][q.predicate] = q.object
    return Counter(
        {
            (term_value(v[oa.exact]), term_value(v[pkg.entityType]).rsplit("#", 1)[1]): int(
                term_value(v[pkg.mentionCount])
            )
            for v in forms.values()
        }
    )


def stored_entity_quads(db: ox.Store, entity: ox.NamedNode) -> set[ox.Quad]:
    """What `entity_nquads` wrote for `entity` (its relations to other entities excluded)."""
    # one lookup per predicate, not a scan of the entity's triples: a frequent entity can have
    # thousands of relation edges, none of them part of its description
    quads: set[ox.Quad] = set()
    for p in SUMMARY_PREDICATES:
        quads.update(db.quads_for_pattern(entity, p, None))
    for q in list(quads):
        if q.predicate in (pkg.hasMerge, pkg.surfaceForm):
            quads.update(db.quads_for_pattern(named(q.object), None, None))
    return quads


# -- entity-entity relations -----------------------------------------------------------------------


def statement_nquads(
    s: ox.NamedNode, relation: str, o: ox.NamedNode, build: ox.NamedNode, node: ox.NamedNode | None = None
) -> list[str]:
    """A typed relation as a direct edge plus the evidence node (`statement_iri`, or `node` when
    the caller has made it) its sentences hang from, as N-Quads lines: a first build makes tens
    of thousands."""
    predicate = _pkg_iri(relation)
    node = node if node is not None else statement_iri(s, getattr(pkg, relation), o)
    at, subject, obj = f"<{node.value}> ", f"<{s.value}>", f"<{o.value}> .\n"
    return [
        f"{subject} {predicate} {obj}",
        f"{at}{_A_STATEMENT}",
        f"{at}{_STATEMENT_SUBJECT}{subject} .\n",
        f"{at}{_STATEMENT_PREDICATE}{predicate} .\n",
        f"{at}{_STATEMENT_OBJECT}{obj}",
        f"{at}{_GENERATED_BY}<{build.value}> .\n",
    ]


_A_STATEMENT = f"{_TYPE}{iri(rdf.Statement)} .\n"
_STATEMENT_SUBJECT, _STATEMENT_PREDICATE, _STATEMENT_OBJECT, _GENERATED_BY = (
    f"<{p.value}> " for p in (rdf.subject, rdf.predicate, rdf.object, prov.wasGeneratedBy)
)


def statement_quads(s: ox.NamedNode, relation: str, o: ox.NamedNode, build: ox.NamedNode) -> list[ox.Quad]:
    """`statement_nquads` as quads (to remove: few)."""
    return list(ox.parse("".join(statement_nquads(s, relation, o, build)).encode(), ox.RdfFormat.N_QUADS))


# -- builds ----------------------------------------------------------------------------------------


def build_quads(
    node: ox.NamedNode, started: datetime, ended: datetime, extractors: Iterable[str], generic_dropped: int = 0
) -> Iterator[ox.Quad]:
    yield ox.Quad(node, rdf.type, pkg.Build)
    yield ox.Quad(node, pkg.genericDropped, integer(generic_dropped))
    yield ox.Quad(node, rdf.type, prov.Activity)
    yield ox.Quad(node, prov.startedAtTime, _datetime(started))
    yield ox.Quad(node, prov.endedAtTime, _datetime(ended))
    for name in sorted(set(extractors)):
        yield ox.Quad(node, pkg.extractorVersion, ox.Literal(name))


def _datetime(value: datetime) -> ox.Literal:
    return ox.Literal(value.isoformat(timespec="seconds"), datatype=xsd.dateTime)
