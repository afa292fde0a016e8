"""Record a run into preallocated arrays and turn them into tidy frames once, at the end.

The compiled month writes its row of each array
(:func:`simulation.model.month.advance_month`) instead of a Mesa
DataCollector building Python structures every step. Which arrays are kept
is declared with the state (:data:`simulation.model.state.RECORDED`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.rows import EVENT_COLUMNS, VOTE_COLUMNS

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

GRIEVANCE_COLUMNS = ("grievance_a", "grievance_b")
"""``alliances.csv``'s grievances of each pair: ``leader_a``'s against ``leader_b``, and back.

Unlike affinity, a grievance has a direction: the loser of a capture resents the winner.
"""


def directed_pairs(ties: np.ndarray) -> np.ndarray:
    """``(..., pairs, 2)``: for each pair ``i < j`` of the last two axes, ``i`` to ``j``, then back.

    The pairs in row order, as ``alliances.csv`` lists them: what pattern scoring reads of
    a run's grievances, from the model or from the null models' settlement.
    """
    a, b = np.triu_indices(ties.shape[-1], k=1)
    return np.stack((ties[..., a, b], ties[..., b, a]), axis=-1)


@dataclass
class RunResult:
    """The tidy frames of one run (one observation per row, dates as ``YYYY-MM``).

    ``result["trajectories"]`` is a frame by the name of the file ``interregnum run``
    writes it to (``trajectories``, ``posts``, ``tenures``, ``events``, ``votes``,
    ``alliances``, ``factions``, ``membership``, ``loyalty``; ``sorted(result.frames)``
    lists them); an unknown name raises ``KeyError`` naming them.
    """

    scenario_name: str
    seed: int
    mode: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    free_from: str | None = None
    """The month from which the leaders decided, if the scenario branched from history."""

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.frames:
            raise KeyError(f"no frame {name!r}; a run has {', '.join(sorted(self.frames))}")
        return self.frames[name]


class Recorder:
    """Preallocated monthly arrays of a model's state.

    Each recorded array (``influence``, ``apparatus``, ``power``, ``holds``, ...)
    is an attribute: a ``(months, *shape)`` view of its group's monthly rows.
    """

    def __init__(self, model: PartyModel):
        self.model = model
        self.dates = model.dates
        months = model.months
        self.numbers_by_month = np.empty((months, model.recorded_numbers.size))
        self.flags_by_month = np.empty((months, model.recorded_flags.size), dtype=bool)
        """Each month's row of the recorded groups, which the month's code copies.

        Not zeroed: a month's row is written at its end, before anyone reads it (a
        finished run, or the months done so far, as the dashboard reads them); rows of
        months not yet run hold whatever the memory held. Zeroing these 470 KB cost 2%
        of a free run (``alternate_trees.py``: 0.980 and 0.982 without it), more than
        the 10 µs it takes in a loop (presumably the caches it evicts)."""

    def __getattr__(self, name: str) -> np.ndarray:
        """A recorded array, its view made when first read.

        Most runs of an ensemble are summed up from a few recorded arrays;
        making every view when a run starts cost as much as some mechanisms.
        """
        plan = self.__dict__["model"].plan
        for group, flat in ((plan.numbers, "numbers_by_month"), (plan.flags, "flags_by_month")):
            if name in group.names:
                view = group.view(self.__dict__[flat], name)
                setattr(self, name, view)
                return view
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def result(self) -> RunResult:
        """Build the run's frames."""
        model = self.model
        run = model.run_number
        frames = {
            "trajectories": self._trajectories(run),
            "posts": self._posts(run),
            "events": _with_run(pd.DataFrame(model.event_log, columns=EVENT_COLUMNS), run),
            "votes": _with_run(pd.DataFrame(model.vote_log, columns=VOTE_COLUMNS), run),
            "alliances": self._alliances(run),
            "factions": self._factions(run),
            "membership": self._membership(run),
            "loyalty": self._loyalty(run),
            "tenures": self._tenures(run),
        }
        free_from = model.spec.free_from
        return RunResult(
            model.spec.name,
            model.seed,
            model.mode.value,
            frames,
            None if free_from is None else str(free_from),
        )

    def _long(self, run: int, entities: list[str], column: str) -> dict[str, np.ndarray]:
        months = len(self.dates)
        return {
            "run": np.full(months * len(entities), run),
            "date": np.repeat(self.dates, len(entities)),
            column: np.tile(entities, months),
        }

    def _trajectories(self, run: int) -> pd.DataFrame:
        columns = self._long(run, self.model.leader_ids, "leader")
        columns.update(
            influence=self.influence.ravel(),
            apparatus=self.apparatus.ravel(),
            power=self.power.ravel(),
            alive=self.alive.ravel(),
            health=self.health.ravel(),
            stance_economic=self.stance[:, :, 0].ravel(),
            stance_regime=self.stance[:, :, 1].ravel(),
        )
        return pd.DataFrame(columns)

    def _posts(self, run: int) -> pd.DataFrame:
        k, i, p = np.nonzero(self.holds)
        return pd.DataFrame(
            {
                "run": np.full(k.size, run),
                "date": np.asarray(self.dates)[k],
                "leader": np.asarray(self.model.leader_ids)[i],
                "post": np.asarray(self.model.post_ids)[p],
            }
        )

    def _alliances(self, run: int) -> pd.DataFrame:
        ids = np.asarray(self.model.leader_ids)
        a, b = np.triu_indices(len(ids), k=1)  # each pair once: affinities are symmetric
        months = len(self.dates)
        return pd.DataFrame(
            {
                "run": np.full(months * a.size, run),
                "date": np.repeat(self.dates, a.size),
                "leader_a": np.tile(ids[a], months),
                "leader_b": np.tile(ids[b], months),
                "affinity": self.affinity[:, a, b].ravel(),
                GRIEVANCE_COLUMNS[0]: self.grievance[:, a, b].ravel(),
                GRIEVANCE_COLUMNS[1]: self.grievance[:, b, a].ravel(),
            }
        )

    def _factions(self, run: int) -> pd.DataFrame:
        ids = [faction.faction_id for faction in self.model.factions]
        columns = self._long(run, ids, "faction")
        membership = np.zeros((len(ids), len(self.model.leader_ids)))
        for f, faction in enumerate(self.model.factions):
            membership[f, faction.members] = 1.0
        columns.update(
            active=self.faction_active.ravel(),
            cohesion=self.cohesion.ravel(),
            influence=(self.influence @ membership.T).ravel(),
            apparatus=(self.apparatus @ membership.T).ravel(),
        )
        return pd.DataFrame(columns)

    def _membership(self, run: int) -> pd.DataFrame:
        columns = self._long(run, self.model.organisation_ids, "organisation")
        columns.update(
            members=self.members.ravel().round().astype(np.int64),
            recruits=self.recruits.ravel().round().astype(np.int64),
        )
        return pd.DataFrame(columns)

    def _tenures(self, run: int) -> pd.DataFrame:
        columns = ["leader", "post", "start", "end"]
        return _with_run(pd.DataFrame(tenures(self.model), columns=columns), run)

    def _loyalty(self, run: int) -> pd.DataFrame:
        k, o, i = np.nonzero(self.loyalty > 1e-4)
        return pd.DataFrame(
            {
                "run": np.full(k.size, run),
                "date": np.asarray(self.dates)[k],
                "organisation": np.asarray(self.model.organisation_ids)[o],
                "leader": np.asarray(self.model.leader_ids)[i],
                "loyalty": self.loyalty[k, o, i],
            }
        )


