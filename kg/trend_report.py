"""Trends as an API: each entity's time data read from the store, with its trend and bursts.

What `kg trends` and `kg lookup` show. The store holds the observations (`kg.timeline`); the
statistics (`kg.trends`) are computed here when asked for, over the store's window of months:
every month from its first dated paper to its last, each entity's count divided by the month's
papers, so a month with twice the papers does not look like a rise.

Only entities with at least `min_papers` papers are read, one query for their facts and one
for their months: a trend over fewer papers says nothing, and reading every one-paper name
would make the command as slow as the store is large.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyoxigraph as ox

from paperkg.kg.store import Store
from paperkg.kg.terms import PREFIXES, solutions, term_value
from paperkg.kg.timeline import Corpus, corpus_months
from paperkg.kg.trends import Burst, Trend, kleinberg_rows, mann_kendall_rows, quartile_months, sparkline
from paperkg.schema.errors import InputError
from paperkg.schema.namespaces import PKG_NS, parse_entity_type

SELECTORS = ("rising", "falling", "bursts", "new")
DEFAULT_MIN_PAPERS = 10


class BadTrendRequest(InputError):
    """Options `kg trends` cannot answer; the message is meant for the user."""


@dataclass(frozen=True)
class BurstSpan:
    start: str  # YYYY-MM
    end: str  # YYYY-MM, included
    weight: float


@dataclass
class EntityTrend:
    iri: str
    label: str
    type: str
    papers: int
    first_seen: str | None  # YYYY-MM-DD
    first_paper: str | None  # IRI
    q1: str | None  # YYYY-MM
    median: str | None
    q3: str | None
    counts: list[int]  # papers per month of the window (`TrendReport.months`)
    shares: list[float]  # counts[i] / the month's papers
    trend: Trend | None  # None: too few months to call
    bursts: list[BurstSpan] = field(default_factory=list)

    @property
    def sparkline(self) -> str:
        return sparkline(self.shares)

    def to_dict(self, months: list[str]) -> dict:
        return {
            "iri": self.iri,
            "label": self.label,
            "type": self.type,
            "papers": self.papers,
            "first_seen": self.first_seen,
            "first_paper": self.first_paper,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "monthly": dict(zip(months, self.counts)),
            "trend": None
            if self.trend is None
            else {
                "direction": self.trend.direction,
                "slope": self.trend.slope,
                "relative_slope": relative_slope(self),
                "tau": self.trend.tau,
                "p": self.trend.p,
            },
            "bursts": [{"start": b.start, "end": b.end, "weight": round(b.weight, 3)} for b in self.bursts],
        }


@dataclass
class TrendReport:
    months: list[str]  # the window: every month from the first dated paper to the last
    totals: list[int]  # papers per month
    no_year: int  # papers left out: no year
    year_only: int  # papers left out of monthly counts: a year but no date
    records: list[EntityTrend]

    @property
    def left_out(self) -> str:
        """The sentence every output carries about papers the trends do not count."""
        parts = [f"{self.no_year:,} paper{'s' if self.no_year != 1 else ''} without a year left out"]
        if self.year_only:
            parts.append(f"{self.year_only:,} with a year but no date counted in no month")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {
            "months": dict(zip(self.months, self.totals)),
            "papers_without_year": self.no_year,
            "papers_without_date": self.year_only,
            "entities": [r.to_dict(self.months) for r in self.records],
        }


def relative_slope(record: EntityTrend) -> float | None:
    """The Theil-Sen slope of the share as a fraction of the mean share: growth per month
    relative to the entity's own size, so a small new name and a large old one compare."""
    if record.trend is None:
        return None
    mean = sum(record.shares) / len(record.shares)
    return record.trend.slope / mean if mean else 0.0


# Three queries read everything for the entities in at least %(min)d papers (an int, checked,
# written into the text; an entity IRI is bound with `substitutions=`): one row per entity each,
# the months folded into one string by GROUP_CONCAT. Measured on a 2,000-paper store against
# index lookups from Python per entity: a third of the CPU time. Joined into one query with
# OPTIONALs, they take three times longer again (Oxigraph plans each OPTIONAL as a scan of its
# own). With a type, each starts from `?e a pkg:Type` (a constant object, which Oxigraph's
# planner starts from and follows entity by entity): on the whole corpus the Models' months take
# 0.3 s this way, against 3 s for every type's, which the planner joins by scanning every
# entity's months.
_HEAD = "?e pkg:paperCount ?papers ."
_TYPED_HEAD = "?e a pkg:%(type)s ; pkg:paperCount ?papers ."

_ENTITIES = """
SELECT ?e ?label ?type ?papers WHERE {
  %(head)s
  FILTER (?papers >= %(min)d)
  ?e a ?type ; skos:prefLabel ?label .
  FILTER (STRSTARTS(STR(?type), STR(pkg:)))
}"""

