"""A comparison end to end: run (or reuse) one paired ensemble per scenario, compare, write.

Every ensemble has the same root seed, so run ``i`` has the same seed in every
scenario; each lives in ``OUT/<scenario name>/`` and one already complete there with
the same identity is reused without running anything. The comparison writes
``comparison.csv`` (every metric), ``comparison.png``, ``report.md`` and
``comparison.json`` (what was compared, to reproduce it). A folder holding the report
of another comparison is not overwritten unless asked (``force``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from simulation.experiments.compare.names import FIGURE, RECORD, REPORT, TABLE
from simulation.experiments.compare.report import (
    HEADLINE_BEYOND,
    headline_table,
    key_leaders,
    main_metrics,
    markdown_table,
    report_text,
)
from simulation.experiments.compare.statistics import (
    LEVEL,
    RESAMPLES,
    compare_summaries,
    identical_runs,
)
from simulation.experiments.ensemble import (
    Ensemble,
    EnsembleError,
    EnsembleReport,
    is_complete,
    read_table,
    run_ensemble,
)
from simulation.experiments.ensemble.executors import ChunkExecutor
from simulation.experiments.ensemble.store import VERSIONED_EXTRAS
from simulation.experiments.parameter_draws import PriorDraws
from simulation.experiments.paths import HISTORY_METRICS, history_orders, took_history_orders
from simulation.model.code_version import model_digest
from simulation.output.comparison import plot_comparison
from simulation.output.fan import fan_leaders
from simulation.output.files import (
    provenance,
    remove_leftovers,
    write_atomically,
    write_text,
)
from simulation.output.interventions import concerned_leaders
from simulation.output.records import RecordError, read_record
from simulation.output.roll import joint_roll
from simulation.output.style import figure_name, remove_other_formats

PATH_LEADERS = 6
"""At most this many leaders' median paths are drawn by default."""


def comparison_identity(ensembles: Sequence[Ensemble], resamples: int) -> dict[str, object]:
    """What makes two comparisons the same: the scenarios, runs, seed, mode, parameters, resamples.

    Every ensemble of a comparison draws from the same sample (or none), so the
    base's parameters and posterior hash stand for all of them.
    """
    first = ensembles[0]
    identity = {
        "base": first.scenario.name,
        "scenarios": {e.scenario.name: e.identity()["scenario_sha256"] for e in ensembles},
        "runs": first.runs,
        "seed": first.seed,
        "mode": first.mode.value,
        "resamples": resamples,
    }
    if first.posterior is not None:  # absent otherwise, so older reports are still known
        identity |= {"parameters": "posterior", "posterior_sha256": first.posterior.sha256}
    elif isinstance(first.parameters, PriorDraws):
        identity["parameters"] = "prior"
    return identity


def check_report_folder(out_dir: Path, identity: dict[str, object], force: bool) -> None:
    """Refuse to overwrite the report of another comparison (unless ``force``).

    Raises:
        EnsembleError: ``out_dir`` holds a report that is not this comparison's: another
            comparison's (named), or one no ``comparison.json`` describes.
    """
    if force or not (out_dir / REPORT).exists():
        return
    try:
        earlier = read_record(out_dir / RECORD, "comparison record")
    except RecordError:
        earlier = None
    if earlier is not None and earlier.get("identity") == identity:
        return
    if earlier is None or not isinstance(earlier.get("identity"), dict):
        # No record of a comparison: the report may as well be another command's.
        raise EnsembleError(
            f"{out_dir} holds a report.md that no comparison.json describes (another "
            "command's report, or a comparison's whose record is lost); will not overwrite "
            "it: choose another --out, or pass --force to replace it"
        )
    previous = earlier["identity"]
    what = f"{', '.join(previous.get('scenarios') or [])}, {previous.get('runs')} runs"
    remedy = (
        "or pass --force to replace it"
        if _ensembles_reusable(previous, identity)
        # --force replaces the report, not the ensembles beside it, which would refuse.
        else f"or remove {out_dir}: its ensembles were made with other settings"
    )
    raise EnsembleError(
        f"{out_dir} holds the report of another comparison ({what}; "
        f"{_differences(previous, identity)}); will not overwrite it: choose another --out, "
        + remedy
    )


_SETTINGS = {"runs": "--runs", "seed": "--seed", "mode": "--mode", "resamples": "--bootstrap"}
"""The settings of a comparison's identity a user gives by a flag, by that flag."""


