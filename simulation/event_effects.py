"""What each type of scenario event does to the model's state.

Every event is logged in the order it is applied. Motions voted in an arena
are counted by the delegate mechanism and logged with the outcome the
scenario records: in replay the decision stands whatever the count, and the
count shows how far the latent state supported it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import alliances, influence, patronage
from simulation.mechanisms.alliances import stance_similarity
from simulation.scenario.schema import Event, EventType

if TYPE_CHECKING:
    from simulation.model import PartyModel

SCENARIO = "scenario"


def apply_event(model: PartyModel, event: Event) -> None:
    """Apply one event: its vote if it has one, its typed effect, then its shared effects."""
    if event.arena is not None:
        sponsors, targets = _sides_of_motion(model, event)
        votes_for, votes_against = model.count_vote(event.arena, sponsors, targets)
        model.vote_log.append(
            (
                model.date,
                event.arena.value,
                event.motion or event.description,
                ";".join(model.leader_ids[i] for i in sponsors),
                ";".join(model.leader_ids[i] for i in targets),
                votes_for,
                votes_against,
                event.passed,
            )
        )
    _EFFECTS.get(event.type, _no_effect)(model, event)
    _shared_effects(model, event)
    actors = event.who or event.by or ([event.beneficiary] if event.beneficiary else [])
    log_event(model, event, event.type.value, ";".join(actors), event.post, event.description)


def log_event(
    model: PartyModel, event: Event, kind: str, actor: str, post: str | None, detail: str
) -> None:
    """Append a row for a scenario event to the run's event log."""
    model.log(event.id, kind, actor, post, SCENARIO, detail, event.organisation)


_PERSONNEL = {EventType.APPOINTMENT, EventType.REMOVAL, EventType.DEMOTION}


def _sides_of_motion(model: PartyModel, event: Event) -> tuple[np.ndarray, np.ndarray]:
    """Who proposes and who is aimed at: for a removal, the deciders against the removed."""
    if event.type in _PERSONNEL:
        sponsors = event.by
        targets = event.who if event.type is not EventType.APPOINTMENT else []
    else:
        sponsors, targets = event.who, event.target
    return model.indices(sponsors), model.indices(targets)


def _aggrieve(model: PartyModel, victims: list[str], attackers: list[str]) -> None:
    model.aggrieve(model.indices(victims), model.indices(attackers))


def _oblige(model: PartyModel, appointees: list[str], patrons: list[str]) -> None:
    alliances.add_tie(
        model.obligation,
        model.indices(appointees),
        model.indices(patrons),
        model.parameters.appointment_obligation,
    )


def _set_health(model: PartyModel, event: Event, default: float) -> None:
    level = default if event.health is None else event.health
    model.health[model.indices(event.who)] = level


def _incapacitation(model: PartyModel, event: Event) -> None:
    _set_health(model, event, 0.0)


def _recovery(model: PartyModel, event: Event) -> None:
    _set_health(model, event, 1.0)


def _absence(model: PartyModel, event: Event) -> None:
    who = model.indices(event.who)
    model.health_after_absence[who] = np.where(
        model.absence_ends[who] >= 0, model.health_after_absence[who], model.health[who]
    )
    model.absence_ends[who] = model.step_index + event.months
    model.return_months.add(model.step_index + event.months)
    model.health[who] = event.health


def _death(model: PartyModel, event: Event) -> None:
    for i in model.indices(event.who):
        for p in np.flatnonzero(model.holds[i]):
            model.vacate(i, p, event.id, SCENARIO, "post vacated by death")
        model.alive[i] = False
        model.health[i] = 0.0
        model.influence[i] = 0.0
        model.record[i] = 0.0
        model.loyalty[:, i] = 0.0
        model.affinity[i, :] = 0.0
        model.affinity[:, i] = 0.0
        model.absence_ends[i] = -1


