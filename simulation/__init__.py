"""Interregnum: an agent-based simulation of the Soviet succession struggle, 1922-1926.

The names below are the public API::

    from simulation import PartyModel, Mode, load_scenario

    scenario = load_scenario("scenarios/baseline_1922.yaml")
    result = PartyModel(scenario, seed=1, mode=Mode.FREE).run()
    result["trajectories"]
"""

from simulation.model import Mode, PartyModel, RunResult
from simulation.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"

__all__ = [
    "Mode",
    "PartyModel",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
]
