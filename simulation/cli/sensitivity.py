"""``interregnum sensitivity``: which parameters drive the outcomes (Morris or Sobol)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.cli.common import (
    add_executor_arguments,
    add_mode_argument,
    fail,
    out_problems,
    report_problems,
    run_on_executor,
    unusable_out,
    user_path,
)
from simulation.cli.scenario_args import add_scenario_arguments, load_from_args, set_by_flags
from simulation.scenario import ScenarioError

DEFAULT_SIZES = {"morris": 20, "sobol": 1024}
"""Trajectories of a Morris study, base points of a Sobol one, unless the flag says otherwise."""
SIZE_FLAGS = {"morris": "trajectories", "sobol": "samples"}
"""The flag (its argparse attribute) that sizes each method's sample; the other one is refused."""


def _names(text: str) -> tuple[str, ...]:
    """Names separated by commas; none at all is refused (argparse then exits with status 2)."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("expected one or more names separated by commas")
    return names


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``sensitivity`` subcommand."""
    parser = commands.add_parser(
        "sensitivity",
        help="rank the model's parameters by their effect on the outcomes (Morris, Sobol)",
        description="Vary the model's parameters within the bounds of the parameter registry "
        "(fitted parameters over their calibration prior), run each sample point K times with "
        "the same K seeds, and analyse the outcomes with SALib: Morris elementary effects "
        "(mu*, sigma) or Sobol first-order and total indices, with 95% bootstrap intervals. "
        "The runs stream to OUT/runs/ like an ensemble and resume with --resume; OUT gets "
        "indices.csv, samples.parquet, a figure, summary.md and manifest.json.",
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--method",
        choices=["morris", "sobol"],
        required=True,
        help="morris: elementary effects, a screening of every parameter in a few thousand "
        "runs; sobol: variance-based first-order and total indices, which need far more",
    )
    # No argparse defaults: a size flag given for the other method is refused, not ignored.
    parser.add_argument(
        "--samples",
        type=int,
        default=None,
        metavar="N",
        help=f"Sobol only: base points, a power of two (default {DEFAULT_SIZES['sobol']}: "
        "N x (parameters + 2) points)",
    )
    parser.add_argument(
        "--trajectories",
        type=int,
        default=None,
        metavar="R",
        help=f"Morris only: trajectories (default {DEFAULT_SIZES['morris']}: "
        "R x (parameters + 1) points)",
    )
    parser.add_argument(
        "--runs-per-point",
        type=int,
        default=4,
        metavar="K",
        help="runs of each point, with the same K seeds at every point (default 4)",
    )
    parser.add_argument(
        "--parameters",
        type=_names,
        default=(),
        metavar="A,B,C",
        help="the parameters to vary (default: every fitted parameter)",
    )
    parser.add_argument(
        "--outcomes",
        type=_names,
        default=(),
        metavar="X,Y",
        help="outcomes: dominant_LEADER, opposition_share_YYYY-MM or any numeric column of an "
        "ensemble's summary.parquet (default: dominant_stalin, power_stalin, "
        "left_trotsky_war_commissar, opposition_share_1925-12, those the scenario has)",
    )
    add_executor_arguments(parser)
    add_mode_argument(parser)
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the sample and the runs (default 1)"
    )
    parser.add_argument(
        "--out", type=user_path, default=None, help="default: outputs/<scenario>-sensitivity-METHOD"
    )
    parser.add_argument("--resume", action="store_true", help="keep the runs already in OUT/runs/")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle)


def _size(args: argparse.Namespace) -> int:
    """The sample size of the chosen method: its flag's value, else the method's default."""
    given = getattr(args, SIZE_FLAGS[args.method])
    return DEFAULT_SIZES[args.method] if given is None else given


def _misapplied_flags(args: argparse.Namespace) -> list[str]:
    """The size flags given for the other method: silently ignored, they would mislead."""
    return [
        f"--{flag} sizes a {method} study only; --method {args.method} is sized by "
        f"--{SIZE_FLAGS[args.method]}"
        for method, flag in SIZE_FLAGS.items()
        if method != args.method and getattr(args, flag) is not None
    ]


def handle(args: argparse.Namespace) -> int:
    """Load, run the study, write its files; print the first-ranked parameter per outcome."""
    # Imported here for the start-up time of --help (see the cli package docstring).
    from simulation.experiments.sensitivity import (
        SensitivityError,
        Study,
        run_study,
        study_problems,
    )
    from simulation.experiments.sensitivity.report import ranking
    from simulation.model import Mode

    early = out_problems(args, "sensitivity", only_records=True)  # alone, it is told below
    try:
        scenario, overrides = load_from_args(args)
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *early]))
    varied, held, clashes = _varied(args)
    study = Study(
        scenario,
        args.method,
        _size(args),
        runs_per_point=args.runs_per_point,
        parameters=varied,
        outcomes=args.outcomes,
        seed=args.seed,
        mode=Mode(args.mode),
        scenario_file=str(args.scenario),
        overrides=tuple(overrides),
    )
    if problems := _misapplied_flags(args) + clashes + study_problems(study):
        return report_problems(ScenarioError(problems + early))
    out_dir = args.out or Path("outputs") / f"{scenario.name}-sensitivity-{args.method}"
    if (problem := unusable_out(out_dir, command="sensitivity", only_records=True)) is not None:
        return fail(problem)
    if held:
        print(
            f"interregnum: note: {', '.join(held)} held as --set gives "
            f"{'it' if len(held) == 1 else 'them'}; the study varies the other fitted parameters",
            file=sys.stderr,
        )
    report, status = run_on_executor(
        args,
        out_dir,
        lambda executor, progress: run_study(
            study, out_dir, executor, resume=args.resume, progress=progress
        ),
        SensitivityError,
    )
    if report is None:
        return status
    print(
        f"{args.method}: {report.runs} runs ({report.simulated} simulated now) "
        f"in {report.seconds:.1f} s"
    )
    for outcome in dict.fromkeys(report.indices["outcome"]):
        first = ranking(report.indices, args.method, outcome).iloc[0]
        if outcome in report.notes:
            print(f"{outcome}: {report.notes[outcome]} (see summary.md)")
        elif first["estimate"] != first["estimate"]:  # NaN, though SALib was asked
            print(f"{outcome}: not analysed (see summary.md)")
        else:
            print(f"{outcome}: most sensitive to {first['parameter']} ({first['estimate']:.3g})")
    print(f"wrote {len(report.files)} files to {out_dir}/ (runs in {out_dir / 'runs'}/)")
    return 0


def _varied(args: argparse.Namespace) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The parameters to vary, the fitted ones ``--set`` holds instead, and the clashes.

    Named with ``--parameters``, they are varied as named, and one that ``--set`` also
    holds is refused (the study would override the flag at every point); by default
    every fitted parameter but those held, and refused if that leaves none (an empty
    list would mean every one).
    """
    from simulation.model.parameters import free_parameters  # numba: not at start-up

    flags = set_by_flags(args)
    if args.parameters:
        clashes = [
            f"{flags[f'parameters.{name}']}: --parameters varies {name} too, and would "
            "override the flag at every point; drop the flag or leave it out of --parameters"
            for name in args.parameters
            if f"parameters.{name}" in flags
        ]
        return args.parameters, [], clashes
    fitted = list(free_parameters())
    held = [name for name in fitted if f"parameters.{name}" in flags]
    if not held:
        return (), [], []
    varied = tuple(name for name in fitted if name not in held)
    none_left = (
        [] if varied else ["--set holds every fitted parameter: the study has none left to vary"]
    )
    return varied, held, none_left
