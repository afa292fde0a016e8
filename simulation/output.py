"""Write a run's files under an output directory, never leaving a half-written file.

Each file is written under a temporary name in the same directory and then
renamed over the old one, which is atomic on POSIX: a reader (or a crash)
sees either the complete old file or the complete new one.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from simulation.model.recorder import RunResult

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
VERSIONED_PACKAGES = ("interregnum", "mesa", "numpy", "pandas", "matplotlib", "pydantic", "pyyaml")


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Versions of Python and of the packages a result depends on (plus ``extra`` ones)."""
    versions = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES + extra:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and rename the result to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def manifest(
    result: RunResult, scenario_path: str, scenario_hash: str, overrides: list[str]
) -> dict:
    """What is needed to reproduce a run: scenario and its hash, overrides, seed, versions."""
    return {
        "scenario": result.scenario_name,
        "scenario_file": scenario_path,
        "scenario_sha256": scenario_hash,
        "overrides": overrides,
        "seed": result.seed,
        "mode": result.mode,
        "files": [f"{name}.csv" for name in CSV_FILES],
        "versions": package_versions(),
    }


def write_run(result: RunResult, out_dir: Path, run_manifest: dict) -> list[Path]:
    """Write every frame as CSV and the manifest; return the paths written."""
    written = []
    for name in CSV_FILES:
        path = out_dir / f"{name}.csv"
        frame = result[name]
        write_atomically(path, lambda temporary, frame=frame: frame.to_csv(temporary, index=False))
        written.append(path)
    path = out_dir / "manifest.json"
    write_text(path, json.dumps(run_manifest, indent=2, sort_keys=True) + "\n")
    written.append(path)
    return written
