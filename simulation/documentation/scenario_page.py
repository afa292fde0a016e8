"""docs/scenario.md: the baseline's people, offices and events, and every counterfactual.

The baseline (``scenarios/baseline_1922.yaml``) gives the leaders, posts,
organisations and events, each with its citation; every overlay in
``scenarios/counterfactuals/`` gives its rationale (its ``description``) and,
through :func:`simulation.scenario.diff.diff_scenarios` (what ``interregnum
diff`` prints), what it changes and in which modes each change acts.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simulation.documentation.markdown import note, number, table
from simulation.documentation.sources import scenario
from simulation.scenario import Scenario
from simulation.scenario.diff import WORDS, Difference, diff_scenarios

PAGE = "docs/scenario.md"
BASELINE = "scenarios/baseline_1922.yaml"
COUNTERFACTUALS = "scenarios/counterfactuals"
VALUE_WIDTH = 90
"""Longest value shown in a change's cell before it is cut short."""


def _value(value: object) -> str:
    """A scenario value in compact YAML flow style; long text cut short."""
    if value is None:
        return "(unset)"
    if isinstance(value, str):
        text = " ".join(value.split())
    else:
        dumped = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**6)
        text = dumped.removesuffix("\n...\n").strip()
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."


def _change(difference: Difference) -> tuple[str, str, str, str]:
    """One difference as a row: what changed, of which item, from what to what, in which modes."""
    section, change = difference.section, difference.change
    if section == "events" and change in ("added", "dropped"):
        event = difference.new or difference.old
        what = f"{event['date']} {event['type']} ({event['kind']}): {_value(event['description'])}"
        return f"event {change}", f"`{difference.item}`", what, difference.modes
    name = ".".join(filter(None, (difference.item, difference.field)))
    if change in ("added", "dropped"):
        return f"{section} {change}", f"`{difference.item}`", "", difference.modes
    kind = "event moved" if change == "moved" else f"{section.removesuffix('s')} changed"
    what = f"{_value(difference.old)} → {_value(difference.new)}"
    return kind, f"`{name}`", what, difference.modes or "no mode (words only)"


def _people(baseline: Scenario) -> str:
    rows = [
        (
            f"`{leader.id}`",
            leader.name,
            number(leader.influence),
            number(leader.apparatus),
            ", ".join(leader.posts),
            f"{leader.stance.economic:+.1f}, {leader.stance.regime:+.1f}",
            leader.source,
        )
        for leader in baseline.leaders
    ]
    header = ["id", "name", "influence", "apparatus", "posts", "stance (econ., regime)", "source"]
    return table(header, rows)


def _posts(baseline: Scenario) -> str:
    rows = [
        (
            f"`{post_id}`",
            post.name,
            number(post.patronage),
            number(post.prestige),
            "yes" if post.unique else "no",
            post.appoints_in if isinstance(post.appoints_in, str) else ", ".join(post.appoints_in),
            post.source,
        )
        for post_id, post in baseline.posts.items()
    ]
    header = ["id", "name", "patronage", "prestige", "unique", "appoints in", "source"]
    return table(header, rows)


def _events(baseline: Scenario) -> str:
    rows = [
        (
            str(event.date),
            f"`{event.id}`",
            event.type.value,
            event.kind.value,
            event.description,
            event.source,
        )
        for event in baseline.events
    ]
    return table(["date", "id", "type", "kind", "what happens", "source"], rows)


def _overlay(baseline: Scenario, path: str, overlay: Scenario) -> list[str]:
    """An overlay's section: its rationale (with its citation, which ends the description)."""
    changes = [
        _change(difference)
        for difference in diff_scenarios(baseline, overlay)
        if not (difference.section == "scenario" and difference.item in WORDS)
    ]
    branch = (
        f" It branches from history in {overlay.free_from}: the baseline's decisions are "
        f"replayed before that month and the leaders decide from it on."
        if overlay.free_from
        else ""
    )
    return [
        f"### {overlay.name}",
        "",
        f"`{path}`",
        "",
        " ".join(overlay.description.split()) + branch,
        "",
        table(["change", "item", "what", "acts"], changes) if changes else "No difference.",
        "",
    ]


def render(root: Path) -> str:
    """The page's Markdown."""
    baseline = scenario(root, BASELINE)
    overlays = sorted((root / COUNTERFACTUALS).glob("*.yaml"))
    kinds: dict[str, int] = {}
    for event in baseline.events:
        kinds[event.kind.value] = kinds.get(event.kind.value, 0) + 1
    counted = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    lines = [
        note(BASELINE, f"{COUNTERFACTUALS}/*.yaml"),
        "",
        "# Scenario",
        "",
        f"The baseline scenario, `{BASELINE}` (`{baseline.name}`), from "
        f"{baseline.start} to {baseline.end}, one step a month. "
        + " ".join(baseline.description.split()),
        "",
        f"It has {len(baseline.leaders)} leaders, {len(baseline.posts)} posts, "
        f"{len(baseline.organisations)} organisations, {len(baseline.factions)} declared "
        f"factions and {len(baseline.events)} events ({counted}). An *exogenous* event is "
        "what no leader decided (illness, death, foreign and economic shocks, membership "
        "intakes, the calendar of sittings) and applies in every mode; a *decision* is forced "
        "on its date in replay and left to the leaders in free mode (except the first "
        "month's settlement). Events of one month apply in the order listed. How each type "
        "acts on the model is in the [ODD description](odd.md#scenario-events).",
        "",
        "## Leaders in April 1922",
        "",
        "Influence and apparatus are shares (0 to 1); stances run from -1 to +1 (economic: "
        "industrialisation at the peasants' expense … NEP; regime: inner-party democracy … "
        "apparatus discipline).",
        "",
        _people(baseline),
        "",
        "## Offices",
        "",
        _posts(baseline),
        "",
        "## Events",
        "",
        _events(baseline),
        "",
        "## Counterfactual overlays",
        "",
        f"Each file in `{COUNTERFACTUALS}/` extends the baseline with a few changes; its "
        "description gives the historical case for it. The table under each lists what the "
        "resolved overlay changes, as `interregnum diff` reports it, with the modes in which "
        "each change acts: an event an overlay adds, changes or moves is an intervention and "
        "acts in every mode; dropping one of the baseline's own decisions acts only where that "
        "decision would have been applied (replay, or before the month a run branches from "
        "history); an event only reworded (its description, citation, label or motion) is not "
        "an intervention, and its words act in no mode.",
        "",
    ]
    for overlay in overlays:
        path = str(overlay.relative_to(root))
        lines += _overlay(baseline, path, scenario(root, path))
    return "\n".join(lines)


def files(root: Path) -> dict[str, bytes]:
    """The files this page writes."""
    return {PAGE: render(root).encode("utf-8")}
