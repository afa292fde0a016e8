"""Paths: in what order an ensemble's runs saw the factions come forward and the contenders fall."""

import re

import pandas as pd
import pytest
from conftest import BASELINE

import simulation.experiments.paths as paths_module
from simulation.cli import main
from simulation.experiments.outcomes import NO_DOMINANT
from simulation.experiments.paths import (
    NONE,
    contenders,
    history_lines,
    history_orders,
    history_shares,
    on_historys_path,
    path_table,
    read_path_tables,
    read_run_paths,
    run_paths,
)
from simulation.scenario import load_scenario

VOTE_COLUMNS = ["run", "date", "motion", "target", "carried"]
EVENT_COLUMNS = ["run", "date", "event_id", "type", "origin"]
FACTIONS = "troika → left_opposition → group_of_seven → new_opposition → united_opposition"
VERDICTS = "trotsky → kamenev+zinoviev"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def _votes(*rows):
    return pd.DataFrame(rows, columns=VOTE_COLUMNS)


def _events(*rows):
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def _formed(run, date, *factions):
    """The model's log rows of factions coming forward."""
    return [(run, date, f"faction_formed-{f}", "faction_formed", "model") for f in factions]


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


def test_historys_orders_are_read_from_the_scenarios_events(baseline):
    # Trotsky's verdicts of 1923-24 (with the signatories, who are no contenders), then
    # Zinoviev's and Kamenev's at the 14th Congress; the later verdicts on them are not
    # first ones. The factions in the months they formed.
    assert history_orders(baseline) == {"factions": FACTIONS, "verdicts": VERDICTS}


def test_a_path_is_the_order_of_firsts_and_the_runs_end(baseline):
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
    events = _events(
        # run 0 and run 3: history's factions (the trio again later is not a first)
        *_formed(0, "1923-03", "troika"),
        *_formed(0, "1923-10", "left_opposition"),
        *_formed(0, "1924-06", "group_of_seven"),
        *_formed(0, "1925-01", "troika"),
        *_formed(0, "1925-10", "new_opposition"),
        *_formed(0, "1926-04", "united_opposition"),
        *_formed(3, "1922-09", "troika"),
        *_formed(3, "1923-12", "left_opposition"),
        *_formed(3, "1924-08", "group_of_seven"),
        *_formed(3, "1925-11", "new_opposition"),
        *_formed(3, "1926-07", "united_opposition"),
        # run 1: two at once, and a dissolution, which is no coming forward
        *_formed(1, "1923-03", "troika", "left_opposition"),
        (1, "1925-05", "faction_dissolved-troika", "faction_dissolved", "model"),
    )
    summary = pd.DataFrame({"run": [0, 1, 2, 3], "dominant": ["stalin"] * 3 + ["molotov"]})
    paths = run_paths(summary, votes, events, baseline)
    assert paths.to_dict("records") == [
        {"run": 0, "factions": FACTIONS, "verdicts": VERDICTS, "dominant": "stalin"},
        {
            "run": 1,
            "factions": "left_opposition+troika",
            "verdicts": "kamenev+zinoviev → trotsky",
            "dominant": "stalin",
        },
        {"run": 2, "factions": NONE, "verdicts": NONE, "dominant": "stalin"},
        {"run": 3, "factions": FACTIONS, "verdicts": VERDICTS, "dominant": "molotov"},
    ]
    table = path_table(paths, baseline)
    assert table[["runs", "share", "history"]].to_dict("list") == {
        "runs": [1, 1, 1, 1],
        "share": [0.25] * 4,
        "history": [False, False, True, True],
    }
    assert table["dominant"].tolist()[2:] == ["molotov", "stalin"]
    assert history_lines(table, baseline) == [
        f"history's order of factions ({FACTIONS}): 50% of runs, the most common of 3 orders",
        f"history's order of verdicts ({VERDICTS}): 50% of runs, the most common of 3 orders",
        "history's orders of both: 50% of runs, the most common of 3 pairs; with molotov "
        "dominant at the end, 25% of runs, the most common (tied) of 4 paths",
    ]


def test_a_path_with_no_single_dominant_leader_says_so(baseline):
    summary = pd.DataFrame({"run": [0], "dominant": [NO_DOMINANT]})
    events = _events(
        *_formed(0, "1922-09", "troika"),
        *_formed(0, "1923-12", "left_opposition"),
        *_formed(0, "1924-08", "group_of_seven"),
        *_formed(0, "1925-11", "new_opposition"),
        *_formed(0, "1926-07", "united_opposition"),
    )
    votes = _votes(
        (0, "1923-10", "condemnation of trotsky", "trotsky", True),
        (0, "1926-01", "condemnation of kamenev;zinoviev", "kamenev;zinoviev", True),
    )
    table = path_table(run_paths(summary, votes, events, baseline), baseline)
    assert table["dominant"].tolist() == [NO_DOMINANT]
    assert history_lines(table, baseline)[-1].endswith(
        "with no single leader dominant at the end, 100% of runs, the only one taken"
    )


