"""Positions: grievances from the machine war, and stances that move for reasons.

A leader whose secretaries another's appointments take over resents the
appointer, in proportion to the share of the national apparatus he loses to
him: the patronage war of 1924-25, in which the Secretariat's men replaced
Zinoviev's and Kamenev's in the provinces and then in Moscow, is what turned
the two against Stalin (source chapter, §The Opposition and the NEP). No
rule says who resents whom: whoever captures, whoever loses.

A leader aggrieved by the strongest, or threatened by him (the strongest is
hostile to him), moves his position toward what gathers support against the
strongest (the stance of those the strongest is hostile to, weighted by their
power), or away from the strongest's when no one opposes him yet; a weak
leader who is neither aggrieved nor threatened bandwagons toward the
strongest's position (Walt 1987; Schweller 1994), unless he is bound to one the
strongest is hostile to: a friend of the strongest's enemy does not move toward
the strongest (structural balance: Heider 1946). The signatories of the
Declaration of the 46 stayed with Trotsky through his defeats, and joined the
Leningrad leaders with him in 1926. This is how the Leningrad leaders came to
the left and to inner-party democracy in 1925 without a dated input saying so.

A leader also moves with his closest ally but the strongest, the more the closer
they are (social influence: Friedkin & Johnsen 1990): Kamenev, who had no quarrel
of his own with Stalin before the Moscow organisation was taken from him in the
summer of 1924, stood with Zinoviev in the trio, in the New Opposition and in the
bloc of 1926; Bukharin's sympathies moved with his circle, from Zinoviev and
Kamenev in 1923 to Stalin and at last to Rykov and Tomsky (source chapter, §The
Party and the Opposition after Lenin; §The Opposition and the NEP, n. 44).
Without it, a branch from the spring of 1924, which inherits Zinoviev's replayed
quarrels of 1923 but not Kamenev's loss of Moscow, sent Zinoviev into opposition
alone.

What a leader owes the strongest offsets what he holds against him: a client
his patron, a man the strongest's majority appointed to office or seated in
the Politburo. Bukharin, whose Pravda editors Stalin replaced in his absence in
the summer of 1923, took Lenin's seat with the majority's votes in June 1924
and was Stalin's partner against the Leningrad leaders the next year (source
chapter, §The Events of 1923 in Germany; the baseline's ``bukharin_politburo``,
Schapiro). The sources record no client of Stalin's crossing to an opposition
in the period: Molotov, Kuibyshev and Ordzhonikidze stood by the Secretariat
throughout.

A grievance against the strongest waits while an enemy he shares with the
aggrieved still stands (not yet condemned and stripped of his offices), in
proportion to that enemy's power against the strongest's: Zinoviev and
Kamenev bore the Secretariat's appointments while Trotsky held the army, were
still demanding his expulsion in January 1925, and broke with Stalin that
autumn (chronology.csv 1925-01-17 and 1925-10; source chapter, §The
Opposition and the NEP).

A failure of the line pinned on the leadership sharpens all this for those
already hostile to the strongest: both oppositions came forward after one, the
Forty-Six and Trotsky after the scissors crisis of the autumn of 1923, the
Leningrad leaders after the grain failure of the autumn of 1925 (source
chapter, §The Opposition and the NEP). Its weight (``failure_salience``) fades
by :data:`FAILURE_FADE` a month (:func:`failure_weight`).

References:
    Friedkin, N. E. & Johnsen, E. C. (1990). Social influence and opinions.
    Journal of Mathematical Sociology 15(3-4), 193-206.
    Heider, F. (1946). Attitudes and cognitive organization. Journal of
    Psychology 21, 107-112.
    Walt, S. M. (1987). The Origins of Alliances. Cornell UP.
    Schweller, R. L. (1994). Bandwagoning for profit. International Security 19(1).
    Rigby, T. H. (1981). Early provincial cliques and the rise of Stalin.
    Soviet Studies 33(1), 3-28.
"""

from __future__ import annotations

import numpy as np
from numba import njit

FAILURE_FADE = 0.7
"""What is left of a failure's weight a month later: an eighth of it after half a year."""


FAILURE_ANSWERED_WITHIN = 12
"""Months within which a party assembly answers a failure of the line (a year: the next
congress or conference)."""


@njit(cache=True)
def failure_to_answer(failed_in: int, k: int) -> bool:
    """Whether a failure pinned on the leadership is recent enough for an assembly to answer.

    A conference or congress turns on an opposition of its own accord in the wake of a
    failure, within :data:`FAILURE_ANSWERED_WITHIN` months of it: the 13th Conference
    after the scissors crisis and the German defeat of the autumn of 1923, the 14th
    Congress after the grain failure of the autumn of 1925, the 15th Conference after
    the shortfall of 1926; the 14th Conference of April 1925, with no failure since
    1923 to answer, condemned no one, though the majority had already broken with
    Trotsky and was quarrelling with Zinoviev in the Politburo (source chapter, §The
    Opposition and the NEP; chronology.csv 1924-01, 1925-04, 1925-10, 1925-12, 1926-10).
    An opposition that speaks out is answered whenever it speaks (:mod:`.voice`).
    """
    return failed_in >= 0 and k - failed_in <= FAILURE_ANSWERED_WITHIN


