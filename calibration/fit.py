"""Likelihood-free fitting of the model's free parameters with ABC (pyabc).

A particle is a parameter set; its simulated data are the summary statistics
of a small free-mode ensemble (the share of runs hitting each ``fit`` pattern
and the month error of the timed ones; ``hold_out`` patterns are never read);
its distance to history is :func:`calibration.evaluate.distance`. Every particle
is run on the same seeds (common random numbers), so particles differ by their
parameters, not by luck.
The result is a posterior sample, not a point: it is kept (weighted) so that
ensembles can draw each run's parameters from it; the point kept for the
scenario is the accepted particle closest to history.

By default the fit is one rejection step (Pritchard et al. 1999): particles are
drawn from the prior and those within the ``quantile`` of the closest to
history (the tolerance set on a first prior sample) are kept, all with the
same weight. Further SMC generations (``generations`` > 1) tighten the
tolerance, but with two dozen parameters and a noisy distance their importance
weights collapse onto a handful of particles (an effective sample of 2 in 150
on the baseline), and a posterior that is nearly one point would make the
ensembles' parameter uncertainty an illusion.

References:
    Toni, T., Welch, D., Strelkowa, N., Ipsen, A., Stumpf, M. P. H. (2009).
    Approximate Bayesian computation scheme for parameter inference and model
    selection in dynamical systems. J. R. Soc. Interface 6, 187-202.
    Pritchard, J. K., Seielstad, M. T., Perez-Lezaun, A., Feldman, M. W. (1999).
    Population growth of human Y chromosomes: a study of Y chromosome
    microsatellites. Molecular Biology and Evolution 16(12), 1791-1798.
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
    score_ensemble,
    summary_statistics,
    with_parameters,
)
from calibration.pattern_scores import pattern_table, score_frame
from calibration.patterns import Pattern, fitted
from calibration.sampler import SeededSampler
from simulation.calendar import Month
from simulation.experiments.seeds import run_seeds
from simulation.model.parameters import free_parameters
from simulation.scenario import Scenario


class CalibrationError(RuntimeError):
    """A fit that cannot go on; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """How hard to fit: population, generations, tolerance, runs per particle, processes, seed."""

    population: int = 200
    generations: int = 1
    runs_per_particle: int = 8
    workers: int = 2
    seed: int = 1
    quantile: float = 0.05
    """Each tolerance is this quantile of the distances of the last population (for the
    first, of a prior sample as large as the population). The share of proposals kept then
    differs: 200 of 5,645 and of 7,279 in the committed full and hold-out fits."""
    minimum_epsilon: float = 0.01
    """Stop once the tolerance is this close to history (0 would collapse the population
    on particles that all hit every pattern, leaving pyabc's kernel degenerate)."""
    minimum_acceptance: float = 0.01
    """Stop once fewer than this share of the proposed particles are accepted: a fifth of
    the default ``quantile``, since a first population drawn from the prior can keep fewer
    than the quantile (200 of 7,279 proposals at 0.05 in the committed hold-out fit, seed
    1; 9,230 at the fifteenth session), and a floor at the quantile itself ended that fit
    after it."""
    minimum_tightening: float = 0.02
    """Stop once a generation tightens the tolerance by less than this (in units of the
    distance, a share of patterns missed): a tolerance stuck near its floor makes the next
    generation cost tens of times the last."""


QUICK = Settings(population=24, quantile=0.25)
"""A fit that finishes in a few minutes on two cores."""


