"""The party model: one step is one calendar month.

Each step, in this order: absences that end this month end; the month's
scenario events apply in the order they stand in the file; in free mode (or
from the month a scenario branches from history) the leadership decides
when there is something to decide (in its first month, an organisation left
without a head has its office declared vacant); then the mechanisms run (membership,
patronage, influence, alliances, grievances, factions), and the month is
recorded: one compiled call (:func:`simulation.model.month.simulate_month` in a month the
leaders decide, :func:`simulation.model.month.replay_month` in one history is replayed),
whose decisions :mod:`simulation.model.decisions` then logs.
Keeping the order fixed and stated makes two runs with one seed identical,
whatever the executor.
"""

from __future__ import annotations

from enum import StrEnum

import mesa
import numpy as np

from simulation.calendar import Month
from simulation.experiments.seeds import SeedError, check_seed
from simulation.model import actions, votes
from simulation.model.agents import Faction, Leader, Organisation
from simulation.model.compiled import check_machine_code, machine_code
from simulation.model.decisions import log_decisions
from simulation.model.events import apply_event
from simulation.model.initial_state import draw_stances, initial_state
from simulation.model.month import replay_month, simulate_month
from simulation.model.offices import open_headless_organisations, seat_the_inherited_members
from simulation.model.recorder import Recorder, RunResult
from simulation.model.rows import EventRow, VoteRow
from simulation.model.state import gather
from simulation.scenario.messages import unknown
from simulation.scenario.schema import Arena, Scenario


class Mode(StrEnum):
    """How scenario decisions are treated.

    ``replay`` forces each on its date; ``free`` ignores them, so that the
    leaders' decisions come out of the mechanisms and history is the target.
    A scenario's ``free_from`` month overrides either: history is replayed
    before it and the leaders decide from it on. A counterfactual's
    interventions (events marked ``intervention``) apply in every mode.
    """

    REPLAY = "replay"
    FREE = "free"

    @classmethod
    def _missing_(cls, value: object) -> Mode:
        """Refuse a mode that is none of these, in words (``Mode("free")`` is ``Mode.FREE``)."""
        raise ValueError(f"mode must be 'replay' or 'free', got {value!r}")


def decides_from(scenario: Scenario, mode: Mode) -> int:
    """The first month (0-based) in which the leaders decide; the month count if never.

    A scenario branching from history (``free_from``) decides from that month,
    whatever the mode; otherwise free mode decides from the first month and
    replay never does.
    """
    if scenario.free_from is not None:
        return scenario.free_from.months_since(scenario.start)
    if mode is Mode.FREE:
        return 0
    return scenario.end.months_since(scenario.start) + 1