def _ensembles_reusable(previous: dict, identity: dict[str, object]) -> bool:
    """Whether the ensembles an earlier comparison left could serve this one.

    They can when only the scenarios compared or the resamples differ: each scenario both
    compare is the same file, run alike. Then ``--force`` replaces the report and reuses
    them; otherwise an ensemble in the folder holds other runs and refuses to be replaced.
    """
    alike = ("runs", "seed", "mode", "parameters", "posterior_sha256")
    if any(previous.get(key) != identity.get(key) for key in alike):
        return False
    earlier = previous.get("scenarios")
    if not isinstance(earlier, dict):
        return False
    scenarios = identity["scenarios"]
    return all(earlier[name] == sha for name, sha in scenarios.items() if name in earlier)


def _differences(previous: dict, identity: dict[str, object]) -> str:
    """How an earlier comparison differs from this one, in the user's words."""
    differences = [
        f"{flag} {previous.get(key)} there, {identity.get(key)} here"
        for key, flag in _SETTINGS.items()
        if previous.get(key) != identity.get(key)
    ]
    if list(previous.get("scenarios") or []) != list(identity["scenarios"]):
        differences.append("other scenarios")
    elif previous.get("scenarios") != identity["scenarios"]:
        differences.append("the scenarios' files changed since")
    draws = ("parameters", "posterior_sha256")
    if any(previous.get(key) != identity.get(key) for key in draws):
        differences.append("another parameter source or posterior sample")
    return "; ".join(differences) or "made by another version of the program"


@dataclass(frozen=True)
class FigureRequest:
    """How the comparison figure is asked for: its file name and the leaders drawn."""

    name: str
    leaders: Sequence[str] | None = None


def path_leaders(
    table: pd.DataFrame, base_quantiles: pd.DataFrame, concerned: Sequence[str]
) -> list[str]:
    """The leaders whose paths are drawn, those the alternatives are about first.

    Then the likely winners, then the main contenders (:mod:`simulation.output.contenders`):
    the losers of the struggle are drawn too.
    """
    ranked = [*concerned, *key_leaders(table)[:3], *fan_leaders(base_quantiles)]
    return list(dict.fromkeys(ranked))[:PATH_LEADERS]


@dataclass
class ComparisonResult:
    """What a comparison did and wrote.

    Attributes:
        table: the comparison table (every metric of every scenario).
        main_table: the report's main table, in Markdown.
        headline: who most often wins and history's orders, a row per scenario, in
            Markdown (:func:`.report.headline_table`): what the dashboard shows first, and
            what the command and the report give instead of the main table past a few
            alternatives.
        reports: by scenario name, the ensemble's report, or ``None`` if it was reused.
        identical: the scenarios every run of which gave the same outcomes.
        files: the comparison's files (table, report, plot, record).
        unchanged: the alternatives whose every run gave the same outcomes as the
            base's run of the same seed: in the mode used, their changes do nothing.
    """

    table: pd.DataFrame
    main_table: str
    headline: str
    reports: dict[str, EnsembleReport | None]
    identical: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def same_outcomes(summary: pd.DataFrame, base: pd.DataFrame) -> bool:
    """Whether every run of an alternative has the outcomes of the base's paired run.

    The runs are paired by seed (common random numbers), so an alternative that
    changes nothing in the mode used gives the base's summary row for row; only
    the scenario's name differs.
    """
    ours, theirs = (table.drop(columns="scenario", errors="ignore") for table in (summary, base))
    if list(ours.columns) != list(theirs.columns) or len(ours) != len(theirs):
        return False
    by_run = [table.sort_values("run").reset_index(drop=True) for table in (ours, theirs)]
    return by_run[0].equals(by_run[1])


