import numpy as np
import pytest

from simulation.mechanisms.influence import blame, drift_toward_support, initial_record


def drifted(influence, health, post_prestige, apparatus, record, client_weight, rate):
    """Standing after one month's drift of the living (a copy: the call works in place)."""
    influence = np.array(influence, dtype=float)
    alive = np.ones(influence.size, bool)
    drift_toward_support(
        influence, health, post_prestige, apparatus, record, alive, client_weight, rate
    )
    return influence


def influence_support(health, post_prestige, apparatus, record, client_weight):
    """The support itself: a full step (rate 1) from any standing lands on it."""
    return drifted(
        np.zeros(health.size), health, post_prestige, apparatus, record, client_weight, 1.0
    )


def test_support_combines_posts_clients_and_record_scaled_by_health():
    support = influence_support(
        health=np.array([1.0, 0.5]),
        post_prestige=np.array([0.3, 0.3]),
        apparatus=np.array([0.2, 0.2]),
        record=np.array([0.1, 0.1]),
        client_weight=0.5,
    )
    np.testing.assert_allclose(support, [0.5, 0.25])


def test_support_is_capped_at_one():
    support = influence_support(np.ones(1), np.array([0.9]), np.array([1.0]), np.array([0.5]), 1.0)
    assert support[0] == 1.0


def test_influence_drifts_toward_support():
    # Support 0 (no health), then 0.6 (posts alone).
    gone, none = np.zeros(1), np.zeros(1)
    assert drifted([0.8], gone, none, none, none, 0.0, 0.1)[0] == pytest.approx(0.72)
    assert drifted([0.2], np.ones(1), np.array([0.6]), none, none, 0.0, 0.5)[0] == pytest.approx(
        0.4
    )


def test_the_dead_have_no_standing():
    influence = np.array([0.5, 0.5])
    alive = np.array([True, False])
    ones = np.ones(2)
    drift_toward_support(influence, ones, ones * 0.5, ones * 0.0, ones * 0.0, alive, 0.5, 0.1)
    np.testing.assert_allclose(influence, [0.5, 0.0])


def test_absence_erodes_influence_month_by_month():
    influence = np.array([0.7])
    record = initial_record(influence, np.array([0.35]), np.array([0.1]), 0.5)
    history = []
    for _ in range(6):
        influence = drifted(
            influence, np.array([0.3]), np.array([0.35]), np.array([0.1]), record, 0.5, 0.08
        )
        history.append(influence[0])
    assert all(later < earlier for earlier, later in zip(history, history[1:], strict=False))


def test_a_healthy_leader_starts_at_rest():
    influence = np.array([0.5, 0.1])
    prestige, apparatus = np.array([0.2, 0.3]), np.array([0.1, 0.0])
    record = initial_record(influence, prestige, apparatus, 0.5)
    support = influence_support(np.ones(2), prestige, apparatus, record, 0.5)
    assert support[0] == pytest.approx(0.5)
    assert record[1] == 0.0  # posts alone already support more than his standing


def blame_case(chosen, affinity_to_blamer):
    influence, record = np.array([0.5, 0.5, 0.5, 0.5]), np.array([0.2, 0.2, 0.2, 0.2])
    grievance = np.zeros((4, 4))
    holds = np.array([[True, False], [True, True], [False, True], [True, False]])
    alive = np.array([True, True, True, False])
    power = np.array([0.2, 0.5, 0.2, 0.0])
    affinity = np.zeros((4, 4))
    affinity[1, :3] = affinity[:3, 1] = affinity_to_blamer
    posts, sizes = np.array([0, 1]), np.array([0.1, 0.3])
    blame(influence, record, grievance, holds, alive, power, affinity, 1, posts, sizes, 0.4, chosen)
    return influence, record, grievance


def test_replayed_blame_shocks_every_living_holder_and_sets_no_one_against_the_blamer():
    influence, record, grievance = blame_case(False, [0.0, 0.0, 0.0])
    # 0 holds post 0; 1 (the dominant) holds both; 2 holds post 1; 3 is dead.
    np.testing.assert_allclose(influence, [0.4, 0.1, 0.2, 0.5])
    np.testing.assert_allclose(record, [0.1, 0.0, 0.0, 0.2])
    # The scenario shared the failure out; no one chose a scapegoat, so no one resents:
    # a branch after a replayed failure starts without a grievance history never made.
    assert grievance.sum() == 0.0


def test_the_leadership_chooses_its_scapegoat_among_those_answerable():
    # Equal power: the blamer pins the failure on the holder he is most hostile to.
    influence, _, grievance = blame_case(True, [-0.5, 0.0, 0.6])
    np.testing.assert_allclose(influence, [0.4, 0.5, 0.5, 0.5])
    assert grievance[0, 1] == 0.4 and grievance.sum() == 0.4
    influence, _, _ = blame_case(True, [0.6, 0.0, -0.5])
    np.testing.assert_allclose(influence, [0.5, 0.5, 0.2, 0.5])


def test_a_failure_only_one_colleague_answers_for_is_his_office_s_and_leaves_no_grievance():
    influence, record, grievance = np.full(3, 0.5), np.full(3, 0.2), np.zeros((3, 3))
    holds = np.array([[False], [False], [True]])  # 2 alone holds the answerable post
    alive, power = np.ones(3, bool), np.array([0.5, 0.3, 0.2])
    args = (holds, alive, power, np.zeros((3, 3)), 0, np.array([0]), np.array([0.1]), 0.4)
    blame(influence, record, grievance, *args, True)
    np.testing.assert_allclose(influence, [0.5, 0.5, 0.4])
    assert grievance.sum() == 0.0  # shocked, but nobody chose him over another
    blame(influence, record, grievance, *args, False)  # replay: no one chose him either
    np.testing.assert_allclose(influence, [0.5, 0.5, 0.3])
    assert grievance.sum() == 0.0
