"""The ``interregnum`` command line.

Each subcommand lives in :mod:`simulation.commands`. Bad input ends with one
line per problem on stderr and exit status 2; a traceback is a bug.
"""

from __future__ import annotations

import argparse
import sys

from simulation import __version__
from simulation.commands import calibrate, compare, diff, ensemble, run, score, validate
from simulation.model import compiled

COMMANDS = (run, validate, ensemble, compare, diff, calibrate, score)
SIMULATING = {"run", "ensemble", "compare", "calibrate"}
"""Commands that run the model, and so wait for its compilation on first use."""


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="interregnum",
        description="Replay and perturb the struggle for the Soviet party leadership, 1922-1926.",
        epilog="Run 'interregnum COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"interregnum {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``interregnum`` console script."""
    args = build_parser().parse_args(argv)
    if args.command in SIMULATING and not compiled.machine_code_cached():
        print(
            "interregnum: compiling the model for this machine (once, about a minute)",
            file=sys.stderr,
        )
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interregnum: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
