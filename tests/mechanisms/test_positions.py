"""Grievance from the machine war, and stances that move for reasons, on hand-made states."""

import numpy as np
import pytest

from simulation.mechanisms.positions import (
    capture_grievance,
    common_threat,
    failure_to_answer,
    failure_weight,
    reposition,
)


def test_a_leader_resents_whoever_takes_his_secretaries_in_proportion_to_his_loss():
    grievance = np.zeros((3, 3))
    before = np.array([[0.6, 0.1, 0.0], [0.0, 0.0, 0.5]])
    after = np.array([[0.5, 0.2, 0.0], [0.0, 0.0, 0.5]])
    members = np.array([100.0, 300.0])
    capture_grievance(grievance, before, after, members, np.ones(3, bool), 10.0)
    # 0 lost 0.1 of a quarter of the party's members to 1: 10 * 0.25 * 0.1.
    assert grievance[0, 1] == pytest.approx(0.25)
    assert grievance.sum() == pytest.approx(0.25)


def test_loyalty_drifting_to_no_one_leaves_no_grievance():
    grievance = np.zeros((2, 2))
    before, after = np.array([[0.6, 0.2]]), np.array([[0.5, 0.2]])
    capture_grievance(grievance, before, after, np.array([100.0]), np.ones(2, bool), 10.0)
    assert grievance.sum() == 0.0


def state(grievance_against_strongest):
    stance = np.array([[0.5, 1.0], [0.3, 0.6], [-0.8, -0.8]])
    affinity = np.array([[0.0, 0.5, -0.6], [0.5, 0.0, 0.0], [-0.6, 0.0, 0.0]])
    grievance = np.zeros((3, 3))
    grievance[1, 0] = grievance_against_strongest
    power = np.array([0.5, 0.3, 0.2])
    return stance, affinity, grievance, np.zeros((3, 3)), power


def reposition_three(
    stance,
    affinity,
    grievance,
    obligation,
    power,
    bandwagon_below=0.5,
    failure=0.0,
    ally_pull=0.0,
    health=None,
):
    """``reposition`` of a three-leader state in place: all alive and standing, 0 the strongest.

    Everyone at work unless ``health`` says otherwise; no pull of allies unless
    asked: each test isolates one reason to move.
    """
    everyone = np.ones(3, bool)
    reposition(
        stance,
        affinity,
        grievance,
        obligation,
        power,
        everyone,
        np.ones(3) if health is None else health,
        0,
        0.2,
        bandwagon_below,
        everyone,
        failure,
        ally_pull,
        0.3,
    )


def test_a_threatened_leader_moves_toward_the_opposition_of_the_strongest():
    stance, affinity, grievance, obligation, power = state(0.8)
    before = stance[1].copy()
    reposition_three(stance, affinity, grievance, obligation, power)
    assert np.linalg.norm(stance[1] - stance[2]) < np.linalg.norm(before - stance[2])
    np.testing.assert_array_equal(stance[0], [0.5, 1.0])  # the strongest does not move


def test_a_leader_away_from_work_holds_his_line_and_still_draws_others():
    """An incapacitated or feverish man is moved by no grievance and no ally; the aggrieved
    still move toward the opposition he belongs to, as if he were at work."""
    stance, affinity, grievance, obligation, power = state(0.8)
    grievance[2, 0] = 0.8  # the opposition's man resents the strongest too
    before = stance.copy()
    # Leader 1 in a fever (health 0.3), 2 incapacitated (0): neither may move.
    away = np.array([1.0, 0.3, 0.0])
    reposition_three(stance, affinity, grievance, obligation, power, ally_pull=1.0, health=away)
    np.testing.assert_array_equal(stance, before)
    # Back at work, 1 moves exactly as he would with 2 at work too: 2's stance still
    # makes the opposition's, though 2 himself holds still.
    with_two_away = before.copy()
    reposition_three(
        with_two_away, affinity, grievance, obligation, power, health=np.array([1.0, 0.5, 0.0])
    )
    with_two_at_work = before.copy()
    reposition_three(with_two_at_work, affinity, grievance, obligation, power)
    assert not np.array_equal(with_two_away[1], before[1])
    np.testing.assert_array_equal(with_two_away[1], with_two_at_work[1])
    np.testing.assert_array_equal(with_two_away[2], before[2])


