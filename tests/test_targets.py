"""Targets files are validated against the scenario; runs are scored against them."""

import numpy as np
import pytest
from conftest import ROOT

from calibration.score import RunLogs, ensemble_table, score_run
from calibration.targets import load_targets
from simulation.calendar import Month
from simulation.scenario import ScenarioError

TARGETS = ROOT / "calibration" / "targets.yaml"


def write(tmp_path, text):
    path = tmp_path / "targets.yaml"
    path.write_text(text)
    return path


def test_the_targets_file_validates_against_the_baseline(baseline):
    targets = load_targets(TARGETS, baseline).targets
    assert {t.id for t in targets} >= {
        "stalin-keeps-general-secretary",
        "rykov-succeeds-lenin",
        "trotsky-leaves-army",
        "opposition-condemned-1924",
        "leningrad-opposition-crushed",
        "leningrad-purged",
        "zinoviev-off-politburo",
        "kamenev-off-politburo",
        "trotsky-defeated-first",
    }


def test_an_unknown_leader_is_refused_with_file_line_and_field(tmp_path, baseline):
    path = write(
        tmp_path,
        "targets:\n"
        "  - id: x\n"
        "    kind: leaves_post\n"
        "    leader: trotksy\n"
        "    post: war_commissar\n"
        "    date: 1925-01\n"
        "    source: test\n",
    )
    with pytest.raises(
        ScenarioError, match=r"targets.yaml:4: targets\[0\]\.leader: unknown leader 'trotksy'"
    ):
        load_targets(path, baseline)


def test_an_unknown_post_is_refused(tmp_path, baseline):
    path = write(
        tmp_path,
        "targets:\n"
        "  - {id: x, kind: leaves_post, leader: trotsky, post: army, date: 1925-01,\n"
        "     source: test}\n",
    )
    with pytest.raises(ScenarioError, match=r"targets\[0\]\.post: unknown post 'army'"):
        load_targets(path, baseline)


def test_an_unknown_kind_is_refused(tmp_path, baseline):
    path = write(tmp_path, "targets:\n  - {id: x, kind: prophecy, source: test}\n")
    with pytest.raises(ScenarioError, match=r"targets\[0\]"):
        load_targets(path, baseline)


def logs(tenures=(), votes=(), purges=()):
    return RunLogs(list(tenures), list(votes), list(purges), Month(1922, 4), Month(1926, 12))


def vote(date, arena, target, votes_for, votes_against, carried=True):
    return {
        "date": date,
        "arena": arena,
        "target": target,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "carried": carried,
    }


@pytest.fixture
def targets(baseline):
    return {t.id: t for t in load_targets(TARGETS, baseline).targets}


def test_leaving_a_post_is_timed(targets):
    target = targets["trotsky-leaves-army"]
    early = score_run([target], logs([("trotsky", "war_commissar", "1922-04", "1924-06")]))
    on_time = score_run([target], logs([("trotsky", "war_commissar", "1922-04", "1925-02")]))
    never = score_run([target], logs([("trotsky", "war_commissar", "1922-04", None)]))
    assert not early[target.id].hit and early[target.id].timing_error == 7
    assert on_time[target.id].hit and on_time[target.id].timing_error == 1
    assert not never[target.id].hit


def test_losing_a_seat_by_a_deadline(targets):
    target = targets["zinoviev-off-politburo"]
    assert score_run([target], logs([("zinoviev", "politburo", "1922-04", "1926-01")]))[
        target.id
    ].hit
    late = score_run([target], logs([("zinoviev", "politburo", "1922-04", "1926-10")]))
    assert not late[target.id].hit and late[target.id].timing_error == 3


def test_succession_must_not_go_to_the_rival(targets):
    target = targets["rykov-succeeds-lenin"]
    lenin = ("lenin", "sovnarkom_chair", "1922-04", "1924-01")
    good = logs([lenin, ("rykov", "sovnarkom_chair", "1924-02", None)])
    bad = logs([lenin, ("kamenev", "sovnarkom_chair", "1924-02", None)])
    assert score_run([target], good)[target.id].hit
    assert not score_run([target], bad)[target.id].hit


def test_condemnation_needs_a_large_majority(targets):
    target = targets["opposition-condemned-1924"]
    large = logs(votes=[vote("1924-01", "conference", "trotsky;radek", 120, 8)])
    narrow = logs(votes=[vote("1924-01", "conference", "trotsky;radek", 70, 58)])
    score = score_run([target], large)[target.id]
    assert score.hit and score.share_error == pytest.approx(abs(120 / 128 - 0.95))
    assert not score_run([target], narrow)[target.id].hit


def test_purge_and_order(targets):
    purge, order = targets["leningrad-purged"], targets["trotsky-defeated-first"]
    run = logs(
        votes=[
            vote("1924-01", "conference", "trotsky", 120, 8),
            vote("1925-12", "congress", "zinoviev;kamenev", 559, 65),
        ],
        purges=[("1926-01", "leningrad")],
    )
    scores = score_run([purge, order], run)
    assert scores[purge.id].hit and scores[order.id].hit
    reversed_order = logs(
        votes=[
            vote("1923-04", "congress", "zinoviev", 300, 100),
            vote("1924-01", "conference", "trotsky", 120, 8),
        ]
    )
    assert not score_run([order], reversed_order)[order.id].hit


def test_ensemble_table_counts_fractions_and_all(targets):
    target = targets["trotsky-leaves-army"]
    runs = [
        score_run([target], logs([("trotsky", "war_commissar", "1922-04", end)]))
        for end in ("1925-01", "1925-03", "1924-06", None)
    ]
    table = ensemble_table(runs).set_index("target")
    assert table.loc[target.id, "met"] == 0.5
    assert table.loc[target.id, "median_timing_error"] == 2.0
    assert table.loc["ALL", "met"] == 0.5
    assert np.isnan(table.loc["ALL", "median_timing_error"])
