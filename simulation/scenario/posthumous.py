"""Events for the dead: nothing may give a leader anything, or make him act, after his death.

A scenario, an overlay or a command-line flag can easily put an event after a
death (moving Lenin's death earlier is one flag): an appointment of Lenin in
1926, a polemic he writes from the grave, a recovery, a second death. The
model would apply them, so they are refused here, each message naming the
event and the death it comes after. Taking something from the dead (a
removal, a condemnation aimed at him) is allowed: it gives him nothing.

Events apply month by month, and in one month in the order they stand, so an
event in the month of a death comes after it only if it stands after it.
"""

from __future__ import annotations

from collections.abc import Iterator

from simulation.scenario.checks import Problem
from simulation.scenario.messages import Path, quote
from simulation.scenario.schema import Event, EventType, Scenario

_WHO_ROLE = {
    EventType.INCAPACITATION: "change the health of",
    EventType.RECOVERY: "change the health of",
    EventType.ABSENCE: "change the health of",
    EventType.DEATH: "come a second time to",
    EventType.APPOINTMENT: "give an office to",
    EventType.DEMOTION: "give an office to",
    EventType.RESOLUTION: "be moved by",
    EventType.CONDEMNATION: "be moved by",
    EventType.POLEMIC: "be written by",
    EventType.PUBLICATION: "be written by",
}
"""What an event would do to (or have done by) the leaders it names in ``who``."""


def check_posthumous(scenario: Scenario) -> Iterator[Problem]:
    """Yield a problem for every event that gives to, or is done by, a leader already dead."""
    died: dict[str, tuple[int, Event]] = {}
    members = {faction.id: faction.members for faction in scenario.factions}
    in_order = sorted(enumerate(scenario.events), key=lambda item: item[1].date)
    for index, event in in_order:
        for field, position, leader, role in _named(event, members):
            if leader not in died:
                continue
            death_index, death = died[leader]
            at: Path = ("events", index, field)
            if position is not None:
                at = (*at, position)
            kind = event.type.value.replace("_", " ")
            article = "an" if kind[0] in "aeiou" else "a"
            yield Problem(
                at,
                f"{article} {kind} cannot {role} {quote(leader)} after his death in "
                f"{death.date}, event {quote(death.id)}",
                related=("events", death_index, "who"),
            )
        if event.type is EventType.DEATH:
            for leader in event.who:
                died.setdefault(leader, (index, event))


def _named(
    event: Event, members: dict[str, list[str]]
) -> Iterator[tuple[str, int | str | None, str, str]]:
    """Each leader an event gives something to or makes act: field, position, id, role."""
    role = _WHO_ROLE.get(event.type)
    if role is not None:
        for position, leader in enumerate(event.who):
            yield "who", position, leader, role
    for position, leader in enumerate(event.by):
        yield "by", position, leader, "be decided by"
    if event.beneficiary is not None:
        yield "beneficiary", None, event.beneficiary, "benefit"
    for leader in event.influence:
        yield "influence", leader, leader, "change the standing of"
    for leader in event.stance:
        yield "stance", leader, leader, "change the stance of"
    if event.type is EventType.FACTION_FORMED and event.faction in members:
        for leader in members[event.faction]:
            yield "faction", None, leader, "count among its members"
