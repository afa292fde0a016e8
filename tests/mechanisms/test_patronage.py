import numpy as np
import pytest

from simulation.mechanisms.patronage import (
    apparatus_shares,
    appointing_reach,
    appointment_pressure,
    capture_loyalty,
    purge,
    takeovers,
)


def captured(loyalty, pressure, rate, decay):
    new = np.full(loyalty.shape, np.nan)  # every entry is written
    capture_loyalty(new, loyalty, pressure, rate, decay)
    return new


EQUALS = np.array([0.5, 0.5])
"""Two leaders of equal power: neither is a lesser man to the other."""


def pressure_of(holds, *arguments):
    pressure = np.full((arguments[1].shape[1], holds.shape[0]), np.nan)  # zeroed first
    appointment_pressure(pressure, holds, *arguments)
    return pressure


def test_appointer_captures_loyalty_at_the_stated_rate():
    loyalty = np.array([[0.0, 0.5]])
    pressure = np.array([[1.0, 0.0]])
    updated = captured(loyalty, pressure, rate=0.1, decay=0.0)
    # L <- 0.9 L + 0.1 [appointer]: 0.1 to the appointer, 0.45 left to the other.
    np.testing.assert_allclose(updated, [[0.1, 0.45]])


def test_loyalty_decays_without_appointments():
    updated = captured(np.array([[0.5, 0.3]]), np.zeros((1, 2)), rate=0.1, decay=0.1)
    np.testing.assert_allclose(updated, [[0.45, 0.27]])


def test_weak_pressure_captures_less():
    weak = captured(np.zeros((1, 1)), np.array([[0.2]]), rate=0.1, decay=0.0)
    strong = captured(np.zeros((1, 1)), np.array([[1.0]]), rate=0.1, decay=0.0)
    assert weak[0, 0] == pytest.approx(0.02)
    assert strong[0, 0] == pytest.approx(0.1)


def test_rows_never_exceed_one():
    rng = np.random.default_rng(0)
    loyalty = rng.dirichlet(np.ones(5), size=4)[:, :4]
    for _ in range(200):
        loyalty = captured(loyalty, rng.random((4, 4)) * 2, rate=0.3, decay=0.01)
    assert (loyalty >= 0).all()
    assert (loyalty.sum(axis=1) <= 1 + 1e-12).all()


def test_regional_boss_shields_his_organisation():
    # Leader 0 appoints everywhere (general secretary); leader 1 heads organisation 0.
    holds = np.array([[True, False], [False, True]])
    patronage = np.array([0.9, 0.8])
    appoints = np.array([[1.0, 1.0], [1.0, 0.0]])
    health = np.ones(2)
    head_holder = np.array([1, -1])
    protection = np.array([0.7, 0.0])
    reach = patronage[:, None] * appoints
    pressure = pressure_of(
        holds, np.ones(2, bool), reach, health, np.ones(2), 1.0, head_holder, protection, EQUALS
    )
    # In the protected organisation the outsider's pressure is cut by 70%, the boss keeps his.
    np.testing.assert_allclose(pressure[0], [0.9 * 0.3, 0.8])
    # In the unprotected organisation only the general secretary appoints.
    np.testing.assert_allclose(pressure[1], [0.9, 0.0])


def test_a_lesser_mans_machine_is_pressed_less_than_a_rivals():
    # Leader 0 appoints everywhere; leader 1 heads organisation 0, with no protection.
    def pressure(power):
        return pressure_of(
            np.array([[True, False], [False, True]]),
            np.ones(2, bool),
            np.array([[0.9, 0.9], [1.0, 0.0]]),
            np.ones(2),
            np.ones(2),
            1.0,
            np.array([1, -1]),
            np.zeros(2),
            np.array(power),
        )

    # A head as strong as the appointer is pressed in full; one with a quarter of his
    # power, at a quarter; the headless organisation alike in both.
    np.testing.assert_allclose(pressure([0.4, 0.4])[:, 0], [0.9, 0.9])
    np.testing.assert_allclose(pressure([0.4, 0.1])[:, 0], [0.9 * 0.25, 0.9])
    # A head stronger than the appointer does not raise his pressure; the head keeps his own.
    np.testing.assert_allclose(pressure([0.1, 0.4])[:, 0], [0.9, 0.9])
    np.testing.assert_allclose(pressure([0.4, 0.1])[0, 1], 1.0)


