"""A run's pattern logs are the same whether read from the model or from its written tables."""

import numpy as np
from conftest import ROOT

from calibration.pattern_logs import logs_from_frames, pattern_logs
from calibration.pattern_scores import score_run
from calibration.patterns import load_patterns
from simulation.model import Mode, PartyModel

SCORED_TABLES = ("tenures", "votes", "alliances", "factions", "trajectories")


def test_a_run_scores_alike_from_the_model_and_from_its_tables(baseline):
    model = PartyModel(baseline, seed=3, mode=Mode.FREE)
    frames = model.run().frames
    from_tables = logs_from_frames(baseline, {name: frames[name] for name in SCORED_TABLES})[0]
    patterns = load_patterns(ROOT / "calibration" / "patterns.yaml", baseline).patterns
    from_model = score_run(patterns, pattern_logs(model))
    read_back = score_run(patterns, from_tables)
    for pattern in patterns:
        ours, theirs = from_model[pattern.id], read_back[pattern.id]
        assert ours.hit == theirs.hit, pattern.id
        assert np.allclose(ours.value, theirs.value, equal_nan=True), pattern.id


def test_grievances_keep_their_direction_in_the_tables(baseline):
    """``grievance_a`` is what ``leader_a`` holds against ``leader_b``, not the reverse."""
    model = PartyModel(baseline, seed=3, mode=Mode.FREE)
    alliances = model.run()["alliances"]
    end = alliances[alliances["date"] == model.dates[-1]]
    index = model.leader_index
    a = end["leader_a"].map(index).to_numpy()
    b = end["leader_b"].map(index).to_numpy()
    assert (model.grievance[a, b] != model.grievance[b, a]).any()  # the test can tell them apart
    np.testing.assert_array_equal(end["grievance_a"], model.grievance[a, b])
    np.testing.assert_array_equal(end["grievance_b"], model.grievance[b, a])
    logs = pattern_logs(model)
    first, second = model.leader_ids[a[0]], model.leader_ids[b[0]]
    month = model.start.plus(len(model.dates) - 1)
    assert logs.grievance_of(second, first, month) == model.grievance[b[0], a[0]]


def test_stances_come_from_the_trajectories_or_are_missing(baseline):
    """Without trajectories that keep the stance (an ensemble's keep none) every stance is NaN."""
    model = PartyModel(baseline, seed=3, mode=Mode.FREE)
    frames = model.run().frames
    trotsky = model.leader_index["trotsky"]
    month = model.start.plus(18)  # 1923-10
    from_model = pattern_logs(model)
    regime = model.recorder.stance[18, trotsky, 1]  # the model's axes: economic, regime
    assert from_model.stance_of("trotsky", "regime", month) == regime
    shuffled = frames["trajectories"].sample(frac=1.0, random_state=0)  # rows found by date, leader
    tables = {name: frames[name] for name in ("tenures", "votes")}
    from_tables = logs_from_frames(baseline, {**tables, "trajectories": shuffled})[0]
    np.testing.assert_array_equal(from_tables.stance, from_model.stance)
    without = logs_from_frames(baseline, tables)[0]
    no_stance = frames["trajectories"][["run", "date", "leader", "influence"]]
    ensemble_like = logs_from_frames(baseline, {**tables, "trajectories": no_stance})[0]
    for logs in (without, ensemble_like):
        assert logs.stance.shape == from_model.stance.shape and np.isnan(logs.stance).all()
