"""What differs between two resolved scenarios, item by item and field by field.

A counterfactual overlay is short, but what it amounts to is only visible once
it is resolved: this compares the scenarios themselves, so it also shows what
an overlay of an overlay, or a base edited since, really changes. Leaders,
posts, organisations, factions and events are matched by id.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from simulation.scenario.schema import Scenario

PERIOD = ("start", "end")
KEYED_SECTIONS = ("leaders", "posts", "organisations", "factions")
EVENT_CHANGES = ("added", "dropped", "moved", "changed")


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
    """

    section: str
    change: str
    item: str
    field: str
    old: object
    new: object


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
        for field in [*old, *(field for field in new if field not in old)]:
            if old.get(field) == new.get(field):
                continue
            change = "moved" if section == "events" and field == "date" else "changed"
            yield Difference(section, change, key, field, old.get(field), new.get(field))
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
        differences.append(Difference(section, "changed", field, "", old[field], new[field]))
    differences += [
        Difference("parameters", "changed", name, "", value, new["parameters"][name])
        for name, value in old["parameters"].items()
        if value != new["parameters"][name]
    ]
    for section in KEYED_SECTIONS:
        differences += _compare_items(section, _keyed(old[section]), _keyed(new[section]))
    events = list(_compare_items("events", _keyed(old["events"]), _keyed(new["events"])))
    date = {event["id"]: event["date"] for event in [*old["events"], *new["events"]]}
    differences += sorted(
        events, key=lambda event: (EVENT_CHANGES.index(event.change), date[event.item])
    )
    return differences


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
    """The differences as readable text, grouped by section, one per line."""
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
            lines.append(f"  {sign} {_event_line(difference.new or difference.old)}")
        elif change in ("added", "dropped"):
            lines.append(f"  {difference.item}: {change}")
        else:
            parts = (difference.item, "" if change == "moved" else difference.field)
            name = ".".join(filter(None, parts))
            lines.append(f"  {name}: {_show(difference.old)} -> {_show(difference.new)}")
    return "\n".join(lines)
