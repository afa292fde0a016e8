"""What a discovery writes: boxes (md, csv), tradeoff.png, feature scores, experiments, manifest."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.axes
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from simulation.experiments.discovery.boxes import MIN_COVERAGE, Box
from simulation.experiments.discovery.design import draws_text
from simulation.experiments.discovery.levers import Lever
from simulation.experiments.parameter_draws import parameters_fields
from simulation.experiments.seeds import on_common_seeds
from simulation.model.code_version import model_digest
from simulation.output.files import csv_text, provenance, write_atomically, write_text
from simulation.output.style import save_figure, slide_style

if TYPE_CHECKING:
    from simulation.experiments.discovery.study import Discovery


def box_sentence(box: Box, outcome: str, number: int = 1) -> str:
    """``RULE → OUTCOME in D% [L%, H%] of runs, covering C% of such outcomes``, and chance.

    PRIM finds a box in outcomes shuffled at random too (the statistical audit of the
    fiftieth session found one in each of 100 shuffles): the sentence says how often a box
    as dense came of shuffles (:func:`.boxes.against_chance`), or, untested, whether the
    density's interval reaches the rate in all runs.
    """
    low, high = box.density_interval()
    earlier = "box 1" if number == 2 else f"boxes 1-{number - 1}"
    among = "" if number == 1 else f"among the runs outside {earlier}: "
    sentence = (
        f"{among}{box.rule} → {outcome} in {box.density:.0%} of runs [{low:.0%}, {high:.0%}], "
        f"covering {box.coverage:.0%} of such outcomes ({box.mass:.0%} of all runs)"
    )
    if box.over_all is not None:
        density, coverage, mass = box.over_all
        sentence += (
            f" (over all runs the rule holds {mass:.0%} of them, {density:.0%} with "
            f"{outcome}, covering {coverage:.0%} of such outcomes)"
        )
    if box.chance is not None:
        verdict = "not told apart from chance" if box.chance > CHANCE else "not chance"
        return sentence + (
            f"; as dense by chance: p = {box.chance:.2f} ({box.shuffles} shuffles of the "
            f"outcomes): {verdict}"
        )
    if low <= box.rate:
        sentence += (
            f"; its interval reaches the {box.rate:.0%} of all runs: not told apart from chance"
        )
    return sentence


CHANCE = 0.05
"""A box whose permutation p-value is above this is not told apart from chance."""


def write_report(
    out_dir: Path,
    discovery: Discovery,
    levers: list[Lever],
    runs: pd.DataFrame,
    boxes: list[Box],
    scores: pd.DataFrame | None,
    warnings: list[str],
) -> list[Path]:
    """Write the discovery's files into ``out_dir``; return their paths."""
    files = [out_dir / "experiments.parquet", out_dir / "boxes.csv", out_dir / "boxes.md"]
    write_atomically(files[0], lambda temporary: runs.to_parquet(temporary, index=False))
    table = pd.DataFrame(
        [
            (
                i + 1,
                box.rule,
                box.density,
                *box.density_interval(),
                box.coverage,
                box.mass,
                box.chance,
                *(box.over_all or (box.density, box.coverage, box.mass)),
            )
            for i, box in enumerate(boxes)
        ],
        columns=[
            "box",
            "rule",
            "density",
            "density_low",
            "density_high",
            "coverage",
            "mass",
            "p_chance",
            "density_all_runs",
            "coverage_all_runs",
            "mass_all_runs",
        ],
    )
    write_text(files[1], csv_text(table, 4))
    write_text(files[2], _boxes_text(discovery, levers, runs, boxes, scores, warnings))
    if boxes:
        files.append(out_dir / "tradeoff.png")
        save_figure(tradeoff_figure(boxes[0], discovery.outcome), files[-1])
    if scores is not None:
        files.append(out_dir / "feature_scores.csv")
        write_text(files[-1], csv_text(scores, 4))
    files.append(out_dir / "discovery.json")
    manifest = discovery_manifest(discovery, levers, runs, [path.name for path in files])
    write_text(files[-1], json.dumps(manifest, indent=2) + "\n")
    return files


def discovery_manifest(
    discovery: Discovery, levers: list[Lever], runs: pd.DataFrame, files: list[str]
) -> dict:
    """What reproduces a discovery: its levers, design, seeds, and where its parameters came from.

    The ensemble's own manifest (``runs/manifest.json``) names the runs' parameter
    source only as the levers' design; this one says which sample the draws came from
    (its path and SHA-256) and which draw each run took.
    """
    return {
        "scenario": discovery.scenario.name,
        "scenario_file": discovery.scenario_file,
        "overrides": list(discovery.overrides),
        "levers_file": discovery.levers_file,
        "levers": [
            {key: getattr(lever, key) for key in ("name", "kind", "target", "low", "high", "label")}
            for lever in levers
        ],
        "design": discovery.design,
        "combinations": int(runs["combination"].nunique()),
        "replicates": discovery.replicates,
        "runs": len(runs),
        "seed": discovery.seed,
        "mode": discovery.mode.value,
        "model_sha256": model_digest(),
        "outcome": discovery.outcome,
        "shuffles": discovery.shuffles,
        "run_seeds": "run r: the seed of run r % K of the root seed "
        "(numpy.random.SeedSequence(seed).spawn(K)[r % K]), the same K in every combination",
        **parameters_fields(discovery.parameters, discovery.parameters_note),
        "parameter_draws": draws_text(discovery.parameters, discovery.seed),
        "boxes": discovery.boxes,
        "files": [*files, "runs/"],
        **provenance(("ema_workbench",)),
    }


