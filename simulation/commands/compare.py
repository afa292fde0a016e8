"""``interregnum compare``: paired ensembles of a base and alternatives, and their differences."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from simulation.commands.common import add_executor_arguments, fail, report_problems
from simulation.scenario import Scenario, ScenarioError, load_scenario

DEFAULT_RUNS = 1000
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
    from simulation.compare import RESAMPLES

    parser = commands.add_parser(
        "compare",
        help="paired ensembles of a base scenario and alternatives: outcome probabilities "
        "and differences with bootstrap intervals",
        description="Simulate (or reuse) one ensemble per scenario under OUT/<scenario name>/, "
        "all with the same root seed, so that run i has the same seed in every scenario "
        "(common random numbers). An ensemble already complete there with the same scenario, "
        "seed, runs and mode is reused without running anything. From their summaries, write "
        "OUT/comparison.csv (every metric of every scenario with a 95% percentile bootstrap "
        "interval, and each alternative's paired difference from the base), OUT/report.md "
        "(what each alternative changes, the main table, the plot) and OUT/comparison.png; "
        "the main table is printed too. The change flags of run and ensemble (--set, "
        "--drop-event, --move-event) are not taken here: write each variant as an overlay "
        "file, so that the report shows what it changes.",
    )
    parser.add_argument(
        "base", type=Path, metavar="BASE", help="the base scenario, e.g. the baseline"
    )
    parser.add_argument(
        "alternatives",
        type=Path,
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
        type=Path,
        default=None,
        help="output directory (default: outputs/compare-<base scenario name>)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="root seed of the runs' seeds in every scenario, and of the bootstrap (default 1)",
    )
    parser.add_argument(
        "--mode",
        choices=["free", "replay"],
        default="free",
        help="free: decisions emerge from the mechanisms (default); replay: the scenarios' "
        "decisions are forced on their dates",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted ensemble (same scenario, seed, runs and mode) instead "
        "of starting it afresh; complete ones are reused either way",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=RESAMPLES,
        metavar="B",
        help=f"bootstrap resamples of the runs (default {RESAMPLES})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=handle)


def _load(paths: list[Path]) -> tuple[list[Scenario], list[str]]:
    """Load every file (overlays resolved), collecting the problems of all of them."""
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems += error.problems
    return scenarios, problems


def _name_problems(scenarios: list[Scenario], paths: list[Path]) -> list[str]:
    """Scenario names that cannot name a directory, or that two files share."""
    problems, seen = [], {}
    for scenario, path in zip(scenarios, paths, strict=True):
        name = scenario.name
        if not _SAFE_NAME.match(name):
            problems.append(
                f"{path}: the scenario name {name!r} cannot name its ensemble's directory; "
                "use letters, digits, '.', '_' and '-'"
            )
        elif name in seen:
            problems.append(
                f"{path}: the scenario name {name!r} is also the name of {seen[name]}; "
                "each scenario of a comparison needs its own name (set name: in the overlay)"
            )
        else:
            seen[name] = path
    return problems


def _is_complete(out_dir: Path, identity: dict) -> bool:
    """Whether ``out_dir`` holds this ensemble, finished and consolidated."""
    from simulation.ensemble import MATCHING_KEYS

    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(manifest, dict)
        and manifest.get("status") == "complete"
        and all(manifest.get(key) == identity[key] for key in MATCHING_KEYS)
        and (out_dir / "summary.parquet").is_file()
        and (out_dir / "quantiles.parquet").is_file()
    )


def handle(args: argparse.Namespace) -> int:
    """Check, load, run or reuse the ensembles, compare them, write and print the results."""
    from simulation.ensemble import Ensemble, EnsembleError, make_executor, run_ensemble
    from simulation.model import Mode

    if args.bootstrap < 1:
        return fail(f"--bootstrap must be at least 1, got {args.bootstrap}")
    if args.workers is not None and args.workers < 1:
        return fail(f"--workers must be at least 1, got {args.workers}")
    paths = [args.base, *args.alternatives]
    scenarios, problems = _load(paths)
    if problems:
        return report_problems(ScenarioError(problems))
    problems = _name_problems(scenarios, paths)
    if problems:
        return report_problems(ScenarioError(problems))
    out_dir = args.out or Path("outputs") / f"compare-{scenarios[0].name}"
    try:
        ensembles = [
            Ensemble(
                scenario,
                runs=args.runs,
                seed=args.seed,
                mode=Mode(args.mode),
                scenario_file=str(path),
            )
            for scenario, path in zip(scenarios, paths, strict=True)
        ]
        if out_dir.exists() and not out_dir.is_dir():
            raise EnsembleError(f"--out {out_dir} exists and is not a directory")
        progress = not args.quiet and sys.stderr.isatty()
        reused = {}
        for ensemble in ensembles:
            name = ensemble.scenario.name
            directory = out_dir / name
            if _is_complete(directory, ensemble.identity()):
                reused[name] = True
                print(f"{name}: reusing the {ensemble.runs} runs in {directory}/")
                continue
            reused[name] = False
            executor = make_executor(workers=args.workers, scheduler=args.scheduler)
            report = run_ensemble(
                ensemble, directory, executor, resume=args.resume, progress=progress
            )
            resumed = f" ({report.already_done} were done)" if report.already_done else ""
            print(
                f"{name}: simulated {report.simulated} runs{resumed} in {report.seconds:.1f} s; "
                f"{report.executor}"
            )
        written = _compare(args, ensembles, out_dir, reused)
    except EnsembleError as error:
        return fail(str(error), status=error.status)
    except OSError as error:
        return fail(f"cannot write to {out_dir}: {error.strerror or error}", status=1)
    print(f"wrote {', '.join(path.name for path in written)} to {out_dir}/")
    return 0


def _compare(args, ensembles, out_dir: Path, reused: dict[str, bool]) -> list[Path]:
    """Compare the ensembles' summaries; write the table, the plot and the report."""
    from simulation.compare import (
        LEVEL,
        compare_summaries,
        key_leaders,
        main_metrics,
        markdown_table,
    )
    from simulation.compare_plots import plot_comparison
    from simulation.ensemble import EnsembleError, read_table
    from simulation.output import write_atomically, write_text

    names = [ensemble.scenario.name for ensemble in ensembles]
    base = names[0]
    summaries = {name: read_table(out_dir / name, "summary") for name in names}
    quantiles = {name: read_table(out_dir / name, "quantiles") for name in names}
    try:
        table = compare_summaries(summaries, base, args.bootstrap, LEVEL, seed=args.seed)
    except ValueError as error:
        raise EnsembleError(str(error)) from None
    csv_path = out_dir / "comparison.csv"
    write_atomically(csv_path, lambda temporary: table.to_csv(temporary, index=False))
    base_scenario = ensembles[0].scenario
    leaders = key_leaders(table)
    plot_path = out_dir / "comparison.png"
    plot_comparison(
        table, quantiles, base, base_scenario, leaders, plot_path, runs=args.runs, level=LEVEL
    )
    metrics, constant = main_metrics(table)
    main_table = markdown_table(table, metrics, base, base_scenario)
    report_path = out_dir / "report.md"
    write_text(report_path, report_text(args, ensembles, reused, main_table, constant))
    print()
    print(main_table)
    print()
    return [csv_path, report_path, plot_path]


