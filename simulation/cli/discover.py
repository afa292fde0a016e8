"""``interregnum discover``: under which contingencies an outcome becomes likely (PRIM)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulation.cli.common import (
    add_executor_arguments,
    add_mode_argument,
    count_problems,
    fail,
    out_problems,
    report_problems,
    run_on_executor,
    unusable_out,
    user_path,
)
from simulation.cli.parameter_args import add_parameter_arguments, note_parameters, parameters_asked
from simulation.cli.scenario_args import (
    add_scenario_arguments,
    dropped_by_flags,
    load_from_args,
    set_by_flags,
)
from simulation.scenario import ScenarioError

if TYPE_CHECKING:  # the levers' module is imported when the command runs (see handle)
    from simulation.experiments.discovery.levers import Lever

PARAMETERS_HELP = (
    "posterior (default): each run draws the parameters no lever sets from the ABC "
    "posterior sample, run r the draw of run r of an ensemble of the same --seed (every run "
    "its own draw; the K replicates share their seeds, not their draws); a parameter the "
    "scenario, --set or a lever sets keeps that value. point: every run uses the point "
    "estimate. prior: each run draws from the fit's priors. Without a posterior sample "
    "the point estimate is used, with a note"
)


SHUFFLES = 100
"""The permutation test's shuffles by default (``simulation.experiments.discovery.boxes``)."""
MAX_SHUFFLES = 100_000
"""The most shuffles taken: PRIM a shuffle, about 0.2 s each on 400 runs, five hours."""


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``discover`` subcommand."""
    parser = commands.add_parser(
        "discover",
        help="find the combinations of historical contingencies under which an outcome is likely",
        description="Sample combinations of the levers of LEVERS.yaml (counterfactual overlays "
        "on or off, events dropped or moved, parameters or starting values within ranges), run "
        "each K times with the same K seeds, each run drawing the other parameters from the "
        "posterior as ensemble and compare do, and find with PRIM (EMA Workbench) the boxes of "
        "lever space where the outcome of interest is frequent. The runs stream to OUT/runs/ "
        "like an ensemble; OUT gets boxes.md, boxes.csv, tradeoff.png, feature_scores.csv, "
        "experiments.parquet and discovery.json.",
    )
    add_scenario_arguments(parser)
    parser.add_argument("--levers", type=user_path, required=True, help="levers YAML file")
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        metavar="N",
        help="lever combinations of the Latin hypercube (default 100; --design factorial "
        "runs every combination and takes no --runs)",
    )
    parser.add_argument(
        "--replicates",
        type=int,
        default=4,
        metavar="K",
        help="runs of each combination, with the same K seeds (default 4)",
    )
    parser.add_argument(
        "--design",
        choices=["lhs", "factorial"],
        default="lhs",
        help="lhs: Latin hypercube (default); factorial: every combination of on/off levers",
    )
    parser.add_argument(
        "--outcome",
        default='dominant != "stalin"',
        metavar="EXPR",
        help="the outcome of interest, a condition over summary.parquet's columns and "
        "the runs' paths: factions and verdicts (their orders, as in an ensemble's "
        "paths.csv) and history_factions and history_verdicts (true where a run took "
        'history\'s order); default: dominant != "stalin"',
    )
    parser.add_argument("--boxes", type=int, default=3, help="most PRIM boxes (default 3)")
    parser.add_argument(
        "--shuffles",
        type=int,
        default=SHUFFLES,
        help="shuffles of the outcomes across the lever combinations on which PRIM is run "
        "again, to say how often a box as dense comes by chance (its p-value; about 0.2 s "
        f"each on 400 runs; 0: no test; default {SHUFFLES})",
    )
    add_executor_arguments(parser)
    add_mode_argument(parser)
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the design, the runs, their parameter draws and the feature scores "
        "(default 1)",
    )
    add_parameter_arguments(parser, help=PARAMETERS_HELP)
    parser.add_argument(
        "--out", type=user_path, default=None, help="default: outputs/<scenario>-discovery"
    )
    parser.add_argument("--resume", action="store_true", help="keep the runs in OUT/runs/")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Load scenario and levers, check the discovery, run it, print the boxes."""
    # Imported here for the start-up time of --help (see the cli package docstring).
    from simulation.experiments.discovery import (
        Discovery,
        DiscoveryError,
        check_discovery,
        load_levers,
        run_discovery,
    )
    from simulation.experiments.discovery.design import draws_text
    from simulation.experiments.discovery.report import box_sentence
    from simulation.experiments.parameter_draws import DrawError
    from simulation.experiments.sensitivity.design import MAX_STUDY_RUNS
    from simulation.model import Mode

    # One attempt names the scenario's and the levers file's problems and every bad number.
    problems = count_problems(
        args, {"shuffles": MAX_SHUFFLES}, runs=2, replicates=1, boxes=1, workers=1, shuffles=0
    )
    runs = (args.runs or 0) * args.replicates  # --runs left out: the design's own
    if runs > MAX_STUDY_RUNS:  # the design is built before any run
        problems.append(
            f"--runs {args.runs:,} x --replicates {args.replicates:,} makes {runs:,} runs; "
            f"a study takes at most {MAX_STUDY_RUNS:,}"
        )
    early = out_problems(args, "discover", only_records=True)  # alone, it is told below
    try:
        scenario, overrides = load_from_args(args)
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *problems, *early]))
    try:
        levers = load_levers(args.levers, scenario, dropped_by_flags(args))
    except ScenarioError as error:
        problems = [*error.problems, *problems]
    else:
        problems += _levers_over_flags(levers, set_by_flags(args))
    if problems:
        return report_problems(ScenarioError(problems + early))
    out_dir = args.out or Path("outputs") / f"{scenario.name}-discovery"
    if (problem := unusable_out(out_dir, command="discover", only_records=True)) is not None:
        return fail(problem)
    try:
        choice = parameters_asked(args, scenario)
        discovery = Discovery(
            scenario,
            tuple(levers),
            runs=args.runs,
            replicates=args.replicates,
            outcome=args.outcome,
            design=args.design,
            boxes=args.boxes,
            shuffles=args.shuffles,
            seed=args.seed,
            mode=Mode(args.mode),
            scenario_file=str(args.scenario),
            overrides=tuple(overrides),
            levers_file=str(args.levers),
            parameters=choice.draws,
            parameters_note=choice.note,
        )
        check_discovery(discovery)
    except (DrawError, DiscoveryError) as error:
        return fail(str(error))
    note_parameters(choice.note)
    report, status = run_on_executor(
        args,
        out_dir,
        lambda executor, progress: run_discovery(
            discovery, out_dir, executor, resume=args.resume, progress=progress
        ),
        DiscoveryError,
    )
    if report is None:
        return status
    for warning in report.warnings:
        print(f"interregnum: warning: {warning}", file=sys.stderr)
    print(f"parameters: {draws_text(choice.draws, args.seed)}")
    print(
        f"{report.runs} runs ({report.simulated} simulated now) in {report.seconds:.1f} s; "
        f"{args.outcome} in {report.share:.0%} of runs"
    )
    for i, box in enumerate(report.boxes, start=1):
        print(f"box {i}: {box_sentence(box, args.outcome, i)}")
    print(f"wrote {len(report.files)} files to {out_dir}/ (runs in {out_dir / 'runs'}/)")
    return 0


def _levers_over_flags(levers: list[Lever], flags: dict[str, str]) -> list[str]:
    """A lever that sets what a ``--set`` flag holds would override it in every run.

    The same path, or one within the other (a flag setting a leader's whole ``stance``
    and a lever its ``economic`` part); an overlay lever's own ``set`` changes count.
    """
    problems = []
    for lever in levers:
        for path in _paths_set(lever):
            for flagged, flag in flags.items():
                if (
                    path == flagged
                    or path.startswith(f"{flagged}.")
                    or flagged.startswith(f"{path}.")
                ):
                    problems.append(
                        f"{flag}: levers.{lever.name} sets {path} too, and would override "
                        "the flag in every run; drop the flag or the lever"
                    )
    return problems


def _paths_set(lever: Lever) -> list[str]:
    """The ``--set`` paths a lever gives values: its own, or its overlay's ``set`` changes."""
    if lever.kind == "set":
        return [lever.target]
    if lever.parameter is not None:
        return [f"parameters.{lever.parameter}"]
    return [
        path
        for change in lever.changes
        if isinstance(change, dict) and isinstance(change.get("set"), dict)
        for path in change["set"]
    ]
