"""The hindsight audit: every exogenous input that names a leader, and a scenario without them.

Free mode should produce the struggle from its mechanisms; an input that pushes a
named leader (a shock to his standing, a shift of his position, blame routed to
the office he happens to hold, an office given him, an office he may never get, a
patron, the organisation whose own man he is) may carry
what the historian knows happened. The audit lists them and the assessment
measures what the patterns lose when all are removed together.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.scenario import Scenario
from simulation.scenario.schema import EventKind, EventType


@dataclass(frozen=True)
class HindsightInput:
    """One leader-targeted input: what it is, where it is declared, whom it names."""

    input: str
    declared_in: str
    date: str
    names: str
    effect: str


_POSTINGS = (EventType.APPOINTMENT, EventType.REMOVAL)
"""Exogenous events that put a named leader in an office or take him out of one (both
types require ``who`` and ``post``)."""


def hindsight_inputs(scenario: Scenario) -> list[HindsightInput]:
    """Every exogenous input of the scenario that targets a named leader, in file order."""
    rows = []
    for event in scenario.events:
        if event.kind is not EventKind.EXOGENOUS:
            continue  # decisions are history's, replayed only; free mode never applies them
        where, date = f"events.{event.id}", str(event.date)
        for leader, delta in event.influence.items():
            rows.append(HindsightInput("influence shock", where, date, leader, f"{delta:+.2f}"))
        for leader, change in event.stance.items():
            moves = ", ".join(
                f"{axis} {value:+.2f}"
                for axis, value in change.model_dump(exclude_none=True).items()
            )
            rows.append(HindsightInput("stance shift", where, date, leader, moves))
        if event.type in _POSTINGS:
            for leader in event.who:
                rows.append(HindsightInput(event.type.value, where, date, leader, event.post))
        for post, amount in event.blame.items():
            rows.append(
                HindsightInput(
                    "blame through a post", where, date, f"holder of {post}", f"{amount:.2f}"
                )
            )
    for leader in scenario.leaders:
        if leader.barred_from:
            rows.append(
                HindsightInput(
                    "barred_from",
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    ", ".join(leader.barred_from),
                )
            )
        if leader.patron:
            rows.append(
                HindsightInput(
                    "patron",
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    f"client of {leader.patron}",
                )
            )
        if leader.organisation:
            rows.append(
                HindsightInput(
                    "organisation",
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    f"own man of {leader.organisation}",
                )
            )
    return rows


def without_hindsight(scenario: Scenario) -> Scenario:
    """The scenario with every input of :func:`hindsight_inputs` removed together.

    Exogenous events lose their influence, stance and blame (a stance shift,
    which does nothing else, is dropped, and so is an appointment or removal of a
    named leader: the model's successions decide instead); no leader is barred
    from an office or starts as anyone's client. Everything else, the calendar, illness and death
    and the economy, stays. No leader is any organisation's own man either:
    a vacant head's office is then filled by the appointer's clients or from
    the post's succession lines.
    """
    events = []
    for event in scenario.events:
        if event.kind is EventKind.EXOGENOUS:
            if event.type is EventType.STANCE_SHIFT or event.type in _POSTINGS:
                continue
            stripped = {"influence": {}, "stance": {}, "blame": {}, "failure": event.fails_the_line}
            event = event.model_copy(update=stripped)
        events.append(event)
    leaders = [
        leader.model_copy(update={"barred_from": [], "patron": None, "organisation": None})
        for leader in scenario.leaders
    ]
    return scenario.model_copy(update={"events": events, "leaders": leaders})
