"""What several commands share: exit codes, problem reports, scenario summaries."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from simulation.calendar import Month
from simulation.experiments.compare.names import RECORD as COMPARISON_RECORD
from simulation.output.records import RecordError, read_record
from simulation.scenario import Scenario, ScenarioError
from simulation.scenario.messages import listing

EXIT_BAD_INPUT = 2
DEFAULT_PATTERNS = Path("calibration/patterns.yaml")


def user_path(text: str) -> Path:
    """A path given on the command line, ``~`` expanded as the shell does.

    The shell leaves ``--out=~/x`` and a quoted ``'~/x'`` alone: the commands made a folder
    named ``~`` in the working directory (which ``rm -rf ~`` would then clean up), and
    pyarrow, expanding it itself, wrote half an ensemble in the home folder.
    """
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~user of no such user, or no home: taken as typed
        return Path(text)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Where ensemble runs go: ``--workers K`` local processes or a Dask ``--scheduler``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="K",
        help="local worker processes (default: every core, and at most that many; "
        "1 runs in this process)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run on the Dask distributed cluster of this scheduler",
    )


def note_capped_workers(asked: int | None, given: int) -> None:
    """Say on stderr when ``--workers`` asked for more processes than there are cores."""
    if asked is not None and asked > given:
        print(
            f"interregnum: --workers {asked}: this machine gives {given} core"
            f"{'s' * (given != 1)}; using {given} (more would not change the results, only "
            "use memory)",
            file=sys.stderr,
        )


class _RetiredTargets(argparse.Action):
    """``--targets`` named the old targets file; say what replaced it instead of running."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.exit(
            EXIT_BAD_INPUT,
            "interregnum: --targets was replaced by --patterns: the targets are now the "
            f"patterns of {DEFAULT_PATTERNS} (one definition for calibrate, score and assess)\n",
        )


def add_patterns_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--patterns`` option of the commands that score runs against history."""
    parser.add_argument(
        "--patterns",
        type=user_path,
        metavar="FILE",
        default=DEFAULT_PATTERNS,
        help=f"historical patterns file (default {DEFAULT_PATTERNS})",
    )
    parser.add_argument("--targets", action=_RetiredTargets, help=argparse.SUPPRESS)


def report_problems(error: ScenarioError) -> int:
    """Print every problem and a closing line on stderr; return the bad-input status."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"interregnum: {count} problem{'s' * (count != 1)}; nothing was run.", file=sys.stderr)
    return EXIT_BAD_INPUT


def add_mode_argument(parser: argparse.ArgumentParser, runs: str = "the scenario's") -> None:
    """``--mode`` for the commands that run many runs, free by default (``run`` has its own)."""
    parser.add_argument(
        "--mode",
        choices=["free", "replay"],
        default="free",
        help=f"free: decisions emerge from the mechanisms (default); replay: {runs} "
        "decisions are forced on their dates",
    )


def month_problems(args: argparse.Namespace, **flags: str) -> list[str]:
    """Read each ``YYYY-MM`` flag in place (``attribute=flag``); the problem of each that is none.

    Read here, not by argparse, so that a malformed month is named with the command's
    other bad flags rather than alone (argparse stops at the first). A flag left out
    (None), or a default already a month, is left as it is; a malformed one becomes None.
    """
    problems = []
    for attribute, flag in flags.items():
        text = getattr(args, attribute)
        if not isinstance(text, str):
            continue
        try:
            setattr(args, attribute, Month.parse(text))
        except ValueError as error:
            setattr(args, attribute, None)
            problems.append(f"{flag} {text}: {error}")
    return problems


def count_problems(
    args: argparse.Namespace, maximums: dict[str, int] | None = None, **minimums: int
) -> list[str]:
    """Each count flag out of its bounds (a flag left out, None, is not one), and the seed.

    Asked before any scenario is run, so that one attempt names every bad number rather
    than the first; the ensemble's own checks stay behind them for callers in Python.
    A maximum bounds a count that would otherwise hang or exhaust the memory before the
    first run (a list of 10**10 seeds).
    """
    from simulation.experiments.seeds import SeedError, check_seed  # numpy: not at start-up

    problems = [
        f"--{name.replace('_', '-')} must be at least {minimum}, got {value}"
        for name, minimum in minimums.items()
        if (value := getattr(args, name)) is not None and value < minimum
    ]
    problems += [
        f"--{name.replace('_', '-')} must be at most {maximum:,}, got {value:,}"
        for name, maximum in (maximums or {}).items()
        if (value := getattr(args, name)) is not None and value > maximum
    ]
    try:
        check_seed(args.seed)
    except SeedError as error:
        problems.append(str(error))
    return problems


def fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    """Print one ``interregnum: message`` line on stderr and return ``status``."""
    print(f"interregnum: {message}", file=sys.stderr)
    return status


MANIFEST_COMMANDS = frozenset({"assess", "calibrate", "ensemble", "run", "sensitivity"})
"""The commands that write a ``manifest.json``; each names itself in its ``command``."""
MANIFEST_KEYS = (
    ("assess", "hold_out_parameters"),
    ("calibrate", "fitted_patterns"),
    ("ensemble", "sessions"),
)
"""For a manifest written before manifests named their command: the command whose
manifest holds a key that no other command's holds. ``run``'s is the one with a seed
and without ``runs`` (:func:`outputs_of`), as the ensemble's own check of its folder
tells them apart."""
RECORD_FILES = (
    ("compare", COMPARISON_RECORD),
    ("discover", "discovery.json"),
    ("discover", "boxes.md"),
    ("sensitivity", "indices.csv"),
)
"""The command whose folder holds a file that no other command writes."""


def _manifest(folder: Path) -> dict | None:
    """The folder's ``manifest.json`` as a JSON object, or None (none, or unreadable)."""
    try:
        return read_record(folder / "manifest.json")
    except RecordError:
        return None


def outputs_of(folder: Path) -> tuple[str, str] | None:
    """The command whose outputs ``folder`` holds, and the file that says so; or None.

    Each command leaves a record of what it wrote (a ``manifest.json``, or
    ``comparison.json`` for ``compare``), by which it recognises its own earlier outputs;
    the same records tell another command's apart.
    """
    if not folder.is_dir():
        return None
    for command, name in RECORD_FILES:
        if (folder / name).exists():
            return command, name
    manifest = _manifest(folder)
    if manifest is None:
        return None
    if manifest.get("command") in MANIFEST_COMMANDS:
        return manifest["command"], "manifest.json"
    for command, key in MANIFEST_KEYS:
        if key in manifest:
            return command, "manifest.json"
    if "runs" not in manifest and "seed" in manifest:
        return "run", "manifest.json"
    return None


def foreign_outputs(path: Path, command: str, flag: str = "--out") -> str | None:
    """Why ``command`` must not write into ``path``: it holds another command's outputs.

    Commands share file names (``report.md``, ``manifest.json``): one writing into
    another's folder would overwrite its report, or leave a folder whose files no
    longer belong together.
    """
    found = outputs_of(path)
    if found is None or found[0] == command:
        return None
    other, record = found
    return (
        f"{flag} {path} holds the outputs of `interregnum {other}` (its {record} is there); "
        f"{command} will not write into it: choose another {flag}"
    )


def unrecorded_files(path: Path, command: str, flag: str = "--out") -> str | None:
    """Why ``command`` must not write into ``path``: it holds files no command left a record of.

    For a command that writes a fixed set of names into its folder: a folder of the
    user's own, holding notes or another study's ``summary.md``, would lose them. Hidden
    files (a killed write's leftovers) are not counted, nor the folders of the command's
    own ensembles (a study or a comparison stopped before its report, to ``--resume``).
    """
    if not path.is_dir() or outputs_of(path) is not None:
        return None
    names = sorted(
        entry.name
        for entry in path.iterdir()
        if not entry.name.startswith(".") and not _ensemble_folder(entry)
    )
    if not names:
        return None
    return (
        f"{flag} {path} holds files that no interregnum command's record describes "
        f"({listing(names)}); {command} will not write into it: choose a new or empty directory"
    )


def _ensemble_folder(entry: Path) -> bool:
    """Whether ``entry`` is where a study or a comparison streams an ensemble, begun or not."""
    if not entry.is_dir():
        return False
    found = outputs_of(entry)
    return found[0] == "ensemble" if found else all(e.name.startswith(".") for e in entry.iterdir())


