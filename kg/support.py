"""How well a typed relation is supported: the papers that state it, per year, and by what.

A relation's `rdf:Statement` carries, summed over the relation mentions (`pkg:RelationMention`)
of all papers that state it: the number of papers (`pkg:supportPapers`), the papers in which the
trained scorer and a pattern both found it (`pkg:agreementPapers`), the papers per year (one
`pkg:YearSupport` node per year), the scorer's highest probability (`pkg:confidence`) and the
patterns that found it (`pkg:pattern`). It is reliable (`pkg:reliable`) when two or more papers
state it, or scorer and pattern agree in one (CS-KG's rule; their audited precision rises from
0.54 for relations of one paper to 0.73 for two).

A build adds a chunk's papers to the stored sums; when a chunk moves mentions of stored papers to
another entity, the statements those papers gained or lost are counted again from their
relation mentions, so adding papers build by build gives the same support as one build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from paperkg.kg.iris import year_support_iri
from paperkg.kg.linking import LinkedPaper
from paperkg.kg.nquads import iri, literal, literal_end
from paperkg.kg.terms import named, oa, pkg, prov, rdf, term_value, xsd

Key = tuple[ox.NamedNode, str, ox.NamedNode]  # subject entity, relation, object entity
Found = tuple[float | None, frozenset[str]]  # a relation mention's scorer probability and patterns


@dataclass
class Support:
    papers: int = 0
    agreement: int = 0  # papers in which the scorer and a pattern both found the relation
    years: Counter = field(default_factory=Counter)
    confidence: float | None = None
    patterns: set[str] = field(default_factory=set)

    def add(self, other: Support) -> None:
        self.papers += other.papers
        self.agreement += other.agreement
        self.years.update(other.years)
        if other.confidence is not None:
            self.confidence = max(self.confidence or 0.0, other.confidence)
        self.patterns |= other.patterns

    @property
    def reliable(self) -> bool:
        return self.papers >= 2 or self.agreement >= 1


def paper_support(paper: LinkedPaper, year: int | None) -> dict[Key, Support]:
    """What one paper contributes to each relation it states."""
    entity = {lm.iri: lm.entity for lm in paper.mentions}
    stated: dict[Key, list[Found]] = {}
    for r in paper.relations:
        s, o = entity[r.subject], entity[r.object]
        if s != o:
            stated.setdefault((s, r.relation, o), []).append((r.score, r.patterns))
    return {key: _support_of(found, year) for key, found in stated.items()}


def _support_of(found: Iterable[Found], year: int | None) -> Support:
    """One paper's support for a relation its sentences state with these scores and patterns."""
    support = Support(1, 0, Counter({year: 1}) if year is not None else Counter())
    for score, patterns in found:
        if score is not None:
            support.confidence = max(support.confidence or 0.0, score)
            support.agreement = support.agreement or int(bool(patterns))
        support.patterns |= patterns
    return support


# the predicates, classes and datatypes of the lines `support_nquads` makes, rendered once (a large
# build writes hundreds of thousands of statements' support)
_PAPERS, _AGREEMENT, _RELIABLE, _CONFIDENCE, _PATTERN, _YEAR_SUPPORT, _YEAR = (
    f" <{p.value}> "
    for p in (
        pkg.supportPapers,
        pkg.agreementPapers,
        pkg.reliable,
        pkg.confidence,
        pkg.pattern,
        pkg.yearSupport,
        pkg.year,
    )
)
_INTEGER, _DECIMAL = literal_end(xsd.integer), literal_end(xsd.decimal)
_TRUE, _FALSE = (f'"{value}"^^<{xsd.boolean.value}> .\n' for value in ("true", "false"))
_A_YEAR_SUPPORT = f" <{rdf.type.value}> <{pkg.YearSupport.value}> .\n"


