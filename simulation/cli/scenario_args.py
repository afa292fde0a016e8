"""The scenario argument every simulating command takes, with its perturbation flags.

``--set PATH=VALUE``, ``--drop-event ID`` and ``--move-event ID=YYYY-MM`` are the
changes an overlay file can make (:mod:`simulation.scenario.overlay`), given on
the command line. They apply in the order they are written, after the file
(and any overlay it is) has been resolved, and the manifest records them as
typed, so that a run can be repeated from its manifest. An event they drop,
move or change is an intervention (see :mod:`simulation.scenario.changes`).

``--free-from YYYY-MM`` branches from history: it sets the scenario's
``free_from`` after every other change, so that the run replays the scenario's
decisions before that month and lets the leaders decide from it on.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from simulation.cli.common import user_path
from simulation.scenario import Scenario, ScenarioError, apply_changes, load_scenario
from simulation.scenario.messages import cut, quote
from simulation.scenario.reading import read_value


class _RecordChange(argparse.Action):
    """Collect every change flag, in command-line order, into one list."""

    def __call__(self, parser, namespace, values, option_string=None):
        changes = [*getattr(namespace, self.dest), (option_string, values)]
        setattr(namespace, self.dest, changes)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the positional scenario file and the repeatable change flags to a command."""
    parser.add_argument(
        "scenario", type=user_path, help="scenario YAML file (or counterfactual overlay)"
    )
    parser.set_defaults(scenario_changes=[])
    changes = parser.add_argument_group(
        "changes to the scenario",
        "Applied in the order given, like the changes of an overlay file; each is repeatable.",
    )
    changes.add_argument(
        "--set",
        dest="scenario_changes",
        action=_RecordChange,
        metavar="PATH=VALUE",
        help="set a value: parameters.NAME, leaders.ID.FIELD, posts.ID.FIELD, "
        "organisations.ID.FIELD, factions.ID.FIELD, start, end or name; the value is read "
        "as YAML (0.6, [politburo, orgburo]); an empty value restores the default",
    )
    changes.add_argument(
        "--drop-event",
        dest="scenario_changes",
        action=_RecordChange,
        metavar="ID",
        help="remove an event",
    )
    changes.add_argument(
        "--move-event",
        dest="scenario_changes",
        action=_RecordChange,
        metavar="ID=YYYY-MM",
        help="move an event to another month (after the events already there)",
    )
    add_free_from_argument(parser)


def add_free_from_argument(parser: argparse.ArgumentParser, has_mode: bool = True) -> None:
    """Add ``--free-from YYYY-MM``: replay history up to that month, then let the model decide.

    ``has_mode``: whether the command has a ``--mode`` for the branch to override.
    """
    overrides = "overrides --mode; " if has_mode else ""
    parser.add_argument(
        "--free-from",
        default=None,
        metavar="YYYY-MM",
        help="branch from history: the scenario's decisions are replayed before this month "
        f"and the leaders decide from it on ({overrides}a counterfactual's interventions "
        "apply either way)",
    )


def branch_from_history(scenario: Scenario, month: str | None) -> Scenario:
    """The scenario with ``free_from`` set by ``--free-from`` (unchanged if not given).

    Raises:
        ScenarioError: if the month is not a ``YYYY-MM`` month within the period.
    """
    if month is None:
        return scenario
    return apply_changes(scenario, [{"set": {"free_from": month}}], [f"--free-from {month}"])


def _split(flag: str, text: str, form: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"{flag} expects {form}, got {quote(text)}")
    return name.strip(), value.strip()


def change_from_flag(flag: str, text: str) -> dict:
    """The overlay change a command-line flag stands for.

    Raises:
        ValueError: if the flag's text is malformed.
    """
    if flag == "--drop-event":
        return {"drop_event": text.strip()}
    if flag == "--move-event":
        event_id, date = _split(flag, text, "ID=YYYY-MM")
        return {"move_event": {"id": event_id, "date": date}}
    path, value = _split(flag, text, "PATH=VALUE")
    label = cut(f"{flag} {text}")
    try:
        parsed, _ = read_value(value, label)
    except ScenarioError as error:
        reason = re.sub(rf"^{re.escape(label)}:\d+: (invalid YAML: )?", "", error.problems[0])
        raise ValueError(f"{label}: the value is not valid YAML ({reason})") from None
    return {"set": {path: parsed}}


