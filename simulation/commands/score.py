"""``interregnum score``: score a run's or an ensemble's outputs against the historical patterns."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from simulation.commands.common import add_patterns_argument, fail, report_problems
from simulation.scenario import ScenarioError, load_scenario

TABLES = ("tenures", "votes")
OPTIONAL_TABLES = {"alliances": "alignments", "factions": "factions"}
"""Tables that only a single run's outputs have, and the pattern level each one scores."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``score`` subcommand."""
    parser = commands.add_parser(
        "score",
        help="score a run's or an ensemble's outputs against the historical patterns",
        description="Read the outputs of 'interregnum run' (CSV) or 'interregnum ensemble' "
        "(Parquet) in OUTPUT_DIR and print, per pattern, its level and role, the share of runs "
        "hitting it and its month-error quantiles, then the joint score per level. An "
        "ensemble keeps no affinities or factions, so its alignment and faction patterns are "
        "left out (use 'interregnum assess' for them).",
    )
    parser.add_argument(
        "output_dir", type=Path, metavar="OUTPUT_DIR", help="a run's or ensemble's directory"
    )
    add_patterns_argument(parser)
    parser.add_argument(
        "--scenario", type=Path, help="scenario file (default: the one named in manifest.json)"
    )
    parser.set_defaults(handler=handle)


def _read(directory: Path, name: str) -> pd.DataFrame | None:
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = directory / f"{name}{suffix}"
        if path.exists():
            return reader(path)
    return None


def handle(args: argparse.Namespace) -> int:
    """Load the outputs and the targets; print the table."""
    from calibration.pattern_logs import logs_from_frames
    from calibration.pattern_scores import joint_scores, pattern_table, score_frame, score_run
    from calibration.patterns import load_patterns

    directory = args.output_dir
    if not directory.is_dir():
        return fail(f"{directory}: no such output directory")
    scenario_path = args.scenario
    if scenario_path is None:
        manifest = directory / "manifest.json"
        try:
            scenario_path = Path(json.loads(manifest.read_text())["scenario_file"])
        except (OSError, ValueError, KeyError):
            return fail(f"{manifest}: cannot read the scenario file from it; pass --scenario")
    frames = {name: _read(directory, name) for name in TABLES}
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        return fail(f"{directory}: missing {', '.join(f'{m}.csv/.parquet' for m in missing)}")
    try:
        scenario = load_scenario(scenario_path)
        patterns = load_patterns(args.patterns, scenario).patterns
    except ScenarioError as error:
        return report_problems(error)
    for name, level in OPTIONAL_TABLES.items():
        frame = _read(directory, name)
        if frame is None:
            patterns = [pattern for pattern in patterns if pattern.level != level]
            print(f"note: no {name} table in {directory}; {level} patterns left out")
        else:
            frames[name] = frame
    runs = logs_from_frames(scenario, frames)
    scores = score_frame(patterns, [score_run(patterns, logs) for logs in runs.values()])
    table = pattern_table(patterns, scores)
    print(f"{directory}: {len(runs)} run{'s' * (len(runs) != 1)} of {scenario.name}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-"))
    joint = ", ".join(f"{level} {share:.2f}" for level, share in joint_scores(table).items())
    print(f"joint score (mean hit share): {joint}")
    return 0
