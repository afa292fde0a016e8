"""Sensitivity indices from SALib's analysers, as one tidy table.

Morris gives per parameter μ (mean elementary effect), μ* (mean absolute effect,
with a bootstrap interval) and σ (their spread: interaction or non-linearity);
Sobol gives the first-order index S1 and the total index ST, each with a
bootstrap interval. An outcome that does not vary over the sample has no
variance to apportion, and one without a value at some point cannot be analysed
(the analysers need every point): their indices are NaN, and :func:`not_analysed`
says why, in the same words for the figure, the summary and the command's output.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from SALib import ProblemSpec

from simulation.experiments.sensitivity.design import MORRIS_LEVELS

INDEX_COLUMNS = ("method", "outcome", "parameter", "index", "estimate", "ci_low", "ci_high")
CONFIDENCE = 0.95
"""Level of the bootstrap intervals."""


def analyse(
    spec: ProblemSpec, method: str, outcomes: dict[str, np.ndarray], seed: int
) -> pd.DataFrame:
    """Every index of every outcome, in :data:`INDEX_COLUMNS`.

    Args:
        spec: the problem, holding its sample.
        method: ``morris`` or ``sobol``.
        outcomes: each outcome's value at every sample point.
        seed: seed of the bootstrap.
    """
    rows = []
    names = list(spec["names"])
    for outcome, y in outcomes.items():
        if not_analysed(y) is not None:
            for parameter in names:
                for index in ("mu_star", "sigma", "mu") if method == "morris" else ("S1", "ST"):
                    rows.append((method, outcome, parameter, index, np.nan, np.nan, np.nan))
            continue
        single = ProblemSpec({key: spec[key] for key in ("names", "bounds", "num_vars")})
        single.set_samples(spec.samples)
        single.set_results(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if method == "morris":
                single.analyze_morris(num_levels=MORRIS_LEVELS, conf_level=CONFIDENCE, seed=seed)
            else:
                single.analyze_sobol(calc_second_order=False, conf_level=CONFIDENCE, seed=seed)
        result = single.analysis
        rows += _rows(method, outcome, names, result)
    return pd.DataFrame(rows, columns=list(INDEX_COLUMNS))


def missing_points(y: np.ndarray) -> int:
    """How many sample points have no value of the outcome (none of their runs gave one)."""
    return int(np.isnan(np.asarray(y, dtype=float)).sum())


def not_analysed(y: np.ndarray) -> str | None:
    """Why an outcome gets no indices, as a short note, or None when it is analysed.

    One decision for :func:`analyse`, the figures' panels and the summary, so that an
    outcome missing at a few points is never reported as one that does not vary.
    """
    y = np.asarray(y, dtype=float)
    if missing := missing_points(y):
        return f"not analysed: {missing} of {len(y)} points gave no value"
    if np.std(y) == 0:
        return "not analysed: does not vary over the sample"
    return None


def notes_for(outcomes: dict[str, np.ndarray]) -> dict[str, str]:
    """The outcomes that get no indices, each with :func:`not_analysed`'s note."""
    notes = {name: not_analysed(y) for name, y in outcomes.items()}
    return {name: note for name, note in notes.items() if note is not None}


def _rows(method: str, outcome: str, names: list[str], result: dict) -> list[tuple]:
    rows = []
    for i, parameter in enumerate(names):
        if method == "morris":
            mu_star, half = float(result["mu_star"][i]), float(result["mu_star_conf"][i])
            low = max(0.0, mu_star - half)  # SALib's normal interval; a mean of |effects| is >= 0
            rows.append((method, outcome, parameter, "mu_star", mu_star, low, mu_star + half))
            rows.append(
                (method, outcome, parameter, "sigma", float(result["sigma"][i]), np.nan, np.nan)
            )
            rows.append((method, outcome, parameter, "mu", float(result["mu"][i]), np.nan, np.nan))
        else:
            for index in ("S1", "ST"):
                value, half = float(result[index][i]), float(result[f"{index}_conf"][i])
                rows.append((method, outcome, parameter, index, value, value - half, value + half))
    return rows
