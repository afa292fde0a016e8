import numpy as np
import pytest
from conftest import generator_ref

from simulation.mechanisms.agency import delegate_share_moments
from simulation.mechanisms.contests import (
    allies_of,
    choose_office_holder,
    choose_rival,
    commanding_office,
    expected_member_share,
    faction_cohesion,
    open_to_verdict,
    plenum_moves,
    rival_eligibility,
    seats_for_majority,
    shares_standing_enemy,
    still_standing,
    whose_verdict,
)
from simulation.mechanisms.voting import AGAINST, FOR, UNDECIDED, delegate_vote


def test_the_rival_is_the_hostile_leader_with_the_biggest_machine():
    affinity = np.array(
        [
            [0.0, -0.5, 0.6, -0.2],
            [-0.5, 0.0, 0.0, 0.0],
            [0.6, 0.0, 0.0, 0.0],
            [-0.2, 0.0, 0.0, 0.0],
        ]
    )
    apparatus = np.array([0.4, 0.05, 0.3, 0.2])
    eligible = np.ones(4, bool)
    # Leader 2 has a big machine but is a friend; 3's machine outweighs 1's hostility.
    assert choose_rival(affinity, apparatus, eligible, proposer=0, hostility=0.0) == 3
    eligible[3] = False
    assert choose_rival(affinity, apparatus, eligible, proposer=0, hostility=0.0) == 1
    assert choose_rival(affinity, apparatus, eligible, proposer=0, hostility=-0.6) == -1


def test_allies_share_the_rivals_fate_only_if_close_and_on_his_side():
    affinity = np.zeros((4, 4))
    affinity[1, 2] = affinity[2, 1] = 0.5
    affinity[1, 3] = affinity[3, 1] = 0.5
    sides = np.array([FOR, AGAINST, AGAINST, FOR])
    np.testing.assert_array_equal(allies_of(affinity, sides, rival=1, threshold=0.3), [1, 2])


def test_expected_delegate_share_is_the_mean_of_the_vote():
    source = generator_ref(np.random.default_rng(0))
    delegates = np.array([300, 200])
    loyalty = np.array([[0.5, 0.2], [0.1, 0.6]])
    discipline = np.array([0.7, 0.9])
    sides = np.array([FOR, AGAINST])
    expected = delegate_share_moments(delegates, loyalty, discipline, sides, 0.4, True)[0]
    shares = [
        delegate_vote(source, delegates, loyalty, discipline, sides, 0.4, blocs)[0] / 500
        for _ in range(4000)
        for blocs in (False, True)
    ]
    # Delegations voting as blocs or one by one: the same expectation.
    assert np.mean(shares[0::2]) == pytest.approx(expected, abs=0.005)
    assert np.mean(shares[1::2]) == pytest.approx(expected, abs=0.01)


def test_expected_member_share_counts_the_undecided_at_the_opinion_rate():
    sides = np.array([FOR, FOR, AGAINST, UNDECIDED])
    assert expected_member_share(sides, 0.5) == pytest.approx((2 + 0.5) / 4)
    assert expected_member_share(np.array([], dtype=int), 0.5) == 0.0


def plenum(
    standing,
    condemned_since,
    month=10,
    proposer=0,
    executive=True,
    allied=True,
    apparatus=(0.5, 0.0, 0.0),
    holds=None,
    defied=(False, False, False),
    purged_in=(-1, -1, -1),
    opposed=None,
):
    """Leader 0 proposes; 1 and 2 sit in the Politburo and, if ``executive``, hold an office.

    1 and 2 are allies if ``allied``, and enemies of 0; 2 voted for 1's condemnation
    if ``opposed`` (by default, if they were condemned apart); ``apparatus`` their machines;
    ``holds`` (seat, office per leader) replaces the posts ``executive`` gives;
    ``defied``: who has spoken out since his condemnation; ``purged_in``: the month a
    purge last took a post of his.
    """
    if holds is None:
        holds = [[True, True], [True, executive], [True, executive]]
    holds = np.array(holds)
    ties = 0.8 if allied else 0.0
    affinity = np.array([[1.0, -0.5, -0.5], [-0.5, 1.0, ties], [-0.5, ties, 1.0]])
    if opposed is None:
        opposed = condemned_since[1] != condemned_since[2]
    denounced = np.zeros((3, 3), dtype=bool)
    denounced[2, 1] = opposed
    return plenum_moves(
        holds,
        np.array([False, True]),
        np.ones(3, bool),
        np.array(condemned_since),
        np.array(defied),
        np.array(purged_in),
        np.array(standing),
        month,
        proposer,
        removal_delay=3,
        removal_threshold=0.35,
        expulsion_threshold=0.2,
        affinity=affinity,
        ally_threshold=0.45,
        apparatus=np.array(apparatus),
        denounced=denounced,
    )