_SERIES = """
SELECT ?e (GROUP_CONCAT(CONCAT(STR(?period), "=", STR(?n)); separator=" ") AS ?series) WHERE {
  %(head)s
  FILTER (?papers >= %(min)d)
  ?e pkg:periodCount ?c .
  ?c pkg:period ?period ; pkg:papersInPeriod ?n .
}
GROUP BY ?e"""

# The stored quartiles are not read: they are a function of the months (`quartile_months`, as
# the build computes them), and reading them would double this query's time.
_FIRST = """
SELECT ?e ?first ?firstPaper WHERE {
  %(head)s
  FILTER (?papers >= %(min)d)
  ?e pkg:firstSeen ?first ; pkg:firstPaper ?firstPaper .
}"""

# What the three queries give for every type is kept per store generation: every entity's months
# on the whole corpus take 3 s to read, and `kg trends` asked again (another selector, --top,
# --type) reads them from the file in 0.1 s. The file holds the entities in at least `floor`
# papers, so it answers any --min-papers from the floor up.
_CACHE = "trends"
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class _Row:
    iri: str
    label: str
    type: str  # the class's local name: Model
    papers: int
    first_seen: str | None
    first_paper: str | None
    series: dict[str, int]  # period (YYYY-MM or YYYY) -> papers

    def to_json(self) -> list:
        return [self.iri, self.label, self.type, self.papers, self.first_seen, self.first_paper, self.series]


def _query(store: Store, query: str, min_papers: int, entity: str | None, type: str | None) -> ox.QuerySolutions:
    # `type` is parsed to one of ENTITY_TYPES before it is written into the query
    head = _TYPED_HEAD % {"type": parse_entity_type(type)} if type is not None else _HEAD
    text = query % {"head": head, "min": int(min_papers)}
    bindings = {ox.Variable("e"): ox.NamedNode(entity)} if entity is not None else {}
    return solutions(store.query(text, prefixes=PREFIXES, substitutions=bindings))


def _read_rows(store: Store, min_papers: int, entity: str | None, type: str | None) -> list[_Row]:
    series = {
        term_value(row["e"]): {p: int(n) for p, n in (pair.split("=") for pair in term_value(row["series"]).split())}
        for row in _query(store, _SERIES, min_papers, entity, type)
    }
    first = {
        term_value(row["e"]): (term_value(row["first"]), term_value(row["firstPaper"]))
        for row in _query(store, _FIRST, min_papers, entity, type)
    }
    rows = []
    for row in _query(store, _ENTITIES, min_papers, entity, type):
        iri, class_ = term_value(row["e"]), term_value(row["type"])[len(PKG_NS) :]
        if type is None or class_ == type:
            first_seen, first_paper = first.get(iri, (None, None))
            papers = int(term_value(row["papers"]))
            rows.append(
                _Row(iri, term_value(row["label"]), class_, papers, first_seen, first_paper, series.get(iri, {}))
            )
    return rows


def _cached_rows(store: Store) -> tuple[int, list[_Row]] | None:
    data = store.kept_json(_CACHE)
    try:
        if data["format"] == _CACHE_FORMAT:
            return int(data["floor"]), [_Row(*fields) for fields in data["rows"]]
    except (KeyError, TypeError, ValueError):
        pass  # missing or unreadable: read the store
    return None


def _entity_rows(store: Store, min_papers: int, entity: str | None, type: str | None) -> list[_Row]:
    """The rows of the entities `read_trends` reports: from the generation's cache when it
    holds them, else from the store (and kept when read for every type)."""
    if entity is not None:
        return _read_rows(store, min_papers, entity, type)
    cached = _cached_rows(store)
    if cached is not None and cached[0] <= min_papers:
        return [r for r in cached[1] if r.papers >= min_papers and (type is None or r.type == type)]
    rows = _read_rows(store, min_papers, None, type)
    if type is None:
        store.keep_json(_CACHE, {"format": _CACHE_FORMAT, "floor": min_papers, "rows": [r.to_json() for r in rows]})
    return rows


def keep_rows(store: Store) -> None:
    """Read every type's rows at the default minimum and keep them for the store's generation."""
    _entity_rows(store, DEFAULT_MIN_PAPERS, None, None)