def load_as_recorded(path: Path, flags: list[str]) -> Scenario:
    """The scenario file with the change flags a manifest recorded (its ``overrides``) applied.

    The inverse of the flags :func:`load_from_args` returns: ``--free-from YYYY-MM`` or a
    change flag and its text, as typed.

    Raises:
        ScenarioError: the file or a recorded flag cannot be read.
    """
    changes = []
    for recorded in flags:
        flag, _, text = recorded.partition(" ")
        try:
            change = (
                {"set": {"free_from": text}}
                if flag == "--free-from"
                else change_from_flag(flag, text)
            )
        except ValueError as error:
            raise ScenarioError([str(error)]) from None
        changes.append(change)
    return load_scenario(path, changes, flags)


def load_from_args(args: argparse.Namespace) -> tuple[Scenario, list[str]]:
    """Load the scenario named on the command line and apply its change flags.

    Returns:
        The resolved scenario, and the flags as typed (``--set parameters.discipline=0.6``)
        for the run's manifest.

    Raises:
        ScenarioError: for a bad file or a bad flag, with one line per problem.
    """
    flags = [f"{flag} {text}" for flag, text in args.scenario_changes]
    changes, problems = [], []
    for flag, text in args.scenario_changes:
        try:
            changes.append(change_from_flag(flag, text))
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ScenarioError(problems)
    if args.free_from is not None:
        changes.append({"set": {"free_from": args.free_from}})
        flags.append(f"--free-from {args.free_from}")
    scenario = load_scenario(args.scenario, changes, flags)
    drops = [change["drop_event"] for change in changes if "drop_event" in change]
    if drops:
        base = load_scenario(args.scenario)
        mode = args.mode_of(args) if hasattr(args, "mode_of") else args.mode
        for event_id in drops:
            _note_idle_drop(base, scenario, event_id, mode)
    return scenario, flags


def set_by_flags(args: argparse.Namespace) -> dict[str, str]:
    """Each path a ``--set`` flag gives a value, with the flag as typed.

    A study that varies the same field (a sensitivity parameter, a discovery lever)
    would override the flag at every point: the commands refuse the pair, or vary
    the rest, rather than silently drop what the user set.
    """
    return _by_flag(args, "--set", lambda text: text.partition("=")[0].strip())


def parameters_set_by_flags(args: argparse.Namespace) -> frozenset[str]:
    """The parameters a ``--set parameters.NAME=VALUE`` flag gives a value.

    Kept in every run of a posterior or prior ensemble, even at the fitted number
    (:func:`simulation.experiments.posterior.kept_parameters`): a flag is meant.
    """
    prefix = "parameters."
    return frozenset(
        path.removeprefix(prefix) for path in set_by_flags(args) if path.startswith(prefix)
    )


def dropped_by_flags(args: argparse.Namespace) -> dict[str, str]:
    """Each event a ``--drop-event`` flag dropped, with the flag as typed.

    A lever naming one is told where it went, not that the scenario has no such event.
    """
    return _by_flag(args, "--drop-event", str.strip)


def _by_flag(args: argparse.Namespace, kind: str, key: Callable[[str], str]) -> dict[str, str]:
    return {key(text): f"{flag} {text}" for flag, text in args.scenario_changes if flag == kind}


def _note_idle_drop(base: Scenario, changed: Scenario, event_id: str, mode: str) -> None:
    """Say on stderr when ``--drop-event`` drops a decision the runs would not have applied.

    Free mode lets the leaders decide: the scenario's own decisions are replayed only
    before a branch's month, so dropping a later one changes nothing in these runs,
    which a user would otherwise learn only from identical outputs.
    """
    # Imported here: the model loads numba and mesa, which --help and validate never need.
    from simulation.model import Mode
    from simulation.model.initial_state import applies
    from simulation.model.party_model import decides_from

    event = next(event for event in base.events if event.id == event_id)
    within = changed.start <= event.date <= changed.end  # else dropped to shorten the period
    if within and not applies(event, changed, decides_from(changed, Mode(mode))):
        print(
            f"interregnum: note: --drop-event {event_id} drops a decision of the scenario that "
            f"{changed.mode_label(mode)} runs never apply (the leaders decide it): it changes "
            "nothing here; it acts in replay, and in a branch from history that starts after "
            "its month",
            file=sys.stderr,
        )
