"""What each type of scenario event does to the model's state.

Every event is logged in the order it is applied. Motions voted in an arena
are counted by the delegate mechanism and logged with the outcome the
scenario records: in replay the decision stands whatever the count, and the
count shows how far the latent state supported it.

An ensemble applies each event of a scenario thousands of times, so the
names an event gives are turned into indices once, when the scenario is read
(:func:`prepare`), and each run applies the :class:`PreparedEvent`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulation.model.actions import (
    aggrieve,
    appoint,
    begin_absence,
    begin_intake,
    die,
    elect_central_committee,
    majority_leader,
    pin_blame,
    purge_organisation,
    refill_similarity,
    scenario_verdict,
    set_health,
    shift_standing,
)
from simulation.model.compiled import machine_code
from simulation.model.rows import EventRow, VoteRow
from simulation.scenario.schema import Event, EventKind, EventType

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

SCENARIO = "scenario"
_HEALTH = {EventType.INCAPACITATION: 0.0, EventType.RECOVERY: 1.0}
"""The health a change of health sets when the event gives none."""
_PERSONNEL = {EventType.APPOINTMENT, EventType.REMOVAL, EventType.DEMOTION}
_ATTACKS = {EventType.RESOLUTION, EventType.CONDEMNATION, EventType.POLEMIC, EventType.PUBLICATION}


@dataclass(frozen=True, slots=True, eq=False)
class PreparedEvent:
    """An event with its leaders, posts and organisation as indices, and its log row written."""

    event: Event
    effect: Callable[[PartyModel, PreparedEvent], None] | None
    """What its type does in Python (looked up once: an enum's hash is computed in Python),
    or ``None`` when all it does is in ``actions``."""
    actions: tuple[tuple[Callable, tuple], ...]
    """The compiled actions of the state it applies with arguments known in advance, each
    with them, in order: its type's (a congress, an attack, a change of health, an
    intake), then its influence shocks. Applied from one loop: through a function of
    Python per type and per shock, they cost a run twice what the actions did."""
    authors: np.ndarray
    """An attack's authors, who must live for it to act; empty for other types."""
    who: np.ndarray
    by: np.ndarray
    target: np.ndarray
    beneficiary: int
    post: int
    to_post: int
    organisation: int
    sponsors: np.ndarray
    """The motion's sponsors: for a personnel decision, those who decide it."""
    opposed: np.ndarray
    """Whom the motion is aimed at: for a removal or demotion, the removed."""
    deaths: tuple[tuple[int, tuple[EventRow, ...]], ...]
    """A death's leaders, each with the log row of each post he may leave vacant."""
    blamed_posts: np.ndarray
    blame_sizes: np.ndarray
    vote_row: tuple[str, str, str, str, str]
    """The fields of its :class:`.rows.VoteRow` before the count."""
    log_row: EventRow
    """Its row of the event log (the same in every run: an event applies on its date)."""
    shared: bool
    """Whether it has shared effects other than shocks (blame, a failure, stances, protection): most
    events have none, and a run need not look for them (:func:`_shared_effects`)."""
    logged_only: bool
    """Whether applying it is only logging it (no vote, action, effect or authors): half a
    free run's events, such as most sittings and shocks (:func:`apply_event`)."""


def prepare(
    event: Event,
    leader_index: dict[str, int],
    post_index: dict[str, int],
    organisation_index: dict[str, int],
) -> PreparedEvent:
    """Turn a validated event's names into indices and write its log rows."""

    def leaders(ids: list[str]) -> np.ndarray:
        return np.array([leader_index[leader_id] for leader_id in ids], dtype=np.int64)

    if event.type in _PERSONNEL:
        sponsors = event.by
        opposed = event.who if event.type is not EventType.APPOINTMENT else []
    else:
        sponsors, opposed = event.who, event.target
    actors = event.who or event.by or ([event.beneficiary] if event.beneficiary else [])
    effect = _EFFECTS.get(event.type)
    actions = (
        *_typed_actions(event, leaders),
        *(
            (shift_standing, (leaders([leader]), delta))
            for leader, delta in event.influence.items()
        ),
    )
    authors = leaders(event.who if event.type in _ATTACKS else [])
    shared = bool(event.blame or event.fails_the_line or event.stance or event.protection)
    return PreparedEvent(
        event=event,
        effect=effect,
        actions=actions,
        authors=authors,
        who=leaders(event.who),
        by=leaders(event.by),
        target=leaders(event.target),
        beneficiary=leader_index[event.beneficiary] if event.beneficiary else -1,
        post=post_index[event.post] if event.post else -1,
        to_post=post_index[event.to_post] if event.to_post else -1,
        organisation=organisation_index[event.organisation] if event.organisation else -1,
        sponsors=leaders(sponsors),
        opposed=leaders(opposed),
        deaths=_deaths(event, leader_index, post_index),
        blamed_posts=np.array([post_index[post] for post in event.blame], dtype=np.int64),
        blame_sizes=np.array(list(event.blame.values()), dtype=float),
        vote_row=(
            str(event.date),
            event.arena.value if event.arena else "",
            event.motion or event.description,
            ";".join(sponsors),
            ";".join(opposed),
        ),
        log_row=EventRow(
            str(event.date),
            event.id,
            event.type.value,
            ";".join(actors),
            event.post or "",
            SCENARIO,
            event.description,
            event.organisation or "",
        ),
        shared=shared,
        logged_only=(
            effect is None
            and not actions
            and event.arena is None
            and not shared
            and not authors.size
        ),
    )