@pytest.mark.parametrize(
    ("standing", "condemned_since", "removed", "expelled"),
    [
        ([0.9, 0.1, 0.5], [-1, -1, -1], [], []),  # never before a condemnation
        ([0.9, 0.1, 0.1], [-1, 9, 9], [], []),  # nor in the months right after it
        ([0.9, 0.5, 0.4], [-1, 2, 2], [], []),  # still too prominent
        ([0.9, 0.3, 0.5], [-1, 2, 2], [1], []),  # executive posts go first
        ([0.9, 0.1, 0.3], [-1, 2, 2], [1, 2], []),  # first, however broken the rival
    ],
)
def test_plenum_escalates_with_the_rivals_fall(standing, condemned_since, removed, expelled):
    removals, expulsions, _ = plenum(standing, condemned_since)
    np.testing.assert_array_equal(removals, removed)
    np.testing.assert_array_equal(expulsions, expelled)


def test_a_condemned_man_who_speaks_out_may_lose_his_seat_at_once_but_his_office_waits():
    # Allied, condemned apart: 2 five months ago and broken, 1 last month and diminished.
    _, quiet, _ = plenum([0.9, 0.3, 0.1], [-1, 9, 5], executive=False)
    np.testing.assert_array_equal(quiet, [2])  # 1's verdict is not ripe
    _, spoke, _ = plenum([0.9, 0.3, 0.1], [-1, 9, 5], executive=False, defied=(0, 1, 0))
    np.testing.assert_array_equal(spoke, [1, 2])
    removals, expulsions, _ = plenum([0.9, 0.1, 0.5], [-1, 9, -1], defied=(0, 1, 0))
    assert removals.size == 0 and expulsions.size == 0  # no bloc: only his office, which waits


def test_a_broken_man_who_joins_a_bloc_need_not_wait_for_his_verdicts_conclusions():
    # Condemned apart, 1 last month and 2 the month before, allied, broken, silent.
    _, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 9, 8], executive=False)
    np.testing.assert_array_equal(expulsions, [1, 2])  # the bloc is a faction: no delay
    # Apart still (no bloc), the same two wait out ``removal_delay`` in their seats.
    removals, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 9, 8], allied=False)
    assert removals.size == 0 and expulsions.size == 0
    # Allied but only diminished, not broken, and silent: seat and office wait out the delay.
    removals, expulsions, _ = plenum([0.9, 0.3, 0.3], [-1, 9, 8])
    assert removals.size == 0 and expulsions.size == 0


def test_a_defiant_man_in_a_bloc_loses_his_seat_before_he_is_broken():
    # Diminished, not broken, condemned apart and allied: only defiance costs the seat.
    _, quiet, _ = plenum([0.9, 0.3, 0.3], [-1, 2, 1], executive=False)
    assert quiet.size == 0
    _, spoke, _ = plenum([0.9, 0.3, 0.3], [-1, 2, 1], executive=False, defied=(0, 1, 0))
    np.testing.assert_array_equal(spoke, [1])  # the Lashevich affair, not his standing
    # Still prominent (above the removal threshold): defiance in a bloc costs the seat all
    # the same; silent, he keeps seat and office.
    _, spoke, _ = plenum([0.9, 0.5, 0.3], [-1, 2, 1], executive=False, defied=(0, 1, 0))
    np.testing.assert_array_equal(spoke, [1])
    removals, expulsions, _ = plenum([0.9, 0.5, 0.3], [-1, 2, 1])
    assert 1 not in removals and 1 not in expulsions


