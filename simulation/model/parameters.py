"""The parameters as compiled code reads them: one packed array, indexed by name.

:class:`simulation.scenario.schema.Parameters` is the only list of the model's
parameters. The index below is generated from it, so a kernel reads
``parameters[Parameter.removal_threshold]`` (numba folds the enum member to a
constant) and a new parameter needs no second list. The calibration, the
sensitivity analysis and the dashboard read names, ranges and priors from
:func:`free_parameters` and :func:`parameter_ranges`.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from simulation.scenario.schema import Parameters

NAMES = tuple(Parameters.model_fields)
"""Every parameter's name, in the order of the packed array."""

Parameter = IntEnum("Parameter", [(name, i) for i, name in enumerate(NAMES)])
"""Each parameter's position in the packed array, by name."""


def pack(parameters: Parameters) -> np.ndarray:
    """The parameters as one float array: a compiled call unpacks an array in no time."""
    return np.array([getattr(parameters, name) for name in NAMES], dtype=float)


def _extra(name: str) -> dict:
    extra = Parameters.model_fields[name].json_schema_extra
    return extra if isinstance(extra, dict) else {}


def parameter_ranges() -> dict[str, tuple[float, float]]:
    """Every parameter's valid range ``(low, high)``, by name."""
    return {name: tuple(_extra(name)["bounds"]) for name in NAMES}


def free_parameters() -> dict[str, tuple[float, float]]:
    """The parameters a calibration fits, with their uniform prior ``(low, high)``."""
    return {name: tuple(_extra(name)["prior"]) for name in NAMES if "prior" in _extra(name)}


def describe(name: str) -> str:
    """What a parameter means, in the registry's words."""
    return Parameters.model_fields[name].description or ""
