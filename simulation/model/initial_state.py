"""A scenario's starting state as arrays: built once per scenario and mode, copied per run.

The validated scenario is read into the arrays :mod:`.state` declares, and its
events are indexed by month, once per scenario (the last few scenarios are
kept): an ensemble runs thousands of models of one scenario, and each run
copies only the arrays it changes. What does not depend on the parameters
(:class:`ScenarioFrame`: the events, the indices, most arrays) is kept apart, once
for every parameter draw of a scenario: an ensemble over a posterior runs hundreds
of particles' scenarios, the same scenario with other parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms import alliances, contests, influence, patronage, power
from simulation.model import leadership
from simulation.model.decisions import DecisionTexts
from simulation.model.events import PreparedEvent, prepare
from simulation.model.parameters import pack
from simulation.model.rows import ROW_WIDTH
from simulation.model.state import FROM_SCENARIO, STATE, RunPlan, plan_runs
from simulation.model.votes import ARENAS
from simulation.scenario.schema import SITTINGS, Arena, Event, EventKind, EventType, Scenario

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

_CACHE: dict[tuple[int, int], tuple[Scenario, InitialState]] = {}
_CACHE_SIZE = 8
_FRAMES: dict[tuple[int, ...], tuple[tuple, ScenarioFrame]] = {}
_PARAMETERS = "parameters"


@dataclass(frozen=True, eq=False)
class InitialState:
    """A scenario read into arrays, indexed by leader, post, organisation and faction.

    ``arrays`` holds the starting value of each state array the scenario gives
    (:data:`simulation.model.state.FROM_SCENARIO`): a run copies those it
    changes and shares the others. ``sizes`` gives each named dimension of
    :data:`simulation.model.state.STATE`, from which a run makes the rest.
    """

    dates: list[str]
    leader_ids: list[str]
    leader_index: dict[str, int]
    post_ids: list[str]
    post_index: dict[str, int]
    organisation_ids: list[str]
    organisation_index: dict[str, int]
    faction_members: list[np.ndarray]
    arrays: dict[str, np.ndarray | int]
    sizes: dict[str, int]
    events_by_step: dict[int, list[PreparedEvent]]
    sitting_delegates: dict[tuple[int, Arena], int]
    decision_texts: DecisionTexts
    """The words of the decisions' log rows (:func:`.decisions.log_decisions`)."""
    machine_code: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)
    """The plan's looked-up machine code (:attr:`.state.RunPlan.gathering` and ``actions``),
    shared by the initial states of one :class:`ScenarioFrame`: their arrays have the same types."""
    plan: RunPlan = field(init=False)
    """How each run makes its arrays from ``arrays`` and ``sizes``."""

    def __post_init__(self):
        """Refuse a state that does not match its declaration: a run would fail far from here."""
        if set(self.arrays) != set(FROM_SCENARIO):
            raise ValueError(
                f"the initial state builds {sorted(self.arrays)}, "
                f"the declaration expects {sorted(FROM_SCENARIO)}"
            )
        for array in STATE:
            value = self.arrays.get(array.name)
            if isinstance(value, np.ndarray) and (
                value.dtype != array.dtype or value.ndim != len(array.shape)
            ):
                raise ValueError(f"{array.name}: {value.dtype} {value.shape} != {array}")
        object.__setattr__(
            self, "plan", plan_runs(self.arrays, self.sizes, *self.machine_code)
        )  # frozen: set once


def initial_state(scenario: Scenario, free_from: int) -> InitialState:
    """The scenario's starting state, from the cache when this scenario was seen.

    A scenario not seen but for its parameters starts from the frame of the one seen
    (:func:`scenario_frame`).

    Args:
        scenario: the validated scenario.
        free_from: the first month (0-based) in which the leaders decide (see
            :func:`build_initial_state`).
    """
    key = (id(scenario), free_from)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is scenario:
        return cached[1]
    state = build_initial_state(scenario, free_from, scenario_frame(scenario, free_from))
    for name in PARAMETER_ARRAYS:  # shared by every run: a run copies what it changes
        state.arrays[name].flags.writeable = False
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (scenario, state)
    return state


def scenario_frame(scenario: Scenario, free_from: int) -> ScenarioFrame:
    """The part of the scenario's starting state its parameters play no part in, cached.

    Keyed by the identity of every other field of the scenario: a scenario with other
    parameters (``calibration.evaluate.with_parameters``, a shallow copy) shares them.
    The cache holds those fields' values beside their frame, so that their identities are not
    reused while it is kept.
    """
    fields = tuple(
        getattr(scenario, name) for name in type(scenario).model_fields if name != _PARAMETERS
    )
    key = (free_from, *map(id, fields))
    cached = _FRAMES.get(key)
    if cached is not None:
        return cached[1]
    frame = build_frame(scenario, free_from)
    for value in (*vars(frame.fields).values(), frame.arrays):
        for array in _arrays(value):  # shared by every run: a run copies what it changes
            array.flags.writeable = False
    if len(_FRAMES) >= _CACHE_SIZE:
        _FRAMES.pop(next(iter(_FRAMES)))
    _FRAMES[key] = (fields, frame)
    return frame


