"""Each run's parameters, drawn from the ABC posterior sample or from the priors.

A posterior predictive ensemble gives every run its own parameter set, so that
its spread carries the uncertainty of the fit and not only the model's chance.
The draw is a function of the run's seed alone: run i draws the same parameters
in every scenario (paired comparisons stay paired) and in every executor. It
comes from a stream spawned apart from the model's own generator, so drawing
parameters does not shift the run's random numbers.

A parameter the scenario sets itself (inline, in an overlay, by ``--set``) is
*kept*: it is not drawn, so the value a user chose holds in every run.
"""

from __future__ import annotations

import csv
import hashlib
import numbers
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from calibration.evaluate import with_parameters
from simulation.model.parameters import parameter_ranges
from simulation.scenario import Scenario
from simulation.scenario.messages import suggestion

DRAW_STREAM = 1922
"""Tag of the generator stream the parameter draws come from (the model's stream is the seed)."""


class DrawError(ValueError):
    """Parameters that cannot be drawn as asked.

    A posterior sample missing or unreadable (the message names the file and the fix), or a
    parameter source that is none of posterior, point and prior.
    """


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes: a manifest's proof of which sample was drawn from."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _generator(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, DRAW_STREAM]))


def value_problem(values: pd.DataFrame) -> tuple[int | None, str] | None:
    """The first thing no run could take in a table of parameter values, or None.

    A column that is no parameter of the model's (row None), or a value that is text,
    empty or outside its parameter's range (with its row): checked when a sample or a
    fitted point is read, not when a worker happens to draw that row.

    Returns:
        ``(row, "NAME: what is wrong")``.
    """
    ranges = parameter_ranges()
    for name in values.columns:
        if name not in ranges:
            return None, f"{name}: not a parameter of the model{suggestion(name, ranges)}"
        low, high = ranges[name]
        wrong = ~_numbers(values[name]).between(low, high)  # NaN too
        if wrong.any():
            row = int(wrong.to_numpy().argmax())
            given = _shown(values[name].iloc[row])
            return row, f"{name}: expected a number from {low:g} to {high:g}, got {given}"
    return None


def _numbers(column: pd.Series) -> pd.Series:
    """A column's values as numbers, NaN where one is none.

    pandas reads a column of ``True`` and ``False`` as booleans, which count as 1 and
    0: a sample with such a column would be drawn by, or run with, numbers nobody wrote.
    """
    if pd.api.types.is_bool_dtype(column):
        return pd.Series(np.nan, index=column.index)
    return pd.to_numeric(column, errors="coerce")


def _shown(value: object) -> str:
    """A value read from a CSV as a message quotes it: a number as written, text quoted."""
    if isinstance(value, np.generic):  # np.False_, np.int64(-1): their Python values
        value = value.item()
    number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return f"{value:g}" if number else repr(value)


class _Layout(NamedTuple):
    """A CSV's header and where its rows start, read before pandas reads it."""

    header: list[str]
    header_line: int
    lines: list[int]
    """``lines[row]``: the line data row ``row`` starts on."""
    uneven: tuple[int, int] | None
    """``(line, values)`` of the first row with another count of values than the header."""


def _layout(path: Path) -> _Layout:
    """The header of a CSV, the line each data row starts on, and its first uneven row.

    pandas skips blank lines (and lines of spaces), fills a short row with empty values,
    reads a long one's first values as an index and renames a repeated column: each
    would then be told as a bad weight or parameter rather than as the row or header it
    is; a quoted value may span lines. Reading the file as pandas does gives the line a
    message must name.

    Raises:
        OSError, UnicodeDecodeError, csv.Error: the file cannot be read as CSV text.
    """
    header: list[str] = []
    header_line, lines = 0, []
    with path.open(newline="", encoding="utf-8-sig") as text:
        records = csv.reader(text)
        ended = 0  # the line the previous record ended on
        for row in records:
            start, ended = ended + 1, records.line_num
            if not row or (len(row) == 1 and row[0] and not row[0].strip()):
                continue  # a blank line, or one of spaces (a quoted "" is a value to pandas)
            if not header:
                header, header_line = row, start
                continue
            lines.append(start)
            if len(row) != len(header):
                return _Layout(header, header_line, lines, (start, len(row)))
    return _Layout(header, header_line, lines, None)