def test_what_a_leader_owes_the_strongest_offsets_his_grievance():
    def moved(owed, debtor=1, creditor=0):
        stance, affinity, grievance, obligation, power = state(0.3)
        obligation[debtor, creditor] = owed  # 1 seated by 0's majority, or his client
        before = stance[1].copy()
        # No bandwagoning: only the grievance moves him.
        reposition_three(stance, affinity, grievance, obligation, power, bandwagon_below=0.0)
        return np.linalg.norm(stance[1] - before)

    assert moved(0.0) > moved(0.1) > moved(0.3) == 0.0
    # A debt beyond the grievance does not push him away from the opposition's stance.
    assert moved(0.6) == 0.0
    # What 0 owes 1 is no offset: only the aggrieved man's own debt counts.
    assert moved(0.3, debtor=0, creditor=1) == pytest.approx(moved(0.0))


def test_a_weak_leader_who_is_not_aggrieved_bandwagons():
    stance, affinity, grievance, obligation, power = state(0.0)
    power[:] = [0.8, 0.1, 0.1]
    before = stance[1].copy()
    reposition_three(stance, affinity, grievance, obligation, power)
    assert np.linalg.norm(stance[1] - stance[0]) < np.linalg.norm(before - stance[0])


def test_a_debt_to_the_strongest_does_not_hasten_bandwagoning():
    """A client follows his patron as any weak man follows the strongest, no faster:
    what he owes offsets a grievance, and there is none here to offset."""

    def moved(owed):
        stance, affinity, grievance, obligation, power = state(0.0)
        power[:] = [0.8, 0.1, 0.1]
        obligation[1, 0] = owed
        reposition_three(stance, affinity, grievance, obligation, power)
        return stance[1]

    np.testing.assert_array_equal(moved(0.8), moved(0.0))


def test_a_weak_leader_the_strongest_is_hostile_to_moves_away_instead_of_bandwagoning():
    stance, affinity, grievance, obligation, power = state(0.0)  # 1 holds nothing against 0
    power[:] = [0.8, 0.1, 0.1]
    affinity[0, 1] = affinity[1, 0] = -0.5  # but 0 is hostile to him
    before = stance[1].copy()
    reposition_three(stance, affinity, grievance, obligation, power)
    assert np.linalg.norm(stance[1] - stance[0]) > np.linalg.norm(before - stance[0])


def test_a_weak_friend_of_the_strongests_enemy_does_not_bandwagon():
    stance, affinity, grievance, obligation, power = state(0.0)
    power[:] = [0.8, 0.1, 0.1]
    moved = []
    for tie in (0.0, 0.5, 1.0):  # 1's friendship with 2, whom the strongest 0 is hostile to
        affinity[1, 2] = affinity[2, 1] = tie
        trial = stance.copy()
        reposition_three(trial, affinity, grievance, obligation, power)
        moved.append(np.linalg.norm(trial[1] - stance[1]))
    assert moved[0] > moved[1] > moved[2] == 0.0


def test_a_leader_with_no_quarrel_of_his_own_follows_his_closest_ally_into_opposition():
    # 1 is aggrieved by the strongest 0; 2, a bystander with no grievance, is close to 1.
    stance = np.array([[0.5, 1.0], [0.3, 0.6], [0.3, 0.6]])
    affinity = np.array([[0.0, 0.4, 0.2], [0.4, 0.0, 0.9], [0.2, 0.9, 0.0]])
    grievance = np.zeros((3, 3))
    grievance[1, 0] = 0.8
    power = np.array([0.5, 0.3, 0.2])

    def moved_by(ally_pull, tie=0.9, to_strongest=0.2):
        trial, ties = stance.copy(), affinity.copy()
        ties[1, 2] = ties[2, 1] = tie
        ties[0, 2] = ties[2, 0] = to_strongest
        for _ in range(12):  # a year: 1 moves first, 2 after him
            reposition_three(
                trial, ties, grievance, np.zeros((3, 3)), power, 0.0, ally_pull=ally_pull
            )
        return np.linalg.norm(trial[2] - stance[2]), trial

    alone, _ = moved_by(0.0)
    followed, trial = moved_by(0.5)
    assert alone == 0.0  # no grievance, no bandwagoning: nothing else moves him
    assert followed > 0.1
    assert trial[2, 1] < stance[2, 1]  # toward his ally, away from the strongest's regime
    weaker, _ = moved_by(0.5, tie=0.5)
    assert 0.0 < weaker < followed  # a looser tie carries him less far
    # Below the threshold of alliance (0.3), a tie carries no one...
    assert moved_by(0.5, tie=0.25)[0] == 0.0
    # ...and the strongest is no one's ally to follow: only the weak follow him.
    assert moved_by(0.5, tie=0.25, to_strongest=0.9)[0] == 0.0


