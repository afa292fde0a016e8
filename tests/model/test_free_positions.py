"""Positions are the model's state: recorded monthly, and moved by the struggle in free mode."""

import numpy as np
import pytest

from simulation.experiments.runs import run_model
from simulation.model import Mode


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
