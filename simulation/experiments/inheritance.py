"""What a run branching from history inherits from the replay.

A branch's course is set as much by the state the replayed months hand it as by the
rules that play out after: the verdicts already passed, and the grievances held against
the strongest leader, which decide who turns on him once a common enemy is broken (the
branches of 1923-24 lose Kamenev while the replay leaves him no grievance of his own, and
lose Bukharin to the Pravda quarrel of 1923: docs/history.md, "Replayed months leave the
grievance of lost secretaries"). :func:`inheritance_line` says both for the month before
the branch, so that a reader of a branch's outcome knows what it started from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.mechanisms.power import dominant

if TYPE_CHECKING:
    from simulation.model import PartyModel

GRIEVANCE_SHOWN = 0.05
"""The smallest grievance the line names: below it, the drift of the first months' appointments."""

MOST_SHOWN = 5
"""How many of the uncondemned holding a grievance against the strongest the line names,
largest first: the condemned resent him as a matter of course; the others may yet turn."""


def inheritance_line(model: PartyModel) -> str | None:
    """One line on what a branch inherits from the replay, or None for a run that is no branch.

    Read from the finished run's record of the month before the branch: the strongest is
    the leader the month's rules took for him (:func:`simulation.mechanisms.power.dominant`).
    """
    if not 0 < model.free_from < model.months:
        return None
    last = model.free_from - 1
    record, ids = model.recorder, model.leader_ids
    since = model.condemned_since
    condemned = (since >= 0) & (since <= last)
    strongest = dominant(record.power[last], record.alive[last], record.health[last])
    held = record.grievance[last][:, strongest]  # what each holds against him
    shown = np.flatnonzero((held >= GRIEVANCE_SHOWN) & ~condemned)
    named = shown[np.argsort(-held[shown], kind="stable")][:MOST_SHOWN]
    aggrieved = ", ".join(f"{ids[i]} {held[i]:.2f}" for i in named)
    verdicts = ", ".join(ids[i] for i in np.flatnonzero(condemned)) or "no one"
    return (
        f"inherited from the replay to {model.dates[last]}: condemned {verdicts}; "
        f"grievances against {ids[strongest]}, the strongest, of the uncondemned: "
        f"{aggrieved or 'none'}"
    )