def _deaths(
    event: Event, leader_index: dict[str, int], post_index: dict[str, int]
) -> tuple[tuple[int, tuple[EventRow, ...]], ...]:
    """A death's leaders, each with the removal row each post of his would be logged with.

    Written once: a death formatted them in every run, at some 15 µs a death.
    """
    if event.type is not EventType.DEATH:
        return ()
    posts = sorted(post_index, key=post_index.__getitem__)
    vacated = EventRow(str(event.date), event.id, EventType.REMOVAL.value, "", "", SCENARIO, "", "")
    return tuple(
        (
            leader_index[leader_id],
            tuple(
                vacated._replace(actor=leader_id, post=post, detail="post vacated by death")
                for post in posts
            ),
        )
        for leader_id in event.who
    )


def _typed_actions(event: Event, leaders: Callable[[list[str]], np.ndarray]) -> tuple:
    """The compiled actions (with their arguments) of a type whose effect is known in advance."""
    if event.type in _HEALTH:
        level = _HEALTH[event.type] if event.health is None else event.health
        return ((set_health, (leaders(event.who), float(level))),)
    if event.type in _ATTACKS:
        return ((aggrieve, (leaders(event.target), leaders(event.who))),)
    if event.type is EventType.CONGRESS:
        return ((elect_central_committee, ()),)
    if event.type is EventType.MEMBERSHIP_INTAKE:
        months = -1 if event.months is None else event.months
        return ((begin_intake, (float(event.members_per_month), int(months))),)
    return ()


def apply_event(model: PartyModel, prepared: PreparedEvent) -> None:
    """Apply one event: its vote if it has one, its typed effect, then its shared effects.

    The dead do nothing and are given nothing: an attack whose authors are all
    dead has no effect (no vote, no grievance, no cost in standing to anyone),
    and the typed effects skip the dead (see :func:`_living`). Validation
    refuses such events; this keeps a run sound if one gets through. Nor is a man
    removed or demoted from a post no one named holds by then (an overlay that
    moves Kirov's appointment to Leningrad before Zinoviev's removal from it, or a
    removal added after the model took the post): no vote, no grievance, no shock.
    The event is logged all the same, as the scenario's record, with why it did nothing.
    """
    if prepared.logged_only:
        model.event_log.append(prepared.log_row)
        return
    event = prepared.event
    if prepared.authors.size and not model.alive[prepared.authors].any():
        model.event_log.append(prepared.log_row)
        return
    if _from_a_post_not_held(model, prepared):
        model.event_log.append(prepared.log_row._replace(detail=_NOT_HELD.format(prepared.log_row)))
        return
    if event.arena is not None:
        votes_for, votes_against = model.count_vote(
            event.arena, prepared.sponsors, prepared.opposed
        )
        model.vote_log.append(
            VoteRow(*prepared.vote_row, votes_for, votes_against, event.passed, True)
        )
        if event.type is EventType.CONDEMNATION and event.passed:
            arguments = (prepared.sponsors, prepared.opposed, model.step_index)
            _compiled(model, scenario_verdict, *arguments)
    if prepared.effect is not None:
        prepared.effect(model, prepared)
    for action, arguments in prepared.actions:
        _compiled(model, action, *arguments)
    if prepared.shared:
        _shared_effects(model, prepared)
    model.event_log.append(prepared.log_row)


_NOT_HELD = "no effect: {0.actor} did not hold {0.post} by then"


def _from_a_post_not_held(model: PartyModel, prepared: PreparedEvent) -> bool:
    """Whether the event takes a post from leaders none of whom holds it now."""
    kind = prepared.event.type
    if kind is not EventType.REMOVAL and kind is not EventType.DEMOTION:
        return False
    return not model.holds[prepared.who, prepared.post].any()


def _compiled(model: PartyModel, action: Callable, *args: object) -> object:
    """Apply a compiled action of the state through its looked-up machine code.

    Called through numba's dispatcher, an action would have the model's state typed
    at every call (2 µs, more than most actions; see :func:`.compiled.machine_code`).
    Each action is given arguments of one type wherever it is called.
    """
    return machine_code(model, action, *args)(model.state, *args)


def _living(model: PartyModel, leaders: np.ndarray) -> np.ndarray:
    """The living among ``leaders``: an event gives the dead no post, health or absence."""
    return leaders[model.alive[leaders]]


