"""What a sensitivity study writes: indices.csv, samples.parquet, a figure, summary.md, manifest.

The summary ranks the parameters per outcome in plain words, for a reader who will
not open the table: which assumption moves the outcome most, which barely at all,
and whether the ranking is sure (intervals apart) or not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.experiments.seeds import on_common_seeds
from simulation.experiments.sensitivity.indices import missing_points, not_analysed, notes_for
from simulation.experiments.sensitivity.metrics import describe_outcome, outcome_title
from simulation.experiments.sensitivity.plots import morris_figure, sobol_figure, write_figure
from simulation.model.code_version import model_digest
from simulation.model.parameters import describe
from simulation.output.files import csv_text, provenance, write_atomically, write_text
from simulation.scenario import scenario_hash

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
    partial: dict[str, int] | None = None,
) -> list[Path]:
    """Write the study's files into ``out_dir``; return their paths.

    ``notes`` says why an outcome was not analysed
    (:func:`simulation.experiments.sensitivity.indices.notes_for`); the figure's panel
    and summary.md say it alike. Left out, it is worked out from ``samples``.
    ``partial`` counts, per outcome, the points averaged over only some of their runs
    (:func:`.metrics.partial_points`); summary.md says so.
    """
    if notes is None:
        notes = notes_for({name: samples[name].to_numpy(dtype=float) for name in outcomes})
    # The figure first: it takes a second to draw, the other files milliseconds, so that
    # a study cut short while writing leaves the earlier one's files together.
    draw = morris_figure if study.method == "morris" else sobol_figure
    titles = {name: outcome_title(name, study.scenario) for name in outcomes}
    figure = draw(indices, outcomes, notes, titles)
    figure.suptitle(
        f"{study.scenario.name}: "
        + (
            f"Morris elementary effects ({study.size} trajectories"
            if study.method == "morris"
            else f"Sobol indices ({study.size} base points"
        )
        + f", {study.runs_per_point} runs a point, {study.mode.value} mode)"
    )
    files = [write_figure(figure, out_dir / f"{study.method}.png")]
    files += [out_dir / "indices.csv", out_dir / "samples.parquet"]
    write_text(files[1], csv_text(indices, 6))
    write_atomically(files[2], lambda temporary: samples.to_parquet(temporary, index=False))
    files.append(out_dir / "summary.md")
    write_text(files[-1], summary_text(study, bounds, indices, samples, outcomes, partial or {}))
    files.append(out_dir / "manifest.json")
    record = study_manifest(study, bounds, outcomes, len(samples), [path.name for path in files])
    write_text(files[-1], json.dumps(record, indent=2) + "\n")
    return files


def study_manifest(
    study: Study,
    bounds: dict[str, tuple[float, float]],
    outcomes: list[str],
    points: int,
    files: list[str],
) -> dict:
    """What reproduces a study, and how its runs map to its sample's points.

    The ensemble's own manifest (``runs/manifest.json``) names its parameters only as a
    digest of the sample; this one says what was varied, over which bounds, and which
    point each run ran.
    """
    return {
        "command": "sensitivity",
        "scenario": study.scenario.name,
        "scenario_file": study.scenario_file,
        "scenario_sha256": scenario_hash(study.scenario),
        "overrides": list(study.overrides),
        "method": study.method,
        "trajectories" if study.method == "morris" else "samples": study.size,
        "points": points,
        "runs_per_point": study.runs_per_point,
        "runs": points * study.runs_per_point,
        "seed": study.seed,
        "mode": study.mode.value,
        "free_from": None if study.scenario.free_from is None else str(study.scenario.free_from),
        "model_sha256": model_digest(),
        "parameters_varied": {name: list(bound) for name, bound in bounds.items()},
        "outcomes": outcomes,
        "run_points": "run r is run r % runs_per_point of sample point r // runs_per_point "
        "(samples.parquet's point), seeded as run r % runs_per_point of an ensemble of the "
        "root seed; its parameters are in runs/parameters.parquet",
        "files": [*files, "runs/"],
        **provenance(("SALib",)),
    }


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
    partial: dict[str, int],
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
        f"{method}: {points} sample points, each run {on_common_seeds(study.runs_per_point)} "
        f"(common random numbers), {runs} "
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
        if count := partial.get(outcome, 0):
            lines += [
                f"{count} of the {len(samples)} points average fewer than their "
                f"{study.runs_per_point} runs (a run without a value, as at a congress that "
                "voted no motion, is left out): their effects compare other seeds than the "
                "rest's.",
                "",
            ]
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
    negligible = ranked[ranked["ci_high"] <= NEGLIGIBLE[method]]["parameter"].tolist()
    if negligible:
        named = ", ".join(f"`{name}`" for name in negligible)
        lines.append(
            f"No one-at-a-time step of these moved it (every elementary effect zero): {named}. "
            "An outcome that moves in coarse steps (a share of a point's runs) can hide small "
            "effects; more trajectories or runs a point would show them."
            if method == "morris"
            else f"These barely matter for it (total index at most 0.01 at the upper end of "
            f"its interval): {named}."
        )
    return lines


def _interactions(table: pd.DataFrame, method: str) -> list[str]:
    """Whether the parameters act alone or through one another (and non-linearly)."""
    values = table.pivot(index="parameter", columns="index", values="estimate")
    if method == "sobol":
        first_order = float(values["S1"].sum())
        s1 = table[table["index"] == "S1"]
        if not 0.0 <= first_order <= 1.0 or (s1["ci_high"] < 0).any():
            return [
                "",
                f"The first-order indices sum to {first_order:.2f}, and shares of a variance "
                "sum to between 0 and 1"
                + (
                    ", with some below zero beyond their intervals"
                    if (s1["ci_high"] < 0).any()
                    else ""
                )
                + ": the sample is too small to share the variance out (more base points, "
                "--samples, or runs a point).",
            ]
        return [
            "",
            f"The first-order indices sum to {first_order:.2f}: about "
            f"{1.0 - first_order:.0%} of the outcome's variance comes from parameters acting "
            "together, not one at a time (point estimates; see each index's interval).",
        ]
    spread = values[(values["sigma"] > values["mu_star"]) & (values["mu_star"] > 0)]
    if spread.empty:
        return []
    # |mu| = mu*: every effect of one sign. sigma > mu* then says the effects were seen in
    # few steps (an outcome that moves in coarse steps), not that they change sign.
    both = spread[spread["mu"].abs() < spread["mu_star"] * (1 - 1e-9)]
    one = spread.drop(both.index)
    lines = [""]
    if not both.empty:
        lines.append(
            f"σ exceeds μ* for {', '.join(f'`{n}`' for n in both.index)}, whose effects "
            "change sign (|μ| below μ*): their effect depends on the other parameters' "
            "values (interactions) or is not monotone."
        )
    if not one.empty:
        lines.append(
            f"σ exceeds μ* for {', '.join(f'`{n}`' for n in one.index)} too, but their "
            "effects all have one sign (|μ| = μ*): the spread may say no more than that the "
            "outcome moved in few of the steps, as an outcome in coarse steps does."
        )
    return lines
