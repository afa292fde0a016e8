"""One colour per leader, fixed by the scenario, so that a leader looks the same everywhere.

The colour depends only on the leader's place in the scenario's list of leaders, never on
who happens to lead in a run, so that Trotsky is drawn in the same colour in a replay, a
free run, a fan chart and the dashboard.
"""

from __future__ import annotations

import matplotlib
from matplotlib.colors import to_hex

from simulation.scenario.schema import Scenario

_PALETTE = [to_hex(colour) for colour in matplotlib.colormaps["tab20"].colors]
"""A qualitative palette: the strong tab20 tones first, then their light companions."""
_ORDER = _PALETTE[0::2] + _PALETTE[1::2]


def leader_colours(scenario: Scenario) -> dict[str, str]:
    """Each leader's colour (``#rrggbb``) by leader id, in the scenario's leader order.

    Beyond twenty leaders the palette repeats.
    """
    return {leader.id: _ORDER[i % len(_ORDER)] for i, leader in enumerate(scenario.leaders)}
