"""Trend mathematics over an entity's papers per month: no store, no I/O, plain Python.

- `quartile_months`: the occurrence-weighted first quartile, median and third quartile of the
  months an entity's papers appeared in (bibliometrix's "Trend Topics", by month, not year).
- `mann_kendall`: is the entity's share of each month's papers rising or falling? The
  Mann-Kendall test (normal approximation with the tie correction) and the Theil-Sen slope, as
  Färber & Jatowt (2019) call a concept rising or falling.
- `kleinberg_bursts`: Kleinberg's burst detection in its batched form (each month a batch of
  `totals[t]` papers of which `counts[t]` name the entity), two states, solved exactly by
  Viterbi, as CiteSpace and Sci2 use it (s = 2, gamma = 1).

scipy has the building blocks too, but the three fit in a page, and scipy would add a 40 MB
dependency for them. Plain Python rather than numpy: a series is a store's months (tens of
points), where numpy's per-call cost outweighs its speed, and `kg lookup` shows a trend without
paying numpy's import (a third of a second).
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, combinations

MIN_MONTHS = 4  # fewer points cannot reach p < 0.05 with Mann-Kendall: a trend is not called
ALPHA = 0.05


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (both ``YYYY-MM``), in order."""
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (y, m) <= end:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def quartile_months(counts: Mapping[str, int]) -> tuple[str, str, str] | None:
    """Q1, median and Q3 of the months of an entity's papers, each paper counted once.

    The q-quantile is the month of the paper at position ceil(q * n) in date order (the lower
    value at ties, as bibliometrix takes it), so every quartile is a month that has papers.
    """
    months = sorted(m for m, n in counts.items() if n > 0)
    if not months:
        return None
    cumulative = list(accumulate(counts[m] for m in months))
    picks = []
    for q in (0.25, 0.5, 0.75):
        rank = max(1, math.ceil(q * cumulative[-1]))
        picks.append(months[bisect_left(cumulative, rank)])
    return picks[0], picks[1], picks[2]


@dataclass(frozen=True)
class Trend:
    """A Mann-Kendall test on a series: Kendall's tau, the Theil-Sen slope (per step) and the
    two-sided p-value; `direction` is "rising" or "falling" when p < ALPHA, else "flat".

    The direction is the sign of tau, not of the slope: a name absent for most of the window and
    then steady has a Theil-Sen slope of 0 (most pairs of months are equal), yet it rose.
    """

    tau: float
    slope: float
    p: float

    @property
    def direction(self) -> str:
        if self.p >= ALPHA or self.tau == 0:
            return "flat"
        return "rising" if self.tau > 0 else "falling"


def theil_sen_slope(values: Sequence[float]) -> float:
    """The median of the slopes between every pair of points (x = 0, 1, 2, ...)."""
    return statistics.median((values[j] - values[i]) / (j - i) for i, j in combinations(range(len(values)), 2))


def mann_kendall(values: Sequence[float]) -> Trend | None:
    """The Mann-Kendall trend test of `values` in order; None for fewer than MIN_MONTHS points."""
    y = [float(v) for v in values]
    n = len(y)
    if n < MIN_MONTHS:
        return None
    s = sum((b > a) - (b < a) for a, b in combinations(y, 2))
    ties = Counter(y).values()
    variance = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if variance <= 0:  # every value equal
        return Trend(0.0, 0.0, 1.0)
    z = (s - math.copysign(1, s)) / math.sqrt(variance) if s else 0.0  # continuity correction
    p = math.erfc(abs(z) / math.sqrt(2))
    return Trend(s / (n * (n - 1) / 2), theil_sen_slope(y), p)


@dataclass(frozen=True)
class Burst:
    """Months `start`..`end` (indices into the series, both included) in the burst state;
    `weight` is how much cheaper the burst state explains them than the base state."""

    start: int
    end: int
    weight: float


def kleinberg_bursts(
    counts: Sequence[int], totals: Sequence[int], *, s: float = 2.0, gamma: float = 1.0
) -> list[Burst]:
    """Bursts of `counts[t]` out of `totals[t]` papers, by the two-state batched Kleinberg model.

    The base state emits the entity's overall share p0 = sum(counts) / sum(totals), the burst
    state s * p0; entering the burst state costs gamma * ln(n) for n batches, leaving it is free.
    The state sequence of least total cost is found exactly by Viterbi.
    """
    n = len(counts)
    if n == 0 or sum(counts) == 0:
        return []
    if any(r > d for r, d in zip(counts, totals)):
        raise ValueError("a month's count exceeds its total")
    p0 = sum(counts) / sum(totals)
    p1 = min(s * p0, 1 - 1e-12)
    if p1 <= p0:  # an entity in (nearly) every paper cannot burst above its own share
        return []
    # -ln of the binomial likelihood; the binomial coefficient is the same in both states, so
    # it changes no decision and no weight, and is left out.
    cost = [[-(r * math.log(p) + (d - r) * math.log(1 - p)) for r, d in zip(counts, totals)] for p in (p0, p1)]
    up = gamma * math.log(n)
    # Viterbi over two states, starting in the base state; back[t][k]: the state before t on
    # the cheapest path that is in state k at t.
    best = [cost[0][0], up + cost[1][0]]
    back = [(0, 0)]
    for t in range(1, n):
        from_base, from_burst = best
        back.append((0 if from_base <= from_burst else 1, 0 if from_base + up < from_burst else 1))
        best = [min(from_base, from_burst) + cost[0][t], min(from_base + up, from_burst) + cost[1][t]]
    states = [0] * n
    states[-1] = 0 if best[0] <= best[1] else 1
    for t in range(n - 1, 0, -1):
        states[t - 1] = back[t][states[t]]
    bursts = []
    t = 0
    while t < n:
        if states[t] == 1:
            start = t
            while t + 1 < n and states[t + 1] == 1:
                t += 1
            bursts.append(Burst(start, t, sum(cost[0][k] - cost[1][k] for k in range(start, t + 1))))
        t += 1
    return bursts


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest; a blank for a month without any."""
    blocks = "▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else blocks[min(7, int(v / top * 7.999))] for v in values)
