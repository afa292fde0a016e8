"""``interregnum score``: score a run's or an ensemble's outputs against the historical patterns."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from simulation.cli.common import add_patterns_argument, fail, report_problems
from simulation.scenario import ScenarioError, load_scenario

TABLES = ("tenures", "votes")
OPTIONAL_TABLES = {"alliances": "alignments", "factions": "factions", "trajectories": "positions"}
"""Tables that only a single run's outputs have, and the pattern level each one scores
(an ensemble's trajectories, kept on request, keep no stance)."""
SCORED_COLUMNS = {
    "tenures": ("run", "leader", "post", "start", "end"),
    "votes": ("run", "date", "arena", "target", "votes_for", "votes_against", "carried"),
    "alliances": ("run", "affinity"),
    "factions": ("run", "date", "faction", "active"),
    "trajectories": ("run", "date", "leader"),
}
"""The columns the scoring reads (``calibration.pattern_logs.logs_from_frames``); outputs
written before a column was added elsewhere still score."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``score`` subcommand."""
    parser = commands.add_parser(
        "score",
        help="score a run's or an ensemble's outputs against the historical patterns",
        description="Read the outputs of 'interregnum run' (CSV) or 'interregnum ensemble' "
        "(Parquet) in OUTPUT_DIR and print, per pattern, its level and role, the share of runs "
        "hitting it and its month-error quantiles, then the joint score per level. An "
        "ensemble keeps no affinities, factions or stances, so its alignment, faction and "
        "position patterns are left out (use 'interregnum assess' for them).",
    )
    parser.add_argument(
        "output_dir", type=Path, metavar="OUTPUT_DIR", help="a run's or ensemble's directory"
    )
    add_patterns_argument(parser)
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
    """Load the outputs and the patterns; print the table."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from calibration.pattern_logs import STANCE_COLUMNS, logs_from_frames
    from calibration.pattern_scores import joint_scores, pattern_table, score_frame, score_run
    from calibration.patterns import load_patterns

    directory = args.output_dir
    if not directory.is_dir():
        return fail(f"{directory}: no such output directory")
    has_manifest = (directory / "manifest.json").exists()
    try:
        manifest = _manifest(directory) if has_manifest else {}
        if manifest.get("status", "complete") != "complete":
            return fail(
                f"{directory}: the ensemble there has not finished (status "
                f"{manifest['status']!r}); finish it with 'interregnum ensemble ... --resume'"
            )
        scenario_path = args.scenario
        if scenario_path is None:
            if not has_manifest:
                return fail(f"{directory}: no manifest.json to name the scenario; pass --scenario")
            if not isinstance(manifest.get("scenario_file"), str):
                return fail(
                    f"{directory / 'manifest.json'}: names no scenario file; pass --scenario"
                )
            scenario_path = Path(manifest["scenario_file"])
        frames = {name: _read(directory, name, SCORED_COLUMNS[name]) for name in TABLES}
        optional = {name: _read(directory, name, SCORED_COLUMNS[name]) for name in OPTIONAL_TABLES}
    except _Unreadable as error:
        return fail(str(error))
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        return fail(f"{directory}: missing {', '.join(f'{m}.csv/.parquet' for m in missing)}")
    try:
        scenario = load_scenario(scenario_path)
        patterns = load_patterns(args.patterns, scenario).patterns
    except ScenarioError as error:
        return report_problems(error)
    for name, level in OPTIONAL_TABLES.items():
        frame = optional[name]
        if frame is None:
            print(f"note: no {name} table in {directory}; {level} patterns left out")
        elif name == "trajectories" and not set(STANCE_COLUMNS) <= set(frame.columns):
            print(f"note: no stances in {directory}'s trajectories; {level} patterns left out")
            frame = None
        else:
            frames[name] = frame
        if frame is None:
            patterns = [pattern for pattern in patterns if pattern.level != level]
    runs = logs_from_frames(scenario, frames)
    scores = score_frame(patterns, [score_run(patterns, logs) for logs in runs.values()])
    table = pattern_table(patterns, scores)
    print(f"{directory}: {len(runs)} run{'s' * (len(runs) != 1)} of {scenario.name}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-"))
    joint = ", ".join(f"{level} {share:.2f}" for level, share in joint_scores(table).items())
    print(f"joint score (mean hit share): {joint}")
    return 0
