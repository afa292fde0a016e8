"""``interregnum compare``: paired ensembles of a base and alternatives, and their differences."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from simulation.cli.common import (
    add_executor_arguments,
    add_mode_argument,
    count_problems,
    fail,
    note_capped_workers,
    out_problems,
    report_problems,
    unusable_out,
    user_path,
)
from simulation.cli.figure_args import add_figure_arguments, figure_choices
from simulation.cli.parameter_args import add_parameter_arguments, note_parameters
from simulation.cli.scenario_args import add_free_from_argument, branch_from_history
from simulation.experiments.compare.limits import MAX_RESAMPLES, RESAMPLES
from simulation.experiments.compare.names import OWN_FILES
from simulation.scenario import Scenario, ScenarioError, load_scenario

DEFAULT_RUNS = 1000
PARAMETERS_HELP = (
    "posterior (default): each run draws its parameters from the ABC posterior sample, run i "
    "the same draw in every scenario; a parameter that a scenario or its overlay sets to "
    "another value than the fit keeps that value in every run. point: every run uses the "
    "point estimate. prior: each run draws the fitted parameters uniformly from their priors "
    "(the prior predictive), kept ones aside as for the posterior. Without a posterior "
    "sample the point estimate is used, with a note"
)
"""``ensemble``'s help for ``--parameters`` without ``--set``, which compare does not take:
a variant's values are written in its overlay, where the report shows them."""
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
    parser = commands.add_parser(
        "compare",
        help="paired ensembles of a base scenario and alternatives: outcome probabilities "
        "and differences with their 95%% intervals",
        description="Simulate (or reuse) one ensemble per scenario under OUT/<scenario name>/, all "
        "with the same root seed, so that run i has the same seed in every scenario "
        "(common random numbers) and, by default, the same parameters drawn from the "
        "posterior sample of the base's fit. An ensemble already complete there with the "
        "same scenario, seed, runs, mode and parameters is reused without running "
        "anything. From their summaries and paths (the order in which the factions came "
        "forward and the Politburo's members were condemned, read against the base's "
        "history), write OUT/comparison.csv (every metric of every "
        "scenario with a 95% interval (Wilson's for a probability, Newcombe's for a paired "
        "difference of two, a percentile bootstrap for the rest), and each alternative's "
        "paired difference from the base), OUT/report.md (what each alternative changes, the "
        "main table, the plot), OUT/comparison.png (the month each alternative takes "
        "effect marked, and the leaders it is about drawn) and OUT/comparison.json (what "
        "was compared, by which a rerun knows its own report); the main table is printed "
        "too. The change flags of run and ensemble (--set, --drop-event, --move-event) "
        "are not taken here: write each variant as an overlay file, so that the report "
        "shows what it changes.",
    )
    parser.add_argument(
        "base", type=user_path, metavar="BASE", help="the base scenario, e.g. the baseline"
    )
    parser.add_argument(
        "alternatives",
        type=user_path,
        nargs="+",
        metavar="ALT",
        help="an alternative scenario or counterfactual overlay (one or more)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        metavar="N",
        help=f"runs per scenario (default {DEFAULT_RUNS})",
    )
    parser.add_argument(
        "--out",
        type=user_path,
        default=None,
        help="output directory (default: outputs/compare-<base scenario name>)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="root seed of the runs' seeds in every scenario, and of the bootstrap (default 1)",
    )
    add_mode_argument(parser, "the scenarios'")
    add_free_from_argument(parser)
    add_parameter_arguments(parser, help=PARAMETERS_HELP)
    add_executor_arguments(parser)
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted ensemble (same scenario, seed, runs, mode, parameters "
        "and posterior sample) instead "
        "of starting it afresh; complete ones are reused either way",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=RESAMPLES,
        metavar="B",
        help=f"bootstrap resamples of the runs (default {RESAMPLES}, at most {MAX_RESAMPLES:,})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the report of another comparison found in --out (without it, "
        "compare refuses to overwrite it)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    add_figure_arguments(parser)
    parser.set_defaults(handler=handle)


def _load(paths: list[Path], free_from: str | None) -> tuple[list[Scenario], list[str]]:
    """Load every file (overlays resolved), branched ``free_from``; collect every problem.

    A bad ``--free-from`` is the same problem in every scenario: it is told once.
    """
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(branch_from_history(load_scenario(path), free_from))
        except ScenarioError as error:
            problems += error.problems
    return scenarios, list(dict.fromkeys(problems))


def _name_problems(scenarios: list[Scenario], paths: list[Path]) -> list[str]:
    """Scenario names that cannot name a directory, that two files share, or that name a file.

    Each ensemble is written to ``OUT/<name>/``: a scenario named like the report's own
    files (``report.md``) would have the comparison run every ensemble, then fail to
    write its report over the directory.
    """
    problems, seen = [], {}
    for scenario, path in zip(scenarios, paths, strict=True):
        name = scenario.name
        if not _SAFE_NAME.match(name):
            problems.append(
                f"{path}: the scenario name {name!r} cannot name its ensemble's directory; "
                "use letters, digits, '.', '_' and '-'"
            )
        elif name in OWN_FILES:
            problems.append(
                f"{path}: the scenario name {name!r} is that of a file the comparison writes "
                "beside the ensembles' directories; give it another name (name: in the overlay)"
            )
        elif name in seen:
            problems.append(
                f"{path}: the scenario name {name!r} is also the name of {seen[name]}; "
                "each scenario of a comparison needs its own name (set name: in the overlay)"
            )
        else:
            seen[name] = path
    return problems


def _period_problems(scenarios: list[Scenario], paths: list[Path]) -> list[str]:
    """Alternatives whose period is not the base's, which no comparison can pair.

    Run *i* of every scenario is compared with run *i* of the base month by month: the
    final figures are labelled with the base's last month and each tenure is counted from
    the base's start, so an alternative ending in 1923 or starting in 1925 would be read
    as if it covered 1922-1926.
    """
    base, base_path = scenarios[0], paths[0]
    return [
        f"{path}: its period {scenario.start} to {scenario.end} is not that of the base "
        f"{base_path} ({base.start} to {base.end}); a comparison pairs runs over one period: "
        "give every scenario the base's start and end"
        for scenario, path in zip(scenarios[1:], paths[1:], strict=True)
        if (scenario.start, scenario.end) != (base.start, base.end)
    ]


def handle(args: argparse.Namespace) -> int:
    """Check, load, run or reuse the ensembles, compare them, write and print the results."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from simulation.experiments.compare.comparison import run_comparison
    from simulation.experiments.compare.report import (
        HEADLINE_BEYOND,
        branch_note,
        identical_note,
        mode_used,
        unchanged_note,
    )
    from simulation.experiments.ensemble import Ensemble, EnsembleError, make_executor
    from simulation.experiments.ensemble.scheduler import parse_address
    from simulation.experiments.ensemble.store import held
    from simulation.experiments.parameter_draws import DrawError
    from simulation.experiments.posterior import choose_for_comparison
    from simulation.model import Mode

    # Too many resamples were found after the runs, by the memory, once.
    counts = count_problems(args, {"bootstrap": MAX_RESAMPLES}, runs=1, workers=1, bootstrap=1)
    paths = [args.base, *args.alternatives]
    early = counts + out_problems(args, "compare", only_records=True)  # alone: told below
    scenarios, problems = _load(paths, args.free_from)
    if problems or counts:
        return report_problems(ScenarioError(problems + early))
    problems = _name_problems(scenarios, paths) + _period_problems(scenarios, paths)
    choices, figure_problems = figure_choices(args, scenarios[0])
    problems += figure_problems
    if problems:
        return report_problems(ScenarioError(problems + early))
    out_dir = args.out or Path("outputs") / f"compare-{scenarios[0].name}"
    if (problem := unusable_out(out_dir, command="compare", only_records=True)) is not None:
        return fail(problem)
    try:
        sources, notes = choose_for_comparison(args.parameters, scenarios, paths, args.posterior)
    except DrawError as error:
        return fail(str(error))
    for note in notes:
        note_parameters(note)

    noted = []

    def executor():
        made = make_executor(workers=args.workers, scheduler=args.scheduler)
        if not noted:  # once, not for every ensemble
            note_capped_workers(args.workers, made.workers)
            noted.append(made.workers)
        return made

    try:
        if args.scheduler is not None:
            parse_address(args.scheduler)
        ensembles = [
            Ensemble(
                scenario,
                runs=args.runs,
                seed=args.seed,
                mode=Mode(args.mode),
                scenario_file=str(path),
                parameters=choice.draws,
                parameters_note=choice.note,
            )
            for scenario, path, choice in zip(scenarios, paths, sources, strict=True)
        ]
        with held(out_dir, f"--out {out_dir}"):  # until its ensembles are read
            result = run_comparison(
                ensembles,
                out_dir,
                executor,
                resume=args.resume,
                progress=not args.quiet and sys.stderr.isatty(),
                resamples=args.bootstrap,
                force=args.force,
                announce=lambda name, report: _announce(name, report, out_dir, args.runs),
                figure_format=choices.format,
                leaders=choices.leaders,
            )
    except EnsembleError as error:
        return fail(str(error), status=error.status)
    except OSError as error:
        return fail(f"cannot write to {out_dir}: {error.strerror or error}", status=1)
    if result.unchanged:
        mode = mode_used(ensembles[0])
        note = unchanged_note(result.unchanged, scenarios[0].name, args.runs, mode)
        print(f"interregnum: warning: {note}", file=sys.stderr)
    if (branching := branch_note(ensembles)) is not None:
        print(f"interregnum: warning: {branching}", file=sys.stderr)
    print()
    if len(scenarios) - 1 <= HEADLINE_BEYOND:
        print(result.main_table)
    else:
        print(result.headline)
        print(f"\nEvery outcome, with its interval: {out_dir / 'report.md'}")
    print()
    if result.identical:
        print(identical_note(result.identical, args.runs))
        print()
    print(f"wrote {', '.join(path.name for path in result.files)} to {out_dir}/")
    return 0


def _announce(name: str, report, out_dir: Path, runs: int) -> None:
    """One line per ensemble as it is ready: reused, or simulated in how long."""
    if report is None:
        print(f"{name}: reusing the {runs} runs in {out_dir / name}/")
        return
    resumed = f" ({report.already_done} were done)" if report.already_done else ""
    print(
        f"{name}: simulated {report.simulated} runs{resumed} in {report.seconds:.1f} s; "
        f"{report.executor}"
    )