@pytest.mark.parametrize(
    ("condemned_since", "opposed", "bloc_condemned", "assembly", "open_"),
    [
        ([-1, -1, -1], False, False, True, True),  # never condemned
        ([-1, -1, -1], False, False, False, True),  # a plenum may give a first verdict
        ([-1, 2, 2], False, False, True, False),  # condemned with his companions: no new verdict
        ([-1, 2, 1], False, False, True, False),  # nor condemned after them, one opposition still
        ([-1, 2, 1], True, False, True, True),  # joined a former enemy: the bloc's verdict is due
        ([-1, 2, 1], True, True, True, False),  # and given once
        ([-1, 2, 1], True, False, False, False),  # by a conference or congress, not a plenum
    ],
)
def test_a_verdict_is_given_once_alone_and_once_more_with_a_bloc(
    condemned_since, opposed, bloc_condemned, assembly, open_
):
    # 1 and 2 allied (0.8 against the threshold 0.45), enemies of 0; if opposed, 1 had
    # voted for 2's condemnation.
    affinity = np.array([[1.0, -0.5, -0.5], [-0.5, 1.0, 0.8], [-0.5, 0.8, 1.0]])
    since = np.array(condemned_since)
    denounced = np.zeros((3, 3), dtype=bool)
    denounced[1, 2] = opposed
    verdict = open_to_verdict(
        1,
        since >= 0,
        np.array([False, bloc_condemned, False]),
        affinity,
        since,
        denounced,
        np.ones(3, bool),
        0.45,
        assembly,
    )
    assert verdict == open_


def test_a_man_purged_this_month_is_not_stripped_again_at_its_plenum():
    removals, _, _ = plenum([0.9, 0.3, 0.5], [-1, 2, 2])
    np.testing.assert_array_equal(removals, [1])
    removals, expulsions, _ = plenum([0.9, 0.3, 0.5], [-1, 2, 2], purged_in=(-1, 10, -1))
    assert removals.size == 0 and expulsions.size == 0  # Leningrad was January 1926's step
    removals, _, _ = plenum([0.9, 0.3, 0.5], [-1, 2, 2], purged_in=(-1, 9, -1))
    np.testing.assert_array_equal(removals, [1])  # last month's purge does not shield him


def test_a_rival_without_executive_office_can_only_be_expelled_once_broken():
    removals, expulsions, _ = plenum([0.9, 0.3, 0.1], [-1, 2, 1], executive=False)
    assert removals.size == 0
    np.testing.assert_array_equal(expulsions, [2])  # leader 1 is not yet broken


@pytest.mark.parametrize(
    ("condemned_since", "allied", "opposed"),
    [
        ([-1, 2, 2], True, False),  # the companions of one defeat
        ([-1, 2, 1], True, False),  # one opposition condemned in instalments
        ([-1, 2, 1], False, True),  # former enemies, defeated apart, and apart still
    ],
)
def test_a_broken_rival_keeps_his_seat_until_he_joins_another_defeated_opposition(
    condemned_since, allied, opposed
):
    _, expulsions, _ = plenum(
        [0.9, 0.1, 0.1], condemned_since, executive=False, allied=allied, opposed=opposed
    )
    assert expulsions.size == 0
    _, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], executive=False)
    np.testing.assert_array_equal(expulsions, [1, 2])


def test_a_broken_rival_in_a_bloc_loses_his_seat_before_his_last_office():
    # Condemned apart and allied: a bloc. Broken, he is expelled though he holds an office.
    removals, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1])
    assert removals.size == 0
    np.testing.assert_array_equal(expulsions, [1, 2])
    # Diminished but not broken, in the bloc too: only his office goes.
    removals, expulsions, _ = plenum([0.9, 0.3, 0.3], [-1, 2, 1])
    np.testing.assert_array_equal(removals, [1, 2])
    assert expulsions.size == 0


def test_a_bloc_is_struck_at_its_organiser_first():
    # Broken, condemned apart and allied: a bloc. Leader 2 commands a machine from an
    # office, 1 neither.
    holds = [[True, True], [True, False], [True, True]]
    _, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], apparatus=(0.5, 0.0, 0.1), holds=holds)
    np.testing.assert_array_equal(expulsions, [2])  # 1 keeps his seat while 2 sits
    # With an office, the one who waits loses it meanwhile; the organiser loses his seat.
    removals, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], apparatus=(0.5, 0.0, 0.1))
    np.testing.assert_array_equal(removals, [1])
    np.testing.assert_array_equal(expulsions, [2])
    # Once the organiser has lost his seat and posts, his ally goes at the next plenum.
    holds = [[True, True], [True, False], [False, False]]
    _, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], apparatus=(0.5, 0.0, 0.1), holds=holds)
    np.testing.assert_array_equal(expulsions, [1])


