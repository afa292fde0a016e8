"""``interregnum validate``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from simulation.cli.common import EXIT_BAD_INPUT, summary, user_path
from simulation.scenario import ScenarioError, load_scenario


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = commands.add_parser(
        "validate",
        help="check scenario files without running them",
        description="Check scenario files; print 'ok' and a summary for each valid file, or "
        "every problem found (file:line: field: what was expected). Exit status 2 if any "
        "file has problems.",
    )
    parser.add_argument(
        "files", type=user_path, nargs="+", metavar="FILE", help="scenario YAML file"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate each file in turn; report all of them, then fail if any failed.

    Refused files close with one line counting their problems, as the commands that
    run do, so that a long list read from the bottom says how much there is to mend.
    """
    problems, refused = 0, 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            problems, refused = problems + len(error.problems), refused + 1
            continue
        print(f"{path}: ok\n  {summary(scenario)}")
    if not refused:
        return 0
    print(
        f"interregnum: {problems} problem{'s' * (problems != 1)} in {refused} of "
        f"{len(args.files)} file{'s' * (len(args.files) != 1)}.",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT
