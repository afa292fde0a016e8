"""Outcomes of one run, read from the recorder: summary row, tenures, tables."""

import math

import numpy as np
import pytest
from conftest import SEED

from simulation.experiments.outcomes import (
    EVENT_SCHEMA,
    NO_DOMINANT,
    TENURE_SCHEMA,
    VOTE_SCHEMA,
    congress_sittings,
    initial_holdings,
    outcome_tables,
    run_outcome,
    summary_columns,
)
from simulation.model import Mode, PartyModel
from simulation.scenario import apply_changes
from simulation.scenario.schema import Event


def simulate(scenario, mode=Mode.REPLAY, seed=SEED, run=0):
    model = PartyModel(scenario, seed=seed, mode=mode, run=run)
    while model.running:
        model.step()
    return model


@pytest.fixture
def replayed(small_scenario):
    return simulate(small_scenario)


def test_trotsky_leaves_the_war_commissariat_in_february_1923(replayed):
    outcome = run_outcome(replayed)
    assert ("trotsky", "war_commissar", "1922-04", "1923-02") in outcome.tenures
    assert outcome.summary["left_trotsky_war_commissar"] == 10  # 1922-04 + 10 months


def test_lenins_posts_end_at_his_death(replayed):
    outcome = run_outcome(replayed)
    lenin = [tenure for tenure in outcome.tenures if tenure[0] == "lenin"]
    assert lenin == [
        ("lenin", "politburo", "1922-04", "1923-01"),
        ("lenin", "sovnarkom_chair", "1922-04", "1923-01"),
    ]
    assert outcome.summary["left_lenin_politburo"] == 9
    assert outcome.summary["left_lenin_sovnarkom_chair"] == 9


def test_posts_held_at_the_end_have_no_end_and_no_left_month(replayed):
    outcome = run_outcome(replayed)
    assert ("stalin", "general_secretary", "1922-04", None) in outcome.tenures
    assert math.isnan(outcome.summary["left_zinoviev_leningrad_party_head"])
    assert math.isnan(outcome.summary["left_stalin_politburo"])


def test_a_candidate_made_full_member_has_not_left_but_one_demoted_has(baseline):
    """A promotion ends the candidacy's tenure without counting as leaving it."""
    outcome = run_outcome(simulate(baseline))
    assert ("bukharin", "politburo_candidate", "1922-04", "1924-06") in outcome.tenures
    assert ("bukharin", "politburo", "1924-06", None) in outcome.tenures
    assert math.isnan(outcome.summary["left_bukharin_politburo_candidate"])
    assert ("kamenev", "politburo", "1922-04", "1926-01") in outcome.tenures
    assert outcome.summary["left_kamenev_politburo"] == 45  # 1922-04 + 45 months: demoted


def test_tenures_cover_exactly_the_months_each_post_is_held(replayed):
    """Expanded month by month, the spells give back the run's own posts frame."""
    outcome = run_outcome(replayed)
    dates = replayed.recorder.dates
    held = set()
    for leader, post, start, end in outcome.tenures:
        stop = dates.index(end) if end is not None else len(dates)
        held |= {(date, leader, post) for date in dates[dates.index(start) : stop]}
    posts = replayed.recorder.result()["posts"]
    assert held == set(zip(posts["date"], posts["leader"], posts["post"], strict=True))


def test_summary_columns_follow_the_scenario(small_scenario):
    columns = summary_columns(small_scenario)
    assert columns[:4] == ["run", "seed", "scenario", "dominant"]
    assert [c for c in columns if c.startswith("power_")] == [
        "power_lenin",
        "power_stalin",
        "power_trotsky",
        "power_zinoviev",
    ]
    assert ("trotsky", "war_commissar") in initial_holdings(small_scenario)
    assert "left_trotsky_war_commissar" in columns
    assert "left_stalin_general_secretary" not in columns  # not held at the start
    assert congress_sittings(small_scenario) == ["1922-04"]
    assert columns[-1] == "congress_1922-04_for_share"


def test_final_power_shares_sum_to_one_and_the_dead_hold_none(replayed):
    summary = run_outcome(replayed).summary
    shares = [summary[f"power_{leader}"] for leader in replayed.leader_ids]
    assert sum(shares) == pytest.approx(1.0)
    assert summary["power_lenin"] == 0.0  # dead by the end


