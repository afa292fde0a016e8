"""The model as a whole: reproducibility, Mesa agents, and stated step order."""

import numpy as np
import pandas as pd
from conftest import SEED

from simulation.model import PartyModel
from simulation.model.agents import Faction, Leader, Organisation


def run(scenario, seed):
    return PartyModel(scenario, seed=seed).run()


def test_same_seed_gives_identical_outputs(small_scenario):
    first, second = run(small_scenario, SEED), run(small_scenario, SEED)
    for name, frame in first.frames.items():
        pd.testing.assert_frame_equal(frame, second[name], obj=name)


def test_different_seeds_give_different_votes(small_scenario):
    tallies = {tuple(run(small_scenario, seed)["votes"]["votes_for"]) for seed in range(6)}
    assert len(tallies) > 1


def test_agents_are_mesa_agents_viewing_the_state(small_scenario):
    model = PartyModel(small_scenario, seed=SEED)
    leaders = model.agents_by_type[Leader]
    assert len(leaders) == 4
    assert len(model.agents_by_type[Organisation]) == 3
    assert len(model.agents_by_type[Faction]) == 1
    stalin = next(agent for agent in leaders if agent.leader_id == "stalin")
    model.step()
    assert stalin.posts == ["politburo", "general_secretary"]
    model.influence[stalin.index] = 0.123  # the agent reads the state, not a copy of it
    assert stalin.influence == 0.123


def test_one_step_per_month_and_the_run_stops_at_the_end(small_scenario):
    model = PartyModel(small_scenario, seed=SEED)
    result = model.run()
    assert model.steps == 12
    assert not model.running
    assert list(result["trajectories"]["date"].unique()) == [
        f"{year}-{month:02d}"
        for year, month in [(1922, m) for m in range(4, 13)] + [(1923, m) for m in range(1, 4)]
    ]


def test_general_secretary_builds_an_apparatus(small_scenario):
    frame = run(small_scenario, SEED)["trajectories"].query("leader == 'stalin'")
    apparatus = frame["apparatus"].to_numpy()
    assert apparatus[-1] > 2 * apparatus[0]
    assert np.all(np.diff(apparatus[1:]) >= -1e-12)