@njit(cache=True)
def failure_weight(failed_in: int, k: int, salience: float) -> float:
    """The weight at month ``k`` of the last failure pinned on the leadership (0: none yet)."""
    if failed_in < 0 or k < failed_in:
        return 0.0
    return salience * FAILURE_FADE ** (k - failed_in)


@njit(cache=True)
def capture_grievance(
    grievance: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    members: np.ndarray,
    alive: np.ndarray,
    amount: float,
) -> None:
    """Add the grievance of losing clients to those who took them, in place, capped at 1.

    In each organisation, what leader ``i`` lost of the national apparatus this
    month (``members_o * (L_before - L_after)``, over all members) is divided
    among the leaders who gained there, in proportion to their gains; ``i``
    resents each by ``amount`` times his loss to him. A loss with no gainer
    (loyalty drifting back to unaligned) leaves no grievance.

    Args:
        grievance: (n, n) grievance of ``i`` against ``j``, updated.
        before: (m, n) loyalty before the month's appointments.
        after: (m, n) loyalty after them.
        members: (m,) members of each organisation.
        alive: (n,) bool.
        amount: grievance per unit of the national apparatus lost.
    """
    m, n = before.shape
    total = members.sum()
    if total <= 0 or amount <= 0:
        return
    gainers = np.empty(n, dtype=np.int64)  # the few who gained, found once per organisation
    for o in range(m):
        gained = 0.0
        count = 0
        for j in range(n):
            gain = after[o, j] - before[o, j]
            if gain > 0:
                gained += gain
                gainers[count] = j
                count += 1
        if gained <= 0:
            continue
        weight = members[o] / total
        for i in range(n):
            lost = before[o, i] - after[o, i]
            if lost <= 0 or not alive[i]:
                continue
            for c in range(count):
                j = gainers[c]
                if j != i and alive[j]:
                    added = amount * weight * lost * (after[o, j] - before[o, j]) / gained
                    grievance[i, j] = min(grievance[i, j] + added, 1.0)


@njit(cache=True)
def reposition(
    stance: np.ndarray,
    affinity: np.ndarray,
    grievance: np.ndarray,
    obligation: np.ndarray,
    power: np.ndarray,
    alive: np.ndarray,
    health: np.ndarray,
    strongest: int,
    rate: float,
    bandwagon_below: float,
    standing: np.ndarray,
    failure: float,
    ally_pull: float,
    ally_threshold: float,
) -> bool:
    """One month's move of every leader's stance, in place, each axis within -1..1.

    Leader ``i``'s grievance against the strongest less what he owes him (his
    ``obligation``: a client's to his patron, an appointee's to whoever appointed
    him), or the strongest's hostility to him if larger, discounted by the threat
    of an enemy they share who still stands (``g = max(G_i,strongest -
    O_i,strongest, -A_strongest,i, 0) (1 - c)``, ``c`` from :func:`common_threat`
    over ``standing``: a debt beyond the grievance offsets it to nothing, and drives
    no one away from the opposition), pulls him at rate
    ``rate * g``: a leader the strongest is not hostile to toward the
    power-weighted stance of those he is hostile to (affinity below 0); one the
    strongest is already hostile to, who is of that opposition himself, or any
    leader when there is none, toward the mirror of the strongest's stance
    through his own, away from the strongest. For a leader hostile to the
    strongest (affinity below 0), ``g`` is multiplied by ``1 + failure``, the
    weight of a recent failure of the line (:func:`failure_weight`), up to 1.
    A leader with power share below
    ``bandwagon_below`` of the strongest's is pulled toward the strongest's
    stance at rate ``rate * (1 - g) * (1 - share / (bandwagon_below * top)) * (1 - b)``,
    ``b`` his strongest tie (affinity above 0) to a living leader the strongest
    is hostile to. Every leader but the strongest is also pulled toward his closest
    ally's stance (:func:`closest_ally`, affinity ``t`` above ``ally_threshold``, the
    strongest not counted) at rate ``rate * ally_pull * t``. The strongest does not move,
    nor does a leader away from work (``health`` below one half, as for a vote): a man
    incapacitated or in a fever hears no argument and meets no one, and takes up his
    line where he left it; his stance still weighs in the others' targets.

    Returns:
        Whether any stance moved (the similarities need recomputing only then).
    """
    n = alive.size
    moved = False
    if strongest < 0 or not alive[strongest] or rate <= 0:
        return moved
    # The two axes are kept as scalars: small array temporaries per leader cost more
    # than the arithmetic (each is an allocation), and the sums are the same.
    opposition_0 = 0.0
    opposition_1 = 0.0
    weight = 0.0
    opponents = np.empty(n, dtype=np.int64)  # those the strongest is hostile to, found once
    count = 0
    for j in range(n):
        if alive[j] and j != strongest and affinity[strongest, j] < 0:
            opposition_0 += power[j] * stance[j, 0]
            opposition_1 += power[j] * stance[j, 1]
            weight += power[j]
            opponents[count] = j
            count += 1
    threats = standing_enemies(affinity, standing, strongest)
    top = power[strongest]
    for i in range(n):
        if not alive[i] or i == strongest or health[i] < 0.5:
            continue
        # resented, less what he owes him, or feared
        pressed = max(
            grievance[i, strongest] - obligation[i, strongest], -affinity[strongest, i], 0.0
        )
        if pressed > 0:  # most leaders neither resent the strongest nor fear him
            pressed *= 1.0 - shared_threat(affinity, power, threats, i, top)
            if failure > 0 and affinity[i, strongest] < 0:
                pressed = min(pressed * (1.0 + failure), 1.0)
        if weight > 0 and affinity[strongest, i] >= 0:
            target_0, target_1 = opposition_0 / weight, opposition_1 / weight
        else:
            target_0 = 2.0 * stance[i, 0] - stance[strongest, 0]
            target_1 = 2.0 * stance[i, 1] - stance[strongest, 1]
        pull_rate = rate * pressed
        move_0 = pull_rate * (target_0 - stance[i, 0])
        move_1 = pull_rate * (target_1 - stance[i, 1])
        if top > 0 and bandwagon_below > 0 and power[i] < bandwagon_below * top:
            pull = rate * (1.0 - pressed) * (1.0 - power[i] / (bandwagon_below * top))
            pull *= 1.0 - _bond_to_opposition(affinity, opponents[:count], i)
            move_0 += pull * (stance[strongest, 0] - stance[i, 0])
            move_1 += pull * (stance[strongest, 1] - stance[i, 1])
        ally, tie = closest_ally(affinity, alive, i, ally_threshold, strongest)
        if ally >= 0:
            pull = rate * ally_pull * tie
            move_0 += pull * (stance[ally, 0] - stance[i, 0])
            move_1 += pull * (stance[ally, 1] - stance[i, 1])
        moved = _shift(stance, i, 0, move_0) or moved
        moved = _shift(stance, i, 1, move_1) or moved
    return moved


