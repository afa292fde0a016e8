import numpy as np
import pytest

from simulation.mechanisms.power import fill_power_shares


def test_power_shares_sum_to_one_over_the_living():
    shares = np.full(3, np.nan)
    fill_power_shares(
        shares,
        np.array([0.5, 0.9, 0.3]),
        np.array([0.4, 0.0, 0.1]),
        np.array([0.3, 0.5, 0.0]),
        np.array([True, False, True]),
        (0.4, 0.4, 0.2),
    )
    assert shares.sum() == pytest.approx(1.0)
    assert shares[1] == 0.0
    raw = np.array([0.4 * 0.5 + 0.4 * 0.4 + 0.2 * 0.3, 0.4 * 0.3 + 0.4 * 0.1])
    np.testing.assert_allclose(shares[[0, 2]], raw / raw.sum())
