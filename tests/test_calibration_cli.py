"""``interregnum calibrate`` and ``interregnum score`` end to end."""

import json

import pandas as pd
import pytest
import yaml
from conftest import BASELINE, ROOT

from simulation.cli import main
from simulation.scenario import load_scenario

TARGETS = ROOT / "calibration" / "targets.yaml"


@pytest.fixture(scope="module")
def replay_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay")
    assert main(["run", str(BASELINE), "--seed", "7", "--out", str(out), "--no-plot"]) == 0
    return out


def test_score_of_a_replay_reads_its_files(replay_dir, capsys):
    assert main(["score", str(replay_dir), "--targets", str(TARGETS)]) == 0
    output = capsys.readouterr().out
    assert "1 run of baseline-1922" in output
    for line in output.splitlines():
        if line.strip().startswith(("trotsky-leaves-army", "rykov-succeeds-lenin")):
            assert " 1.00 " in line  # replay forces these decisions on their dates


def test_score_refuses_a_missing_directory(tmp_path, capsys):
    assert main(["score", str(tmp_path / "nothing")]) == 2
    assert "no such output directory" in capsys.readouterr().err


def test_score_refuses_targets_with_an_unknown_leader(replay_dir, tmp_path, capsys):
    bad = tmp_path / "targets.yaml"
    bad.write_text(
        "targets:\n  - {id: x, kind: leaves_post, leader: bronstein, post: war_commissar,\n"
        "     date: 1925-01, source: test}\n"
    )
    assert main(["score", str(replay_dir), "--targets", str(bad)]) == 2
    assert "unknown leader 'bronstein'" in capsys.readouterr().err


def test_score_refuses_a_directory_without_outputs(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text(json.dumps({"scenario_file": str(BASELINE)}))
    assert main(["score", str(tmp_path)]) == 2
    assert "missing tenures.csv/.parquet" in capsys.readouterr().err


def test_a_tiny_calibration_writes_its_results(tmp_path, capsys):
    out, parameters = tmp_path / "fit", tmp_path / "fitted.yaml"
    status = main(
        [
            "calibrate",
            str(BASELINE),
            "--targets",
            str(TARGETS),
            "--out",
            str(out),
            "--parameters-file",
            str(parameters),
            "--population",
            "4",
            "--generations",
            "1",
            "--runs-per-particle",
            "2",
            "--validation-runs",
            "4",
            "--workers",
            "1",
            "--fit-until",
            "1924-12",
        ]
    )
    assert status == 0
    for name in (
        "posterior.csv",
        "populations.csv",
        "validation.csv",
        "diagnostics.png",
        "chosen.yaml",
        "manifest.json",
        "history.db",
    ):
        assert (out / name).exists(), name
    validation = pd.read_csv(out / "validation.csv")
    assert set(validation["sample"].dropna()) == {"in", "out"}
    fitted = yaml.safe_load(parameters.read_text())
    assert fitted["fit"]["fit_until"] == "1924-12"
    scenario_file = tmp_path / "scenario.yaml"
    scenario_file.write_text(
        BASELINE.read_text().replace(
            "parameters_from: ../calibration/parameters/baseline-1922.yaml",
            f"parameters_from: {parameters}",
            1,
        )
    )
    scenario = load_scenario(scenario_file)
    for name, value in fitted["parameters"].items():
        assert getattr(scenario.parameters, name) == pytest.approx(value)


def test_calibrate_refuses_a_bad_population(tmp_path, capsys):
    status = main(["calibrate", str(BASELINE), "--population", "0", "--out", str(tmp_path)])
    assert status == 2
    assert "--population must be at least 1" in capsys.readouterr().err


def test_a_quick_fit_does_not_replace_the_committed_parameters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default paths are relative to the working directory
    arguments = ["calibrate", str(BASELINE), "--targets", str(TARGETS), "--quick"]
    tiny = ["--population", "4", "--generations", "1", "--runs-per-particle", "2"]
    assert main([*arguments, *tiny, "--validation-runs", "4", "--workers", "1"]) == 0
    written = sorted(path.name for path in (tmp_path / "calibration" / "parameters").iterdir())
    assert written == ["baseline-1922-quick.yaml"]
    assert (tmp_path / "outputs" / "calibration" / "baseline-1922-quick" / "chosen.yaml").exists()