def _appointment(model: PartyModel, event: Event) -> None:
    p = model.post_index[event.post]
    for i in model.indices(event.who):
        if model.unique_post[p]:
            for holder in np.flatnonzero(model.holds[:, p]):
                if holder != i:
                    model.holds[holder, p] = False
                    log_event(
                        model,
                        event,
                        EventType.REMOVAL.value,
                        model.leader_ids[holder],
                        event.post,
                        f"displaced by the appointment of {model.leader_ids[i]}",
                    )
        model.holds[i, p] = True
    _oblige(model, event.who, event.by)


def _removal(model: PartyModel, event: Event) -> None:
    model.holds[model.indices(event.who), model.post_index[event.post]] = False
    _aggrieve(model, event.who, event.by)


def _demotion(model: PartyModel, event: Event) -> None:
    who = model.indices(event.who)
    model.holds[who, model.post_index[event.post]] = False
    model.holds[who, model.post_index[event.to_post]] = True
    _aggrieve(model, event.who, event.by)


def _attack(model: PartyModel, event: Event) -> None:
    """Resolutions, condemnations, polemics and publications aggrieve their targets."""
    _aggrieve(model, event.target, event.who)


def _faction_formed(model: PartyModel, event: Event) -> None:
    model.faction_by_id[event.faction].active = True


def _faction_dissolved(model: PartyModel, event: Event) -> None:
    model.faction_by_id[event.faction].active = False


def _membership_intake(model: PartyModel, event: Event) -> None:
    q = model.intake_count[0]
    model.intake_per_month[q] = event.members_per_month
    model.intake_months_left[q] = -1 if event.months is None else event.months
    model.intake_count[0] = q + 1


def _purge(model: PartyModel, event: Event) -> None:
    o = model.organisation_index[event.organisation]
    if event.share is not None:
        share = event.share
    else:
        share = min(1.0, event.functionaries / model.functionaries[o])
    beneficiary = model.leader_index[event.beneficiary]
    patronage.purge(model.loyalty, o, model.indices(event.target), beneficiary, share)
    model.apparatus[:] = patronage.apparatus_shares(model.loyalty, model.members)
    _aggrieve(model, event.target, event.by or [event.beneficiary])


def _congress(model: PartyModel, event: Event) -> None:
    model.elect_central_committee()


def _no_effect(model: PartyModel, event: Event) -> None:
    """Conferences, plenums and shocks act through their shared effects only."""


_EFFECTS: dict[EventType, Callable[[PartyModel, Event], None]] = {
    EventType.INCAPACITATION: _incapacitation,
    EventType.RECOVERY: _recovery,
    EventType.ABSENCE: _absence,
    EventType.DEATH: _death,
    EventType.APPOINTMENT: _appointment,
    EventType.REMOVAL: _removal,
    EventType.DEMOTION: _demotion,
    EventType.RESOLUTION: _attack,
    EventType.CONDEMNATION: _attack,
    EventType.POLEMIC: _attack,
    EventType.PUBLICATION: _attack,
    EventType.FACTION_FORMED: _faction_formed,
    EventType.FACTION_DISSOLVED: _faction_dissolved,
    EventType.MEMBERSHIP_INTAKE: _membership_intake,
    EventType.PURGE: _purge,
    EventType.CONGRESS: _congress,
}


def _shared_effects(model: PartyModel, event: Event) -> None:
    """Influence shocks, blame on post holders, stance changes and protection changes."""
    for leader_id, delta in event.influence.items():
        model.shift_standing(np.array([model.leader_index[leader_id]]), delta)
    if event.blame:
        influence.blame(
            model.influence,
            model.record,
            model.grievance,
            model.holds,
            model.alive,
            int(np.argmax(model.power())),
            np.array([model.post_index[post_id] for post_id in event.blame], dtype=np.int64),
            np.array(list(event.blame.values())),
            model.parameters.polemic_grievance,
        )
    if event.stance:
        for leader_id, change in event.stance.items():
            i = model.leader_index[leader_id]
            if change.economic is not None:
                model.stance[i, 0] = change.economic
            if change.regime is not None:
                model.stance[i, 1] = change.regime
        model.similarity[:] = stance_similarity(model.stance)
    for org_id, level in event.protection.items():
        model.protection[model.organisation_index[org_id]] = level
