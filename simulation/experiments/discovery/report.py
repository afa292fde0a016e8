"""What a discovery writes: boxes (md, csv), tradeoff.png, feature scores, experiments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from simulation.experiments.discovery.boxes import MIN_COVERAGE, Box
from simulation.experiments.discovery.levers import Lever
from simulation.output.files import write_atomically, write_text

if TYPE_CHECKING:
    from simulation.experiments.discovery.study import Discovery


def box_sentence(box: Box, outcome: str) -> str:
    """``RULE → OUTCOME in D% of runs, covering C% of such outcomes``."""
    return (
        f"{box.rule} → {outcome} in {box.density:.0%} of runs, "
        f"covering {box.coverage:.0%} of such outcomes ({box.mass:.0%} of all runs)"
    )


def write_report(
    out_dir: Path,
    discovery: Discovery,
    levers: list[Lever],
    runs: pd.DataFrame,
    boxes: list[Box],
    figure: Figure | None,
    scores: pd.DataFrame | None,
) -> list[Path]:
    """Write the discovery's files into ``out_dir``; return their paths."""
    files = [out_dir / "experiments.parquet", out_dir / "boxes.csv", out_dir / "boxes.md"]
    write_atomically(files[0], lambda temporary: runs.to_parquet(temporary, index=False))
    table = pd.DataFrame(
        [(i + 1, box.rule, box.density, box.coverage, box.mass) for i, box in enumerate(boxes)],
        columns=["box", "rule", "density", "coverage", "mass"],
    )
    write_text(files[1], table.to_csv(index=False, float_format="%.4g"))
    write_text(files[2], _boxes_text(discovery, levers, runs, boxes, scores))
    if figure is not None:
        files.append(out_dir / "tradeoff.png")
        write_atomically(
            files[-1], lambda temporary: figure.savefig(temporary, format="png", dpi=120)
        )
    if scores is not None:
        files.append(out_dir / "feature_scores.csv")
        write_text(files[-1], scores.to_csv(index=False, float_format="%.4g"))
    return files


def _boxes_text(
    discovery: Discovery,
    levers: list[Lever],
    runs: pd.DataFrame,
    boxes: list[Box],
    scores: pd.DataFrame | None,
) -> str:
    outcome = f"`{discovery.outcome}`"
    combinations = runs["combination"].nunique()
    lines = [
        f"# Scenario discovery on {discovery.scenario.name}",
        "",
        f"{combinations} lever combinations ({discovery.design}), each run {discovery.replicates} "
        f"times with the same seeds, {len(runs)} runs in {discovery.mode.value} mode. "
        f"Outcome of interest: {outcome}, in {runs['outcome'].mean():.0%} of all runs.",
        "",
        "Levers: "
        + "; ".join(f"{lever.label} ({lever.kind} {lever.target})" for lever in levers)
        + ".",
        "",
        "## Boxes",
        "",
        f"Each box is the densest on its PRIM peeling trajectory that still covers at least "
        f"{MIN_COVERAGE:.0%} of the remaining outcomes of interest; later boxes explain the cases "
        "the earlier ones left out.",
        "",
    ]
    if not boxes:
        lines.append("No box: the outcome of interest occurred in no run, or in every run.")
    lines += [f"{i}. {box_sentence(box, outcome)}" for i, box in enumerate(boxes, start=1)]
    if scores is not None:
        lines += ["", "## Feature scores (extra trees)", ""]
        lines += [f"- {row.lever}: {row.outcome:.3f}" for row in scores.itertuples()]
    return "\n".join(lines) + "\n"
