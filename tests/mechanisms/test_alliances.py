import numpy as np
import pytest

from simulation.mechanisms.alliances import (
    AffinityWeights,
    add_tie,
    fill_reconcilable,
    open_breach,
    reweigh_affinities,
    stance_similarity,
    threat_adjustment,
)

WEIGHTS = AffinityWeights(stance=0.6, grievance=0.8, obligation=0.8, threat=0.5)


def reweigh(
    affinity,
    similarity,
    grievance=None,
    obligation=None,
    threat=None,
    alive=None,
    rate=0.5,
    denounced=None,
    condemned=None,
):
    n = affinity.shape[0]
    zeros = np.zeros((n, n))
    updated = affinity.copy()
    reweigh_affinities(
        updated,
        similarity,
        zeros if grievance is None else grievance,
        zeros if obligation is None else obligation,
        zeros if threat is None else threat,
        np.ones(n, bool) if alive is None else alive,
        rate,
        WEIGHTS,
        np.ones(n, bool),
        np.empty((4, n, n)),
        np.ones((n, n)) if denounced is None else _reconcilable(denounced, condemned),
    )
    return updated


def _reconcilable(denounced, condemned):
    reconcilable = np.empty(denounced.shape)
    fill_reconcilable(reconcilable, denounced, condemned)
    return reconcilable


def balance_only(affinity, standing=None):
    """One month's full step (rate 1) to the structural balance alone, weighed 0.5."""
    n = affinity.shape[0]
    zeros = np.zeros((n, n))
    weights = WEIGHTS._replace(stance=0.0, structural_balance=0.5)
    everyone = np.ones(n, bool)
    standing = everyone if standing is None else standing
    updated = affinity.copy()
    work = np.empty((4, n, n))
    ceiling = np.ones((n, n))
    reweigh_affinities(
        updated, zeros, zeros, zeros, zeros, everyone, 1.0, weights, standing, work, ceiling
    )
    return updated


