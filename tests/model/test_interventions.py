"""A counterfactual's interventions act in every mode; a run may branch from history."""

import pytest
from conftest import SEED

from simulation.model import Mode, PartyModel
from simulation.scenario import ScenarioError, apply_changes

REMOVAL = {
    "id": "trotsky-expelled",
    "date": "1922-08",
    "type": "removal",
    "kind": "decision",
    "who": "trotsky",
    "post": "politburo",
    "by": ["stalin", "zinoviev"],
    "description": "Trotsky out of the Politburo.",
    "source": "test",
}


def events(scenario, mode=Mode.FREE, seed=SEED):
    return PartyModel(scenario, seed=seed, mode=mode).run()["events"]


def politburo_left(scenario, mode=Mode.FREE):
    """The month Trotsky's seat in the Politburo was lost (None if it was not)."""
    tenures = PartyModel(scenario, seed=SEED, mode=mode).run()["tenures"]
    mine = tenures[(tenures["leader"] == "trotsky") & (tenures["post"] == "politburo")]
    (end,) = mine["end"]
    return None if end != end else end  # NaN: held to the end


def test_the_base_scenarios_decisions_are_left_to_the_leaders_in_free_mode(small_scenario):
    applied = set(events(small_scenario)["event_id"])
    assert "stalin-gs" in applied  # the first month's settlement
    assert not applied & {"troika-formed", "condemn", "purge-leningrad", "trotsky-out"}


def test_an_added_decision_acts_in_free_mode(small_scenario):
    added = apply_changes(small_scenario, [{"add_event": REMOVAL}], "test")
    assert [e.id for e in added.events if e.intervention] == ["trotsky-expelled"]
    log = events(added)
    row = log[log["event_id"] == "trotsky-expelled"]
    assert list(zip(row["date"], row["origin"], strict=True)) == [("1922-08", "scenario")]
    assert politburo_left(small_scenario) is None
    assert politburo_left(added) == "1922-08"
    assert politburo_left(added, Mode.REPLAY) == "1922-08"


@pytest.mark.parametrize(
    "change",
    [
        {"move_event": {"id": "purge-leningrad", "date": "1922-08"}},
        {"modify_event": {"id": "purge-leningrad", "set": {"functionaries": 8000}}},
    ],
    ids=["moved", "modified"],
)
def test_a_moved_or_modified_decision_acts_in_free_mode(small_scenario, change):
    changed = apply_changes(small_scenario, [change], "test")
    (event,) = [e for e in changed.events if e.id == "purge-leningrad"]
    assert event.intervention
    base, log = events(small_scenario), events(changed)
    assert "purge-leningrad" not in set(base["event_id"])
    assert set(log.loc[log["event_id"] == "purge-leningrad", "date"]) == {str(event.date)}
    loyalty = [
        PartyModel(scenario, seed=SEED, mode=Mode.FREE).run()["loyalty"]
        for scenario in (small_scenario, changed)
    ]
    assert not loyalty[0].equals(loyalty[1])


def test_a_reworded_decision_stays_the_leaders_to_make_in_free_mode(small_scenario):
    # Telling a decision otherwise (its description, citation, label, the motion's words)
    # is not an intervention: the leaders still decide it in free mode.
    words = {"description": "Told otherwise.", "source": "another", "label": "Purge"}
    reworded = apply_changes(
        small_scenario, [{"modify_event": {"id": "purge-leningrad", "set": words}}], "test"
    )
    (event,) = [e for e in reworded.events if e.id == "purge-leningrad"]
    assert not event.intervention and event.description == "Told otherwise."
    assert events(reworded).equals(events(small_scenario))
    both = {**words, "functionaries": 8000}
    changed = apply_changes(
        small_scenario, [{"modify_event": {"id": "purge-leningrad", "set": both}}], "test"
    )
    assert [e.intervention for e in changed.events if e.id == "purge-leningrad"] == [True]


def test_a_dropped_decision_changes_replay_only(small_scenario):
    dropped = apply_changes(small_scenario, [{"drop_event": "purge-leningrad"}], "test")
    for mode in Mode:
        same = events(dropped, mode).equals(events(small_scenario, mode))
        assert same is (mode is Mode.FREE), mode


