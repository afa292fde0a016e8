"""The ensemble's directory: parts, manifest, resume, consolidation.

- **Streaming.** Each finished chunk is written at once under ``DIR/parts/``, with a
  record of each part's checksum (:mod:`.parts`).
- **Resume.** A resumed ensemble keeps the complete chunks of the directory (after
  checking that its manifest describes the same ensemble), discards the rest and
  simulates only the missing runs.
- **Consolidation.** The parts are concatenated in run order into one file per table,
  in row groups of a fixed size, so the files do not depend on how the runs were
  chunked, on the executor or on the order in which chunks finished.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.experiments.ensemble.base import (
    MATCHING_KEYS,
    TABLES,
    Ensemble,
    EnsembleError,
)
from simulation.experiments.ensemble.parts import complete_chunks, part_path
from simulation.experiments.ensemble.quantiles import quantile_frame
from simulation.experiments.outcomes import (
    EVENT_SCHEMA,
    MEASURES,
    PARAMETER_SCHEMA,
    TENURE_SCHEMA,
    TRAJECTORY_SCHEMA,
    VOTE_SCHEMA,
    summary_schema,
)
from simulation.experiments.parameter_draws import parameters_fields
from simulation.output.files import (
    provenance,
    remove_leftovers,
    write_atomically,
    write_text,
)
from simulation.output.records import RecordError, read_record

TABLE_BYTES_PER_RUN = 1_500
"""A low estimate of one run's summary, tenures, events, votes and parameters in Parquet.
Measured on the baseline (100 runs, chunks of 25): 3,400 bytes a run in the parts, 1,700
consolidated; the monthly arrays, 32,900 bytes a run, are counted exactly. Low, so that
only an ensemble that cannot fit is refused."""
TRAJECTORY_BYTES_PER_ROW = 2
"""A low estimate of one trajectory row (run, month, leader, three measures) in Parquet:
measured 9 bytes in the parts and 8 consolidated in free mode, 2.4 and 1.5 in replay."""
ROW_GROUP_ROWS = 65_536
"""Rows per Parquet row group in the consolidated files."""
VERSIONED_EXTRAS = ("pyarrow", "distributed", "tqdm")
LOCK = ".writing.lock"
"""The file an ensemble's session holds locked while it writes the folder (:func:`held`)."""

try:
    import fcntl
except ImportError:  # Windows: no advisory locks of this kind; sessions go unguarded
    fcntl = None


def read_manifest(out_dir: Path) -> dict | None:
    """The directory's manifest, or ``None`` if it has none.

    Raises:
        EnsembleError: if the manifest cannot be read or is not a JSON object.
    """
    path = out_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        return read_record(path, "ensemble manifest")
    except RecordError as error:
        raise EnsembleError(f"{error}; choose another --out or remove the directory") from None


def _killed_at_start(out_dir: Path) -> bool:
    """Whether ``out_dir`` holds only what an ensemble killed before its manifest leaves.

    That is ``parts/`` (whose chunks are checked against their records before use)
    and the temporary files of writes cut short.
    """
    return all(
        (path.name == "parts" and path.is_dir())
        or (path.name.startswith(".") and path.name.endswith(".tmp"))
        or path.name == LOCK
        for path in out_dir.iterdir()
    )


_HELD: set[Path] = set()
"""The folders this process holds (:func:`held`), so that holding one again is a no-op."""


@contextlib.contextmanager
def held(out_dir: Path, named: str | None = None) -> Iterator[None]:
    """Hold ``out_dir`` while this process works in it: a second process is refused.

    Two sessions in one folder at once (the same command started twice, or ``--resume``
    while the first still runs) each simulated every missing run, the second told the
    first's runs were cut short and its manifest calling the first session killed; one
    started afresh once the first had simulated removed its tables while it read them.
    So the ensemble runner holds its folder, and a command its ``--out`` until it has
    written and read all it needs there. The lock is the kernel's, released when the
    process ends however it ends, so a killed command never leaves a folder held. Where
    the file system has no such locks (Windows, some network mounts) nothing is guarded.

    ``named`` is how the refusal names the folder (default :func:`_folder`'s words).
    """
    key = out_dir.resolve()
    if key in _HELD or (out_dir.exists() and not out_dir.is_dir()):
        yield  # held already by this process; or not a folder, which the checks refuse
        return
    made = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = out_dir / LOCK
    while True:
        handle = open(lock, "a")  # noqa: SIM115 (closed below, after the lock is let go)
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise EnsembleError(
                f"{named or _folder(out_dir)} is being written by another interregnum process "
                "now; wait for it to finish (the same command then reuses its runs), or stop "
                "it and run again with --resume"
            ) from None
        except OSError:
            pass  # a file system without locks
        # Its holder removes the file before letting it go: a lock won on a removed file
        # is no lock, and is taken again on the file now there.
        if lock.exists() and os.path.samestat(os.fstat(handle.fileno()), lock.stat()):
            break
        handle.close()
    _HELD.add(key)
    try:
        yield
    finally:
        _HELD.discard(key)
        lock.unlink(missing_ok=True)
        handle.close()
        if made and not any(out_dir.iterdir()):  # refused before writing anything
            out_dir.rmdir()


