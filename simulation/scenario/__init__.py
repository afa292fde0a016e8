"""Scenario files: the schema, the loader and the cross-reference checks."""

from simulation.scenario.loader import ScenarioError, load_scenario, parse_scenario, scenario_hash
from simulation.scenario.schema import Scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario", "parse_scenario", "scenario_hash"]
