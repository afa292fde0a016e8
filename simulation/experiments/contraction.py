"""What a fit learnt: how far each parameter's posterior narrowed its prior.

The posterior contraction of a parameter is ``1 - var(posterior) / var(prior)``
(Schad, Betancourt & Vasishth 2021): near 0 the fitted patterns say nothing
about it, near 1 they pin it down. A pattern that hangs on parameters no fitted
pattern constrains is then predicted by the prior alone, which is what a
hold-out fit on the early years does for the mechanisms that act only later
(the removals after a verdict, say).

A posterior of a few hundred draws from an unchanged uniform prior still shows
a contraction that is not zero: its sample variance errs by about
``sqrt(0.8 / n)`` of the prior's (the uniform's fourth moment is 9/5 of its
squared variance). A parameter counts as narrowed only beyond twice that, with
``n`` the effective sample size of the posterior's weights.

Reference:
    Schad, D. J., Betancourt, M., Vasishth, S. (2021). Toward a principled
    Bayesian workflow in cognitive science. Psychological Methods 26(1), 103-126.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNIFORM_EXCESS = 0.8
"""Variance of a uniform sample's variance, times the sample size, over the squared variance."""


def narrowing_noise(weights: np.ndarray) -> float:
    """Twice the standard error of the contraction of an unchanged uniform prior."""
    effective = weights.sum() ** 2 / np.square(weights).sum()
    return 2.0 * float(np.sqrt(UNIFORM_EXCESS / effective))


def contraction(posterior: pd.DataFrame, priors: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Per fitted parameter: its prior, the posterior's mean and spread, and the contraction.

    Args:
        posterior: one row per posterior draw, a column per parameter and, if the
            draws are weighted, a ``weight`` column.
        priors: the uniform ``(low, high)`` of each fitted parameter; a parameter
            the posterior does not hold is left out.

    Returns:
        Columns ``parameter``, ``prior low``, ``prior high``, ``posterior mean``,
        ``posterior sd``, ``contraction`` and ``narrowed`` (beyond
        :func:`narrowing_noise`).
    """
    weights = (
        posterior["weight"].to_numpy(dtype=float)
        if "weight" in posterior
        else np.ones(len(posterior))
    )
    noise = narrowing_noise(weights)
    rows = []
    for name, (low, high) in priors.items():
        if name not in posterior:
            continue
        values = posterior[name].to_numpy(dtype=float)
        mean = float(np.average(values, weights=weights))
        variance = float(np.average(np.square(values - mean), weights=weights))
        shrunk = 1.0 - variance / ((high - low) ** 2 / 12.0)
        rows.append(
            {
                "parameter": name,
                "prior low": low,
                "prior high": high,
                "posterior mean": mean,
                "posterior sd": float(np.sqrt(variance)),
                "contraction": shrunk,
                "narrowed": shrunk > noise,
            }
        )
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> str:
    """One line: how many parameters the fit narrowed, and which, most narrowed first."""
    narrowed = table[table["narrowed"]].sort_values("contraction", ascending=False)
    names = ", ".join(
        f"{row.parameter} ({row.contraction:.2f})" for row in narrowed.itertuples(index=False)
    )
    return f"the fit narrowed {len(narrowed)} of {len(table)} priors beyond sampling noise" + (
        f": {names}" if names else ""
    )
