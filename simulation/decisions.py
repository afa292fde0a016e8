"""Free mode: the leaders' decisions, made each month from the state.

Replay forces the scenario's decisions; in free mode this module makes them.
Each month, after the month's exogenous events: purges decided by last
month's congress are carried out; vacant offices are filled by the dominant
leader; then the Politburo (which sits every month and campaigns with
probability ``campaign_rate``) and any plenum, conference or congress sitting
this month hold their contest. After the month's mechanisms,
:func:`update_factions` records the declared factions as active or not from
their members' new affinities.

While the scenario's ``arbiter`` lives (Lenin), no Politburo member is
condemned or removed: the chapter dates the first reorganisation of power to
his death, which ended two years in which none had been possible (§The Party
and the Opposition after Lenin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import alliances, contests, patronage, power
from simulation.mechanisms.contests import Move
from simulation.scenario.schema import Arena

if TYPE_CHECKING:
    from simulation.model import PartyModel

MODEL = "model"


def decide(model: PartyModel) -> None:
    """Make the month's decisions in free mode (see the module docstring for the order)."""
    if model.pending_purges:
        _carry_out_purges(model)
    campaign = model.rng.random() < model.parameters.campaign_rate
    sittings = model.sittings_this_month()
    if not (campaign or sittings or model.vacated):
        return  # most months: nothing to decide, and nothing to compute
    shares = model.power()
    dominant = power.dominant(shares, model.alive, model.health)
    if model.vacated:
        _fill_vacancies(model, dominant, shares)
    if campaign:
        _contest(model, Arena.POLITBURO, dominant)
    for arena in sittings:
        if arena is Arena.PLENUM:
            _plenum(model, dominant)
        else:
            _contest(model, arena, dominant)


def _truce(model: PartyModel) -> bool:
    return model.arbiter >= 0 and bool(model.alive[model.arbiter])


def _name(model: PartyModel, indices: np.ndarray) -> str:
    return ";".join(model.leader_ids[i] for i in indices)


def _motion(
    model: PartyModel,
    arena: Arena,
    move: Move,
    proposer: int,
    targets: np.ndarray,
    sides: tuple[np.ndarray, float] | None = None,
) -> bool:
    """Put a motion to the arena's vote, log it, and say whether it carried."""
    tally = model.count_vote(arena, np.array([proposer]), targets, sides)
    carried = tally.votes_for > tally.votes_against
    named = _name(model, targets)
    model.vote_log.append(
        (
            model.date,
            arena.value,
            f"{move.value} of {named}",
            model.leader_ids[proposer],
            named,
            tally.votes_for,
            tally.votes_against,
            carried,
        )
    )
    return carried


def _expected_share(model: PartyModel, arena: Arena, sides: np.ndarray, p_opinion: float) -> float:
    if arena is Arena.POLITBURO:
        return contests.expected_member_share(sides[model.politburo_voters()], p_opinion)
    return contests.expected_delegate_share(*model.delegation(arena), sides, p_opinion)


def _contest(model: PartyModel, arena: Arena, proposer: int) -> None:
    """Campaign (Politburo) or condemnation (conference, congress) against the main rival."""
    politburo = arena is Arena.POLITBURO
    if not politburo and _truce(model):
        return
    p = model.parameters
    rival, targets, sides, p_opinion = contests.plan_motion(
        model.affinity,
        model.apparatus,
        model.influence,
        model.alive,
        model.condemned,
        model.holds,
        model.unique_post,
        proposer,
        not politburo,
        p.hostility,
        p.side_threshold,
        p.ally_threshold,
        p.opinion_gamma,
    )
    if rival < 0:
        return
    if _expected_share(model, arena, sides, p_opinion) < p.move_threshold:
        return
    move = Move.CAMPAIGN if politburo else Move.CONDEMNATION
    if not _motion(model, arena, move, proposer, targets, (sides, p_opinion)):
        return
    proposer_side = np.array([proposer])
    size = p.campaign_size if move is Move.CAMPAIGN else p.condemnation_size
    model.shift_standing(targets, -size)
    model.aggrieve(targets, proposer_side)
    kind = "polemic" if move is Move.CAMPAIGN else "condemnation"
    for target in targets:
        model.log(
            f"{move.value}-{model.leader_ids[target]}",
            kind,
            model.leader_ids[proposer],
            None,
            MODEL,
            f"{arena.value}: {move.value} of {model.leader_ids[target]}",
        )
    if move is Move.CONDEMNATION:
        first = targets[~model.condemned[targets]]
        model.condemned_since[first] = model.step_index
        model.condemned[targets] = True
        if arena is Arena.CONGRESS:
            _schedule_purges(model, targets, proposer)


