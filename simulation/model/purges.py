"""Purges after a congress defeat: scheduled by the congress, carried out the next month.

The losers' organisations that voted against the congress lose most of their
secretaries to the winner's people and their heads lose office, as Leningrad
did in January 1926 (the chapter's §The Opposition and the NEP). Compiled, and
called by :func:`simulation.model.leadership.decide_month`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.voting import organisation_lean
from simulation.model.actions import purge_organisation, vacate
from simulation.model.parameters import Parameter
from simulation.model.rows import write_purge, write_purge_removal


@njit(cache=True)
def schedule_purges(state, k, targets, sides, beneficiary):
    """A congress defeat is followed next month by a purge of organisations that backed the losers.

    An organisation is purged when the losers hold its head post and its
    secretaries lean against the congress's verdict: more of them loyal to the
    leaders on the losing side (``sides``) than to those on the winning side
    (:func:`simulation.mechanisms.voting.organisation_lean`). Such a delegation
    voted against the congress, as Leningrad's did in December 1925; one whose
    apparatus the winners' appointees already held was no losers' base to purge.
    """
    head_post = state.head_post
    for o in range(head_post.size):
        head = head_post[o]
        if head < 0:
            continue
        held = False
        for target in targets:
            held = held or state.holds[target, head]
        if not held:
            continue
        with_verdict, against, _ = organisation_lean(state.loyalty, sides, o)
        if against > with_verdict:
            state.purge_due[o] = k + 1
            state.purge_targets[o] = False
            state.purge_targets[o, targets] = True
            state.purge_beneficiary[o] = beneficiary


@njit(cache=True)
def carry_out_purges(state, k, row):
    """The purges due this month: the losers' secretaries replaced, the head removed.

    A beneficiary who has died since the congress is given no secretaries, as in a
    replayed purge (:mod:`simulation.model.events`); the losers' head still loses office,
    by the congress's verdict.
    """
    for o in range(state.purge_due.size):
        if state.purge_due[o] != k:
            continue
        state.purge_due[o] = -1
        targets = np.flatnonzero(state.purge_targets[o])
        beneficiary = state.purge_beneficiary[o]
        share = state.parameter_values[Parameter.purge_share]
        replaced = state.alive[beneficiary]
        if replaced:
            purge_organisation(state, o, targets, beneficiary, share)
        head = state.head_post[o]
        for target in targets:
            if state.holds[target, head]:
                vacate(state, target, head)
                state.purged_in[target] = k
                row = write_purge_removal(state.decision_log, row, target, head, o)
        row = write_purge(state.decision_log, row, o, beneficiary, replaced)
    return row