def report_text(
    args, ensembles, reused: dict[str, bool], main_table: str, constant: list[str]
) -> str:
    """The Markdown report: settings, what each alternative changes, the table, the plot."""
    from simulation.compare import metric_label
    from simulation.scenario import scenario_hash
    from simulation.scenario.diff import diff_scenarios, format_differences

    base_ensemble, alternatives = ensembles[0], ensembles[1:]
    base = base_ensemble.scenario
    title = ", ".join(ensemble.scenario.name for ensemble in alternatives)
    lines = [
        f"# {title} against {base.name}",
        "",
        f"{args.runs} runs per scenario in {args.mode} mode, root seed {args.seed}: run *i* has "
        "the same seed in every scenario (common random numbers), so the differences are "
        f"paired run by run. Intervals are 95% percentile bootstrap intervals over "
        f"{args.bootstrap} resamples of the runs, drawn with the same run indices in every "
        "scenario for the differences (`numpy.random.default_rng("
        f"{args.seed})`).",
        "",
        "| scenario | file | SHA-256 | ensemble |",
        "|---|---|---|---|",
    ]
    for ensemble in ensembles:
        name = ensemble.scenario.name
        state = "reused" if reused[name] else "simulated"
        lines.append(
            f"| {name} | `{ensemble.scenario_file}` | `{scenario_hash(ensemble.scenario)[:12]}` "
            f"| `{name}/` ({state}) |"
        )
    for ensemble in alternatives:
        differences = diff_scenarios(base, ensemble.scenario)
        text = format_differences(differences, base_ensemble.scenario_file, ensemble.scenario_file)
        lines += ["", f"## What {ensemble.scenario.name} changes", "", "```", text, "```"]
    lines += [
        "",
        "## Main outcomes",
        "",
        "Probabilities are shares of runs; power shares are means over runs; a removal "
        "timing is the mean number of months until the leader left the post, over the runs "
        "in which the leader did (n of them), beside the probability that the post was left "
        "at all. "
        "Differences are the alternative minus the base.",
        "",
        main_table,
        "",
    ]
    if constant:
        left_out = ", ".join(metric_label(metric, base).split(":")[0] for metric in constant)
        lines += [
            f"Left out, as they happen in the same month in every run of every scenario: "
            f"{left_out}.",
            "",
        ]
    lines += [
        "![P(dominant) per scenario and median power paths](comparison.png)",
        "",
        "Every metric (each leader's final power share, every removal timing, the congress "
        "votes) is in `comparison.csv`: metric, scenario, estimate, ci_low, ci_high, and for "
        "the alternatives the paired difference and its interval; n is the number of runs "
        "in which the metric is defined. Each ensemble's tables are in its directory "
        "(`summary.parquet`, `quantiles.parquet`, ...).",
        "",
    ]
    return "\n".join(lines)
