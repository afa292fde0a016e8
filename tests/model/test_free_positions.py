"""Positions are the model's state: recorded monthly, and moved by the struggle in free mode."""

import numpy as np
import pytest
from conftest import grievance_held

from calibration.evaluate import with_parameters
from simulation.calendar import Month
from simulation.experiments.runs import run_model
from simulation.mechanisms.alliances import stance_similarity
from simulation.model import Mode, PartyModel


def stances(result, leader):
    rows = result["trajectories"][result["trajectories"]["leader"] == leader]
    return rows.set_index("date")[["stance_economic", "stance_regime"]]


def test_replay_keeps_positions_where_the_scenario_puts_them(baseline):
    result = run_model(baseline, 1, Mode.REPLAY).recorder.result()
    zinoviev = stances(result, "zinoviev")
    assert tuple(zinoviev.loc["1925-01"]) == (0.2, 0.9)
    assert tuple(zinoviev.loc["1925-12"]) == (-0.6, -0.2)  # the scenario's dated shifts


@pytest.mark.slow
def test_in_free_mode_the_leningrad_leader_turns_left_without_a_dated_shift(baseline):
    # The baseline has no exogenous stance shift: whatever moves Zinoviev is the machine war.
    assert not [e for e in baseline.events if e.stance and e.kind.value == "exogenous"]
    moved = []
    for seed in range(1, 11):
        zinoviev = stances(run_model(baseline, seed, Mode.FREE).recorder.result(), "zinoviev")
        moved.append(zinoviev.loc["1925-12", "stance_economic"] - zinoviev.loc["1922-04"].iloc[0])
    assert np.mean(np.array(moved) < -0.2) >= 0.8


def test_a_run_may_start_from_stances_drawn_around_the_scenarios(baseline):
    estimated = np.array([[lead.stance.economic, lead.stance.regime] for lead in baseline.leaders])
    assert np.array_equal(PartyModel(baseline, seed=3, mode=Mode.FREE).stance, estimated)
    blurred = with_parameters(baseline, {"stance_uncertainty": 0.2})
    first, again = (PartyModel(blurred, seed=3, mode=Mode.FREE) for _ in range(2))
    assert np.array_equal(first.stance, again.stance)  # one seed, one draw
    assert not np.array_equal(first.stance, PartyModel(blurred, seed=4, mode=Mode.FREE).stance)
    assert 0.1 < np.std(first.stance - estimated) < 0.3
    assert np.abs(first.stance).max() <= 1.0
    # The starting ties follow the drawn stances as they follow the estimates.
    expected = stance_similarity(first.stance) * blurred.parameters.stance_weight
    np.fill_diagonal(expected, 0.0)
    assert np.allclose(first.affinity, expected)
    assert np.allclose(first.similarity, stance_similarity(first.stance))
    # History replayed, to the end or to a branch, starts where it started.
    assert np.array_equal(PartyModel(blurred, seed=3, mode=Mode.REPLAY).stance, estimated)
    branch = blurred.model_copy(update={"free_from": Month.parse("1924-05")})
    assert np.array_equal(PartyModel(branch, seed=3, mode=Mode.FREE).stance, estimated)


def test_a_branch_inherits_the_grievance_of_secretaries_lost_in_the_replay(baseline):
    # No replayed event sets Kamenev against Stalin before 1924: what he holds against him
    # at the branch is the Moscow secretaries the Secretariat's appointments took, as in a
    # run that decided from the first month.
    branch = baseline.model_copy(update={"free_from": Month.parse("1924-02")})
    branched = run_model(branch, 1, Mode.FREE).recorder.result()
    free = run_model(baseline, 1, Mode.FREE).recorder.result()
    inherited = grievance_held(branched["alliances"], "kamenev", "stalin", "1924-01")
    assert inherited > 0.05
    decided = grievance_held(free["alliances"], "kamenev", "stalin", "1924-01")
    assert inherited == pytest.approx(decided, rel=0.5)
    lost_nothing = grievance_held(branched["alliances"], "stalin", "kamenev", "1924-01")
    assert lost_nothing == 0.0  # Stalin lost no one to Kamenev


def test_in_a_branch_of_may_1924_kamenev_is_drawn_after_zinoviev_by_friends_pull(baseline):
    # The replay leaves Zinoviev aggrieved by the quarrels of 1923 and Kamenev hardly at all
    # (he loses Moscow only in August): alone, each moves on his own grievance and they part.
    # A full pull of friends keeps Kamenev close. How much is the fit's, and the replay's:
    # since replayed blame sets no one against the blamer (the German failure of 1923 no
    # longer aggrieves Zinoviev), they part less, apart in December 1924 by 0.38-0.43 without
    # the pull, 0.39-0.44 at 0.5 (no closer: a half pull is lost among the other moves) and
    # 0.18-0.39 at 1 over seeds 1-10 (before it, 0.82-0.87, 0.76-0.80 and 0.70-0.74 over
    # seeds 1-5).
    branch = baseline.model_copy(update={"free_from": Month.parse("1924-05")})

    def apart(ally_pull, seed):
        scenario = with_parameters(branch, {"ally_pull": ally_pull})
        result = run_model(scenario, seed, Mode.FREE).recorder.result()
        kamenev, zinoviev = stances(result, "kamenev"), stances(result, "zinoviev")
        return np.linalg.norm(kamenev.loc["1924-12"] - zinoviev.loc["1924-12"])

    for seed in (1, 2, 3, 4, 5):
        alone, held = apart(0.0, seed), apart(1.0, seed)
        assert held < 0.6 * alone
