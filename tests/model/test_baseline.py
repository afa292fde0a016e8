"""The baseline scenario replayed: invariants, decisions on their dates, the latent state."""

import numpy as np
import pandas as pd
import pytest
from conftest import SEED

from simulation.calendar import Month
from simulation.model import PartyModel

INVARIANT_SEEDS = range(24)
PARTY_1922 = 532_000


@pytest.fixture(scope="module")
def replay(baseline):
    return PartyModel(baseline, seed=SEED).run()


def frame_at(frame, date, **where):
    rows = frame[frame["date"] == date]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows


def value(result, date, leader, column):
    return frame_at(result["trajectories"], date, leader=leader)[column].iloc[0]


def test_invariants_hold_every_month_of_many_runs(baseline):
    unique = [post for post, spec in baseline.posts.items() if spec.unique]
    for seed in INVARIANT_SEEDS:
        model = PartyModel(baseline, seed=seed)
        while model.running:
            model.step()
            assert ((model.influence >= 0) & (model.influence <= 1)).all()
            assert ((model.apparatus >= 0) & (model.apparatus <= 1)).all()
            assert model.apparatus.sum() <= 1 + 1e-9
            assert (model.loyalty.sum(axis=1) <= 1 + 1e-9).all()
            for post in unique:
                assert model.holders(post).size <= 1, (seed, str(model.month), post)
            assert not model.holds[~model.alive].any(), (seed, str(model.month))
            assert model.power.sum() == pytest.approx(1.0)


def test_replay_applies_every_event_on_its_date(baseline, replay):
    logged = replay["events"].query("origin == 'scenario'")
    logged_pairs = set(zip(logged["event_id"], logged["date"], strict=True))
    for event in baseline.events:
        assert (event.id, str(event.date)) in logged_pairs, event.id


def test_replay_reproduces_every_personnel_decision(baseline, replay):
    posts = replay["posts"]
    held = set(zip(posts["date"], posts["leader"], posts["post"], strict=True))
    by_month: dict[str, list] = {}
    for event in baseline.events:
        by_month.setdefault(str(event.date), []).append(event)
    for date, events in by_month.items():
        final: dict[tuple[str, str], bool] = {}
        for event in events:  # the last decision in a month on a (leader, post) stands
            for who in event.who:
                if event.type == "appointment":
                    final[(who, event.post)] = True
                elif event.type in ("removal", "demotion"):
                    final[(who, event.post)] = False
                if event.type == "demotion":
                    final[(who, event.to_post)] = True
        for (who, post), holds in final.items():
            assert ((date, who, post) in held) == holds, (date, who, post)


def test_votes_are_recorded_with_their_arena_sizes(baseline, replay):
    votes = replay["votes"]
    motions = [event for event in baseline.events if event.arena is not None]
    assert len(votes) == len(motions)
    sittings = {
        (str(e.date), e.type.value): e.delegates
        for e in baseline.events
        if e.type in ("congress", "conference", "plenum")
    }
    for vote in votes.itertuples():
        if vote.arena != "politburo":
            assert vote.votes_for + vote.votes_against == sittings[(vote.date, vote.arena)]


def test_stalin_builds_the_largest_apparatus(replay):
    start = value(replay, "1922-04", "stalin", "apparatus")
    end = value(replay, "1926-12", "stalin", "apparatus")
    assert end > 2 * start
    final = frame_at(replay["trajectories"], "1926-12")
    assert final.loc[final["apparatus"].idxmax(), "leader"] == "stalin"


def test_stalin_ends_with_the_largest_power_share(replay):
    final = frame_at(replay["trajectories"], "1926-12")
    assert final.loc[final["power"].idxmax(), "leader"] == "stalin"


def test_trotsky_loses_standing_while_away(replay):
    before = value(replay, "1923-10", "trotsky", "influence")
    during = value(replay, "1924-04", "trotsky", "influence")
    assert during < before - 0.1


def test_the_leningrad_purge_breaks_zinovievs_hold(replay):
    loyalty = replay["loyalty"]

    def share(date, leader):
        rows = frame_at(loyalty, date, organisation="leningrad", leader=leader)
        return rows["loyalty"].sum()

    assert share("1925-12", "zinoviev") > 0.3
    assert share("1926-01", "zinoviev") < 0.5 * share("1925-12", "zinoviev")


def test_the_lenin_enrolment_brings_its_200000(replay):
    totals = replay["membership"].groupby("date")[["members", "recruits"]].sum()
    assert totals.loc["1924-01", "recruits"] == 0
    # 50,000 a month from February to May, less attrition, plus the continuing intake from June.
    assert totals.loc["1924-05", "recruits"] == pytest.approx(200_000 * 0.985, rel=0.02)


def test_membership_meets_the_chapters_1927_figures(baseline):
    """Half again the 1922 size by mid-1927, with 60% admitted since 1924 (§ after Lenin)."""
    extended = baseline.model_copy(update={"end": Month(1927, 6)})
    model = PartyModel(extended, seed=SEED)
    model.run()
    assert model.members.sum() / PARTY_1922 == pytest.approx(1.5, abs=0.05)
    assert model.recruits.sum() / model.members.sum() == pytest.approx(0.6, abs=0.03)


def test_the_dead_stay_dead_and_hold_nothing(replay):
    trajectories = replay["trajectories"]
    for leader in ("lenin", "frunze", "dzerzhinsky"):
        alive = trajectories[trajectories["leader"] == leader]["alive"].to_numpy()
        assert not alive[-1]
        assert np.all(np.diff(alive.astype(int)) <= 0)  # never revived
    posts = replay["posts"]
    dead = trajectories.loc[~trajectories["alive"], ["date", "leader"]]
    assert pd.merge(posts, dead, on=["date", "leader"]).empty
