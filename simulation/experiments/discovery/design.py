"""The lever combinations a discovery runs, and the scenario and parameters of each run.

Combinations: a Latin hypercube, or all on/off combinations. Each combination is run K
times with the same K seeds, so two combinations differ by their levers and not by the
model's chance (common random numbers); run ``r`` is run ``r % K`` of combination
``r // K``.

Which parameters a run takes. PRIM explains the outcome by the levers; the parameters
no lever sets are uncertain too, and a discovery integrates over them as over chance.
By default each run ``r`` draws its own parameters from the fit's posterior sample, the
draw run ``r`` of ``ensemble --seed S`` takes (by the seed ``run_seed(S, r)``), so the
N x K runs carry N x K draws, sampled jointly with the levers as the EMA Workbench
samples its uncertainties: a box's density is then the outcome's frequency over what
the fit leaves uncertain. The K replicates share their model seeds across combinations
but not their draws. Had they shared K draws too, every combination would meet the same
K parameter sets and the discovery, however many combinations it ran, would speak for
K points of the posterior: its boxes would be rules of those K parameter sets, and its
shares would not converge to the posterior's as the combinations grow. A parameter a
lever sets (a ``parameter`` lever, or an overlay lever that sets one) overrides the
draw, as ``compare`` keeps what an overlay sets.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from calibration.evaluate import with_parameters
from simulation.experiments.discovery.levers import Lever, apply_levers
from simulation.experiments.parameter_draws import ParameterDraws
from simulation.experiments.seeds import run_seed
from simulation.scenario import Scenario

DESIGNS = ("lhs", "factorial")
DEFAULT_COMBINATIONS = 100
"""Combinations of a Latin hypercube when ``--runs`` is not given."""


class DiscoveryError(ValueError):
    """A discovery that cannot run as asked; the message names the flag and what was expected."""


def experiments(levers: list[Lever], design: str, count: int | None, seed: int) -> pd.DataFrame:
    """One row per lever combination, a column per lever.

    Args:
        levers: the levers.
        design: ``lhs`` (``count`` combinations of a Latin hypercube, stratified on
            every lever) or ``factorial`` (every combination of on/off levers).
        count: combinations of a Latin hypercube (None: :data:`DEFAULT_COMBINATIONS`);
            a factorial design takes none, its combinations being every one there is.
        seed: seed of the hypercube.

    Raises:
        DiscoveryError: an unknown design, a count below 2, a count given to a factorial
            design, or a factorial design over a lever that is not on/off.
    """
    if design not in DESIGNS:
        raise DiscoveryError(f"--design must be one of {', '.join(DESIGNS)}, got {design!r}")
    if design == "factorial":
        return _factorial(levers, count)
    count = DEFAULT_COMBINATIONS if count is None else count
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


def _factorial(levers: list[Lever], count: int | None) -> pd.DataFrame:
    """Every combination of on/off levers; ``--runs`` refused, since it would not be used."""
    ranged = [lever.name for lever in levers if not lever.boolean]
    if ranged:
        raise DiscoveryError(
            f"--design factorial takes only on/off levers (overlays, dropped events); "
            f"{ranged[0]!r} has a range: use --design lhs"
        )
    if count is not None:
        raise DiscoveryError(
            f"--runs {count}: --design factorial runs every combination of the on/off levers "
            f"({2 ** len(levers)} for {len(levers)}), not a number you choose; leave --runs "
            "out (--replicates sets the runs of each combination)"
        )
    rows = list(itertools.product((False, True), repeat=len(levers)))
    return pd.DataFrame(rows, columns=[lever.name for lever in levers])


def set_by_levers(base: Scenario, levered: Scenario, levers: list[Lever]) -> frozenset[str]:
    """The parameters the levers set: kept against a run's draw.

    A ``parameter`` lever's (even at the base's value), and any an overlay lever gives
    another value than the base has (as ``compare`` keeps what an overlay sets).
    """
    named = {lever.parameter for lever in levers if lever.parameter is not None}
    fields = type(base.parameters).model_fields
    changed = {
        name
        for name in fields
        if getattr(levered.parameters, name) != getattr(base.parameters, name)
    }
    return frozenset(named | changed)


def draws_text(draws: ParameterDraws | None, seed: int) -> str:
    """Which parameters each run took, in a sentence (boxes.md, the manifest, the terminal)."""
    if draws is None:
        return "the point estimate in every run, the levers' parameters aside"
    source = f"the posterior {draws.path}" if draws.kind == "posterior" else f"the {draws.label}"
    kept = f"; kept as the scenario sets them: {', '.join(draws.kept)}" if draws.kept else ""
    return (
        f"each run its own draw from {source} (run r the draw of run r of an ensemble of "
        f"root seed {seed}), the levers' parameters overriding it{kept}"
    )


@dataclass
class LeverPoints:
    """Each run's scenario: its combination's levers over its own parameter draw.

    A ParameterSource for the ensemble runner (see the module docstring for the draws).

    Attributes:
        levers: the levers.
        table: one row per combination (:func:`experiments`).
        runs_per_point: K, the runs of each combination.
        draws: the posterior or prior draws of the parameters no lever sets (None: the
            point estimate).
        seed: the discovery's root seed: run ``r`` draws by ``run_seed(seed, r)``.
    """

    levers: list[Lever]
    table: pd.DataFrame
    runs_per_point: int
    draws: ParameterDraws | None = None
    seed: int = 1

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.table.to_csv(index=False).encode())
        digest.update(
            repr([(lever.kind, lever.target, lever.changes) for lever in self.levers]).encode()
        )
        if self.draws is not None:  # another sample, or other kept parameters: other runs
            sample = getattr(self.draws, "sha256", None)
            digest.update(repr((self.draws.label, sample, self.draws.kept)).encode())
        drawn = "" if self.draws is None else f", each run drawn from the {self.draws.kind}"
        self.label = f"levers {digest.hexdigest()[:16]} x {self.runs_per_point}{drawn}"
        self.kept = list(self.draws.kept) if self.draws is not None else []
        self._cache: tuple[int, Scenario, Scenario, frozenset[str]] | None = None

    def __getstate__(self) -> dict:
        """Pickle the combinations, not the scenario built last (workers build their own)."""
        return {**vars(self), "_cache": None}

    @property
    def runs(self) -> int:
        """Runs in the discovery: combinations x runs per combination."""
        return len(self.table) * self.runs_per_point

    def draw_seed(self, run: int) -> int:
        """The seed run ``run`` draws its parameters by: that of run ``run`` of an ensemble."""
        return run_seed(self.seed, run)

    def _at_point(self, scenario: Scenario, point: int) -> tuple[Scenario, frozenset[str]]:
        """A combination's scenario and the parameters its levers set (the last one cached)."""
        if self._cache and self._cache[0] == point and self._cache[1] is scenario:
            return self._cache[2], self._cache[3]
        levered = apply_levers(scenario, self.levers, self.table.iloc[point].to_dict())
        fixed = set_by_levers(scenario, levered, self.levers)
        self._cache = (point, scenario, levered, fixed)
        return levered, fixed

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario of run ``run``: its combination's levers, its own draw of the rest."""
        levered, fixed = self._at_point(scenario, run // self.runs_per_point)
        if self.draws is None:
            return levered
        drawn = self.draws.values_for(self.draw_seed(run))
        return with_parameters(levered, {k: v for k, v in drawn.items() if k not in fixed})

    def path_scenarios(self, scenario: Scenario) -> Iterator[tuple[Scenario, list[int]]]:
        """Each scenario the runs' paths are read with, and the runs that ran it.

        A run's path is read with the events, contenders and factions of the scenario it
        ran: an overlay lever may add a verdict the base does not have. Parameters change
        none of these, so combinations that differ only in parameter levers share one.
        """
        shaping = [lever.name for lever in self.levers if lever.parameter is None]
        groups = self.table.groupby(shaping, sort=False) if shaping else [((), self.table)]
        k = self.runs_per_point
        for _, rows in groups:
            levered = apply_levers(scenario, self.levers, rows.iloc[0].to_dict())
            yield levered, [point * k + r for point in rows.index for r in range(k)]
