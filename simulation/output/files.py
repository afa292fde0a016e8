"""Write output files and directories so that a crash never leaves a damaged or mixed result.

- **A file** is written under a temporary name in its directory
  (``.NAME.PID.TOKEN.tmp``) and then renamed over the old one, which is atomic on
  POSIX: a reader (or a crash) sees either the complete old file or the complete new
  one. Files are created with mode ``0666`` less the umask, like any other program's,
  so that a class sharing a folder can read them.
- **A run's directory** is written whole into a new directory beside it and swapped
  in, so a run killed while writing never leaves the files of one seed beside the
  manifest of another: the earlier run's directory stays as it was until the new one
  is complete (see :func:`replace_directory`).
- **Leftovers** of a killed write (temporary files and directories whose process is
  gone) are removed by the next write to the same folder (:func:`remove_leftovers`).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from simulation.model import RunResult
from simulation.model.code_version import PACKAGE, model_digest
from simulation.output.formats import FORMATS
from simulation.output.invocation import invocation

if TYPE_CHECKING:
    import pandas as pd

CSV_FILES = (
    "trajectories",
    "posts",
    "tenures",
    "events",
    "votes",
    "alliances",
    "factions",
    "membership",
    "loyalty",
)
RUN_FIGURES = frozenset(
    {f"{stem}.{form}" for stem in ("influence", "network") for form in FORMATS} | {"network.gif"}
)
"""The figures ``interregnum run`` may write, in any of the formats offered."""
RUN_FILES = frozenset({f"{name}.csv" for name in CSV_FILES} | {"manifest.json"}) | RUN_FIGURES
"""Every file ``interregnum run`` writes; a run's directory holds nothing else."""
VERSIONED_PACKAGES = ("interregnum", "mesa", "numpy", "pandas", "matplotlib", "pydantic", "pyyaml")
LEGACY_LEFTOVER_AGE = 3600.0
"""Seconds after which a temporary file without a process id (earlier versions) is stale."""

_LEFTOVER = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{8}\.(?:tmp|writing)$")
_LEGACY_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class OutputError(Exception):
    """An output directory that cannot be written as asked (the message says why)."""


