"""When a counterfactual takes effect and whom it is about, read from its differences.

A comparison figure marks the month each alternative starts to differ from the base,
and draws the leaders the alternative is about (Lenin in "Lenin recovers", the new
General Secretary in "Stalin removed"), which the most likely winners alone would
leave out. Both come from :func:`simulation.scenario.diff.diff_scenarios`, the
machinery of ``interregnum diff``, so the figure and the report say the same.
"""

from __future__ import annotations

from simulation.model.initial_state import applies
from simulation.model.party_model import Mode, decides_from
from simulation.output.marks import SCENARIO_LABEL, Mark, by_month, month_start
from simulation.scenario.diff import diff_scenarios
from simulation.scenario.schema import Scenario

CONCERNED_FIELDS = ("who", "target", "beneficiary")
"""The fields of an event naming the leaders it is about (not ``by``: its authors)."""


def interventions(
    base: Scenario, alternative: Scenario, mode: Mode | str = Mode.FREE
) -> list[Mark]:
    """The months in which ``alternative``'s runs in ``mode`` depart from ``base``'s.

    An event added or changed marks its month, a dropped event its former month, a
    moved event the earlier of its two months; a changed parameter, leader or post
    acts from the start. Words alone (an event reworded) change nothing and are not
    marked, nor is an event neither scenario's runs apply in ``mode``
    (:func:`simulation.model.initial_state.applies`: in free mode, a scenario's own
    decisions, which a standalone alternative may move or change, as well as drop).
    """
    entries = []
    start = month_start(alternative.start)
    before, after = _events(base), _events(alternative)
    applied = _applied(base, mode) | _applied(alternative, mode)
    for difference in diff_scenarios(base, alternative):
        unapplied = difference.item not in applied
        if not difference.modes or (difference.section == "events" and unapplied):
            continue
        if difference.section != "events":
            if difference.section in ("parameters", "leaders", "posts", "organisations"):
                entries.append((start, f"{difference.item}: changed", SCENARIO_LABEL + 1))
            continue
        event = after.get(difference.item) or before[difference.item]
        name = event.get("label") or event["id"].replace("_", " ")
        if difference.change == "moved":
            month = min(str(difference.old), str(difference.new))
            text = f"{name} moved to {difference.new}"
        else:
            month = event["date"]
            # Labels are clauses as often as names ("Lenin dies"): "no Lenin dies" misread.
            text = {"added": name, "dropped": f"{name} (dropped)", "changed": f"{name} (changed)"}[
                difference.change
            ]
        rank = SCENARIO_LABEL + (difference.change == "changed")  # a new text ranks below
        entries.append((month_start(month), text, rank))
    return by_month(entries)


def _applied(scenario: Scenario, mode: Mode | str) -> set[str]:
    """The ids of the events that ``scenario``'s runs in ``mode`` apply."""
    free_from = decides_from(scenario, Mode(mode))
    return {event.id for event in scenario.events if applies(event, scenario, free_from)}


def concerned_leaders(base: Scenario, alternative: Scenario) -> list[str]:
    """The leaders an alternative is about: named by the events it adds, drops or moves."""
    known = {leader.id for leader in alternative.leaders}
    before, after = _events(base), _events(alternative)
    concerned: list[str] = []
    for difference in diff_scenarios(base, alternative):
        if difference.section == "leaders":
            concerned.append(difference.item)
        if difference.section != "events" or difference.change == "changed":
            continue  # a changed description or motion is not about anyone new
        for event in (before.get(difference.item), after.get(difference.item)):
            if event is None:
                continue
            for field in CONCERNED_FIELDS:
                value = event.get(field) or []
                concerned += [value] if isinstance(value, str) else list(value)
    return [leader for leader in dict.fromkeys(concerned) if leader in known]


def _events(scenario: Scenario) -> dict[str, dict]:
    """A scenario's events as plain data, by id."""
    return {event["id"]: event for event in scenario.model_dump(mode="json")["events"]}