def unusable_out(
    path: Path,
    flag: str = "--out",
    directory: bool = True,
    command: str | None = None,
    only_records: bool = False,
) -> str | None:
    """Why ``path`` cannot become the directory (else the file) a command writes, or None.

    Asked before any run, so that minutes of runs are not lost to a mistyped path:
    the path is a file where a directory is wanted (or the reverse), a file stands
    where one of its parent directories should be, the nearest existing directory
    cannot be written in or the directories missing below it cannot be made there (they
    are made and removed again: ``/proc`` and ``/sys`` refuse what permissions allow), or
    (if ``command`` names the command asking) the directory holds another command's
    outputs (:func:`foreign_outputs`) or, with ``only_records``, files no command
    recorded (:func:`unrecorded_files`).
    """
    if path.exists() and path.is_dir() != directory:
        return f"{flag} {path} exists and is not a {'directory' if directory else 'file'}"
    if command is not None and (
        problem := foreign_outputs(path, command, flag)
        or (unrecorded_files(path, command, flag) if only_records else None)
    ):
        return problem
    for place in ((path,) if directory else ()) + tuple(path.parents):
        if not place.exists():
            continue
        if not place.is_dir():
            return f"{flag} {path}: {place} is a file, not a directory"
        if not os.access(place, os.W_OK | os.X_OK):
            return f"{flag} {path}: cannot write in {place} (permission denied)"
        return _cannot_make(path if directory else path.parent, place, flag, path)
    return None


def out_problems(args: argparse.Namespace, command: str, only_records: bool = False) -> list[str]:
    """The problem of an ``--out`` given, asked before the scenario is read.

    So that an attempt refused for its scenario or its flags names a bad ``--out`` too,
    rather than on the next attempt. Left out, the default folder depends on the
    scenario's name, and the command asks :func:`unusable_out` once it has it.
    """
    if args.out is None:
        return []
    problem = unusable_out(args.out, command=command, only_records=only_records)
    return [] if problem is None else [problem]


def _cannot_make(target: Path, existing: Path, flag: str, path: Path) -> str | None:
    """Make the directories from ``existing`` down to ``target``, then remove them again.

    Returns why one could not be made, or None. Nothing is left behind either way.
    """
    missing = [target, *target.parents]
    missing = missing[: missing.index(existing)]  # unusable_out found it among them
    made = []
    try:
        for directory in reversed(missing):
            if directory.is_symlink() and not directory.exists():
                return f"{flag} {path}: {directory} is a symbolic link to nothing"
            try:
                directory.mkdir()
            except FileExistsError:
                if not directory.is_dir():
                    raise
                continue  # 'x/..': there already, and not ours to remove
            made.append(directory)
    except OSError as error:
        return f"{flag} {path}: cannot make {directory} ({error.strerror or error})"
    finally:
        for directory in reversed(made):
            with contextlib.suppress(OSError):
                directory.rmdir()
    return None


def summary(scenario: Scenario) -> str:
    """One line: the period and how many leaders, posts, organisations and events."""
    decisions = sum(event.kind == "decision" for event in scenario.events)
    return (
        f"{scenario.name}: {scenario.start} to {scenario.end}, {len(scenario.leaders)} leaders, "
        f"{len(scenario.posts)} posts, {len(scenario.organisations)} organisations, "
        f"{len(scenario.factions)} factions, {len(scenario.events)} events "
        f"({decisions} decisions, {len(scenario.events) - decisions} exogenous)"
    )


def run_on_executor(
    args: argparse.Namespace,
    out_dir: Path,
    start: Callable[[object, bool], object],
    errors: type[Exception],
) -> tuple[object | None, int]:
    """Run ``start(executor, progress)`` on the executor the flags ask for.

    The study commands (``sensitivity``, ``discover``) share this: the executor of
    ``--workers``/``--scheduler`` (a capped ``--workers`` is noted), a progress bar on a
    terminal unless ``--quiet``, and one line with its exit status for each way it can fail.

    Returns:
        ``(result, 0)``, or ``(None, status)`` once the failure has been printed.
    """
    # Imported here for the start-up time of --help (see the cli package docstring).
    from simulation.experiments.ensemble import EnsembleError, make_executor
    from simulation.experiments.ensemble.store import held

    try:
        with held(out_dir, f"--out {out_dir}"):  # until the study has read its runs
            executor = make_executor(workers=args.workers, scheduler=args.scheduler)
            note_capped_workers(args.workers, executor.workers)
            return start(executor, not args.quiet and sys.stderr.isatty()), 0
    except errors as error:
        return None, fail(str(error))
    except EnsembleError as error:
        return None, fail(str(error), status=error.status)
    except OSError as error:
        return None, fail(f"cannot write to {out_dir}: {error.strerror or error}", status=1)
