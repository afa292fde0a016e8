"""Reading the files the generated pages come from, with one clear message per problem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from simulation.scenario import Scenario, ScenarioError, load_scenario


class SourceError(Exception):
    """A source of a generated page is missing or unreadable; ``problems`` says which and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_bytes(root: Path, path: str) -> bytes:
    """A source file's bytes (a figure, a report)."""
    try:
        return (root / path).read_bytes()
    except OSError as error:
        raise SourceError([f"{root / path}: cannot read it ({error.strerror})"]) from None


def read_text(root: Path, path: str) -> str:
    """A source file's text, read as UTF-8."""
    try:
        return read_bytes(root, path).decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError([f"{root / path}: not UTF-8 text ({error.reason})"]) from None


def read_mapping(root: Path, path: str) -> dict:
    """A YAML file holding a mapping."""
    try:
        data = yaml.safe_load(read_text(root, path))
    except yaml.YAMLError as error:
        raise SourceError([f"{root / path}: not valid YAML ({error})"]) from None
    if not isinstance(data, dict):
        raise SourceError([f"{root / path}: expected a mapping at the top"])
    return data


def read_table(root: Path, path: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """A CSV table, with the columns ``required`` present."""
    try:
        frame = pd.read_csv(root / path)
    except FileNotFoundError:
        raise SourceError([f"{root / path}: no such file"]) from None
    except (OSError, ValueError) as error:
        raise SourceError([f"{root / path}: not a readable CSV table ({error})"]) from None
    missing = [column for column in required if column not in frame]
    if missing:
        raise SourceError([f"{root / path}: missing column(s) {', '.join(missing)}"])
    return frame


def scenario(root: Path, path: str) -> Scenario:
    """A validated scenario file (overlays resolved)."""
    try:
        return load_scenario(root / path)
    except ScenarioError as error:
        raise SourceError(error.problems) from None