def test_a_man_out_of_office_is_no_organiser_whatever_clients_he_kept():
    # A bloc, both broken. Leader 2 kept more clients (0.2) but holds no office; leader 1
    # chairs an office with fewer (0.1): 1 is the organiser and goes first.
    holds = [[True, True], [True, True], [True, False]]
    _, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], apparatus=(0.5, 0.1, 0.2), holds=holds)
    np.testing.assert_array_equal(expulsions, [1])
    # With an office too, the larger machine is 2's: he goes first, and 1 loses his office.
    removals, expulsions, _ = plenum([0.9, 0.1, 0.1], [-1, 2, 1], apparatus=(0.5, 0.1, 0.2))
    np.testing.assert_array_equal(removals, [1])
    np.testing.assert_array_equal(expulsions, [2])


def test_the_plenum_takes_first_the_motion_of_the_first_rival():
    assert plenum([0.9, 0.3, 0.1], [-1, 2, 2])[2]  # leader 1 is to be removed
    assert not plenum([0.9, 0.1, 0.1], [-1, 2, 1], executive=False)[2]  # to be expelled


NO_SEATS = np.zeros(3, dtype=bool)


def test_faction_cohesion_is_its_least_attached_living_members_mean_affinity():
    affinity = np.array([[0.0, 0.8, 0.2], [0.8, 0.0, 0.4], [0.2, 0.4, 0.0]])
    membership = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    cohesion = faction_cohesion(affinity, membership, np.array([True, True, False]), NO_SEATS)
    assert cohesion[0] == pytest.approx(0.8)
    assert np.isnan(cohesion[1])
    everyone = faction_cohesion(affinity, membership, np.ones(3, dtype=bool), NO_SEATS)
    assert everyone[0] == pytest.approx(0.3)  # leader 2: (0.2 + 0.4) / 2


def test_a_group_led_from_the_politburo_holds_together_as_its_leaders_there_do():
    """Two members with seats, close to each other, and a follower cold to both: the group
    holds as its leaders hold; with one seat among them it is all its members again."""
    affinity = np.array([[0.0, 0.8, -0.5], [0.8, 0.0, -0.5], [-0.5, -0.5, 0.0]])
    group = np.ones((1, 3))
    alive = np.ones(3, dtype=bool)
    led = faction_cohesion(affinity, group, alive, np.array([True, True, False]))
    assert led[0] == pytest.approx(0.8)
    one_seat = faction_cohesion(affinity, group, alive, np.array([True, False, False]))
    assert one_seat[0] == pytest.approx(-0.5)  # the follower's mean affinity


def test_a_close_core_with_an_estranged_member_is_not_cohesive():
    # Three close leaders and a fourth cold to all: a mean over pairs of 0.3, but the
    # fourth would not follow the others.
    affinity = np.full((4, 4), 0.9)
    affinity[3, :] = affinity[:, 3] = -0.3
    np.fill_diagonal(affinity, 0.0)
    seated = np.zeros(4, dtype=bool)
    cohesion = faction_cohesion(affinity, np.ones((1, 4)), np.ones(4, dtype=bool), seated)
    assert cohesion[0] == pytest.approx(-0.3)
    seated[:] = True  # all four in the Politburo: their leaders are the same four
    assert faction_cohesion(affinity, np.ones((1, 4)), np.ones(4, dtype=bool), seated)[0] == (
        pytest.approx(-0.3)
    )


def office_holder(affinity, reach, shares, eligible, members, **given):
    """``choose_office_holder`` for proposer 0 at hostility 0.2; the rest as ``given`` or plain.

    Plain: everyone still standing, no obligations or grievances, a margin of 0.7, no
    provocation needed, rivals open to the motion (no truce), no arbiter.
    """
    n = reach.size
    settings = {
        "standing": np.ones(n, bool),
        "obligation": np.zeros((n, n)),
        "grievance": np.zeros((n, n)),
        "margin": 0.7,
        "provocation": 0.0,
        "rivals": True,
        "arbiter": -1,
    }
    settings.update(given)
    return choose_office_holder(
        affinity,
        reach,
        shares,
        eligible,
        members,
        settings["standing"],
        settings["obligation"],
        settings["grievance"],
        0,
        0.2,
        settings["margin"],
        settings["provocation"],
        settings["rivals"],
        settings["arbiter"],
    )


