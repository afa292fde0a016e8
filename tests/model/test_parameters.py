import numpy as np
import pytest
from pydantic import ValidationError

from calibration.fit import Calibration
from simulation.model.parameters import (
    NAMES,
    Parameter,
    free_parameters,
    pack,
    parameter_ranges,
)
from simulation.scenario.schema import Parameters


def test_every_default_and_prior_lies_in_the_parameters_range():
    defaults = Parameters()
    ranges = parameter_ranges()
    assert set(ranges) == set(NAMES)
    for name, (low, high) in ranges.items():
        assert np.isfinite(low) and np.isfinite(high) and low < high, name
        assert low <= getattr(defaults, name) <= high, name
    for name, (low, high) in free_parameters().items():
        assert ranges[name][0] <= low < high <= ranges[name][1], name


def test_compiled_code_reads_each_parameter_under_its_own_name():
    values = pack(Parameters(removal_threshold=0.5, opinion_gamma=3.0, hostility=-0.2))
    assert values[Parameter.removal_threshold] == 0.5
    assert values[Parameter.opinion_gamma] == 3.0
    assert values[Parameter.hostility] == -0.2
    assert values.size == len(Parameters.model_fields)


def test_the_calibration_fits_the_registrys_priors(small_scenario):
    calibration = Calibration(small_scenario, patterns=[])
    assert calibration.priors == free_parameters()
    assert calibration.priors["removal_threshold"] == (0.25, 0.6)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "valid number"),
        ("0.5", "valid number"),
        (float("inf"), "finite number"),
        (float("nan"), "finite number"),
        (1.5, "less than or equal to 1"),
    ],
)
def test_a_parameter_must_be_a_number_in_its_range(value, message):
    with pytest.raises(ValidationError, match=message):
        Parameters(patronage_rate=value)


def test_an_integer_is_read_as_a_float():
    assert type(Parameters(removal_delay=6).removal_delay) is float


def test_power_needs_at_least_one_weight():
    with pytest.raises(ValidationError, match="at least one must be above 0"):
        Parameters(power_influence_weight=0, power_apparatus_weight=0.0, power_posts_weight=0.0)
    assert Parameters(power_influence_weight=0, power_apparatus_weight=0.0).power_posts_weight
