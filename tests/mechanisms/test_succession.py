import numpy as np

from simulation.mechanisms.succession import choose_member, choose_successor, successor_scores

NOBODY = np.zeros(4, bool)


def test_successor_is_loyal_and_modest():
    affinity = np.array([[0.0, 0.6, 0.6], [0.6, 0.0, 0.0], [0.6, 0.0, 0.0]])
    power = np.array([0.5, 0.3, 0.2])
    no_offices = np.zeros(3)
    scores = successor_scores(affinity, power, no_offices, np.array([1, 2]), 0, 1.0, 0.3)
    assert scores[1] > scores[0]  # equally loyal: the one without a power base wins


def test_an_appointer_does_not_pile_offices_on_one_man():
    affinity = np.array([[0.0, 0.6, 0.5], [0.6, 0.0, 0.0], [0.5, 0.0, 0.0]])
    power = np.array([0.5, 0.2, 0.2])
    offices = np.array([0.0, 2.0, 0.0])  # the more loyal already holds two offices
    scores = successor_scores(affinity, power, offices, np.array([1, 2]), 0, 1.0, 0.3)
    assert scores[1] > scores[0]
    without_cost = successor_scores(affinity, power, offices, np.array([1, 2]), 0, 1.0, 0.0)
    assert without_cost[0] > without_cost[1]


def _successor(lost=NOBODY, own_men=NOBODY, clients=NOBODY, affinity=None, condemned=NOBODY):
    """Whom appointer 0 puts in post 0 (an organisation's head); post 1 is the Politburo.

    Leader 1 sits on the Politburo and is the appointer's closest ally; leaders 2
    and 3 hold no post, 3 with more standing than 2.
    """
    if affinity is None:
        affinity = np.array([[0.0, 0.8, 0.3, 0.2], [0.8, 0, 0, 0], [0.3, 0, 0, 0], [0.2, 0, 0, 0]])
    holds = np.zeros((4, 2), bool)
    holds[1, 1] = True
    return choose_successor(
        0,
        lost,
        np.array([1]),
        own_men,
        clients,
        0,
        affinity,
        np.full(4, 0.1),
        np.array([0.9, 0.4, 0.1, 0.2]),
        np.ones(4, bool),
        np.ones(4),
        condemned,
        np.zeros((4, 2), bool),
        holds,
        np.array([True, False]),
        1.0,
        0.3,
    )


def test_an_office_taken_from_a_man_is_not_given_back_to_him():
    assert _successor() == 1  # no organisation's men, no clients: the Politburo line
    # Post 0 was taken from leader 1, the only man on its line: no one.
    assert _successor(lost=np.array([False, True, False, False])) == -1


def test_an_organisation_gets_its_own_senior_man_the_appointer_can_count_on():
    own = np.array([False, False, True, True])
    # Leaders 2 and 3 are the organisation's own: the one with more standing, though
    # the appointer likes 2 better and 1 better still.
    assert _successor(own_men=own) == 3
    # The appointer cannot count on 3 (no affinity): the other of its men.
    hostile = np.array([[0.0, 0.8, 0.3, -0.2], [0.8, 0, 0, 0], [0.3, 0, 0, 0], [-0.2, 0, 0, 0]])
    assert _successor(own_men=own, affinity=hostile) == 2
    # Its own men are the fallen head's condemned people: the Politburo line.
    assert _successor(own_men=own, condemned=own) == 1


def test_failing_the_organisations_own_men_the_appointer_sends_a_client():
    own = np.array([False, False, False, True])
    clients = np.array([False, False, True, False])
    # The organisation's only man was its head, just removed: the appointer's client,
    # though the Politburo's man is the closer ally.
    assert _successor(lost=own, own_men=own, clients=clients) == 2
    # A post heading no organisation has no clients tier: the Politburo line.
    assert _successor(lost=own) == 1


def _member(influence, affinity_row, condemned=NOBODY):
    """Whom elector 0 puts in a free seat of body 0; leaders 1-3 are candidates (post 1).

    Leader 1 also holds an office of his own (post 2); leader 3 is the elector's
    closest ally.
    """
    affinity = np.zeros((4, 4))
    affinity[0] = affinity_row
    holds = np.zeros((4, 3), bool)
    holds[1:, 1] = True
    holds[1, 2] = True
    return choose_member(
        0,
        NOBODY,
        np.array([1]),
        0,
        affinity,
        np.array(influence),
        np.ones(4, bool),
        np.ones(4),
        condemned,
        np.zeros((4, 3), bool),
        holds,
    )


def test_a_seat_goes_to_the_candidate_of_most_standing_the_majority_can_count_on():
    loyal = [0.0, 0.3, 0.4, 0.8]
    # The senior candidate, though he holds an office and is not the closest ally:
    # a seat is a vote and a name, not a power base (an office would go to 3).
    assert _member([0.9, 0.6, 0.2, 0.1], loyal) == 1
    # Hostile to the elector, he is passed over for the next in standing.
    assert _member([0.9, 0.6, 0.2, 0.1], [0.0, -0.3, 0.4, 0.8]) == 2
    # Condemned, likewise; with every candidate condemned, no one.
    assert _member([0.9, 0.6, 0.2, 0.1], loyal, np.array([False, True, False, False])) == 2
    assert _member([0.9, 0.6, 0.2, 0.1], loyal, np.array([False, True, True, True])) == -1