def test_a_branch_replays_history_before_its_month_and_decides_after(baseline):
    branched = apply_changes(baseline, [{"set": {"free_from": "1924-05"}}], "--free-from 1924-05")
    for seed in (1, 2, 3):
        log = events(branched, seed=seed)
        model_dates = log.loc[log["origin"] == "model", "date"]
        assert len(model_dates) and model_dates.min() >= "1924-05"
        decisions = {e.id for e in baseline.events if e.kind == "decision"}
        scenario_decisions = log[(log["origin"] == "scenario") & log["event_id"].isin(decisions)]
        assert scenario_decisions["date"].max() < "1924-05"
        assert scenario_decisions["date"].min() < "1923-01"  # history was replayed
    replayed = PartyModel(baseline, seed=1, mode=Mode.REPLAY).run()["trajectories"]
    for mode in Mode:  # free_from overrides the mode
        branch = PartyModel(branched, seed=1, mode=mode).run()["trajectories"]
        earlier = branch["date"] < "1924-05"
        assert branch[earlier].equals(replayed[replayed["date"] < "1924-05"])
        assert (
            not branch[~earlier]
            .reset_index(drop=True)
            .equals(replayed[replayed["date"] >= "1924-05"].reset_index(drop=True))
        )


def test_a_branch_inherits_the_body_history_enlarged(baseline):
    """The Politburo of nine (January 1926) keeps nine seats for the model to fill."""
    branched = apply_changes(baseline, [{"set": {"free_from": "1926-02"}}], "--free-from 1926-02")
    model = PartyModel(branched, seed=SEED, mode=Mode.FREE)
    politburo = model.post_index["politburo"]
    while model.step_index < model.free_from:
        model.step()
    members = (model.holds[:, politburo] & model.alive).sum()
    assert members == 9 and model.seats[politburo] == members  # the scenario says seven
    unbranched = PartyModel(baseline, seed=SEED, mode=Mode.FREE)
    unbranched.step()
    assert unbranched.seats[politburo] == 7  # the settlement's five and two elected


def test_a_branch_after_a_replayed_failure_finds_no_one_set_against_the_blamer(baseline):
    """History shared the grain failure of 1925 between two offices and chose no scapegoat.

    Until the replay set the head of government against the General Secretary for it, a
    branch from February 1926 found Rykov aggrieved (0.74) and condemned the Right in 40% of
    runs (18% in free mode).
    """
    branched = apply_changes(baseline, [{"set": {"free_from": "1926-02"}}], "--free-from 1926-02")
    model = PartyModel(branched, seed=SEED, mode=Mode.FREE)
    rykov, stalin = model.leader_index["rykov"], model.leader_index["stalin"]
    while model.step_index < model.free_from - 1:
        model.step()
    assert model.grievance[rykov, stalin] == 0.0
    assert model.grievance[model.leader_index["zinoviev"], stalin] > 0.1  # his grievances stay


@pytest.mark.parametrize(
    ("month", "faction"), [("1923-11", "left_opposition"), ("1926-02", "new_opposition")]
)
def test_a_branch_keeps_the_factions_history_formed_until_their_ties_break(
    baseline, month, faction
):
    """Replay declares factions on history's dates, whatever their members' ties by then.

    The model judged them by its own measure in the branch's first month and dissolved them
    for ties that had never grown: the Left a month after the Declaration of the 46 in 485
    branches of 500, the New Opposition after the 14th Congress in all 500.
    """
    branched = apply_changes(baseline, [{"set": {"free_from": month}}], f"--free-from {month}")
    model = PartyModel(branched, seed=SEED, mode=Mode.FREE)
    f = model.faction_by_id[faction].index
    while model.step_index < model.free_from - 1:
        model.step()
    assert model.faction_active[f] and not model.cohesion[f] > model.parameters.faction_threshold
    model.step()  # the branch's first month
    assert model.faction_active[f]


def test_a_branch_from_the_first_month_is_free_mode(small_scenario):
    branched = apply_changes(small_scenario, [{"set": {"free_from": "1922-04"}}], "test")
    free = PartyModel(small_scenario, seed=SEED, mode=Mode.FREE).run()
    for mode in Mode:
        run = PartyModel(branched, seed=SEED, mode=mode).run()
        assert run["trajectories"].equals(free["trajectories"])
        assert run["events"].equals(free["events"])


def test_a_branch_outside_the_period_is_refused(small_scenario):
    with pytest.raises(ScenarioError, match=r"free_from: 1924-05 is outside the period"):
        apply_changes(small_scenario, [{"set": {"free_from": "1924-05"}}], "--free-from 1924-05")
