"""An ABC sampler whose fit depends on its seed only, not on how many processes ran it.

pyabc's parallel samplers reseed each worker from the operating system's entropy
(``np.random.seed()`` in ``pyabc/sampler/multicore*.py`` and ``mapping.py``, pyabc
0.13), so ``calibrate --seed 1 --workers 2`` wrote a different posterior at every call:
two fits of the same model on 3 December 2026 kept different particles, and the
hold-out patterns they reproduce differed (23 and 24 of 31 against the committed
fit's 27). pyabc's own deterministic sampler is single-core.

Here every candidate particle gets its own seed, drawn in turn from numpy's global
generator, which the fit seeds (pyabc samples a candidate's parameters from it). The
workers evaluate the candidates of a batch, and they are accepted in their order until
``n`` are, exactly as one process evaluating them one by one would: the particles
kept, and the state the generator is left in, are the same for any number of
processes.

A fit takes minutes to hours, so the sampler can show a bar per population (``calibrate``
asks for it on a terminal): the particles kept of those asked for, and the candidates
proposed so far.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections.abc import Callable

import numpy as np
from pyabc.sampler import Sampler

from simulation.experiments.ensemble.executors import end_with_parent
from simulation.experiments.ensemble.progress import progress_bar

BATCH = 64
"""Candidates drawn at a time. Fixed, not scaled to the processes: how many seeds are
drawn from the generator must not depend on them. Larger batches waste more of the
candidates evaluated past the ``n``-th acceptance."""

_simulate_one: Callable | None = None
"""The generation's candidate evaluation, which forked workers inherit (a closure
over the model and the patterns, which would be slow or impossible to pickle)."""


def _evaluate(seed: int):
    """Evaluate one candidate particle, its draws seeded by ``seed``."""
    np.random.seed(seed)  # noqa: NPY002 (pyabc draws from the global generator)
    random.seed(seed)
    return _simulate_one()


class SeededSampler(Sampler):
    """Evaluates batches of seeded candidates on ``processes`` forked workers, in order.

    With ``progress``, a bar on stderr counts each population's particles kept.
    """

    def __init__(self, processes: int, progress: bool = False):
        super().__init__()
        self.processes = processes
        self.progress = progress

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        """Candidates, accepted in the order of their seeds, until ``n`` are accepted.

        ``max_eval`` is not checked, as pyabc's samplers do not by default: the fit's
        stop on a low acceptance rate acts once the generation is done.
        """
        global _simulate_one
        _simulate_one = simulate_one
        sample = self._create_empty_sample()
        evaluated = 0
        # pyabc first draws a sample from the prior, all kept, to set the first tolerance.
        stage = "prior sample" if all_accepted else f"generation {t + 1}"
        bar = progress_bar(n, 0, self.progress, unit="particle", desc=f"calibrate, {stage}")
        pool = None
        if self.processes > 1:
            pool = multiprocessing.get_context("fork").Pool(
                self.processes, initializer=end_with_parent, initargs=(os.getpid(),)
            )
        try:
            while sample.n_accepted < n:
                seeds = np.random.randint(0, 2**31 - 1, size=BATCH).tolist()  # noqa: NPY002
                candidates = pool.imap(_evaluate, seeds) if pool else map(_in_process, seeds)
                for particle in candidates:
                    if sample.n_accepted >= n:
                        break
                    sample.append(particle)
                    evaluated += 1
                    bar.update(int(particle.accepted))
                    bar.set_postfix_str(f"{evaluated} proposed", refresh=False)
        finally:
            bar.close()
            if pool:
                pool.terminate()
            _simulate_one = None
        self.nr_evaluations_ = evaluated
        return sample


def _in_process(seed: int):
    """:func:`_evaluate` in this process, leaving its generators as they were.

    The next batch's seeds come from the generator a worker's reseeding would
    otherwise have moved: one process must draw what two would.
    """
    state, python_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    try:
        return _evaluate(seed)
    finally:
        np.random.set_state(state)  # noqa: NPY002
        random.setstate(python_state)
