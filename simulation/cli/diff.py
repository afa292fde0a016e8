"""``interregnum diff``: what differs between two scenarios once they are resolved."""

from __future__ import annotations

import argparse

from simulation.cli.common import report_problems, user_path
from simulation.scenario import ScenarioError, load_scenario
from simulation.scenario.diff import diff_scenarios, format_differences


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``diff`` subcommand."""
    parser = commands.add_parser(
        "diff",
        help="show what differs between two scenarios (e.g. the baseline and a counterfactual)",
        description="Resolve two scenario files (overlays included) and print what differs: "
        "events added, dropped, moved and changed; parameters; leaders, posts, organisations "
        "and factions; the period. Exit status 2 if either file has problems.",
    )
    parser.add_argument("before", type=user_path, help="the first scenario, e.g. the baseline")
    parser.add_argument("after", type=user_path, help="the second scenario, e.g. a counterfactual")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Load both files, reporting the problems of each, then print their differences."""
    scenarios, problems = [], []
    for path in (args.before, args.after):
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems += error.problems
    if problems:  # closed by the count every other command ends its problems with
        return report_problems(ScenarioError(problems))
    before, after = scenarios
    print(format_differences(diff_scenarios(before, after), str(args.before), str(args.after)))
    return 0