def support_nquads(node: ox.NamedNode, support: Support) -> list[str]:
    """The statement `node`'s support as N-Quads lines (`kg.nquads`)."""
    at = f"<{node.value}>"
    lines = [
        f'{at}{_PAPERS}"{support.papers}{_INTEGER}',
        f'{at}{_AGREEMENT}"{support.agreement}{_INTEGER}',
        f"{at}{_RELIABLE}{_TRUE if support.reliable else _FALSE}",
    ]
    if support.confidence is not None:
        lines.append(f'{at}{_CONFIDENCE}"{support.confidence:.3f}{_DECIMAL}')
    if support.patterns:
        lines.append(f"{at}{_PATTERN}{literal(' '.join(sorted(support.patterns)))} .\n")
    for year, n in support.years.items():
        if n:
            in_year = iri(year_support_iri(node, year))
            lines += [
                f"{at}{_YEAR_SUPPORT}{in_year} .\n",
                f"{in_year}{_A_YEAR_SUPPORT}",
                f'{in_year}{_YEAR}"{year}{_INTEGER}',
                f'{in_year}{_PAPERS}"{n}{_INTEGER}',
            ]
    return lines


def stored_support(db: ox.Store, node: ox.NamedNode) -> tuple[Support, set[ox.Quad]]:
    """The `Support` that `support_nquads` wrote for the statement `node`, and those quads."""
    support, quads = Support(), set[ox.Quad]()
    for q in db.quads_for_pattern(node, pkg.supportPapers, None):
        support.papers = int(term_value(q.object))
    for q in db.quads_for_pattern(node, pkg.agreementPapers, None):
        support.agreement = int(term_value(q.object))
    for q in db.quads_for_pattern(node, pkg.confidence, None):
        support.confidence = float(term_value(q.object))
    for q in db.quads_for_pattern(node, pkg.pattern, None):
        support.patterns = set(term_value(q.object).split())
    for p in (pkg.supportPapers, pkg.agreementPapers, pkg.reliable, pkg.confidence, pkg.pattern):
        quads.update(db.quads_for_pattern(node, p, None))
    for q in db.quads_for_pattern(node, pkg.yearSupport, None):
        at = named(q.object)
        year = list(db.quads_for_pattern(at, None, None))
        values = {y.predicate: term_value(y.object) for y in year}
        support.years[int(values[pkg.year])] = int(values[pkg.supportPapers])
        quads.add(q)
        quads.update(year)
    return support, quads


def recount(db: ox.Store, key: Key, node: ox.NamedNode) -> Support:
    """The support of the statement `node` counted again from the relation mentions in the
    sentences it is derived from, as they are linked in the store now."""
    s, relation, o = key
    predicate = getattr(pkg, relation)
    by_paper: dict[ox.NamedNode, list[Found]] = {}
    for evidence in db.quads_for_pattern(node, prov.wasDerivedFrom, None):
        for q in db.quads_for_pattern(None, pkg.sentence, evidence.object):
            r = named(q.subject)
            if not any(db.quads_for_pattern(r, pkg.relation, predicate)):
                continue
            subject, obj = _one(db, r, pkg.subjectMention), _one(db, r, pkg.objectMention)
            if _one(db, named(subject), oa.hasBody) != s or _one(db, named(obj), oa.hasBody) != o:
                continue
            score = next(iter(db.quads_for_pattern(r, pkg.score, None)), None)
            patterns = next(iter(db.quads_for_pattern(r, pkg.pattern, None)), None)
            by_paper.setdefault(named(_one(db, r, pkg.paper)), []).append(
                (
                    float(term_value(score.object)) if score else None,
                    frozenset(term_value(patterns.object).split()) if patterns else frozenset(),
                )
            )
    total = Support()
    for paper, relations in by_paper.items():
        year = next(iter(db.quads_for_pattern(paper, pkg.year, None)), None)
        total.add(_support_of(relations, int(term_value(year.object)) if year else None))
    return total


def _one(db: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode):
    return next(iter(db.quads_for_pattern(subject, predicate, None))).object
