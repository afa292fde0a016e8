"""Succession: whom the leader who fills a vacant office puts in it.

An office that heads an organisation (the army, the trade unions, a regional
party) goes first to the organisation's own senior man, if the appointer can
count on him: Frunze, then Voroshilov, at the head of the army, Tomsky at the
trade unions. Failing such a man (the organisation's own are the fallen head's
people), the appointer sends one of his clients: the "circular flow of power"
by which the Secretariat's men took over the regional organisations, Kirov
sent to Leningrad in 1926. Any other office, and an organisation's head when
neither is to hand, is filled from the holders of the post's succession lines
(a deputy before the Politburo). A free seat of a body is not an office: the
majority elects the candidate of most standing (:func:`choose_member`). No
rule names a post or a man: the organisations, their heads and their men are
attributes of the scenario.

References:
    Daniels, R. V. (1971). Soviet politics since Khrushchev. In J. W. Strong
    (ed.), The Soviet Union under Brezhnev and Kosygin, 16-25 (the "circular
    flow of power" between the Secretariat and the regional secretaries).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.power import post_prestige


@njit(cache=True)
def successor_scores(
    affinity: np.ndarray,
    power: np.ndarray,
    offices: np.ndarray,
    candidates: np.ndarray,
    appointer: int,
    threat_aversion: float,
    office_cost: float,
) -> np.ndarray:
    """How much the appointer wants each candidate in a vacant post.

    Loyalty counts for a candidate; a power base of his own counts against
    him: the chapter explains Rykov's appointment over Kamenev by Rykov's lack
    of the stature to aspire to Lenin's place (§The Party and the Opposition
    after Lenin, n. 33). So does each office he already holds
    (``office_cost`` per office): no colleague is given a second power base
    while another loyal man is to hand.
    """
    scores = np.empty(candidates.size)
    for c, i in enumerate(candidates):
        scores[c] = (
            affinity[appointer, i]
            - threat_aversion * power[i] * power.size
            - office_cost * offices[i]
        )
    return scores


@njit(cache=True)
def may_succeed(
    i: int,
    post: int,
    lost: np.ndarray,
    appointer: int,
    affinity: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    condemned: np.ndarray,
    barred: np.ndarray,
    holds: np.ndarray,
) -> bool:
    """Whether the appointer may put leader ``i`` in the vacant post.

    A living, present, uncondemned ally of his, not barred from the post, not
    holding it already and not one who has lost it during the run (``lost``, (n,)
    bool: :func:`simulation.model.actions.vacate`).
    """
    return (
        i != appointer
        and not lost[i]
        and alive[i]
        and health[i] >= 0.5
        and affinity[appointer, i] > 0
        and not condemned[i]
        and not barred[i, post]
        and not holds[i, post]
    )


@njit(cache=True)
def line_candidates(
    post: int,
    lost: np.ndarray,
    lines: np.ndarray,
    appointer: int,
    affinity: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    condemned: np.ndarray,
    barred: np.ndarray,
    holds: np.ndarray,
    offices: np.ndarray,
) -> np.ndarray:
    """Those who :func:`may_succeed` among the holders of the ``lines`` posts.

    First those holding no other unique office, from the first line (in order
    of precedence) that has such a man; failing them, anyone on any line.
    """
    n = alive.size
    pool = np.zeros(n, dtype=np.bool_)
    for line in lines:
        for i in range(n):
            pool[i] = pool[i] or (
                holds[i, line]
                and offices[i] == 0
                and may_succeed(
                    i, post, lost, appointer, affinity, alive, health, condemned, barred, holds
                )
            )
        if pool.any():
            return np.flatnonzero(pool)
    for line in lines:
        for i in range(n):
            pool[i] = pool[i] or (
                holds[i, line]
                and may_succeed(
                    i, post, lost, appointer, affinity, alive, health, condemned, barred, holds
                )
            )
    return np.flatnonzero(pool)


@njit(cache=True)
def senior(
    pool: np.ndarray,
    post: int,
    lost: np.ndarray,
    appointer: int,
    affinity: np.ndarray,
    influence: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    condemned: np.ndarray,
    barred: np.ndarray,
    holds: np.ndarray,
) -> int:
    """The one of ``pool`` ((n,) bool) who :func:`may_succeed` with most standing, or -1."""
    best, standing = -1, -1.0
    for i in range(alive.size):
        if (
            pool[i]
            and influence[i] > standing
            and may_succeed(
                i, post, lost, appointer, affinity, alive, health, condemned, barred, holds
            )
        ):
            best, standing = i, influence[i]
    return best


@njit(cache=True)
def choose_member(
    post: int,
    lost: np.ndarray,
    lines: np.ndarray,
    elector: int,
    affinity: np.ndarray,
    influence: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    condemned: np.ndarray,
    barred: np.ndarray,
    holds: np.ndarray,
) -> int:
    """Whom the majority elects to a free seat of a body, or -1 if no one qualifies.

    The :func:`senior` of the holders of the ``lines`` posts (the candidate
    members), whatever offices he holds. A seat is a vote in the body and a
    sign to the party, not a power base to hand out: the majority's leader
    wants the votes and the name that carry the party against its
    opposition, where for an office he wants a modest man
    (:func:`successor_scores`). The senior candidate is the party's next man,
    as the organisation's senior man is its head: Bukharin, Pravda's editor and
    the party's theorist, took Lenin's seat in June 1924; the majority's
    secure leaders added men of the apparatus and the state, Molotov and
    Kalinin, in January 1926 (standard reference: Schapiro).
    """
    pool = np.zeros(alive.size, dtype=np.bool_)
    for line in lines:
        pool |= holds[:, line]
    return senior(
        pool, post, lost, elector, affinity, influence, alive, health, condemned, barred, holds
    )


@njit(cache=True)
def choose_successor(
    post: int,
    lost: np.ndarray,
    lines: np.ndarray,
    own_men: np.ndarray,
    clients: np.ndarray,
    appointer: int,
    affinity: np.ndarray,
    power: np.ndarray,
    influence: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    condemned: np.ndarray,
    barred: np.ndarray,
    holds: np.ndarray,
    unique_post: np.ndarray,
    threat_aversion: float,
    office_cost: float,
) -> int:
    """Whom the appointer puts in a vacant post, or -1 if no one qualifies.

    ``lost`` ((n,) bool) marks those who have lost the post during the run.
    Candidates are those who :func:`may_succeed`, in three tiers:

    1. ``own_men``, the men of the organisation the post heads (all False for
       a post heading none): the one with most standing, whatever else he
       holds: the organisation's senior man is its natural head (Bukharin at
       the Comintern, though he edited Pravda).
    2. ``clients``, the appointer's clients holding no unique office (all False
       for a post heading no organisation).
    3. The holders of the ``lines`` posts (:func:`line_candidates`). A
       dominant leader does not give a colleague a second power base while he
       can help it.

    In tiers 2 and 3 the best :func:`successor_scores` wins.
    """
    n = alive.size
    offices = post_prestige(holds, unique_post)  # each executive office counts 1
    best = senior(
        own_men, post, lost, appointer, affinity, influence, alive, health, condemned, barred, holds
    )
    if best >= 0:
        return best
    pool = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        pool[i] = (
            clients[i]
            and offices[i] == 0
            and may_succeed(
                i, post, lost, appointer, affinity, alive, health, condemned, barred, holds
            )
        )
    candidates = np.flatnonzero(pool)
    if candidates.size == 0:
        candidates = line_candidates(
            post,
            lost,
            lines,
            appointer,
            affinity,
            alive,
            health,
            condemned,
            barred,
            holds,
            offices,
        )
    if candidates.size:
        scores = successor_scores(
            affinity, power, offices, candidates, appointer, threat_aversion, office_cost
        )
        return candidates[np.argmax(scores)]
    return -1
