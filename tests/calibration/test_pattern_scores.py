"""Each pattern kind scored on tiny hand-made runs: a hit, a miss, a month error of k months."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from calibration.pattern_scores import (
    PatternLogs,
    joint_scores,
    pattern_table,
    politburo_post,
    score_frame,
    score_run,
)
from calibration.patterns import Patterns, Role
from simulation.calendar import Month

LEADERS = ["stalin", "trotsky", "zinoviev"]
START = Month(1922, 4)
MONTHS = 12  # 1922-04 .. 1923-03


def logs(
    tenures=(), votes=(), affinity=None, factions=None, grievance=None, stance=None
) -> PatternLogs:
    """A run of three leaders over twelve months; pairs (s,t), (s,z), (t,z)."""
    return PatternLogs(
        tenures=list(tenures),
        votes=list(votes),
        leader_ids=LEADERS,
        start=START,
        affinity=np.zeros((MONTHS, 3)) if affinity is None else affinity,
        grievance=np.zeros((MONTHS, 3, 2)) if grievance is None else grievance,
        factions_formed=factions or {},
        stance=np.zeros((MONTHS, 3, 2)) if stance is None else stance,
        politburo="politburo",
    )


def pattern(**fields):
    """One validated pattern (role fit, a test citation)."""
    data = {"id": "p", "role": "fit", "source": "test", **fields}
    return Patterns.model_validate({"patterns": [data]}).patterns[0]


def test_holds_a_post_at_a_date_with_a_tolerance():
    run = logs([("trotsky", "war_commissar", "1922-04", "1922-10")])  # held 1922-04..09
    assert score_run(
        [pattern(kind="holds", leader="trotsky", post="war_commissar", date="1922-06")], run
    )["p"].hit
    late = pattern(kind="holds", leader="trotsky", post="war_commissar", date="1922-12")
    score = score_run([late], run)["p"]
    assert not score.hit and score.error == 3  # last held 1922-09, three months short
    widened = late.model_copy(update={"tolerance": 3})
    assert score_run([widened], run)["p"].hit


def test_succession_is_timed_and_must_go_to_the_named_leader():
    spells = [
        ("trotsky", "war_commissar", "1922-04", "1922-08"),
        ("zinoviev", "war_commissar", "1922-10", None),
    ]
    hit = pattern(
        kind="succeeds",
        leader="zinoviev",
        post="war_commissar",
        after="1922-05",
        date="1922-09",
        tolerance=1,
    )
    assert score_run([hit], logs(spells))["p"].hit
    assert score_run([hit], logs(spells))["p"].error == 1
    wrong_man = hit.model_copy(update={"leader": "stalin"})
    assert not score_run([wrong_man], logs(spells))["p"].hit
    two_late = hit.model_copy(update={"date": Month(1922, 7)})
    score = score_run([two_late], logs(spells))["p"]
    assert not score.hit and score.error == 3


def test_a_succession_may_name_one_headship_under_two_titles():
    # The chair is abolished: Bukharin leads without the title, or a run gives him the chair.
    spells = [("zinoviev", "comintern_chair", "1922-04", "1926-07")]
    either = pattern(
        kind="succeeds",
        leader="bukharin",
        post=["comintern_leader", "comintern_chair"],
        after="1926-01",
        date="1926-09",
        tolerance=3,
    )
    for post in ("comintern_leader", "comintern_chair"):
        run = logs([*spells, ("bukharin", post, "1926-07", None)])
        assert score_run([either], run)["p"].hit
    # Someone else took the chair first: Bukharin did not succeed.
    run = logs(
        [
            *spells,
            ("radek", "comintern_chair", "1926-07", None),
            ("bukharin", "comintern_leader", "1926-08", None),
        ]
    )
    assert not score_run([either], run)["p"].hit


def test_removal_month_error_and_a_removal_that_never_comes():
    spells = [("trotsky", "politburo", "1922-04", "1923-01")]
    removal = pattern(
        kind="removal", leader="trotsky", post="politburo", date="1922-11", tolerance=1
    )
    score = score_run([removal], logs(spells))["p"]
    assert not score.hit and score.error == 2
    assert score_run([removal.model_copy(update={"tolerance": 2})], logs(spells))["p"].hit
    kept = [("trotsky", "politburo", "1922-04", None)]
    never = score_run([removal], logs(kept))["p"]
    assert not never.hit and np.isnan(never.error)


def test_politburo_overlap_is_jaccard_and_size_counts_seats():
    spells = [
        ("stalin", "politburo", "1922-04", None),
        ("trotsky", "politburo", "1922-04", "1922-09"),
        ("zinoviev", "politburo", "1922-06", None),
    ]
    members = pattern(
        kind="politburo", date="1922-12", members=["stalin", "trotsky"], min_overlap=0.5
    )
    score = score_run([members], logs(spells))["p"]
    # at 1922-12: {stalin, zinoviev} against {stalin, trotsky}: 1 shared of 3
    assert score.value == pytest.approx(1 / 3) and not score.hit
    assert score_run([members.model_copy(update={"date": Month(1922, 7)})], logs(spells))[
        "p"
    ].value == pytest.approx(2 / 3)
    size = pattern(kind="politburo_size", date="1922-05", size=3, tolerance=0)
    assert score_run([size], logs(spells))["p"].value == 2  # zinoviev not yet in
    assert not score_run([size], logs(spells))["p"].hit
    assert score_run([size.model_copy(update={"tolerance": 1})], logs(spells))["p"].hit


def test_the_politburo_is_the_post_that_votes_in_it_whatever_its_id(baseline):
    assert politburo_post(baseline) == "politburo"
    posts = {("p7" if name == "politburo" else name): p for name, p in baseline.posts.items()}
    assert politburo_post(baseline.model_copy(update={"posts": posts})) == "p7"
    spells = [("stalin", "p7", "1922-04", None), ("trotsky", "p7", "1922-04", None)]
    members = pattern(kind="politburo", date="1922-12", members=["stalin", "trotsky"])
    run = logs(spells)
    assert not score_run([members], run)["p"].hit  # read off a post named politburo
    assert score_run([members], replace(run, politburo="p7"))["p"].hit


def test_spared_until_a_carried_verdict_of_condemnation_names_him():
    def verdict(date, motion="condemnation of trotsky;zinoviev", carried=True):
        return {
            "date": date,
            "arena": "conference",
            "motion": motion,
            "target": "trotsky;zinoviev",
            "votes_for": 90,
            "votes_against": 10,
            "carried": carried,
        }

    spared = pattern(kind="spared", leader="zinoviev", date="1923-01")
    assert score_run([spared], logs())["p"].hit
    assert not score_run([spared], logs(votes=[verdict("1922-11")]))["p"].hit
    assert score_run([spared], logs(votes=[verdict("1923-02")]))["p"].hit  # after the date
    assert score_run([spared], logs(votes=[verdict("1922-11", carried=False)]))["p"].hit
    removal = verdict("1922-11", motion="removal of trotsky;zinoviev")
    assert score_run([spared], logs(votes=[removal]))["p"].hit  # named, but not condemned
    stalin = pattern(kind="spared", leader="stalin", date="1923-01")
    assert score_run([stalin], logs(votes=[verdict("1922-11")]))["p"].hit


def test_a_vote_needs_a_carried_motion_naming_the_target_and_a_small_opposition():
    def vote(date, against, carried=True, target="trotsky"):
        return {
            "date": date,
            "arena": "conference",
            "target": target,
            "votes_for": 100 - against,
            "votes_against": against,
            "carried": carried,
        }

    condemned = pattern(
        kind="vote", arena="conference", target="trotsky", date="1923-01", max_opposition=0.25
    )
    score = score_run([condemned], logs(votes=[vote("1923-01", 10)]))["p"]
    assert score.hit and score.value == pytest.approx(0.10)
    assert not score_run([condemned], logs(votes=[vote("1923-01", 40)]))["p"].hit
    assert not score_run([condemned], logs(votes=[vote("1923-01", 10, carried=False)]))["p"].hit
    assert not score_run([condemned], logs(votes=[vote("1923-01", 10, target="stalin")]))["p"].hit
    early = score_run([condemned], logs(votes=[vote("1922-11", 10)]))["p"]
    assert not early.hit  # two months early: outside a tolerance of 0
    late_ok = condemned.model_copy(update={"tolerance": 2})
    score = score_run([late_ok], logs(votes=[vote("1922-11", 10)]))["p"]
    assert score.hit and score.error == 2


def test_alignment_reads_the_sign_of_the_pair_at_the_date():
    affinity = np.zeros((MONTHS, 3))
    affinity[:, 1] = np.linspace(0.5, -0.5, MONTHS)  # stalin-zinoviev: close, then hostile
    close = pattern(kind="alignment", leaders=["zinoviev", "stalin"], date="1922-05", sign="close")
    assert score_run([close], logs(affinity=affinity))["p"].hit
    late = close.model_copy(update={"date": Month(1923, 2)})
    assert not score_run([late], logs(affinity=affinity))["p"].hit
    hostile = late.model_copy(update={"sign": "hostile"})
    score = score_run([hostile], logs(affinity=affinity))["p"]
    assert score.hit and score.value == pytest.approx(affinity[10, 1])


def test_grievance_reads_one_direction_of_the_pair_at_the_date():
    grievance = np.zeros((MONTHS, 3, 2))
    grievance[:, 1, 1] = np.linspace(0.0, 0.3, MONTHS)  # zinoviev against stalin, growing
    resents = pattern(
        kind="grievance", leaders=["zinoviev", "stalin"], date="1923-02", at_least=0.2
    )
    score = score_run([resents], logs(grievance=grievance))["p"]
    assert score.hit and score.value == pytest.approx(grievance[10, 1, 1])
    early = resents.model_copy(update={"date": Month(1922, 6)})
    assert not score_run([early], logs(grievance=grievance))["p"].hit
    backwards = resents.model_copy(update={"leaders": ["stalin", "zinoviev"]})
    assert not score_run([backwards], logs(grievance=grievance))["p"].hit  # he holds none


def test_position_reads_one_axis_of_one_leader_at_the_date_strictly():
    stance = np.zeros((MONTHS, 3, 2))
    stance[:, 1, 1] = np.linspace(0.3, -0.8, MONTHS)  # trotsky's regime: centraliser to democrat
    stance[:, 1, 0] = -0.6  # his economics do not move
    turned = pattern(kind="position", leader="trotsky", axis="regime", below=0.0, date="1923-02")
    score = score_run([turned], logs(stance=stance))["p"]
    assert score.hit and score.value == pytest.approx(stance[10, 1, 1])
    assert np.isnan(score.error)  # untimed
    early = turned.model_copy(update={"date": Month(1922, 6)})
    assert not score_run([early], logs(stance=stance))["p"].hit
    economic = turned.model_copy(update={"axis": "economic", "date": Month(1922, 6)})
    assert score_run([economic], logs(stance=stance))["p"].value == pytest.approx(-0.6)
    someone_else = turned.model_copy(update={"leader": "stalin"})
    assert not score_run([someone_else], logs(stance=stance))["p"].hit  # at 0.0: not below
    above = pattern(kind="position", leader="trotsky", axis="regime", above=0.0, date="1922-06")
    assert score_run([above], logs(stance=stance))["p"].hit
    assert not score_run([above.model_copy(update={"above": 0.3})], logs(stance=stance))["p"].hit
    kept_none = score_run([turned], logs(stance=np.full((MONTHS, 3, 2), np.nan)))["p"]
    assert not kept_none.hit and np.isnan(kept_none.value)


def test_faction_formation_is_timed():
    forms = pattern(kind="faction", faction="troika", date="1922-08", tolerance=1)
    score = score_run([forms], logs(factions={"troika": "1922-11"}))["p"]
    assert not score.hit and score.error == 3
    assert score_run([forms], logs(factions={"troika": "1922-09"}))["p"].hit
    assert not score_run([forms], logs(factions={"troika": None}))["p"].hit


def test_the_table_gives_hit_shares_error_quantiles_and_joint_scores():
    holds = pattern(kind="holds", leader="trotsky", post="war_commissar", date="1922-06")
    forms = pattern(kind="faction", faction="troika", date="1922-08").model_copy(
        update={"id": "q", "role": Role.HOLD_OUT}
    )
    runs = [
        logs([("trotsky", "war_commissar", "1922-04", None)], factions={"troika": "1922-08"}),
        logs([("trotsky", "war_commissar", "1922-04", "1922-05")], factions={"troika": None}),
    ]
    patterns = [holds, forms]
    scores = score_frame(patterns, [score_run(patterns, run) for run in runs])
    table = pattern_table(patterns, scores)
    assert table.set_index("pattern")["hit"].to_dict() == {"p": 0.5, "q": 0.5}
    assert table.set_index("pattern").loc["p", "error_median"] == pytest.approx(1.0)
    assert list(table["role"]) == ["fit", "hold_out"]
    assert joint_scores(table) == {"all": 0.5, "offices": 0.5, "factions": 0.5}
    assert isinstance(scores, pd.DataFrame) and len(scores) == 4
