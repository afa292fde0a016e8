"""The lever combinations a discovery runs: a Latin hypercube, or all on/off combinations.

Each combination is run K times with the same K seeds (common random numbers), so two
combinations differ by their levers and not by chance; run ``r`` is run ``r % K`` of
combination ``r // K``.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from simulation.experiments.discovery.levers import Lever, apply_levers
from simulation.scenario import Scenario

DESIGNS = ("lhs", "factorial")


class DiscoveryError(ValueError):
    """A discovery that cannot run as asked; the message names the flag and what was expected."""


def experiments(levers: list[Lever], design: str, count: int, seed: int) -> pd.DataFrame:
    """One row per lever combination, a column per lever.

    Args:
        levers: the levers.
        design: ``lhs`` (``count`` combinations of a Latin hypercube, stratified on
            every lever) or ``factorial`` (every combination of on/off levers; ``count``
            is ignored).
        count: combinations of a Latin hypercube.
        seed: seed of the hypercube.

    Raises:
        DiscoveryError: an unknown design, a count below 2, or a factorial design over a
            lever that is not on/off.
    """
    if design == "factorial":
        ranged = [lever.name for lever in levers if not lever.boolean]
        if ranged:
            raise DiscoveryError(
                f"--design factorial takes only on/off levers (overlays, dropped events); "
                f"{ranged[0]!r} has a range: use --design lhs"
            )
        rows = list(itertools.product((False, True), repeat=len(levers)))
        return pd.DataFrame(rows, columns=[lever.name for lever in levers])
    if design != "lhs":
        raise DiscoveryError(f"--design must be one of {', '.join(DESIGNS)}, got {design!r}")
    if count < 2:
        raise DiscoveryError(f"--runs must be at least 2, got {count}")
    unit = qmc.LatinHypercube(d=len(levers), seed=np.random.default_rng(seed)).random(count)
    columns = {}
    for j, lever in enumerate(levers):
        if lever.boolean:
            columns[lever.name] = unit[:, j] >= 0.5
        elif lever.integer:
            steps = lever.high - lever.low + 1
            columns[lever.name] = (lever.low + np.floor(unit[:, j] * steps)).astype(int)
        else:
            columns[lever.name] = lever.low + unit[:, j] * (lever.high - lever.low)
    return pd.DataFrame(columns)


@dataclass
class LeverPoints:
    """Each run's scenario, by its lever combination: a ParameterSource for the ensemble runner."""

    levers: list[Lever]
    table: pd.DataFrame
    runs_per_point: int

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.table.to_csv(index=False).encode())
        digest.update(
            repr([(lever.kind, lever.target, lever.changes) for lever in self.levers]).encode()
        )
        self.label = f"levers {digest.hexdigest()[:16]} x {self.runs_per_point}"
        self._cache: tuple[int, Scenario, Scenario] | None = None

    def __getstate__(self) -> dict:
        """Pickle the combinations, not the scenario built last (workers build their own)."""
        return {**vars(self), "_cache": None}

    @property
    def runs(self) -> int:
        """Runs in the discovery: combinations x runs per combination."""
        return len(self.table) * self.runs_per_point

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario with the levers of the run's combination."""
        point = run // self.runs_per_point
        if self._cache and self._cache[0] == point and self._cache[1] is scenario:
            return self._cache[2]
        values = self.table.iloc[point].to_dict()
        drawn = apply_levers(scenario, self.levers, values)
        self._cache = (point, scenario, drawn)
        return drawn
