"""What a sensitivity study writes: indices.csv, samples.parquet, a figure and summary.md.

The summary ranks the parameters per outcome in plain words, for a reader who will
not open the table: which assumption moves the outcome most, which barely at all,
and whether the ranking is sure (intervals apart) or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.experiments.sensitivity.indices import missing_points, not_analysed, notes_for
from simulation.experiments.sensitivity.metrics import describe_outcome
from simulation.experiments.sensitivity.plots import morris_figure, sobol_figure, write_figure
from simulation.model.parameters import describe
from simulation.output.files import write_atomically, write_text

if TYPE_CHECKING:
    from simulation.experiments.sensitivity.study import Study

RANKING_INDEX = {"morris": "mu_star", "sobol": "ST"}
"""The index that ranks parameters: μ* for Morris, the total index for Sobol."""
NEGLIGIBLE = {"morris": 0.0, "sobol": 0.01}
"""An index at or below which (upper interval bound) a parameter is said not to matter."""


def write_report(
    out_dir: Path,
    study: Study,
    bounds: dict[str, tuple[float, float]],
    samples: pd.DataFrame,
    indices: pd.DataFrame,
    outcomes: list[str],
    notes: dict[str, str] | None = None,
) -> list[Path]:
    """Write the study's files into ``out_dir``; return their paths.

    ``notes`` says why an outcome was not analysed
    (:func:`simulation.experiments.sensitivity.indices.notes_for`); the figure's panel
    and summary.md say it alike. Left out, it is worked out from ``samples``.
    """
    if notes is None:
        notes = notes_for({name: samples[name].to_numpy(dtype=float) for name in outcomes})
    files = [out_dir / "indices.csv", out_dir / "samples.parquet"]
    write_text(files[0], indices.to_csv(index=False, float_format="%.6g"))
    write_atomically(files[1], lambda temporary: samples.to_parquet(temporary, index=False))
    draw = morris_figure if study.method == "morris" else sobol_figure
    files.append(write_figure(draw(indices, outcomes, notes), out_dir / f"{study.method}.png"))
    files.append(out_dir / "summary.md")
    write_text(files[-1], summary_text(study, bounds, indices, samples, outcomes))
    return files


def ranking(indices: pd.DataFrame, method: str, outcome: str) -> pd.DataFrame:
    """One outcome's parameters by the ranking index, largest first."""
    table = indices[(indices["outcome"] == outcome) & (indices["index"] == RANKING_INDEX[method])]
    return table.sort_values("estimate", ascending=False, na_position="last")


def summary_text(
    study: Study,
    bounds: dict[str, tuple[float, float]],
    indices: pd.DataFrame,
    samples: pd.DataFrame,
    outcomes: list[str],
) -> str:
    """summary.md: the design, then per outcome the parameters ranked in words."""
    points = len(samples)
    method = (
        f"Morris elementary effects ({study.size} trajectories)"
        if study.method == "morris"
        else f"Sobol indices, first order and total ({study.size} base points, Saltelli's scheme)"
    )
    runs = points * study.runs_per_point
    lines = [
        f"# Sensitivity of {study.scenario.name}",
        "",
        f"{method}: {points} sample points, each run {study.runs_per_point} times with the "
        f"same {study.runs_per_point} seeds (common random numbers), {runs} "
        f"runs in {study.mode.value} mode, seed {study.seed}. An outcome is the mean over a "
        "point's runs. Parameters varied (bounds from the parameter registry):",
        "",
    ]
    lines += [
        f"- `{name}` from {low:g} to {high:g}: {describe(name)}"
        for name, (low, high) in bounds.items()
    ]
    for outcome in outcomes:
        lines += ["", f"## {outcome}", "", f"{describe_outcome(outcome)}.", ""]
        ranked = ranking(indices, study.method, outcome)
        if (why := _not_analysed_words(samples[outcome].to_numpy(dtype=float))) is not None:
            lines.append(why)
            continue
        if ranked["estimate"].isna().all():
            lines.append("Not analysed: SALib gave no index for it.")
            continue
        lines += _ranked_words(ranked, study.method)
        lines += _interactions(indices[indices["outcome"] == outcome], study.method)
    return "\n".join(lines) + "\n"


def _not_analysed_words(y: np.ndarray) -> str | None:
    """:func:`not_analysed`'s reason in a sentence of the summary, or None if analysed."""
    if not_analysed(y) is None:
        return None
    if missing := missing_points(y):
        return (
            f"Not analysed: no run of {missing} of the {len(y)} points gave it a value "
            "(at a congress, no motion was voted), and the analysers need every point."
        )
    return "Not analysed: this outcome did not vary over the sample, so no parameter moves it."


def _ranked_words(ranked: pd.DataFrame, method: str) -> list[str]:
    label = "μ*" if method == "morris" else "total index ST"
    first, rest = ranked.iloc[0], ranked.iloc[1:]
    lines = [f"Ranked by {label} (95% interval):", ""]
    for position, (_, row) in enumerate(ranked.iterrows(), start=1):
        lines.append(
            f"{position}. `{row['parameter']}`: {row['estimate']:.3g} "
            f"({row['ci_low']:.3g} to {row['ci_high']:.3g})"
        )
    sure = rest.empty or first["ci_low"] > rest["ci_high"].max()
    lines += [
        "",
        f"`{first['parameter']}` moves this outcome most"
        + (
            ", clearly ahead of the others (the intervals do not overlap)."
            if sure
            else "; its interval overlaps another's, so the order of the first places is not sure."
        ),
    ]
    bound = ranked["ci_high"] if method == "morris" else ranked["estimate"]
    negligible = ranked[bound <= NEGLIGIBLE[method]]["parameter"].tolist()
    if negligible:
        lines.append(
            "These barely matter for it (index "
            + ("zero" if method == "morris" else "at most 0.01")
            + "): "
            + ", ".join(f"`{name}`" for name in negligible)
            + "."
        )
    return lines


def _interactions(table: pd.DataFrame, method: str) -> list[str]:
    """Whether the parameters act alone or through one another (and non-linearly)."""
    values = table.pivot(index="parameter", columns="index", values="estimate")
    if method == "sobol":
        first_order = float(values["S1"].sum())
        return [
            "",
            f"The first-order indices sum to {first_order:.2f}: about "
            f"{max(0.0, 1.0 - first_order):.0%} of the outcome's variance comes from "
            "parameters acting together, not one at a time.",
        ]
    tangled = values[(values["sigma"] > values["mu_star"]) & (values["mu_star"] > 0)]
    if tangled.empty:
        return []
    names = ", ".join(f"`{name}`" for name in tangled.index)
    return [
        "",
        f"σ exceeds μ* for {names}: their effect depends on the other parameters' values "
        "(interactions) or is not linear.",
    ]
