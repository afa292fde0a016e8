"""The parts of an ensemble: each chunk's tables and arrays, streamed to ``DIR/parts/``.

Each finished chunk is written at once: one Parquet file per table and an ``.npz`` of
the monthly arrays, each under a temporary name then renamed, and last a **record**
(``chunk-FIRST-LAST.json``) that names the ensemble and gives each part's size,
SHA-256 and number of rows. A chunk is complete when its record is there, is this
ensemble's, and every part still matches it: a part truncated, zeroed, overwritten
with garbage or with another part, or with a few bytes flipped, fails the check, and
its chunk is simulated again on resume instead of being trusted.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.experiments.ensemble.chunks import ChunkResult
from simulation.output.files import remove_leftovers, write_atomically, write_text

RECORD = "chunk"
"""The name of a chunk's record among its parts."""
_PART = re.compile(
    r"^(?P<table>[a-z]+)-(?P<first>\d{7})-(?P<last>\d{7})\.(?P<ext>parquet|npz|json)$"
)
_HASH_BLOCK = 2**20


def part_path(parts: Path, table: str, first: int, last: int) -> Path:
    """Where a chunk's part of a table (or ``arrays``, or its :data:`RECORD`) is written."""
    extension = {"arrays": "npz", RECORD: "json"}.get(table, "parquet")
    return parts / f"{table}-{first:07d}-{last:07d}.{extension}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _written(path: Path, write, rows: int) -> dict[str, object]:
    """Write a part atomically; return what its record says of it."""
    facts: dict[str, object] = {}

    def write_and_describe(temporary: Path) -> None:
        write(temporary)
        facts.update(bytes=temporary.stat().st_size, sha256=_sha256(temporary), rows=rows)

    write_atomically(path, write_and_describe)
    return facts


def _write_parquet(path: Path, table: pa.Table) -> dict[str, object]:
    return _written(path, lambda temporary: pq.write_table(table, temporary), table.num_rows)


def _write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, object]:
    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            np.savez(handle, **arrays)

    return _written(path, write, len(arrays["run"]))


def write_chunk(parts: Path, tables: tuple[str, ...], result: ChunkResult, ensemble: str) -> None:
    """Write a chunk's parts, then its record (which marks the chunk complete).

    Args:
        parts: the ensemble's ``parts/`` directory.
        tables: the tables to write.
        result: the chunk's outcomes.
        ensemble: the ensemble's key (:meth:`Ensemble.key`), so that a record is never
            taken for another ensemble's.
    """
    first, last = result.first, result.last
    described = {
        table: _write_parquet(part_path(parts, table, first, last), result.tables[table])
        for table in tables
    }
    described["arrays"] = _write_arrays(part_path(parts, "arrays", first, last), result.arrays)
    record = {"ensemble": ensemble, "first": first, "last": last, "parts": described}
    write_text(part_path(parts, RECORD, first, last), json.dumps(record, sort_keys=True) + "\n")


def _intact(parts: Path, span: tuple[int, int], needed: set[str], ensemble: str) -> bool:
    """Whether a chunk's record is this ensemble's and every part it needs matches it."""
    first, last = span
    try:
        record = json.loads(part_path(parts, RECORD, first, last).read_text(encoding="utf-8"))
        described = record["parts"]
        if record["ensemble"] != ensemble or (record["first"], record["last"]) != span:
            return False
        if not needed <= set(described):
            return False
        for table in needed:
            path = part_path(parts, table, first, last)
            facts = described[table]
            if table == "summary" and facts["rows"] != last - first + 1:
                return False
            if path.stat().st_size != facts["bytes"] or _sha256(path) != facts["sha256"]:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def complete_chunks(
    parts: Path, tables: tuple[str, ...], runs: int, ensemble: str
) -> list[tuple[int, int]]:
    """Run ranges ``(first, last)`` of the intact chunks under ``parts``, in run order.

    Everything else is deleted, so that its runs are simulated again: parts without a
    record (a chunk cut short), chunks whose record is another ensemble's or whose
    parts no longer match it, chunks that overlap an earlier one or lie outside
    ``0 .. runs-1``, and the temporary files of killed writes.

    Args:
        parts: the ensemble's ``parts/`` directory.
        tables: the tables each chunk must have.
        runs: the ensemble's number of runs.
        ensemble: the ensemble's key (:meth:`Ensemble.key`).
    """
    if not parts.is_dir():
        return []
    remove_leftovers(parts)
    found: dict[tuple[int, int], list[Path]] = {}
    for path in parts.iterdir():
        match = _PART.match(path.name)
        if match is not None:
            found.setdefault((int(match["first"]), int(match["last"])), []).append(path)
    needed = set(tables) | {"arrays"}
    kept: list[tuple[int, int]] = []
    for span in sorted(found):
        first, last = span
        inside = 0 <= first <= last < runs
        overlaps = bool(kept) and first <= kept[-1][1]
        if inside and not overlaps and _intact(parts, span, needed, ensemble):
            kept.append(span)
            continue
        for path in found[span]:
            path.unlink(missing_ok=True)
    return kept


def runs_lacking(parts: Path, table: str, ensemble: str) -> int:
    """How many runs this ensemble's chunk records list without ``table``; nothing is deleted.

    Read to say, before a resume that needs the table (``--keep-trajectories``), how
    many finished runs it simulates again: :func:`complete_chunks` deletes such chunks.
    """
    if not parts.is_dir():
        return 0
    lacking = 0
    for path in parts.glob(f"{RECORD}-*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["ensemble"] == ensemble and table not in record["parts"]:
                lacking += record["last"] - record["first"] + 1
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged record: complete_chunks tells its runs apart
    return lacking


def runs_recorded(parts: Path) -> int:
    """How many runs the chunk records under ``parts`` cover, read from their names alone.

    A session stopped by SIGTERM or Ctrl-C counts what its workers wrote: a worker may
    write a chunk's record just before the stop, while the count kept from the results
    it sent back has not reached it. Names are enough, and cheap at any size: a record
    is written last and renamed into place, and those of a run before this session were
    checked (:func:`complete_chunks`) when it started.
    """
    if not parts.is_dir():
        return 0
    spans = (_PART.match(path.name) for path in parts.glob(f"{RECORD}-*.json"))
    return sum(int(m["last"]) - int(m["first"]) + 1 for m in spans if m is not None)
