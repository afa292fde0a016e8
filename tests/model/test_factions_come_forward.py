"""When a cohesive declared faction comes forward in free mode (`month.comes_forward`)."""

import numpy as np

from simulation.mechanisms.contests import politburo_seated
from simulation.model.month import comes_forward

POLITBURO = 0
NOBODY_SPOKE = np.full(6, -1)
NO_VERDICT = np.full(6, -1)
NO_ARBITER = -1
THRESHOLD = 0.5


def forward(
    members,
    strongest,
    seats=(1, 1, 1, 1, 1, 1),
    health=None,
    spoke_in=NOBODY_SPOKE,
    verdict_in=NO_VERDICT,
    others=(),
    arbiter=NO_ARBITER,
    cohesive_at_the_sitting=True,
):
    """Six leaders; ``seats`` marks the Politburo's members; month 5.

    ``spoke_in`` and ``verdict_in`` give the month each leader last spoke out and
    was last named in a verdict (-1: never).

    ``members`` is the faction asked about; ``others`` are further cohesive
    factions of the scenario. Every faction is cohesive at the month's end;
    ``cohesive_at_the_sitting`` says whether the one asked about already was
    when the month's sittings met (at the end of the month before).
    """
    holds = np.array(seats, dtype=np.bool_).reshape(6, 1)
    health = np.ones(6) if health is None else np.array(health, dtype=float)
    alive = np.ones(6, dtype=np.bool_)
    membership = np.array([members, *others], dtype=float)
    cohesion = np.ones(len(membership))  # every faction above the threshold
    return comes_forward(
        0,
        membership,
        cohesion,
        THRESHOLD,
        cohesive_at_the_sitting,
        spoke_in,
        verdict_in,
        politburo_seated(holds, POLITBURO, alive),
        strongest,
        arbiter,
        5,
        holds,
        POLITBURO,
        alive,
        health,
    )


def test_a_ruling_group_forms_once_it_holds_half_the_present_politburo():
    trio = (1, 1, 1, 0, 0, 0)
    assert forward(trio, strongest=0)  # three seats of six
    assert not forward(trio, strongest=0, seats=(1, 1, 0, 1, 1, 1))  # two of five
    assert not forward(trio, strongest=3)  # the strongest is not theirs: an opposition


def test_the_ill_member_of_the_politburo_does_not_count():
    pair = (1, 1, 0, 0, 0, 0)
    assert not forward(pair, strongest=1)  # two of six
    assert forward(pair, strongest=1, health=(1, 1, 0.3, 1, 1, 0.2))  # two of four present


def test_a_wider_ruling_group_forms_only_when_the_smaller_one_inside_it_no_longer_rules():
    seven, trio = (1, 1, 1, 1, 1, 0), (1, 1, 1, 0, 0, 0)
    assert not forward(seven, strongest=0, others=[trio])  # the trio holds three of six
    ill = (1, 1, 0.3, 1, 1, 1)  # the trio holds two of five present: the wider group rules
    assert forward(seven, strongest=0, others=[trio], health=ill)
    assert forward(seven, strongest=0, others=[(1, 1, 0, 0, 0, 0)])  # two of six: not enough
    assert forward(trio, strongest=0, others=[seven])  # a wider group never blocks


def test_no_ruling_group_forms_while_the_arbiter_sits_among_them_unless_he_is_one():
    trio = (1, 1, 1, 0, 0, 0)
    four = (1, 1, 1, 1, 0, 0)
    assert not forward(four, strongest=0, arbiter=5)  # he sits: he leads
    assert forward(four, strongest=0, arbiter=5, health=(1, 1, 1, 1, 1, 0.2))  # he is away
    assert forward(trio, strongest=0, arbiter=5, seats=(1, 1, 1, 1, 1, 0))  # he has no seat
    assert forward((1, 1, 1, 0, 0, 1), strongest=0, arbiter=5)  # he is one of them


def test_an_opposition_comes_forward_only_when_a_member_speaks():
    left = (0, 0, 0, 1, 1, 0)
    assert not forward(left, strongest=0)
    spoke = NOBODY_SPOKE.copy()
    spoke[4] = 5
    assert forward(left, strongest=0, spoke_in=spoke)
    spoke[4] = 4  # last month's speech does not bring it forward now
    assert not forward(left, strongest=0, spoke_in=spoke)


def test_a_speech_declares_only_a_group_that_was_one_when_it_was_made():
    """A sitting comes before the month's moves of affinity: a group that coheres only
    after its member spoke was not a faction when he spoke, and waits for its next speech."""
    left = (0, 0, 0, 1, 1, 0)
    spoke = NOBODY_SPOKE.copy()
    spoke[4] = 5
    assert not forward(left, strongest=0, spoke_in=spoke, cohesive_at_the_sitting=False)
    assert forward(left, strongest=0, spoke_in=spoke, cohesive_at_the_sitting=True)
    trio = (1, 1, 1, 0, 0, 0)  # a ruling group needs no speech, so no sitting either
    assert forward(trio, strongest=0, cohesive_at_the_sitting=False)


def test_an_opposition_is_declared_by_a_verdict_that_strikes_two_of_its_leaders_together():
    """The majority that condemns two of a group's leaders at one sitting names their
    group, as the 14th Congress named the Leningrad opposition: no speech needed."""
    leningrad = (0, 0, 0, 1, 1, 0)
    struck = NO_VERDICT.copy()
    struck[3] = 5
    assert not forward(leningrad, strongest=0, verdict_in=struck)  # one of them
    struck[4] = 5
    assert forward(leningrad, strongest=0, verdict_in=struck)
    assert not forward(leningrad, strongest=0, verdict_in=struck, cohesive_at_the_sitting=False)
    struck[4] = 4  # named apart, at two sittings
    assert not forward(leningrad, strongest=0, verdict_in=struck)


def test_a_group_led_from_the_politburo_comes_forward_by_its_leaders_there():
    """Leader 5 follows the group without a seat: his speech does not declare it while
    two of its members sit in the Politburo, and does when only one of them sits."""
    group = (0, 0, 0, 1, 1, 1)
    lesser = NOBODY_SPOKE.copy()
    lesser[5] = 5
    assert not forward(group, strongest=0, seats=(1, 1, 1, 1, 1, 0), spoke_in=lesser)
    assert forward(group, strongest=0, seats=(1, 1, 1, 1, 0, 0), spoke_in=lesser)
    leader = NOBODY_SPOKE.copy()
    leader[4] = 5
    assert forward(group, strongest=0, seats=(1, 1, 1, 1, 1, 0), spoke_in=leader)