class PosteriorDraws:
    """Parameters drawn, with replacement and by weight, from a posterior sample.

    Args:
        sample: one row per particle: a column per fitted parameter and ``weight``
            (other columns, such as ``distance``, are ignored).
        label: how manifests name the source (``posterior``).
        kept: parameters not drawn: the scenario's own value holds in every run.
        path: the file the sample was read from (None if built in memory).
        sha256: the SHA-256 of that file, so a resumed ensemble can tell it changed.
    """

    kind = "posterior"

    def __init__(
        self,
        sample: pd.DataFrame,
        label: str = "posterior",
        kept: frozenset[str] = frozenset(),
        path: Path | None = None,
        sha256: str | None = None,
    ):
        columns = [name for name in sample.columns if name not in ("weight", "distance")]
        self.names = [name for name in columns if name not in kept]
        self.kept = sorted(name for name in columns if name in kept)
        weights = sample["weight"].to_numpy(dtype=float)
        with np.errstate(over="ignore"):
            total = weights.sum()
        if not np.isfinite(total):  # weights near the largest float sum to inf
            weights = weights / weights.max()
            total = weights.sum()
        self.values = sample[self.names].to_numpy(dtype=float)
        self.probabilities = weights / total
        self.label = label
        self.path = path
        self.sha256 = sha256
        self._scenarios: dict[int, tuple[Scenario, Scenario]] = {}

    @classmethod
    def read(cls, path: Path, kept: frozenset[str] = frozenset()) -> PosteriorDraws:
        """Read a posterior CSV written by ``calibrate``, checked against the model's parameters.

        Args:
            path: the sample.
            kept: parameters the scenario sets itself, which are not drawn.

        Raises:
            DrawError: the file is missing or no CSV text, has no ``weight`` column, a
                column named twice or a row of another length than its header, a weight
                that is no finite number of at least 0 or none above 0, names no parameter
                or an unknown one, or gives one a value outside its range (the first such
                line is named).
        """
        try:
            layout = _layout(path)
            sample = pd.read_csv(path) if layout.uneven is None else None
        except (OSError, csv.Error, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            reason = " ".join(str(getattr(error, "strerror", None) or error).split())
            raise DrawError(f"{path}: cannot read the posterior sample ({reason})") from None
        except UnicodeDecodeError:
            raise DrawError(
                f"{path}: not UTF-8 text; a posterior sample is the CSV calibrate writes"
            ) from None
        header, lines = layout.header, layout.lines
        if "weight" not in header:
            raise DrawError(
                f"{path}: expected a 'weight' column, one per fitted parameter and a row per "
                "particle: the CSV calibrate writes as NAME-posterior.csv"
            )
        if twice := sorted({repr(name) for name in header if header.count(name) > 1}):
            raise DrawError(
                f"{path}:{layout.header_line}: the header names {', '.join(twice)} twice; "
                "expected each column once"
            )
        if layout.uneven is not None:
            line, count = layout.uneven
            raise DrawError(
                f"{path}:{line}: {count} value{'s' * (count != 1)}; expected "
                f"{len(header)}, one for each column of the header"
            )
        if sample.empty:
            raise DrawError(f"{path}: expected at least one particle, a row under the header")
        weights = _numbers(sample["weight"]).to_numpy(dtype=float)
        bad = ~(np.isfinite(weights) & (weights >= 0))  # NaN, text, inf, below 0
        if bad.any():
            row = int(bad.argmax())
            raise DrawError(
                f"{path}:{lines[row]}: weight: expected a finite number of at least 0, "
                f"got {_shown(sample['weight'].iloc[row])}"
            )
        if weights.max() <= 0:
            raise DrawError(f"{path}: every weight is 0: expected one above 0 to draw by")
        drawn = sample.drop(columns=["weight", "distance"], errors="ignore")
        if drawn.columns.empty:
            raise DrawError(
                f"{path}: names no parameter, only weights: every run would take the point "
                "estimate while its manifest said it drew from the posterior"
            )
        problem = value_problem(drawn)
        if problem is not None:
            row, text = problem
            raise DrawError(f"{path}{'' if row is None else f':{lines[row]}'}: {text}")
        return cls(sample, kept=kept, path=path, sha256=file_sha256(path))

    def __getstate__(self) -> dict:
        """Pickle the sample, not the scenarios built from it (workers build their own)."""
        return {**vars(self), "_scenarios": {}}

    def particle_for(self, seed: int) -> int:
        """The row of the sample that the run with this seed draws."""
        return int(_generator(seed).choice(len(self.probabilities), p=self.probabilities))

    def values_for(self, seed: int) -> dict[str, float]:
        """The parameters of the run with this seed."""
        row = self.particle_for(seed)
        return dict(zip(self.names, self.values[row].tolist(), strict=True))

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario with the run's drawn parameters (``run`` plays no part).

        Runs that draw the same particle get the same scenario object, so the
        model builds its initial state once per particle, not once per run.
        """
        row = self.particle_for(seed)
        cached = self._scenarios.get(row)
        if cached is None or cached[0] is not scenario:
            cached = (scenario, with_parameters(scenario, self.values_for(seed)))
            self._scenarios[row] = cached
        return cached[1]


class PriorDraws:
    """Parameters drawn uniformly from the priors of the fit, for the prior predictive.

    What the model can do before the patterns narrow it: the runs a fit rejects
    are among these. Every prior is drawn in every run, in the registry's order,
    and the ``kept`` ones are then left out, so run ``i`` draws the same values
    of the others whatever a scenario keeps (a comparison stays paired).

    Args:
        priors: uniform (low, high) per fitted parameter.
        kept: parameters not drawn (the scenario sets them).
    """

    kind = "prior"

    def __init__(self, priors: dict[str, tuple[float, float]], kept: frozenset[str] = frozenset()):
        self.priors = dict(priors)
        self.kept = sorted(name for name in self.priors if name in kept)
        self.label = "priors of calibration.fit"

    def values_for(self, seed: int) -> dict[str, float]:
        """The parameters of the run with this seed."""
        generator = _generator(seed)
        drawn = {
            name: float(generator.uniform(low, high)) for name, (low, high) in self.priors.items()
        }
        return {name: value for name, value in drawn.items() if name not in self.kept}

    def scenario_for(self, scenario: Scenario, seed: int, run: int = 0) -> Scenario:
        """The scenario with the run's drawn parameters (``run`` plays no part)."""
        return with_parameters(scenario, self.values_for(seed))


ParameterDraws = PosteriorDraws | PriorDraws
"""A per-run parameter source; None stands for the scenario's own (point) parameters."""


def parameters_fields(parameters: object, note: str = "") -> dict[str, object]:
    """How a manifest says where its runs took their parameters from.

    ``parameters`` is the runs' source (posterior or prior draws, a sensitivity design)
    or None for the point estimate; ``note`` why the point stands in, for an asked-for
    posterior or for the parameters a sample has no column for. One account for an
    ensemble's manifest and a single run's.
    """
    posterior = posterior_of(parameters)
    return {
        "parameters": parameters.label if parameters is not None else "point",
        "posterior": str(posterior.path) if posterior else None,
        "posterior_sha256": posterior.sha256 if posterior else None,
        "parameters_kept": list(getattr(parameters, "kept", [])),
        "parameters_note": note or None,
    }


def posterior_of(parameters: object) -> PosteriorDraws | None:
    """The posterior sample runs draw from: the source itself, or the draws a design holds.

    A discovery's runs draw the parameters its levers leave from a posterior
    (``LeverPoints.draws``): their manifest names that sample as an ensemble's does.
    """
    draws = getattr(parameters, "draws", parameters)
    return draws if isinstance(draws, PosteriorDraws) else None


def posterior_beside(parameters_file: Path) -> Path:
    """The posterior sample ``calibrate`` writes beside a fitted point: ``NAME-posterior.csv``."""
    return parameters_file.with_name(f"{parameters_file.stem}-posterior.csv")
