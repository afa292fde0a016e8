"""``interregnum assess``: judge a scenario's free mode against the historical patterns."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulation.calendar import Month
from simulation.cli.common import (
    add_executor_arguments,
    add_patterns_argument,
    count_problems,
    fail,
    month_problems,
    out_problems,
    report_problems,
    unusable_out,
    user_path,
)
from simulation.cli.scenario_args import add_free_from_argument, branch_from_history
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_hash
from simulation.scenario.messages import unknown

PARAMETERS_DIR = Path("calibration/parameters")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``assess`` subcommand."""
    parser = commands.add_parser(
        "assess",
        help="judge free mode against the historical patterns, the hold-out and null models",
        description="Run a scenario in free mode with its posterior predictive, point and prior "
        "parameters, with the parameters fitted only up to --fit-until (the temporal "
        "hold-out), and without its leader-targeted inputs (the hindsight audit); score every "
        "run and two null models on the patterns file; write report.md, assessment.png and "
        "the tables to --out.",
    )
    parser.add_argument("scenario", type=user_path, help="scenario YAML file")
    parser.add_argument(
        "--runs", type=int, default=1000, metavar="N", help="runs per parameter set (1000)"
    )
    parser.add_argument(
        "--parameters",
        choices=("posterior", "point", "prior"),
        default="posterior",
        help="which parameter set is the model the nulls and the audit are compared with "
        "(default posterior: each run draws its parameters from the ABC posterior)",
    )
    parser.add_argument(
        "--posterior",
        type=user_path,
        metavar="FILE",
        help="posterior sample (default: NAME-posterior.csv beside the fitted parameters the "
        "scenario's 'parameters_from:' names, or calibration/parameters/NAME-posterior.csv)",
    )
    parser.add_argument(
        "--fit-until",
        default=Month(1924, 12),
        metavar="YYYY-MM",
        help="last month of the temporal hold-out fit (default 1924-12)",
    )
    parser.add_argument(
        "--hold-out-parameters",
        type=user_path,
        metavar="FILE",
        help="parameters fitted up to --fit-until (default: NAME-until-YYYY-MM.yaml beside the "
        "scenario's fitted parameters)",
    )
    add_patterns_argument(parser)
    parser.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="PATTERN",
        help="a turning point (a pattern id): report each later pattern's hit share in the runs "
        "that hit it and in those that missed it, for the hold-out fit and the model "
        "(following-PATTERN.csv); may be given more than once",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--out", type=user_path, help="output directory (default outputs/assessment/NAME)"
    )
    parser.add_argument("--seed", type=int, default=1, help="root seed of the runs (default 1)")
    add_free_from_argument(parser, has_mode=False)
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar; print only the output directory"
    )
    parser.set_defaults(handler=handle)


def _flag_problems(args: argparse.Namespace, scenario: Scenario, known: list[str]) -> list[str]:
    """Every problem of the flags, so that one attempt names them all."""
    from simulation.experiments.assessment.assessment import MAX_RUNS

    problems = [
        f"--given: {unknown('pattern', given, known)} in {args.patterns}"
        for given in dict.fromkeys(args.given)
        if given not in known
    ]
    problems += count_problems(args, {"runs": MAX_RUNS}, runs=1, workers=1)
    if args.hold_out_parameters is not None and not args.hold_out_parameters.is_file():
        problems.append(f"--hold-out-parameters {args.hold_out_parameters}: no such file")
    if args.fit_until is not None and not scenario.start <= args.fit_until <= scenario.end:
        problems.append(
            f"--fit-until {args.fit_until} is outside the scenario "
            f"({scenario.start} to {scenario.end})"
        )
    return problems


