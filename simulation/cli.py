"""The ``interregnum`` command line: run and validate scenarios.

Bad input ends with one line per problem on stderr and exit status 2; a
traceback is a bug.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation import __version__
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_hash

EXIT_BAD_INPUT = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interregnum",
        description="Replay and perturb the struggle for the Soviet party leadership, 1922-1926.",
        epilog="Run 'interregnum COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"interregnum {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="simulate one run of a scenario and write its tables and plot",
        description="Simulate one run of a scenario month by month and write trajectories.csv, "
        "posts.csv, events.csv, votes.csv, alliances.csv, factions.csv, membership.csv, "
        "loyalty.csv, manifest.json and influence.png to the output directory.",
    )
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument(
        "--mode",
        choices=["replay"],
        default="replay",
        help="replay: force every historical decision of the scenario on its date (default)",
    )
    run.add_argument(
        "--seed", type=int, default=1, help="seed of the model's generator (default 1)"
    )
    run.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output directory (default: outputs/<scenario name>)",
    )
    run.add_argument("--no-plot", action="store_true", help="skip influence.png")
    run.set_defaults(handler=_run)

    validate = commands.add_parser(
        "validate",
        help="check scenario files without running them",
        description="Check scenario files; print 'ok' and a summary for each valid file, or "
        "every problem found (file:line: field: what was expected). Exit status 2 if any "
        "file has problems.",
    )
    validate.add_argument("files", type=Path, nargs="+", metavar="FILE", help="scenario YAML file")
    validate.set_defaults(handler=_validate)
    return parser


def _summary(scenario: Scenario) -> str:
    decisions = sum(event.kind == "decision" for event in scenario.events)
    return (
        f"{scenario.name}: {scenario.start} to {scenario.end}, {len(scenario.leaders)} leaders, "
        f"{len(scenario.posts)} posts, {len(scenario.organisations)} organisations, "
        f"{len(scenario.factions)} factions, {len(scenario.events)} events "
        f"({decisions} decisions, {len(scenario.events) - decisions} exogenous)"
    )


def _report(error: ScenarioError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"interregnum: {count} problem{'s' * (count != 1)}; nothing was run.", file=sys.stderr)
    return EXIT_BAD_INPUT


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        print(f"{path}: ok\n  {_summary(scenario)}")
    return status


def _run(args: argparse.Namespace) -> int:
    from simulation.model import Mode, PartyModel
    from simulation.output import manifest, write_run
    from simulation.plots import plot_influence

    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        return _report(error)
    out_dir = args.out or Path("outputs") / scenario.name
    if out_dir.exists() and not out_dir.is_dir():
        print(f"interregnum: --out {out_dir} exists and is not a directory", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = PartyModel(scenario, seed=args.seed, mode=Mode(args.mode)).run()
    run_manifest = manifest(result, str(args.scenario), scenario_hash(scenario), overrides=[])
    try:
        written = write_run(result, out_dir, run_manifest)
        if not args.no_plot:
            plot_path = out_dir / "influence.png"
            plot_influence(result["trajectories"], scenario, plot_path)
            written.append(plot_path)
    except OSError as error:
        print(f"interregnum: cannot write to {out_dir}: {error.strerror or error}", file=sys.stderr)
        return 1
    final = result["trajectories"]
    final = final[final["date"] == str(scenario.end)].nlargest(3, "power")
    leaders = ", ".join(f"{row.leader} {row.power:.2f}" for row in final.itertuples())
    print(f"{args.mode}: {_summary(scenario)}; seed {args.seed}")
    print(f"power share at {scenario.end}: {leaders}")
    print(f"wrote {len(written)} files to {out_dir}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``interregnum`` console script."""
    args = _build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interregnum: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