def test_an_invalid_appoints_no_one():
    pressure = pressure_of(
        np.array([[True]]),
        np.array([True]),
        np.array([[0.9]]),
        np.array([0.0]),
        np.array([0.5]),
        1.0,
        np.array([-1]),
        np.array([0.0]),
        np.ones(1),
    )
    assert pressure[0, 0] == 0.0


def test_purge_moves_the_targets_clients_to_the_beneficiary_at_once():
    loyalty = np.array([[0.6, 0.1, 0.2], [0.5, 0.0, 0.0]])
    purge(loyalty, organisation=0, targets=np.array([0]), beneficiary=1, share=0.75)
    np.testing.assert_allclose(loyalty[0], [0.15, 0.55, 0.2])
    np.testing.assert_allclose(loyalty[1], [0.5, 0.0, 0.0])  # other organisations untouched


def test_a_purge_without_named_targets_takes_everyone_but_the_beneficiary():
    loyalty = np.array([[0.4, 0.2, 0.2]])
    purge(loyalty, organisation=0, targets=np.array([], dtype=np.int64), beneficiary=0, share=0.5)
    np.testing.assert_allclose(loyalty[0], [0.6, 0.1, 0.1])


def test_apparatus_share_is_membership_weighted():
    loyalty = np.array([[1.0, 0.0], [0.0, 0.5]])
    shares = apparatus_shares(loyalty, np.array([300.0, 100.0]))
    np.testing.assert_allclose(shares, [0.75, 0.125])


def test_the_dead_appoint_no_one():
    holds = np.array([[True], [True]])
    pressure = pressure_of(
        holds,
        np.array([True, False]),
        np.array([[0.9]]),
        np.ones(2),
        np.ones(2),
        1.0,
        np.array([-1]),
        np.zeros(1),
        EQUALS,
    )
    np.testing.assert_allclose(pressure, [[0.9, 0.0]])


def test_a_man_without_standing_cannot_carry_his_nominees():
    def pressure(standing_weight):
        return pressure_of(
            np.array([[True], [True]]),
            np.ones(2, bool),
            np.array([[0.8]]),
            np.ones(2),
            np.array([0.9, 0.1]),
            standing_weight,
            np.array([-1]),
            np.zeros(1),
            EQUALS,
        )[0]

    np.testing.assert_allclose(pressure(0.0), [0.8, 0.8])  # the office alone
    np.testing.assert_allclose(pressure(1.0), [0.8 * 0.9, 0.8 * 0.1])


def test_a_head_whose_organisation_a_rivals_machine_holds_is_displaced():
    # Organisation 0: head 1 has 0.2 of the secretaries, 0 (who appoints there) 0.5.
    loyalty = np.array([[0.5, 0.2, 0.0], [0.1, 0.0, 0.6]])
    affinity = np.zeros((3, 3))
    obligation = np.zeros((3, 3))
    reach = np.array([[0.9, 0.0, 0.0], [0.9, 0.0, 0.8]])
    heads = np.array([1, 2])
    np.testing.assert_array_equal(
        takeovers(loyalty, affinity, obligation, reach, heads, 1.5, 0.3), [0, -1]
    )
    # Not when the master trusts him, nor when he owes the master his post,
    # nor when the master no longer appoints there.
    affinity[0, 1] = affinity[1, 0] = 0.5
    assert takeovers(loyalty, affinity, obligation, reach, heads, 1.5, 0.3)[0] == -1
    affinity[:] = 0.0
    obligation[1, 0] = 0.3
    assert takeovers(loyalty, affinity, obligation, reach, heads, 1.5, 0.3)[0] == -1
    obligation[:] = 0.0
    reach[0, 0] = 0.0
    assert takeovers(loyalty, affinity, obligation, reach, heads, 1.5, 0.3)[0] == -1


def test_an_office_reaches_the_members_of_the_organisations_it_appoints_in():
    # posts: 0 appoints everywhere (unique), 1 in organisation 1 (unique), 2 everywhere
    # but shared (a seat on a bureau: not an office one man can be stripped of)
    reach = np.array([[0.9, 0.9], [0.0, 0.8], [0.3, 0.3]])
    unique = np.array([True, True, False])
    members = np.array([300.0, 100.0])
    holds = np.array([[True, False, False], [False, True, True], [False, False, True]])
    shares = appointing_reach(holds, unique, reach, members)
    assert shares == pytest.approx([0.9, 0.8 * 100 / 400, 0.0])
    holds[0, 1] = True  # both offices: patronage in organisation 1 is capped at 1
    assert appointing_reach(holds, unique, reach, members)[0] == pytest.approx(
        (0.9 * 300 + 1.0 * 100) / 400
    )
