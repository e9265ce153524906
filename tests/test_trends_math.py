"""The trend mathematics on hand-made series whose answers are known."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from paperkg.kg.trends import (
    Burst,
    kleinberg_bursts,
    mann_kendall,
    month_range,
    quartile_months,
    sparkline,
    theil_sen_slope,
)

# -- months and quartiles ---------------------------------------------------------------------------


def test_month_range_crosses_a_year():
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2025-03", "2025-03") == ["2025-03"]


def test_quartiles_weight_each_paper():
    # four papers: Jan, Feb, Feb, Mar -> the 1st, 2nd and 3rd papers' months
    assert quartile_months({"2025-01": 1, "2025-02": 2, "2025-03": 1}) == ("2025-01", "2025-02", "2025-02")
    # most papers late: the median moves with them, not with the number of months
    assert quartile_months({"2025-01": 1, "2025-06": 9}) == ("2025-06", "2025-06", "2025-06")
    assert quartile_months({"2025-04": 1}) == ("2025-04", "2025-04", "2025-04")
    assert quartile_months({"2025-04": 0}) is None


# -- Mann-Kendall and Theil-Sen -----------------------------------------------------------------------


def test_ramp_rises_with_the_textbook_statistic():
    trend = mann_kendall(range(1, 11))
    assert trend is not None
    # S = 45, Var(S) = 10 * 9 * 25 / 18 = 125, z = (45 - 1) / sqrt(125)
    assert trend.tau == 1.0
    assert trend.slope == pytest.approx(1.0)
    assert trend.p == pytest.approx(math.erfc(44 / math.sqrt(125) / math.sqrt(2)))
    assert trend.p < 1e-4
    assert trend.direction == "rising"


def test_falling_ramp_with_ties():
    values = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    trend = mann_kendall(values)
    assert trend is not None and trend.direction == "falling"
    assert trend.slope == pytest.approx(-0.5)
    # five pairs tie: Var(S) = (10*9*25 - 5*(2*1*9)) / 18 = 120; S = -40
    assert trend.p == pytest.approx(math.erfc(39 / math.sqrt(120) / math.sqrt(2)))


def test_step_rises():
    trend = mann_kendall([0.0] * 6 + [0.02] * 6)
    assert trend is not None and trend.direction == "rising"


def test_a_late_arrival_rises_though_its_theil_sen_slope_is_zero():
    trend = mann_kendall([0.0] * 8 + [0.02] * 4)
    assert trend is not None
    assert trend.slope == 0.0  # 34 of the 66 pairs of months are equal
    assert trend.direction == "rising" and trend.tau > 0


def test_theil_sen_ignores_an_outlier():
    values = [float(i) for i in range(12)]
    values[5] = 100.0
    assert theil_sen_slope(values) == pytest.approx(1.0)


def test_flat_noise_is_called_flat_about_as_often_as_alpha_says():
    rng = np.random.default_rng(7)
    calls = [mann_kendall(rng.normal(0.01, 0.002, 16)) for _ in range(400)]
    false_trends = sum(c is not None and c.direction != "flat" for c in calls)
    assert 0 < false_trends <= 0.09 * len(calls)


def test_constant_series_is_flat():
    trend = mann_kendall([3, 3, 3, 3, 3])
    assert trend is not None and trend.direction == "flat" and trend.p == 1.0


def test_too_short_to_call():
    assert mann_kendall([1, 2, 3]) is None
    assert mann_kendall([]) is None


# -- Kleinberg bursts ---------------------------------------------------------------------------------


def _cost(states, counts, totals, s, gamma):
    """The total cost of one state sequence, written out from Kleinberg's definition."""
    p0 = sum(counts) / sum(totals)
    ps = (p0, min(s * p0, 1 - 1e-12))
    total, previous = 0.0, 0
    for state, r, d in zip(states, counts, totals):
        if state > previous:
            total += gamma * math.log(len(counts))
        total -= r * math.log(ps[state]) + (d - r) * math.log(1 - ps[state])
        previous = state
    return total


def _states(bursts, n):
    states = [0] * n
    for b in bursts:
        for t in range(b.start, b.end + 1):
            states[t] = 1
    return states


def test_spike_is_one_burst():
    totals = [1000] * 12
    counts = [5] * 12
    counts[6] = 60
    bursts = kleinberg_bursts(counts, totals)
    assert [(b.start, b.end) for b in bursts] == [(6, 6)]
    assert bursts[0].weight > 0


def test_step_bursts_from_the_step_to_the_end():
    totals = [1000] * 12
    counts = [2] * 6 + [30] * 6
    bursts = kleinberg_bursts(counts, totals)
    assert [(b.start, b.end) for b in bursts] == [(6, 11)]


def test_flat_series_does_not_burst():
    assert kleinberg_bursts([10] * 12, [1000] * 12) == []
    assert kleinberg_bursts([0] * 12, [1000] * 12) == []


def test_burst_weight_is_the_cost_saved():
    totals = [500, 500, 500, 500, 500]
    counts = [1, 1, 40, 1, 1]
    (burst,) = kleinberg_bursts(counts, totals)
    p0 = sum(counts) / sum(totals)
    expected = -(40 * math.log(p0) + 460 * math.log(1 - p0)) + 40 * math.log(2 * p0) + 460 * math.log(1 - 2 * p0)
    assert burst == Burst(2, 2, pytest.approx(expected))


def test_larger_gamma_makes_bursts_rarer():
    totals = [200] * 10
    counts = [2, 2, 2, 5, 2, 2, 2, 2, 2, 2]
    assert kleinberg_bursts(counts, totals, gamma=0.1)
    assert kleinberg_bursts(counts, totals, gamma=5.0) == []


@pytest.mark.parametrize("seed", range(25))
def test_viterbi_finds_the_cheapest_state_sequence(seed):
    """Against every one of the 2^n state sequences: the solver is exact, not greedy."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    totals = [int(x) for x in rng.integers(20, 200, n)]
    counts = [int(rng.integers(0, t // 4 + 1)) for t in totals]
    if sum(counts) == 0:
        counts[0] = 1
    s, gamma = (2.0, 1.0) if seed % 2 else (3.0, 0.5)
    found = _states(kleinberg_bursts(counts, totals, s=s, gamma=gamma), n)
    best = min(_cost(st, counts, totals, s, gamma) for st in itertools.product((0, 1), repeat=n))
    assert _cost(found, counts, totals, s, gamma) == pytest.approx(best)


def test_counts_above_totals_are_refused():
    with pytest.raises(ValueError):
        kleinberg_bursts([5], [3])


def test_sparkline_scales_to_the_largest_month():
    assert sparkline([0, 1, 2, 4]) == " ▂▄█"
    assert sparkline([0, 0]) == "  "
