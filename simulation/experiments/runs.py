"""The one loop that runs seeded models: ``run``, ensemble chunks and calibration all use it.

A run is ``PartyModel(scenario, seed, mode, run)`` stepped month by month until the
scenario's end. Keeping that loop in one place means a single run, an ensemble and a
calibration can never differ in how a model is driven: a result is reproducible from
(scenario, seed, mode) whatever produced it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from simulation.model import Mode, PartyModel
from simulation.scenario import Scenario


class ParameterSource(Protocol):
    """Each run's parameters, drawn from its seed (a posterior, the priors).

    ``label`` names the source in manifests; :meth:`scenario_for` gives the scenario
    with the run's draw applied. A posterior's draw depends on the seed alone, so run
    ``i`` gets the same parameters in every scenario of a paired comparison; a
    sensitivity design's depends on the run number, which says its sample point.
    """

    label: str

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario with the parameters drawn for the run of this seed and number."""
        ...


def run_model(scenario: Scenario, seed: int, mode: Mode = Mode.REPLAY, run: int = 0) -> PartyModel:
    """Simulate every month of one seeded run and return the model, stopped at the end.

    Args:
        scenario: the validated scenario.
        seed: seed of the model's generator (see :mod:`simulation.experiments.seeds`).
        mode: how the scenario's decisions are treated.
        run: the run's number, recorded in its rows.
    """
    model = PartyModel(scenario, seed=seed, mode=mode, run=run)
    while model.running:
        model.step()
    return model


def run_models(
    scenario: Scenario,
    runs: Sequence[int],
    seeds: Sequence[int],
    mode: Mode,
    parameters: ParameterSource | None = None,
) -> Iterator[PartyModel]:
    """Simulate runs one after the other, yielding each model when it has finished.

    Args:
        scenario: the validated scenario.
        runs: the run numbers.
        seeds: the seed of each run, in the same order.
        mode: how the scenario's decisions are treated.
        parameters: where each run's parameters come from (None: the scenario's own).
    """
    for run, seed in zip(runs, seeds, strict=True):
        drawn = parameters.scenario_for(scenario, seed, run) if parameters else scenario
        yield run_model(drawn, seed, mode, run)
