"""``interregnum calibrate``: fit the free parameters to history with ABC."""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
from pathlib import Path

import yaml

from simulation.cli.common import (
    add_patterns_argument,
    fail,
    month_problems,
    note_capped_workers,
    out_problems,
    report_problems,
    unusable_out,
    user_path,
)
from simulation.scenario import ScenarioError, load_scenario, scenario_hash
from simulation.scenario.reading import read_text, read_value

DEFAULT_SCENARIO = Path("scenarios/baseline_1922.yaml")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    parser = commands.add_parser(
        "calibrate",
        help="fit the model's free parameters to the historical patterns (ABC)",
        description="Fit the free parameters of a scenario to the 'fit' patterns of the "
        "patterns file with ABC (pyabc): by default one rejection step from the prior that "
        "keeps the first proposals within the tolerance (the --quantile of the distances of "
        "a first prior sample), all equally weighted; "
        "--generations N adds ABC-SMC generations. 'hold_out' patterns are never read. Writes the "
        "posterior sample, the chosen point, the validation of that point on fresh seeds "
        "(every pattern, marked in or out of the fit), how far the fit narrowed each prior "
        "(contraction.csv) and diagnostics plots to --out; the "
        "chosen parameters to NAME.yaml beside the fit the scenario reads, else in "
        "calibration/parameters/ (which scenarios reference "
        "with 'parameters_from:') and the weighted posterior sample beside it, "
        "NAME-posterior.csv (which 'assess' and ensembles draw from).",
    )
    parser.add_argument(
        "scenario",
        type=user_path,
        nargs="?",
        default=DEFAULT_SCENARIO,
        help=f"scenario YAML file (default {DEFAULT_SCENARIO})",
    )
    add_patterns_argument(parser)
    parser.add_argument(
        "--out", type=user_path, help="output directory (default outputs/calibration/NAME)"
    )
    parser.add_argument(
        "--name",
        help="name of the fit (default: the scenario's name, plus -until-MONTH, plus -quick)",
    )
    parser.add_argument(
        "--fit-until",
        metavar="YYYY-MM",
        help="fit only the patterns dated up to this month (the later ones are held out in time)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small trial fit (under a minute on 2 cores), named NAME-quick",
    )
    parser.add_argument(
        "--population", type=int, metavar="N", help="ABC population size (default 200; quick 24)"
    )
    parser.add_argument(
        "--generations",
        type=int,
        metavar="N",
        help="ABC generations (default 1: a rejection step from the prior; more are ABC-SMC)",
    )
    parser.add_argument(
        "--quantile",
        type=float,
        metavar="Q",
        help="each tolerance is this quantile of the last population's distances (the first, "
        "of a prior sample as large as the population); the share of proposals then kept "
        "differs (default 0.05; quick 0.25)",
    )
    parser.add_argument(
        "--runs-per-particle", type=int, metavar="N", help="free-mode runs per particle (default 8)"
    )
    parser.add_argument(
        "--validation-runs",
        type=int,
        metavar="N",
        default=None,
        help="fresh runs to validate the chosen point (default 500; quick 100)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="K",
        help="processes (default: all cores, and at most that many)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the fit: the same fit whatever --workers (default 1)",
    )
    parser.add_argument(
        "--parameters-file",
        type=user_path,
        metavar="FILE",
        help="where to write the chosen parameters (default NAME.yaml beside the fit the "
        "scenario reads with 'parameters_from:', else calibration/parameters/NAME.yaml)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=handle)


def _settings(args: argparse.Namespace):
    from calibration.fit import QUICK, Settings  # pyabc: see handle()

    base = QUICK if args.quick else Settings()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(max(1, args.workers), cores or 1)
    note_capped_workers(args.workers, workers)
    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        # The workers inherit each generation's evaluation, a closure pyabc makes, which
        # a spawned process could not be handed: one process draws what they would.
        print(
            "interregnum: note: this system cannot fork processes (Windows): the fit runs "
            "in one process, and comes out the same",
            file=sys.stderr,
        )
        workers = 1
    return Settings(
        population=args.population or base.population,
        generations=args.generations or base.generations,
        quantile=base.quantile if args.quantile is None else args.quantile,
        runs_per_particle=args.runs_per_particle or base.runs_per_particle,
        workers=workers,
        seed=args.seed,
    )


def _fits_folder(scenario_file: Path) -> Path:
    """Where a fit of this scenario goes: beside the fit it reads (or its base reads).

    There its posterior is found by the commands that draw from it, whatever folder the
    fit was run from; ``calibration/parameters/`` for a scenario that reads no fit.
    """
    from simulation.experiments.posterior import fitted_point_of

    point = fitted_point_of(scenario_file)
    return point.parent if point is not None else Path("calibration") / "parameters"


def _not_a_fit(parameters_file: Path, posterior_file: Path) -> str | None:
    """Why the fit must not be written over these files: one exists and is not a fit's.

    A fit replaces an earlier fit's files; any other file (a scenario given as
    ``--parameters-file`` by a slip of the hand, someone's notes) would be lost.
    A fit's parameters file maps ``fit`` and ``parameters``; its posterior's header
    has a ``weight`` column.
    """
    if parameters_file.is_file():
        try:
            earlier, _ = read_value(read_text(parameters_file), str(parameters_file))
        except ScenarioError:  # unreadable: not a fit's either
            earlier = None
        if not (isinstance(earlier, dict) and {"fit", "parameters"} <= earlier.keys()):
            return (
                f"--parameters-file {parameters_file} exists and is not a fit's parameters file "
                "(one with 'fit:' and 'parameters:'); calibrate will not overwrite it: "
                "choose another --parameters-file"
            )
    if posterior_file.is_file():
        try:
            with posterior_file.open(encoding="utf-8") as text:
                header = text.readline().strip().split(",")
        except (OSError, UnicodeDecodeError):
            header = []
        if "weight" not in header:
            return (
                f"{posterior_file} (the posterior beside --parameters-file) exists and is not "
                "a fit's posterior sample (a CSV with a 'weight' column); calibrate will not "
                "overwrite it: choose another --parameters-file"
            )
    return None


def _flag_problems(args: argparse.Namespace) -> list[str]:
    """Every flag no fit could run with, so that one attempt names them all."""
    from simulation.experiments.seeds import SeedError, check_seed  # numpy: not at start-up

    problems = []
    try:
        check_seed(args.seed)
        check_seed(args.seed + 1)  # the validation runs are seeded from the next root
    except SeedError:
        problems.append(
            f"--seed must be an integer from 0 to 2**63 - 2 (the validation runs take the "
            f"next root, --seed + 1), got {args.seed}"
        )
    for value, label in (
        (args.population, "--population"),
        (args.generations, "--generations"),
        (args.runs_per_particle, "--runs-per-particle"),
        (args.validation_runs, "--validation-runs"),
        (args.workers, "--workers"),
    ):
        if value is not None and value < 1:
            problems.append(f"{label} must be at least 1, got {value}")
    if args.quantile is not None and not 0 < args.quantile <= 1:
        problems.append(f"--quantile must be above 0 and at most 1, got {args.quantile}")
    if args.name is not None and not args.name.strip():
        problems.append("--name is empty: leave it out for the default, or name the fit")
    elif args.name is not None and (args.name in {".", ".."} or Path(args.name).name != args.name):
        problems.append(
            f"--name names a file, not a path: expected no '/', and not '.' or '..', "
            f"got {args.name!r}"
        )
    problems += month_problems(args, fit_until="--fit-until")
    return problems


def handle(args: argparse.Namespace) -> int:
    """Fit, validate, and write the results."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from calibration.fit import Calibration, CalibrationError
    from calibration.patterns import fitted, load_patterns
    from calibration.plots import plot_diagnostics
    from simulation.experiments.contraction import contraction, summary
    from simulation.output.files import csv_text, provenance, write_text

    problems = _flag_problems(args)
    early = out_problems(args, "calibrate")  # alone, it is told below
    try:
        scenario = load_scenario(args.scenario)
        patterns = load_patterns(args.patterns, scenario).patterns
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *problems, *early]))
    if args.fit_until is not None:
        if not scenario.start <= args.fit_until <= scenario.end:
            problems.append(
                f"--fit-until {args.fit_until} is outside the scenario "
                f"({scenario.start} to {scenario.end})"
            )
        elif not fitted(patterns, args.fit_until):
            problems.append(
                f"--fit-until {args.fit_until}: no fit pattern is dated up to that month"
            )
    if problems:
        return report_problems(ScenarioError(problems + early))
    name = args.name or (
        scenario.name
        + (f"-until-{args.fit_until}" if args.fit_until else "")
        + ("-quick" if args.quick else "")  # a trial fit never replaces the committed one
    )
    out = args.out or Path("outputs") / "calibration" / name
    parameters_file = args.parameters_file or _fits_folder(args.scenario) / f"{name}.yaml"
    posterior_file = parameters_file.with_name(f"{parameters_file.stem}-posterior.csv")
    settings = _settings(args)
    validation_runs = args.validation_runs or (100 if args.quick else 500)
    problem = (
        unusable_out(out, command="calibrate")
        or unusable_out(parameters_file, "--parameters-file", False)
        or _not_a_fit(parameters_file, posterior_file)
    )
    if problem is not None:
        return fail(problem)
    for directory in (out, parameters_file.parent):  # before the fit, not after it
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return fail(f"cannot write to {directory}: {error.strerror or error}", status=1)
    # The fit's database is written beside the earlier fit's and replaces it only once the
    # fit is done: a fit cut short leaves the earlier one whole, not mixed with its own.
    database = out / "history.db"
    fitting = out / "history.db.partial"
    fitting.unlink(missing_ok=True)
    print(
        f"calibrating {scenario.name}: population {settings.population}, "
        f"{settings.generations} generations, tolerance the {settings.quantile:g} quantile, "
        f"{settings.runs_per_particle} runs per particle, "
        f"{settings.workers} processes"
        + (f", fitting patterns up to {args.fit_until}" if args.fit_until else "")
    )
    try:
        calibration = Calibration(scenario, patterns, settings, fit_until=args.fit_until).fit(
            fitting, progress=not args.quiet and sys.stderr.isatty()
        )
    except CalibrationError as error:
        return fail(str(error), status=1)
    if calibration.stopped_early_:
        print(f"note: ABC {calibration.stopped_early_}; keeping the last complete population")
    validation = calibration.validate(validation_runs)
    learnt = contraction(calibration.posterior_, calibration.priors)

    try:
        # From here the earlier fit's files are replaced one by one: its manifest goes first,
        # so that a folder cut short in these seconds says it is no whole fit, and comes back
        # last; the point records its posterior's digest, checked wherever the two are drawn
        # from together, and is written after it.
        (out / "manifest.json").unlink(missing_ok=True)
        os.replace(fitting, database)
        posterior_text = csv_text(calibration.posterior_, 6)
        write_text(out / "posterior.csv", posterior_text)
        calibration.populations_.to_csv(out / "populations.csv", index=False)
        validation.to_csv(out / "validation.csv", index=False)
        write_text(out / "contraction.csv", csv_text(learnt, 4))
        plot_diagnostics(
            calibration.posterior_,
            calibration.populations_,
            calibration.priors,
            calibration.best_,
            learnt,
            out / "diagnostics.png",
        )
        record = {
            "scenario": scenario.name,
            "scenario_file": str(args.scenario),
            "scenario_sha256": scenario_hash(scenario),
            "patterns_file": str(args.patterns),
            "fit_until": str(args.fit_until) if args.fit_until else None,
            "fitted_patterns": calibration.fitted_patterns_,
            "posterior_file": str(posterior_file),
            "posterior_sha256": hashlib.sha256(posterior_text.encode()).hexdigest(),
            "settings": vars(settings),
            "validation_runs": validation_runs,
            "stopped_early": calibration.stopped_early_,
            # Each generation's tolerance and proposals, so that what share the fit kept can be
            # read from the committed file: the quantile is not that share.
            "generations_run": [
                {"epsilon": round(float(row.epsilon), 6), "proposals": int(row.samples)}
                for row in calibration.populations_.itertuples()
                if row.t >= 0
            ],
        }
        chosen = {name: round(value, 6) for name, value in calibration.best_.items()}
        header = (
            f"# Written by 'interregnum calibrate' ({name}); ABC particle closest to the "
            "patterns.\n"
            f"# Scenarios use it with 'parameters_from:'. Details in {out}/manifest.json.\n"
        )
        write_text(posterior_file, posterior_text)
        write_text(
            parameters_file,
            header + yaml.safe_dump({"fit": record, "parameters": chosen}, sort_keys=False),
        )
        write_text(out / "chosen.yaml", yaml.safe_dump(chosen, sort_keys=True))
        write_text(
            out / "manifest.json",
            json.dumps(
                {**record, "command": "calibrate", **provenance()},
                indent=2,
                sort_keys=True,
            )
            + "\n",
        )
    except OSError as error:  # a full disk, say: the earlier fit's files are each whole
        return fail(
            f"cannot write the fit ({error.filename or out}): {error.strerror or error}; "
            f"{out} holds no manifest.json until a fit is written whole",
            status=1,
        )
    print(validation.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    print(summary(learnt) + f" (per parameter: {out}/contraction.csv)")
    print(f"wrote {out}/, {parameters_file} and {posterior_file}")
    return 0
