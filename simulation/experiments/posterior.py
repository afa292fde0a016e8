"""Which parameters a command's runs take: draws from the posterior or the priors, or the point.

A scenario takes its fitted parameters from the file its ``parameters_from:``
names (an overlay, from the file of the scenario it ``extends``); ``calibrate``
writes the ABC posterior sample beside that point as ``NAME-posterior.csv``.
``ensemble``, ``compare``, ``assess`` and the dashboard find the sample here,
so that all of them draw from the same file in the same way. Each run's draw
depends on its seed alone (see :mod:`parameter_draws`): run ``i`` takes the same
particle in every scenario of a comparison.

A parameter whose value differs from the fitted point was set by someone (the
scenario itself, an overlay, ``--set``, a dashboard slider): it is kept in every
run instead of drawn, since whoever set it meant it. So is one a ``--set`` flag
names, whatever its value: pinning a parameter at its fitted number while the
others are drawn is a question a user may ask.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from simulation.experiments.parameter_draws import (
    DrawError,
    ParameterDraws,
    PosteriorDraws,
    PriorDraws,
    file_sha256,
    posterior_beside,
)
from simulation.model.parameters import free_parameters
from simulation.scenario import Scenario, ScenarioError
from simulation.scenario.messages import quote
from simulation.scenario.reading import line_of, read_text, read_value, read_yaml


def fitted_point_of(scenario_file: Path) -> Path | None:
    """The fitted parameters a scenario file uses: its ``parameters_from``, or its base's.

    An overlay (``extends:``) uses the fit of the scenario it extends, so its default
    posterior is that fit's too. None if no file in the chain names one.
    """
    seen = set()
    while scenario_file not in seen:
        seen.add(scenario_file)
        try:
            data, _ = read_value(read_text(scenario_file), str(scenario_file))
        except ScenarioError:  # said by the scenario's own loading
            return None
        if not isinstance(data, dict):
            return None
        if isinstance(data.get("parameters_from"), str):
            return _beside(scenario_file, data["parameters_from"])
        if not isinstance(data.get("extends"), str):
            return None
        scenario_file = _beside(scenario_file, data["extends"])
    return None


def _beside(scenario_file: Path, reference: str) -> Path:
    """A path a scenario file names, relative to its folder, as short as it can be said.

    ``scen/../calibration`` is shortened to ``calibration`` only when both name the
    same place: when ``scen`` is a symbolic link, ``..`` is the link target's parent,
    not the folder holding the link, as the loader (which lets the system resolve the
    path) reads it.
    """
    joined = scenario_file.parent / reference
    shorter = Path(os.path.normpath(joined))
    return shorter if shorter.resolve() == joined.resolve() else joined


def posterior_of(scenario_file: Path) -> Path | None:
    """The posterior sample beside the fitted point a scenario file uses (None: it uses none)."""
    point = fitted_point_of(scenario_file)
    return None if point is None else posterior_beside(point)


def read_point(path: Path, fitted_until: str | None = None) -> dict[str, float]:
    """The parameters of a fitted point file, as ``calibrate`` writes it.

    With ``fitted_until`` (a hold-out's month), a point ``calibrate`` recorded as fitted
    up to another month, or on every pattern, is refused: a hold-out fit of 1924-12 was
    assessed as one of 1925-06, and the report said so. A file without the record
    (written by hand) is taken as it is.

    Raises:
        DrawError: the file cannot be read, was fitted for another month than
            ``fitted_until``, has no ``parameters:`` mapping, or maps a name to something
            other than a number (one line per problem, at its line).
    """
    try:
        data, root = read_yaml(read_text(path, "parameters file"), str(path), "parameters")
    except ScenarioError as error:
        raise DrawError("\n".join(error.problems)) from None
    if fitted_until is not None:
        _check_fitted_until(path, data, root, fitted_until)
    fitted = data.get("parameters")
    if not isinstance(fitted, dict):
        raise DrawError(
            f"{path}:{line_of(root, ('parameters',))}: parameters: expected a mapping of "
            "parameter values, as 'interregnum calibrate' writes"
        )
    problems = [
        f"{point_place(path, root, name)}: expected a number, got {quote(value)}"
        for name, value in fitted.items()
        if isinstance(value, bool) or not isinstance(value, int | float)
    ]
    if problems:
        raise DrawError("\n".join(problems))
    return {str(name): float(value) for name, value in fitted.items()}


def _check_fitted_until(path: Path, data: dict, root: yaml.Node, month: str) -> None:
    """Refuse a point whose ``fit.fit_until`` (null: every pattern) is not ``month``."""
    fit = data.get("fit")
    if not isinstance(fit, dict) or "fit_until" not in fit:
        return
    fitted = fit["fit_until"]
    if fitted is not None and str(fitted) == month:
        return
    place = f"{path}:{line_of(root, ('fit', 'fit_until'))}: fit.fit_until"
    made = "on every fit pattern" if fitted is None else f"on the patterns up to {fitted}"
    raise DrawError(
        f"{place}: this point was fitted {made}, not up to {month}: give the hold-out fit "
        f"made with --fit-until {month}, or assess with the month it was made for"
    )


def check_posterior_beside(point: Path, sample: Path) -> None:
    """Refuse the posterior ``sample`` beside a fitted ``point`` if it is not that fit's own.

    ``calibrate`` records the SHA-256 of the sample it writes in the point's
    ``fit.posterior_sha256``. A fit cut short between writing the two, or a sample
    replaced by hand, would have every run draw from another fit than the point's,
    and the manifests name the file, not which fit wrote it. A point without the
    record (written by hand, or before fits recorded it) is taken as it is.

    Raises:
        DrawError: the sample's SHA-256 is not the one the point recorded.
    """
    if not sample.is_file():  # said by whoever reads it
        return
    try:
        data, root = read_yaml(read_text(point, "parameters file"), str(point), "parameters")
    except ScenarioError:  # said where the point itself is read
        return
    fit = data.get("fit")
    recorded = fit.get("posterior_sha256") if isinstance(fit, dict) else None
    if recorded is None or recorded == file_sha256(sample):
        return
    raise DrawError(
        f"{sample}: not the posterior sample of the fit in {point} (its SHA-256 is not "
        f"the one recorded at line {line_of(root, ('fit', 'posterior_sha256'))}, "
        "fit.posterior_sha256): a fit cut short while writing its files, or a sample "
        "replaced by hand; run 'interregnum calibrate' again, or name a sample with --posterior"
    )


def point_place(path: Path, root: yaml.Node | None, name: str) -> str:
    """``FILE:LINE: parameters.NAME``: where a point file gives a parameter."""
    if root is None:
        root = read_yaml(read_text(path, "parameters file"), str(path), "parameters")[1]
    return f"{path}:{line_of(root, ('parameters', name))}: parameters.{name}"


def kept_parameters(
    scenario: Scenario, scenario_file: Path | None, pinned: Iterable[str] = ()
) -> frozenset[str]:
    """The parameters the scenario sets to something else than its fitted point, and ``pinned``.

    Those are kept in every run rather than drawn. Without a fitted point (a scenario
    with no ``parameters_from``), the point is the model's defaults. ``pinned`` names
    the parameters a ``--set`` flag gave a value: a value set on purpose, though it
    equal the fitted number.

    Raises:
        DrawError: the fitted point file cannot be read.
    """
    pinned = frozenset(pinned)
    point_file = fitted_point_of(scenario_file) if scenario_file is not None else None
    ours = scenario.parameters
    fitted = ours.model_validate(read_point(point_file) if point_file else {})
    return frozenset(
        name
        for name in type(ours).model_fields
        if name in pinned or getattr(ours, name) != getattr(fitted, name)
    )


@dataclass(frozen=True)
class ParameterChoice:
    """Where a command's runs take their parameters from, and what to tell the user.

    Attributes:
        draws: the posterior or prior draws, or None for the point estimate in every run.
        note: why the point estimate stands in for an asked-for posterior, in every run
            or for the parameters a sample has no column for ("" if it does not).
    """

    draws: ParameterDraws | None
    note: str = ""


def choose_parameters(
    asked: str | None,
    scenario: Scenario,
    scenario_file: Path | str | None,
    posterior: Path | str | None = None,
    pinned: Iterable[str] = (),
) -> ParameterChoice:
    """The parameters of a scenario's runs, as ``--parameters`` and ``--posterior`` ask.

    Args:
        asked: ``posterior``, ``point``, ``prior`` (every run draws the fitted
            parameters uniformly from their priors: the prior predictive, what the
            model can do before the patterns narrow it), or None (not said: the
            posterior if there is one, else the point estimate with a note).
        scenario: the resolved scenario, every change applied.
        scenario_file: the file it was read from, whose chain names the fitted point.
        posterior: a sample named by ``--posterior`` (default: the one beside the point).
        pinned: parameters kept whatever their value (those ``--set`` names; see
            :func:`kept_parameters`).

    From Python, ``choose_parameters(None, scenario, "scenarios/baseline_1922.yaml").draws``
    is what an :class:`~simulation.experiments.ensemble.base.Ensemble` takes as
    ``parameters`` to draw each run's parameters as ``interregnum ensemble`` does.

    Returns:
        The choice, with a note when the point estimate stands in for a posterior
        not found, or for the fitted parameters a sample has no column for (a
        sample written by hand, or by an older fit).

    Raises:
        DrawError: ``--posterior`` or ``--parameters posterior`` asked for a sample
            that is not there, or the sample cannot be drawn from; or ``asked`` is none
            of the three (a slip, ``"pointt"``, must not give the posterior's draws).
    """
    if asked not in (None, "posterior", "point", "prior"):
        raise DrawError(f"parameters: expected 'posterior', 'point' or 'prior', got {asked!r}")
    scenario_file = None if scenario_file is None else Path(scenario_file)
    posterior = None if posterior is None else Path(posterior)
    if asked in ("point", "prior"):
        if posterior is not None:
            raise DrawError(
                f"--posterior {posterior} names a sample to draw from, and --parameters {asked} "
                "draws from none: give one or the other"
            )
        if asked == "point":
            return ParameterChoice(None)
        return ParameterChoice(
            PriorDraws(free_parameters(), kept_parameters(scenario, scenario_file, pinned))
        )
    path = posterior or (posterior_of(scenario_file) if scenario_file is not None else None)
    if path is None or not path.is_file():
        missing = (
            f"{scenario_file}: no posterior sample: the scenario names no fitted parameters "
            "(parameters_from:)"
            if path is None
            else f"{path}: is a directory, not a posterior sample (a CSV file)"
            if path.is_dir()
            else f"{path}: no posterior sample there"
        )
        if posterior is not None or asked == "posterior":
            raise DrawError(
                f"{missing}; run 'interregnum calibrate' (it writes NAME-posterior.csv), name "
                "a sample with --posterior, or choose --parameters point"
            )
        return ParameterChoice(None, f"{missing}; every run uses the point estimate")
    kept = kept_parameters(scenario, scenario_file, pinned)
    if posterior is None:  # the sample beside the fitted point: that fit's own?
        check_posterior_beside(fitted_point_of(scenario_file), path)
    draws = PosteriorDraws.read(path, kept)
    given = {*draws.names, *kept}
    absent = [name for name in free_parameters() if name not in given]
    note = (
        f"{path}: no column for {', '.join(absent)}; "
        f"{'it keeps' if len(absent) == 1 else 'they keep'} the fitted point in every run"
        if absent
        else ""
    )
    return ParameterChoice(draws, note)


def choose_for_comparison(
    asked: str | None,
    scenarios: Sequence[Scenario],
    files: Sequence[Path | None],
    posterior: Path | None = None,
) -> tuple[list[ParameterChoice], list[str]]:
    """The parameters of each scenario of a comparison: all drawn from one sample, or none.

    Every scenario draws from the base's sample (or ``posterior``), so that run
    ``i`` takes the same particle in each and the comparison stays paired; each
    keeps the parameters it sets itself. If the base runs on its point estimate,
    so does every alternative; if it draws from the priors, so does every
    alternative, run ``i`` the same values.

    Args:
        asked: as in :func:`choose_parameters`.
        scenarios: the base first, then the alternatives, every change applied.
        files: the file each was read from.
        posterior: a sample named by ``--posterior``.

    Returns:
        One choice per scenario, and notes for the user (an alternative whose own
        fit has another posterior, a base without one, a sample without columns for
        some fitted parameters: the base's note, and an alternative's when it names
        parameters the base's does not, one the base sets itself).

    Raises:
        DrawError: as :func:`choose_parameters`.
    """
    base = choose_parameters(asked, scenarios[0], files[0], posterior)
    notes = [base.note] if base.note else []
    if base.draws is None:
        return [base] + [ParameterChoice(None, base.note) for _ in scenarios[1:]], notes
    if isinstance(base.draws, PriorDraws):
        others = zip(scenarios[1:], files[1:], strict=True)
        return [base] + [choose_parameters("prior", s, f) for s, f in others], notes
    sample = base.draws.path
    choices = [base]
    for scenario, file in zip(scenarios[1:], files[1:], strict=True):
        own = posterior_of(file) if file is not None and posterior is None else None
        if own is not None and own.is_file() and os.path.normpath(own) != os.path.normpath(sample):
            notes.append(
                f"{file}: its fit's posterior {own} is not used; every scenario draws from "
                f"{sample} so that run i takes the same draw in each"
            )
        choice = choose_parameters("posterior", scenario, file, sample)
        if choice.note and choice.note not in notes:  # it keeps fewer than the base
            notes.append(f"{file}: {choice.note}")
        choices.append(choice)
    return choices, notes
