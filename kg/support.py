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

from paperkg.kg.identity import year_support_iri
from paperkg.kg.linking import LinkedPaper
from paperkg.kg.terms import named, pkg, rdf, term_value, xsd

Key = tuple[ox.NamedNode, str, ox.NamedNode]  # subject entity, relation, object entity


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
    found: dict[Key, Support] = {}
    for r in paper.relations:
        s, o = entity[r.subject], entity[r.object]
        if s == o:
            continue
        support = found.setdefault((s, r.relation, o), Support(1, 0, Counter({year: 1}) if year else Counter()))
        if r.score is not None and r.patterns:
            support.agreement = 1
        if r.score is not None:
            support.confidence = max(support.confidence or 0.0, r.score)
        support.patterns |= r.patterns
    return found


def support_quads(node: ox.NamedNode, support: Support) -> set[ox.Quad]:
    quads = {
        ox.Quad(node, pkg.supportPapers, _int(support.papers)),
        ox.Quad(node, pkg.agreementPapers, _int(support.agreement)),
        ox.Quad(node, pkg.reliable, ox.Literal("true" if support.reliable else "false", datatype=xsd.boolean)),
    }
    if support.confidence is not None:
        quads.add(ox.Quad(node, pkg.confidence, ox.Literal(f"{support.confidence:.3f}", datatype=xsd.decimal)))
    if support.patterns:
        quads.add(ox.Quad(node, pkg.pattern, ox.Literal(" ".join(sorted(support.patterns)))))
    for year, n in support.years.items():
        if n:
            at = year_support_iri(node, year)
            quads |= {
                ox.Quad(node, pkg.yearSupport, at),
                ox.Quad(at, rdf.type, pkg.YearSupport),
                ox.Quad(at, pkg.year, _int(year)),
                ox.Quad(at, pkg.supportPapers, _int(n)),
            }
    return quads


SUPPORT_PREDICATES = (pkg.supportPapers, pkg.agreementPapers, pkg.reliable, pkg.confidence, pkg.pattern)


def stored_support_quads(db: ox.Store, node: ox.NamedNode) -> set[ox.Quad]:
    quads: set[ox.Quad] = set()
    for p in (*SUPPORT_PREDICATES, pkg.yearSupport):
        quads.update(db.quads_for_pattern(node, p, None))
    for q in list(quads):
        if q.predicate == pkg.yearSupport:
            quads.update(db.quads_for_pattern(named(q.object), None, None))
    return quads


def stored_support(quads: Iterable[ox.Quad]) -> Support:
    """The `Support` that `support_quads` wrote."""
    quads = list(quads)
    support = Support()
    years: dict[ox.NamedNode, dict[ox.NamedNode, str]] = {}
    for q in quads:
        if q.predicate == pkg.supportPapers and q.subject not in {y.object for y in quads if y.predicate == pkg.yearSupport}:
            support.papers = int(term_value(q.object))
        elif q.predicate == pkg.agreementPapers:
            support.agreement = int(term_value(q.object))
        elif q.predicate == pkg.confidence:
            support.confidence = float(term_value(q.object))
        elif q.predicate == pkg.pattern:
            support.patterns = set(term_value(q.object).split())
        if q.predicate in (pkg.year, pkg.supportPapers):
            years.setdefault(named(q.subject), {})[q.predicate] = term_value(q.object)
    for node, values in years.items():
        if pkg.year in values:
            support.years[int(values[pkg.year])] = int(values[pkg.supportPapers])
    return support


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=xsd.integer)
