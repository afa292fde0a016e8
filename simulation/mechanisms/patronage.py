"""Patronage: the "circular flow of power" through appointments.

Holders of appointment posts move the loyalty of an organisation's secretaries
toward themselves each month; a regional boss shields his organisation from
everyone else's appointments; loyalty slowly drifts back to unaligned.

References:
    Daniels, R. V. (1971). Soviet politics since Khrushchev. In J. W. Strong
    (ed.), The Soviet Union under Brezhnev and Kosygin, pp. 16-25.
    Rigby, T. H. (1981). Early provincial cliques and the rise of Stalin.
    Soviet Studies 33(1), 3-28.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def appointment_pressure(
    holds: np.ndarray,
    patronage_reach: np.ndarray,
    health: np.ndarray,
    head_holder: np.ndarray,
    protection: np.ndarray,
) -> np.ndarray:
    """Each leader's power to appoint secretaries in each organisation.

    A leader's pressure in an organisation is the patronage of the posts he
    holds that appoint there, scaled by his health (an invalid appoints no one).
    Where an organisation's head post is held, everyone but the head is
    weakened by the organisation's protection: this is how Zinoviev kept
    Leningrad until the purge of January 1926.

    Args:
        holds: (n, p) bool, who holds which post.
        patronage_reach: (p, m) patronage of each post in each organisation it
            appoints in, 0..1 (0 elsewhere).
        health: (n,) 0..1.
        head_holder: (m,) index of the leader holding the head post, or -1.
        protection: (m,) 0..1, how far the head shields his organisation.

    Returns:
        (m, n) pressure, >= 0.
    """
    pressure = (patronage_reach.T @ holds.T) * health
    headed = np.flatnonzero(head_holder >= 0)
    if headed.size:
        heads = head_holder[headed]
        own = pressure[headed, heads]
        pressure[headed] *= (1.0 - protection[headed])[:, None]
        pressure[headed, heads] = own
    return pressure


class Capture(NamedTuple):
    """How an organisation's secretaries move this month: ``L <- keep * L + gain``."""

    keep: np.ndarray
    gain: np.ndarray


def capture(pressure: np.ndarray, rate: float, decay: float) -> Capture:
    """The month's capture of loyalty implied by the appointment pressure.

    ``L <- (1 - a) L + a * P / sum(P)`` per organisation, with ``a = rate *
    min(1, sum(P))``, then ``L <- (1 - decay) L``. Rows stay non-negative and
    sum to at most 1; the remainder is the unaligned share. It depends only on
    the pressure, so a model recomputes it only when offices change.

    Args:
        pressure: (m, n) from :func:`appointment_pressure`.
        rate: monthly share of secretaries an appointer can replace, 0..1.
        decay: monthly drift of loyalty to unaligned, 0..1.
    """
    total = pressure.sum(axis=1, keepdims=True)
    weight = rate * np.minimum(total, 1.0)
    target = np.divide(pressure, total, out=np.zeros_like(pressure), where=total > 0)
    return Capture((1.0 - weight) * (1.0 - decay), weight * target * (1.0 - decay))


def capture_loyalty(
    loyalty: np.ndarray, pressure: np.ndarray, rate: float, decay: float
) -> np.ndarray:
    """One month of secretaries changing patrons (see :func:`capture`).

    Args:
        loyalty: (m, n) share of each organisation's secretaries loyal to each leader.
        pressure: (m, n) from :func:`appointment_pressure`.
        rate: monthly share of secretaries an appointer can replace, 0..1.
        decay: monthly drift of loyalty to unaligned, 0..1.

    Returns:
        The new (m, n) loyalty.
    """
    keep, gain = capture(pressure, rate, decay)
    return keep * loyalty + gain


def purge(
    loyalty: np.ndarray, organisation: int, targets: np.ndarray, beneficiary: int, share: float
) -> np.ndarray:
    """Replace a share of the targets' clients in one organisation at once.

    A purge after a defeat does not wait for the slow flow of appointments:
    the purged secretaries' places go to the beneficiary's people immediately
    (Leningrad, January 1926: 7,000 functionaries).

    Args:
        loyalty: (m, n) loyalty shares.
        organisation: index of the purged organisation.
        targets: indices of the leaders whose clients are purged (all others
            than the beneficiary if empty).
        beneficiary: index of the leader whose people replace them.
        share: share of the targets' clients removed, 0..1.

    Returns:
        The new (m, n) loyalty.
    """
    result = loyalty.copy()
    row = result[organisation]
    if len(targets) == 0:
        targets = np.setdiff1d(np.arange(row.size), [beneficiary])
    removed = row[targets] * share
    row[targets] -= removed
    row[beneficiary] += removed.sum()
    return result


def apparatus_shares(loyalty: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each leader's share of the national apparatus, weighted by membership.

    Returns:
        (n,) shares summing to at most 1.
    """
    total = members.sum()
    return members @ loyalty / total if total > 0 else np.zeros(loyalty.shape[1])
