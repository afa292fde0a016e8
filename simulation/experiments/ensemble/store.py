"""The ensemble's directory: parts, manifest, resume, consolidation.

- **Streaming.** Each finished chunk is written at once under ``DIR/parts/``: one
  Parquet file per table and an ``.npz`` of the monthly arrays, each under a temporary
  name then renamed, the summary part last: a chunk whose summary part exists is
  complete, whatever happened next.
- **Resume.** A resumed ensemble keeps the complete chunks of the directory (after
  checking that its manifest describes the same ensemble), discards the rest and
  simulates only the missing runs.
- **Consolidation.** The parts are concatenated in run order into one file per table,
  in row groups of a fixed size, so the files do not depend on how the runs were
  chunked, on the executor or on the order in which chunks finished.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.experiments.ensemble.base import (
    MATCHING_KEYS,
    TABLES,
    Ensemble,
    EnsembleError,
)
from simulation.experiments.ensemble.chunks import ChunkResult
from simulation.experiments.ensemble.quantiles import quantile_frame
from simulation.experiments.outcomes import (
    EVENT_SCHEMA,
    TENURE_SCHEMA,
    TRAJECTORY_SCHEMA,
    VOTE_SCHEMA,
    summary_schema,
)
from simulation.output.files import package_versions, write_atomically, write_text

ROW_GROUP_ROWS = 65_536
"""Rows per Parquet row group in the consolidated files."""
VERSIONED_EXTRAS = ("pyarrow", "distributed", "tqdm")
_PART = re.compile(r"^(?P<table>[a-z]+)-(?P<first>\d{7})-(?P<last>\d{7})\.(?P<ext>parquet|npz)$")


def part_path(parts: Path, table: str, first: int, last: int) -> Path:
    """Where a chunk's part of a table is written."""
    extension = "npz" if table == "arrays" else "parquet"
    return parts / f"{table}-{first:07d}-{last:07d}.{extension}"


def complete_chunks(parts: Path, ensemble: Ensemble) -> list[tuple[int, int]]:
    """Runs ranges ``(first, last)`` of the complete chunks under ``parts``, in run order.

    A chunk is complete when its summary part and every other part this ensemble
    needs exist. Parts of incomplete chunks, chunks that overlap an earlier one and
    temporary files are deleted, so that they are simulated again.
    """
    if not parts.is_dir():
        return []
    found: dict[tuple[int, int], set[str]] = {}
    for path in parts.iterdir():
        match = _PART.match(path.name)
        if match is None:
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)
            continue
        span = (int(match["first"]), int(match["last"]))
        found.setdefault(span, set()).add(match["table"])
    needed = set(ensemble.tables) | {"arrays"}
    kept: list[tuple[int, int]] = []
    for first, last in sorted(found):
        inside = 0 <= first <= last < ensemble.runs
        overlaps = bool(kept) and first <= kept[-1][1]
        if inside and not overlaps and needed <= found[(first, last)]:
            kept.append((first, last))
            continue
        for table in found[(first, last)]:
            part_path(parts, table, first, last).unlink(missing_ok=True)
    return kept


def read_manifest(out_dir: Path) -> dict | None:
    """The directory's manifest, or ``None`` if it has none.

    Raises:
        EnsembleError: if the manifest cannot be read or is not a JSON object.
    """
    path = out_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EnsembleError(f"{path}: cannot read the ensemble manifest: {error}") from None


def check_directory(out_dir: Path, ensemble: Ensemble, resume: bool) -> None:
    """Refuse a directory that holds something else than this ensemble."""
    if out_dir.exists() and not out_dir.is_dir():
        raise EnsembleError(f"--out {out_dir} exists and is not a directory")
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise EnsembleError(
            f"--out {out_dir} is not empty and holds no ensemble manifest.json; "
            "choose a new or empty directory"
        )
    ours = ensemble.identity()
    differences = [
        f"{key} {manifest.get(key)!r} there, {ours[key]!r} here"
        for key in MATCHING_KEYS
        if manifest.get(key) != ours[key]
    ]
    if differences:
        action = "resume it" if resume else "write into it"
        raise EnsembleError(
            f"--out {out_dir} holds a different ensemble ({'; '.join(differences)}); "
            f"will not {action}: choose another --out or remove the directory"
        )


