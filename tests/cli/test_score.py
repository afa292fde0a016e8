"""``interregnum score`` on outputs that are damaged, unfinished or not outputs at all."""

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


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    ("which", "spoil", "message"),
    [
        ("ensemble", lambda d: _truncate(d / "votes.parquet"), "votes.parquet: cannot be read"),
        ("run", lambda d: (d / "factions.csv").write_bytes(b"\xff\xfe\x00bad"), "cannot be read"),
        ("run", lambda d: (d / "votes.csv").write_text('a,"b\n1,2\n'), "votes.csv: cannot be read"),
        (
            "run",
            lambda d: (d / "tenures.csv").write_text("who,what\nstalin,x\n"),
            "tenures.csv: lacks the columns run, leader, post, start, end",
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
