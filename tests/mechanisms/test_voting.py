import numpy as np
import pytest
from conftest import generator_ref

from simulation.mechanisms.voting import (
    AGAINST,
    FOR,
    UNDECIDED,
    apparatus_split,
    delegate_vote,
    leader_sides,
    member_vote,
    opinion_for,
    sides_against,
)


def affinity_matrix():
    # 0 and 1 allies, 2 hostile to 0, 3 neutral.
    a = np.zeros((4, 4))
    a[0, 1] = a[1, 0] = 0.8
    a[0, 2] = a[2, 0] = -0.6
    return a


def test_sides_follow_sponsors_targets_and_affinity():
    sides = leader_sides(
        affinity_matrix(), np.ones(4, bool), np.array([0]), np.array([2]), threshold=0.1
    )
    np.testing.assert_array_equal(sides, [FOR, FOR, AGAINST, UNDECIDED])


def test_one_sponsor_against_a_bloc_compares_with_the_blocs_mean_affinity():
    rng = np.random.default_rng(3)
    affinity = rng.uniform(-1, 1, (8, 8))
    alive = np.ones(8, bool)
    alive[5] = False
    targets = np.array([2, 4, 6])
    sides = np.empty(8, dtype=np.int64)
    sides_against(sides, affinity, alive, 0, targets, 0.1)
    margin = affinity[:, 0] - affinity[:, targets].mean(axis=1)
    expected = np.where(margin > 0.1, FOR, np.where(margin < -0.1, AGAINST, UNDECIDED))
    expected[~alive] = UNDECIDED
    expected[0], expected[targets] = FOR, AGAINST
    np.testing.assert_array_equal(sides, expected)
    np.testing.assert_array_equal(leader_sides(affinity, alive, np.array([0]), targets, 0.1), sides)


def test_the_dead_take_no_side():
    alive = np.array([True, False, True, True])
    sides = leader_sides(affinity_matrix(), alive, np.array([0]), np.array([2]), threshold=0.1)
    assert sides[1] == UNDECIDED


def test_opinion_favours_the_side_with_more_standing():
    sides = np.array([FOR, AGAINST, UNDECIDED])
    p = opinion_for(np.array([0.6, 0.2, 0.9]), sides, gamma=2.0)
    assert p == pytest.approx(0.36 / (0.36 + 0.04))
    assert opinion_for(np.array([0.5, 0.0]), np.array([FOR, UNDECIDED]), gamma=2.0) == 1.0


def test_fully_disciplined_delegates_vote_their_apparatus():
    loyalty = np.array([[1.0, 0.0], [0.0, 1.0]])
    tally = delegate_vote(
        generator_ref(np.random.default_rng(0)),
        np.array([100, 50]),
        loyalty,
        np.array([1.0, 1.0]),
        np.array([FOR, AGAINST]),
        0.5,
        False,
    )
    assert tally == (100, 50)


def test_disciplined_delegates_split_by_their_secretaries_loyalties():
    votes_for, votes_against = delegate_vote(
        generator_ref(np.random.default_rng(0)),
        np.array([10_000]),
        np.array([[0.7, 0.3]]),
        np.array([1.0]),
        np.array([FOR, AGAINST]),
        p_opinion=0.0,
        blocs=False,
    )
    assert votes_for / 10_000 == pytest.approx(0.7, abs=0.02)


def test_undisciplined_delegates_vote_by_opinion():
    votes_for, votes_against = delegate_vote(
        generator_ref(np.random.default_rng(0)),
        np.array([10_000]),
        np.array([[1.0, 0.0]]),
        np.array([0.0]),
        np.array([FOR, AGAINST]),
        p_opinion=0.2,
        blocs=False,
    )
    assert votes_for + votes_against == 10_000
    assert votes_for / 10_000 == pytest.approx(0.2, abs=0.02)


def test_every_delegate_is_counted_once():
    rng = np.random.default_rng(1)
    delegates = np.array([37, 0, 120, 5])
    loyalty = rng.dirichlet(np.ones(4), size=4)[:, :3]
    votes_for, votes_against = delegate_vote(
        generator_ref(rng),
        delegates,
        loyalty,
        np.array([0.5, 0.9, 0.6, 0.1]),
        np.array([FOR, AGAINST, UNDECIDED]),
        0.4,
        True,
    )
    assert votes_for + votes_against == delegates.sum()


