"""Alliances: the monthly re-weighing of affinities between leaders.

Leaders are drawn together by similar stances and by obligations (a client to
the patron who made his career, an appointee to those who appointed him), and
pushed apart by grievances left by attacks. Against the most prominent rival
they balance (the others draw together, and away from him) or, when weak,
bandwagon (draw toward him); one parameter sets the mix. Enmities propagate
by structural balance: two leaders who share an enemy draw together, and the
friend of one's enemy is pushed away.

Prominence is judged by visible standing (influence), not by the power share:
the chapter stresses that the General Secretary's hold on the apparatus was
underestimated at the time (§The Events of 1923 in Germany), which is why his
colleagues balanced against Trotsky first and turned on Stalin only in 1925.

References:
    Walt, S. M. (1987). The Origins of Alliances. Cornell UP.
    Schweller, R. L. (1994). Bandwagoning for profit. International Security 19(1).
    Acemoglu, D., Egorov, G., Sonin, K. (2008). Coalition formation in
    non-democracies. Review of Economic Studies 75(4), 987-1009.
    Heider, F. (1946). Attitudes and cognitive organization. Journal of
    Psychology 21, 107-112.
    Cartwright, D., Harary, F. (1956). Structural balance: a generalization of
    Heider's theory. Psychological Review 63(5), 277-293.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

_MAX_STANCE_DISTANCE = 2.0 * np.sqrt(2.0)
_ONE = np.uint64(1)


class AffinityWeights(NamedTuple):
    """Weights of the five pulls on affinity."""

    stance: float
    grievance: float
    obligation: float
    threat: float
    structural_balance: float = 0.0


@njit(cache=True)
def stance_similarity(stance: np.ndarray) -> np.ndarray:
    """(n, n) similarity of stances, 1 identical ... -1 opposite corners."""
    n = stance.shape[0]
    similarity = np.empty((n, n))
    fill_similarity(similarity, stance)
    return similarity


@njit(cache=True)
def fill_similarity(similarity: np.ndarray, stance: np.ndarray) -> None:
    """Write the similarity of stances into ``similarity``, in place (:func:`stance_similarity`).

    The month's repositioning recomputes it in place: distances are symmetric, so each
    pair is computed once, a row's upper part first, then mirrored. Read from contiguous
    copies of the two axes, a row's distances are worked out side by side (the square
    roots, most of the cost, four at a time): half the time of reading the axes from
    ``stance``'s interleaved columns and writing both halves in one pass, with the same
    values bit for bit.
    """
    last = np.uint64(stance.shape[0])
    economic, regime = stance[:, 0].copy(), stance[:, 1].copy()
    for i in range(last):
        similarity[i, i] = 1.0
        for j in range(i + _ONE, last):
            distance = np.sqrt((economic[i] - economic[j]) ** 2 + (regime[i] - regime[j]) ** 2)
            similarity[i, j] = 1.0 - 2.0 * distance / _MAX_STANCE_DISTANCE
    for i in range(last):
        for j in range(i + _ONE, last):
            similarity[j, i] = similarity[i, j]


@njit(cache=True)
def threat_adjustment(
    adjustment: np.ndarray, standing: np.ndarray, alive: np.ndarray, balancing: float
) -> None:
    """Write into ``adjustment`` the (n, n) pull created by the most prominent leader's lead.

    With lead ``T = (S_1 - S_2) / S_1`` in standing over the next: pairs of others gain
    ``balancing * T``; pairs with the leader lose ``balancing * T`` and gain,
    for the weaker partner, ``(1 - balancing) * T * (1 - S_i / S_1)``. Written in place,
    into a buffer of the run's (:func:`reweigh_affinities`' ``work``), not a new array a month.
    """
    n = standing.size
    adjustment[:] = 0.0
    if alive.sum() < 3:
        return
    strongest = -1
    for i in range(n):
        if alive[i] and (strongest < 0 or standing[i] > standing[strongest]):
            strongest = i
    top = standing[strongest]
    if top <= 0:
        return
    second = -np.inf
    for i in range(n):
        if alive[i] and i != strongest and standing[i] > second:
            second = standing[i]
    lead = (top - second) / top
    pull = balancing * lead
    for i in range(n):
        other = alive[i] and i != strongest
        for j in range(n):  # a select, not a branch: the row is filled side by side
            adjustment[i, j] = pull if other and alive[j] and j != strongest else 0.0
    for i in range(n):
        weakness = 1.0 - standing[i] / top
        toward_strongest = (1.0 - balancing) * lead * weakness - balancing * lead
        adjustment[i, strongest] = toward_strongest
        adjustment[strongest, i] = toward_strongest


@njit(cache=True)
def reweigh_affinities(
    affinity: np.ndarray,
    similarity: np.ndarray,
    grievance: np.ndarray,
    obligation: np.ndarray,
    threat: np.ndarray,
    alive: np.ndarray,
    rate: float,
    weights: AffinityWeights,
    standing: np.ndarray,
    work: np.ndarray,
    reconcilable: np.ndarray,
) -> None:
    """One month's move of every affinity toward what interests and memories dictate, in place.

    ``target = w_s * similarity - w_g * (G + G^T) / 2 + w_o * (O + O^T) / 2 +
    w_t * threat + w_b * B``, where the balance ``B_ij`` sums ``A_ik A_kj``, clipped
    to -1..1, over the leaders ``k`` still ``standing`` whom last month ``i`` or
    ``j`` was hostile to (affinity below 0): structural balance (Heider 1946;
    Cartwright & Harary 1956). Two leaders with a common enemy draw together (both
    ties negative, the product positive): the bond of Stalin and Bukharin against
    first Trotsky, then Zinoviev and Kamenev, until that enemy is broken (the trio
    outlived Trotsky's army by a few months; chronology.csv 1925-01-17, 1925-10).
    The friend of an enemy is pushed away (one tie negative): the enemy of
    Stalin's friend became Bukharin's enemy (source chapter, §The Opposition and the
    NEP, n. 54; chronology.csv 1925-12). A triad of friends exerts no pull: a
    ruling group is not bound by its members' friendships alone.
    Former enemies are reconciled only in defeat: the target rises no higher than
    ``reconcilable_ij``, 0 for a pair one of whom voted for the other's condemnation
    until both stand condemned, else 1 (:func:`fill_reconcilable`).
    The target is clipped to -1..1; ``A <- (1 - rate) A + rate * target``,
    zero on the diagonal and for the dead. Affinities, similarities and
    threats are symmetric, so only one triangle is computed and mirrored; a
    pair's balance is summed in the order of the index of ``k``.

    The balances of a row's pairs ``(i, j > i)`` are summed side by side, four ``k`` at a
    time over every ``j``, in index order (:func:`_row_balance`), so that the compiler
    vectorises them: summed one pair after another, each addition waited on the last, and
    this function took a fifth of a month's compiled time. A ``k`` hostile to neither adds
    ``+0.0``, which leaves a sum unchanged (a sum begun at ``+0.0`` is never ``-0.0``): the
    balances are the same, bit for bit, as summing only over the hostile. The memories are
    worked out for every pair first, and read back transposed from a copy
    (:func:`_memories`), so that a row's targets too are computed side by side.

    ``work`` is the run's (at least 4, n, n) buffer for the pairs' memories, their
    transpose, the hostile ties and the new upper triangle: four arrays a month allocated
    anew, and the last zeroed, cost more than the arithmetic of some of the loops that
    fill them. The new triangle is kept apart until every row is done (a row's balances
    read last month's affinities of the rows after it), then mirrored into ``affinity``.
    """
    n = affinity.shape[0]
    w_stance, w_grievance, w_obligation, w_threat, w_balance = weights
    memory, returned, hostile, updated = work[0], work[1], work[2], work[3]
    _memories(memory, returned, grievance, obligation, w_grievance, w_obligation)
    _hostile_ties(hostile, affinity)
    present = _standing_indices(standing)
    balance = np.empty(n)
    last = np.uint64(n)
    for i in range(last):  # unsigned indices: no wrap-around test, so the inner loops vectorise
        if not alive[i]:
            for j in range(i + _ONE, last):
                updated[i, j] = 0.0
            continue
        _row_balance(balance, affinity, hostile, present, i)
        for j in range(i + _ONE, last):
            target = w_stance * similarity[i, j]
            target += 0.5 * (memory[i, j] + returned[i, j])
            target += w_threat * threat[i, j]
            target += w_balance * min(max(balance[j], -1.0), 1.0)
            target = min(max(target, -1.0), reconcilable[i, j])
            moved = (1.0 - rate) * affinity[i, j] + rate * target
            updated[i, j] = moved if alive[j] else 0.0  # a select, not a branch: it vectorises
    for i in range(last):
        affinity[i, i] = 0.0
        for j in range(i + _ONE, last):
            affinity[i, j] = affinity[j, i] = updated[i, j]


@njit(cache=True)
def fill_reconcilable(
    reconcilable: np.ndarray, denounced: np.ndarray, condemned: np.ndarray
) -> None:
    """Write how high each pair's affinity may be drawn: 0 for former enemies not both defeated.

    A pair is former enemies when one voted for the other's condemnation
    (``denounced[i, j]``, (n, n) bool); they are reconciled once both stand
    ``condemned`` ((n,) bool), and the pair's ceiling goes back to 1. Zinoviev and
    Kamenev had moved Trotsky's condemnation in 1924 and fought him through 1925; they
    joined him only after their own defeat at the 14th Congress, in the spring of 1926,
    when all three had lost to the same majority (source chapter, §The Opposition and
    the NEP; the baseline's ``united_opposition_formed``, after Carr, Foundations of a
    Planned Economy, vol. 2). Until then a common enemy could not make friends of them.
    Verdicts are rare, so the ceiling is rewritten when one carries, not every month.
    """
    n = reconcilable.shape[0]
    for i in range(n):
        for j in range(n):
            grudge = denounced[i, j] or denounced[j, i]
            reconcilable[i, j] = 0.0 if grudge and not (condemned[i] and condemned[j]) else 1.0


@njit(cache=True)
def _memories(
    memory: np.ndarray,
    returned: np.ndarray,
    grievance: np.ndarray,
    obligation: np.ndarray,
    w_grievance: float,
    w_obligation: float,
) -> None:
    """Write each pair's memory ``w_o O_ij - w_g G_ij``, and the same transposed.

    ``returned[i, j]`` is ``memory[j, i]``, ``j``'s memory of ``i``.
    The transposed copy lets :func:`reweigh_affinities` read both directions of a row's
    pairs in index order, which a column read (one stride of a row apart) would not.
    """
    n = grievance.shape[0]
    last = np.uint64(n)
    for i in range(last):
        for j in range(last):
            memory[i, j] = w_obligation * obligation[i, j] - w_grievance * grievance[i, j]
    for i in range(last):
        for j in range(last):
            returned[i, j] = memory[j, i]


@njit(cache=True)
def _hostile_ties(hostile: np.ndarray, affinity: np.ndarray) -> None:
    """Write into ``hostile`` the affinities below 0, and ``+0.0`` for the others.

    A ``k`` not hostile to ``i`` counts in the balance of ``(i, j)`` only if hostile to
    ``j``: his term is ``A_ik`` times this, ``+0.0`` or ``-0.0`` where he is not, which
    changes no sum. One product without a test per term.
    """
    n = affinity.shape[0]
    last = np.uint64(n)
    for i in range(last):
        for j in range(last):
            tie = affinity[i, j]
            hostile[i, j] = tie if tie < 0 else 0.0


@njit(cache=True)
def _standing_indices(standing: np.ndarray) -> np.ndarray:
    """The leaders still ``standing``, in index order, as unsigned indices."""
    present = np.empty(standing.size, dtype=np.uint64)
    count = 0
    for k in range(standing.size):
        if standing[k]:
            present[count] = k
            count += 1
    return present[:count]


@njit(cache=True)
def _row_balance(
    balance: np.ndarray, affinity: np.ndarray, hostile: np.ndarray, present: np.ndarray, i: int
) -> None:
    """Write the balances of the pairs ``(i, j > i)`` into ``balance[j]``, in place.

    ``sum_k A_ik A_kj`` over the ``present`` leaders ``k``, in their order: all of ``k``'s
    ties if he is hostile to ``i``, else his hostile ones (:func:`_hostile_ties`). Four
    ``k`` a pass over the row, each added in turn: a pass per ``k`` cost more in starting
    the loop than in its dozen additions.
    """
    last = np.uint64(balance.size)
    balance[:] = 0.0
    c = 0
    while c + 4 <= present.size:
        k0, k1, k2, k3 = present[c], present[c + 1], present[c + 2], present[c + 3]
        a0, a1, a2, a3 = affinity[i, k0], affinity[i, k1], affinity[i, k2], affinity[i, k3]
        t0 = affinity if affinity[k0, i] < 0 else hostile
        t1 = affinity if affinity[k1, i] < 0 else hostile
        t2 = affinity if affinity[k2, i] < 0 else hostile
        t3 = affinity if affinity[k3, i] < 0 else hostile
        for j in range(i + _ONE, last):
            summed = balance[j] + a0 * t0[k0, j]
            summed += a1 * t1[k1, j]
            summed += a2 * t2[k2, j]
            balance[j] = summed + a3 * t3[k3, j]
        c += 4
    for k in present[c:]:
        ties = affinity if affinity[k, i] < 0 else hostile
        for j in range(i + _ONE, last):
            balance[j] += affinity[i, k] * ties[k, j]


@njit(cache=True)
def add_tie(ties: np.ndarray, holders: np.ndarray, toward: np.ndarray, amount: float) -> None:
    """Add ``amount`` to what ``holders`` feel toward ``toward``, capped at 1, in place.

    One bookkeeping for both memories: a grievance of the attacked toward
    their attackers, an obligation of appointees toward those who appointed them.
    A leader named twice counts once. Each pair's tie is its own, so the order
    of the pairs does not matter: a name already seen is skipped rather than
    the lists sorted (``np.unique`` would allocate and sort at every attack).
    """
    for a in range(holders.size):
        i = holders[a]
        if _named_before(holders, a):
            continue
        for b in range(toward.size):
            j = toward[b]
            if i != j and not _named_before(toward, b):
                ties[i, j] = min(ties[i, j] + amount, 1.0)


@njit(cache=True)
def _named_before(leaders: np.ndarray, position: int) -> bool:
    """Whether ``leaders[position]`` already stands earlier in ``leaders``."""
    earlier = 0
    while earlier < position and leaders[earlier] != leaders[position]:
        earlier += 1
    return earlier < position


@njit(cache=True)
def open_breach(affinity: np.ndarray, targets: np.ndarray, attacker: int, amount: float) -> None:
    """Lower the affinity between an attacker and each of his targets by ``amount``, in place.

    A public attack carried against a leader breaks the bond at once, not only
    through the grievance it leaves: after the 14th Congress Stalin and the
    Leningrad leaders were open enemies, whatever they had been a month before.
    Symmetric, floored at -1.
    """
    for t in targets:
        if t != attacker:
            affinity[attacker, t] = max(affinity[attacker, t] - amount, -1.0)
            affinity[t, attacker] = affinity[attacker, t]