class PartyModel(mesa.Model):
    """The leadership struggle as a Mesa model.

    The model's arrays (``influence``, ``holds``, ``loyalty``, ...) are its
    attributes, under the names :data:`simulation.model.state.STATE` declares.

    Args:
        scenario: a validated scenario.
        seed: seed of the model's generator, an integer from 0 to 2**63 - 1 (the outputs'
            ``seed`` column); every random draw goes through it.
        mode: how the scenario's decisions are treated (``"free"`` is read as
            ``Mode.FREE``).
        run: the run number written in the outputs.

    Raises:
        ValueError: a seed that is not such an integer, or a mode that is none of
            :class:`Mode`'s.
    """

    def __init__(self, scenario: Scenario, seed: int, mode: Mode = Mode.REPLAY, run: int = 0):
        """Build a run's state from ``scenario`` (the arguments: the class's docstring).

        Written so that ``help(PartyModel)`` shows this model's arguments, not Mesa's.
        """
        try:
            # numpy would take None (a seed from the system: no run could be repeated)
            # and say of "1" only that a SeedSequence expects an int.
            check_seed(seed, "seed")
        except SeedError:
            raise ValueError(f"seed must be an integer from 0 to 2**63 - 1, got {seed!r}") from None
        mode = Mode(mode)  # "free" would otherwise replay: the rules test `mode is Mode.FREE`
        check_machine_code()
        super().__init__(rng=seed)
        self.spec = scenario
        self.parameters = scenario.parameters
        self.mode = mode
        self.free_from = decides_from(scenario, mode)
        """The first month (0-based) in which the leaders decide (see :func:`decides_from`)."""
        self.seed = seed
        self.run_number = run
        self.step_index = -1
        """0-based index of the month being (or last) simulated; -1 before the first."""
        self.start: Month = scenario.start
        start = initial_state(scenario, self.free_from)
        self.months = len(start.dates)
        self.dates = start.dates
        """Each month's ``YYYY-MM`` label, as written in the outputs."""
        self.leader_ids = start.leader_ids
        self.leader_index = start.leader_index
        self.post_ids = start.post_ids
        self.post_index = start.post_index
        self.organisation_ids = start.organisation_ids
        self.organisation_index = start.organisation_index
        # The state's arrays (declared in simulation.model.state), changed in place for good.
        self.plan = start.plan
        self.plan.start_run(self)
        if self.parameters.stance_uncertainty > 0 and self.free_from == 0:
            draw_stances(self)  # history replayed, even to a branch, starts where it started
        self.return_months: set[int] = set()
        """Months in which some absence ends (a cheap test before the array one)."""
        self.events_by_step = start.events_by_step
        self.sitting_delegates = start.sitting_delegates
        self.decision_texts = start.decision_texts
        self.leaders = [
            Leader(self, i, leader.id, leader.name) for i, leader in enumerate(scenario.leaders)
        ]
        self.organisations = [
            Organisation(self, o, org.id, org.name) for o, org in enumerate(scenario.organisations)
        ]
        self.factions = [
            Faction(self, f, faction.id, faction.name, start.faction_members[f])
            for f, faction in enumerate(scenario.factions)
        ]
        self.faction_by_id = {faction.faction_id: faction for faction in self.factions}
        self.event_log: list[EventRow] = []
        self.vote_log: list[VoteRow] = []
        self.recorder = Recorder(self)
        self.state = gather(self, self.recorder)
        """The state's arrays, for compiled code: so they change in place, never rebound."""
        # Looked up only if the run has such months: a replay never compiles the decisions.
        self._replay_month = machine_code(self, replay_month, 0) if self.free_from else None
        """:func:`.month.replay_month`'s machine code (see :func:`.compiled.machine_code`)."""
        self._simulate_month = (
            machine_code(self, simulate_month, 0) if self.free_from < self.months else None
        )
        """:func:`.month.simulate_month`'s machine code, for the months the leaders decide."""

    # --- derived quantities -------------------------------------------------------

    @property
    def date(self) -> str:
        """The month being (or last) simulated, as written in the outputs."""
        return self.dates[self.step_index]

    @property
    def month(self) -> Month:
        """The calendar month being (or last) simulated."""
        return self.start.plus(self.step_index)

    def holders(self, post_id: str) -> np.ndarray:
        """Indices of the living leaders holding a post.

        Raises:
            KeyError: no post of the scenario has that id (the message names the close ones).
        """
        if post_id not in self.post_index:
            raise KeyError(unknown("post", post_id, self.post_ids))
        return np.flatnonzero(self.holds[:, self.post_index[post_id]] & self.alive)

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
            EventRow(
                self.date, event_id, kind, actor, post or "", origin, detail, organisation or ""
            )
        )

    def vacate(self, leader: int, post: int) -> None:
        """Take a post from a leader (:func:`.actions.vacate`); a unique office stays vacant."""
        machine_code(self, actions.vacate, leader, post)(self.state, leader, post)

    # --- votes --------------------------------------------------------------------

    def count_vote(
        self, arena: Arena, sponsors: np.ndarray, targets: np.ndarray
    ) -> tuple[int, int]:
        """Count a motion in an arena sitting this month: ``(votes_for, votes_against)``."""
        politburo = arena is Arena.POLITBURO
        delegates = 0 if politburo else self.sitting_delegates[(self.step_index, arena)]
        arena_code = votes.ARENAS.index(arena)
        count = machine_code(self, votes.count_vote, arena_code, delegates, sponsors, targets)
        return count(self.state, arena_code, delegates, sponsors, targets)

    # --- the month ----------------------------------------------------------------

    def step(self) -> None:
        """Simulate one month (see the module docstring for the order).

        Raises:
            RuntimeError: every month of the scenario is simulated already (the compiled
                month would write past the recorder's arrays).
        """
        if not self.running:
            raise RuntimeError(
                f"the run is over: its last month, {self.dates[-1]}, is simulated "
                "(step while model.running, or call run())"
            )
        self.step_index = k = self.steps - 1
        if k in self.return_months:
            returning = self.absence_ends == k
            self.health[returning] = self.health_after_absence[returning]
            self.absence_ends[returning] = -1
        for event in self.events_by_step.get(k, ()):
            apply_event(self, event)
        if k == self.free_from:
            machine_code(self, open_headless_organisations)(self.state)
            machine_code(self, seat_the_inherited_members)(self.state)
        if k >= self.free_from:
            rows = self._simulate_month(self.state, k)
        else:
            rows = self._replay_month(self.state, k)
        if rows:
            log_decisions(self, rows)
        if k == self.months - 1:
            self.running = False

    # --- running ------------------------------------------------------------------

    def run(self) -> RunResult:
        """Simulate every month of the scenario and return the recorded frames."""
        while self.running:
            self.step()
        return self.recorder.result()
