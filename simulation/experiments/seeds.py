"""The seeds of a set of runs: one root seed, one child seed per run, the same in every scenario.

Run ``i`` takes its seed from child ``i`` of ``numpy.random.SeedSequence(root).spawn(runs)``,
so two ensembles with one root seed are paired run by run (common random numbers), and a
comparison's differences are over the same chance. This module is the one place that
derives them: ``run``, ``ensemble``, ``compare`` and calibration all call it.
"""

from __future__ import annotations

import numpy as np

MAX_SEED = 2**63 - 1
"""The largest seed accepted: it still fits the int64 ``seed`` columns of the outputs."""


class SeedError(ValueError):
    """A seed that numpy cannot take or the outputs cannot record."""


def check_seed(seed: int, flag: str = "--seed") -> int:
    """Return ``seed`` if it is an integer from 0 to :data:`MAX_SEED`.

    Args:
        seed: the seed given by the user.
        flag: how the user gave it, for the message.

    Raises:
        SeedError: naming the flag, the value and the accepted range.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise SeedError(f"{flag} must be an integer, got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise SeedError(f"{flag} must be an integer from 0 to 2**63 - 1, got {seed}")
    return int(seed)


def run_seeds(root: int, runs: int) -> list[int]:
    """The seed of each run: an int drawn from child ``i`` of ``SeedSequence(root)``.

    Args:
        root: the root seed (0 to :data:`MAX_SEED`; 0 is a seed like any other).
        runs: how many runs.
    """
    children = np.random.SeedSequence(check_seed(root)).spawn(runs)
    return [int(child.generate_state(1)[0]) for child in children]


def run_seed(root: int, run: int) -> int:
    """The seed of run ``run`` alone, as :func:`run_seeds` gives it, without the others.

    Child ``i`` of a ``SeedSequence`` is the sequence of the same entropy with spawn
    key ``(i,)``: run 10**9 costs what run 0 does.
    """
    child = np.random.SeedSequence(check_seed(root), spawn_key=(run,))
    return int(child.generate_state(1)[0])


def on_common_seeds(runs: int) -> str:
    """How each point of a design is run, in words: "4 times with the same 4 seeds".

    The reports of ``sensitivity`` and ``discover`` say it of every point; "1 times with
    the same 1 seeds" is how a one-run design read before.
    """
    if runs == 1:
        return "once, with the same seed"
    return f"{runs} times with the same {runs} seeds"
