"""The model as a whole: reproducibility, Mesa agents, and stated step order."""

import numpy as np
import pandas as pd
import pytest
from conftest import SEED
from numba import njit

from simulation.model import Mode, PartyModel
from simulation.model.agents import Faction, Leader, Organisation
from simulation.model.state import FIELDS


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
    assert stalin.influence == pytest.approx(model.influence[stalin.index])


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


def test_runs_share_the_scenarios_arrays_only_read_only(baseline):
    """A run that wrote into the shared starting arrays would change every later run."""
    first = PartyModel(baseline, seed=1, mode=Mode.FREE)
    second = PartyModel(baseline, seed=2, mode=Mode.FREE)
    shared = [
        name
        for name, value in vars(first).items()
        if isinstance(value, np.ndarray) and np.shares_memory(value, getattr(second, name))
    ]
    assert "prestige" in shared  # the check below looks at something
    for name in shared:
        assert not getattr(first, name).flags.writeable, name


def test_compiled_code_sees_the_models_own_arrays_to_the_end_of_a_run(baseline):
    """Rebinding one of these arrays in Python would fork the state compiled code updates."""
    model = PartyModel(baseline, seed=1, mode=Mode.FREE)
    model.run()
    names = [name for name in FIELDS if isinstance(getattr(model, name, None), np.ndarray)]
    assert {"loyalty", "apparatus", "similarity", "grievance", "plenum_loyalty"} <= set(names)
    source = f"def read(state):\n    return ({', '.join(f'state.{name}' for name in names)},)"
    namespace = {}
    exec(source, namespace)
    compiled_view = njit(namespace["read"])(model.state)
    for name, seen in zip(names, compiled_view, strict=True):
        assert np.shares_memory(seen, getattr(model, name)), name