def run_comparison(
    ensembles: Sequence[Ensemble],
    out_dir: Path | str,
    executor: Callable[[], ChunkExecutor] | None = None,
    *,
    resume: bool = False,
    progress: bool = False,
    resamples: int = RESAMPLES,
    force: bool = False,
    announce: Callable[[str, EnsembleReport | None], None] | None = None,
    figure_format: str = "png",
    leaders: Sequence[str] | None = None,
) -> ComparisonResult:
    """Run or reuse each ensemble under ``out_dir``, compare them to the first, write the files.

    Args:
        ensembles: the base first, then the alternatives; same runs, seed and mode.
        out_dir: the comparison's directory.
        executor: makes a fresh executor for each ensemble to simulate (default: local
            processes on every core, as :func:`.run_ensemble`'s).
        resume: continue interrupted ensembles instead of starting them afresh.
        progress: show progress bars on stderr.
        resamples: bootstrap resamples.
        force: overwrite the report of another comparison in ``out_dir``.
        announce: called with each scenario's name and its ensemble's report (``None``
            when it was reused) as soon as it is ready.
        figure_format: ``png``, ``svg`` or ``pdf``, the format of ``comparison.*``.
        leaders: the leaders whose median paths are drawn (default: the key leaders
            and those the alternatives are about).

    Raises:
        EnsembleError: an ensemble cannot run, the summaries are not paired, or
            ``out_dir`` holds another comparison's report.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise EnsembleError(f"--out {out_dir} exists and is not a directory")
    identity = comparison_identity(ensembles, resamples)
    check_report_folder(out_dir, identity, force)
    remove_leftovers(out_dir)
    reports: dict[str, EnsembleReport | None] = {}
    for ensemble in ensembles:
        name = ensemble.scenario.name
        directory = out_dir / name
        if is_complete(directory, ensemble):
            reports[name] = None
        else:
            reports[name] = run_ensemble(
                ensemble,
                directory,
                executor() if executor is not None else None,
                resume=resume,
                progress=progress,
            )
        if announce is not None:
            announce(name, reports[name])
    figure = FigureRequest(figure_name(FIGURE, figure_format), leaders)
    return _compare(ensembles, out_dir, reports, identity, figure)


def _compare(
    ensembles: Sequence[Ensemble],
    out_dir: Path,
    reports: dict[str, EnsembleReport | None],
    identity: dict[str, object],
    figure: FigureRequest,
) -> ComparisonResult:
    """Compare the ensembles' summaries; write the table, the plot, the report, the record."""
    resamples = int(identity["resamples"])
    names = [ensemble.scenario.name for ensemble in ensembles]
    base = names[0]
    summaries = {name: read_table(out_dir / name, "summary") for name in names}
    history = history_orders(ensembles[0].scenario)
    for ensemble in ensembles:
        summary = summaries[ensemble.scenario.name]
        took = took_history_orders(out_dir / ensemble.scenario.name, ensemble.scenario, history)
        for order, metric in HISTORY_METRICS.items():
            summary[metric] = summary["run"].map(took[order]).to_numpy(dtype=float)
    quantiles = {name: read_table(out_dir / name, "quantiles") for name in names}
    seed = ensembles[0].seed
    try:
        table = compare_summaries(summaries, base, resamples, LEVEL, seed=seed)
    except ValueError as error:
        raise EnsembleError(str(error)) from None
    csv_path = out_dir / TABLE
    # The figure first: it takes a second to draw, the other files milliseconds, so that
    # a comparison cut short while writing leaves the earlier one's files together.
    base_scenario = ensembles[0].scenario
    plot_path = out_dir / figure.name
    alternatives = {ensemble.scenario.name: ensemble.scenario for ensemble in ensembles[1:]}
    concerned = list(
        dict.fromkeys(
            leader
            for alternative in alternatives.values()
            for leader in concerned_leaders(base_scenario, alternative)
        )
    )
    plot_comparison(
        table,
        quantiles,
        base,
        base_scenario,
        figure.leaders or path_leaders(table, quantiles[base], concerned),
        plot_path,
        runs=ensembles[0].runs,
        level=LEVEL,
        alternatives=alternatives,
        mode=ensembles[0].mode,
    )
    remove_other_formats(plot_path)
    write_atomically(csv_path, lambda temporary: table.to_csv(temporary, index=False))
    metrics, constant = main_metrics(table, concerned=concerned)
    named = joint_roll(base_scenario, alternatives.values())
    main_table = markdown_table(table, metrics, base, named)
    reused = {name: report is None for name, report in reports.items()}
    identical = [name for name in names if identical_runs(summaries[name])]
    unchanged = [name for name in names[1:] if same_outcomes(summaries[name], summaries[base])]
    report_path = out_dir / REPORT
    many = len(names) - 1 > HEADLINE_BEYOND
    headline = headline_table(table, base, named)
    text = report_text(
        ensembles,
        reused,
        main_table,
        constant,
        resamples,
        identical,
        unchanged,
        figure=plot_path.name,
        headline=headline if many else "",
    )
    write_text(report_path, text)
    record_path = out_dir / RECORD
    record = {
        "identity": identity,
        "model_sha256": model_digest(),  # each ensemble's manifest has its own; said here too
        "files": [csv_path.name, report_path.name, plot_path.name],
    }
    posterior = ensembles[0].posterior
    record["posterior"] = None if posterior is None else str(posterior.path)
    record["scenario_files"] = {e.scenario.name: e.scenario_file for e in ensembles}
    record |= provenance(VERSIONED_EXTRAS)
    write_text(record_path, json.dumps(record, indent=2, sort_keys=True) + "\n")
    files = [csv_path, report_path, plot_path, record_path]
    return ComparisonResult(table, main_table, headline, reports, identical, files, unchanged)