def four_leaders():
    """0 the strongest; 1 aggrieved by him; 2 hostile to both; 3 a bystander."""
    stance = np.array([[0.5, 1.0], [0.3, 0.6], [-0.8, -0.8], [0.0, 0.0]])
    affinity = np.array(
        [
            [0.0, 0.5, -0.6, -0.2],
            [0.5, 0.0, -0.5, 0.0],
            [-0.6, -0.5, 0.0, 0.0],
            [-0.2, 0.0, 0.0, 0.0],
        ]
    )
    grievance = np.zeros((4, 4))
    grievance[1, 0] = 0.8
    power = np.array([0.4, 0.2, 0.3, 0.1])
    return stance, affinity, grievance, np.zeros((4, 4)), power


def test_a_grievance_against_the_strongest_waits_while_their_common_enemy_stands():
    standing = np.ones(4, bool)
    held = four_leaders()
    reposition(*held, np.ones(4, bool), np.ones(4), 0, 0.2, 0.0, standing, 0.0, 0.0, 0.3)
    free = four_leaders()
    standing[2] = False  # the common enemy is broken: condemned, without office
    reposition(*free, np.ones(4, bool), np.ones(4), 0, 0.2, 0.0, standing, 0.0, 0.0, 0.3)
    start = four_leaders()[0][1]
    moved_held = np.linalg.norm(held[0][1] - start)
    moved_free = np.linalg.norm(free[0][1] - start)
    # The enemy has 0.3 of the power against the strongest's 0.4: a quarter of the pull remains.
    assert moved_held == pytest.approx(0.25 * moved_free)


def test_only_an_enemy_hostile_to_both_and_still_standing_restrains():
    stance, affinity, grievance, obligation, power = four_leaders()
    standing = np.ones(4, bool)
    assert common_threat(affinity, power, standing, 1, 0) == pytest.approx(0.75)
    affinity[1, 2] = affinity[2, 1] = 0.1  # 1 no longer hostile to 2
    assert common_threat(affinity, power, standing, 1, 0) == 0.0  # and 3 is no enemy of 1
    power[:] = [0.2, 0.2, 0.5, 0.1]
    affinity[1, 2] = affinity[2, 1] = -0.5
    assert common_threat(affinity, power, standing, 1, 0) == 1.0  # capped
    standing[2] = False
    assert common_threat(affinity, power, standing, 1, 0) == 0.0


def test_a_failure_of_the_line_weighs_most_the_month_it_is_pinned_and_fades():
    assert failure_weight(-1, 5, 2.0) == 0.0  # no failure yet
    assert failure_weight(10, 10, 2.0) == pytest.approx(2.0)
    assert failure_weight(10, 12, 2.0) == pytest.approx(2.0 * 0.7**2)
    assert failure_weight(10, 9, 2.0) == 0.0  # not before it


def test_a_failure_hastens_only_the_move_of_those_hostile_to_the_strongest():
    def moved(hostile, failure):
        stance, affinity, grievance, obligation, power = state(0.3)
        if hostile:
            affinity[0, 1] = affinity[1, 0] = -0.2
        before = stance[1].copy()
        reposition_three(stance, affinity, grievance, obligation, power, failure=failure)
        return np.linalg.norm(stance[1] - before)

    assert moved(True, 1.0) > moved(True, 0.0) > 0.0
    assert moved(False, 1.0) == pytest.approx(moved(False, 0.0))


def test_an_assembly_answers_a_failure_within_a_year():
    # A failure pinned in month 18: answerable in that month and for a year after it.
    assert not failure_to_answer(-1, 30)  # no failure yet
    assert failure_to_answer(18, 18)
    assert failure_to_answer(18, 30)
    assert not failure_to_answer(18, 31)
