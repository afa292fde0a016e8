"""The ODD description keeps up with the model: every parameter, module and state array."""

from __future__ import annotations

import pytest

from simulation.model.state import STATE
from simulation.scenario.parameters import Parameters
from tests.conftest import ROOT

ODD = ROOT / "docs" / "odd.md"


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


def test_every_parameter_of_the_registry_is_described(odd):
    missing = [name for name in Parameters.model_fields if f"`{name}`" not in odd]
    assert not missing, f"docs/odd.md does not name these parameters (as `name`): {missing}"


@pytest.mark.parametrize("package", ["mechanisms", "model"])
def test_every_module_of_the_model_is_described(odd, package):
    modules = sorted(
        path.stem
        for path in (ROOT / "simulation" / package).glob("*.py")
        if path.stem != "__init__"
    )
    assert modules, f"no modules found in simulation/{package}"
    missing = [name for name in modules if f"simulation.{package}.{name}" not in odd]
    assert not missing, (
        f"docs/odd.md does not name these modules of simulation/{package}/ "
        f"(as simulation.{package}.NAME): {missing}"
    )


def test_every_state_array_is_described(odd):
    missing = [array.name for array in STATE if f"`{array.name}`" not in odd]
    assert not missing, f"docs/odd.md does not name these state arrays (as `name`): {missing}"