def test_similarity_is_one_for_equal_stances_and_minus_one_for_opposite_corners():
    similarity = stance_similarity(np.array([[1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]))
    assert similarity[0, 1] == pytest.approx(1.0)
    assert similarity[0, 2] == pytest.approx(-1.0)


def test_affinity_moves_toward_stance_similarity_at_the_rate():
    calm = reweigh(np.zeros((2, 2)), np.ones((2, 2)))
    assert calm[0, 1] == pytest.approx(0.5 * 0.6)


def test_grievances_push_affinity_down_symmetrically():
    grievance = np.array([[0.0, 1.0], [0.0, 0.0]])
    hurt = reweigh(np.zeros((2, 2)), np.ones((2, 2)), grievance=grievance)
    assert hurt[0, 1] == pytest.approx(0.5 * (0.6 - 0.8 * 0.5))
    np.testing.assert_allclose(hurt, hurt.T)


def test_a_client_is_drawn_to_his_patron_despite_different_stances():
    obligation = np.array([[0.0, 1.0], [0.0, 0.0]])
    apart = -np.ones((2, 2))
    without = reweigh(np.zeros((2, 2)), apart)
    with_patron = reweigh(np.zeros((2, 2)), apart, obligation=obligation)
    assert without[0, 1] < 0
    assert with_patron[0, 1] == pytest.approx(0.5 * (-0.6 + 0.8 * 0.5))
    assert with_patron[0, 1] > without[0, 1]


def test_a_common_enemy_draws_two_leaders_together():
    affinity = np.array([[0.0, 0.0, -0.8], [0.0, 0.0, -0.8], [-0.8, -0.8, 0.0]])
    updated = balance_only(affinity)
    assert updated[0, 1] == pytest.approx(0.5 * 0.64)
    assert updated[0, 2] == 0.0  # no common enemy of 0 and 2


def test_the_friend_of_an_enemy_is_pushed_away():
    # 0 and 2 are friends; 2 and 1 enemies: 0 is drawn away from 1, 2's enemy.
    affinity = np.array([[0.0, 0.0, 0.6], [0.0, 0.0, -0.8], [0.6, -0.8, 0.0]])
    updated = balance_only(affinity)
    assert updated[0, 1] == pytest.approx(0.5 * 0.6 * -0.8)


def test_friends_of_friends_exert_no_pull():
    affinity = np.array([[0.0, 0.0, 0.6], [0.0, 0.0, 0.8], [0.6, 0.8, 0.0]])
    updated = balance_only(affinity)
    assert updated[0, 1] == 0.0


def test_a_broken_enemy_binds_no_one():
    affinity = np.array([[0.0, 0.0, -0.8], [0.0, 0.0, -0.8], [-0.8, -0.8, 0.0]])
    standing = np.array([True, True, False])  # 2 condemned and stripped of his offices
    updated = balance_only(affinity, standing)
    assert updated[0, 1] == 0.0


@pytest.mark.parametrize(
    ("condemned", "reconciled"),
    [
        ([False, False, False], False),  # neither condemned
        ([True, False, False], False),  # only the one who was condemned
        ([True, True, False], True),  # both defeated by the same majority
    ],
)
def test_former_enemies_are_reconciled_only_in_defeat(condemned, reconciled):
    # 1 voted for 0's condemnation. Alike in stance, they would draw together; until both
    # stand condemned, no closer than neutral. 2 is unlike either.
    affinity = np.array([[0.0, -0.2, -0.8], [-0.2, 0.0, -0.8], [-0.8, -0.8, 0.0]])
    similarity = np.array([[1.0, 1.0, -1.0], [1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]])
    denounced = np.zeros((3, 3), bool)
    denounced[1, 0] = True
    updated = reweigh(
        affinity,
        similarity,
        threat=np.zeros((3, 3)),
        rate=1.0,
        denounced=denounced,
        condemned=np.array(condemned),
    )
    assert updated[0, 1] == updated[1, 0]
    assert updated[0, 1] == (pytest.approx(0.6) if reconciled else 0.0)
    assert updated[0, 2] == pytest.approx(-0.6)  # the ceiling binds no other pair


def test_a_carried_attack_breaks_the_bond_at_once_both_ways():
    affinity = np.array([[0.0, 0.3, 0.5], [0.3, 0.0, -0.9], [0.5, -0.9, 0.0]])
    open_breach(affinity, np.array([1, 2]), 0, 0.4)
    assert affinity[0, 1] == affinity[1, 0] == pytest.approx(-0.1)
    assert affinity[0, 2] == affinity[2, 0] == pytest.approx(0.1)
    assert affinity[1, 2] == -0.9  # the targets' own tie is untouched
    open_breach(affinity, np.array([1]), 0, 2.0)
    assert affinity[0, 1] == -1.0


def threat(standing, alive, balancing):
    adjustment = np.full((standing.size, standing.size), np.nan)  # every entry is written
    threat_adjustment(adjustment, standing, alive, balancing)
    return adjustment


def test_the_others_balance_against_the_most_prominent():
    standing = np.array([0.6, 0.2, 0.2])
    adjustment = threat(standing, np.ones(3, bool), balancing=1.0)
    assert adjustment[1, 2] > 0  # the weaker two draw together
    assert adjustment[0, 1] < 0  # and away from the leader


def test_the_weak_bandwagon_when_balancing_is_off():
    standing = np.array([0.6, 0.3, 0.1])
    adjustment = threat(standing, np.ones(3, bool), balancing=0.0)
    assert adjustment[2, 0] > adjustment[1, 0] > 0  # the weakest is drawn hardest
    assert adjustment[1, 2] == 0


def test_the_dead_are_not_feared():
    standing = np.array([0.9, 0.3, 0.2, 0.1])
    alive = np.array([False, True, True, True])
    adjustment = threat(standing, alive, balancing=1.0)
    assert adjustment[2, 3] > 0 and adjustment[1, 2] < 0  # leader 1 is now the one to balance


def test_the_dead_have_no_affinities():
    alive = np.array([True, False, True])
    updated = reweigh(np.full((3, 3), 0.5), np.ones((3, 3)), alive=alive, rate=0.1)
    assert (updated[1] == 0).all() and (updated[:, 1] == 0).all()
    assert (np.diag(updated) == 0).all()


def test_ties_accumulate_and_are_capped():
    grievance = np.zeros((2, 2))
    for _ in range(5):
        add_tie(grievance, np.array([0]), np.array([1]), 0.4)
    assert grievance[0, 1] == 1.0
    assert grievance[1, 0] == 0.0


def test_balance_is_counted_right_beyond_sixty_four_leaders():
    # Enmities are kept as 64-bit sets; check them against the plain sums over every third leader.
    rng = np.random.default_rng(5)
    n = 70
    affinity = rng.uniform(-1, 1, (n, n))
    affinity = (affinity + affinity.T) / 2
    np.fill_diagonal(affinity, 0.0)
    zeros = np.zeros((n, n))
    weights = AffinityWeights(
        stance=0.0, grievance=0.0, obligation=0.0, threat=0.0, structural_balance=1.0
    )
    updated = affinity.copy()
    everyone = np.ones(n, bool)
    work = np.full((4, n, n), np.nan)  # every entry read is written first
    ceiling = np.ones((n, n))
    reweigh_affinities(
        updated, zeros, zeros, zeros, zeros, everyone, 1.0, weights, everyone, work, ceiling
    )
    friendship = np.maximum(affinity, 0.0)  # triads of friends alone exert no pull
    expected = np.clip(affinity @ affinity - friendship @ friendship, -1.0, 1.0)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(updated, expected, atol=1e-12)
    assert updated[3, 67] != 0.0  # the pair spans both words of the bit sets
