"""Patronage: the "circular flow of power" through appointments.

Holders of appointment posts move the loyalty of an organisation's secretaries
toward themselves each month; a regional boss shields his organisation from
everyone else's appointments; loyalty slowly drifts back to unaligned.

An appointer presses a boss weaker than himself only as hard as that boss's power
is to his own: a machine is worth taking from a rival, not from a lesser man who
is no threat. The apparatus took the awarding of army posts from Trotsky in 1923
(source chapter, §Events of 1923 in Germany) and replaced Zinoviev's and Kamenev's
men in 1924-25 (§The Opposition and the NEP), while the trade unions stayed
Tomsky's until the Right's defeat of 1929 (standard reference: Carr, Foundations
of a Planned Economy). No rule says whose machine: whoever is weaker than the
appointer, in proportion.

References:
    Daniels, R. V. (1971). Soviet politics since Khrushchev. In J. W. Strong
    (ed.), The Soviet Union under Brezhnev and Kosygin, pp. 16-25.
    Rigby, T. H. (1981). Early provincial cliques and the rise of Stalin.
    Soviet Studies 33(1), 3-28.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def appointment_pressure(
    pressure: np.ndarray,
    holds: np.ndarray,
    alive: np.ndarray,
    patronage_reach: np.ndarray,
    health: np.ndarray,
    standing: np.ndarray,
    standing_weight: float,
    head_holder: np.ndarray,
    protection: np.ndarray,
    power: np.ndarray,
) -> None:
    """Write into ``pressure`` each leader's power to appoint secretaries in each organisation.

    A living leader's pressure in an organisation is the patronage of the posts
    he holds that appoint there, scaled by his health (an invalid appoints no one)
    and by his standing to the power ``standing_weight``: an appointment went
    through the Orgburo and the Secretariat, and a man without authority could
    not carry his nominees against his colleagues' (0: the office alone counts).
    Where an organisation's head post is held, everyone but the head is
    weakened by the organisation's protection: this is how Zinoviev kept
    Leningrad until the purge of January 1926. An outsider stronger than the
    head is weakened further, by the head's power over his own: he has less to
    fear from a lesser man's machine (module docstring).

    A leader who holds no post has no pressure, whatever his weight (a finite number,
    as health and standing are), so his weight is not worked out: a ``pow`` for each
    leader a month otherwise.

    Args:
        pressure: (m, n), written: the pressure, >= 0 (a buffer of the run's, not a new
            array a month).
        holds: (n, p) bool, who holds which post.
        alive: (n,) bool.
        patronage_reach: (p, m) patronage of each post in each organisation it
            appoints in, 0..1 (0 elsewhere).
        health: (n,) 0..1.
        standing: (n,) influence, 0..1.
        standing_weight: how far patronage depends on standing, >= 0.
        head_holder: (m,) index of the leader holding the head post, or -1.
        protection: (m,) 0..1, how far the head shields his organisation.
        power: (n,) power shares, last month's.
    """
    n, posts = holds.shape
    m = patronage_reach.shape[1]
    pressure[:] = 0.0
    for i in range(n):
        if not alive[i]:
            continue
        held = False
        for q in range(posts):
            if holds[i, q]:
                held = True
                for o in range(m):
                    pressure[o, i] += patronage_reach[q, o]
        if not held:
            continue
        weight = health[i] * standing[i] ** standing_weight
        for o in range(m):
            pressure[o, i] *= weight
    for o in range(m):
        head = head_holder[o]
        if head >= 0:
            own = pressure[o, head]
            pressure[o] *= 1.0 - protection[o]
            for i in range(n):
                if power[i] > power[head]:  # a lesser man's machine is not worth the fight
                    pressure[o, i] *= power[head] / power[i]
            pressure[o, head] = own


@njit(cache=True)
def capture_loyalty(
    captured: np.ndarray, loyalty: np.ndarray, pressure: np.ndarray, rate: float, decay: float
) -> None:
    """One month of secretaries changing patrons: the new loyalty, written into ``captured``.

    ``L <- (1 - a) L + a * P / sum(P)`` per organisation, with ``a = rate *
    min(1, sum(P))``, then ``L <- (1 - decay) L``. Rows stay non-negative and
    sum to at most 1; the remainder is the unaligned share.

    Args:
        captured: (m, n), written: the new loyalty (a buffer of the run's; the month
            compares it with the old, :func:`.positions.capture_grievance`).
        loyalty: (m, n) share of each organisation's secretaries loyal to each leader.
        pressure: (m, n) from :func:`appointment_pressure`.
        rate: monthly share of secretaries an appointer can replace, 0..1.
        decay: monthly drift of loyalty to unaligned, 0..1.
    """
    m, n = pressure.shape
    for o in range(m):
        total = pressure[o].sum()
        weight = rate * min(total, 1.0)
        keep = (1.0 - weight) * (1.0 - decay)
        for i in range(n):
            gain = weight * (pressure[o, i] / total) * (1.0 - decay) if total > 0 else 0.0
            captured[o, i] = keep * loyalty[o, i] + gain


@njit(cache=True)
def purge(
    loyalty: np.ndarray, organisation: int, targets: np.ndarray, beneficiary: int, share: float
) -> None:
    """Replace a share of the targets' clients in one organisation at once, in place.

    A purge after a defeat does not wait for the slow flow of appointments:
    the purged secretaries' places go to the beneficiary's people immediately
    (Leningrad, January 1926: 7,000 functionaries).

    Args:
        loyalty: (m, n) loyalty shares, updated.
        organisation: index of the purged organisation.
        targets: indices of the leaders whose clients are purged (all others
            than the beneficiary if empty).
        beneficiary: index of the leader whose people replace them.
        share: share of the targets' clients removed, 0..1.
    """
    row = loyalty[organisation]
    if targets.size == 0:
        targets = np.flatnonzero(np.arange(row.size) != beneficiary)
    removed = row[targets] * share
    row[targets] -= removed
    row[beneficiary] += removed.sum()


@njit(cache=True)
def apparatus_shares(loyalty: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each leader's share of the national apparatus, weighted by membership.

    Returns:
        (n,) shares summing to at most 1 (see :func:`fill_apparatus_shares`).
    """
    shares = np.empty(loyalty.shape[1])
    fill_apparatus_shares(shares, loyalty, members)
    return shares


