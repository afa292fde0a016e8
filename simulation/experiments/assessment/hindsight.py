"""The hindsight audit: every input that names a leader, and scenarios without them.

Free mode should produce the struggle from its mechanisms; an input that pushes a
named leader (a shock to his standing, a shift of his position, blame routed to
the office he happens to hold, an office given him, an office he may never get, a
patron, the organisation whose own man he is) may carry
what the historian knows happened. So may a starting stance estimated from what a
leader did later (``stance_read_off``): a position read off the Declaration of the 46
places its signatories where they went. The starting settlement (the first month's
decisions, which every run applies: the period starts from them, issue 11 §6) and the
arbiter are facts of 1922, not verdicts on what followed, but they name leaders too.
The audit lists them all, and the assessment measures the patterns without each kind
(:data:`AUDITS`): the exogenous inputs removed together, the later stances at the
leadership's average, the settlement left to the model, no arbiter.
"""

from __future__ import annotations

from collections.abc import Callable
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


AXES = ("economic", "regime")
SHOCK, SHIFT, BLAME = "influence shock", "stance shift", "blame through a post"
BARRED, PATRON, ORGANISATION = "barred_from", "patron", "organisation"
EXOGENOUS = (
    SHOCK,
    SHIFT,
    EventType.APPOINTMENT.value,
    EventType.REMOVAL.value,
    BLAME,
    BARRED,
    PATRON,
    ORGANISATION,
)
"""The kinds of input :func:`without_hindsight` removes together (issue 11's figure)."""
SETTLEMENT = "starting settlement"
LATER_STANCE = "stance read off a later act"
ARBITER = "arbiter"


def hindsight_inputs(scenario: Scenario) -> list[HindsightInput]:
    """Every input of the scenario that targets a named leader.

    Its events' in file order, then the leaders' own, then the arbiter.
    """
    rows = []
    for event in scenario.events:
        where, date = f"events.{event.id}", str(event.date)
        if event.kind is not EventKind.EXOGENOUS:
            # History's decisions are replayed only, but those of the first month start
            # every run (model.initial_state.applies); an intervention is the user's own.
            if event.date == scenario.start and not event.intervention:
                for leader in event.who:
                    done = f"{event.type.value} {event.post or ''}".strip()
                    rows.append(HindsightInput(SETTLEMENT, where, date, leader, done))
            continue
        for leader, delta in event.influence.items():
            rows.append(HindsightInput(SHOCK, where, date, leader, f"{delta:+.2f}"))
        for leader, change in event.stance.items():
            moves = ", ".join(
                f"{axis} {value:+.2f}"
                for axis, value in change.model_dump(exclude_none=True).items()
            )
            rows.append(HindsightInput(SHIFT, where, date, leader, moves))
        if event.type in _POSTINGS:
            for leader in event.who:
                rows.append(HindsightInput(event.type.value, where, date, leader, event.post))
        for post, amount in event.blame.items():
            rows.append(HindsightInput(BLAME, where, date, f"holder of {post}", f"{amount:.2f}"))
    for leader in scenario.leaders:
        for axis, act in leader.stance_read_off.items():
            value = getattr(leader.stance, axis)
            rows.append(
                HindsightInput(
                    LATER_STANCE,
                    f"leaders.{leader.id}.stance.{axis}",
                    str(scenario.start),
                    leader.id,
                    f"{axis} {value:+.2f}: {act}",
                )
            )
        if leader.barred_from:
            rows.append(
                HindsightInput(
                    BARRED,
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    ", ".join(leader.barred_from),
                )
            )
        if leader.patron:
            rows.append(
                HindsightInput(
                    PATRON,
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    f"client of {leader.patron}",
                )
            )
        if leader.organisation:
            rows.append(
                HindsightInput(
                    ORGANISATION,
                    f"leaders.{leader.id}",
                    str(scenario.start),
                    leader.id,
                    f"own man of {leader.organisation}",
                )
            )
    if scenario.arbiter:
        rows.append(
            HindsightInput(
                ARBITER,
                "arbiter",
                str(scenario.start),
                scenario.arbiter,
                "while he lives no Politburo member is condemned or removed",
            )
        )
    return rows


def without_later_stances(scenario: Scenario) -> Scenario:
    """The scenario with each axis of a starting stance read off a later act at the average.

    The average is the leadership's: the mean of every leader's starting value on that
    axis, what is known of a leader whose own line is known only from what he did
    later. The axes read off nothing later, and everything else, stay.
    """
    average = {
        axis: sum(getattr(leader.stance, axis) for leader in scenario.leaders)
        / len(scenario.leaders)
        for axis in AXES
    }
    leaders = []
    for leader in scenario.leaders:
        if leader.stance_read_off:
            moved = {axis: round(average[axis], 6) for axis in leader.stance_read_off}
            stance = leader.stance.model_copy(update=moved)
            leader = leader.model_copy(update={"stance": stance, "stance_read_off": {}})
        leaders.append(leader)
    return scenario.model_copy(update={"leaders": leaders})


def without_hindsight(scenario: Scenario) -> Scenario:
    """The scenario with every exogenous input of :func:`hindsight_inputs` removed together.

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


def without_settlement(scenario: Scenario) -> Scenario:
    """The scenario without the decisions of its first month: the model fills the offices.

    An intervention dated then is the user's and stays.
    """
    events = [
        event
        for event in scenario.events
        if event.kind is not EventKind.DECISION
        or event.intervention
        or event.date != scenario.start
    ]
    return scenario.model_copy(update={"events": events})


def without_arbiter(scenario: Scenario) -> Scenario:
    """The scenario without an arbiter: no leader's life holds the others' motions back."""
    return scenario.model_copy(update={"arbiter": None})


@dataclass(frozen=True)
class Audit:
    """A variant of the assessment without one kind of leader-named input.

    Attributes:
        name: the variant's name in the assessment's tables.
        kinds: the kinds of :class:`HindsightInput` it takes away.
        remove: the scenario without them.
        removes: what it does, in words.
    """

    name: str
    kinds: tuple[str, ...]
    remove: Callable[[Scenario], Scenario]
    removes: str


AUDITS = (
    Audit(
        "no hindsight",
        EXOGENOUS,
        without_hindsight,
        "every leader-targeted exogenous input removed",
    ),
    Audit(
        "no later stances",
        (LATER_STANCE,),
        without_later_stances,
        "each starting stance read off a later act at the leadership's average",
    ),
    Audit(
        "no settlement",
        (SETTLEMENT,),
        without_settlement,
        "the first month's decisions left to the model",
    ),
    Audit("no arbiter", (ARBITER,), without_arbiter, "no arbiter"),
)
"""The audit's variants, the first the one issue 11's figure reads (under 0.15)."""


def audits_of(scenario: Scenario) -> list[Audit]:
    """The audits an assessment of ``scenario`` runs.

    The first always, for its figure; the others if they take something from it: a
    variant without a kind of input the scenario lacks would repeat the model's runs.
    """
    kinds = {row.input for row in hindsight_inputs(scenario)}
    return [AUDITS[0], *(audit for audit in AUDITS[1:] if kinds & set(audit.kinds))]
