"""Voice: who is pressed to speak out against the strongest, and who speaks, on hand-made states."""

import numpy as np
import pytest
from conftest import generator_ref

from simulation.mechanisms.voice import speakers, voice_pressure

STRONGEST = 0


def _state(affinity_to_strongest=-0.4, grievance=0.5, third=(0.0, 0.0)):
    """Leader 0 the strongest; 1 aggrieved by him; 2 a third man (``third``: his
    affinity to 0 and to 1), hostile to both when both are negative."""
    a_02, a_12 = third
    affinity = np.array(
        [
            [1.0, affinity_to_strongest, a_02],
            [affinity_to_strongest, 1.0, a_12],
            [a_02, a_12, 1.0],
        ]
    )
    grievance_matrix = np.zeros((3, 3))
    grievance_matrix[1, 0] = grievance
    power = np.array([0.5, 0.2, 0.3])
    return affinity, grievance_matrix, power


STANCE = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
"""1's stance is half as far from the strongest's as it could be on the two axes."""


def _pressure(
    affinity, grievance, power, standing=(True, True, True), present=(1, 1, 1), failure=0.0
):
    return voice_pressure(
        grievance,
        affinity,
        power,
        np.array(standing),
        np.array(present, dtype=bool),
        STRONGEST,
        STANCE,
        failure,
    )


def test_a_leader_hostile_to_the_strongest_is_pressed_by_his_grievance():
    affinity, grievance, power = _state()
    pressure = _pressure(affinity, grievance, power)
    assert pressure[1] == pytest.approx(0.5)
    assert pressure[0] == 0.0  # the strongest does not speak against himself
    assert pressure[2] == 0.0  # no grievance, no voice


def test_a_grievance_nursed_by_an_ally_or_an_absent_man_stays_inside_the_leadership():
    affinity, grievance, power = _state(affinity_to_strongest=0.2)
    assert _pressure(affinity, grievance, power)[1] == 0.0
    affinity, grievance, power = _state()
    assert _pressure(affinity, grievance, power, present=(1, 0, 1))[1] == 0.0


def test_an_enemy_shared_with_the_strongest_holds_the_voice_back_until_he_is_broken():
    # Leader 2 is hostile to both: while he stands, his power over the strongest's
    # (0.3 / 0.5) holds back that share of the grievance; once broken, none.
    affinity, grievance, power = _state(third=(-0.5, -0.5))
    assert _pressure(affinity, grievance, power)[1] == pytest.approx(0.5 * (1 - 0.3 / 0.5))
    broken = _pressure(affinity, grievance, power, standing=(True, True, False))
    assert broken[1] == pytest.approx(0.5)


def test_a_failure_presses_the_hostile_by_how_far_their_line_lies_from_the_strongests():
    affinity, grievance, power = _state(grievance=0.0)
    assert _pressure(affinity, grievance, power)[1] == 0.0
    # Stance distance 2 of the largest 2 * sqrt(2): a failure of weight 1 presses by 0.707.
    pressed = _pressure(affinity, grievance, power, failure=1.0)
    assert pressed[1] == pytest.approx(np.sqrt(0.5))
    assert pressed[2] == 0.0  # 2 is not hostile to the strongest
    affinity, grievance, power = _state(affinity_to_strongest=0.2)
    assert _pressure(affinity, grievance, power, failure=1.0)[1] == 0.0  # nor is an ally


def test_who_speaks_is_drawn_from_the_models_generator_with_the_pressure_as_weight():
    pressure = np.array([0.0, 0.8, 0.2])
    source = generator_ref(np.random.default_rng(5))
    spoke = np.array([speakers(source, pressure, 0.5) for _ in range(8_000)])
    assert not spoke[:, 0].any()
    assert spoke[:, 1].mean() == pytest.approx(0.4, abs=0.02)
    assert spoke[:, 2].mean() == pytest.approx(0.1, abs=0.02)
    again = generator_ref(np.random.default_rng(5))
    np.testing.assert_array_equal(speakers(again, pressure, 0.5), spoke[0])


def test_no_one_under_pressure_draws_nothing_from_the_generator():
    rng = np.random.default_rng(9)
    untouched = np.random.default_rng(9)
    source = generator_ref(rng)
    assert not speakers(source, np.zeros(4), 1.0).any()
    assert rng.random() == untouched.random()