def check_directory(out_dir: Path, ensemble: Ensemble, resume: bool) -> None:
    """Refuse a directory that holds another ensemble, or this one's unfinished runs.

    Without ``resume``, the finished runs of this same ensemble cut short are refused
    too: starting afresh would lose them. The refusals name ``out_dir`` as
    :func:`_folder` says, which is the user's ``--out`` only for ``interregnum ensemble``.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise EnsembleError(f"{_folder(out_dir)} exists and is not a directory")
    if not out_dir.exists() or all(path.name == LOCK for path in out_dir.iterdir()):
        return
    remove_leftovers(out_dir)
    manifest = read_manifest(out_dir)
    if manifest is None and _killed_at_start(out_dir):
        return
    if manifest is None:
        raise EnsembleError(
            f"{_folder(out_dir)} is not empty and holds no ensemble manifest.json; "
            "choose another --out, a new or empty directory"
        )
    if "runs" not in manifest:  # what `run` writes: one run's tables, not an ensemble's
        raise EnsembleError(
            f"{_folder(out_dir)} holds a single run's outputs, not an ensemble; "
            "choose another --out"
        )
    ours = ensemble.identity()
    differences = [
        _difference(key, manifest.get(key), ours.get(key))
        for key in MATCHING_KEYS
        if manifest.get(key) != ours.get(key)
    ]
    if differences:
        action = "resume it" if resume else "write into it"
        raise EnsembleError(
            f"{_folder(out_dir)} holds a different ensemble ({'; '.join(differences)}); "
            f"will not {action}: choose another --out or remove {out_dir}"
        )
    if not resume and manifest.get("status") != "complete":
        done = complete_chunks(out_dir / "parts", ensemble.tables, ensemble.runs, ensemble.key())
        if done:
            finished = sum(last - first + 1 for first, last in done)
            raise EnsembleError(
                f"{_folder(out_dir)} holds {finished} finished runs of this same ensemble, "
                f"cut short; will not discard them: add --resume to keep them and simulate "
                f"the rest, or remove {out_dir} to start afresh"
            )


def _folder(out_dir: Path) -> str:
    """How a refusal names the folder of the ensemble's runs: as that, not as ``--out``.

    ``interregnum ensemble`` writes into ``--out`` itself, but a comparison keeps each
    ensemble in ``OUT/<scenario name>/`` and a study its runs in ``OUT/runs/``: the
    folder refused is then inside the one the user gave, and the message says whose it is.
    """
    return f"the folder of this ensemble's runs, {out_dir},"


def _difference(key: str, there: object, here: object) -> str:
    """One way a directory's ensemble differs from this one, as the refusal names it."""
    if key == "model_sha256":
        return f"another version of the model's code ({key} {there!r} there, {here!r} here)"
    if key == "scenario_sha256":  # the digests alone say nothing a user can act on
        return (
            "another scenario: its file, an overlay it extends or a --set, --drop-event, "
            f"--move-event or --free-from differs ({key} {str(there)[:12]}… there, "
            f"{str(here)[:12]}… here)"
        )
    # A study's points, labelled by their digest: a discovery's levers, a sensitivity sample.
    if key == "parameters" and all(str(value).startswith("levers ") for value in (there, here)):
        return "other points to run (another levers file, design or number of runs)"
    if key == "parameters" and all(str(value).startswith("sample ") for value in (there, here)):
        return "other points to run (another method, sample size or parameters varied)"
    if key == "posterior_sha256" and None in (there, here):
        return "a posterior sample there, none here" if there else "none there, one here"
    if key == "posterior_sha256":
        return f"another posterior sample, or the same file changed ({key} differs)"
    return f"{key} {there!r} there, {here!r} here"