def _arrays(value) -> list[np.ndarray]:
    """The arrays in a field of the state, however nested in lists, tuples and dicts."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [array for item in value for array in _arrays(item)]
    return []


PARAMETER_ARRAYS = ("affinity", "record", "cohesion", "parameter_values")
"""The arrays of :data:`.state.FROM_SCENARIO` whose starting value depends on the parameters."""


@dataclass(frozen=True, eq=False)
class ScenarioFrame:
    """What :class:`InitialState` holds whatever the scenario's parameters.

    Reading a scenario's events and indexing them cost 3-4 ms, more than a run: an
    ensemble over a posterior's particles did it for nearly every run.
    """

    fields: SimpleNamespace
    """:class:`InitialState`'s fields but ``arrays`` and ``machine_code``."""
    arrays: dict[str, np.ndarray | int]
    """The arrays of :data:`.state.FROM_SCENARIO` but :data:`PARAMETER_ARRAYS`."""
    inputs: dict[str, np.ndarray]
    """What :data:`PARAMETER_ARRAYS` are computed from: the run's arrays' own copies,
    writable, so that compiled code sees the types it was compiled for."""
    machine_code: tuple[dict, dict] = field(default_factory=lambda: ({}, {}))
    """See :attr:`InitialState.machine_code`."""


def build_initial_state(
    scenario: Scenario, free_from: int, frame: ScenarioFrame | None = None
) -> InitialState:
    """Read a validated scenario into arrays (see :class:`InitialState`).

    Args:
        scenario: the validated scenario.
        free_from: the first month (0-based) in which the leaders decide: the
            scenario's own decisions from then on are left out (0 in free mode,
            the number of months in replay).
        frame: the scenario's :class:`ScenarioFrame`, if built (by this scenario, or one
            differing from it only in its parameters).
    """
    if frame is None:
        frame = build_frame(scenario, free_from)
    parameters = scenario.parameters
    inputs = frame.inputs
    affinity, cohesion = starting_ties(
        inputs["similarity"],
        parameters.stance_weight,
        inputs["faction_membership"],
        frame.arrays["holds"],
        frame.arrays["politburo_post"],
    )
    arrays = {
        **frame.arrays,
        "affinity": affinity,
        "record": influence.initial_record(
            inputs["influence"],
            inputs["prestige_held"],
            inputs["apparatus"],
            parameters.client_weight,
        ),
        "cohesion": cohesion,
        "parameter_values": pack(parameters),
    }
    return InitialState(**vars(frame.fields), arrays=arrays, machine_code=frame.machine_code)


