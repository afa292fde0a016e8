"""Contests: when a coalition can win an arena, it moves against its rival.

A leader picks the rival whose machine threatens him most and the motion's
targets; whether moving is worth it is :mod:`.agency`'s to say. What the move
is depends on the arena and on how far the rival has already fallen: the
Politburo campaigns against him, conferences and congresses condemn him, and
plenums strip a condemned rival first of his executive posts and, once his
standing is broken, of his Politburo seat. This escalation produces the step-by-step
elimination of the period (Trotsky, then Zinoviev and Kamenev).

References:
    Acemoglu, D., Egorov, G., Sonin, K. (2008). Coalition formation in
    non-democracies. Review of Economic Studies 75(4), 987-1009.
    KAPSARC Toolkit for Behavioral Analysis (KTAB): expected support decides
    whether a challenge is made.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numba import njit

from simulation.mechanisms.voting import (
    AGAINST,
    FOR,
    UNDECIDED,
    sides_against,
    sides_between,
)


class Move(StrEnum):
    """What a winning coalition does to its rival."""

    CAMPAIGN = "campaign"
    CONDEMNATION = "condemnation"
    REMOVAL = "removal"
    EXPULSION = "expulsion"


@njit(cache=True)
def choose_rival(
    affinity: np.ndarray,
    apparatus: np.ndarray,
    eligible: np.ndarray,
    proposer: int,
    hostility: float,
) -> int:
    """The hostile leader whose machine threatens the proposer most, or -1 if none.

    Threat is a rival's share of the apparatus discounted by friendship,
    ``apparatus_i (1 - A_pi) / 2``, over the leaders the proposer's affinity
    has turned against (``A_pi < hostility``). A General Secretary measures
    rivals by the organisations they command: the chapter's Stalin moves
    against Trotsky's army, then Zinoviev's Leningrad, and leaves men without a
    machine of their own, like Rykov or Bukharin, for later. One moves only
    against enemies, and allies become enemies as interests and grievances
    shift (Acemoglu, Egorov & Sonin 2008).

    Args:
        affinity: (n, n) affinities.
        apparatus: (n,) shares of the national apparatus.
        eligible: (n,) bool, living leaders not yet defeated.
        proposer: index of the challenger.
        hostility: affinity below which a leader counts as a rival.
    """
    rival = -1
    most = 0.0
    for i in range(apparatus.size):
        if eligible[i] and i != proposer and affinity[proposer, i] < hostility:
            threat = apparatus[i] * (1.0 - affinity[proposer, i]) / 2.0
            if threat > most:
                rival, most = i, threat
    return rival


@njit(cache=True)
def choose_office_holder(
    affinity: np.ndarray,
    reach: np.ndarray,
    shares: np.ndarray,
    eligible: np.ndarray,
    members: np.ndarray,
    standing: np.ndarray,
    obligation: np.ndarray,
    grievance: np.ndarray,
    proposer: int,
    hostility: float,
    margin: float,
    provocation: float,
    rivals: bool,
    arbiter: int,
) -> int:
    """The colleague whose appointing offices are most worth taking, or -1.

    Worth is the reach of his offices discounted by friendship, ``reach_i (1 -
    A_pi) / 2`` (:func:`simulation.mechanisms.patronage.appointing_reach`): the
    machine an office will build, not the one its holder commands today. A
    rival (affinity below ``hostility``) is a candidate unless ``rivals`` is
    false (the arbiter's truce: no faction fight while he lives). So is a
    partner who is the party's chief appointer (his offices reach furthest)
    when their powers are far apart, one below ``margin`` times the other's.
    Much weaker than the proposer, he holds an office that appoints across the
    party and is too much to leave to a weak member of a coalition. Grown past
    the proposer, he is feared: a member of a coalition who sees a partner grow
    past him fears he is next (Acemoglu, Egorov & Sonin 2008). What was
    proposed against the General Secretary came from his partners as his power grew: Lenin's
    postscript of January 1923, the cave proposal of July 1923 to curb the
    Secretariat, Kamenev's call at the 14th Congress (chronology.csv
    1923-01-04, 1923-07). A chief appointer of about his partners' power is
    left alone, and so is one who has outgrown them while an enemy they share
    still ``standing`` (:func:`still_standing`) needs him: they need him against
    their rivals. Zinoviev and Kamenev kept Stalin in his post in May 1924,
    with Trotsky still at the head of the army, and Kamenev called for his
    removal at the 14th Congress, once Trotsky had lost it (chronology.csv
    1924-05-21, 1925-01-17). A client (``obligation`` to him above 0: one he
    appointed, or one the scenario makes his man) never fears his growth: he
    owes his career to it, and Molotov, Kuibyshev and Ordzhonikidze stood by
    Stalin's Secretariat throughout. Nor does a partner whose ``grievance`` against him is
    below ``provocation`` (the parameter ``fear_provocation``; at 0, the default, any partner
    may fear him): the sources record that fear only from men whose organisations his
    appointments had reached, Zinoviev at the cave meeting of 1923 and Kamenev at the 14th
    Congress (chronology.csv 1923-07, 1925-12); at 0, most of the baseline's motions
    against Stalin come from partners he never harmed. The ``arbiter`` (-1 for none) is
    above the factions and needs no partner against anyone: neither a shared enemy nor
    the want of a grievance holds him back. Lenin at work had labelled Trotsky a
    "faction creator" and shuffled the leadership's cadres to keep his own circle on
    top (source chapter, §War Communism and the NEP), and his postscript asked for
    Stalin's removal while Trotsky, whom Stalin opposed, still headed the army
    (chronology.csv 1923-01-04).

    An estranged partner, one now below ``hostility``, is held back in the same way: a
    shared enemy still standing makes the chief appointer needed whatever his
    partner thinks of him. Zinoviev had nursed grievances against Stalin since the
    summer of 1923, when the Pravda editors were replaced in his and Bukharin's
    absence and the cave proposal was turned aside, and kept him in May 1924 all
    the same (source chapter, §The Events of 1923 in Germany; chronology.csv
    1923-07, 1924-05-21). Without that, a branch that replays 1923 and decides from
    May 1924 had him carry Stalin's removal at the plenum that heard Lenin's
    letter in 31 of 300 runs, and in 12 more the next month.

    A rival who sits in the Politburo (``members``) and is not the chief
    appointer is not a candidate: the offices of a member of the ruling group
    were taken only as the "organisational conclusions" of a political verdict
    (a condemnation, then a plenum: :func:`plenum_moves`). Trotsky lost the army
    a year after the 13th Conference condemned him, Zinoviev Leningrad after the
    14th Congress; Rakovsky, outside the Politburo, was sent from Ukraine to
    London in 1923 with no verdict at all. The chief appointer stays open to
    the motion: what was proposed against him (the cave plan, Lenin's
    postscript) was a change in the Secretariat, not a verdict on his politics.
    """
    holder = -1
    most = 0.0
    widest = reach.max()
    for i in range(reach.size):
        hostile = affinity[proposer, i] < hostility
        chief = reach[i] >= widest
        needed = (  # against an enemy the two share, who still stands
            chief and proposer != arbiter and shares_standing_enemy(affinity, standing, proposer, i)
        )
        weaker = chief and shares[i] < margin * shares[proposer]
        feared = (
            chief
            and shares[proposer] < margin * shares[i]
            and obligation[proposer, i] <= 0.0
            and (proposer == arbiter or (grievance[proposer, i] >= provocation and not needed))
        )
        political = hostile and rivals and (chief or not members[i]) and not needed
        candidate = political or (not hostile and (weaker or feared))
        if eligible[i] and i != proposer and candidate:
            worth = reach[i] * (1.0 - affinity[proposer, i]) / 2.0
            if worth > most:
                holder, most = i, worth
    return holder


@njit(cache=True)
def shares_standing_enemy(affinity: np.ndarray, standing: np.ndarray, a: int, b: int) -> bool:
    """Whether leaders ``a`` and ``b`` are both hostile (affinity below 0) to one still standing.

    The test of :func:`simulation.mechanisms.positions.common_threat`, without its weight.
    """
    for k in range(standing.size):
        if standing[k] and k != a and k != b and affinity[a, k] < 0 and affinity[b, k] < 0:
            return True
    return False


@njit(cache=True)
def seats_for_majority(seats: int, opponents: int, share: float) -> int:
    """Seats a body must gain for its members other than ``opponents`` to hold ``share`` of it.

    A congress's winners packed the Politburo rather than expel the losers at
    once: after the 14th Congress Molotov, Kalinin and Voroshilov became full
    members (seven seats to nine) while Zinoviev, Kamenev and Trotsky still sat.
    No seat is added while the others already hold ``share``, as after the 13th
    Congress, which condemned Trotsky alone.
    """
    loyal = seats - opponents
    if seats == 0 or loyal >= share * seats:
        return 0
    return int(np.ceil((share * seats - loyal) / (1.0 - share) - 1e-9))


@njit(cache=True)
def allies_of(affinity: np.ndarray, sides: np.ndarray, rival: int, threshold: float) -> np.ndarray:
    """The rival and those of his side close enough to him to share his fate.

    Counted, then listed in index order: a mask and ``np.flatnonzero`` cost a
    congress's plans twice what the second pass does.
    """
    count = 0
    for i in range(sides.size):
        if i == rival or (sides[i] == AGAINST and affinity[rival, i] > threshold):
            count += 1
    allies = np.empty(count, dtype=np.int64)
    count = 0
    for i in range(sides.size):
        if i == rival or (sides[i] == AGAINST and affinity[rival, i] > threshold):
            allies[count] = i
            count += 1
    return allies


@njit(cache=True)
def expected_member_share(voter_sides: np.ndarray, p_opinion: float) -> float:
    """Expected share of named voters (the Politburo) voting for."""
    if voter_sides.size == 0:
        return 0.0
    decided_for = 0
    undecided = 0
    for side in voter_sides:
        if side == FOR:
            decided_for += 1
        elif side == UNDECIDED:
            undecided += 1
    return (decided_for + undecided * p_opinion) / voter_sides.size


@njit(cache=True)
def plenum_moves(
    holds: np.ndarray,
    unique_post: np.ndarray,
    alive: np.ndarray,
    condemned_since: np.ndarray,
    defied: np.ndarray,
    purged_in: np.ndarray,
    standing: np.ndarray,
    month: int,
    proposer: int,
    removal_delay: int,
    removal_threshold: float,
    expulsion_threshold: float,
    affinity: np.ndarray,
    ally_threshold: float,
    apparatus: np.ndarray,
    denounced: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """What a plenum may do to condemned rivals: nothing until they are ripe and weakened.

    A rival condemned at least ``removal_delay`` months ago (``condemned_since``
    is -1 for the uncondemned), or who has ``defied`` his verdict by speaking
    out against the majority since (:mod:`.voice`), whose standing has fallen below
    ``removal_threshold`` loses an executive post (:func:`commanding_office`),
    if he still holds one. Once he has joined another defeated opposition
    (:func:`in_opposition_bloc`) and either his standing is below
    ``expulsion_threshold`` or he has defied his verdict, he loses his Politburo
    seat and every post left, whatever offices he still holds, and without
    waiting out ``removal_delay``: the bloc is a faction, which the party had
    banned in 1921, and organising one costs the seat, however much standing he
    keeps and however fresh his verdict (standard reference: Schapiro, the 10th
    Congress's resolution on party unity). Zinoviev lost his in July 1926,
    seven months after his verdict, for the bloc's clandestine meeting (the
    Lashevich affair), not for want of standing (chronology.csv 1926-07-23).
    The bloc is struck at its organiser first: a member waits while an ally of
    the other opposition with a larger machine, an office's share of the apparatus
    (:func:`organiser_sits`), keeps his seat, and meanwhile loses only an office,
    if he holds one. One step a plenum, however broken he is: Trotsky lost the
    army in January 1925 and kept his seat until October 1926, the majority
    refusing Zinoviev's demand to expel him with it; the seats went when the
    oppositions of 1923 and 1925 joined, Zinoviev's in July 1926 for organising
    a faction through the Comintern apparatus he still chaired (he lost it that
    autumn; chronology.csv 1926-07-23), Trotsky's, who had no machine left, in
    October. A leader whom a purge stripped of a post this month (``purged_in``)
    has taken this month's step: Zinoviev lost Leningrad in January 1926 and
    kept the Comintern and his seat until the summer.

    Returns:
        ``(removals, expulsions, removals_first)``: the leaders for each
        motion, and whether the plenum takes the removals first (the kind of
        the first rival in scenario order).
    """
    n = alive.size
    in_office = holds_office(holds, unique_post)
    removals = np.zeros(n, dtype=np.bool_)
    expulsions = np.zeros(n, dtype=np.bool_)
    removals_first = False
    first = True
    for i in range(n):
        condemned = condemned_since[i] >= 0
        purged = purged_in[i] == month  # the purge was this month's step
        if i == proposer or purged or not (alive[i] and condemned and holds[i].any()):
            continue
        diminished = standing[i] < removal_threshold
        if not (diminished or defied[i]):
            continue
        waited = month - condemned_since[i] >= removal_delay
        in_bloc = (standing[i] < expulsion_threshold or defied[i]) and in_opposition_bloc(
            i, affinity, condemned_since, denounced, alive, ally_threshold
        )
        if not (waited or defied[i] or in_bloc):
            continue
        if in_bloc and not organiser_sits(
            i, apparatus, affinity, condemned_since, denounced, alive, in_office, ally_threshold
        ):
            expulsions[i] = True
        elif in_office[i] and waited and diminished:
            removals[i] = True
        else:
            continue
        if first:
            removals_first, first = removals[i], False
    return np.flatnonzero(removals), np.flatnonzero(expulsions), removals_first


@njit(cache=True)
def in_opposition_bloc(
    leader: int,
    affinity: np.ndarray,
    condemned_since: np.ndarray,
    denounced: np.ndarray,
    alive: np.ndarray,
    ally_threshold: float,
) -> bool:
    """Whether a condemned leader has allied with a condemned former enemy.

    A defeated man alone, or with the companions of his own opposition, threatens
    no one, and the majority gains nothing by expelling him; two defeated
    oppositions joined are a new faction (the bloc of 1926, charged with
    organising one). Two oppositions, not one condemned in instalments: the pair
    stood on opposite sides of a verdict, one voting for the other's condemnation
    (``denounced``), as Zinoviev and Kamenev had moved Trotsky's in 1924 and sat
    with him in 1926 (chronology.csv 1926-10-26). Allied: affinity above
    ``ally_threshold``, as for the sides of a motion.
    """
    for other in range(alive.size):
        if _former_enemy_allied(
            leader, other, affinity, condemned_since, denounced, alive, ally_threshold
        ):
            return True
    return False


@njit(cache=True)
def open_to_verdict(
    leader: int,
    condemned: np.ndarray,
    bloc_condemned: np.ndarray,
    affinity: np.ndarray,
    condemned_since: np.ndarray,
    denounced: np.ndarray,
    alive: np.ndarray,
    ally_threshold: float,
    assembly: bool,
) -> bool:
    """Whether a speaker may be answered with a verdict: never condemned, or once more in a bloc.

    A verdict is not repeated on a man already condemned, but two defeated
    oppositions joined are a new faction with a verdict of its own
    (:func:`in_opposition_bloc`), given once (``bloc_condemned``), and by the
    party's own ``assembly``, a conference or a congress, not by a plenum, which
    answers the bloc's defiance with its conclusions: the plenum of July 1926 took
    Zinoviev's seat, and the 15th Conference condemned the bloc of 1926 whose
    leaders the 13th Conference and the 14th Congress had condemned apart
    (chronology.csv 1926-07-23, 1926-10-26).
    """
    if not condemned[leader]:
        return True
    return (
        assembly
        and not bloc_condemned[leader]
        and in_opposition_bloc(leader, affinity, condemned_since, denounced, alive, ally_threshold)
    )


@njit(cache=True)
def _former_enemy_allied(
    leader: int,
    other: int,
    affinity: np.ndarray,
    condemned_since: np.ndarray,
    denounced: np.ndarray,
    alive: np.ndarray,
    ally_threshold: float,
) -> bool:
    """Whether ``other`` is a living, condemned ally of ``leader`` once across a verdict."""
    return (
        other != leader
        and alive[other]
        and condemned_since[other] >= 0
        and (denounced[leader, other] or denounced[other, leader])
        and affinity[leader, other] > ally_threshold
    )


@njit(cache=True)
def organiser_sits(
    leader: int,
    apparatus: np.ndarray,
    affinity: np.ndarray,
    condemned_since: np.ndarray,
    denounced: np.ndarray,
    alive: np.ndarray,
    in_office: np.ndarray,
    ally_threshold: float,
) -> bool:
    """Whether an ally from the other opposition has a larger machine than ``leader``'s.

    A machine is the share of the apparatus of a leader who holds an executive
    office (``in_office``): a man out of office has clients left but appoints no
    one, and runs nothing. A faction is organised through a
    machine, and the majority charged the opposition that had one: Zinoviev and
    Kamenev lost their Politburo seats in July 1926, Zinoviev for building a
    faction through the Comintern's apparatus (chronology.csv 1926-07-23; source
    chapter, §The Opposition and the NEP), Trotsky, their ally of 1926 without a
    machine, three months later. The companions of one opposition do not wait for
    each other. Allied: affinity above ``ally_threshold``, as for the sides of a
    motion.
    """
    machine = apparatus[leader] if in_office[leader] else 0.0
    for other in range(alive.size):
        if (
            in_office[other]
            and apparatus[other] > machine
            and _former_enemy_allied(
                leader, other, affinity, condemned_since, denounced, alive, ally_threshold
            )
        ):
            return True
    return False


@njit(cache=True)
def commanding_office(
    holds: np.ndarray, unique_post: np.ndarray, reach: np.ndarray, members: np.ndarray
) -> int:
    """The executive office a leader holds whose appointments reach most members, or -1.

    A plenum's removal takes this one: the machine first, as Zinoviev lost
    Leningrad in January 1926 and the Comintern only in the autumn. Offices
    that appoint no one rank by their place in the scenario, after any that do.

    Args:
        holds: (p,) the posts the leader holds.
        unique_post: (p,) executive (single-holder) posts.
        reach: (p, m) patronage of each post in each organisation.
        members: (m,) members of each organisation.
    """
    office = -1
    most = -1.0
    for q in range(holds.size):
        if holds[q] and unique_post[q]:
            weight = 0.0
            for o in range(members.size):
                weight += reach[q, o] * members[o]
            if weight > most:
                office, most = q, weight
    return office


@njit(cache=True)
def holds_office(holds: np.ndarray, unique_post: np.ndarray) -> np.ndarray:
    """(n,) bool: who holds at least one unique (executive) office."""
    holding = np.empty(holds.shape[0], dtype=np.bool_)
    for i in range(holding.size):
        holding[i] = _in_office(holds, unique_post, i)
    return holding


@njit(cache=True)
def still_standing(
    alive: np.ndarray, condemned: np.ndarray, holds: np.ndarray, unique_post: np.ndarray
) -> np.ndarray:
    """(n,) who still threatens: the living not condemned, or condemned but holding an office.

    A rival condemned and stripped of his executive offices is broken (his seat
    alone commands nothing): Trotsky after he lost the army in January 1925.
    Enemies who still stand bind those they threaten
    (:func:`simulation.mechanisms.alliances.reweigh_affinities`) and make their
    grievances against each other wait (:func:`simulation.mechanisms.positions.reposition`).
    Only the condemned have their offices looked at: the month asks this of every
    leader, and most have never been condemned.
    """
    standing = np.empty(alive.size, dtype=np.bool_)
    for i in range(alive.size):
        standing[i] = alive[i] and (not condemned[i] or _in_office(holds, unique_post, i))
    return standing


@njit(cache=True)
def _in_office(holds: np.ndarray, unique_post: np.ndarray, i: int) -> bool:
    """Whether leader ``i`` holds a unique (executive) office (see :func:`holds_office`)."""
    q = 0  # a loop: numba compiles no generator for any()
    while q < unique_post.size and not (holds[i, q] and unique_post[q]):
        q += 1
    return q < unique_post.size


@njit(cache=True)
def rival_eligibility(alive: np.ndarray, condemned: np.ndarray, holds: np.ndarray) -> np.ndarray:
    """(n,) who may still be moved against: the living not yet finished.

    A rival is finished once condemned and stripped of every post, his
    Politburo seat too; until then he stays a target, and can be condemned
    again: Trotsky from 1923 to his expulsion in 1926, and the bloc whose
    leaders still sat in the Politburo, condemned by the 15th Conference.
    """
    eligible = np.empty(alive.size, dtype=np.bool_)
    for i in range(alive.size):
        eligible[i] = alive[i] and not (condemned[i] and not holds[i].any())
    return eligible


@njit(cache=True)
def whose_verdict(sides: np.ndarray, power: np.ndarray, alive: np.ndarray) -> int:
    """The strongest living leader on the side of a verdict: whom its targets hold answerable.

    A verdict is the majority's, whoever moves it: a lieutenant who moves it
    speaks for the leader behind the majority, and the condemned know it. The
    Leningrad leaders were condemned by the 14th Congress on the motions of
    the majority's speakers, and it was Stalin they took on, as Trotsky had
    after the 13th Conference (source chapter, §The Party and the Opposition
    after Lenin, §The Opposition and the NEP). Of the leaders whose side
    (:mod:`.voting`) is for, the one with the largest ``power`` share; -1 if
    no living leader is for.
    """
    leader = -1
    for i in range(sides.size):
        if alive[i] and sides[i] == FOR and (leader < 0 or power[i] > power[leader]):
            leader = i
    return leader


@njit(cache=True)
def motion_targets(
    sides: np.ndarray,
    affinity: np.ndarray,
    alive: np.ndarray,
    proposer: int,
    rival: int,
    with_allies: bool,
    side_threshold: float,
    ally_threshold: float,
) -> np.ndarray:
    """A motion's targets, with everyone's side written into ``sides``, once the rival is chosen.

    The rival comes from :func:`choose_rival` or :func:`choose_office_holder`.
    With ``with_allies`` (a condemnation) the motion also names those of the
    rival's side close enough to him to share his fate. ``sides`` is filled in
    place (:func:`simulation.mechanisms.voting.sides_between`, or ``sides_against``
    for the rival and his allies): a sitting weighs every leader's motion in one array.

    Returns:
        The targets.
    """
    sides_between(sides, affinity, alive, proposer, rival, side_threshold)
    if not with_allies:
        return np.full(1, rival)  # one allocation: np.array([rival]) builds a list first
    targets = allies_of(affinity, sides, rival, ally_threshold)
    if targets.size > 1:  # the rival alone: the sides are those already drawn
        sides_against(sides, affinity, alive, proposer, targets, side_threshold)
    return targets


@njit(cache=True)
def politburo_seated(holds: np.ndarray, politburo: int, alive: np.ndarray) -> np.ndarray:
    """(n,) bool: the living holders of a full Politburo seat (none without a Politburo)."""
    if politburo < 0:
        return np.zeros(alive.size, dtype=np.bool_)
    return holds[:, politburo] & alive


@njit(cache=True)
def seated_members(membership: np.ndarray, f: int, seated: np.ndarray) -> int:
    """How many of faction ``f``'s members hold a full Politburo seat (``seated``, (n,) bool)."""
    count = 0
    for i in range(seated.size):
        count += membership[f, i] != 0 and seated[i]
    return count