def clear_outputs(out_dir: Path) -> None:
    """Remove an earlier ensemble's parts and consolidated files before starting afresh."""
    shutil.rmtree(out_dir / "parts", ignore_errors=True)
    for name in OUTPUT_FILES:
        (out_dir / name).unlink(missing_ok=True)


OUTPUT_FILES = tuple(f"{table}.parquet" for table in TABLES) + (
    "trajectories.parquet",
    "quantiles.parquet",
    "fan.png",
    "fan.svg",
    "fan.pdf",
)


# --- consolidation -----------------------------------------------------------------


def _concatenate(paths: list[Path], schema: pa.Schema, target: Path) -> None:
    """Stream parts into one Parquet file in fixed-size row groups."""

    def write(temporary: Path) -> None:
        with pq.ParquetWriter(temporary, schema) as writer:
            buffered: list[pa.Table] = []
            rows = 0
            for path in paths:
                table = pq.read_table(path, schema=schema)
                buffered.append(table)
                rows += table.num_rows
                while rows >= ROW_GROUP_ROWS:
                    combined = pa.concat_tables(buffered)
                    writer.write_table(combined.slice(0, ROW_GROUP_ROWS))
                    buffered = [combined.slice(ROW_GROUP_ROWS)]
                    rows -= ROW_GROUP_ROWS
            if rows or not paths:
                writer.write_table(pa.concat_tables(buffered) if buffered else schema.empty_table())

    write_atomically(target, write)


def _schemas(ensemble: Ensemble) -> dict[str, pa.Schema]:
    return {
        "summary": summary_schema(ensemble.scenario),
        "tenures": TENURE_SCHEMA,
        "events": EVENT_SCHEMA,
        "votes": VOTE_SCHEMA,
        "parameters": PARAMETER_SCHEMA,
        "trajectories": TRAJECTORY_SCHEMA,
    }