def _plenum(model: PartyModel, proposer: int) -> None:
    """Strip condemned, diminished rivals of their posts, one motion per kind of move.

    Only rivals condemned at least ``removal_delay`` months ago are ripe: a
    leader is not stripped of office the day he is condemned.
    """
    if _truce(model) or not model.condemned.any():
        return
    p = model.parameters
    removals, expulsions, removals_first = contests.plenum_moves(
        model.holds,
        model.unique_post,
        model.alive,
        model.condemned_since,
        model.influence,
        model.step_index,
        proposer,
        p.removal_delay,
        p.removal_threshold,
        p.expulsion_threshold,
    )
    by_move = {Move.REMOVAL: removals, Move.EXPULSION: expulsions}
    order = (Move.REMOVAL, Move.EXPULSION) if removals_first else (Move.EXPULSION, Move.REMOVAL)
    for move in order:
        targets = by_move[move]
        if not targets.size:
            continue
        if not _motion(model, Arena.PLENUM, move, proposer, targets):
            continue
        for target in targets:
            posts = model.holds[target].copy()
            if move is Move.REMOVAL:
                posts &= model.unique_post
            for post in np.flatnonzero(posts):
                model.vacate(
                    target,
                    post,
                    f"{move.value}-{model.leader_ids[target]}",
                    MODEL,
                    f"plenum: {move.value} of {model.leader_ids[target]}",
                )
        model.aggrieve(targets, np.array([proposer]))


def _schedule_purges(model: PartyModel, targets: np.ndarray, beneficiary: int) -> None:
    """A congress defeat is followed next month by a purge of organisations that backed the losers.

    An organisation is purged when the losers hold its head post and their
    clients are a large share of its secretaries (``purge_trigger``): its
    delegation voted against the congress, as Leningrad's did in December 1925.
    """
    trigger = model.parameters.purge_trigger
    for o, head in enumerate(model.head_post):
        if head < 0 or not model.holds[targets, head].any():
            continue
        if model.loyalty[o, targets].sum() >= trigger:
            model.pending_purges.append((model.step_index + 1, o, targets, beneficiary))


def _carry_out_purges(model: PartyModel) -> None:
    due = [purge for purge in model.pending_purges if purge[0] == model.step_index]
    for _, o, targets, beneficiary in due:
        model.loyalty = patronage.purge(
            model.loyalty, o, targets, beneficiary, model.parameters.purge_share
        )
        model.apparatus = patronage.apparatus_shares(model.loyalty, model.members)
        head = model.head_post[o]
        for target in targets:
            if model.holds[target, head]:
                model.vacate(
                    target,
                    head,
                    f"purge-{model.organisation_ids[o]}",
                    MODEL,
                    "removed in the purge of his organisation",
                )
        model.log(
            f"purge-{model.organisation_ids[o]}",
            "purge",
            model.leader_ids[beneficiary],
            None,
            MODEL,
            f"purge of {model.parameters.purge_share:.0%} of the secretaries",
            model.organisation_ids[o],
        )
    model.pending_purges = [p for p in model.pending_purges if p[0] != model.step_index]


def _fill_vacancies(model: PartyModel, appointer: int, shares: np.ndarray) -> None:
    """The dominant leader fills offices vacated during the run with loyal, modest men.

    Candidates are his living, present, uncondemned allies not barred from the
    post, taken from the holders of the post's ``succession`` posts in order of
    precedence (a deputy before the Politburo; by default Politburo members,
    then candidates), and among them first those holding no other unique
    office: a dominant leader does not give a colleague a second power base.
    """
    p = model.parameters
    for post in sorted(model.vacated):
        if model.holds[model.alive, post].any():
            model.vacated.discard(post)
            continue
        chosen = contests.choose_successor(
            post,
            model.succession[post],
            appointer,
            model.affinity,
            shares,
            model.alive,
            model.health,
            model.condemned,
            model.barred,
            model.holds,
            model.unique_post,
            p.threat_aversion,
        )
        if chosen < 0:
            continue
        model.holds[chosen, post] = True
        model.obligation = alliances.add_tie(
            model.obligation, np.array([chosen]), np.array([appointer]), p.appointment_obligation
        )
        model.vacated.discard(post)
        model.log(
            f"appointment-{model.post_ids[post]}",
            "appointment",
            model.leader_ids[chosen],
            model.post_ids[post],
            MODEL,
            f"appointed by {model.leader_ids[appointer]}",
        )


def update_factions(model: PartyModel) -> None:
    """Mark each declared faction active while its members' cohesion is above threshold."""
    active = model.cohesion > model.parameters.faction_threshold
    if (active == model.faction_active).all():
        return
    for faction, now in zip(model.factions, active, strict=True):
        if now != faction.active:
            faction.active = bool(now)
            kind = "faction_formed" if now else "faction_dissolved"
            model.log(f"{kind}-{faction.faction_id}", kind, "", None, MODEL, faction.name)
