"""When a cohesive declared faction comes forward in free mode (`month.comes_forward`)."""

import numpy as np

from simulation.model.month import comes_forward

POLITBURO = 0
NOBODY_SPOKE = np.full(6, -1)


def forward(members, strongest, seats=(1, 1, 1, 1, 1, 1), health=None, spoke_in=NOBODY_SPOKE):
    """Six leaders; ``seats`` marks the Politburo's members; month 5."""
    holds = np.array(seats, dtype=np.bool_).reshape(6, 1)
    health = np.ones(6) if health is None else np.array(health, dtype=float)
    alive = np.ones(6, dtype=np.bool_)
    group = np.array(members, dtype=float)
    return comes_forward(group, spoke_in, strongest, 5, holds, POLITBURO, alive, health)


def test_a_ruling_group_forms_once_it_holds_half_the_present_politburo():
    trio = (1, 1, 1, 0, 0, 0)
    assert forward(trio, strongest=0)  # three seats of six
    assert not forward(trio, strongest=0, seats=(1, 1, 0, 1, 1, 1))  # two of five
    assert not forward(trio, strongest=3)  # the strongest is not theirs: an opposition


def test_the_ill_member_of_the_politburo_does_not_count():
    pair = (1, 1, 0, 0, 0, 0)
    assert not forward(pair, strongest=1)  # two of six
    assert forward(pair, strongest=1, health=(1, 1, 0.3, 1, 1, 0.2))  # two of four present


def test_an_oppositioncomes_forward_only_when_a_member_speaks():
    left = (0, 0, 0, 1, 1, 0)
    assert not forward(left, strongest=0)
    spoke = NOBODY_SPOKE.copy()
    spoke[4] = 5
    assert forward(left, strongest=0, spoke_in=spoke)
    spoke[4] = 4  # last month's speech does not bring it forward now
    assert not forward(left, strongest=0, spoke_in=spoke)
