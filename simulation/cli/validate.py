"""``interregnum validate``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.cli.common import EXIT_BAD_INPUT, summary
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
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="scenario YAML file")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Validate each file in turn; report all of them, then fail if any failed."""
    status = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        print(f"{path}: ok\n  {summary(scenario)}")
    return status