def read_trends(
    store: Store,
    *,
    type: str | None = None,
    min_papers: int = DEFAULT_MIN_PAPERS,
    entity: str | None = None,
    s: float = 2.0,
    gamma: float = 1.0,
) -> TrendReport:
    """Every entity with at least `min_papers` papers (of `type`, if given; only `entity`, if
    given), with its statistics."""
    if min_papers < 1:
        raise BadTrendRequest(f"--min-papers must be at least 1, not {min_papers}")
    store.require()
    corpus: Corpus = corpus_months(store.oxigraph)
    months = list(corpus.months)
    totals = [corpus.months[m] for m in months]
    rows = _entity_rows(store, int(min_papers), entity, parse_entity_type(type) if type else None)
    counts = np.array([[row.series.get(m, 0) for m in months] for row in rows], dtype=float).reshape(
        len(rows), len(months)
    )  # a year-only period is in no month
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(np.asarray(totals) > 0, counts / np.asarray(totals, dtype=float), 0.0)
    observed = shares[:, np.asarray(totals) > 0]  # a month without papers has no share
    trends: list[Trend | None] = [None] * len(rows)
    trends = list(mann_kendall_rows(observed) or trends)
    bursts = kleinberg_rows(counts, totals, s=s, gamma=gamma)
    records = []
    for k, row in enumerate(rows):
        q1, median, q3 = quartile_months({m: n for m, n in row.series.items() if len(m) == 7}) or (None,) * 3
        records.append(
            EntityTrend(
                iri=row.iri,
                label=row.label,
                type=row.type,
                papers=row.papers,
                first_seen=row.first_seen,
                first_paper=row.first_paper,
                q1=q1,
                median=median,
                q3=q3,
                counts=[int(c) for c in counts[k]],
                shares=[float(x) for x in shares[k]],
                trend=trends[k],
                bursts=[_span(b, months) for b in bursts[k]],
            )
        )
    records.sort(key=lambda r: (-r.papers, r.label, r.iri))
    return TrendReport(months, totals, corpus.no_year, corpus.year_only, records)


def _span(burst: Burst, months: list[str]) -> BurstSpan:
    return BurstSpan(months[burst.start], months[burst.end], burst.weight)


def trend_report(
    store: Store,
    *,
    select: str | None = None,
    type: str | None = None,
    min_papers: int = DEFAULT_MIN_PAPERS,
    since: str | None = None,
    top: int | None = None,
    s: float = 2.0,
    gamma: float = 1.0,
) -> TrendReport:
    """`read_trends`, narrowed to what `select` asks for and ordered for it:

    - None: every entity, most papers first;
    - "rising" / "falling": a significant Mann-Kendall trend of the monthly share that way,
      the most consistent first (largest |tau|: the share of pairs of months that agree),
      then the smallest p;
    - "bursts": entities with a Kleinberg burst, strongest burst first;
    - "new": entities first seen in `since` (YYYY-MM) or later, most papers first; without
      `since`, the entities whose absence before they first appeared says they were not there
      yet (`is_new`).
    """
    if select is not None and select not in SELECTORS:
        raise BadTrendRequest(f"unknown selector {select!r}: use one of {', '.join(SELECTORS)}")
    if since is not None and select != "new":
        raise BadTrendRequest("--since goes with --new")
    if top is not None and top < 1:
        raise BadTrendRequest(f"--top must be at least 1, not {top}")
    report = read_trends(store, type=type, min_papers=min_papers, s=s, gamma=gamma)
    records = report.records
    if select in ("rising", "falling"):
        records = [r for r in records if r.trend is not None and r.trend.direction == select]
        records.sort(key=lambda r: (-abs(r.trend.tau) if r.trend else 0.0, r.trend.p if r.trend else 1.0, r.label))
    elif select == "bursts":
        records = [r for r in records if r.bursts]
        records.sort(key=lambda r: (-max(b.weight for b in r.bursts), r.label))
    elif select == "new":
        if since:
            start = _month(since)
            records = [r for r in records if r.first_seen and r.first_seen[:7] >= start]
        else:
            records = [r for r in records if is_new(r, report.months, report.totals)]
    report.records = records[:top] if top else records
    return report


# A name is new when, at the share of each month's papers it has had since it first appeared,
# the months before would have named it with probability 0.99 (a Poisson count with mean
# ln 100 = 4.6 is 0 with probability 0.01), yet none did. First seen after the window's start
# is not enough: the corpus starts in mid-March 2025, and Llama 3.3 70B (December 2024, about 5
# papers a month) or DeepSeek-V3 are first seen in April only because the two weeks before
# would have held two or three of their papers. GPT-4.1 (released 14 April 2025, 183 papers)
# is new in April: the weeks before would have held six.
NEW_EXPECTED_BEFORE = math.log(100)


def is_new(record: EntityTrend, months: list[str], totals: list[int]) -> bool:
    """Were the months before `record`'s first appearance long enough to show it absent?"""
    if not record.first_seen or record.first_seen[:7] not in months:
        return False
    k = months.index(record.first_seen[:7])
    since = sum(totals[k:])
    share = sum(record.counts[k:]) / since if since else 0.0
    return share * sum(totals[:k]) >= NEW_EXPECTED_BEFORE


def _month(text: str) -> str:
    parts = text.split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise BadTrendRequest(f"--since takes a month as YYYY-MM (like 2025-09), not {text!r}")
    return f"{parts[0]}-{int(parts[1]):02d}"


def entity_trend(store: Store, iri: str, *, s: float = 2.0, gamma: float = 1.0) -> TrendReport:
    """One entity's trend over the store's window (for `kg lookup`): a report of one record, or
    of none when no entity has that IRI."""
    return read_trends(store, min_papers=1, entity=iri, s=s, gamma=gamma)
