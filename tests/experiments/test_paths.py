"""Paths: the order in which an ensemble's runs condemned the contenders, and who ended on top."""

import pandas as pd
import pytest
from conftest import BASELINE

from simulation.cli import main
from simulation.experiments.paths import (
    NO_VERDICT,
    contenders,
    history_line,
    history_path,
    path_table,
    run_paths,
)
from simulation.scenario import load_scenario

VOTE_COLUMNS = ["run", "date", "motion", "target", "carried"]
EVENT_COLUMNS = ["run", "date", "event_id", "type", "origin"]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def _votes(*rows):
    return pd.DataFrame(rows, columns=VOTE_COLUMNS)


def _events(*rows):
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def test_the_contenders_are_the_periods_politburo_members(baseline):
    # Seated in April 1922, or given a seat by an event of the scenario; not the
    # candidates, the signatories of 1923 or the widow.
    assert contenders(baseline) == [
        "lenin",
        "stalin",
        "trotsky",
        "zinoviev",
        "kamenev",
        "bukharin",
        "rykov",
        "tomsky",
        "molotov",
        "kalinin",
        "voroshilov",
        "rudzutak",
    ]


def test_historys_path_is_read_from_the_scenarios_verdicts(baseline):
    # Trotsky's of 1923-24 (with the signatories, who are no contenders), then Zinoviev's
    # and Kamenev's at the 14th Congress; the later verdicts on them are not first ones.
    assert history_path(baseline) == "trotsky → kamenev+zinoviev"


def test_a_path_is_the_order_of_first_verdicts_and_the_runs_end(baseline):
    votes = _votes(
        # run 0: history's order, Trotsky condemned twice, Zinoviev and Kamenev in one month
        # at two sittings, a signatory beside Trotsky
        (0, "1924-01", "condemnation of trotsky;pyatakov", "trotsky;pyatakov", True),
        (0, "1924-05", "condemnation of trotsky", "trotsky", True),
        (0, "1925-12", "condemnation of zinoviev", "zinoviev", True),
        (0, "1925-12", "condemnation of kamenev", "kamenev", True),
        # run 1: a motion that failed, a campaign and a scenario text are no verdicts
        (1, "1924-01", "condemnation of stalin", "stalin", False),
        (1, "1924-02", "campaign of trotsky", "trotsky", True),
        (1, "1924-03", "The plenum condemns nothing of note", "trotsky", True),
        (1, "1925-01", "condemnation of zinoviev;kamenev", "zinoviev;kamenev", True),
        (1, "1926-01", "condemnation of trotsky", "trotsky", True),
        # run 3: history's order again, with another end
        (3, "1923-10", "condemnation of trotsky", "trotsky", True),
        (3, "1926-01", "condemnation of kamenev;zinoviev", "kamenev;zinoviev", True),
    )
    summary = pd.DataFrame({"run": [0, 1, 2, 3], "dominant": ["stalin"] * 3 + ["molotov"]})
    table = path_table(run_paths(summary, votes, _events(), baseline), baseline)
    assert table.to_dict("records") == [
        {
            "path": "kamenev+zinoviev → trotsky",
            "dominant": "stalin",
            "runs": 1,
            "share": 0.25,
            "history": False,
        },
        {"path": NO_VERDICT, "dominant": "stalin", "runs": 1, "share": 0.25, "history": False},
        {
            "path": "trotsky → kamenev+zinoviev",
            "dominant": "molotov",
            "runs": 1,
            "share": 0.25,
            "history": True,
        },
        {
            "path": "trotsky → kamenev+zinoviev",
            "dominant": "stalin",
            "runs": 1,
            "share": 0.25,
            "history": True,
        },
    ]
    line = history_line(table, baseline)
    assert line == (
        "history's order of verdicts (trotsky → kamenev+zinoviev): 50% of runs, the most "
        "common of 3 orders; its commonest end molotov dominant (25% of runs)"
    )


def test_a_branch_counts_the_verdicts_it_replayed(baseline):
    # Before the branch the scenario's verdicts were forced: the event log names them.
    events = _events(
        (0, "1923-10", "october_plenum_censure", "condemnation", "scenario"),
        (0, "1924-01", "conference_13_condemnation", "condemnation", "scenario"),
        (0, "1924-01", "thirteenth_conference", "conference", "scenario"),
    )
    votes = _votes((0, "1925-12", "condemnation of bukharin", "bukharin", True))
    summary = pd.DataFrame({"run": [0], "dominant": ["stalin"]})
    table = path_table(run_paths(summary, votes, events, baseline), baseline)
    assert table["path"].tolist() == ["trotsky → bukharin"]
    assert "in no run; 1 order taken" in history_line(table, baseline)


def test_a_replayed_ensemble_takes_historys_path_in_every_run(tmp_path, capsys):
    out = tmp_path / "replay"
    arguments = ["ensemble", str(BASELINE), "--runs", "4", "--workers", "1", "--quiet"]
    assert main([*arguments, "--mode", "replay", "--out", str(out)]) == 0
    table = pd.read_csv(out / "paths.csv")
    assert table["path"].tolist() == ["trotsky → kamenev+zinoviev"]
    assert table["runs"].tolist() == [4]
    assert table["history"].tolist() == [True]
    assert "(trotsky → kamenev+zinoviev): 100% of runs, the only order taken" in (
        capsys.readouterr().out
    )
