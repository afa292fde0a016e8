"""``interregnum score`` on outputs that are damaged, unfinished or not outputs at all."""

import csv
import json
import shutil

import pytest
from conftest import BASELINE

from simulation.cli import main


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("score") / "run"
    assert main(["run", str(BASELINE), "--seed", "3", "--out", str(out), "--no-plot"]) == 0
    return out


@pytest.fixture(scope="module")
def ensemble_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("score") / "ensemble"
    arguments = ["ensemble", str(BASELINE), "--runs", "4", "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    return out


@pytest.fixture
def copy_of(tmp_path):
    def copy(directory):
        target = tmp_path / directory.name
        shutil.copytree(directory, target)
        return target

    return copy


def test_score_reads_a_run_and_an_ensemble(run_dir, ensemble_dir, capsys):
    assert main(["score", str(run_dir)]) == 0
    assert f"{run_dir}: 1 run of baseline-1922" in capsys.readouterr().out
    assert main(["score", str(ensemble_dir)]) == 0
    assert f"{ensemble_dir}: 4 runs of baseline-1922" in capsys.readouterr().out


def test_a_whole_run_scores_every_level_without_a_word_on_stderr(run_dir, capsys):
    assert main(["score", str(run_dir)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "note:" not in out
    joint = out.strip().splitlines()[-1]
    assert all(f"{level} " in joint for level in ("alignments", "positions", "factions"))


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _cut_mid_row(path):
    """Cut the file a few bytes into the row after its middle; return that row's line."""
    data = path.read_bytes()
    kept = data[: data.index(b"\n", len(data) // 2) + 6]
    path.write_bytes(kept)
    return kept.count(b"\n") + 1


def _keep_lines(path, count):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:count]))


def _records(path):
    with path.open(newline="") as file:
        return list(csv.reader(file))


def _rewrite(path, records):
    """Write the records back as the run's writer quotes them, one line each."""
    with path.open("w", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(records)


def _set_field(path, line, column, value):
    """Put ``value`` in ``column`` of the record on ``line`` (the header is line 1)."""
    records = _records(path)
    records[line - 1][records[0].index(column)] = value
    _rewrite(path, records)


def _drop_last_fields(path, line, count):
    records = _records(path)
    records[line - 1] = records[line - 1][:-count]
    _rewrite(path, records)


@pytest.mark.parametrize("table", ["trajectories", "votes"])
def test_a_table_cut_mid_row_is_refused_at_its_last_line(run_dir, copy_of, capsys, table):
    directory = copy_of(run_dir)
    path = directory / f"{table}.csv"
    line = _cut_mid_row(path)
    assert main(["score", str(directory)]) == 2
    message = f"interregnum: {path}:{line}: the file ends mid-row; it was cut short\n"
    assert capsys.readouterr().err == message


def test_every_damaged_table_is_named_on_its_own_line(run_dir, copy_of, capsys):
    directory = copy_of(run_dir)
    _cut_mid_row(directory / "trajectories.csv")
    _cut_mid_row(directory / "votes.csv")
    assert main(["score", str(directory)]) == 2
    lines = capsys.readouterr().err.splitlines()
    named = [f"{directory / table}.csv:" for table in ("votes", "trajectories")]
    assert len(lines) == 2 and all(name in line for name, line in zip(named, lines, strict=True))


@pytest.mark.parametrize(
    ("which", "spoil", "message"),
    [
        ("ensemble", lambda d: _truncate(d / "votes.parquet"), "votes.parquet: cannot be read"),
        ("run", lambda d: (d / "factions.csv").write_bytes(b"\xff\xfe\x00bad"), "cannot be read"),
        ("run", lambda d: (d / "votes.csv").write_text('a,"b\n1,2\n'), "votes.csv: cannot be read"),
        ("run", lambda d: (d / "votes.csv").write_text(""), "votes.csv: the file is empty"),
        (
            "run",
            lambda d: _drop_last_fields(d / "trajectories.csv", 5, 2),
            "trajectories.csv:5: expected 10 fields, got 8",
        ),
        (
            "run",
            lambda d: _keep_lines(d / "alliances.csv", 1000),
            "alliances.csv: run 0 has 999 rows, a run of baseline-1922 has 17100 "
            "(57 months × 300 pairs of leaders); the file was cut short",
        ),
        (
            "run",
            lambda d: _set_field(d / "votes.csv", 3, "votes_for", "many"),
            "votes.csv:3: votes_for: expected a number, got 'many'",
        ),
        (
            "run",
            lambda d: _set_field(d / "factions.csv", 4, "active", "maybe"),
            "factions.csv:4: active: expected True or False, got 'maybe'",
        ),
        (
            "run",
            lambda d: _set_field(d / "trajectories.csv", 6, "leader", ""),
            "trajectories.csv:6: leader: expected a value, got an empty field",
        ),
        (
            "run",
            lambda d: (d / "tenures.csv").write_text("who,what\nstalin,x\n"),
            "tenures.csv: lacks the columns run, leader, post, start, end",
        ),
        (
            "run",
            lambda d: ((d / "votes.csv").unlink(), (d / "votes.csv").mkdir()),
            "votes.csv: is not a file (a votes table is)",
        ),
        (
            "run",
            lambda d: (d / "manifest.json").write_text("[1, 2]\n"),
            "a manifest is a JSON object, this one is a JSON list",
        ),
        (
            "run",
            lambda d: (d / "manifest.json").unlink(),
            "no manifest.json to name the scenario; pass --scenario",
        ),
        (
            "run",
            lambda d: (d / "manifest.json").write_text('{"seed": 3}\n'),
            "manifest.json: names no scenario file; pass --scenario",
        ),
    ],
)
def test_damaged_outputs_exit_2_with_one_line(
    run_dir, ensemble_dir, copy_of, capsys, which, spoil, message
):
    directory = copy_of(run_dir if which == "run" else ensemble_dir)
    spoil(directory)
    status = main(["score", str(directory)])
    error = capsys.readouterr().err
    assert status == 2
    assert message in error
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1


def test_an_unfinished_ensemble_folder_exits_2_and_says_how_to_finish_it(
    ensemble_dir, copy_of, capsys
):
    directory = copy_of(ensemble_dir)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["status"] = "running"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    for table in ("tenures", "votes", "events"):
        (directory / f"{table}.parquet").unlink()  # killed before consolidation
    assert main(["score", str(directory)]) == 2
    error = capsys.readouterr().err
    assert "the ensemble there has not finished (status 'running')" in error
    assert "--resume" in error


def test_another_commands_folder_is_refused_and_a_comparisons_ensembles_are_named(
    ensemble_dir, tmp_path, capsys
):
    comparison = tmp_path / "comparison"
    comparison.mkdir()
    (comparison / "comparison.json").write_text("{}\n")  # what compare leaves
    shutil.copytree(ensemble_dir, comparison / "baseline-1922")
    shutil.copytree(ensemble_dir, comparison / "no-enrolment")
    assert main(["score", str(comparison)]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: {comparison} holds the outputs of `interregnum compare` (its "
        f"comparison.json is there); score one of its ensembles: {comparison / 'baseline-1922'}, "
        f"{comparison / 'no-enrolment'}\n"
    )
    assessment = tmp_path / "assessment"
    assessment.mkdir()
    (assessment / "manifest.json").write_text('{"command": "assess", "runs": 10}\n')
    assert main(["score", str(assessment)]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: {assessment} holds the outputs of `interregnum assess` (its "
        "manifest.json is there), not a run's or an ensemble's\n"
    )


def test_a_run_is_scored_against_its_own_scenario_or_the_user_is_told(tmp_path, capsys):
    out = tmp_path / "changed"
    changes = ["--set", "parameters.discipline=0.6", "--free-from", "1924-05"]
    arguments = ["run", str(BASELINE), "--seed", "2", "--no-plot", *changes]
    assert main([*arguments, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", str(out)]) == 0  # the recorded changes give the run's scenario back
    assert "note:" not in capsys.readouterr().err
    other = BASELINE.parent / "counterfactuals" / "no_lenin_enrolment.yaml"
    assert main(["score", str(out), "--scenario", str(other)]) == 0
    assert capsys.readouterr().err == (
        f"note: {other}, with the changes the runs were made with, is not the scenario of "
        f"{out} (its hash differs from manifest.json's): the file or its fitted parameters "
        "changed since, or it is another scenario; the outputs are scored against it as it "
        "is now\n"
    )
