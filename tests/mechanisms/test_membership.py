import numpy as np
import pytest

from simulation.mechanisms.membership import (
    allocate_intake,
    attrition,
    delegate_counts,
    delegate_discipline,
    stable_order_head,
)


def test_attrition_takes_the_same_share_of_recruits_and_old_members():
    members, recruits = np.array([1000.0]), np.array([400.0])
    attrition(members, recruits, rate=0.1)
    assert members[0] == pytest.approx(900.0)
    assert recruits[0] == pytest.approx(360.0)


def test_intake_favours_organisations_with_a_higher_recruitment_weight():
    added = allocate_intake(1000.0, np.array([2.0, 1.0]), np.array([100.0, 100.0]))
    np.testing.assert_allclose(added, [2000 / 3, 1000 / 3])
    assert added.sum() == pytest.approx(1000.0)


def test_delegates_are_allocated_by_membership_and_add_up():
    counts = delegate_counts(10, np.array([55.0, 30.0, 15.0]))
    assert counts.sum() == 10
    np.testing.assert_array_equal(counts, [6, 3, 1])  # 5.5, 3.0, 1.5: largest remainders


def test_stable_order_head_is_the_head_of_a_stable_argsort():
    rng = np.random.default_rng(0)
    for _ in range(200):
        keys = rng.integers(0, 4, size=rng.integers(1, 12)) / 4.0  # many equal keys
        keys[rng.random(keys.size) < 0.1] = np.nan
        count = int(rng.integers(1, keys.size + 3))
        expected = np.argsort(keys, kind="mergesort")[:count]
        np.testing.assert_array_equal(stable_order_head(keys, count), expected)


def test_recruits_raise_discipline():
    discipline = delegate_discipline(
        np.array([100.0, 100.0]), np.array([0.0, 50.0]), old_discipline=0.6, recruit_discipline=0.9
    )
    np.testing.assert_allclose(discipline, [0.6, 0.75])