@pytest.mark.parametrize(
    ("final_power", "dominant"),
    [
        # Leaders in scenario order: lenin, stalin, trotsky, zinoviev.
        ([0.0, 0.2, 0.5, 0.3], "trotsky"),
        # A tie at the top, or no one holding power, names no one: the first in the file
        # took it, so that reversing the list of leaders reversed the outcome.
        ([0.0, 0.45, 0.1, 0.45], NO_DOMINANT),
        ([0.0, 0.0, 0.0, 0.0], NO_DOMINANT),
        ([0.0, 0.1, 0.2, 0.7], "zinoviev"),  # the highest share, not the most posts
    ],
)
def test_dominant_is_read_from_the_final_months_power_shares(replayed, final_power, dominant):
    assert replayed.leader_ids == ["lenin", "stalin", "trotsky", "zinoviev"]
    replayed.recorder.power[-1] = final_power  # a hand-made final month
    replayed.recorder.power[-2] = final_power[::-1]  # an earlier month does not count
    summary = run_outcome(replayed).summary
    assert summary["dominant"] == dominant
    assert [summary[f"power_{leader}"] for leader in replayed.leader_ids] == final_power


def test_congress_share_sums_the_motions_of_the_sitting(small_scenario):
    assert math.isnan(run_outcome(simulate(small_scenario)).summary["congress_1922-04_for_share"])
    motions = [
        Event(
            id=f"motion-{number}",
            date="1922-04",
            type="resolution",
            kind="decision",
            arena="congress",
            who=["stalin"],
            target=["trotsky"],
            motion=f"Motion {number}",
            description="A motion.",
            source="test",
        )
        for number in (1, 2)
    ]
    scenario = small_scenario.model_copy(update={"events": small_scenario.events + motions})
    model = simulate(scenario)
    congress = [vote for vote in model.vote_log if vote[1] == "congress"]
    assert len(congress) == 2
    votes_for = sum(vote[5] for vote in congress)
    votes_cast = votes_for + sum(vote[6] for vote in congress)
    share = run_outcome(model).summary["congress_1922-04_for_share"]
    assert share == pytest.approx(votes_for / votes_cast)


def test_outcome_tables_are_typed_and_in_run_order(small_scenario):
    outcomes = [
        run_outcome(simulate(small_scenario, mode, seed=seed, run=run))
        for run, (mode, seed) in enumerate([(Mode.REPLAY, 1), (Mode.FREE, 2), (Mode.REPLAY, 3)])
    ]
    tables = outcome_tables(small_scenario, outcomes, trajectories=True)
    assert tables["summary"].column("run").to_pylist() == [0, 1, 2]
    assert tables["summary"].column("seed").to_pylist() == [1, 2, 3]
    assert tables["summary"].schema.names == summary_columns(small_scenario)
    assert tables["tenures"].schema == TENURE_SCHEMA
    assert tables["events"].schema == EVENT_SCHEMA
    assert tables["votes"].schema == VOTE_SCHEMA
    tenures = tables["tenures"].to_pandas()
    assert list(tenures.columns) == ["run", "leader", "post", "start", "end"]
    assert tenures["run"].is_monotonic_increasing
    months, leaders = 12, 4
    trajectories = tables["trajectories"].to_pandas()
    assert len(trajectories) == 3 * months * leaders
    first = trajectories[trajectories["run"] == 1]
    assert np.array_equal(first["power"].to_numpy(), outcomes[1].power.ravel())


def test_an_empty_vote_log_still_gives_a_typed_table(small_scenario):
    free = run_outcome(simulate(small_scenario, Mode.FREE))
    free.votes = []
    votes = outcome_tables(small_scenario, [free])["votes"]
    assert votes.num_rows == 0
    assert votes.schema == VOTE_SCHEMA


def test_a_congress_in_the_scenarios_last_month_is_one_of_its_sittings(baseline):
    """Its vote is the default outcome of a study of a period ending with the 14th Congress."""
    later = [event.id for event in baseline.events if str(event.date) > "1925-12"]
    shorter = apply_changes(
        baseline,
        [{"set": {"end": "1925-12"}}, *({"drop_event": event} for event in later)],
        "--set",
    )
    assert congress_sittings(shorter)[-1] == "1925-12"


def test_a_dead_leader_is_not_dominant_whatever_share_is_left_him(replayed):
    replayed.recorder.power[-1] = [0.6, 0.2, 0.1, 0.1]  # Lenin, dead by the end
    assert run_outcome(replayed).summary["dominant"] == "stalin"