def _with_run(frame: pd.DataFrame, run: int) -> pd.DataFrame:
    frame.insert(0, "run", run)
    return frame


def tenures(model: PartyModel) -> list[tuple[str, str, str, str | None]]:
    """Every spell in office: ``(leader, post, start, end)``, by leader, post and start.

    A spell starts in the scenario's first month if the post is held at the start,
    else in the month at whose end it is first recorded as held; it ends in the first
    month at whose end it is no longer held (``None`` if held at the scenario's end).
    A post taken and lost within one month leaves no spell.
    """
    recorder = model.recorder
    months, n, posts = recorder.holds.shape
    initial = np.zeros((1, n, posts), dtype=bool)
    index = {post_id: p for p, post_id in enumerate(model.post_ids)}
    for i, leader in enumerate(model.spec.leaders):
        for post_id in leader.posts:
            initial[0, i, index[post_id]] = True
    # Padded with "not held" on both sides, each spell is one rise and one fall; the
    # rise at position t > 0 is recorded month t - 1, the initial holding rises at t = 0.
    none = np.zeros((1, n, posts), dtype=bool)
    held = np.concatenate([none, initial, recorder.holds, none]).astype(np.int8)
    change = np.diff(held, axis=0).transpose(1, 2, 0)
    leaders, post_numbers, rises = np.nonzero(change == 1)
    falls = np.nonzero(change == -1)[2]
    dates = recorder.dates
    return [
        (
            model.leader_ids[i],
            model.post_ids[p],
            dates[max(rise - 1, 0)],
            dates[fall - 1] if fall <= months else None,
        )
        for i, p, rise, fall in zip(
            leaders.tolist(), post_numbers.tolist(), rises.tolist(), falls.tolist(), strict=True
        )
    ]