class Calibration:
    """ABC fit of a scenario's parameters to the ``fit`` patterns (see the module docstring).

    Args:
        scenario: the scenario whose parameters are fitted (its values are the
            fixed ones outside ``priors``).
        patterns: all patterns; only the ``fit`` ones (with ``fit_until``, only
            those dated up to that month) are ever simulated against.
        settings: the fit's size and seed.
        priors: uniform (low, high) per fitted parameter.
        fit_until: fit only patterns dated up to this month.
    """

    def __init__(
        self,
        scenario: Scenario,
        patterns: list[Pattern],
        settings: Settings = Settings(),
        priors: dict[str, tuple[float, float]] | None = None,
        fit_until: Month | None = None,
    ):
        self.scenario = scenario
        self.patterns = patterns
        self.settings = settings
        self.priors = priors or free_parameters()
        self.fit_until = fit_until

    def fit(self, database: Path, progress: bool = False) -> Calibration:
        """Run ABC, keeping every population in the pyabc database at ``database``.

        With ``progress``, a bar on stderr counts each population's particles kept.
        """
        import pyabc

        logging.getLogger("ABC").setLevel(logging.WARNING)
        fitted_patterns = fitted(self.patterns, self.fit_until)
        if not fitted_patterns:
            raise CalibrationError("no fit pattern is dated up to the --fit-until month")
        seeds = run_seeds(self.settings.seed, self.settings.runs_per_particle)
        scenario = self.scenario

        def simulate(values: dict) -> dict[str, float]:
            candidate = with_parameters(scenario, self._from_unit(values))
            scores = score_ensemble(candidate, fitted_patterns, seeds)
            return summary_statistics(scores, fitted_patterns)

        observed = {f"hit:{pattern.id}": 1.0 for pattern in fitted_patterns} | {"timing": 0.0}
        # pyabc works on each prior scaled to 0..1: its kernel then sees parameters of one
        # scale (a temperature of 0.002 beside a grievance of 40 made its weights underflow).
        prior = pyabc.Distribution(**{name: pyabc.RV("uniform", 0.0, 1.0) for name in self.priors})
        sampler = SeededSampler(self.settings.workers, progress)
        # pyabc draws its particles from numpy's global generator.
        np.random.seed(self.settings.seed)  # noqa: NPY002
        abc = pyabc.ABCSMC(
            simulate,
            prior,
            distance,
            population_size=self.settings.population,
            eps=pyabc.QuantileEpsilon(alpha=self.settings.quantile),
            sampler=sampler,
        )
        abc.new(f"sqlite:///{database.resolve()}", observed)
        self.stopped_early_ = None
        try:
            history = abc.run(
                max_nr_populations=self.settings.generations,
                minimum_epsilon=self.settings.minimum_epsilon,
                # Past this, a generation costs tens of times the last for a tolerance that
                # hardly moves: the populations done are the fit.
                min_acceptance_rate=self.settings.minimum_acceptance,
                min_eps_diff=self.settings.minimum_tightening,
            )
        except (AssertionError, ValueError, np.linalg.LinAlgError) as error:
            # Once nearly every particle hits the fitted patterns, pyabc's kernel can
            # degenerate; the populations completed so far are in the database.
            history = pyabc.History(f"sqlite:///{database.resolve()}")
            if history.max_t < 0:
                raise CalibrationError(
                    f"ABC failed in its first population ({error}); try a larger "
                    "--population or --runs-per-particle"
                ) from None
            self.stopped_early_ = f"stopped after population {history.max_t}: {error}"
        self.populations_ = history.get_all_populations()
        if self.stopped_early_ is None:
            self.stopped_early_ = self._why_stopped(self.populations_)
        population = history.get_population(t=history.max_t)
        rows = [
            {
                **self._from_unit(particle.parameter),
                "weight": particle.weight,
                "distance": particle.distance,
            }
            for particle in population.particles
        ]
        self.posterior_ = pd.DataFrame(rows)
        best = self.posterior_["distance"].idxmin()
        self.best_ = {name: float(self.posterior_.loc[best, name]) for name in self.priors}
        self.fitted_patterns_ = [pattern.id for pattern in fitted_patterns]
        return self

    def _why_stopped(self, populations: pd.DataFrame) -> str | None:
        """Which stopping rule ended the fit before its last generation, or None.

        pyabc ends a run on its floors without a word; a fit asked for three
        generations that made one must say so, and why.
        """
        done = populations[populations["t"] >= 0]
        if len(done) >= self.settings.generations:
            return None
        last = done.iloc[-1]
        accepted = last["particles"] / last["samples"]
        if last["epsilon"] <= self.settings.minimum_epsilon:
            reason = f"its tolerance {last['epsilon']:.3g} reached the floor"
        elif accepted < self.settings.minimum_acceptance:
            reason = (
                f"it kept {accepted:.1%} of the proposed particles, under the "
                f"{self.settings.minimum_acceptance:.0%} floor"
            )
        else:
            reason = "the tolerance tightened too little to go on"
        return f"stopped after {len(done)} of {self.settings.generations} generations: {reason}"

    def _from_unit(self, values: dict) -> dict[str, float]:
        """Parameter values from pyabc's 0..1 coordinates, one per prior."""
        return {
            name: low + float(values[name]) * (high - low)
            for name, (low, high) in self.priors.items()
        }

    def validate(self, runs: int) -> pd.DataFrame:
        """Score the chosen point on fresh seeds against every pattern, marked fitted or not."""
        seeds = run_seeds(self.settings.seed + 1, runs)
        scores = score_ensemble(with_parameters(self.scenario, self.best_), self.patterns, seeds)
        table = pattern_table(self.patterns, score_frame(self.patterns, scores))
        table["sample"] = ["in" if p in self.fitted_patterns_ else "out" for p in table["pattern"]]
        return table
