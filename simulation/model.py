"""The party model: one step is one calendar month.

Each step, in this order: absences that end this month end; the month's
scenario events apply in the order they stand in the file; then the
mechanisms run (membership, patronage, influence, alliances, grievances), and
the month is recorded. Keeping the order fixed and stated makes two runs with
one seed identical, whatever the executor.
"""

from __future__ import annotations

from enum import StrEnum

import mesa
import numpy as np

from simulation import monthly
from simulation.agents import Faction, Leader, Organisation
from simulation.calendar import Month
from simulation.decisions import decide, update_factions
from simulation.event_effects import apply_event
from simulation.mechanisms import (
    alliances,
    contests,
    influence,
    membership,
    patronage,
    power,
    voting,
)
from simulation.recorder import Recorder, RunResult
from simulation.scenario.schema import SITTINGS, Arena, Event, EventKind, Scenario

_NO_INTAKE = np.zeros(0)


class Mode(StrEnum):
    """How scenario decisions are treated.

    ``replay`` forces each on its date; ``free`` ignores them, so that the
    leaders' decisions come out of the mechanisms and history is the target.
    """

    REPLAY = "replay"
    FREE = "free"


class PartyModel(mesa.Model):
    """The leadership struggle as a Mesa model.

    Args:
        scenario: a validated scenario.
        seed: seed of the model's generator; every random draw goes through it.
        mode: how the scenario's decisions are treated.
        run: the run number written in the outputs.
    """

    def __init__(self, scenario: Scenario, seed: int, mode: Mode = Mode.REPLAY, run: int = 0):
        super().__init__(rng=seed)
        self.spec = scenario
        self.parameters = scenario.parameters
        self.mode = mode
        self.seed = seed
        self.run_number = run
        self.start: Month = scenario.start
        self.months = scenario.end.months_since(scenario.start) + 1
        self.dates = [str(scenario.start.plus(k)) for k in range(self.months)]
        """Each month's ``YYYY-MM`` label, as written in the outputs."""
        self._build_leaders(scenario)
        self._build_posts(scenario)
        self._build_organisations(scenario)
        self._build_factions(scenario)
        self._schedule_events(scenario)
        self.apparatus = patronage.apparatus_shares(self.loyalty, self.members)
        self.plenum_loyalty = self.apparatus[None, :].copy()
        self.record = influence.initial_record(
            self.influence, self.post_prestige(), self.apparatus, self.parameters.client_weight
        )
        self.condemned = np.zeros(len(self.leader_ids), dtype=bool)
        self.condemned_since = np.full(len(self.leader_ids), -1)
        self.pending_purges: list[tuple] = []
        self.vacated: set[int] = set()
        self.arbiter = self.leader_index[scenario.arbiter] if scenario.arbiter else -1
        p = self.parameters
        self.affinity_weights = alliances.AffinityWeights(
            p.stance_weight,
            p.grievance_weight,
            p.obligation_weight,
            p.threat_weight,
            p.common_enemy_weight,
        )
        self.power_weights = (
            p.power_influence_weight,
            p.power_apparatus_weight,
            p.power_posts_weight,
        )
        self._month_parameters = monthly.MonthParameters(
            p.membership_attrition,
            p.patronage_rate,
            p.loyalty_decay,
            p.record_decay,
            p.client_weight,
            p.influence_drift,
            p.balancing,
            p.alliance_rate,
            p.grievance_decay,
            p.obligation_decay,
            p.faction_threshold,
        )
        self.cohesion = contests.faction_cohesion(
            self.affinity, self.faction_membership, self.alive
        )
        self.event_log: list[tuple] = []
        self.vote_log: list[tuple] = []
        self.recorder = Recorder(self)

    # --- construction -------------------------------------------------------------

    def _build_leaders(self, scenario: Scenario) -> None:
        self.leader_ids = [leader.id for leader in scenario.leaders]
        self.leader_index = {leader_id: i for i, leader_id in enumerate(self.leader_ids)}
        n = len(self.leader_ids)
        self.influence = np.array([leader.influence for leader in scenario.leaders])
        self.health = np.array([leader.health for leader in scenario.leaders])
        self.alive = np.ones(n, dtype=bool)
        self.stance = np.array(
            [[lead.stance.economic, lead.stance.regime] for lead in scenario.leaders]
        )
        self.similarity = alliances.stance_similarity(self.stance)
        self.affinity = self.similarity * self.parameters.stance_weight
        np.fill_diagonal(self.affinity, 0.0)
        self.grievance = np.zeros((n, n))
        self.obligation = np.zeros((n, n))
        for i, leader in enumerate(scenario.leaders):
            if leader.patron is not None:
                self.obligation[i, self.leader_index[leader.patron]] = 1.0
        self.absence_ends = np.full(n, -1)
        self.health_after_absence = np.ones(n)
        self.leaders = [
            Leader(self, i, leader.id, leader.name) for i, leader in enumerate(scenario.leaders)
        ]

    def _build_posts(self, scenario: Scenario) -> None:
        self.post_ids = list(scenario.posts)
        self.post_index = {post_id: p for p, post_id in enumerate(self.post_ids)}
        posts = [scenario.posts[post_id] for post_id in self.post_ids]
        self.patronage = np.array([post.patronage for post in posts])
        self.prestige = np.array([post.prestige for post in posts])
        self.unique_post = np.array([post.unique for post in posts])
        self.holds = np.zeros((len(self.leader_ids), len(posts)), dtype=bool)
        self.politburo_post = self.post_index.get("politburo", -1)
        default_succession = [
            self.post_index[post_id]
            for post_id in ("politburo", "politburo_candidate")
            if post_id in self.post_index
        ]
        self.succession = [
            [self.post_index[other] for other in post.succession] or default_succession
            for post in posts
        ]
        """Per post, the posts whose holders may succeed to it, in order of precedence."""
        self.barred = np.zeros_like(self.holds)
        for i, leader in enumerate(scenario.leaders):
            for post_id in leader.posts:
                self.holds[i, self.post_index[post_id]] = True
            for post_id in leader.barred_from:
                self.barred[i, self.post_index[post_id]] = True

    def _build_organisations(self, scenario: Scenario) -> None:
        organisations = scenario.organisations
        self.organisation_ids = [org.id for org in organisations]
        self.organisation_index = {org_id: o for o, org_id in enumerate(self.organisation_ids)}
        m, n = len(organisations), len(self.leader_ids)
        self.members = np.array([float(org.members) for org in organisations])
        self.recruits = np.zeros(m)
        self.functionaries = np.array([float(org.functionaries) for org in organisations])
        self.protection = np.array([org.protection for org in organisations])
        self.recruitment_weight = np.array([org.recruitment_weight for org in organisations])
        self.head_post = np.array(
            [self.post_index[org.head_post] if org.head_post else -1 for org in organisations],
            dtype=np.int64,
        )
        self.headed = np.flatnonzero(self.head_post >= 0)
        default_loyalty = np.array([leader.apparatus for leader in scenario.leaders])
        self.loyalty = np.zeros((m, n))
        for o, org in enumerate(organisations):
            if org.loyalty is None:
                self.loyalty[o] = default_loyalty
            else:
                for leader_id, share in org.loyalty.items():
                    self.loyalty[o, self.leader_index[leader_id]] = share
        self.appoints = np.zeros((len(self.post_ids), m))
        for p, post_id in enumerate(self.post_ids):
            targets = scenario.posts[post_id].appoints_in
            if targets == "all":
                self.appoints[p] = 1.0
            else:
                for org_id in targets:
                    self.appoints[p, self.organisation_index[org_id]] = 1.0
        self.patronage_reach = self.patronage[:, None] * self.appoints
        self.intakes: list[list[float]] = []
        self.organisations = [
            Organisation(self, o, org.id, org.name) for o, org in enumerate(organisations)
        ]

    def _build_factions(self, scenario: Scenario) -> None:
        self.faction_active = np.zeros(len(scenario.factions), dtype=bool)
        self.factions = [
            Faction(
                self,
                f,
                faction.id,
                faction.name,
                np.array([self.leader_index[member] for member in faction.members], dtype=np.int64),
            )
            for f, faction in enumerate(scenario.factions)
        ]
        self.faction_by_id = {faction.faction_id: faction for faction in self.factions}
        self.faction_membership = np.zeros((len(self.factions), len(self.leader_ids)))
        for f, faction in enumerate(self.factions):
            self.faction_membership[f, faction.members] = 1.0

    def _schedule_events(self, scenario: Scenario) -> None:
        """Index events by step, keeping file order within a month (Python's sort is stable).

        In free mode only exogenous events are kept, except the decisions of the
        first month: they are the settlement the period starts from (the 11th
        Congress's distribution of offices, with Stalin made General Secretary).
        """
        self.events_by_step: dict[int, list[Event]] = {}
        self.sitting_delegates: dict[tuple[int, Arena], int] = {}
        self.sittings_by_step: dict[int, list[Arena]] = {}
        for event in sorted(scenario.events, key=lambda event: event.date):
            step = event.date.months_since(self.start)
            if self.mode is Mode.FREE and event.kind is EventKind.DECISION and step > 0:
                continue
            self.events_by_step.setdefault(step, []).append(event)
            if event.type in SITTINGS and event.delegates is not None:
                self.sitting_delegates[(step, SITTINGS[event.type])] = event.delegates
                self.sittings_by_step.setdefault(step, []).append(SITTINGS[event.type])

    # --- derived quantities -------------------------------------------------------

    @property
    def step_index(self) -> int:
        """0-based index of the month being (or last) simulated."""
        return self.steps - 1

    @property
    def date(self) -> str:
        """The month being (or last) simulated, as written in the outputs."""
        return self.dates[self.steps - 1]

    @property
    def month(self) -> Month:
        """The calendar month being (or last) simulated."""
        return self.start.plus(self.step_index)

    def post_prestige(self) -> np.ndarray:
        """(n,) summed prestige of the posts each leader holds."""
        return power.post_prestige(self.holds, self.prestige)

    def power(self) -> np.ndarray:
        """(n,) each living leader's power share."""
        return power.power_shares(
            self.influence, self.apparatus, self.post_prestige(), self.alive, self.power_weights
        )

    def indices(self, leader_ids: list[str]) -> np.ndarray:
        """Leader ids to an index array."""
        return np.array([self.leader_index[leader_id] for leader_id in leader_ids], dtype=np.int64)

    def holders(self, post_id: str) -> np.ndarray:
        """Indices of the living leaders holding a post."""
        return np.flatnonzero(self.holds[:, self.post_index[post_id]] & self.alive)

    def politburo_voters(self) -> np.ndarray:
        """Full Politburo members alive and present (health at least one half)."""
        present = self.alive & (self.health >= 0.5)
        return np.flatnonzero(self.holds[:, self.politburo_post] & present)

    def sittings_this_month(self) -> list[Arena]:
        """Arenas other than the Politburo that sit this month, in calendar order."""
        return self.sittings_by_step.get(self.step_index, [])

    # --- changes shared by scenario events and free-mode decisions ----------------

    def log(
        self,
        event_id: str,
        kind: str,
        actor: str,
        post: str | None,
        origin: str,
        detail: str,
        organisation: str | None = None,
    ) -> None:
        """Append a row to the run's event log."""
        self.event_log.append(
            (self.date, event_id, kind, actor, post or "", origin, detail, organisation or "")
        )

    def vacate(self, leader: int, post: int, event_id: str, origin: str, detail: str) -> None:
        """Take a post from a leader; a unique office becomes vacant until filled."""
        self.holds[leader, post] = False
        if self.unique_post[post]:
            self.vacated.add(post)
        self.log(event_id, "removal", self.leader_ids[leader], self.post_ids[post], origin, detail)

    def shift_standing(self, who: np.ndarray, delta: float) -> None:
        """A shock moves standing now and the personal record it rests on, for good."""
        influence.shock(self.influence, self.record, who, self.alive, delta)

    def aggrieve(self, victims: np.ndarray, attackers: np.ndarray) -> None:
        """Record that ``victims`` were attacked by ``attackers``."""
        self.grievance = alliances.add_tie(
            self.grievance, victims, attackers, self.parameters.polemic_grievance
        )

    # --- votes --------------------------------------------------------------------

    def count_vote(
        self,
        arena: Arena,
        sponsors: np.ndarray,
        targets: np.ndarray,
        known_sides: tuple[np.ndarray, float] | None = None,
    ) -> voting.Tally:
        """Count a motion in an arena sitting this month.

        ``known_sides`` (each leader's side and the opinion probability) may be
        passed when the caller has just computed them for the same motion.
        """
        p = self.parameters
        if known_sides is None:
            sides = voting.leader_sides(
                self.affinity, self.alive, sponsors, targets, p.side_threshold
            )
            p_opinion = voting.opinion_for(self.influence * self.alive, sides, p.opinion_gamma)
        else:
            sides, p_opinion = known_sides
        if arena is Arena.POLITBURO:
            return voting.member_vote(self.rng, self.politburo_voters(), sides, p_opinion)
        delegates = self.sitting_delegates[(self.step_index, arena)]
        if arena is Arena.PLENUM:
            return voting.delegate_vote(
                self.rng,
                np.array([delegates]),
                self.plenum_loyalty,
                np.array([p.plenum_discipline]),
                sides,
                p_opinion,
            )
        discipline = membership.delegate_discipline(
            self.members, self.recruits, p.discipline, p.recruit_discipline
        )
        return voting.delegate_vote(
            self.rng,
            membership.delegate_counts(delegates, self.members),
            self.loyalty,
            discipline,
            sides,
            p_opinion,
        )

    def elect_central_committee(self) -> None:
        """A congress elects the Central Committee, whose loyalties plenums then follow."""
        self.plenum_loyalty = self.apparatus[None, :].copy()

    # --- the month ----------------------------------------------------------------

    def step(self) -> None:
        """Simulate one month (see the module docstring for the order)."""
        k = self.step_index
        returning = self.absence_ends == k
        if returning.any():
            self.health[returning] = self.health_after_absence[returning]
            self.absence_ends[returning] = -1
        for event in self.events_by_step.get(k, ()):
            apply_event(self, event)
        if self.mode is Mode.FREE:
            decide(self)
        factions_moved = monthly.advance_month(
            k,
            self._intakes_this_month(),
            (
                self.members,
                self.recruits,
                self.recruitment_weight,
                self.loyalty,
                self.patronage_reach,
                self.head_post,
                self.protection,
            ),
            (self.holds, self.prestige, self.alive, self.health),
            (self.influence, self.record, self.apparatus),
            (
                self.affinity,
                self.similarity,
                self.grievance,
                self.obligation,
                self.faction_membership,
                self.cohesion,
                self.faction_active,
            ),
            self.recorder.history,
            self._month_parameters,
            self.affinity_weights,
            self.power_weights,
        )
        if factions_moved and self.mode is Mode.FREE:
            update_factions(self)
        self.recorder.faction_active[k] = self.faction_active
        if k == self.months - 1:
            self.running = False

    def _intakes_this_month(self) -> np.ndarray:
        """Members each running intake adds this month, in the order they began."""
        if not self.intakes:
            return _NO_INTAKE
        amounts = []
        for intake in self.intakes:
            per_month, months_left = intake
            if months_left == 0:
                continue
            amounts.append(per_month)
            if months_left is not None:
                intake[1] = months_left - 1
        return np.array(amounts, dtype=float)

    # --- running ------------------------------------------------------------------

    def run(self) -> RunResult:
        """Simulate every month of the scenario and return the recorded frames."""
        while self.running:
            self.step()
        return self.recorder.result()
