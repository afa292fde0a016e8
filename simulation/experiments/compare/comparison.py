"""A comparison end to end: run (or reuse) one paired ensemble per scenario, compare, write.

Every ensemble has the same root seed, so run ``i`` has the same seed in every
scenario; each lives in ``OUT/<scenario name>/`` and one already complete there with
the same identity is reused without running anything. The comparison writes
``comparison.csv`` (every metric), ``comparison.png`` and ``report.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from simulation.experiments.compare.report import (
    key_leaders,
    main_metrics,
    markdown_table,
    report_text,
)
from simulation.experiments.compare.statistics import LEVEL, RESAMPLES, compare_summaries
from simulation.experiments.ensemble import (
    Ensemble,
    EnsembleError,
    EnsembleReport,
    is_complete,
    read_table,
    run_ensemble,
)
from simulation.experiments.ensemble.executors import ChunkExecutor
from simulation.output.comparison import plot_comparison
from simulation.output.files import write_atomically, write_text


@dataclass
class ComparisonResult:
    """What a comparison did and wrote.

    Attributes:
        table: the comparison table (every metric of every scenario).
        main_table: the report's main table, in Markdown.
        reports: by scenario name, the ensemble's report, or ``None`` if it was reused.
        files: the comparison's files (table, report, plot).
    """

    table: pd.DataFrame
    main_table: str
    reports: dict[str, EnsembleReport | None]
    files: list[Path] = field(default_factory=list)


def run_comparison(
    ensembles: Sequence[Ensemble],
    out_dir: Path,
    executor: Callable[[], ChunkExecutor],
    *,
    resume: bool = False,
    progress: bool = False,
    resamples: int = RESAMPLES,
    announce: Callable[[str, EnsembleReport | None], None] | None = None,
) -> ComparisonResult:
    """Run or reuse each ensemble under ``out_dir``, compare them to the first, write the files.

    Args:
        ensembles: the base first, then the alternatives; same runs, seed and mode.
        out_dir: the comparison's directory.
        executor: makes a fresh executor for each ensemble to simulate.
        resume: continue interrupted ensembles instead of starting them afresh.
        progress: show progress bars on stderr.
        resamples: bootstrap resamples.
        announce: called with each scenario's name and its ensemble's report (``None``
            when it was reused) as soon as it is ready.

    Raises:
        EnsembleError: an ensemble cannot run, or the summaries are not paired.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise EnsembleError(f"--out {out_dir} exists and is not a directory")
    reports: dict[str, EnsembleReport | None] = {}
    for ensemble in ensembles:
        name = ensemble.scenario.name
        directory = out_dir / name
        if is_complete(directory, ensemble):
            reports[name] = None
        else:
            reports[name] = run_ensemble(
                ensemble, directory, executor(), resume=resume, progress=progress
            )
        if announce is not None:
            announce(name, reports[name])
    return _compare(ensembles, out_dir, reports, resamples)


def _compare(
    ensembles: Sequence[Ensemble],
    out_dir: Path,
    reports: dict[str, EnsembleReport | None],
    resamples: int,
) -> ComparisonResult:
    """Compare the ensembles' summaries; write the table, the plot and the report."""
    names = [ensemble.scenario.name for ensemble in ensembles]
    base = names[0]
    summaries = {name: read_table(out_dir / name, "summary") for name in names}
    quantiles = {name: read_table(out_dir / name, "quantiles") for name in names}
    seed = ensembles[0].seed
    try:
        table = compare_summaries(summaries, base, resamples, LEVEL, seed=seed)
    except ValueError as error:
        raise EnsembleError(str(error)) from None
    csv_path = out_dir / "comparison.csv"
    write_atomically(csv_path, lambda temporary: table.to_csv(temporary, index=False))
    base_scenario = ensembles[0].scenario
    plot_path = out_dir / "comparison.png"
    plot_comparison(
        table,
        quantiles,
        base,
        base_scenario,
        key_leaders(table),
        plot_path,
        runs=ensembles[0].runs,
        level=LEVEL,
    )
    metrics, constant = main_metrics(table)
    main_table = markdown_table(table, metrics, base, base_scenario)
    reused = {name: report is None for name, report in reports.items()}
    report_path = out_dir / "report.md"
    write_text(report_path, report_text(ensembles, reused, main_table, constant, resamples))
    return ComparisonResult(table, main_table, reports, [csv_path, report_path, plot_path])