@njit(cache=True)
def closest_ally(affinity: np.ndarray, alive: np.ndarray, i: int, threshold: float, strongest: int):
    """``i``'s living ally of the highest affinity above ``threshold``, and that affinity.

    The strongest is not counted: who follows him is bandwagoning's question, which
    only the weak answer by following. Returns ``(-1, threshold)`` when ``i`` has no
    such ally: no one is close enough to carry him.
    """
    ally, tie = -1, threshold
    for j in range(alive.size):
        if j != i and j != strongest and alive[j] and affinity[i, j] > tie:
            ally, tie = j, affinity[i, j]
    return ally, tie


@njit(cache=True)
def _bond_to_opposition(affinity: np.ndarray, opponents: np.ndarray, i: int) -> float:
    """``i``'s strongest tie (affinity above 0) to one of the strongest's ``opponents``, 0..1.

    It holds back his bandwagoning in full at a tie of 1: a man does not desert
    a friend under the strongest's attack. ``opponents`` are the living leaders
    the strongest is hostile to, the same whose stances :func:`reposition`
    weighs, found once a month.
    """
    bond = 0.0
    for k in opponents:
        if k != i:
            bond = max(bond, affinity[i, k])
    return bond


@njit(cache=True)
def _shift(stance: np.ndarray, i: int, axis: int, move: float) -> bool:
    """Move one axis of a stance, within -1..1; returns whether it moved."""
    before = stance[i, axis]
    stance[i, axis] = min(max(before + move, -1.0), 1.0)
    return stance[i, axis] != before


@njit(cache=True)
def common_threat(
    affinity: np.ndarray, power: np.ndarray, standing: np.ndarray, i: int, strongest: int
) -> float:
    """The threat of the strongest enemy ``i`` shares with the strongest leader, 0..1.

    Over the leaders still standing who are hostile to both (affinity below 0
    each way), the largest power share, as a share of the strongest's own,
    capped at 1: a common enemy as strong as the strongest holds back the
    whole grievance, a broken one none of it. Its two halves are apart so that a
    month or a sitting finds the strongest's standing enemies once
    (:func:`standing_enemies`) and weighs them for each leader (:func:`shared_threat`).
    """
    threats = standing_enemies(affinity, standing, strongest)
    return shared_threat(affinity, power, threats, i, power[strongest])


@njit(cache=True)
def standing_enemies(affinity: np.ndarray, standing: np.ndarray, strongest: int) -> np.ndarray:
    """The leaders still ``standing`` whom the strongest is hostile to, in index order."""
    found = np.empty(standing.size, dtype=np.int64)
    count = 0
    for k in range(standing.size):
        if standing[k] and k != strongest and affinity[strongest, k] < 0:
            found[count] = k
            count += 1
    return found[:count]


@njit(cache=True)
def shared_threat(
    affinity: np.ndarray, power: np.ndarray, threats: np.ndarray, i: int, top: float
) -> float:
    """:func:`common_threat` for ``i``, given the strongest's ``threats`` and power ``top``."""
    if top <= 0:
        return 0.0
    most = 0.0
    for k in threats:
        if k != i and affinity[i, k] < 0:
            most = max(most, power[k])
    return min(most / top, 1.0)
