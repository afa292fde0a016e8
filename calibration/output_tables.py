"""A run's (CSV) or an ensemble's (Parquet) tables, read for scoring, or why they cannot be.

Parquet carries its types and a checksummed footer; a run's CSV carries neither, and
pandas reads a file cut short without a word. So each table is refused, one problem
per file and naming the line where it can, unless every row and every scored value is
as a run writes it, and the month-by-month tables hold every month of every run.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from calibration.pattern_logs import STANCE_COLUMNS
from simulation.model.recorder import GRIEVANCE_COLUMNS
from simulation.output.records import RecordError, read_record
from simulation.scenario import Scenario

TABLES = ("tenures", "votes")
OPTIONAL_TABLES = {"alliances": "alignments", "factions": "factions", "trajectories": "positions"}
"""Tables that only a single run's outputs have, and the pattern level each one scores
(an ensemble's trajectories, kept on request, keep no stance)."""
SCORED_COLUMNS = {
    "tenures": ("run", "leader", "post", "start", "end"),
    "votes": ("run", "date", "arena", "target", "votes_for", "votes_against", "carried"),
    "alliances": ("run", "affinity"),
    "factions": ("run", "date", "faction", "active"),
    "trajectories": ("run", "date", "leader"),
}
"""The columns the scoring reads (``calibration.pattern_logs.logs_from_frames``); outputs
written before a column was added elsewhere still score."""
NUMBER_COLUMNS = frozenset(
    {"run", "votes_for", "votes_against", "affinity", *GRIEVANCE_COLUMNS, *STANCE_COLUMNS}
)
"""The columns scored as numbers (grievances and stances where a run's tables have them):
a CSV keeps no types, so text there would be summed as text or fail deep in the scoring."""
FLAG_COLUMNS = frozenset({"carried", "active"})
"""The columns scored as True or False: ``astype(bool)`` takes any text, even none, as True."""
MAY_BE_EMPTY = frozenset({"end", "target"})
"""The scored columns a run leaves empty (a spell still held at the end, a motion against
no one); an empty field anywhere else is a damaged file, not a run's record."""


class Unreadable(Exception):
    """Output files that cannot be read as what a run or an ensemble writes, one problem each."""

    def __init__(self, *problems: str):
        super().__init__(*problems)
        self.problems = problems


def _source(directory: Path, name: str) -> Path | None:
    """The file holding the table ``name``: an ensemble's Parquet, else a run's CSV.

    Raises:
        Unreadable: the name is taken by something that is not a file (a directory).
    """
    for suffix in (".parquet", ".csv"):
        path = directory / f"{name}{suffix}"
        if path.is_file():
            return path
        if path.exists():
            raise Unreadable(f"{path}: is not a file (a {name} table is)")
    return None


def read_tables(directory: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame | None]:
    """The tables ``names`` of a run or an ensemble, ``None`` for those absent.

    Raises:
        Unreadable: with the problem of every table that cannot be scored, so that one
            attempt names them all.
    """
    tables, problems = {}, []
    for name in names:
        try:
            tables[name] = _read(_source(directory, name), name)
        except Unreadable as error:
            problems.extend(error.problems)
    if problems:
        raise Unreadable(*problems)
    return tables


def _read(path: Path | None, name: str) -> pd.DataFrame | None:
    """The table ``name`` from ``path`` (Parquet or CSV), or ``None`` if there is none.

    Raises:
        Unreadable: the file is truncated, malformed, or lacks the columns scored.
    """
    if path is None:
        return None
    if path.suffix == ".csv":
        return _read_csv(path, name)
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as error:  # pyarrow's parse errors included
        raise Unreadable(f"{path}: cannot be read ({_reason(error)})") from None
    _check_columns(path, frame, name)
    return frame


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    """A run's table, refused unless every row and every scored value is as the run wrote it.

    Parquet carries its types and a checksummed footer; a CSV carries neither, and pandas
    reads a file cut short without a word (the missing fields of its last row become
    NaN), so its layout and values are checked here.

    Raises:
        Unreadable: the file is empty, cut short, has a row of the wrong width, lacks a
            scored column, or holds a value the scoring cannot take.
    """
    lines = _record_lines(path)
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as error:  # pandas' parse errors included
        raise Unreadable(f"{path}: cannot be read ({_reason(error)})") from None
    _check_columns(path, frame, name)
    _check_values(path, frame, name, lines)
    return frame


def _reason(error: Exception) -> str:
    """The first line of a reader's error: pyarrow's and pandas' run on for screens."""
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def _check_columns(path: Path, frame: pd.DataFrame, name: str) -> None:
    """Refuse a table that lacks a column the scoring reads."""
    lacking = [column for column in SCORED_COLUMNS[name] if column not in frame.columns]
    if lacking:
        raise Unreadable(
            f"{path}: lacks the column{'s' * (len(lacking) > 1)} "
            f"{', '.join(lacking)} that a run's {name} table has"
        )


def _record_lines(path: Path) -> list[int]:
    """The line each record of a run's CSV starts on, once its layout is checked.

    Every record must have the header's fields and the file must end with a full line,
    as ``DataFrame.to_csv`` writes it: a file cut short ends mid-row, with a last row
    short of fields (or whole but with its last value cut). Counting lines rather than
    records keeps the line named right should a quoted field span lines.

    Raises:
        Unreadable: the file is empty, not UTF-8 text, ends mid-row, or has a record
            whose field count is not the header's (the first such is named).
    """
    if path.stat().st_size == 0:
        raise Unreadable(f"{path}: the file is empty; a run's table has at least its header")
    try:
        with path.open(encoding="utf-8", newline="") as file:
            records = csv.reader(file)
            width = len(next(records))
            starts, misfit, line = [], None, 1
            for fields in records:
                starts.append(line + 1)
                line = records.line_num
                if misfit is None and len(fields) != width:
                    misfit = (starts[-1], len(fields))
    except (UnicodeDecodeError, csv.Error) as error:
        raise Unreadable(f"{path}: cannot be read ({_reason(error)})") from None
    if _ends_mid_row(path):
        last = starts[-1] if starts else 1
        if misfit is None or misfit[0] == last:
            raise Unreadable(f"{path}:{last}: the file ends mid-row; it was cut short")
    if misfit is not None:
        raise Unreadable(f"{path}:{misfit[0]}: expected {width} fields, got {misfit[1]}")
    return starts


def _ends_mid_row(path: Path) -> bool:
    """Whether a non-empty file's last byte is not a newline: written whole, it would be."""
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) != b"\n"