def _absence(model: PartyModel, prepared: PreparedEvent) -> None:
    until = model.step_index + prepared.event.months
    _compiled(model, begin_absence, prepared.who, until, prepared.event.health)
    model.return_months.add(until)


def _death(model: PartyModel, prepared: PreparedEvent) -> None:
    for i, vacated in prepared.deaths:
        model.event_log.extend([vacated[p] for p in model.holds[i].nonzero()[0].tolist()])
        _compiled(model, die, i)


def _appointers(model: PartyModel, prepared: PreparedEvent) -> np.ndarray:
    """Those the appointed owe: the event's ``by``, or for history's election the majority's.

    The leaders' own elections to a body (a Politburo seat) are owed to the leader whose
    majority decides the month (:func:`.actions.majority_leader`,
    :func:`.offices.fill_seats`); a replayed one the scenario names no deciders for is
    owed to him too, so that a branch inherits the debts the replay left as it inherits
    its grievances: Bukharin, seated in Lenin's place in June 1924, owes the majority
    that seated him. An office (a unique post) may be a posting away, as Rakovsky's to
    London was, and leaves a debt only to those the scenario names; so do an exogenous
    appointment, an intervention and the appointments of the first month, the settlement
    the period starts from (the scenario's patrons say who owes whom then), the same in
    a free run as in a branch.
    """
    event = prepared.event
    historys = event.kind is EventKind.DECISION and not event.intervention
    if prepared.by.size or not historys or model.step_index == 0:
        return prepared.by
    if model.spec.posts[event.post].unique:
        return prepared.by
    return np.array([_compiled(model, majority_leader)], dtype=np.int64)


def _appointment(model: PartyModel, prepared: PreparedEvent) -> None:
    post = prepared.post
    displaced = _compiled(model, appoint, prepared.who, post, _appointers(model, prepared))
    for holder, i in displaced.tolist():
        model.log(
            prepared.event.id,
            EventType.REMOVAL.value,
            model.leader_ids[holder],
            model.post_ids[post],
            SCENARIO,
            f"displaced by the appointment of {model.leader_ids[i]}",
            prepared.event.organisation,
        )


def _removal(model: PartyModel, prepared: PreparedEvent) -> None:
    for i in prepared.who:
        model.vacate(i, prepared.post)
    _compiled(model, aggrieve, prepared.who, prepared.by)


def _demotion(model: PartyModel, prepared: PreparedEvent) -> None:
    for i in prepared.who:
        model.vacate(i, prepared.post)
    model.holds[_living(model, prepared.who), prepared.to_post] = True
    _compiled(model, aggrieve, prepared.who, prepared.by)


def _faction_formed(model: PartyModel, prepared: PreparedEvent) -> None:
    model.faction_by_id[prepared.event.faction].active = True


def _faction_dissolved(model: PartyModel, prepared: PreparedEvent) -> None:
    model.faction_by_id[prepared.event.faction].active = False


def _purge(model: PartyModel, prepared: PreparedEvent) -> None:
    event, o = prepared.event, prepared.organisation
    if event.share is not None:
        share = event.share
    else:
        share = min(1.0, event.functionaries / model.functionaries[o])
    if model.alive[prepared.beneficiary]:  # the dead are given no secretaries
        _compiled(model, purge_organisation, o, prepared.target, prepared.beneficiary, share)
    attackers = prepared.by if prepared.by.size else np.array([prepared.beneficiary])
    _compiled(model, aggrieve, prepared.target, attackers)


_EFFECTS: dict[EventType, Callable[[PartyModel, PreparedEvent], None]] = {
    EventType.ABSENCE: _absence,
    EventType.DEATH: _death,
    EventType.APPOINTMENT: _appointment,
    EventType.REMOVAL: _removal,
    EventType.DEMOTION: _demotion,
    EventType.FACTION_FORMED: _faction_formed,
    EventType.FACTION_DISSOLVED: _faction_dissolved,
    EventType.PURGE: _purge,
}
"""What each type does in Python; the others' effects are compiled actions known in advance
(:func:`_typed_actions`), or none (conferences, plenums and shocks act through their shared
effects only)."""


def _shared_effects(model: PartyModel, prepared: PreparedEvent) -> None:
    """Blame on post holders, stance changes and protection changes (shocks are actions)."""
    event = prepared.event
    if event.blame:
        chosen = model.step_index >= model.free_from  # the leaders choose whom to blame
        _compiled(model, pin_blame, prepared.blamed_posts, prepared.blame_sizes, chosen)
    if event.fails_the_line:
        model.failed_in[0] = model.step_index
    if event.stance:
        for leader_id, change in event.stance.items():
            i = model.leader_index[leader_id]
            if change.economic is not None:
                model.stance[i, 0] = change.economic
            if change.regime is not None:
                model.stance[i, 1] = change.regime
        _compiled(model, refill_similarity)
    for org_id, level in event.protection.items():
        model.protection[model.organisation_index[org_id]] = level