def tradeoff_figure(box: Box, outcome: str) -> Figure:
    """The first box's peeling trade-off: density against coverage, step by step.

    Peeling starts from all of lever space (coverage 100%, density the share of all runs)
    and buys density with coverage; the box reported, circled, is the densest step still
    covering :data:`MIN_COVERAGE` of the outcomes of interest (the dashed line).
    """
    steps = box.trajectory
    restricted = steps["res_dim"].astype(int)
    most = int(restricted.max())
    chosen = steps.loc[box.step]
    with slide_style():
        figure = Figure(figsize=(9, 7.5))
        axis = figure.subplots()
        colours = matplotlib.colormaps["viridis"].resampled(most + 1)
        points = axis.scatter(
            steps["coverage"],
            steps["density"],
            c=restricted,
            cmap=colours,
            vmin=-0.5,
            vmax=most + 0.5,
            clip_on=False,
            zorder=3,
        )
        _mark_chosen(axis, chosen["coverage"], chosen["density"])
        axis.axvline(
            MIN_COVERAGE,
            color="0.5",
            linestyle="--",
            linewidth=1.5,
            zorder=1,
            label=f"least coverage of a box reported ({MIN_COVERAGE:.0%})",
        )
        axis.legend(loc="best", frameon=False)
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        for scale in (axis.xaxis, axis.yaxis):
            scale.set_major_formatter(PercentFormatter(1.0))
        axis.set_xlabel("coverage: share of the outcome's runs inside the box")
        axis.set_ylabel("density: share of the box's runs with the outcome")
        axis.grid(color="0.9")
        bar = figure.colorbar(points, ax=axis, ticks=range(most + 1))
        bar.set_label("levers restricted")
        title = textwrap.shorten(outcome, 60, placeholder="…")
        axis.set_title(f"PRIM's peeling of box 1 for `{title}`", pad=24)
        figure.tight_layout()
    return figure


def _mark_chosen(axis: matplotlib.axes.Axes, coverage: float, density: float) -> None:
    """Circle the box reported and say its density and coverage, the text toward the middle."""
    axis.scatter(
        [coverage],
        [density],
        s=400,
        facecolors="none",
        edgecolors="black",
        linewidths=2.4,
        clip_on=False,
        zorder=4,
    )
    left, low = coverage > 0.5, density > 0.5
    axis.annotate(
        f"box 1: density {density:.0%},\ncoverage {coverage:.0%}",
        (coverage, density),
        xytext=(-30 if left else 30, -60 if low else 60),
        textcoords="offset points",
        ha="right" if left else "left",
        va="top" if low else "bottom",
        multialignment="left",
        arrowprops={"arrowstyle": "->", "color": "black"},
    )


def _boxes_text(
    discovery: Discovery,
    levers: list[Lever],
    runs: pd.DataFrame,
    boxes: list[Box],
    scores: pd.DataFrame | None,
    warnings: list[str],
) -> str:
    outcome = f"`{discovery.outcome}`"
    combinations = runs["combination"].nunique()
    lines = [
        f"# Scenario discovery on {discovery.scenario.name}",
        "",
        f"{combinations} lever combinations ({discovery.design}), each run "
        f"{on_common_seeds(discovery.replicates)}, {len(runs)} runs in {discovery.mode.value} "
        "mode. "
        f"Outcome of interest: {outcome}, in {runs['outcome'].mean():.0%} of all runs.",
        "",
        f"Parameters: {draws_text(discovery.parameters, discovery.seed)}.",
        "",
        "Levers: "
        + "; ".join(f"{lever.label} ({lever.kind} {lever.target})" for lever in levers)
        + ".",
        "",
    ]
    lines += [f"Warning: {warning}" for warning in warnings] + [""] * bool(warnings)
    lines += [
        "## Boxes",
        "",
        f"Each box is the densest on its PRIM peeling trajectory that still covers at least "
        f"{MIN_COVERAGE:.0%} of the remaining outcomes of interest; later boxes explain the cases "
        "the earlier ones left out. The bracket is Wilson's 95% interval of the density over the "
        "box's runs; the box is chosen on the same runs, so it is optimistic. p is the share of "
        "shuffles of the outcomes across the lever combinations (replicates kept together) in "
        f"which PRIM found a box as dense: above {CHANCE} the box is not told apart from "
        "chance.",
        "",
    ]
    if not boxes:
        lines.append(_no_box(runs["outcome"].mean()))
    lines += [f"{i}. {box_sentence(box, outcome, i)}" for i, box in enumerate(boxes, start=1)]
    if scores is not None:
        lines += ["", "## Feature scores (extra trees)", ""]
        lines += [f"- {row.lever}: {row.outcome:.3f}" for row in scores.itertuples()]
    return "\n".join(lines) + "\n"


def _no_box(share: float) -> str:
    """Why no box is reported: nothing to explain, or no region where the outcome is likelier."""
    if share in (0.0, 1.0):
        return f"No box: the outcome of interest occurred in {'every' if share else 'no'} run."
    return (
        "No box: PRIM found no region of lever space where the outcome of interest is "
        "more frequent than elsewhere."
    )