def clear_outputs(out_dir: Path) -> None:
    """Remove an earlier ensemble's parts and consolidated files before starting afresh."""
    shutil.rmtree(out_dir / "parts", ignore_errors=True)
    for name in OUTPUT_FILES:
        (out_dir / name).unlink(missing_ok=True)


OUTPUT_FILES = tuple(f"{table}.parquet" for table in TABLES) + (
    "trajectories.parquet",
    "quantiles.parquet",
    "fan.png",
)


def _write_parquet(path: Path, table: pa.Table) -> None:
    write_atomically(path, lambda temporary: pq.write_table(table, temporary))


def _write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            np.savez(handle, **arrays)

    write_atomically(path, write)


def write_chunk(parts: Path, tables: tuple[str, ...], result: ChunkResult) -> None:
    """Write a chunk's parts, the summary last (it marks the chunk complete)."""
    for table in tables[1:]:
        _write_parquet(part_path(parts, table, result.first, result.last), result.tables[table])
    _write_arrays(part_path(parts, "arrays", result.first, result.last), result.arrays)
    _write_parquet(part_path(parts, "summary", result.first, result.last), result.tables["summary"])


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
        "trajectories": TRAJECTORY_SCHEMA,
    }


def consolidate(out_dir: Path, ensemble: Ensemble, threads: int = 1) -> list[Path]:
    """Concatenate the parts in run order and compute the quantiles; return the files.

    Raises:
        EnsembleError: if the parts do not hold every run exactly once.
    """
    parts = out_dir / "parts"
    spans = complete_chunks(parts, ensemble)
    covered = [run for first, last in spans for run in range(first, last + 1)]
    if covered != list(range(ensemble.runs)):
        raise EnsembleError(
            f"{parts} holds {len(covered)} of {ensemble.runs} runs; run again with --resume"
        )
    schemas = _schemas(ensemble)
    array_parts = [part_path(parts, "arrays", first, last) for first, last in spans]
    written = [out_dir / f"{table}.parquet" for table in ensemble.tables]
    # Each file is independent, and pyarrow and numpy work outside the GIL: threads put
    # the cores the workers have just left to use on this last, otherwise serial, step.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        quantiles = pool.submit(quantile_frame, ensemble.scenario, array_parts, ensemble.runs)
        tables = [
            pool.submit(
                _concatenate,
                [part_path(parts, table, first, last) for first, last in spans],
                schemas[table],
                target,
            )
            for table, target in zip(ensemble.tables, written, strict=True)
        ]
        frame = quantiles.result()
        for table in tables:
            table.result()
    target = out_dir / "quantiles.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    _write_parquet(target, table)
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
        and (out_dir / "quantiles.parquet").is_file()
    )


def ensemble_manifest(ensemble: Ensemble, sessions: list[dict], status: str, chunk: int) -> dict:
    """What is needed to reproduce and resume an ensemble, and how far it got."""
    return {
        "scenario": ensemble.scenario.name,
        "scenario_file": ensemble.scenario_file,
        **ensemble.identity(),
        "overrides": list(ensemble.overrides),
        "run_seeds": "run i: numpy.random.SeedSequence(seed).spawn(runs)[i].generate_state(1)[0]",
        "keep_trajectories": ensemble.keep_trajectories,
        "chunk_size": chunk,
        "executor": sessions[-1]["executor"],
        "sessions": sessions,
        "status": status,
        "files": [f"{table}.parquet" for table in ensemble.tables]
        + ["quantiles.parquet", "parts/"],
        "versions": package_versions(VERSIONED_EXTRAS),
    }


def write_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def read_table(out_dir: Path, table: str) -> pd.DataFrame:
    """A consolidated table of an ensemble directory as a DataFrame."""
    return pq.read_table(out_dir / f"{table}.parquet").to_pandas()
