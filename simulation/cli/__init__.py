"""The ``interregnum`` command line.

Each subcommand lives in its own module of this package: ``register`` adds its
arguments, ``handle`` calls the library. Bad input ends with one line per problem on
stderr and exit status 2; a traceback is a bug.

The handlers import the model, the plots and the calibration inside ``handle``, and
:func:`main` numba only for a command that simulates: at module level they made
``interregnum --help`` take 3.8 s instead of about 0.3 s here (numba, mesa, matplotlib,
scipy and pyabc take ~2.5 s to import), and ``validate`` and ``diff`` never need them.
No import is deferred to break a cycle.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator

from simulation import __version__
from simulation.cli import (
    assess,
    calibrate,
    compare,
    dashboard,
    diff,
    discover,
    ensemble,
    run,
    score,
    sensitivity,
    validate,
)
from simulation.cli.common import EXIT_BAD_INPUT

COMMANDS = (
    run,
    validate,
    ensemble,
    compare,
    diff,
    calibrate,
    score,
    assess,
    sensitivity,
    discover,
    dashboard,
)
SIMULATING = {
    "run",
    "ensemble",
    "compare",
    "calibrate",
    "assess",
    "sensitivity",
    "discover",
    "dashboard",
}
"""Commands that run the model, and so wait for its compilation on first use."""


class Terminated(KeyboardInterrupt):
    """A SIGTERM (a batch system's time limit, ``kill``), raised as an interrupt is.

    So that what an interrupt sets right runs for it too: a pool's workers are ended
    and an ensemble's manifest says how far it got, instead of the process dying where
    it stood, leaving workers running and printing their tracebacks.
    """


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _terminated_as_interrupt(command: str) -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM while ``command`` runs, then restore the handler.

    Not for the dashboard, whose web server ends on SIGTERM its own way, nor from a
    thread other than the main one, where no handler can be set.
    """
    if command == "dashboard" or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser with every subcommand registered, and each subcommand's own parser."""
    parser = argparse.ArgumentParser(
        prog="interregnum",
        description="Replay and perturb the struggle for the Soviet party leadership, 1922-1926.",
        epilog="Run 'interregnum COMMAND --help' for the options of a command.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"interregnum {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    for subcommand in commands.choices.values():
        # argparse would read `sensitivity --runs 10` as --runs-per-point 10 and run a study
        # of 5,800 runs: a flag another command has must not be taken for one it resembles.
        subcommand.allow_abbrev = False
    return parser, commands.choices


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered."""
    return _parsers()[0]


_PAGE_ASKS = {"grace": math.inf}
"""The dashboard's clock: it compiles in this process when a page asks for a run, maybe
never, however long the server has been up."""


def _month_of(args: argparse.Namespace) -> tuple[str, str]:
    """The compiled month a command runs, and about how long compiling it takes here.

    A replay (``--mode replay`` without ``--free-from``) never decides, so it compiles
    only the mechanisms (:func:`simulation.model.month.replay_month`); the leaders'
    decisions are most of the rest (``benchmarks/first_run.py``). A scenario file that
    branches from history by itself (``free_from:``) is read later, and compiles the
    decisions then without this notice. A command whose mode depends on its other
    options (``run``: free for an ensemble's run) says it with ``mode_of``. The decisions
    alone, after a replay has compiled the mechanisms, take about a quarter of a minute less
    (the README's figures).
    """
    from simulation.model import compiled

    mode = args.mode_of(args) if hasattr(args, "mode_of") else getattr(args, "mode", "free")
    if mode == "replay" and getattr(args, "free_from", None) is None:
        return "replay_month", "about half a minute"
    if compiled.machine_code_cached("replay_month"):  # the mechanisms are compiled already
        return "simulate_month", "about a minute and a quarter"
    return "simulate_month", "about a minute and a half"


def _flags_meant(command: argparse.ArgumentParser, unknown: list[str]) -> str:
    """`` (--runs: did you mean --runs-per-point?)`` for unknown flags close to the command's."""
    flags = [flag for action in command._actions for flag in action.option_strings]
    hints = []
    for word in unknown:
        flag = word.split("=")[0]
        if not flag.startswith("--"):
            continue
        if flag in flags:  # the command has it: it came after `--`, which ends the options
            hints.append(f"{flag}: an option after '--' is read as a file; put it before '--'")
            continue
        near = [f for f in flags if f.startswith(flag)] or difflib.get_close_matches(flag, flags)
        if near:
            hints.append(f"{flag}: did you mean {' or '.join(near[:3])}?")
    return f" ({'; '.join(hints)})" if hints else ""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``interregnum`` console script."""
    _print_any_character()
    parser, commands = _parsers()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's parser, with its usage, not the bare top level's
        command = commands[args.command]
        command.error(
            f"unrecognized arguments: {' '.join(unknown)}{_flags_meant(command, unknown)}"
        )
    # After parsing: --help and a bad flag need nothing of it. The dashboard's records
    # come from its page, which its command line would not give again.
    from simulation.output.invocation import record_invocation

    if args.command != "dashboard":
        record_invocation(sys.argv[1:] if argv is None else list(argv))
    clock = contextlib.nullcontext()
    if args.command in SIMULATING:
        # Imported here, as the handlers import theirs: numba is a fifth of a second.
        import numba

        from simulation.cli.compiling import CompilingClock
        from simulation.model import compiled

        if numba.config.DISABLE_JIT:  # the state is a compiled object; Python cannot step it
            print(
                "interregnum: the model runs only as compiled code, and NUMBA_DISABLE_JIT is "
                "set: unset it to run the model",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        try:
            compiled.check_machine_code()  # stale code goes first, so the message below is true
        except compiled.NoMachineCodeCache as error:
            print(f"interregnum: {error}", file=sys.stderr)
            return 1
        month, wait = _month_of(args)
        if not compiled.machine_code_cached(month):
            clock = CompilingClock(
                lambda: compiled.machine_code_cached(month),
                sys.stderr,
                f"compiling the model for this machine (once, {wait})",
                **_PAGE_ASKS if args.command == "dashboard" else {},
            )
    try:
        with _terminated_as_interrupt(args.command), clock:
            return args.handler(args)
    except Terminated:
        print("interregnum: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("interregnum: interrupted", file=sys.stderr)
        return 130
    except MemoryError:  # a count no check bounded (the commands refuse those they know)
        print(
            "interregnum: not enough memory for what was asked: ask for fewer runs, samples "
            "or resamples",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return _reader_gone()


def _print_any_character() -> None:
    r"""Let stdout and stderr print what their encoding cannot, as ``\u2192`` escapes.

    The messages name the scenarios' places and people, arrows and section signs; a
    stream that is not UTF-8 (Windows' cp1252 when output is redirected,
    ``PYTHONIOENCODING=ascii``) raised on the first of them, after the outputs were
    written, and a script saw a failed command.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _reader_gone() -> int:
    """Stop quietly when the reader of stdout has gone (``diff A B | head``), as Unix tools do.

    Python would otherwise print a traceback, and again when it flushes stdout at exit:
    stdout is pointed at the null device first (the recipe of Python's ``signal`` docs).
    """
    with contextlib.suppress(OSError, ValueError):  # ValueError: stdout has no descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + getattr(signal, "SIGPIPE", 13)  # Windows has no SIGPIPE; Unix's number