def _available_memory() -> int | None:
    """Bytes of memory available to a new allocation (``MemAvailable``), if the system says."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _existing(path: Path) -> Path:
    """The nearest directory at or above ``path`` that exists (where it will be created)."""
    path = path.absolute()
    while not path.exists():
        path = path.parent
    return path


def space_needed(ensemble: Ensemble, missing: int) -> tuple[int, int]:
    """Estimated ``(disk, memory)`` bytes to simulate ``missing`` runs and consolidate all.

    Disk: each missing run's parts (its monthly arrays, exactly, and its tables, about
    :data:`TABLE_BYTES_PER_RUN`), then every run's tables again in the consolidated
    files. Memory: the quantiles hold at least one month of every run's values at once.
    """
    scenario = ensemble.scenario
    months = scenario.end.months_since(scenario.start) + 1
    leaders = len(scenario.leaders)
    arrays = len(MEASURES) * months * leaders * 8 + 8
    tables = TABLE_BYTES_PER_RUN + ensemble.keep_trajectories * months * leaders * (
        TRAJECTORY_BYTES_PER_ROW
    )
    disk = missing * (arrays + tables) + ensemble.runs * tables
    memory = 2 * ensemble.runs * leaders * 8
    return disk, memory


def check_space(out_dir: Path, ensemble: Ensemble, missing: int) -> None:
    """Refuse, before starting, an ensemble the disk or the memory cannot hold.

    Raises:
        EnsembleError: with the estimate and what is free.
    """
    disk, memory = space_needed(ensemble, missing)
    free = shutil.disk_usage(_existing(out_dir)).free
    if disk > free:
        raise EnsembleError(
            f"--runs {ensemble.runs} needs about {size_text(disk)} of disk under {out_dir} "
            f"for its parts and files, and {size_text(free)} are free; run fewer runs or "
            "choose another --out"
        )
    available = _available_memory()
    if available is not None and memory > available:
        raise EnsembleError(
            f"--runs {ensemble.runs} needs about {size_text(memory)} of memory to compute its "
            f"quantiles, and {size_text(available)} are available; run fewer runs"
        )


def size_text(count: float) -> str:
    """``330.0 GB``: decimal units, as disk sizes are sold and ``df -H`` shows them."""
    unit = "bytes"
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if count < 1000 or unit == "TB":
            break
        count /= 1000
    return f"{count:.0f} bytes" if unit == "bytes" else f"{count:.1f} {unit}"


def consolidate(out_dir: Path, ensemble: Ensemble, threads: int = 1) -> list[Path]:
    """Concatenate the parts in run order and compute the quantiles (if asked); return the files.

    Raises:
        EnsembleError: if the parts do not hold every run exactly once.
    """
    parts = out_dir / "parts"
    spans = complete_chunks(parts, ensemble.tables, ensemble.runs, ensemble.key())
    covered = [run for first, last in spans for run in range(first, last + 1)]
    if covered != list(range(ensemble.runs)):
        raise EnsembleError(
            f"{parts} holds {len(covered)} of {ensemble.runs} runs; run again with --resume"
        )
    schemas = _schemas(ensemble)
    array_parts = [part_path(parts, "arrays", first, last) for first, last in spans]
    written = [out_dir / f"{table}.parquet" for table in ensemble.tables]
    if not ensemble.keep_trajectories:  # a resumed ensemble's earlier consolidation kept them
        (out_dir / "trajectories.parquet").unlink(missing_ok=True)
    # Each file is independent, and pyarrow and numpy work outside the GIL: threads put
    # the cores the workers have just left to use on this last, otherwise serial, step.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        quantiles = (
            pool.submit(quantile_frame, ensemble.scenario, array_parts, ensemble.runs)
            if ensemble.quantiles
            else None
        )
        tables = [
            pool.submit(
                _concatenate,
                [part_path(parts, table, first, last) for first, last in spans],
                schemas[table],
                target,
            )
            for table, target in zip(ensemble.tables, written, strict=True)
        ]
        for table in tables:
            table.result()
        if quantiles is None:
            return written
        frame = quantiles.result()
    target = out_dir / "quantiles.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    write_atomically(target, lambda temporary: pq.write_table(table, temporary))
    return [*written, target]


def is_complete(out_dir: Path, ensemble: Ensemble) -> bool:
    """Whether ``out_dir`` holds this ensemble, finished and consolidated (to reuse it)."""
    try:
        manifest = read_manifest(out_dir)
    except EnsembleError:
        return False
    return (
        manifest is not None
        and manifest.get("status") == "complete"
        and all(manifest.get(key) == value for key, value in ensemble.identity().items())
        and all((out_dir / f"{table}.parquet").is_file() for table in ensemble.tables)
        and (not ensemble.quantiles or (out_dir / "quantiles.parquet").is_file())
    )


def ensemble_manifest(ensemble: Ensemble, sessions: list[dict], status: str, chunk: int) -> dict:
    """What is needed to reproduce and resume an ensemble, and how far it got.

    ``free_from`` (the month the scenario branches from history, which
    overrides ``mode``) is part of the scenario, so of its hash; it is written
    out so that a reader need not resolve the scenario to see it.
    """
    free_from = ensemble.scenario.free_from
    return {
        "command": "ensemble",
        "scenario": ensemble.scenario.name,
        "scenario_file": ensemble.scenario_file,
        **parameters_fields(ensemble.parameters, ensemble.parameters_note),
        **ensemble.identity(),
        "free_from": None if free_from is None else str(free_from),
        "overrides": list(ensemble.overrides),
        "run_seeds": "run i: numpy.random.SeedSequence(seed).spawn(runs)[i].generate_state(1)[0]",
        "keep_trajectories": ensemble.keep_trajectories,
        "chunk_size": chunk,
        "executor": sessions[-1]["executor"],
        "sessions": sessions,
        "status": status,
        "files": [f"{table}.parquet" for table in ensemble.tables]
        + ["quantiles.parquet", "parts/"],
        **provenance(VERSIONED_EXTRAS),
    }


def write_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def record_files(out_dir: Path, names: list[str]) -> None:
    """Add files written beside a finished ensemble (its figure, its paths) to its manifest."""
    manifest = read_manifest(out_dir)
    if manifest is not None:
        files = manifest.get("files", [])
        manifest["files"] = files + [name for name in names if name not in files]
        write_manifest(out_dir, manifest)


def read_table(out_dir: Path, table: str) -> pd.DataFrame:
    """A consolidated table of an ensemble directory as a DataFrame."""
    return pq.read_table(out_dir / f"{table}.parquet").to_pandas()
