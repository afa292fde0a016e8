"""--free-from on the commands, the manifests that record it, and compare's warning."""

import json

import pandas as pd
import pytest
from conftest import grievance_held

from simulation.cli import main
from simulation.scenario import ScenarioError, load_scenario


def test_run_free_from_replays_before_and_decides_after(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    arguments = ["run", str(small_file), "--free-from", "1922-10", "--out", str(out)]
    assert main([*arguments, "--no-plot"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("free from 1922-10: small:")
    # What the branch starts from: the replayed verdict of 1922-09, and whom it left aggrieved.
    assert printed[1] == (
        "inherited from the replay to 1922-09: condemned trotsky; "
        "grievances against stalin, the strongest, of the uncondemned: none"
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["mode"], manifest["free_from"]) == (
        "free",
        "1922-10",
    )  # a branch decides from its month
    assert manifest["overrides"] == ["--free-from 1922-10"]
    events = pd.read_csv(out / "events.csv")
    decided = events.loc[events["origin"] == "model", "date"]
    assert len(decided) and decided.min() >= "1922-10"
    replayed = events.loc[events["event_id"].isin(["troika-formed", "condemn"]), "origin"]
    assert list(replayed) == ["scenario", "scenario"]  # decisions before the branch
    assert "purge-leningrad" not in set(events["event_id"])  # the leaders decide from 1922-10


def test_a_run_without_a_branch_records_none(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 0
    assert json.loads((out / "manifest.json").read_text())["free_from"] is None
    assert "inherited" not in capsys.readouterr().out  # no branch, nothing inherited


def test_a_branch_names_the_grievances_the_replay_left_against_the_strongest(
    small_file, tmp_path, capsys
):
    out = tmp_path / "out"
    arguments = ["run", str(small_file), "--free-from", "1922-09", "--out", str(out)]
    assert main([*arguments, "--no-plot"]) == 0
    inherited = capsys.readouterr().out.splitlines()[1]
    assert inherited.startswith("inherited from the replay to 1922-08: condemned no one; ")
    named = inherited.split("of the uncondemned: ")[1]
    leader, grievance = named.split(" ")
    held = grievance_held(pd.read_csv(out / "alliances.csv"), leader, "stalin", "1922-08")
    assert float(grievance) == pytest.approx(held, abs=0.005)


def test_ensemble_manifest_records_the_branch(small_file, tmp_path):
    out = tmp_path / "out"
    arguments = ["ensemble", str(small_file), "--runs", "2", "--workers", "1", "--quiet"]
    assert main([*arguments, "--free-from", "1922-10", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["mode"], manifest["free_from"]) == ("free", "1922-10")
    assert "--free-from 1922-10" in manifest["overrides"]


@pytest.mark.parametrize("command", ["run", "ensemble", "compare", "assess"])
def test_a_branch_outside_the_period_exits_2(small_file, tmp_path, capsys, command):
    out = tmp_path / "out"
    arguments = [command, str(small_file), *[str(small_file)] * (command == "compare")]
    arguments += ["--runs", "2"] * (command == "ensemble")
    assert main([*arguments, "--free-from", "1930-01", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("--free-from 1930-01: 1930-01 is outside the period 1922-04 to 1923-03") == 1
    assert "Traceback" not in error and not out.exists()


def test_a_branch_that_is_not_a_month_exits_2(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--free-from", "May 1924", "--out", str(out)]) == 2
    assert "--free-from May 1924: expected a month as YYYY-MM" in capsys.readouterr().err


def test_compare_warns_when_an_alternative_does_nothing_in_the_mode_used(
    small_file, tmp_path, capsys
):
    """Dropping one of the base's decisions does nothing in free mode, which never applied it."""
    alternative = tmp_path / "no-purge.yaml"
    alternative.write_text(
        "extends: small.yaml\nname: small-no-purge\nsource: test\n"
        "changes:\n  - drop_event: purge-leningrad\n"
    )
    for mode, warned in (("free", True), ("replay", False)):
        out = tmp_path / mode
        arguments = ["compare", str(small_file), str(alternative), "--mode", mode, "--runs", "4"]
        assert main([*arguments, "--workers", "1", "--out", str(out), "--quiet"]) == 0
        error, report = capsys.readouterr().err, (out / "report.md").read_text()
        note = (
            f"small-no-purge gave the same outcomes as small in every one of the 4 paired "
            f"runs in {mode} mode: its changes do nothing in this mode"
        )
        assert (f"interregnum: warning: {note}" in error) is warned
        assert (note in report) is warned
        assert "acts in replay only" in report  # the change says where it acts


def test_compare_warns_when_an_alternative_branches_where_the_base_does_not(
    small_file, tmp_path, capsys
):
    """The differences would mix the branch with the overlay's own changes."""
    overlay = tmp_path / "branch.yaml"
    overlay.write_text(
        "extends: small.yaml\nname: small-branch\nsource: test\nfree_from: 1922-10\nchanges: []\n"
    )
    out = tmp_path / "apart"
    arguments = ["compare", str(small_file), str(overlay), "--runs", "4", "--workers", "1"]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 0
    error, report = capsys.readouterr().err, (out / "report.md").read_text()
    note = (
        "small-branch in free from 1922-10 mode, small in free mode: the differences mix the "
        "branch from history with the alternative's own changes; to see the changes alone, "
        "give the base the same branch (--free-from 1922-10)."
    )
    assert f"interregnum: warning: {note}" in error and f"**Warning:** {note}" in report
    assert "4 runs per scenario in free mode (small-branch: free from 1922-10)," in report
    alike = tmp_path / "alike"
    assert main([*arguments, "--free-from", "1922-10", "--out", str(alike), "--quiet"]) == 0
    assert "mix the branch" not in capsys.readouterr().err  # both branch at 1922-10


def test_an_overlay_may_branch_from_history_and_a_bad_month_is_told_at_its_line(small_file):
    overlay = small_file.parent / "branch.yaml"
    overlay.write_text(
        "extends: small.yaml\nname: small-branch\nsource: test\nfree_from: 1922-10\nchanges: []\n"
    )
    assert str(load_scenario(overlay).free_from) == "1922-10"
    overlay.write_text(overlay.read_text().replace("1922-10", "1921-10"))
    with pytest.raises(ScenarioError, match=rf"^{overlay}:4: free_from: 1921-10 is outside"):
        load_scenario(overlay)


LATER_THAN_1922_10 = [
    flag
    for event in ("purge-leningrad", "lenin-death", "trotsky-out")
    for flag in ("--drop-event", event)
]
"""The flags that drop the small scenario's events after October 1922."""


@pytest.mark.parametrize(
    ("arguments", "idle"),
    [
        (["--mode", "free", "--drop-event", "purge-leningrad"], True),
        (["--mode", "replay", "--drop-event", "purge-leningrad"], False),
        (["--free-from", "1923-01", "--drop-event", "purge-leningrad"], False),  # replayed
        (["--free-from", "1922-10", "--drop-event", "purge-leningrad"], True),
        (["--mode", "free", "--drop-event", "lenin-death"], False),  # exogenous: every mode
        # dropped with the months it falls in: nothing to note, in either mode
        (["--mode", "replay", "--set", "end=1922-10", *LATER_THAN_1922_10], False),
        (["--mode", "free", "--set", "end=1922-10", *LATER_THAN_1922_10], False),
    ],
)
def test_a_drop_that_changes_nothing_in_the_mode_used_is_noted(
    small_file, tmp_path, capsys, arguments, idle
):
    # Free mode never applies the scenario's own decisions: dropping one changes nothing,
    # which a user would otherwise learn only from identical outputs.
    out = tmp_path / "out"
    assert main(["run", str(small_file), *arguments, "--out", str(out), "--no-plot"]) == 0
    note = "note: --drop-event purge-leningrad drops a decision of the scenario that"
    assert (note in capsys.readouterr().err) is idle
