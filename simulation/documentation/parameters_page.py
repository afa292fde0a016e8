"""docs/parameters.md: every parameter, from the registry and the committed calibration.

For each parameter of :class:`simulation.scenario.parameters.Parameters`: its
meaning, range and default, and for the fitted ones the uniform prior, the
fitted point (the file the baseline reads with ``parameters_from``), and the
weighted ABC posterior's mean and central 95% credible interval. A Sobol total
index on the headline outcome is shown only where a committed sensitivity study
holds one (:data:`SENSITIVITY`); the page says so when none does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.documentation.markdown import note, number, table
from simulation.documentation.sources import read_mapping, read_table
from simulation.model.parameters import describe, free_parameters, parameter_ranges
from simulation.scenario.parameters import Parameters

PAGE = "docs/parameters.md"
FIT = "calibration/parameters/baseline-1922.yaml"
"""The fitted point the baseline reads (its ``parameters_from``)."""
HOLD_OUT_FIT = "calibration/parameters/baseline-1922-until-1924-12.yaml"
"""The fit on the patterns dated up to 1924-12 only (the hold-out in time)."""
SENSITIVITY = "calibration/sensitivity"
"""Where committed sensitivity studies live, one directory each with its ``indices.csv``."""
HEADLINE_OUTCOME = "dominant_stalin"
"""The headline outcome: whether Stalin holds the largest power share at the end."""
CREDIBLE = 0.95


def posterior_file(fit: str) -> str:
    """The weighted posterior sample ``interregnum calibrate`` writes beside a fitted point."""
    return fit.removesuffix(".yaml") + "-posterior.csv"


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a weighted sample: the smallest value whose weight reaches ``q``."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    index = int(np.searchsorted(cumulative, q - 1e-12))
    return float(values[order][min(index, values.size - 1)])


def posterior_summary(sample: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """Per fitted parameter: weighted posterior mean and the central credible interval."""
    weights = sample["weight"].to_numpy(dtype=float)
    tail = (1.0 - CREDIBLE) / 2.0
    summary = {}
    for name in sample.columns:
        if name in ("weight", "distance"):
            continue
        values = sample[name].to_numpy(dtype=float)
        summary[name] = (
            float(np.average(values, weights=weights)),
            weighted_quantile(values, weights, tail),
            weighted_quantile(values, weights, 1.0 - tail),
        )
    return summary


def total_indices(root: Path) -> tuple[str, dict[str, tuple[float, float, float]]] | None:
    """The committed Sobol total indices on the headline outcome, with where they come from.

    Returns:
        ``(file, {parameter: (ST, low, high)})`` from the first study (in name
        order) under :data:`SENSITIVITY` that has Sobol indices on
        :data:`HEADLINE_OUTCOME`, or None if no committed study does.
    """
    for indices in sorted((root / SENSITIVITY).glob("*/indices.csv")):
        path = str(indices.relative_to(root))
        frame = read_table(root, path, ("method", "outcome", "parameter", "index", "estimate"))
        chosen = frame[
            (frame["method"] == "sobol")
            & (frame["outcome"] == HEADLINE_OUTCOME)
            & (frame["index"] == "ST")
        ]
        if len(chosen):
            return path, {
                row.parameter: (row.estimate, row.ci_low, row.ci_high)
                for row in chosen.itertuples()
            }
    return None


def _interval(low: float, high: float) -> str:
    return f"{number(low)} – {number(high)}"


def _method(run: dict) -> str:
    """How the fit was made, from its recorded settings, in words."""
    population, generations = run.get("population", "?"), run.get("generations", "?")
    kept = run.get("quantile")
    if generations == 1 and kept is not None:
        return (
            f"one rejection step from the prior keeping the first {population} proposals within "
            f"the tolerance (the {kept:.0%} quantile of the distances of a first prior sample of "
            f"{population}), all equally weighted"
        )
    return f"ABC-SMC with a population of {population} over {generations} generations"


def _definitions() -> str:
    """Every parameter: its meaning, range, default and prior."""
    rows = []
    ranges, priors = parameter_ranges(), free_parameters()
    for name, field in Parameters.model_fields.items():
        prior = priors.get(name)
        rows.append(
            [
                f"`{name}`",
                describe(name),
                _interval(*ranges[name]),
                number(field.default),
                _interval(*prior) if prior else "not fitted",
            ]
        )
    return table(["parameter", "meaning", "range", "default", "prior (uniform)"], rows)


def _fit(root: Path, point: dict, sobol: tuple[str, dict] | None) -> str:
    """The fitted parameters: point, posterior mean and interval, hold-out fit, Sobol index."""
    hold_out = read_mapping(root, HOLD_OUT_FIT).get("parameters", {})
    posterior = posterior_summary(read_table(root, posterior_file(FIT), ("weight",)))
    indices = sobol[1] if sobol else {}
    header = [
        "parameter",
        "fitted",
        "posterior mean",
        f"{CREDIBLE:.0%} credible interval",
        "fitted to 1924-12",
    ]
    if sobol is not None:
        header.append(f"Sobol ST on {HEADLINE_OUTCOME}")
    rows = []
    for name in Parameters.model_fields:
        if name not in point and name not in posterior and name not in indices:
            continue
        summary = posterior.get(name)
        row = [
            f"`{name}`",
            number(point[name]) if name in point else "",
            number(summary[0]) if summary else "",
            _interval(*summary[1:]) if summary else "",
            number(hold_out[name]) if name in hold_out else "",
        ]
        if sobol is not None:
            index = indices.get(name)
            row.append(f"{number(index[0])} ({_interval(*index[1:])})" if index else "")
        rows.append(row)
    return table(header, rows)


def render(root: Path) -> str:
    """The page's Markdown."""
    fit = read_mapping(root, FIT)
    point = fit.get("parameters", {})
    settings = fit.get("fit", {})
    sobol = total_indices(root)
    sources = ["simulation/scenario/parameters.py", FIT, posterior_file(FIT), HOLD_OUT_FIT]
    if sobol is not None:
        sources.append(sobol[0])
    fitted_count = sum(1 for name in Parameters.model_fields if name in point)
    patterns = settings.get("fitted_patterns") or []
    run = settings.get("settings") or {}
    if sobol is None:
        sensitivity = (
            f"No committed sensitivity study holds Sobol indices on the headline outcome "
            f"(`{HEADLINE_OUTCOME}`: Stalin holds the largest power share at the end), so the "
            f"table has no sensitivity column. Run `interregnum sensitivity "
            f"scenarios/baseline_1922.yaml --method sobol` and commit its `indices.csv` under "
            f"`{SENSITIVITY}/NAME/` to add one."
        )
    else:
        sensitivity = (
            f"The last column is the Sobol total index of each parameter on the headline "
            f"outcome (`{HEADLINE_OUTCOME}`: Stalin holds the largest power share at the end), "
            f"with its bootstrap {CREDIBLE:.0%} interval, from `{sobol[0]}`."
        )
    return "\n".join(
        [
            note(*sources),
            "",
            "# Parameters",
            "",
            "Every parameter of the model, as declared once in the registry "
            "(`simulation/scenario/parameters.py`): the same names are read from a scenario's "
            "`parameters:`, set with `--set parameters.NAME=VALUE`, fitted by the calibration "
            "and varied by the sensitivity analysis. Rates are per month. The range is enforced "
            "on every value; a parameter with a prior is one the calibration fits. What each "
            "does in the model is in the [ODD description](odd.md).",
            "",
            f"{fitted_count} of {len(Parameters.model_fields)} parameters are fitted; the "
            "others keep their defaults.",
            "",
            _definitions(),
            "",
            "## The fit",
            "",
            f"**Fitted** is the point the baseline uses (`{FIT}`, read with `parameters_from`): "
            f"the particle of the ABC posterior closest to the patterns, fitted to "
            f"{len(patterns)} `fit` patterns: {_method(run)}, "
            f"{run.get('runs_per_particle', '?')} free-mode runs per particle. "
            f"**Posterior mean** and the **credible interval** (central "
            f"{CREDIBLE:.0%}, by weight) summarise the weighted posterior sample beside it "
            f"(`{posterior_file(FIT)}`). **Fitted to 1924-12** is the point fitted on the "
            f"patterns dated up to 1924-12 only (`{HOLD_OUT_FIT}`); the hold-out test on the "
            f"[validation page](validation.md) draws its runs from the posterior sample beside "
            f"it.",
            "",
            sensitivity,
            "",
            _fit(root, point, sobol),
            "",
        ]
    )


def files(root: Path) -> dict[str, bytes]:
    """The files this page writes."""
    return {PAGE: render(root).encode("utf-8")}
