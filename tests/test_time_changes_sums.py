"""`TimeChanges` sums a build's paper changes in plain dicts and writes a new entity's lines a few
strings at a time: the same deltas, first papers and lines as counting each change in Counters and
writing each line on its own (the code before, kept here as the reference)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pyoxigraph as ox

from paperkg.kg.iris import period_iri_text
from paperkg.kg.timeline import (
    _DATE,
    _FIRST_PAPER,
    _FIRST_SEEN,
    _INTEGER,
    _MEDIAN,
    _PAPERS_IN,
    _PERIOD,
    _PERIOD_COUNT,
    _Q1,
    _Q3,
    PaperChange,
    TimeChanges,
    _new_entity_nquads,
    _period_text,
    period_of,
)
from paperkg.kg.trends import quartile_months

ENTITIES = [ox.NamedNode(f"https://example.org/e/{i}") for i in range(12)]


def counted_one_by_one(changes: list[PaperChange]) -> tuple[dict, dict, dict]:
    """Deltas, first papers and losses as `TimeChanges.add` counted them before."""
    deltas: dict = defaultdict(Counter)
    earliest: dict = {}
    lost: dict = defaultdict(set)
    for c in changes:
        period = period_of(c.date, c.year)
        if period is None:
            continue
        date = c.date if c.date and not c.date.startswith("--") else None
        for e in c.after - c.before:
            deltas[e][period] += 1
            if date is not None:
                earliest[e] = min(earliest.get(e, (date, c.paper.value)), (date, c.paper.value))
        for e in c.before - c.after:
            deltas[e][period] -= 1
            lost[e].add(c.paper)
    return deltas, earliest, lost


def lines_one_by_one(entity: str, deltas: dict, earliest: tuple[str, str] | None) -> str:
    """A new entity's time data as `_new_entity_nquads` wrote them before: a line at a time."""
    at, lines = f"<{entity}>", []
    for period, count in deltas.items():
        if count > 0:
            at_count = f"<{period_iri_text(entity, period)}>"
            lines += [
                f'{at_count}{_PAPERS_IN}"{count}{_INTEGER}',
                f"{at_count}{_PERIOD}{_period_text(period)} .\n",
                f"{at}{_PERIOD_COUNT}{at_count} .\n",
            ]
    if earliest is not None:
        lines += [f'{at}{_FIRST_SEEN}"{earliest[0]}{_DATE}', f"{at}{_FIRST_PAPER}<{earliest[1]}> .\n"]
    quartiles = quartile_months({p: n for p, n in deltas.items() if len(p) == 7 and n > 0})
    for predicate, month in zip((_Q1, _MEDIAN, _Q3), quartiles or ()):
        lines.append(f"{at}{predicate}{_period_text(month)} .\n")
    return "".join(lines)


def random_changes(rng: random.Random, n: int) -> list[PaperChange]:
    """New papers (dated, dated by a year only or by a listing's "--MM-DD", undated; several on
    one day, so first papers tie on the date) and relinked stored papers."""
    changes = []
    for _ in range(n):
        date = rng.choice(
            [None, "--10-16", "2024-12-31", "2025-01-02", "2025-01-02", f"2025-{rng.randint(1, 12):02d}-15"]
        )
        year = int(date[:4]) if date and not date.startswith("--") else rng.choice([None, 2024, 2025])
        after = frozenset(rng.sample(ENTITIES, rng.randint(0, 4)))
        before = frozenset(rng.sample(ENTITIES, rng.randint(1, 3))) if rng.random() < 0.2 else frozenset()
        paper = ox.NamedNode(f"https://example.org/p/{rng.randint(0, n // 2)}")
        changes.append(PaperChange(paper, date, year, before, after, new=not before))
    return changes


def test_deltas_and_first_papers_equal_counting_change_by_change():
    rng = random.Random(27)
    for _ in range(200):
        changes = random_changes(rng, rng.randint(1, 30))
        summed = TimeChanges()
        half = len(changes) // 2
        summed.add(changes[:half])  # a build adds chunk after chunk
        summed.add(changes[half:])
        deltas, earliest, lost = counted_one_by_one(changes)
        assert summed.deltas == deltas
        assert all(list(summed.deltas[e]) == list(deltas[e]) for e in deltas)  # periods in the same order
        assert summed.earliest == earliest
        assert summed.lost == lost


def test_a_new_entitys_lines_equal_those_written_a_line_at_a_time():
    rng = random.Random(47)
    periods = ["2024", "2025", "2024-12", "2025-01", "2025-02", "2025-07"]
    for _ in range(500):
        deltas = {p: rng.choice([-1, 0, 1, 1, 2, 5]) for p in rng.sample(periods, rng.randint(1, len(periods)))}
        earliest = rng.choice([None, ("2025-01-02", "https://example.org/p/1")])
        entity = "https://example.org/e/x"
        assert _new_entity_nquads(entity, deltas, earliest) == lines_one_by_one(entity, deltas, earliest)


def test_entities_that_lost_a_paper_come_last_each_group_by_iri():
    a, b, c, d = (ox.NamedNode(f"https://example.org/e/{name}") for name in "abcd")
    stored = ox.NamedNode("https://example.org/p/stored")
    changes = TimeChanges()
    changes.add(
        [
            PaperChange(ox.NamedNode("https://example.org/p/1"), "2025-03-14", 2025, frozenset(), frozenset({d, b})),
            PaperChange(stored, "2025-01-02", 2025, frozenset({c, a}), frozenset({b}), new=False),
        ]
    )
    assert [e for e, _ in changes._in_order()] == [b, d, a, c]
    assert [e for e, _ in TimeChanges(deltas={d: {}, b: {}, a: {}})._in_order()] == [a, b, d]
