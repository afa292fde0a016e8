"""Who moves: expected utility, anticipation and the logit choice, on hand-made states."""

import numpy as np
import pytest
from conftest import generator_ref

from simulation.mechanisms.agency import (
    anticipate,
    carry_probability,
    choose_motion,
    delegate_share_moments,
    member_share_spread,
    motion_utility,
    office_gain,
    rival_gain,
)
from simulation.mechanisms.voting import AGAINST, FOR, UNDECIDED, delegate_vote


def test_a_coalition_that_can_win_moves_and_one_that_cannot_does_not():
    gain, cost = 0.1, 0.05
    winning = motion_utility(carry_probability(0.7, 0.05), gain, cost, 0.0)
    losing = motion_utility(carry_probability(0.35, 0.05), gain, cost, 0.0)
    assert winning > 0 > losing
    # An uncertain vote makes the same expected share a gamble worth less.
    assert motion_utility(carry_probability(0.55, 0.2), gain, cost, 0.0) < motion_utility(
        carry_probability(0.55, 0.01), gain, cost, 0.0
    )
    # A leader who loses more by waiting moves against the odds.
    assert motion_utility(carry_probability(0.35, 0.05), gain, cost, 0.06) > 0


def test_the_spoils_go_to_the_leaders_of_the_winning_side():
    shares = np.array([0.4, 0.1, 0.3, 0.2])
    affinity = np.zeros((4, 4))
    affinity[:2, 2] = affinity[2, :2] = -1.0  # 2 is the enemy of 0 and 1
    sides = np.array([FOR, FOR, AGAINST, UNDECIDED])
    targets = np.array([2])
    leader = rival_gain(shares, affinity, sides, 0, targets)
    follower = rival_gain(shares, affinity, sides, 1, targets)
    assert leader == pytest.approx(0.3 * 0.4 / 0.5)
    assert follower == pytest.approx(0.3 * 0.1 / 0.5)


def test_loose_allies_of_a_proposer_who_would_dominate_abstain():
    shares = np.array([0.5, 0.1, 0.1, 0.3])
    affinity = np.zeros((4, 4))
    affinity[1, 0] = affinity[0, 1] = 0.8  # 1 is a close ally of the proposer, 2 a loose one
    affinity[2, 0] = affinity[0, 2] = 0.1
    sides = np.array([FOR, FOR, FOR, AGAINST])
    targets = np.array([3])
    anticipated = sides.copy()
    anticipate(anticipated, affinity, shares, 0, targets, 0.6, 0.3)
    np.testing.assert_array_equal(anticipated, [FOR, FOR, UNDECIDED, AGAINST])
    # A proposer who would not dominate his side keeps everyone.
    kept = sides.copy()
    anticipate(kept, affinity, shares, 0, targets, 0.8, 0.3)
    np.testing.assert_array_equal(kept, sides)


def test_the_logit_choice_takes_the_best_motion_most_often_and_sometimes_none():
    source = generator_ref(np.random.default_rng(4))
    utilities = np.array([0.02, -1.0, 0.01])
    picks = [choose_motion(source, utilities, 0.01) for _ in range(4_000)]
    counts = {m: picks.count(m) for m in (-1, 0, 1, 2)}
    assert counts[1] == 0
    assert counts[0] > counts[2] > 0 and counts[-1] > 0
    weights = np.exp(np.array([0.0, 2.0, 1.0]))  # nothing, motion 0, motion 2
    assert counts[0] / 4_000 == pytest.approx(weights[1] / weights.sum(), abs=0.03)
    assert all(choose_motion(source, utilities, 0.0) == 0 for _ in range(50))
    assert choose_motion(source, np.array([-1.0, 0.0]), 0.01) == -1


def test_the_spread_of_a_bloc_vote_is_what_the_votes_show():
    rng = np.random.default_rng(8)
    delegates = np.array([300, 200, 100])
    loyalty = np.array([[0.8, 0.1], [0.1, 0.7], [0.3, 0.3]])
    discipline = np.array([0.6, 0.7, 0.5])
    sides = np.array([FOR, AGAINST])
    source = generator_ref(rng)
    shares = [
        delegate_vote(source, delegates, loyalty, discipline, sides, 0.45, True)[0] / 600
        for _ in range(6_000)
    ]
    mean, spread = delegate_share_moments(delegates, loyalty, discipline, sides, 0.45, True)
    assert np.mean(shares) == pytest.approx(mean, abs=0.005)
    assert np.std(shares) == pytest.approx(spread, rel=0.1)
    assert member_share_spread(np.array([FOR, UNDECIDED, UNDECIDED, AGAINST]), 0.5) == (
        pytest.approx(np.sqrt(2 * 0.25) / 4)
    )


def test_an_office_that_appoints_widely_is_worth_more_to_the_leader_of_the_side_taking_it():
    shares = np.array([0.3, 0.1, 0.2])
    sides = np.array([FOR, FOR, AGAINST])
    whole = office_gain(shares, sides, 0, 1.0, 0.4)
    assert whole == pytest.approx(0.4 * 0.3 / 0.4)
    assert office_gain(shares, sides, 0, 0.2, 0.4) == pytest.approx(whole * 0.2)
    assert office_gain(shares, sides, 1, 1.0, 0.4) == pytest.approx(whole / 3)
    assert office_gain(shares, sides, 0, 1.0, 0.0) == 0.0
