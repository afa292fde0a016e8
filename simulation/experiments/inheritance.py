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

if TYPE_CHECKING:
    import pandas as pd

    from simulation.model import PartyModel

GRIEVANCE_SHOWN = 0.05
"""The smallest grievance the line names: below it, the drift of the first months' appointments."""

MOST_SHOWN = 5
"""How many of the uncondemned holding a grievance against the strongest the line names,
largest first: the condemned resent him as a matter of course; the others may yet turn."""


def inheritance_line(model: PartyModel, frames: dict[str, pd.DataFrame]) -> str | None:
    """One line on what a branch inherits from the replay, or None for a run that is no branch.

    Args:
        model: the finished run.
        frames: its recorded tables (``trajectories`` and ``alliances`` are read).
    """
    if not 0 < model.free_from < model.months:
        return None
    last = model.free_from - 1
    date = model.dates[last]
    since = model.condemned_since
    condemned = [model.leader_ids[i] for i in np.flatnonzero((since >= 0) & (since <= last))]
    month = frames["trajectories"][frames["trajectories"]["date"] == date]
    strongest = month.loc[month["power"].idxmax(), "leader"]
    pairs = frames["alliances"][frames["alliances"]["date"] == date]
    against = pairs[(pairs["leader_a"] == strongest) | (pairs["leader_b"] == strongest)]
    grievances = {
        (row.leader_b if row.leader_a == strongest else row.leader_a): (
            row.grievance_b if row.leader_a == strongest else row.grievance_a
        )
        for row in against.itertuples()
    }
    shown = [
        (grievance, leader)
        for leader, grievance in grievances.items()
        if grievance >= GRIEVANCE_SHOWN and leader not in condemned
    ]
    named = sorted(shown, reverse=True)[:MOST_SHOWN]
    aggrieved = ", ".join(f"{leader} {grievance:.2f}" for grievance, leader in named)
    return (
        f"inherited from the replay to {date}: condemned {', '.join(condemned) or 'no one'}; "
        f"grievances against {strongest}, the strongest, of the uncondemned: {aggrieved or 'none'}"
    )