def test_politburo_members_vote_their_sides():
    source = generator_ref(np.random.default_rng(0))
    sides = np.array([FOR, FOR, AGAINST, UNDECIDED])
    assert member_vote(source, np.array([0, 1, 2]), sides, p_opinion=0.5) == (2, 1)
    assert member_vote(source, np.array([0, 3]), sides, p_opinion=1.0) == (2, 0)


def test_a_motion_without_named_sides_leaves_everyone_undecided():
    sides = leader_sides(
        affinity_matrix(), np.ones(4, bool), np.array([], dtype=int), np.array([], dtype=int), 0.1
    )
    np.testing.assert_array_equal(sides, [UNDECIDED] * 4)


def reference_delegate_vote(rng, delegates, loyalty, discipline, sides, p_opinion, blocs):
    """The delegate vote as numpy's own binomial and multinomial draw it."""
    if blocs:
        disciplined = np.array(
            [d if rng.random() < c else 0 for d, c in zip(delegates, discipline, strict=True)]
        )
    else:
        disciplined = rng.binomial(delegates, discipline)
    following = rng.multinomial(disciplined, apparatus_split(loyalty, sides))
    by_opinion = delegates - disciplined + following[:, 2]
    votes_for = int(following[:, 0].sum() + rng.binomial(by_opinion, p_opinion).sum())
    return votes_for, int(delegates.sum()) - votes_for


def test_compiled_votes_draw_what_numpy_draws_from_the_same_generator():
    # The model's seeded stream must not depend on where a vote is counted.
    cases = np.random.default_rng(3)
    for _ in range(300):
        m, n = int(cases.integers(1, 10)), int(cases.integers(2, 8))
        delegates = cases.integers(0, 900, m)
        loyalty = cases.dirichlet(np.ones(n + 1), size=m)[:, :n]
        loyalty[: m // 2, 0] = 0.0  # some organisations with no secretaries on one side
        sides = cases.integers(-1, 2, n)
        discipline, p_opinion = cases.random(m), float(cases.random())
        seed, blocs = int(cases.integers(2**32)), bool(cases.random() < 0.5)
        ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
        tally = delegate_vote(
            generator_ref(ours), delegates, loyalty, discipline, sides, p_opinion, blocs
        )
        assert tally == reference_delegate_vote(
            numpys, delegates, loyalty, discipline, sides, p_opinion, blocs
        )
        voters = np.flatnonzero(cases.random(n) < 0.7)
        undecided = int((sides[voters] == UNDECIDED).sum())
        member_for = int((sides[voters] == FOR).sum()) + int(numpys.binomial(undecided, p_opinion))
        assert member_vote(generator_ref(ours), voters, sides, p_opinion)[0] == member_for
        assert ours.random() == numpys.random()  # the generators are in the same state after


def test_delegations_voting_as_blocs_make_a_close_congress_uncertain():
    # Three organisations of 200 delegates, their secretaries for, against and split; the
    # undisciplined vote 50-50. Delegates one by one would give the same share every time;
    # delegations that follow their apparatus or not as one body do not.
    delegates = np.array([200, 200, 200])
    loyalty = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    discipline = np.array([0.6, 0.6, 0.6])
    sides = np.array([FOR, AGAINST])

    def shares(blocs):
        source = generator_ref(np.random.default_rng(5))
        return np.array(
            [
                delegate_vote(source, delegates, loyalty, discipline, sides, 0.5, blocs)[0] / 600
                for _ in range(2_000)
            ]
        )

    by_bloc, one_by_one = shares(True), shares(False)
    assert by_bloc.mean() == pytest.approx(0.5, abs=0.01)
    assert one_by_one.mean() == pytest.approx(0.5, abs=0.01)
    assert by_bloc.std() > 5 * one_by_one.std()
    assert ((by_bloc > 0.5) & (by_bloc < 0.6)).any() and (by_bloc < 0.5).any()


def test_a_disciplined_delegation_votes_as_one_body():
    source = generator_ref(np.random.default_rng(2))
    loyalty = np.array([[1.0, 0.0]])
    # Always disciplined: every delegate with his secretaries; never: all by opinion (here 0).
    assert delegate_vote(
        source, np.array([80]), loyalty, np.ones(1), np.array([FOR, AGAINST]), 0.0, True
    ) == (80, 0)
    assert delegate_vote(
        source, np.array([80]), loyalty, np.zeros(1), np.array([FOR, AGAINST]), 0.0, True
    ) == (0, 80)
