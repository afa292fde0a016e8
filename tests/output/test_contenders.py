"""Which leaders the figures draw by default: the main contenders, losers included."""

import numpy as np
import pandas as pd

from simulation.model import Mode, PartyModel
from simulation.output.contenders import contender_order, main_leaders
from simulation.output.fan import fan_leaders

STRONGEST = [0.20, 0.25, 0.30, 0.40]
"""Shares of one who is the strongest in every month, more so as time goes on."""
OLD_SECOND = [0.18, 0.18, 0.12, 0.05]
"""Second for most of the period, then broken."""
LATE_RISER = [0.05, 0.05, 0.10, 0.25]
"""Far behind until the end, with a higher peak share than the old second."""


def test_a_leader_long_second_comes_before_a_late_riser_with_a_higher_peak_share():
    power = np.array([LATE_RISER, STRONGEST, OLD_SECOND]).T
    assert contender_order(power).tolist() == [1, 2, 0]


def test_those_who_were_the_strongest_in_some_month_come_first_by_their_peak_share():
    founder = [0.30, 0.10, 0.0, 0.0]  # the strongest at first, then dead
    power = np.array([OLD_SECOND, founder, STRONGEST]).T
    assert contender_order(power).tolist() == [2, 1, 0]


def test_a_month_in_which_no_one_has_power_counts_for_no_one():
    power = np.array([[0.0, 0.0, 0.0], [0.1, 0.3, 0.2]])
    with np.errstate(all="raise"):
        assert contender_order(power).tolist() == [1, 2, 0]


def test_the_replayed_baseline_draws_the_losers_beside_the_winners(baseline):
    """The first figure of ``make run``: Zinoviev and Kamenev came 7th and 8th by peak share."""
    trajectories = PartyModel(baseline, seed=1, mode=Mode.REPLAY).run()["trajectories"]
    drawn = main_leaders(trajectories)
    assert drawn[:5] == ["stalin", "lenin", "trotsky", "zinoviev", "kamenev"]
    assert {"rykov", "tomsky", "bukharin"} == set(drawn[5:])


def test_an_ensemble_fan_chart_ranks_by_the_median_power_share():
    months = [f"1925-{m:02d}" for m in range(1, 5)]
    rows = [
        (date, leader, "power", share, share / 2)
        for leader, shares in [("a", LATE_RISER), ("b", STRONGEST), ("c", OLD_SECOND)]
        for date, share in zip(months, shares, strict=True)
    ]
    quantiles = pd.DataFrame(rows, columns=["date", "leader", "measure", "q50", "q05"])
    influence = quantiles.assign(measure="influence", q50=1.0)  # not a power share: ignored
    assert fan_leaders(pd.concat([quantiles, influence]), count=2) == ["b", "c"]