@njit(cache=True)
def fill_apparatus_shares(shares: np.ndarray, loyalty: np.ndarray, members: np.ndarray) -> None:
    """Write each leader's share of the national apparatus into ``shares``, in place.

    The month writes the state's own each month: no new array (see :func:`apparatus_shares`).
    """
    m, n = loyalty.shape
    shares[:] = 0.0
    total = members.sum()
    if total > 0:
        for o in range(m):
            for i in range(n):
                shares[i] += members[o] * loyalty[o, i]
        shares /= total
    return shares


@njit(cache=True)
def appointing_reach(
    holds: np.ndarray, unique_post: np.ndarray, reach: np.ndarray, members: np.ndarray
) -> np.ndarray:
    """(n,) share of the party's members whose secretaries each leader's offices appoint.

    Per organisation, the patronage of the executive offices a leader holds
    there (at most 1), weighted by its membership: the machine his offices
    will build him over time, whatever he commands today. The General
    Secretary's reach spans the whole party; a regional head's, his region.

    Args:
        holds: (n, p) who holds which post.
        unique_post: (p,) executive (single-holder) posts.
        reach: (p, m) patronage of each post in each organisation.
        members: (m,) members of each organisation.
    """
    n, posts = holds.shape
    m = members.size
    total = members.sum()
    share = np.zeros(n)
    if total <= 0:
        return share
    patronage = np.empty(m)
    for i in range(n):
        # The posts in the outer loop: each (leader, organisation) sum still adds its
        # posts in order, and a leader without an executive office is passed over.
        patronage[:] = 0.0
        held = False
        for q in range(posts):
            if holds[i, q] and unique_post[q]:
                held = True
                for o in range(m):
                    patronage[o] += reach[q, o]
        if held:
            for o in range(m):
                share[i] += members[o] * min(patronage[o], 1.0)
    return share / total


@njit(cache=True)
def takeovers(
    loyalty: np.ndarray,
    affinity: np.ndarray,
    obligation: np.ndarray,
    reach: np.ndarray,
    head_holder: np.ndarray,
    margin: float,
    hostility: float,
) -> np.ndarray:
    """(m,) who has taken each organisation from its head, or -1.

    An organisation's head loses it when another leader's clients among its
    secretaries outnumber his own by ``margin`` and that leader does not count
    him an ally (affinity below ``hostility``): the head is then a figurehead
    of a rival's machine, and is replaced, as Kamenev's Moscow committee passed
    to Uglanov in 1924 once the Secretariat's appointees held it. A head the
    master trusts, or who owes him his career (an obligation to him), stays;
    so does one whose rival no longer appoints there (``reach``, (m, n): the
    patronage each leader's posts give him in each organisation): a fallen
    leader's leftover clients take nothing over.
    """
    m, n = loyalty.shape
    taken = np.full(m, -1)
    for o in range(m):
        head = head_holder[o]
        if head < 0:
            continue
        master = np.argmax(loyalty[o])
        outnumbered = loyalty[o, master] > margin * loyalty[o, head]
        trusted = affinity[master, head] >= hostility or obligation[head, master] > 0.01
        if master != head and outnumbered and not trusted and reach[o, master] > 0:
            taken[o] = master
    return taken
