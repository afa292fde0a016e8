"""What a sensitivity study writes: indices.csv, samples.parquet, a figure and summary.md.

The summary ranks the parameters per outcome in plain words, for a reader who will
not open the table: which assumption moves the outcome most, which barely at all,
and whether the ranking is sure (intervals apart) or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

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
) -> list[Path]:
    """Write the study's files into ``out_dir``; return their paths."""
    files = [out_dir / "indices.csv", out_dir / "samples.parquet"]
    write_text(files[0], indices.to_csv(index=False, float_format="%.6g"))
    write_atomically(files[1], lambda temporary: samples.to_parquet(temporary, index=False))
    figure = (morris_figure if study.method == "morris" else sobol_figure)(indices, outcomes)
    files.append(write_figure(figure, out_dir / f"{study.method}.png"))
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
    index = RANKING_INDEX[study.method]
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
        undefined = int(samples[outcome].isna().sum())
        if undefined:
            lines.append(
                f"Not analysed: no run of {undefined} of the {points} points gave it a value "
                "(at a congress, no motion was voted), and the analysers need every point."
            )
            continue
        if ranked["estimate"].isna().all():
            lines.append("This outcome did not vary over the sample: no parameter moves it.")
            continue
        lines += _ranked_words(ranked, study.method, index)
    return "\n".join(lines) + "\n"


def _ranked_words(ranked: pd.DataFrame, method: str, index: str) -> list[str]:
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
            else "; its interval overlaps the next, so the order of the first places is not sure."
        ),
    ]
    negligible = ranked[ranked["ci_high"] <= NEGLIGIBLE[method]]["parameter"].tolist()
    if method == "sobol":
        negligible = ranked[ranked["estimate"] <= NEGLIGIBLE[method]]["parameter"].tolist()
    if negligible:
        lines.append(
            "These barely matter for it (index "
            + ("zero" if method == "morris" else "at most 0.01")
            + "): "
            + ", ".join(f"`{name}`" for name in negligible)
            + "."
        )
    return lines