def test_a_branch_counts_what_it_replayed(baseline):
    # Before the branch the scenario's verdicts and factions were forced: the event log
    # names the events.
    events = _events(
        (0, "1923-03", "troika_formed", "faction_formed", "scenario"),
        (0, "1923-10", "october_plenum_censure", "condemnation", "scenario"),
        (0, "1924-01", "conference_13_condemnation", "condemnation", "scenario"),
        (0, "1924-01", "thirteenth_conference", "conference", "scenario"),
        *_formed(0, "1925-10", "new_opposition"),
    )
    votes = _votes((0, "1925-12", "condemnation of bukharin", "bukharin", True))
    summary = pd.DataFrame({"run": [0], "dominant": ["stalin"]})
    paths = run_paths(summary, votes, events, baseline)
    assert paths.loc[0, "verdicts"] == "trotsky → bukharin"
    assert paths.loc[0, "factions"] == "troika → new_opposition"
    lines = history_lines(path_table(paths, baseline), baseline)
    assert lines[1].endswith("in no run; 1 order taken")


def test_a_replayed_ensemble_takes_historys_path_in_every_run(tmp_path, capsys):
    out = tmp_path / "replay"
    arguments = ["ensemble", str(BASELINE), "--runs", "4", "--workers", "1", "--quiet"]
    assert main([*arguments, "--mode", "replay", "--out", str(out)]) == 0
    table = pd.read_csv(out / "paths.csv")
    assert table[["factions", "verdicts"]].to_dict("records") == [
        {"factions": FACTIONS, "verdicts": VERDICTS}
    ]
    assert table["runs"].tolist() == [4]
    assert table["history"].tolist() == [True]
    printed = capsys.readouterr().out
    assert f"history's order of verdicts ({VERDICTS}): 100% of runs, the only one taken" in printed
    assert f"history's order of factions ({FACTIONS}): 100% of runs" in printed


def test_an_ensembles_paths_read_a_block_of_runs_at_a_time_are_those_read_at_once(
    baseline, tmp_path, monkeypatch, capsys
):
    # 100,000 runs' log rows read at once as Python rows took 2.7 GB.
    out = tmp_path / "free"
    arguments = ["ensemble", str(BASELINE), "--runs", "30", "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    said = capsys.readouterr().out  # the parts, most of its disk, with their size
    assert re.search(rf"wrote 9 files and parts/ \(\d+\.\d [kM]B\) to {out}/\n$", said), said
    whole = run_paths(*read_path_tables(out), baseline)
    assert whole["verdicts"].nunique() > 1  # runs that differ, so that a block's mix-up shows
    monkeypatch.setattr(paths_module, "PATH_BLOCK", 7)  # blocks of 7, 7, 7, 7 and 2 runs
    pd.testing.assert_frame_equal(read_run_paths(out, baseline), whole)


def test_historys_shares_say_whether_no_other_pair_was_taken_more():
    history = {"factions": "a → b", "verdicts": "x → y"}
    paths = pd.DataFrame(
        {
            "factions": ["a → b", "a → b", "a → b", "b", "b"],
            "verdicts": ["x → y", "x → y", "x", "x", "x"],
            "dominant": ["s"] * 5,
        }
    )
    assert history_shares(paths, history) == {
        "factions": 0.6,
        "verdicts": 0.4,
        "both": 0.4,
        "most common": True,
    }
    paths.loc[2, "factions"] = "b"  # now ("b", "x") is taken by three runs
    assert history_shares(paths, history)["most common"] is False


def test_a_run_is_on_historys_path_while_its_stages_are_historys_first_ones():
    assert on_historys_path(NONE, VERDICTS)
    assert on_historys_path("trotsky", VERDICTS)
    assert on_historys_path(VERDICTS, VERDICTS)
    # Zinoviev condemned without Kamenev has left it, whatever comes next.
    assert not on_historys_path("trotsky → zinoviev", VERDICTS)
    assert not on_historys_path("trotsky → kamenev+zinoviev → tomsky", VERDICTS)
    assert not on_historys_path("left_opposition+troika", FACTIONS)
