"""Every entity's time data in the store: papers per month, first appearance, quartile months.

Written by a build for the entities it touches, read by `kg trends`, `kg lookup` and SPARQL::

    <entity> pkg:periodCount <entity/papers/2025-05> .
    <entity/papers/2025-05> pkg:period "2025-05"^^xsd:gYearMonth ; pkg:papersInPeriod 7 .
    <entity> pkg:firstSeen "2025-03-14"^^xsd:date ; pkg:firstPaper <paper/...> ;
             pkg:q1Month "2025-06"^^xsd:gYearMonth ; pkg:medianMonth ... ; pkg:q3Month ... .

A paper counts in the month of its date, or, dated only by a year, in that year (an
``xsd:gYear`` period): an entity's papers in a year are the sum over that year's periods. A paper
without a year (a listing's "Oct 16") is in no period, and no trend. First appearance and
quartiles come from papers with a full date. The corpus node counts all papers the same way,
with those without a year, so that a reader gets the month totals and what was left out from a
few triples instead of a scan of every paper::

    <corpus> a pkg:Corpus ; pkg:periodCount <corpus/papers/2025-05> ; pkg:undatedPapers 3 .

The counts are kept by deltas, as the entities' mention tallies are: a build sums its papers'
changes in memory (`TimeChanges`) and, at its end, reads and rewrites only the periods of the
entities its papers touched and that were stored before it, so building A then B gives the graph
that building A and B together gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from paperkg.kg.iris import corpus_iri, period_iri, period_iri_text
from paperkg.kg.nquads import PAPERS_NEEDED, iri, literal, literal_end, nquad, replace_nquads
from paperkg.kg.store import bulk_write_nquads
from paperkg.kg.terms import dcterms, integer, named, pkg, rdf, term_value, xsd
from paperkg.kg.trends import month_range, quartile_months


@dataclass(frozen=True)
class PaperChange:
    """A paper's entities before and after a write: a new paper (`new`, nothing before) or a
    stored one whose mentions were relinked."""

    paper: ox.NamedNode
    date: str | None  # YYYY-MM-DD, --MM-DD or None, as `Paper.date`
    year: int | None
    before: frozenset[ox.NamedNode]
    after: frozenset[ox.NamedNode]
    new: bool = True


def period_of(date: str | None, year: int | None) -> str | None:
    """``YYYY-MM`` for a dated paper, ``YYYY`` for one with only a year, None without a year."""
    if date and not date.startswith("--"):
        return date[:7]
    return f"{year:04d}" if year is not None else None


def _full_date(date: str | None) -> str | None:
    return date if date and not date.startswith("--") else None


def stored_paper_change(
    db: ox.Store, paper: ox.NamedNode, before: Iterable[ox.NamedNode], after: Iterable[ox.NamedNode]
) -> PaperChange:
    """A `PaperChange` for a paper already in the store (its date read from there)."""
    date, year = _stored_date(db, paper)
    return PaperChange(paper, date, year, frozenset(before), frozenset(after), new=False)


def _stored_date(db: ox.Store, paper: ox.NamedNode) -> tuple[str | None, int | None]:
    issued = next(iter(db.quads_for_pattern(paper, dcterms.issued, None)), None)
    year = next(iter(db.quads_for_pattern(paper, pkg.year, None)), None)
    return (
        term_value(issued.object) if issued else None,
        int(term_value(year.object)) if year else None,
    )


def _period_type(period: str) -> ox.NamedNode:
    return xsd.gYearMonth if len(period) == 7 else xsd.gYear


@lru_cache(maxsize=1024)  # a few hundred periods, each written for every entity named in it
def _period_literal(period: str) -> ox.Literal:
    return ox.Literal(period, datatype=_period_type(period))


@lru_cache(maxsize=1024)
def _period_text(period: str) -> str:
    return literal(period, _period_type(period))


def stored_periods(db: ox.Store, entity: ox.NamedNode) -> Counter:
    """period -> papers of `entity`, as stored."""
    counts: Counter = Counter()
    for q in db.quads_for_pattern(entity, pkg.periodCount, None):
        node = named(q.object)
        period = next(iter(db.quads_for_pattern(node, pkg.period, None)))
        n = next(iter(db.quads_for_pattern(node, pkg.papersInPeriod, None)))
        counts[term_value(period.object)] = int(term_value(n.object))
    return counts


def record_changes(db: ox.Store, changes: Iterable[PaperChange]) -> None:
    """Update the time data of the corpus and of every entity that `changes` gain or lose a
    paper for (after the write of the papers' links)."""
    time_data = TimeChanges()
    time_data.add(changes)
    time_data.write(db)


@dataclass
class TimeChanges:
    """What papers gain or lose in the time data, summed over a build's chunks, written once at its end.

    Counts add up whatever order the chunks come in; the first appearance is the earliest dated
    paper gained, unless a paper that might be the first was lost on the way, when it is found
    again among the entity's papers as they are after the build.
    """

    corpus: Counter = field(default_factory=Counter)  # period -> papers added
    undated: int = 0  # papers added without a year
    # entity -> period -> papers gained (dicts, not Counters: a build makes one for each entity it touches)
    deltas: dict[ox.NamedNode, dict[str, int]] = field(default_factory=dict)
    earliest: dict[ox.NamedNode, tuple[str, str]] = field(default_factory=dict)  # entity -> (date, paper IRI)
    lost: dict[ox.NamedNode, set[ox.NamedNode]] = field(default_factory=lambda: defaultdict(set))

    def add(self, changes: Iterable[PaperChange]) -> None:
        deltas, earliest = self.deltas, self.earliest
        for c in changes:
            period = period_of(c.date, c.year)
            if period is None:
                self.undated += c.new
                continue
            self.corpus[period] += c.new
            date = _full_date(c.date)
            first = None if date is None else (date, c.paper.value)
            # a new paper had no entities before: every one it names is gained (most changes of a build)
            for e in c.after - c.before if c.before else c.after:
                counts = deltas.setdefault(e, {})
                counts[period] = counts.get(period, 0) + 1
                if first is not None and ((known := earliest.get(e)) is None or first < known):
                    earliest[e] = first
            for e in c.before - c.after:
                counts = deltas.setdefault(e, {})
                counts[period] = counts.get(period, 0) - 1
                self.lost[e].add(c.paper)

    def write(self, db: ox.Store, new: Collection[ox.NamedNode] = ()) -> None:
        """Apply the changes to the store; `new` are entities known to have no time data stored,
        whose reads are skipped (most of a large build's)."""
        bulk_write_nquads(db, self.changes(db, new))

    def changes(self, db: ox.Store, new: Collection[ox.NamedNode] = ()) -> Iterator[str]:
        """The quads to add as N-Quads lines (`kg.nquads` says why), an entity at a time; what
        is no longer true is removed on the way. `new` as for `write`. Only an entity that lost a
        paper may read the papers (its first one, found again): those come last, after
        `PAPERS_NEEDED` (a build's papers are loading meanwhile)."""
        add: list[str] = []
        if +self.corpus or self.undated:
            _update_corpus(db, self.corpus, self.undated, add)
        papers_needed = False
        for e, deltas in self._in_order():
            stored = e not in new
            if not stored and e not in self.lost:  # most of a large build's: nothing to read
                yield from add
                add = []
                yield _new_entity_nquads(e.value, deltas, self.earliest.get(e))
                continue
            counts = _update_periods(db, e, deltas, add, stored)
            old = _stored_summary(db, e) if stored else set()
            if e in self.lost and not papers_needed:
                papers_needed = True
                yield PAPERS_NEEDED
            summary = _summary(db, e, counts, old, self.earliest.get(e), self.lost.get(e, set()))
            yield from add
            yield from replace_nquads(db, old, summary)
            add = []
        yield from add

    def _in_order(self) -> list[tuple[ox.NamedNode, dict[str, int]]]:
        """Each entity and its deltas, by IRI; those that lost a paper (few: they may read the
        papers) after all the others, by IRI too."""
        ordered = sorted(self.deltas.items(), key=lambda item: item[0].value)
        if not self.lost:  # every first build's, and most others'
            return ordered
        return [i for i in ordered if i[0] not in self.lost] + [i for i in ordered if i[0] in self.lost]


# the predicates and datatypes of a new entity's time data, rendered once
_PERIOD_COUNT, _PAPERS_IN, _PERIOD = (f" <{p.value}> " for p in (pkg.periodCount, pkg.papersInPeriod, pkg.period))
_FIRST_SEEN, _FIRST_PAPER = (f" <{p.value}> " for p in (pkg.firstSeen, pkg.firstPaper))
_Q1, _MEDIAN, _Q3 = (f" <{p.value}> " for p in (pkg.q1Month, pkg.medianMonth, pkg.q3Month))
_INTEGER, _DATE = literal_end(xsd.integer), literal_end(xsd.date)


def _new_entity_nquads(entity: str, deltas: Mapping[str, int], earliest: tuple[str, str] | None) -> str:
    """The time data of an entity the store does not hold and no paper lost, as N-Quads lines in
    one string: the lines `_update_periods` and `_summary` make for it (nothing to read or remove)."""
    at = f"<{entity}>"
    lines = []  # a string for each period's three lines, the first paper's two and the quartiles' three
    for period, count in deltas.items():
        if count > 0:
            at_count = f"<{period_iri_text(entity, period)}>"
            lines.append(
                f'{at_count}{_PAPERS_IN}"{count}{_INTEGER}'
                f"{at_count}{_PERIOD}{_period_text(period)} .\n"
                f"{at}{_PERIOD_COUNT}{at_count} .\n"
            )
    if earliest is not None:
        date, paper = earliest
        lines.append(f'{at}{_FIRST_SEEN}"{date}{_DATE}{at}{_FIRST_PAPER}<{paper}> .\n')
    quartiles = quartile_months({p: n for p, n in deltas.items() if len(p) == 7 and n > 0})
    if quartiles:
        q1, median, q3 = map(_period_text, quartiles)
        lines.append(f"{at}{_Q1}{q1} .\n{at}{_MEDIAN}{median} .\n{at}{_Q3}{q3} .\n")
    return "".join(lines)


def _update_periods(
    db: ox.Store, node: ox.NamedNode, deltas: Mapping[str, int], add: list[str], stored: bool = True
) -> Counter:
    """Apply `deltas` to the stored period counts of `node` (removals now, additions into `add`);
    returns the counts as they are after."""
    counts = stored_periods(db, node) if stored else Counter()
    at = iri(node)
    for period, delta in deltas.items():
        if not delta:
            continue
        count, before = period_iri(node, period), counts[period]
        if before:
            db.remove(ox.Quad(count, pkg.papersInPeriod, integer(before)))
        counts[period] = after = before + delta
        if after > 0:
            at_count = iri(count)
            add.append(nquad(at_count, pkg.papersInPeriod, literal(str(after), xsd.integer)))
            add.append(nquad(at_count, pkg.period, _period_text(period)))
            add.append(nquad(at, pkg.periodCount, at_count))
        else:
            db.remove(ox.Quad(count, pkg.period, _period_literal(period)))
            db.remove(ox.Quad(node, pkg.periodCount, count))
    return +counts


def _update_corpus(db: ox.Store, deltas: Mapping[str, int], undated: int, add: list[str]) -> None:
    node = corpus_iri()
    add.append(nquad(iri(node), rdf.type, iri(pkg.Corpus)))
    _update_periods(db, node, deltas, add)
    if undated:
        before = _stored_undated(db)
        if before:
            db.remove(ox.Quad(node, pkg.undatedPapers, integer(before)))
        add.append(nquad(iri(node), pkg.undatedPapers, literal(str(before + undated), xsd.integer)))


def _stored_undated(db: ox.Store) -> int:
    stored = next(iter(db.quads_for_pattern(corpus_iri(), pkg.undatedPapers, None)), None)
    return int(term_value(stored.object)) if stored else 0


_SUMMARY = (pkg.firstSeen, pkg.firstPaper, pkg.q1Month, pkg.medianMonth, pkg.q3Month)


def _stored_summary(db: ox.Store, entity: ox.NamedNode) -> set[ox.Quad]:
    return {q for p in _SUMMARY for q in db.quads_for_pattern(entity, p, None)}


def _summary(
    db: ox.Store,
    entity: ox.NamedNode,
    counts: Counter,
    old: set[ox.Quad],
    gained: tuple[str, str] | None,
    lost: set[ox.NamedNode],
) -> list[str]:
    """The first appearance and quartile months of `entity` as N-Quads lines."""
    first = {q.predicate: q.object for q in old if q.predicate in (pkg.firstSeen, pkg.firstPaper)}
    candidates = [gained] if gained else []
    if pkg.firstPaper in first:
        candidates.append((term_value(first[pkg.firstSeen]), term_value(first[pkg.firstPaper])))
    if lost and any(ox.NamedNode(paper) in lost for _, paper in candidates):
        # a paper that would be the first no longer names the entity: find the first among its papers
        candidates = _dated_papers(db, entity)
    node, lines = iri(entity), []
    if candidates:
        date, paper = min(candidates)
        lines.append(nquad(node, pkg.firstSeen, literal(date, xsd.date)))
        lines.append(nquad(node, pkg.firstPaper, f"<{paper}>"))
    quartiles = quartile_months({p: n for p, n in counts.items() if len(p) == 7})
    lines += [
        nquad(node, predicate, _period_text(month))
        for predicate, month in zip((pkg.q1Month, pkg.medianMonth, pkg.q3Month), quartiles or ())
    ]
    return lines


def _dated_papers(db: ox.Store, entity: ox.NamedNode) -> list[tuple[str, str]]:
    found = []
    for q in db.quads_for_pattern(None, pkg.mentions, entity):
        paper = named(q.subject)
        date = _full_date(_stored_date(db, paper)[0])
        if date is not None:
            found.append((date, paper.value))
    return found


# -- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """The store's papers over time: how many each month, and how many are left out of trends."""

    months: dict[str, int]  # YYYY-MM -> papers, every month from the first to the last
    no_year: int  # papers without a year: in no trend
    year_only: int  # papers with a year but no date: in yearly counts only


def corpus_months(db: ox.Store) -> Corpus:
    periods = stored_periods(db, corpus_iri())
    months = {p: n for p, n in periods.items() if len(p) == 7}
    filled = {m: months.get(m, 0) for m in month_range(min(months), max(months))} if months else {}
    year_only = sum(n for p, n in periods.items() if len(p) == 4)
    return Corpus(filled, no_year=_stored_undated(db), year_only=year_only)