def handle(args: argparse.Namespace) -> int:
    """Load, run every set, score, and write the assessment directory."""
    from calibration.patterns import load_patterns
    from simulation.experiments.assessment.assessment import (
        HOLD_OUT,
        AssessmentError,
        Settings,
        assess,
    )
    from simulation.experiments.assessment.null_models import NULL_MODELS
    from simulation.experiments.assessment.report import WHOSE, assessment_names, write_assessment
    from simulation.experiments.assessment.runs import make_mapper
    from simulation.experiments.ensemble import EnsembleError
    from simulation.experiments.ensemble.executors import available_cores
    from simulation.experiments.parameter_draws import DrawError, file_sha256, posterior_beside
    from simulation.experiments.posterior import (
        check_posterior_beside,
        fitted_point_of,
        kept_parameters,
    )
    from simulation.model.code_version import model_digest
    from simulation.output.files import OutputError, check_replaceable

    months = month_problems(args, fit_until="--fit-until")  # named even if the files are bad
    early = out_problems(args, "assess", only_records=True)  # alone, it is told below
    try:
        scenario = branch_from_history(load_scenario(args.scenario), args.free_from)
        patterns = load_patterns(args.patterns, scenario).patterns
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *months, *early]))
    if problems := months + _flag_problems(args, scenario, [pattern.id for pattern in patterns]):
        return report_problems(ScenarioError(problems + early))
    name = scenario.name
    out = args.out or Path("outputs") / "assessment" / name
    if (problem := unusable_out(out, command="assess", only_records=True)) is not None:
        return fail(problem)
    try:  # an earlier assessment is replaced whole: refuse, before any run, what it cannot be
        check_replaceable(out, assessment_names(out), WHOSE)
    except OutputError as error:
        return fail(str(error))
    point = fitted_point_of(args.scenario) or PARAMETERS_DIR / f"{name}.yaml"
    hold_out = args.hold_out_parameters or point.with_name(
        f"{point.stem}-until-{args.fit_until}.yaml"
    )
    # Each fit's sample beside its point, drawn from with it, must be that fit's own.
    beside = [] if args.posterior else [point]
    if args.parameters == "posterior":  # the hold-out fit's runs draw from its sample too
        beside.append(hold_out)
    try:
        kept = kept_parameters(scenario, args.scenario)
        for fit in beside:
            check_posterior_beside(fit, posterior_beside(fit))
    except DrawError as error:
        return fail(str(error))
    settings = Settings(
        runs=args.runs,
        seed=args.seed,
        parameters=args.parameters,
        posterior=args.posterior or posterior_beside(point),
        fit_until=args.fit_until,
        hold_out_parameters=hold_out,
        kept=kept,
        given=tuple(dict.fromkeys(args.given)),
    )
    workers = args.workers or available_cores()
    started = time.perf_counter()
    try:
        mapper = make_mapper(workers, args.scheduler, not args.quiet and sys.stderr.isatty())
        assessment = assess(scenario, patterns, settings, mapper)
    except (AssessmentError, DrawError) as error:
        return fail(str(error))
    except EnsembleError as error:  # the scheduler's address, checked before any run
        return fail(str(error), error.status)
    except ImportError:
        return fail("--scheduler needs the 'distributed' package")
    except OSError as error:
        return fail(f"cannot reach the Dask scheduler at {args.scheduler} ({error})")
    seconds = time.perf_counter() - started
    record = {
        "scenario": name,
        "scenario_file": str(args.scenario),
        "scenario_sha256": scenario_hash(scenario),
        "patterns_file": str(args.patterns),
        "patterns_sha256": file_sha256(args.patterns),
        "model_sha256": model_digest(),
        "runs": args.runs,
        "seed": args.seed,
        "model": args.parameters,
        "parameters": args.parameters,
        "free_from": args.free_from,
        "posterior": str(settings.posterior),
        "posterior_sha256": file_sha256(settings.posterior)
        if settings.posterior.is_file()
        else None,
        "parameters_kept": sorted(kept),
        "fit_until": str(settings.fit_until),
        "given": list(settings.given),
        "hold_out_parameters": str(settings.hold_out_parameters),
        "executor": args.scheduler or f"{workers} local processes",
        "seconds": round(seconds, 2),
        "run_seeds": "run i: numpy.random.SeedSequence(seed).spawn(runs)[i].generate_state(1)[0]",
    }
    try:
        write_assessment(assessment, out, name, record)
    except OSError as error:  # a full disk, say: the earlier assessment stays as it was
        return fail(f"cannot write to {out}: {error.strerror or error}", status=1)
    if args.quiet:
        print(out)
        return 0
    for note in assessment.notes:
        print(f"note: {note}")
    joint = assessment.joint()
    print(f"assessed {name}: {args.runs} runs per set in {seconds:.1f} s")
    if HOLD_OUT in assessment.tables:
        late = assessment.late()
        headline = assessment.joint([HOLD_OUT, *NULL_MODELS], only=late).loc["all"]
        nulls = ", ".join(f"{null} {headline[null]:.2f}" for null in NULL_MODELS)
        print(
            f"hold-out in time: mean hit share {headline[HOLD_OUT]:.2f} on the {len(late)} "
            f"patterns after {settings.fit_until} (null models: {nulls})"
        )
    print("mean hit share, all patterns and per level:")
    print(joint.to_string(float_format=lambda x: f"{x:.2f}"))
    print(f"wrote {out}/report.md")
    return 0