@njit(cache=True)
def leads(membership: np.ndarray, f: int, seated: np.ndarray, i: int, core: int) -> bool:
    """Whether ``i`` is one of faction ``f``'s leaders, who hold it together and declare it.

    Its members with a full Politburo seat when two or more of them hold one
    (``core``, from :func:`seated_members`), otherwise all its members. A group led
    from the Politburo is its leaders' group: the New Opposition was Zinoviev's and
    Kamenev's, whom the 14th Congress heard and condemned, and its lesser
    signatories followed them (source chapter, §The Opposition and the NEP;
    chronology.csv 1925-10, 1925-12-18). A group with one member or none in the
    Politburo, as the Left with Trotsky alone there, is all its members.
    """
    return membership[f, i] != 0 and (core < 2 or seated[i])


@njit(cache=True)
def faction_cohesion(
    affinity: np.ndarray, membership: np.ndarray, alive: np.ndarray, seated: np.ndarray
) -> np.ndarray:
    """How well each faction holds together: its least attached leader's mean affinity to the rest.

    The weakest link, not the mean over pairs: a group whose two wings are each close
    but cold to one another (the Left and the Leningrad leaders before 1926) has a high
    mean affinity and still no bloc, because half its members would not follow the
    other half. Read over the faction's living leaders (:func:`leads`): its members in
    the Politburo when two or more of them sit there, all its members otherwise. NaN
    below two.

    Args:
        affinity: (n, n).
        membership: (f, n) 0/1 faction membership.
        alive: (n,) bool.
        seated: (n,) bool, the living holders of a full Politburo seat.
    """
    factions, n = membership.shape
    cohesion = np.full(factions, np.nan)
    members = np.empty(n, dtype=np.int64)  # the living leaders, in index order
    for f in range(factions):
        core = seated_members(membership, f, seated)
        size = 0
        for i in range(n):
            if alive[i] and leads(membership, f, seated, i, core):
                members[size] = i
                size += 1
        if size < 2:
            continue
        weakest = np.inf
        for a in range(size):
            summed = 0.0
            for b in range(size):
                if b != a:
                    summed += affinity[members[a], members[b]]
            weakest = min(weakest, summed / (size - 1))
        cohesion[f] = weakest
    return cohesion
