"""``interregnum score``: score a run's or an ensemble's outputs against the historical targets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from simulation.cli.common import add_targets_argument, fail, report_problems
from simulation.scenario import ScenarioError, load_scenario

TABLES = ("tenures", "votes", "events")
SCORED_COLUMNS = {
    "tenures": ("run", "leader", "post", "start", "end"),
    "votes": ("run", "date", "arena", "target", "votes_for", "votes_against", "carried"),
    "events": ("run", "date", "type", "organisation"),
}
"""The columns the scoring reads (``calibration.logs.logs_from_frames``); outputs written
before a column was added elsewhere still score."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``score`` subcommand."""
    parser = commands.add_parser(
        "score",
        help="score a run's or an ensemble's outputs against the historical targets",
        description="Read the outputs of 'interregnum run' (CSV) or 'interregnum ensemble' "
        "(Parquet) in OUTPUT_DIR and print, per target, the share of runs meeting it and the "
        "median timing and vote-share errors, and the share of runs meeting all of them.",
    )
    parser.add_argument(
        "output_dir", type=Path, metavar="OUTPUT_DIR", help="a run's or ensemble's directory"
    )
    add_targets_argument(parser)
    parser.add_argument(
        "--scenario", type=Path, help="scenario file (default: the one named in manifest.json)"
    )
    parser.set_defaults(handler=handle)


class _Unreadable(Exception):
    """An output file that cannot be read as what a run or an ensemble writes."""


def _read(directory: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame | None:
    """The table ``name`` of a run (CSV) or an ensemble (Parquet), or ``None`` if absent.

    Raises:
        _Unreadable: the file is truncated, malformed, or lacks the columns scored.
    """
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = directory / f"{name}{suffix}"
        if not path.exists():
            continue
        try:
            frame = reader(path)
        except (OSError, ValueError) as error:  # pyarrow's and pandas' parse errors included
            reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
            raise _Unreadable(f"{path}: cannot be read ({reason})") from None
        lacking = [column for column in columns if column not in frame.columns]
        if lacking:
            raise _Unreadable(
                f"{path}: lacks the column{'s' * (len(lacking) > 1)} "
                f"{', '.join(lacking)} that a run's {name} table has"
            )
        return frame
    return None


def _manifest(directory: Path) -> dict:
    """The output directory's manifest.

    Raises:
        _Unreadable: it is missing, not JSON, or not a JSON object.
    """
    path = directory / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _Unreadable(f"{path}: cannot be read ({error}); pass --scenario") from None
    if not isinstance(manifest, dict):
        raise _Unreadable(
            f"{path}: a manifest is a JSON object, this one is a JSON {type(manifest).__name__}"
        )
    return manifest


def handle(args: argparse.Namespace) -> int:
    """Load the outputs and the targets; print the table."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from calibration.logs import logs_from_frames
    from calibration.score import ensemble_table, score_run
    from calibration.targets import load_targets

    directory = args.output_dir
    if not directory.is_dir():
        return fail(f"{directory}: no such output directory")
    try:
        manifest = _manifest(directory) if (directory / "manifest.json").exists() else {}
        if manifest.get("status", "complete") != "complete":
            return fail(
                f"{directory}: the ensemble there has not finished (status "
                f"{manifest['status']!r}); finish it with 'interregnum ensemble ... --resume'"
            )
        scenario_path = args.scenario
        if scenario_path is None:
            if not isinstance(manifest.get("scenario_file"), str):
                return fail(
                    f"{directory / 'manifest.json'}: names no scenario file; pass --scenario"
                )
            scenario_path = Path(manifest["scenario_file"])
        frames = {name: _read(directory, name, SCORED_COLUMNS[name]) for name in TABLES}
    except _Unreadable as error:
        return fail(str(error))
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        return fail(f"{directory}: missing {', '.join(f'{m}.csv/.parquet' for m in missing)}")
    try:
        scenario = load_scenario(scenario_path)
        targets = load_targets(args.targets, scenario).targets
    except ScenarioError as error:
        return report_problems(error)
    runs = logs_from_frames(scenario, frames["tenures"], frames["votes"], frames["events"])
    table = ensemble_table([score_run(targets, logs) for logs in runs.values()])
    print(f"{directory}: {len(runs)} run{'s' * (len(runs) != 1)} of {scenario.name}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-"))
    return 0
