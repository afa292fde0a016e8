"""``interregnum score``: score a run's or an ensemble's outputs against the historical targets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from simulation.cli.common import add_targets_argument, fail, report_problems
from simulation.scenario import ScenarioError, load_scenario

TABLES = ("tenures", "votes", "events")


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


def _read(directory: Path, name: str) -> pd.DataFrame | None:
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = directory / f"{name}{suffix}"
        if path.exists():
            return reader(path)
    return None


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
        targets = load_targets(args.targets, scenario).targets
    except ScenarioError as error:
        return report_problems(error)
    runs = logs_from_frames(scenario, frames["tenures"], frames["votes"], frames["events"])
    table = ensemble_table([score_run(targets, logs) for logs in runs.values()])
    print(f"{directory}: {len(runs)} run{'s' * (len(runs) != 1)} of {scenario.name}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-"))
    return 0
