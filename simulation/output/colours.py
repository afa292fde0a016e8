"""One colour per leader, fixed by the scenario, so a leader looks the same in every figure.

The colour depends only on the leader's place in the scenario's list of leaders, never on
which leaders a figure happens to draw or in what order: Trotsky drawn alone, among the
losers of a fan chart or in the alliance network has the same colour. The first leaders
of a scenario (the principals, by the scenario's convention) get the Okabe-Ito palette,
which readers with any common colour-vision deficiency can tell apart; Paul Tol's
"muted" palette follows. The minor figures of a long list, who may still rise (Kalinin
held the General Secretaryship in some free runs), get colours chosen each as far as
can be, in CIELAB, from every colour before it (:data:`FARTHEST`): ``tab20``, used
before, gave Kalinin Stalin's blue (a difference of 2.9 in CIELAB, under the 10 or so a
reader needs).
"""

from __future__ import annotations

import numpy as np

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


def cielab(hexes: list[str]) -> np.ndarray:
    """CIELAB (D65) of ``#rrggbb`` colours, from sRGB."""
    rgb = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array(
        [[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192], [0.1805, 0.0722, 0.9505]]
    )
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.column_stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])]
    )


def _farthest(chosen: tuple[str, ...], count: int) -> tuple[str, ...]:
    """``count`` colours of a 6 x 6 x 6 grid, each the farthest from all before it.

    Only colours of middle lightness (L* 30 to 75) are candidates: a line or a node must
    stand out on white, and a name written over it in dark grey stay legible.
    """
    steps = ("00", "33", "66", "99", "cc", "ff")
    grid = [f"#{r}{g}{b}" for r in steps for g in steps for b in steps]
    lab = cielab(grid)
    candidates = [h for h, (light, *_) in zip(grid, lab, strict=True) if 30 <= light <= 75]
    candidate_lab = cielab(candidates)
    nearest = np.min(
        np.linalg.norm(candidate_lab[:, None] - cielab(list(chosen))[None], axis=2), axis=1
    )
    found = []
    for _ in range(count):
        pick = int(np.argmax(nearest))  # the first of equals: the same colours every time
        found.append(candidates[pick])
        nearest = np.minimum(nearest, np.linalg.norm(candidate_lab - candidate_lab[pick], axis=1))
    return tuple(found)


FARTHEST = _farthest(OKABE_ITO + TOL_MUTED, 16)
"""The colours of the 17th to the 32nd leader."""
PALETTE = OKABE_ITO + TOL_MUTED + FARTHEST


def leader_colours(scenario: Scenario) -> dict[str, str]:
    """Each leader's colour (``#rrggbb``) by id, in the scenario's order of leaders.

    A scenario with more leaders than :data:`PALETTE` has colours reuses the palette
    from the start; the figures draw a handful of leaders, so clashes stay unlikely.
    """
    return {
        leader.id: PALETTE[number % len(PALETTE)] for number, leader in enumerate(scenario.leaders)
    }
