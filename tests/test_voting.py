import numpy as np
import pytest

from simulation.mechanisms.voting import (
    AGAINST,
    FOR,
    UNDECIDED,
    delegate_vote,
    leader_sides,
    member_vote,
    opinion_for,
)


def affinity_matrix():
    # 0 and 1 allies, 2 hostile to 0, 3 neutral.
    a = np.zeros((4, 4))
    a[0, 1] = a[1, 0] = 0.8
    a[0, 2] = a[2, 0] = -0.6
    return a


def test_sides_follow_sponsors_targets_and_affinity():
    sides = leader_sides(
        affinity_matrix(), np.ones(4, bool), np.array([0]), np.array([2]), threshold=0.1
    )
    np.testing.assert_array_equal(sides, [FOR, FOR, AGAINST, UNDECIDED])


def test_the_dead_take_no_side():
    alive = np.array([True, False, True, True])
    sides = leader_sides(affinity_matrix(), alive, np.array([0]), np.array([2]), threshold=0.1)
    assert sides[1] == UNDECIDED


def test_opinion_favours_the_side_with_more_standing():
    sides = np.array([FOR, AGAINST, UNDECIDED])
    p = opinion_for(np.array([0.6, 0.2, 0.9]), sides, gamma=2.0)
    assert p == pytest.approx(0.36 / (0.36 + 0.04))
    assert opinion_for(np.array([0.5, 0.0]), np.array([FOR, UNDECIDED]), gamma=2.0) == 1.0


def test_fully_disciplined_delegates_vote_their_apparatus():
    rng = np.random.default_rng(0)
    loyalty = np.array([[1.0, 0.0], [0.0, 1.0]])
    tally = delegate_vote(
        rng, np.array([100, 50]), loyalty, np.array([1.0, 1.0]), np.array([FOR, AGAINST]), 0.5
    )
    assert (tally.votes_for, tally.votes_against) == (100, 50)


def test_disciplined_delegates_split_by_their_secretaries_loyalties():
    rng = np.random.default_rng(0)
    tally = delegate_vote(
        rng,
        np.array([10_000]),
        np.array([[0.7, 0.3]]),
        np.array([1.0]),
        np.array([FOR, AGAINST]),
        p_opinion=0.0,
    )
    assert tally.votes_for / 10_000 == pytest.approx(0.7, abs=0.02)


def test_undisciplined_delegates_vote_by_opinion():
    rng = np.random.default_rng(0)
    tally = delegate_vote(
        rng,
        np.array([10_000]),
        np.array([[1.0, 0.0]]),
        np.array([0.0]),
        np.array([FOR, AGAINST]),
        p_opinion=0.2,
    )
    assert tally.votes_for + tally.votes_against == 10_000
    assert tally.votes_for / 10_000 == pytest.approx(0.2, abs=0.02)


def test_every_delegate_is_counted_once():
    rng = np.random.default_rng(1)
    delegates = np.array([37, 0, 120, 5])
    loyalty = rng.dirichlet(np.ones(4), size=4)[:, :3]
    tally = delegate_vote(
        rng,
        delegates,
        loyalty,
        np.array([0.5, 0.9, 0.6, 0.1]),
        np.array([FOR, AGAINST, UNDECIDED]),
        0.4,
    )
    assert tally.votes_for + tally.votes_against == delegates.sum()


def test_politburo_members_vote_their_sides():
    rng = np.random.default_rng(0)
    sides = np.array([FOR, FOR, AGAINST, UNDECIDED])
    tally = member_vote(rng, np.array([0, 1, 2]), sides, p_opinion=0.5)
    assert (tally.votes_for, tally.votes_against) == (2, 1)
    tally = member_vote(rng, np.array([0, 3]), sides, p_opinion=1.0)
    assert (tally.votes_for, tally.votes_against) == (2, 0)


def test_a_motion_without_named_sides_leaves_everyone_undecided():
    sides = leader_sides(
        affinity_matrix(), np.ones(4, bool), np.array([], dtype=int), np.array([], dtype=int), 0.1
    )
    np.testing.assert_array_equal(sides, [UNDECIDED] * 4)