def starting_ties(
    similarity: np.ndarray,
    stance_weight: float,
    faction_membership: np.ndarray,
    holds: np.ndarray,
    politburo_post: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The starting affinities and the factions' cohesion: ``(affinity, cohesion)``.

    In April 1922 no one yet owes or resents anyone (the scenario's patrons aside, which
    the month's re-weighing reads): two leaders are as close as their stances.
    """
    affinity = similarity * stance_weight
    np.fill_diagonal(affinity, 0.0)
    alive = np.ones(affinity.shape[0], dtype=bool)
    seated = contests.politburo_seated(holds, politburo_post, alive)
    return affinity, contests.faction_cohesion(affinity, faction_membership, alive, seated)


def draw_stances(model: PartyModel) -> None:
    """Draw the run's starting stances around the scenario's (``stance_uncertainty``), in place.

    The stances of ``leaders_1922.csv`` are estimates, and several were read off choices
    made later (Krupskaya's economic stance off her choice of 1925, Stalin's off 1924-26):
    runs whose leaders start elsewhere say how far an outcome rests on them. Each stance
    moves on each axis by a normal draw from the model's generator, kept within [-1, 1],
    and the affinities and cohesion the starting state derives from the stances follow.
    Only for a run the leaders decide from its first month: history replayed, up to a
    branch or to the end, starts from the stances it started from.
    """
    stance = model.stance
    stance += model.rng.normal(0.0, model.parameters.stance_uncertainty, stance.shape)
    np.clip(stance, -1.0, 1.0, out=stance)
    alliances.fill_similarity(model.similarity, stance)
    model.affinity[:], model.cohesion[:] = starting_ties(
        model.similarity,
        model.parameters.stance_weight,
        model.faction_membership,
        model.holds,
        model.politburo_post,
    )


def build_frame(scenario: Scenario, free_from: int) -> ScenarioFrame:
    """Read what the starting state holds whatever the parameters (see :class:`ScenarioFrame`).

    Args:
        scenario: the validated scenario.
        free_from: see :func:`build_initial_state`.
    """
    leader_ids = [leader.id for leader in scenario.leaders]
    leader_index = {leader_id: i for i, leader_id in enumerate(leader_ids)}
    post_ids = list(scenario.posts)
    post_index = {post_id: p for p, post_id in enumerate(post_ids)}
    organisation_ids = [org.id for org in scenario.organisations]
    organisation_index = {org_id: o for o, org_id in enumerate(organisation_ids)}
    n, m = len(leader_ids), len(organisation_ids)

    stance = np.array([[lead.stance.economic, lead.stance.regime] for lead in scenario.leaders])
    similarity = alliances.stance_similarity(stance)
    obligation = np.zeros((n, n))
    for i, leader in enumerate(scenario.leaders):
        if leader.patron is not None:
            obligation[i, leader_index[leader.patron]] = 1.0

    posts = [scenario.posts[post_id] for post_id in post_ids]
    prestige = np.array([post.prestige for post in posts])
    holds = np.zeros((n, len(posts)), dtype=bool)
    barred = np.zeros_like(holds)
    for i, leader in enumerate(scenario.leaders):
        for post_id in leader.posts:
            holds[i, post_index[post_id]] = True
        for post_id in leader.barred_from:
            barred[i, post_index[post_id]] = True
    default_succession = [post_index[post_id] for post_id in scenario.default_succession]
    voting = [p for p, post in enumerate(posts) if post.votes_in]

    default_loyalty = np.array([leader.apparatus for leader in scenario.leaders])
    loyalty = np.zeros((m, n))
    for o, org in enumerate(scenario.organisations):
        if org.loyalty is None:
            loyalty[o] = default_loyalty
        else:
            for leader_id, share in org.loyalty.items():
                loyalty[o, leader_index[leader_id]] = share
    appoints = np.zeros((len(posts), m))
    for p, post in enumerate(posts):
        if post.appoints_in == "all":
            appoints[p] = 1.0
        else:
            for org_id in post.appoints_in:
                appoints[p, organisation_index[org_id]] = 1.0
    members = np.array([float(org.members) for org in scenario.organisations])
    apparatus = patronage.apparatus_shares(loyalty, members)
    influence_now = np.array([leader.influence for leader in scenario.leaders])

    faction_members = [
        np.array([leader_index[member] for member in faction.members], dtype=np.int64)
        for faction in scenario.factions
    ]
    faction_membership = np.zeros((len(faction_members), n))
    for f, members_of in enumerate(faction_members):
        faction_membership[f, members_of] = 1.0

    months = scenario.end.months_since(scenario.start) + 1
    calendar = _calendar(scenario, free_from, leader_index, post_index, organisation_index)
    arrays = {
        "influence": influence_now,
        "health": np.array([leader.health for leader in scenario.leaders]),
        "illness_rate": np.array([leader.illness_rate for leader in scenario.leaders]),
        "illness_months": np.array(
            [leader.illness_months for leader in scenario.leaders], dtype=np.int64
        ),
        "illness_from": np.array(
            [
                leader.illness_from.months_since(scenario.start) if leader.illness_from else 0
                for leader in scenario.leaders
            ],
            dtype=np.int64,
        ),
        "stance": stance,
        "similarity": similarity,
        "obligation": obligation,
        "organisation_of": np.array(
            [
                organisation_index[leader.organisation] if leader.organisation else -1
                for leader in scenario.leaders
            ],
            dtype=np.int64,
        ),
        "arbiter": leader_index[scenario.arbiter] if scenario.arbiter else -1,
        "prestige": prestige,
        "unique_post": np.array([post.unique for post in posts], dtype=bool),
        "holds": holds,
        "barred": barred,
        "politburo_post": voting[0] if voting else -1,
        "seats": np.array([post.seats or 0 for post in posts], dtype=np.int64),
        "promoted_from": _padded(
            [[post_index[other] for other in post.promoted_from] for post in posts]
        ),
        "deputy_to": np.array(
            [post_index[post.deputy_to] if post.deputy_to else -1 for post in posts],
            dtype=np.int64,
        ),
        "succession": _padded(
            [
                [post_index[other] for other in post.succession] or default_succession
                for post in posts
            ]
        ),
        "members": members,
        "functionaries": np.array([float(org.functionaries) for org in scenario.organisations]),
        "protection": np.array([org.protection for org in scenario.organisations]),
        "recruitment_weight": np.array([org.recruitment_weight for org in scenario.organisations]),
        "head_post": np.array(
            [post_index[org.head_post] if org.head_post else -1 for org in scenario.organisations],
            dtype=np.int64,
        ),
        "loyalty": loyalty,
        "patronage_reach": np.array([post.patronage for post in posts])[:, None] * appoints,
        "apparatus": apparatus,
        "plenum_loyalty": apparatus[None, :].copy(),
        "faction_membership": faction_membership,
        "sitting_arenas": calendar.pop("sitting_arenas"),
        "sitting_delegations": calendar.pop("sitting_delegations"),
    }
    inputs = {
        "similarity": similarity.copy(),
        "influence": influence_now.copy(),
        "prestige_held": power.post_prestige(holds, prestige),
        "apparatus": apparatus.copy(),
        "faction_membership": faction_membership.copy(),
    }
    fields = SimpleNamespace(
        dates=[str(scenario.start.plus(k)) for k in range(months)],
        leader_ids=leader_ids,
        leader_index=leader_index,
        post_ids=post_ids,
        post_index=post_index,
        organisation_ids=organisation_ids,
        organisation_index=organisation_index,
        faction_members=faction_members,
        decision_texts=DecisionTexts.of(
            leader_ids, post_ids, [(faction.id, faction.name) for faction in scenario.factions]
        ),
        sizes={
            "leaders": n,
            "posts": len(posts),
            "organisations": m,
            "factions": len(faction_members),
            "intakes": calendar.pop("intakes"),
            "decision_rows": calendar.pop("decision_rows"),
            "months": months,
            "sittings": arrays["sitting_arenas"].shape[1],
            "row_width": ROW_WIDTH,
        },
        **calendar,
    )
    return ScenarioFrame(fields, arrays, inputs)


def _padded(rows: list[list[int]]) -> np.ndarray:
    """Rows of unequal length as one int array, padded with -1."""
    padded = np.full((len(rows), max(map(len, rows), default=0)), -1, dtype=np.int64)
    for r, row in enumerate(rows):
        padded[r, : len(row)] = row
    return padded


def applies(event: Event, scenario: Scenario, free_from: int) -> bool:
    """Whether a run whose leaders decide from month ``free_from`` (0-based) applies ``event``.

    Exogenous events and a counterfactual's interventions apply in every run. The
    scenario's own decisions apply only before ``free_from``, and those of the first
    month in every run: they are the settlement the period starts from (the 11th
    Congress's distribution of offices, with Stalin made General Secretary).
    """
    if event.kind is not EventKind.DECISION or event.intervention:
        return True
    return event.date.months_since(scenario.start) < max(free_from, 1)


def _calendar(
    scenario: Scenario,
    free_from: int,
    leader_index: dict[str, int],
    post_index: dict[str, int],
    organisation_index: dict[str, int],
) -> dict[str, dict | int]:
    """Index events by step, keeping file order within a month (Python's sort is stable).

    From month ``free_from`` on, the leaders decide: only the events a run
    :func:`applies` are kept.
    """
    events_by_step: dict[int, list[PreparedEvent]] = {}
    sitting_delegates: dict[tuple[int, Arena], int] = {}
    sittings: dict[int, list[Arena]] = {}
    for event in sorted(scenario.events, key=lambda event: event.date):
        if not applies(event, scenario, free_from):
            continue
        step = event.date.months_since(scenario.start)
        prepared = prepare(event, leader_index, post_index, organisation_index)
        events_by_step.setdefault(step, []).append(prepared)
        if event.type in SITTINGS and event.delegates is not None:
            sitting_delegates[(step, SITTINGS[event.type])] = event.delegates
            sittings.setdefault(step, []).append(SITTINGS[event.type])
    months = scenario.end.months_since(scenario.start) + 1
    by_month = [sittings.get(step, []) for step in range(months)]
    sitting_arenas = _padded([[ARENAS.index(arena) for arena in arenas] for arenas in by_month])
    sitting_delegations = _padded(
        [
            [sitting_delegates[(step, arena)] for arena in arenas]
            for step, arenas in enumerate(by_month)
        ]
    )
    widest_sitting = sitting_arenas.shape[1]
    return {
        "decision_rows": leadership.log_rows(
            len(leader_index),
            len(post_index),
            len(organisation_index),
            widest_sitting,
            len(scenario.factions),
        ),
        "events_by_step": events_by_step,
        "intakes": sum(
            prepared.event.type is EventType.MEMBERSHIP_INTAKE
            for events in events_by_step.values()
            for prepared in events
        ),
        "sitting_delegates": sitting_delegates,
        "sitting_arenas": sitting_arenas,
        "sitting_delegations": sitting_delegations,
    }
