"""What differs between two resolved scenarios, item by item and field by field.

A counterfactual overlay is short, but what it amounts to is only visible once
it is resolved: this compares the scenarios themselves, so it also shows what
an overlay of an overlay, or a base edited since, really changes. Leaders,
posts, organisations, factions and events are matched by id.

Each difference says in which modes it acts. An event an overlay adds, moves or
changes is an intervention and applies in every mode; so does an exogenous event
and every other change (a parameter, a leader's field). Words alone (a scenario's
name or description, an event's :data:`.schema.EVENT_WORDS`) act in no mode and are
shown without one. A difference in a scenario's own decisions (one the base drops,
or one a standalone scenario adds, moves or changes: only an overlay's changes are
interventions) acts only where that decision is applied: in replay, and before the
month a run branches from history, never in free mode (which lets the leaders
decide, except the first month's settlement).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import yaml

from simulation.scenario.schema import EVENT_WORDS, Scenario

PERIOD = ("start", "end")
KEYED_SECTIONS = ("leaders", "posts", "organisations", "factions")
EVENT_CHANGES = ("added", "dropped", "moved", "changed")
INTERVENTION = "intervention"
"""The event field the changes set; shown as the modes an event acts in, not as a field."""
EVERY_MODE = "acts in every mode"
WORDS = ("name", "description")
"""Scenario fields that change what a scenario is called, not what it does."""


@dataclass(frozen=True)
class Difference:
    """One way the second scenario differs from the first.

    Attributes:
        section: ``scenario``, ``period``, ``parameters``, ``leaders``, ``posts``,
            ``organisations``, ``factions`` or ``events``.
        change: ``added``, ``dropped``, ``moved`` (an event's date) or ``changed``.
        item: the id of the leader, post, organisation, faction or event; the
            field's name for ``scenario``, ``period`` and ``parameters``.
        field: the field that changed within the item ("" for a whole item).
        old: the value before, as plain data (None if the item is added).
        new: the value after (None if the item is dropped).
        modes: in which modes the difference acts, in words (``every mode``,
            ``replay only ...``); not part of what makes two differences equal.
    """

    section: str
    change: str
    item: str
    field: str
    old: object
    new: object
    modes: str = dataclasses.field(default="", compare=False)


def _keyed(items: object) -> dict[str, dict]:
    """A section as ``{id: fields}``, whether it is a list of items or a mapping by id."""
    if isinstance(items, dict):
        return items
    return {item["id"]: item for item in items}


def _compare_items(section: str, before: dict[str, dict], after: dict[str, dict]):
    for key, old in before.items():
        if key not in after:
            yield Difference(section, "dropped", key, "", old, None)
            continue
        new = after[key]
        fields = [name for name in [*old, *new] if old.get(name) != new.get(name)]
        if section == "events" and len(set(fields)) > 1:  # the flag is told by the modes
            fields = [name for name in fields if name != INTERVENTION]
        for name in dict.fromkeys(fields):
            change = "moved" if section == "events" and name == "date" else "changed"
            yield Difference(section, change, key, name, old.get(name), new.get(name))
    for key, new in after.items():
        if key not in before:
            yield Difference(section, "added", key, "", None, new)


def diff_scenarios(before: Scenario, after: Scenario) -> list[Difference]:
    """Every difference from ``before`` to ``after``; events added, dropped, moved, changed."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    differences = []
    for field in old:
        if field in (*KEYED_SECTIONS, "parameters", "events") or old[field] == new[field]:
            continue
        section = "period" if field in PERIOD else "scenario"
        modes = "" if field in WORDS else EVERY_MODE
        differences.append(Difference(section, "changed", field, "", old[field], new[field], modes))
    differences += [
        Difference("parameters", "changed", name, "", value, new["parameters"][name])
        for name, value in old["parameters"].items()
        if value != new["parameters"][name]
    ]
    for section in KEYED_SECTIONS:
        differences += _compare_items(section, _keyed(old[section]), _keyed(new[section]))
    versions = (_keyed(old["events"]), _keyed(new["events"]))
    events = list(_compare_items("events", *versions))
    date = {event["id"]: event["date"] for event in [*old["events"], *new["events"]]}
    differences += sorted(
        events, key=lambda event: (EVENT_CHANGES.index(event.change), date[event.item])
    )
    return [_with_modes(difference, *versions, after) for difference in differences]


def _with_modes(
    difference: Difference, before: dict[str, dict], after: dict[str, dict], scenario: Scenario
) -> Difference:
    """The difference, saying in which modes it acts (see the module docstring).

    Args:
        difference: one difference from ``before``'s events to ``after``'s.
        before: the first scenario's events by id, as plain data.
        after: the second scenario's events by id.
        scenario: the second scenario (its start and the month it branches from history).
    """
    if _words_only(difference):
        return difference
    versions = [events[difference.item] for events in (before, after) if difference.item in events]
    if difference.section != "events" or not all(_replayed_only(e, scenario) for e in versions):
        return dataclasses.replace(difference, modes=EVERY_MODE)
    date = min(event["date"] for event in versions)  # a moved decision acts from the earlier
    return dataclasses.replace(difference, modes=_decision_modes(date, scenario.free_from))


def _replayed_only(event: dict, scenario: Scenario) -> bool:
    """Whether the event is a scenario's own decision, which free mode leaves to the leaders.

    Only an overlay's changes are interventions; a standalone scenario's decisions, moved
    or changed as they may be from the first's, are its own, applied in replay only. The
    first month's settlement applies always.
    """
    return (
        event["kind"] == "decision"
        and not event.get(INTERVENTION)
        and event["date"] != str(scenario.start)
    )


def _decision_modes(date: str, free_from: object) -> str:
    """The modes a difference in a scenario's own decision of ``date`` acts in, in words."""
    if free_from is None:
        return (
            f"acts in replay only (and when branching from history after {date}): "
            "free mode never applied this decision"
        )
    if date < str(free_from):
        return f"acts: this run replays history before {free_from}"
    return (
        f"acts in no mode: the leaders decide from {free_from}, so this decision was never applied"
    )


def _words_only(difference: Difference) -> bool:
    """Whether the difference rewords the scenario or an event, changing no run."""
    if difference.section == "scenario":
        return difference.item in WORDS
    return (
        difference.section == "events"
        and difference.change == "changed"
        and difference.field in EVENT_WORDS
    )


def _show(value: object, width: int = 70) -> str:
    """A value in compact YAML flow style, long text cut short."""
    if value is None:
        return "(unset)"
    if isinstance(value, str):
        value = " ".join(value.split())
        return value if len(value) <= width else value[: width - 3] + "..."
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**6)
    return text.removesuffix("\n...\n").strip()


def _event_line(event: dict) -> str:
    return (
        f"{event['date']} {event['id']} ({event['type']}, {event['kind']}): "
        f"{_show(event['description'])}"
    )


def format_differences(differences: list[Difference], before: str, after: str) -> str:
    """The differences as readable text, grouped by section, one per line with its modes."""
    if not differences:
        return f"{before} and {after} do not differ"
    lines = [f"from {before} to {after}:"]
    heading = None
    for difference in differences:
        section, change = difference.section, difference.change
        title = f"events {change}" if section == "events" else section
        if title != heading:
            lines.append(title)
            heading = title
        if section == "events" and change in ("added", "dropped"):
            sign = "+" if change == "added" else "-"
            line = f"  {sign} {_event_line(difference.new or difference.old)}"
        elif change in ("added", "dropped"):
            line = f"  {difference.item}: {change}"
        else:
            parts = (difference.item, "" if change == "moved" else difference.field)
            name = ".".join(filter(None, parts))
            line = f"  {name}: {_show(difference.old)} -> {_show(difference.new)}"
        lines.append(f"{line} [{difference.modes}]" if difference.modes else line)
    return "\n".join(lines)