def _check_values(path: Path, frame: pd.DataFrame, name: str, lines: list[int]) -> None:
    """Refuse a run's table with a scored value that the run could not have written.

    A number that is text, a flag that is neither True nor False, or an empty field where
    the run always writes one, would otherwise be summed as text, taken as True or scored
    as a missing record. The first such value is named with its line.
    """
    checked = (set(SCORED_COLUMNS[name]) - MAY_BE_EMPTY) | NUMBER_COLUMNS | FLAG_COLUMNS
    for column in (column for column in frame.columns if column in checked):
        values = frame[column]
        wrong, expected = _unwritten(column, values)
        if wrong.any():
            row = int(wrong.to_numpy().argmax())
            given = "an empty field" if pd.isna(values.iloc[row]) else repr(values.iloc[row])
            raise Unreadable(f"{path}:{lines[row]}: {column}: expected {expected}, got {given}")


def _unwritten(column: str, values: pd.Series) -> tuple[pd.Series, str]:
    """Which values of a scored column a run could not have written, and what it writes."""
    if column in NUMBER_COLUMNS:
        return pd.to_numeric(values, errors="coerce").isna(), "a number"
    if column in FLAG_COLUMNS and not pd.api.types.is_bool_dtype(values):
        return ~values.isin([True, False, "True", "False"]), "True or False"
    return values.isna(), "a value"


def coverage_problems(
    directory: Path, frames: dict[str, pd.DataFrame], scenario: Scenario
) -> list[str]:
    """The month-by-month tables that lack rows for a run, each named with the count expected.

    A file cut at the end of a line reads as well-formed, and the scoring would then take
    the months it lacks as never lived (or fail to reshape the affinities). A run writes
    every month of the scenario for each leader, pair of leaders and faction.
    """
    months = scenario.end.ordinal - scenario.start.ordinal + 1
    leaders = len(scenario.leaders)
    per_month = {
        "trajectories": (leaders, "leaders"),
        "alliances": (leaders * (leaders - 1) // 2, "pairs of leaders"),
        "factions": (len(scenario.factions), "factions"),
    }
    runs = sorted({run for frame in frames.values() for run in frame["run"].unique()})
    problems = []
    for name, (count, what) in per_month.items():
        if name not in frames:
            continue
        rows = frames[name].groupby("run").size().reindex(runs, fill_value=0)
        short = rows[rows != months * count]
        if len(short):
            problems.append(
                f"{_source(directory, name)}: run {short.index[0]} has {short.iloc[0]} rows, "
                f"a run of {scenario.name} has {months * count} ({months} months × {count} "
                f"{what}); the file was cut short or is another scenario's"
            )
    return problems


def read_manifest(directory: Path) -> dict:
    """The output directory's manifest.

    Raises:
        Unreadable: it is missing, not JSON, or not a JSON object.
    """
    path = directory / "manifest.json"
    try:
        return read_record(path)
    except RecordError as error:
        raise Unreadable(f"{error}; pass --scenario") from None
