"""Scenario files: YAML in, a validated :class:`Scenario` out, or every problem with its line.

The package imports nothing of the model: it reads files within limits
(:mod:`.reading`), resolves overlays and command-line changes (:mod:`.overlay`,
:mod:`.changes`), and checks the result (:mod:`.validation`, :mod:`.checks`).
"""

from simulation.scenario.loader import ScenarioError, load_scenario, parse_scenario, scenario_hash
from simulation.scenario.overlay import apply_changes
from simulation.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "apply_changes",
    "load_scenario",
    "parse_scenario",
    "scenario_hash",
]
