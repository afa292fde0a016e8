"""Illness episodes: drawn for leaders with a record, ended on time, from the model's generator."""

import numpy as np
from conftest import generator_ref

from simulation.mechanisms.illness import ILL_HEALTH, illness_month

FROM_START = np.zeros(2, dtype=np.int64)
"""Both records of illness begin with the scenario."""


def arrays():
    health = np.array([1.0, 1.0])
    alive = np.ones(2, bool)
    absence_ends = np.full(2, -1)
    ill_until = np.full(2, -1)
    before = np.ones(2)
    return health, alive, absence_ends, ill_until, before


def test_only_a_leader_with_a_record_falls_ill_and_he_comes_back_when_it_ends():
    health, alive, absence_ends, ill_until, before = arrays()
    rate, months = np.array([1.0, 0.0]), np.array([2, 2])
    source = generator_ref(np.random.default_rng(0))
    illness_month(
        source, health, alive, absence_ends, ill_until, before, rate, months, FROM_START, 1.0, 5
    )
    assert list(health) == [ILL_HEALTH, 1.0] and list(ill_until) == [7, -1]
    illness_month(
        source, health, alive, absence_ends, ill_until, before, rate * 0, months, FROM_START, 1.0, 7
    )
    assert list(health) == [1.0, 1.0] and list(ill_until) == [-1, -1]


def test_episodes_come_at_the_rate_and_the_same_seed_gives_the_same_ones():
    def episodes(seed):
        health, alive, absence_ends, ill_until, before = arrays()
        source = generator_ref(np.random.default_rng(seed))
        starts = []
        for month in range(600):
            was = ill_until[0]
            illness_month(
                source,
                health,
                alive,
                absence_ends,
                ill_until,
                before,
                np.array([0.1, 0.0]),
                np.array([1, 1]),
                FROM_START,
                1.0,
                month,
            )
            if ill_until[0] >= 0 and was < 0:
                starts.append(month)
        return starts

    first = episodes(1)
    assert first == episodes(1)
    assert 35 < len(first) < 75  # 0.1 a month over ~550 months available
    assert episodes(2) != first


def test_a_death_during_an_episode_is_not_undone():
    health, alive, absence_ends, ill_until, before = arrays()
    source = generator_ref(np.random.default_rng(0))
    rate, months = np.array([1.0, 0.0]), np.array([2, 2])
    illness_month(
        source, health, alive, absence_ends, ill_until, before, rate, months, FROM_START, 1.0, 0
    )
    health[0], alive[0] = 0.0, False
    illness_month(
        source, health, alive, absence_ends, ill_until, before, rate, months, FROM_START, 1.0, 2
    )
    assert health[0] == 0.0


def test_no_episode_before_a_leaders_record_of_illness_begins():
    """Fevers the sources date from the autumn of 1923 are not drawn in 1922."""
    health, alive, absence_ends, ill_until, before = arrays()
    source = generator_ref(np.random.default_rng(0))
    rate, months, first = np.array([1.0, 1.0]), np.array([2, 2]), np.array([18, 0])
    for month in range(18):
        illness_month(
            source, health, alive, absence_ends, ill_until, before, rate, months, first, 1.0, month
        )
        assert health[0] == 1.0 and ill_until[0] == -1
    assert ill_until[1] >= 0  # the other, whose record starts with the scenario, fell ill
    illness_month(
        source, health, alive, absence_ends, ill_until, before, rate, months, first, 1.0, 18
    )
    assert health[0] == ILL_HEALTH and ill_until[0] == 20
