"""One colour per leader, fixed by the scenario, so a leader looks the same in every figure.

The colour depends only on the leader's place in the scenario's list of leaders, never on
which leaders a figure happens to draw or in what order: Trotsky drawn alone, among the
losers of a fan chart or in the alliance network has the same colour. The first leaders
of a scenario (the principals, by the scenario's convention) get the Okabe-Ito palette,
which readers with any common colour-vision deficiency can tell apart; Paul Tol's
"muted" palette follows, then matplotlib's ``tab20`` for the minor figures of a long list.
"""

from __future__ import annotations

import matplotlib

from simulation.scenario.schema import Scenario

OKABE_ITO = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
"""Okabe & Ito (2008), without its yellow, which is unreadable as a line on white."""
TOL_MUTED = (
    "#332288",
    "#117733",
    "#882255",
    "#999933",
    "#AA4499",
    "#44AA99",
    "#CC6677",
    "#DDCC77",
    "#88CCEE",
)
"""Paul Tol's colour-blind-safe "muted" qualitative palette."""
PALETTE = (
    OKABE_ITO
    + TOL_MUTED
    + tuple(matplotlib.colors.to_hex(colour) for colour in matplotlib.colormaps["tab20"].colors)
)


def leader_colours(scenario: Scenario) -> dict[str, str]:
    """Each leader's colour (``#rrggbb``) by id, in the scenario's order of leaders.

    A scenario with more leaders than :data:`PALETTE` has colours reuses the palette
    from the start; the figures draw a handful of leaders, so clashes stay unlikely.
    """
    return {
        leader.id: PALETTE[number % len(PALETTE)] for number, leader in enumerate(scenario.leaders)
    }