def test_an_office_is_taken_from_a_rival_or_from_a_chief_appointer_far_from_his_power():
    affinity = np.array(
        [
            [0.0, 0.6, 0.6, -0.4],
            [0.6, 0.0, 0.0, 0.0],
            [0.6, 0.0, 0.0, 0.0],
            [-0.4, 0.0, 0.0, 0.0],
        ]
    )
    reach = np.array([0.0, 0.9, 0.5, 0.1])
    eligible = np.ones(4, bool)

    members = np.zeros(4, bool)

    def holder(shares, **given):
        return office_holder(affinity, reach, shares, eligible, members, **given)

    # The proposer has under 0.7 of partner 1's power, and 1 is the chief appointer:
    # he is the target.
    assert holder(np.array([0.2, 0.4, 0.1, 0.2])) == 1
    # So is one much weaker than the proposer (under 0.7 of his power).
    assert holder(np.array([0.3, 0.1, 0.1, 0.2])) == 1
    # A chief appointer of about the proposer's power is left alone, and so is a stronger
    # partner whose offices reach less than his: the rival is moved against, though his
    # reach less.
    assert holder(np.array([0.3, 0.35, 0.1, 0.2])) == 3
    assert holder(np.array([0.2, 0.2, 0.4, 0.2])) == 3
    # A margin of 1: any chief appointer stronger than the proposer is a target.
    assert holder(np.array([0.3, 0.35, 0.1, 0.2]), margin=1.0) == 1
    # During the arbiter's truce, rivals are not moved against; a chief appointer who
    # has outgrown the proposer still is.
    assert holder(np.array([0.3, 0.35, 0.1, 0.2]), rivals=False) == -1
    assert holder(np.array([0.2, 0.4, 0.1, 0.2]), rivals=False) == 1
    # Nobody with appointing offices left to take: no motion.
    eligible[[1, 3]] = False
    assert holder(np.array([0.2, 0.4, 0.1, 0.2])) == -1


def test_partners_estranged_or_not_leave_the_chief_appointer_alone_while_a_shared_enemy_stands():
    # Proposer 0 and chief appointer 1 are partners; 2 is hostile to both (May 1924: Trotsky).
    affinity = np.array([[0.0, 0.6, -0.5], [0.6, 0.0, -0.5], [-0.5, -0.5, 0.0]])
    reach = np.array([0.0, 0.9, 0.05])
    shares = np.array([0.1, 0.3, 0.2])  # 1 has outgrown 0
    eligible = np.array([True, True, False])  # the common enemy is not the target here
    members = np.zeros(3, bool)

    def holder(standing, ties=affinity, **given):
        return office_holder(
            ties, reach, shares, eligible, members, standing=np.array(standing), **given
        )

    assert holder([True, True, True]) == -1  # they need him against 2
    assert holder([True, True, False]) == 1  # 2 is broken (January 1925): he is next
    client = np.zeros((3, 3))
    client[0, 1] = 0.3  # 0 owes his career to 1: he never moves against his patron
    assert holder([True, True, False], obligation=client) == -1
    # The arbiter needs no partner against 2: he moves while 2 still stands (Lenin's
    # postscript, January 1923, with Trotsky at the head of the army).
    assert holder([True, True, True], arbiter=0) == 1
    assert holder([True, True, True], arbiter=2) == -1  # another's arbitership frees no one
    # Estranged (affinity 0.1, below the hostility of 0.2), he still needs him against 2
    # (Zinoviev in May 1924, aggrieved since the summer of 1923); once 2 is broken, or
    # for the arbiter, the chief appointer is a rival like any other.
    estranged = affinity.copy()
    estranged[0, 1] = estranged[1, 0] = 0.1
    assert holder([True, True, True], estranged) == -1
    assert holder([True, True, False], estranged) == 1
    assert holder([True, True, True], estranged, arbiter=0) == 1
    assert shares_standing_enemy(affinity, np.ones(3, bool), 0, 1)
    assert not shares_standing_enemy(affinity, np.ones(3, bool), 0, 2)


def test_a_partner_fears_the_chief_appointer_only_once_provoked_when_provocation_is_asked():
    # Chief appointer 1 has outgrown partner 0, and no enemy they share still stands
    # (January 1925): any partner may fear him, unless ``fear_provocation`` asks for a
    # grievance, which his appointments in the partner's machine would have left.
    affinity = np.array([[0.0, 0.6, -0.5], [0.6, 0.0, -0.5], [-0.5, -0.5, 0.0]])
    reach = np.array([0.0, 0.9, 0.05])
    shares = np.array([0.1, 0.3, 0.2])
    eligible = np.array([True, True, False])
    members = np.zeros(3, bool)
    broken = np.array([True, True, False])
    cut_into = np.zeros((3, 3))
    cut_into[0, 1] = 0.05

    def holder(**given):
        return office_holder(affinity, reach, shares, eligible, members, standing=broken, **given)

    assert holder() == 1  # no provocation asked: he is next
    assert holder(provocation=0.01) == -1  # unharmed, the partner does not fear him
    assert holder(provocation=0.01, grievance=cut_into) == 1  # harmed, he does
    assert holder(provocation=0.1, grievance=cut_into) == -1  # not harmed enough
    # The arbiter needs no grievance: he weighs the leadership's balance, not his place.
    assert holder(provocation=0.01, arbiter=0) == 1


