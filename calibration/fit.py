"""Likelihood-free fitting of the model's free parameters with ABC-SMC (pyabc).

A particle is a parameter set; its simulated data are the summary statistics
of a small free-mode ensemble (the share of runs meeting each target and the
timing error of the removals); its distance to history is
:func:`calibration.evaluate.distance`. Every particle is run on the same seeds
(common random numbers), so particles differ by their parameters, not by luck.
The result is a posterior sample, not a point; the point we keep for the
scenario is the accepted particle closest to history.

References:
    Toni, T., Welch, D., Strelkowa, N., Ipsen, A., Stumpf, M. P. H. (2009).
    Approximate Bayesian computation scheme for parameter inference and model
    selection in dynamical systems. J. R. Soc. Interface 6, 187-202.
    Klinger, E., Rickert, D., Hasenauer, J. (2018). pyABC: distributed,
    likelihood-free inference. Bioinformatics 34(20), 3591-3593.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from calibration.evaluate import (
    distance,
    run_seeds,
    score_ensemble,
    split_targets,
    summary_statistics,
    with_parameters,
)
from calibration.targets import Target
from simulation.calendar import Month
from simulation.model.parameters import free_parameters
from simulation.scenario import Scenario


class CalibrationError(RuntimeError):
    """A fit that cannot go on; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """How hard to fit: ABC population, generations, runs per particle, processes, seed."""

    population: int = 100
    generations: int = 6
    runs_per_particle: int = 16
    workers: int = 2
    seed: int = 1
    minimum_epsilon: float = 0.01
    """Stop once the tolerance is this close to history (0 would collapse the population
    on particles that all meet every target, leaving pyabc's kernel degenerate)."""


QUICK = Settings(population=24, generations=3, runs_per_particle=8)
"""A fit that finishes in a few minutes on two cores."""


class Calibration:
    """ABC-SMC fit of a scenario's parameters to historical targets.

    Args:
        scenario: the scenario whose parameters are fitted (its values are the
            fixed ones outside ``priors``).
        targets: all targets; with ``fit_until`` only those up to that month are fitted.
        settings: the fit's size and seed.
        priors: uniform (low, high) per fitted parameter.
        fit_until: fit only targets dated up to this month.
    """

    def __init__(
        self,
        scenario: Scenario,
        targets: list[Target],
        settings: Settings = Settings(),
        priors: dict[str, tuple[float, float]] | None = None,
        fit_until: Month | None = None,
    ):
        self.scenario = scenario
        self.targets = targets
        self.settings = settings
        self.priors = priors or free_parameters()
        self.fit_until = fit_until

    def fit(self, database: Path) -> Calibration:
        """Run ABC-SMC, keeping every population in the pyabc database at ``database``."""
        import pyabc

        logging.getLogger("ABC").setLevel(logging.WARNING)
        fitted, held_out = split_targets(self.targets, self.scenario, self.fit_until)
        seeds = run_seeds(self.settings.seed, self.settings.runs_per_particle)
        scenario = self.scenario

        def simulate(values: dict) -> dict[str, float]:
            candidate = with_parameters(scenario, {k: float(v) for k, v in values.items()})
            return summary_statistics(score_ensemble(candidate, fitted, seeds), fitted)

        observed = {f"met:{target.id}": 1.0 for target in fitted} | {
            "timing": 0.0,
            "vote_share": 0.0,
        }
        prior = pyabc.Distribution(
            **{
                name: pyabc.RV("uniform", low, high - low)
                for name, (low, high) in self.priors.items()
            }
        )
        if self.settings.workers == 1:
            sampler = pyabc.sampler.SingleCoreSampler()
        else:
            sampler = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=self.settings.workers)
        # pyabc draws its particles from numpy's global generator.
        np.random.seed(self.settings.seed)  # noqa: NPY002
        abc = pyabc.ABCSMC(
            simulate, prior, distance, population_size=self.settings.population, sampler=sampler
        )
        abc.new(f"sqlite:///{database.resolve()}", observed)
        self.stopped_early_ = None
        try:
            history = abc.run(
                max_nr_populations=self.settings.generations,
                minimum_epsilon=self.settings.minimum_epsilon,
            )
        except (AssertionError, ValueError, np.linalg.LinAlgError) as error:
            # Once nearly every particle meets the fitted targets, pyabc's kernel can
            # degenerate; the populations completed so far are in the database.
            history = pyabc.History(f"sqlite:///{database.resolve()}")
            if history.max_t < 0:
                raise CalibrationError(
                    f"ABC-SMC failed in its first population ({error}); try a larger "
                    "--population or --runs-per-particle"
                ) from None
            self.stopped_early_ = f"stopped after population {history.max_t}: {error}"
        population = history.get_population(t=history.max_t)
        rows = [
            {
                **{k: float(v) for k, v in particle.parameter.items()},
                "weight": particle.weight,
                "distance": particle.distance,
            }
            for particle in population.particles
        ]
        self.posterior_ = pd.DataFrame(rows)
        best = self.posterior_["distance"].idxmin()
        self.best_ = {name: float(self.posterior_.loc[best, name]) for name in self.priors}
        self.populations_ = history.get_all_populations()
        self.fitted_targets_ = [target.id for target in fitted]
        self.held_out_targets_ = [target.id for target in held_out]
        return self

    def validate(self, runs: int) -> pd.DataFrame:
        """Score the chosen point on fresh seeds: every target, marked fitted or held out."""
        from calibration.score import ensemble_table

        seeds = run_seeds(self.settings.seed + 1, runs)
        scores = score_ensemble(with_parameters(self.scenario, self.best_), self.targets, seeds)
        table = ensemble_table(scores)
        table["sample"] = [
            "in" if target in self.fitted_targets_ else ("out" if target != "ALL" else "")
            for target in table["target"]
        ]
        return table
