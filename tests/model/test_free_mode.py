"""Free mode: decisions come from the mechanisms, not from the scenario."""

import numpy as np
import pandas as pd
from conftest import SEED

from simulation.experiments.outcomes import run_outcome
from simulation.experiments.runs import run_models
from simulation.experiments.seeds import run_seeds
from simulation.model import Mode, PartyModel
from simulation.scenario import apply_changes
from simulation.scenario.schema import EventKind

RUNS = 12


def free_run(scenario, seed=SEED):
    return PartyModel(scenario, seed=seed, mode=Mode.FREE).run()


def without(scenario, *event_ids):
    events = [event for event in scenario.events if event.id not in event_ids]
    assert len(events) == len(scenario.events) - len(event_ids)
    return scenario.model_copy(update={"events": events})


def test_no_later_decision_is_read_from_the_scenario(baseline):
    later_decisions = [
        event.id
        for event in baseline.events
        if event.kind is EventKind.DECISION and event.date > baseline.start
    ]
    stripped = without(baseline, *later_decisions)
    full, bare = free_run(baseline), free_run(stripped)
    for name in ("trajectories", "posts", "votes", "events"):
        pd.testing.assert_frame_equal(full[name], bare[name], obj=name)
    applied = set(full["events"].query("origin == 'scenario'")["event_id"])
    assert applied.isdisjoint(later_decisions)


def test_decisions_emerge_and_are_logged_as_the_models(baseline):
    result = free_run(baseline)
    model_events = result["events"].query("origin == 'model'")
    assert {"condemnation", "removal", "appointment"} <= set(model_events["type"])
    assert len(result["votes"]) > 0


def test_same_seed_same_free_run(baseline):
    first, second = free_run(baseline, 3), free_run(baseline, 3)
    for name in ("trajectories", "events", "votes"):
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def condemned_in(result, leader, date):
    votes = result["votes"]
    rows = votes[(votes["date"] == date) & votes["carried"] & (votes["arena"] == "conference")]
    return any(leader in str(target).split(";") for target in rows["target"])


def test_lenins_death_opens_the_struggle(baseline):
    """Without Lenin's death (an exogenous event) the January 1924 condemnation never comes."""
    seeds = run_seeds(SEED, RUNS)
    with_death = [condemned_in(free_run(baseline, s), "trotsky", "1924-01") for s in seeds]
    immortal = without(baseline, "lenin_dies")
    without_death = [condemned_in(free_run(immortal, s), "trotsky", "1924-01") for s in seeds]
    assert np.mean(with_death) >= 0.9
    assert np.mean(without_death) == 0.0


def congress_share(result, date):
    votes = result["votes"]
    rows = votes[(votes["date"] == date) & (votes["arena"] == "congress")]
    cast = rows["votes_for"].sum() + rows["votes_against"].sum()
    return rows["votes_for"].sum() / cast if cast else np.nan


def test_the_lenin_enrolment_changes_the_outcomes(baseline):
    seeds = run_seeds(SEED, RUNS)
    enrolment = [free_run(baseline, s) for s in seeds]
    no_enrolment = [free_run(without(baseline, "lenin_enrolment"), s) for s in seeds]
    recruits = [r["membership"].query("date == '1926-12'")["recruits"].sum() for r in enrolment]
    fewer = [r["membership"].query("date == '1926-12'")["recruits"].sum() for r in no_enrolment]
    assert np.mean(fewer) < np.mean(recruits) - 100_000
    shares = [congress_share(r, "1925-12") for r in enrolment]
    other = [congress_share(r, "1925-12") for r in no_enrolment]
    assert not np.allclose(shares, other, equal_nan=True)


def test_chance_changes_some_outcome_of_the_baseline(baseline):
    """Free mode is not deterministic: over paired seeds, some removal comes at another month.

    (Issue 16: a free mode that became fully deterministic would pass every other test.) At
    the fitted point chance moves a removal in about one run in 35 (8 and 9 of 300 with the
    thirty-ninth and thirty-eighth sessions' fits), so 300 runs are asked to find one: 40
    found one by luck with the thirty-eighth's and none with the thirty-ninth's.
    """
    outcomes = [
        run_outcome(model)
        for model in run_models(baseline, range(300), run_seeds(1, 300), Mode.FREE)
    ]
    timings = pd.DataFrame([outcome.summary for outcome in outcomes]).filter(like="left_")
    varying = [column for column in timings if timings[column].nunique(dropna=False) > 1]
    assert varying, "every removal came in the same month in every run"


def test_every_leader_may_move_and_an_aggrieved_opposition_moves_against_the_odds(baseline):
    """Agency is not the dominant leader's alone; the General Secretary can be challenged.

    The fitted leaders move only to win (the fit puts ``move_threshold`` near one half).
    With leaders who consider long shots (a motion expecting 15% of the vote) and feel
    what waiting costs them, the
    chapter's losing oppositions appear: motions moved by several leaders, some of them
    defeated, and at some plenum a motion to take the General Secretary's offices.
    """
    bold = apply_changes(
        baseline,
        [{"set": {"parameters.move_threshold": 0.15, "parameters.waiting_cost": 0.3}}],
        "test",
    )
    models = run_models(bold, range(40), run_seeds(1, 40), Mode.FREE)
    votes = pd.concat([model.recorder.result()["votes"] for model in models])
    decided = votes[~votes["forced"]]
    assert decided["sponsor"].nunique() >= 4
    assert (~decided["carried"]).sum() >= 10
    against_office = decided[
        (decided["arena"] == "plenum") & decided["motion"].str.startswith("removal of")
    ]
    assert (against_office["target"] == "stalin").any()


def test_the_majority_elects_the_senior_candidate_to_lenins_seat(baseline):
    """Lenin's seat goes to the candidate of most standing, though he edits Pravda.

    The model's own co-optation, not the baseline's dated one (free mode reads no
    later decision): Bukharin in June 1924, at the plenum after the 13th Congress, as in
    history, where the rule for offices (a loyal man with no office of his own) gave it
    to Molotov in 298 of 300 posterior runs. Measured on 1,000 posterior runs with the
    committed fits (6 December 2026): Bukharin in 996.
    """
    for seed in run_seeds(SEED, 5):
        events = free_run(baseline, seed)["events"]
        elected = events.query("type == 'appointment' and post == 'politburo'")
        first = elected[elected["date"] > "1924-01"].iloc[0]
        assert (first["date"], first["actor"]) == ("1924-06", "bukharin")


def test_an_office_lost_in_the_last_month_is_a_tenure_ended_then(baseline):
    """Not one still held: Ordzhonikidze leaves the candidates in November 1926."""
    shorter = apply_changes(baseline, [{"set": {"end": "1926-11"}}], "--set")
    tenures = PartyModel(shorter, seed=SEED, mode=Mode.REPLAY).run()["tenures"]
    spell = tenures[
        (tenures["leader"] == "ordzhonikidze") & (tenures["post"] == "politburo_candidate")
    ]
    assert spell[["start", "end"]].values.tolist() == [["1926-07", "1926-11"]]