def test_a_politburo_member_loses_his_offices_by_a_verdict_unless_he_is_the_chief_appointer():
    # Proposer 0; 1 a hostile chief appointer, 2 a hostile regional head.
    affinity = np.array([[0.0, -0.5, -0.5], [-0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]])
    reach = np.array([0.0, 0.6, 0.2])
    shares = np.array([0.4, 0.3, 0.3])
    eligible = np.ones(3, bool)

    def holder(members):
        return office_holder(affinity, reach, shares, eligible, members)

    # The chief appointer stays open to the motion, in the Politburo or not.
    assert holder(np.array([False, True, True])) == 1
    # With him out of reach, a regional head outside the Politburo can be stripped without
    # a verdict; a member keeps his offices until he is condemned.
    eligible[1] = False
    assert holder(np.array([False, True, False])) == 2
    assert holder(np.array([False, True, True])) == -1


def test_a_won_congress_packs_the_politburo_only_when_the_condemned_still_weigh():
    # Seven seats, Trotsky, Zinoviev and Kamenev condemned and still sitting (December 1925):
    # two seats make the others two thirds (six of nine).
    assert seats_for_majority(7, 3, 2 / 3) == 2
    # Trotsky alone condemned (May 1924): the others already hold two thirds.
    assert seats_for_majority(7, 1, 2 / 3) == 0
    assert seats_for_majority(7, 2, 2 / 3) == 0
    # A higher bar asks for more seats; a body with no seats gets none.
    assert seats_for_majority(7, 3, 0.75) == 5
    assert seats_for_majority(0, 0, 2 / 3) == 0


def test_a_plenum_takes_first_the_office_whose_appointments_reach_most_members():
    # Posts: 0 a title appointing no one, 1 a small machine, 2 a big one, 3 a seat (not unique).
    unique_post = np.array([True, True, True, False])
    reach = np.array([[0.0, 0.0], [0.0, 0.6], [0.8, 0.0], [0.0, 0.0]])
    members = np.array([300.0, 100.0])

    def office(*holds):
        return commanding_office(np.array(holds), unique_post, reach, members)

    # Leningrad (300 members at 0.8) before the Comintern (100 at 0.6), whatever the order.
    assert office(True, True, True, True) == 2
    # With the machines gone, the title; with no executive office, nothing (the seat is not one).
    assert office(True, False, False, True) == 0
    assert office(False, False, False, True) == -1


def test_a_condemned_rival_stays_a_target_while_he_holds_any_post():
    # Posts: 0 an executive office, 1 a Politburo seat. 0 condemned in office, 1 condemned
    # with his seat only, 2 condemned with nothing, 3 uncondemned with nothing, 4 dead.
    holds = np.array([[True, True], [False, True], [False, False], [False, False], [True, True]])
    condemned = np.array([True, True, True, False, False])
    alive = np.array([True, True, True, True, False])
    eligible = rival_eligibility(alive, condemned, holds)
    np.testing.assert_array_equal(eligible, [True, True, False, True, False])


def test_a_verdict_is_held_against_the_strongest_leader_on_its_side():
    # 0 moves, 1 is stronger and for, 2 is the strongest but against, 3 is for but dead.
    sides = np.array([FOR, FOR, AGAINST, FOR])
    power = np.array([0.1, 0.3, 0.4, 0.5])
    alive = np.array([True, True, True, False])
    assert whose_verdict(sides, power, alive) == 1
    sides[1] = UNDECIDED  # a leader who does not side with it is not behind it
    assert whose_verdict(sides, power, alive) == 0
    sides[0] = AGAINST
    assert whose_verdict(sides, power, alive) == -1


def test_a_condemned_leader_still_stands_while_he_holds_an_executive_office():
    # Same leaders as above: only an executive office keeps a condemned man standing.
    holds = np.array([[True, True], [False, True], [False, False], [False, False], [True, True]])
    condemned = np.array([True, True, True, False, False])
    alive = np.array([True, True, True, True, False])
    standing = still_standing(alive, condemned, holds, np.array([True, False]))
    np.testing.assert_array_equal(standing, [True, False, False, True, False])