def provenance(extra: tuple[str, ...] = ()) -> dict[str, object]:
    """Where a record came from: the package versions and, written by a command, its line.

    A reviewer holding only an output folder types the command again: the record's
    fields do not all bear the flags' names (``resamples`` is ``--bootstrap``), and its
    paths are as typed, relative to a working folder it now names.
    """
    return {"versions": package_versions(extra), **invocation()}


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions of Python and of the packages a result depends on (plus ``extra`` ones).

    ``interregnum_commit`` names the code's git commit (:func:`source_commit`): the
    package's version stays ``0.1.0`` from commit to commit.
    """
    versions = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES + extra:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    versions["interregnum_commit"] = source_commit()
    return versions


@functools.cache
def source_commit(package: Path = PACKAGE) -> str:
    """The git commit ``package`` was checked out at, ``+changes`` if its tracked files differ.

    ``model_sha256`` tells whether two results came from the same rules; the commit tells
    where to find those rules again. ``not a git checkout`` when the package was installed
    from a release or git cannot be run.
    """

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", "-C", str(package), *arguments],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()

    try:
        git("ls-files", "--error-unmatch", "__init__.py")  # not a copy in an ignored folder
        commit = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"{commit}+changes" if changed else commit


def _temporary(path: Path, suffix: str) -> Path:
    """A name beside ``path`` that says which process is writing it."""
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.{suffix}"


def _process_gone(pid: int) -> bool:
    if os.name == "nt":  # signal 0 is CTRL_C_EVENT there: it would interrupt, not ask
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files and directories a killed write left in ``folder``.

    Only leftovers whose writing process is gone are removed, so that a write in
    progress elsewhere is never disturbed; temporary files of earlier versions, which
    do not name their process, once they are an hour old.

    Returns:
        What was removed.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.iterdir():
        match = _LEFTOVER.match(path.name)
        if match is not None:
            stale = _process_gone(int(match["pid"]))
        elif _LEGACY_LEFTOVER.match(path.name) and path.is_file():
            stale = now - path.stat().st_mtime > LEGACY_LEFTOVER_AGE
        else:
            continue
        if stale:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and rename the result to ``path``.

    The temporary file exists (empty, mode ``0666`` less the umask) when ``write`` is
    called; writers that replace it keep its mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path, "tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def csv_text(frame: pd.DataFrame, digits: int) -> str:
    """``frame`` as CSV, its floats to ``digits`` significant digits.

    A whole float keeps its ``.0``: with ``%g`` alone a column of rates that all came out
    whole (a null model's hits, a box of density 1) read back as integers in pandas and R.
    """

    def rounded(value: float) -> str:
        text = f"{value:.{digits}g}"
        return text if any(mark in text for mark in ".en") else f"{text}.0"

    return frame.to_csv(index=False, float_format=rounded)


def _previous(out_dir: Path) -> Path:
    """Where the earlier directory waits while the new one is swapped in."""
    return out_dir.parent / f".{out_dir.name}.previous"


def check_replaceable(out_dir: Path, allowed: frozenset[str], whose: str = "a run's") -> None:
    """Refuse an ``out_dir`` that :func:`replace_directory` would not replace.

    ``whose`` names, for the message, the outputs ``allowed`` holds the names of.

    An interrupted swap is undone first (the earlier directory is put back).

    Raises:
        OutputError: ``out_dir`` is not a directory, or holds names not in ``allowed``.
    """
    previous = _previous(out_dir)
    if previous.is_dir() and not out_dir.exists():
        os.rename(previous, out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} exists and is not a directory")
    if not out_dir.is_dir():
        return
    remove_leftovers(out_dir)
    foreign = sorted(path.name for path in out_dir.iterdir() if path.name not in allowed)
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise OutputError(
            f"--out {out_dir} holds files that are not {whose} ({', '.join(foreign[:5])}{more}); "
            "choose a new or empty directory"
        )


def replace_directory(
    out_dir: Path,
    fill: Callable[[Path], list[str]],
    allowed: frozenset[str],
    whose: str = "a run's",
) -> list[Path]:
    """Write a new directory with ``fill`` beside ``out_dir``, then swap it in.

    A directory already at ``out_dir`` may hold only names in ``allowed`` (else
    nothing is written): it is renamed aside, the new one renamed in, and the old one
    removed. If the process dies between the two renames, the next call puts the old
    directory back before starting, so an earlier result is never lost half-way.

    Args:
        out_dir: the directory to replace.
        fill: writes the files into the directory it is given; returns their names.
        allowed: the names an earlier directory at ``out_dir`` may hold.
        whose: what those are, for the refusal (:func:`check_replaceable`).

    Returns:
        The paths of the files under ``out_dir``.

    Raises:
        OutputError: ``out_dir`` is not a directory, or holds files of something else.
    """
    check_replaceable(out_dir, allowed, whose)
    parent, previous = out_dir.parent, _previous(out_dir)
    remove_leftovers(parent)
    parent.mkdir(parents=True, exist_ok=True)
    staging = _temporary(out_dir, "writing")
    os.mkdir(staging)
    try:
        names = fill(staging)
        if out_dir.is_dir():
            shutil.rmtree(previous, ignore_errors=True)
            os.rename(out_dir, previous)
        os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return [out_dir / name for name in names]


def manifest(
    result: RunResult,
    scenario_path: str,
    scenario_hash: str,
    overrides: list[str],
    parameters: dict[str, object],
) -> dict:
    """What is needed to reproduce a run: scenario and its hash, overrides, seed, versions.

    ``parameters`` says where the run's parameters came from (the point estimate, or a
    draw: :func:`simulation.experiments.parameter_draws.parameters_fields` and the values).
    """
    return {
        "command": "run",
        "scenario": result.scenario_name,
        "scenario_file": scenario_path,
        "scenario_sha256": scenario_hash,
        "overrides": overrides,
        "seed": result.seed,
        "mode": result.mode,
        "free_from": result.free_from,
        "model_sha256": model_digest(),
        **parameters,
        "files": [f"{name}.csv" for name in CSV_FILES],
        **provenance(),
    }


def write_run(
    result: RunResult,
    out_dir: Path,
    run_manifest: dict,
    figures: Callable[[Path], list[str]] | None = None,
) -> list[Path]:
    """Write every frame as CSV, the manifest and the figures; swap them in as one directory.

    Args:
        result: the run's frames.
        out_dir: the run's directory; an earlier run's there is replaced whole.
        run_manifest: from :func:`manifest`.
        figures: draws the figures into the directory it is given; returns their names.

    Returns:
        The paths written, the manifest after the tables.

    Raises:
        OutputError: ``out_dir`` holds something else than a run's files.
    """

    def fill(directory: Path) -> list[str]:
        names = []
        for name in CSV_FILES:
            frame = result[name]
            write_atomically(
                directory / f"{name}.csv",
                lambda temporary, frame=frame: frame.to_csv(temporary, index=False),
            )
            names.append(f"{name}.csv")
        write_text(
            directory / "manifest.json", json.dumps(run_manifest, indent=2, sort_keys=True) + "\n"
        )
        names.append("manifest.json")
        return names + (figures(directory) if figures is not None else [])

    return replace_directory(out_dir, fill, RUN_FILES)
