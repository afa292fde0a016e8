"""Interregnum: an agent-based simulation of the Soviet succession struggle, 1922-1926.

The names below are the public API::

    from simulation import Ensemble, Mode, PartyModel, choose_parameters, load_scenario
    from simulation import draw_influence, run_ensemble

    scenario = load_scenario("scenarios/baseline_1922.yaml")
    result = PartyModel(scenario, seed=1, mode=Mode.FREE).run()
    result["trajectories"]
    draw_influence(result["trajectories"], scenario, result["events"])  # a matplotlib Figure
    posterior = choose_parameters(None, scenario, "scenarios/baseline_1922.yaml").draws
    run_ensemble(Ensemble(scenario, runs=200, parameters=posterior), "outputs/my-ensemble")

Each name is imported from its module when first used (PEP 562): the model pulls in
numba and Mesa, which cost seconds to import, and ``interregnum --help``, ``validate``
and ``diff`` should not pay for them.
"""

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "Mode": "simulation.model",
    "PartyModel": "simulation.model",
    "RunResult": "simulation.model",
    "Scenario": "simulation.scenario",
    "ScenarioError": "simulation.scenario",
    "load_scenario": "simulation.scenario",
    "apply_changes": "simulation.scenario",
    "Ensemble": "simulation.experiments.ensemble",
    "EnsembleError": "simulation.experiments.ensemble",
    "run_ensemble": "simulation.experiments.ensemble",
    "choose_parameters": "simulation.experiments.posterior",
    "DrawError": "simulation.experiments.parameter_draws",
    "compare_summaries": "simulation.experiments.compare.statistics",
    "run_comparison": "simulation.experiments.compare.comparison",
    "read_run_paths": "simulation.experiments.paths",
    "path_table": "simulation.experiments.paths",
    "draw_influence": "simulation.output.plots",
    "draw_fan": "simulation.output.fan",
}
"""Each public name and the module that defines it."""

__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for tab completion."""
    return sorted(__all__)
