"""A sensitivity study: sample the parameters, run every point K times, analyse, write.

The runs go through the ensemble runner (:func:`run_ensemble`) into ``DIR/runs/``:
the same executors (local processes or Dask), the same streaming of finished chunks
to disk and the same ``--resume``. The sample is drawn from the study's seed, so a
resumed study rebuilds the same points and the runner keeps the chunks already done;
the indices of a resumed study equal those of an uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from simulation.experiments.ensemble import Ensemble, read_table, run_ensemble
from simulation.experiments.ensemble.executors import ChunkExecutor
from simulation.experiments.outcomes import summary_schema
from simulation.experiments.seeds import SeedError, check_seed
from simulation.experiments.sensitivity.design import (
    SamplePoints,
    SensitivityError,
    bounds_for,
    count_problem,
    problem,
    runs_problem,
    sample,
    size_problem,
)
from simulation.experiments.sensitivity.indices import analyse, notes_for
from simulation.experiments.sensitivity.metrics import (
    DEFAULT_OUTCOMES,
    available,
    partial_points,
    point_means,
    run_values,
)
from simulation.experiments.sensitivity.report import write_report
from simulation.model import Mode
from simulation.scenario import Scenario


@dataclass(frozen=True)
class Study:
    """What a sensitivity study varies, how often it runs, and what it analyses.

    Attributes:
        scenario: the validated scenario (overrides applied).
        method: ``morris`` or ``sobol``.
        size: Morris trajectories, or Sobol base points (a power of two).
        runs_per_point: K, the runs of each point, paired by seed across points.
        parameters: the parameters varied (empty: every fitted parameter).
        outcomes: the outcomes analysed (empty: :data:`DEFAULT_OUTCOMES` the scenario has).
        seed: seeds the sampler and, through the ensemble, the K run seeds.
        mode: how the scenario's decisions are treated.
        scenario_file: where the scenario came from, for the manifest.
        overrides: the change flags applied to it.
    """

    scenario: Scenario
    method: str
    size: int
    runs_per_point: int = 4
    parameters: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    seed: int = 1
    mode: Mode = Mode.FREE
    scenario_file: str = ""
    overrides: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class StudyReport:
    """What a study did: its runs, the indices, the files it wrote.

    ``notes`` holds, for each outcome not analysed, why (the words of its figure panel).
    """

    runs: int
    simulated: int
    seconds: float
    indices: pd.DataFrame
    files: list[Path]
    notes: dict[str, str] = field(default_factory=dict)


def study_problems(study: Study) -> list[str]:
    """Every reason the study cannot run as asked, one message each; empty if it can.

    Asked before any run (by :func:`run_study`, and by the command to report them all
    at once), so that a bad flag costs no minutes of runs that SALib then refuses.
    """
    problems = []
    if study.runs_per_point < 1:
        problems.append(f"--runs-per-point must be at least 1, got {study.runs_per_point}")
    try:
        check_seed(study.seed)
    except SeedError as error:
        problems.append(str(error))
    if (size := size_problem(study.method, study.size)) is not None:
        problems.append(size)
    try:
        bounds = bounds_for(study.parameters)
    except SensitivityError as error:
        problems.extend(error.problems)
    else:
        if (count := count_problem(list(bounds), study.method)) is not None:
            problems.append(count)
        elif size is None and study.runs_per_point >= 1:
            too_many = runs_problem(study.method, study.size, len(bounds), study.runs_per_point)
            if too_many is not None:
                problems.append(too_many)
    try:
        _outcome_names(study)
    except SensitivityError as error:
        problems.extend(error.problems)
    return problems


def run_study(
    study: Study,
    out_dir: Path,
    executor: ChunkExecutor | None = None,
    *,
    resume: bool = False,
    progress: bool = False,
) -> StudyReport:
    """Run a sensitivity study into ``out_dir`` and write its indices, sample, plots and summary.

    Raises:
        SensitivityError: bad method, size, parameters (unknown, or fewer than two),
            runs per point, seed or outcome, every one found, before any run (exit status 2).
        EnsembleError: from the runner (``out_dir`` holds something else, workers died).
    """
    if problems := study_problems(study):
        raise SensitivityError(*problems)
    bounds = bounds_for(study.parameters)
    spec = problem(bounds)
    points = sample(spec, study.method, study.size, study.seed)
    source = SamplePoints(list(bounds), points, study.runs_per_point)
    ensemble = Ensemble(
        scenario=study.scenario,
        runs=source.runs,
        seed=study.seed,
        mode=study.mode,
        scenario_file=study.scenario_file,
        overrides=study.overrides,
        parameters=source,
        paired=study.runs_per_point,
        quantiles=False,
    )
    outcomes = _outcome_names(study)
    runs_dir = out_dir / "runs"
    done = run_ensemble(ensemble, runs_dir, executor, resume=resume, progress=progress)
    summary = read_table(runs_dir, "summary")
    months = study.scenario.end.months_since(study.scenario.start) + 1
    by_run = {name: run_values(summary, name, months) for name in outcomes}
    values = {name: point_means(runs, study.runs_per_point) for name, runs in by_run.items()}
    partial = {name: partial_points(runs, study.runs_per_point) for name, runs in by_run.items()}
    indices = analyse(spec, study.method, values, study.seed)
    notes = notes_for(values)
    samples = pd.DataFrame(points, columns=list(bounds))
    samples.insert(0, "point", np.arange(len(points)))
    for name, y in values.items():
        samples[name] = y
    files = write_report(out_dir, study, bounds, samples, indices, outcomes, notes, partial)
    return StudyReport(done.runs, done.simulated, done.seconds, indices, files, notes)


def _outcome_names(study: Study) -> list[str]:
    """The outcomes to analyse: those named, or the defaults the scenario has.

    Raises:
        SensitivityError: a named outcome the scenario's summary cannot give (before any run).
    """
    schema = summary_schema(study.scenario)
    numeric = [item.name for item in schema if pa.types.is_floating(item.type)]
    if study.outcomes:
        missing = [name for name in study.outcomes if not available(numeric, [name])]
        if missing:
            raise SensitivityError(
                *(
                    f"--outcomes: unknown outcome {name!r} (expected dominant_LEADER, "
                    f"opposition_share_YYYY-MM for a congress month, or a numeric summary "
                    f"column such as {', '.join(numeric[:3])})"
                    for name in missing
                )
            )
        return list(study.outcomes)
    names = available(numeric, DEFAULT_OUTCOMES)
    if not names:
        raise SensitivityError("no default outcome exists in this scenario: name --outcomes")
    return names
