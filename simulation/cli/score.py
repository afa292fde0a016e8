"""``interregnum score``: score a run's or an ensemble's outputs against the historical patterns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from simulation.cli.common import (
    EXIT_BAD_INPUT,
    add_patterns_argument,
    fail,
    outputs_of,
    report_problems,
    user_path,
)
from simulation.cli.scenario_args import load_as_recorded
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_hash


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
        "output_dir", type=user_path, metavar="OUTPUT_DIR", help="a run's or ensemble's directory"
    )
    add_patterns_argument(parser)
    parser.add_argument(
        "--scenario", type=user_path, help="scenario file (default: the one named in manifest.json)"
    )
    parser.set_defaults(handler=handle)


def _refuse(problems: Iterable[str]) -> int:
    """Print one ``interregnum:`` line per problem; return the bad-input status."""
    for problem in problems:
        fail(problem)
    return EXIT_BAD_INPUT


def _not_runs(directory: Path) -> str | None:
    """Why ``directory`` holds nothing to score: another command's outputs, named; or None.

    A comparison's ensembles are in its sub-folders, which the message lists.
    """
    found = outputs_of(directory)
    if found is None or found[0] in ("run", "ensemble"):
        return None
    command, record = found
    told = f"{directory} holds the outputs of `interregnum {command}` (its {record} is there)"
    ensembles = sorted(
        str(sub) for sub in directory.iterdir() if (outputs_of(sub) or ("",))[0] == "ensemble"
    )
    if ensembles:
        return f"{told}; score one of its ensembles: {', '.join(ensembles)}"
    return f"{told}, not a run's or an ensemble's"


def _another_scenario(
    scenario: Scenario, path: Path, manifest: dict, directory: Path
) -> str | None:
    """Why ``scenario``, read from ``path``, may not be the one the outputs were made from.

    The manifest records the resolved scenario's hash and the change flags applied: the
    file with those flags (read again only if there are any) must give the same hash. It
    does not when another file is named with ``--scenario``, or when the file, or the
    fitted parameters it reads, changed since the runs. Scoring goes on (a reworded event
    scores the same), but the user is told.
    """
    recorded = manifest.get("scenario_sha256")
    flags = manifest.get("overrides") or []
    if not isinstance(recorded, str) or not all(isinstance(flag, str) for flag in flags):
        return None
    try:
        now = scenario_hash(load_as_recorded(path, flags) if flags else scenario)
    except ScenarioError:
        return None  # the recorded flags no longer apply: the scores say the rest
    if now == recorded:
        return None
    return (
        f"{path}, with the changes the runs were made with, is not the scenario of "
        f"{directory} (its hash differs from manifest.json's): the file or its fitted "
        "parameters changed since, or it is another scenario; the outputs are scored against "
        "it as it is now"
    )


def handle(args: argparse.Namespace) -> int:
    """Load the outputs and the patterns; print the table."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from calibration.output_tables import (
        OPTIONAL_TABLES,
        TABLES,
        Unreadable,
        coverage_problems,
        read_manifest,
        read_tables,
    )
    from calibration.pattern_logs import STANCE_COLUMNS, logs_from_frames
    from calibration.pattern_scores import joint_scores, pattern_table, score_frame, score_run
    from calibration.patterns import load_patterns

    directory = args.output_dir
    if directory.exists() and not directory.is_dir():
        return fail(
            f"{directory}: a file, not an output directory: score reads the folder a run or "
            "an ensemble wrote (its --out)"
        )
    if not directory.is_dir():
        return fail(f"{directory}: no such output directory")
    elsewhere = _not_runs(directory)
    if elsewhere:
        return fail(elsewhere)
    has_manifest = (directory / "manifest.json").exists()
    try:
        manifest = read_manifest(directory) if has_manifest else {}
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
        tables = read_tables(directory, (*TABLES, *OPTIONAL_TABLES))
    except Unreadable as error:
        return _refuse(error.problems)
    frames = {name: tables[name] for name in TABLES}
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        return fail(f"{directory}: missing {', '.join(f'{m}.csv/.parquet' for m in missing)}")
    try:
        scenario = load_scenario(scenario_path)
        patterns = load_patterns(args.patterns, scenario).patterns
    except ScenarioError as error:
        return report_problems(error)
    if (note := _another_scenario(scenario, scenario_path, manifest, directory)) is not None:
        print(f"note: {note}", file=sys.stderr)
    for name, level in OPTIONAL_TABLES.items():
        frame = tables[name]
        if frame is None:
            print(
                f"note: no {name} table in {directory}; {level} patterns left out", file=sys.stderr
            )
        elif name == "trajectories" and not set(STANCE_COLUMNS) <= set(frame.columns):
            print(
                f"note: no stances in {directory}'s trajectories; {level} patterns left out",
                file=sys.stderr,
            )
            frame = None
        else:
            frames[name] = frame
        if frame is None:
            patterns = [pattern for pattern in patterns if pattern.level != level]
    problems = coverage_problems(directory, frames, scenario)
    if problems:
        return _refuse(problems)
    runs = logs_from_frames(scenario, frames)
    scores = score_frame(patterns, [score_run(patterns, logs) for logs in runs.values()])
    table = pattern_table(patterns, scores)
    print(f"{directory}: {len(runs)} run{'s' * (len(runs) != 1)} of {scenario.name}")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}", na_rep="-"))
    joint = ", ".join(f"{level} {share:.2f}" for level, share in joint_scores(table).items())
    print(f"joint score (mean hit share): {joint}")
    return 0
