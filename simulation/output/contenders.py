"""Which leaders a figure draws by default: the main contenders, winners and losers alike.

A contender is a leader who came near the top. His claim is how close he came to the
strongest of some month: the largest, over the months, of his power share divided by
that month's largest share. The peak share alone favours the late risers, because the
others' shares rise as the losers' fall: in the replayed baseline Zinoviev and Kamenev,
second and third for two years, came seventh and eighth by their peak share, behind
Tomsky and Bukharin, and the first figure of ``make run`` left them out; in a free-mode
ensemble the medians left out Trotsky and Zinoviev. Measured this way they come fourth
and fifth, after the three who were the strongest in some month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAIN_LEADERS = 8
"""Leaders a run's figure and an ensemble's fan chart draw by default: in the replayed
baseline, the eight who sat in the Politburo of these years."""


def contender_order(power: np.ndarray) -> np.ndarray:
    """Column indices of ``power`` (months x leaders), the main contenders first.

    Ranked by how near each leader came to the strongest of some month (see the
    module docstring), then, among equals (those who were the strongest in some month),
    by the peak share; leaders equal in both keep their column order. A month in which
    no one has power (all shares 0) counts for no one.
    """
    top = power.max(axis=1, keepdims=True)
    nearness = np.divide(power, top, out=np.zeros_like(power), where=top > 0).max(axis=0)
    return np.lexsort((-power.max(axis=0), -nearness))


def main_leaders(
    table: pd.DataFrame, count: int = MAIN_LEADERS, measure: str = "power"
) -> list[str]:
    """The ``count`` main contenders of a table with ``date``, ``leader`` and ``measure``.

    A run's ``trajectories`` (the power share), or an ensemble's median power share
    (``measure="q50"`` of its ``quantiles``).
    """
    wide = table.pivot_table(
        index="date", columns="leader", values=measure, aggfunc="max", fill_value=0.0
    )
    order = contender_order(wide.to_numpy(dtype=float))
    return [str(wide.columns[i]) for i in order[:count]]
