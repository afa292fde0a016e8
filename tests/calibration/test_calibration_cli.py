"""``interregnum calibrate`` and ``interregnum score`` end to end, and their bad input (exit 2)."""

import argparse
import errno
import hashlib
import json
import multiprocessing
import os

import pandas as pd
import pytest
import yaml
from conftest import BASELINE, ROOT

from simulation.cli import main
from simulation.cli.calibrate import _settings
from simulation.scenario import load_scenario

COMPILING = "interregnum: compiling the model for this machine"
"""The first line of a command on a machine that has not compiled the model yet."""

PATTERNS = ROOT / "calibration" / "patterns.yaml"


@pytest.fixture(scope="module")
def replay_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay")
    assert main(["run", str(BASELINE), "--seed", "7", "--out", str(out), "--no-plot"]) == 0
    return out


def test_score_of_a_replay_reads_its_files(replay_dir, capsys):
    assert main(["score", str(replay_dir), "--patterns", str(PATTERNS)]) == 0
    output = capsys.readouterr().out
    assert "1 run of baseline-1922" in output
    scored = [line.split()[0] for line in output.splitlines() if " 1.00 " in line]
    # replay forces these decisions on their dates; the run's CSVs carry affinities and factions
    for pattern in (
        "trotsky-leaves-army",
        "rykov-succeeds-lenin",
        "seven-forms",
        "trotsky-turns-to-party-democracy-1923",  # the trajectories keep the stance
    ):
        assert pattern in scored
    assert "left out" not in output
    assert "joint score (mean hit share): all" in output


def test_score_refuses_a_missing_directory(tmp_path, capsys):
    assert main(["score", str(tmp_path / "nothing")]) == 2
    assert "no such output directory" in capsys.readouterr().err
    assert main(["score", str(BASELINE)]) == 2  # a scenario given for the runs' folder
    assert capsys.readouterr().err == (
        f"interregnum: {BASELINE}: a file, not an output directory: score reads the folder a "
        "run or an ensemble wrote (its --out)\n"
    )


def test_score_refuses_patterns_with_an_unknown_leader(replay_dir, tmp_path, capsys):
    bad = tmp_path / "patterns.yaml"
    bad.write_text(
        "patterns:\n  - {id: x, kind: removal, leader: bronstein, post: war_commissar,\n"
        "     date: 1925-01, role: fit, source: test}\n"
    )
    assert main(["score", str(replay_dir), "--patterns", str(bad)]) == 2
    assert f"{bad}:2: patterns[0].leader: unknown leader 'bronstein'" in capsys.readouterr().err


def test_the_retired_targets_option_says_what_replaced_it(replay_dir, capsys):
    with pytest.raises(SystemExit, match="2"):
        main(["score", str(replay_dir), "--targets", "calibration/targets.yaml"])
    assert "--targets was replaced by --patterns" in capsys.readouterr().err


def test_score_refuses_a_directory_without_outputs(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text(json.dumps({"scenario_file": str(BASELINE)}))
    assert main(["score", str(tmp_path)]) == 2
    assert "missing tenures.csv/.parquet" in capsys.readouterr().err


@pytest.mark.slow
def test_a_tiny_calibration_writes_its_results(tmp_path, capsys):
    out, parameters = tmp_path / "fit", tmp_path / "fitted.yaml"
    status = main(
        [
            "calibrate",
            str(BASELINE),
            "--patterns",
            str(PATTERNS),
            "--out",
            str(out),
            "--parameters-file",
            str(parameters),
            "--population",
            "4",
            "--quantile",
            "0.5",
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
        "contraction.csv",
        "diagnostics.png",
        "chosen.yaml",
        "manifest.json",
        "history.db",
    ):
        assert (out / name).exists(), name
    posterior = pd.read_csv(tmp_path / "fitted-posterior.csv")
    assert len(posterior) == 4 and posterior["weight"].sum() == pytest.approx(1.0)
    # the default is one rejection step: every kept particle within the tolerance, equally weighted
    assert posterior["weight"].tolist() == pytest.approx([0.25] * 4)
    tolerance = pd.read_csv(out / "populations.csv").query("t == 0")["epsilon"].item()
    assert (posterior["distance"] <= tolerance + 1e-6).all()  # the CSV keeps 6 digits
    validation = pd.read_csv(out / "validation.csv")
    assert set(validation["sample"].dropna()) == {"in", "out"}
    fitted = yaml.safe_load(parameters.read_text())
    assert fitted["fit"]["fit_until"] == "1924-12"
    # The point names its own posterior, so that a sample of another fit beside it is refused.
    written = (tmp_path / "fitted-posterior.csv").read_bytes()
    assert fitted["fit"]["posterior_sha256"] == hashlib.sha256(written).hexdigest()
    # What share the fit kept, readable from the committed file (the quantile is not it).
    populations = pd.read_csv(out / "populations.csv").query("t >= 0")
    assert fitted["fit"]["generations_run"] == [
        {"epsilon": pytest.approx(row.epsilon, abs=1e-6), "proposals": row.samples}
        for row in populations.itertuples()
    ]
    assert json.loads((out / "manifest.json").read_text())["command"] == "calibrate"
    learnt = pd.read_csv(out / "contraction.csv")
    assert set(learnt["parameter"]) == set(fitted["parameters"])
    assert "priors beyond sampling noise" in capsys.readouterr().out
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


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--population", "0"], "--population must be at least 1, got 0"),
        (["--workers", "0"], "--workers must be at least 1, got 0"),
        (["--name", "fits/mine"], "--name names a file, not a path: expected no '/'"),
        (["--name", ".."], "--name names a file, not a path"),
        (["--name", ""], "--name is empty: leave it out for the default, or name the fit"),
    ],
)
def test_calibrate_refuses_bad_settings_before_fitting(arguments, message, tmp_path, capsys):
    out = tmp_path / "fit"
    status = main(["calibrate", str(BASELINE), *arguments, "--out", str(out)])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_calibrate_names_every_bad_setting_in_one_attempt(tmp_path, capsys):
    out = tmp_path / "fit"
    bad = ["--seed", "-1", "--population", "0", "--quantile", "2", "--fit-until", "1930-01"]
    assert main(["calibrate", str(BASELINE), *bad, "--out", str(out)]) == 2
    said = capsys.readouterr().err.splitlines()
    # On a machine that has not compiled the model the command says so first (see
    # simulation.cli.main): not a problem of the flags.
    assert [line for line in said if not line.startswith(COMPILING)] == [
        "--seed must be an integer from 0 to 2**63 - 2 (the validation runs take the next "
        "root, --seed + 1), got -1",
        "--population must be at least 1, got 0",
        "--quantile must be above 0 and at most 1, got 2.0",
        "--fit-until 1930-01 is outside the scenario (1922-04 to 1926-12)",
        "interregnum: 4 problems; nothing was run.",
    ]
    assert not out.exists()


def test_calibrate_says_it_cannot_write_before_fitting(tmp_path, capsys):
    """Not after minutes of fitting: the parameters' folder is made first."""
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    arguments = ["--parameters-file", str(blocked / "fit.yaml"), "--out", str(tmp_path / "fit")]
    assert main(["calibrate", str(BASELINE), *arguments]) == 2
    assert (
        f"interregnum: --parameters-file {blocked / 'fit.yaml'}: {blocked} is a file, not a "
        "directory" in capsys.readouterr().err
    )
    assert not (tmp_path / "fit").exists()


def test_calibrate_overwrites_no_file_but_an_earlier_fits(tmp_path, capsys):
    """A scenario given as --parameters-file by a slip of the hand is left whole."""
    scenario = tmp_path / "baseline_1922.yaml"  # a copy of the scenario being fitted
    scenario.write_text(BASELINE.read_text())
    notes = tmp_path / "mine-posterior.csv"
    notes.write_text("run,verdict\n1,mine\n")
    unreadable = tmp_path / "unreadable.yaml"  # YAML that PyYAML cannot build a value of
    unreadable.write_text("fit: {}\nparameters: {}\nnote: 1924-02-30\n")
    for target, problem in (
        (scenario, f"--parameters-file {scenario} exists and is not a fit's parameters file"),
        (unreadable, f"--parameters-file {unreadable} exists and is not a fit's parameters file"),
        (tmp_path / "mine.yaml", f"{notes} (the posterior beside --parameters-file) exists"),
    ):
        arguments = ["--parameters-file", str(target), "--out", str(tmp_path / "fit")]
        assert main(["calibrate", str(BASELINE), *arguments]) == 2
        assert problem in capsys.readouterr().err
    assert scenario.read_text() == BASELINE.read_text()
    assert notes.read_text() == "run,verdict\n1,mine\n"
    assert unreadable.read_text() == "fit: {}\nparameters: {}\nnote: 1924-02-30\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "baseline_1922.yaml",
        "mine-posterior.csv",
        "unreadable.yaml",
    ]


@pytest.mark.parametrize("quantile", ["0", "1.5", "-0.1"])
def test_calibrate_refuses_a_quantile_outside_0_to_1(quantile, tmp_path, capsys):
    status = main(["calibrate", str(BASELINE), "--quantile", quantile, "--out", str(tmp_path)])
    assert status == 2
    assert f"--quantile must be above 0 and at most 1, got {float(quantile)}" in (
        capsys.readouterr().err
    )


def test_a_quick_fit_goes_beside_the_committed_one_without_replacing_it(tmp_path, monkeypatch):
    # Run from another folder, a fit used to land in that folder's calibration/parameters/,
    # where the scenario would never read it.
    project, fits = tmp_path / "project", tmp_path / "project" / "calibration" / "parameters"
    (project / "scenarios").mkdir(parents=True)
    fits.mkdir(parents=True)
    (project / "scenarios" / BASELINE.name).write_text(BASELINE.read_text())
    committed = {}
    for name in ("baseline-1922.yaml", "baseline-1922-posterior.csv"):
        committed[name] = (ROOT / "calibration" / "parameters" / name).read_bytes()
        (fits / name).write_bytes(committed[name])
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # --out's default is under the working folder
    scenario = project / "scenarios" / BASELINE.name
    arguments = ["calibrate", str(scenario), "--patterns", str(PATTERNS), "--quick"]
    tiny = ["--population", "4", "--generations", "1", "--runs-per-particle", "2"]
    assert main([*arguments, *tiny, "--validation-runs", "4", "--workers", "1"]) == 0
    written = sorted(path.name for path in fits.iterdir())
    quick = ["baseline-1922-quick-posterior.csv", "baseline-1922-quick.yaml"]
    assert written == sorted([*committed, *quick])
    assert {name: (fits / name).read_bytes() for name in committed} == committed
    outputs = tmp_path / "elsewhere" / "outputs" / "calibration" / "baseline-1922-quick"
    assert (outputs / "chosen.yaml").exists()


def test_a_full_disk_ends_a_fit_with_a_message_and_no_point_beside_another_sample(
    tmp_path, monkeypatch, capsys
):
    import calibration.plots

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(calibration.plots, "plot_diagnostics", full)
    out, point = tmp_path / "fit", tmp_path / "point.yaml"
    arguments = ["calibrate", str(BASELINE), "--patterns", str(PATTERNS), "--quick"]
    tiny = ["--population", "4", "--generations", "1", "--runs-per-particle", "2"]
    where = ["--out", str(out), "--parameters-file", str(point), "--quiet"]
    assert main([*arguments, *tiny, *where, "--validation-runs", "4", "--workers", "1"]) == 1
    assert capsys.readouterr().err.startswith(
        f"interregnum: cannot write the fit ({out}): No space left on device; "
        f"{out} holds no manifest.json until a fit is written whole"
    )
    assert not point.exists() and not (out / "manifest.json").exists()


def test_a_fit_cut_short_leaves_the_earlier_fit_whole(tmp_path, monkeypatch):
    """Its database is swapped in only once the fit is done, not deleted at its start."""
    from calibration.fit import Calibration

    out = tmp_path / "fit"
    out.mkdir()
    earlier = {"history.db": "the earlier fit", "posterior.csv": "weight\n1\n"}
    for name, text in earlier.items():
        (out / name).write_text(text)

    def cut_short(self, database, progress=False):
        database.write_text("half a fit")
        raise KeyboardInterrupt

    monkeypatch.setattr(Calibration, "fit", cut_short)
    arguments = ["--parameters-file", str(tmp_path / "fit.yaml"), "--out", str(out)]
    assert main(["calibrate", str(BASELINE), *arguments]) == 130  # as Ctrl-C ends it
    assert {name: (out / name).read_text() for name in earlier} == earlier


def test_calibrate_refuses_a_bad_scenario(tmp_path, capsys):
    bad = BASELINE.with_name("bad-calibrate-scenario.yaml")  # beside it: parameters_from resolves
    bad.write_text(BASELINE.read_text().replace("start: 1922-04", "start: 1922-13", 1))
    try:
        assert main(["calibrate", str(bad), "--out", str(tmp_path / "fit")]) == 2
    finally:
        bad.unlink()
    error = capsys.readouterr().err
    line = BASELINE.read_text().splitlines().index("start: 1922-04") + 1
    assert f"{bad}:{line}: start: month must be 01..12, got 13" in error
    assert "nothing was run" in error
    assert not (tmp_path / "fit").exists()


def test_calibrate_refuses_a_bad_patterns_file(tmp_path, capsys):
    bad = tmp_path / "patterns.yaml"
    bad.write_text(
        "patterns:\n  - {id: x, kind: holds, leader: stalin, post: general_secretary,\n"
        "     date: 1924-05, role: maybe, source: test}\n"
    )
    status = main(["calibrate", str(BASELINE), "--patterns", str(bad), "--out", str(tmp_path)])
    assert status == 2
    assert f"{bad}:3: patterns[0].role: Input should be 'fit' or 'hold_out'" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("1924-13", "--fit-until 1924-13: month must be 01..12, got 13"),
        ("December", "--fit-until December: expected a month as YYYY-MM, got 'December'"),
    ],
)
def test_calibrate_refuses_a_malformed_fit_until_with_the_other_bad_flags(month, message, capsys):
    """Read by the command, not by argparse, which stopped at it and hid the rest."""
    assert main(["calibrate", str(BASELINE), "--fit-until", month, "--workers", "0"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "--workers must be at least 1, got 0",
        message,
        "interregnum: 2 problems; nothing was run.",
    ]


def test_calibrate_refuses_a_fit_until_outside_the_scenario(tmp_path, capsys):
    status = main(["calibrate", str(BASELINE), "--fit-until", "1930-01", "--out", str(tmp_path)])
    assert status == 2
    assert "--fit-until 1930-01 is outside the scenario (1922-04 to 1926-12)" in (
        capsys.readouterr().err
    )


@pytest.fixture(scope="module")
def ensemble_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("ensemble")
    arguments = ["ensemble", str(BASELINE), "--runs", "3", "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    return out


def test_score_of_an_ensemble_leaves_out_what_it_does_not_keep(ensemble_dir, capsys):
    assert main(["score", str(ensemble_dir)]) == 0
    captured = capsys.readouterr()
    output, notes = captured.out, captured.err  # the table on stdout, the notes on stderr
    assert "3 runs of baseline-1922" in output
    assert f"note: no alliances table in {ensemble_dir}; alignments patterns left out" in notes
    assert f"note: no trajectories table in {ensemble_dir}; positions patterns left out" in notes
    assert "note:" not in output
    assert "rykov-succeeds-lenin" in output and "troika-stalin-zinoviev-1923" not in output
    assert "trotsky-turns-to-party-democracy-1923" not in output


def test_score_of_an_ensemble_that_keeps_trajectories_still_has_no_stance(tmp_path, capsys):
    out = tmp_path / "kept"
    arguments = ["ensemble", str(BASELINE), "--runs", "2", "--workers", "1", "--quiet"]
    assert main([*arguments, "--keep-trajectories", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", str(out)]) == 0
    captured = capsys.readouterr()
    notes = f"note: no stances in {out}'s trajectories; positions patterns left out"
    assert notes in captured.err and notes not in captured.out
    assert "trotsky-turns-to-party-democracy-1923" not in captured.out


def test_score_refuses_an_ensemble_whose_scenario_is_gone(ensemble_dir, tmp_path, capsys):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in ensemble_dir.glob("*.parquet"):
        (copy / path.name).write_bytes(path.read_bytes())
    manifest = json.loads((ensemble_dir / "manifest.json").read_text())
    manifest["scenario_file"] = str(tmp_path / "moved.yaml")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert main(["score", str(copy)]) == 2
    assert f"{tmp_path / 'moved.yaml'}: no such scenario file" in capsys.readouterr().err


@pytest.mark.slow
def test_a_fit_depends_on_its_seed_not_on_its_workers(tmp_path):
    """pyabc's parallel samplers reseed their workers from the system: same seed, other fit."""

    def fit(name: str, workers: str, seed: str) -> pd.DataFrame:
        parameters = tmp_path / f"{name}.yaml"
        tiny = ["--population", "6", "--quantile", "0.3", "--runs-per-particle", "2"]
        arguments = ["calibrate", str(BASELINE), "--patterns", str(PATTERNS), *tiny]
        where = ["--out", str(tmp_path / name), "--parameters-file", str(parameters)]
        assert (
            main(
                [*arguments, *where, "--validation-runs", "2", "--workers", workers, "--seed", seed]
            )
            == 0
        )
        return pd.read_csv(tmp_path / f"{name}-posterior.csv")

    one, two, again = fit("one", "1", "3"), fit("two", "2", "3"), fit("again", "2", "3")
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(two, again)
    assert not fit("other", "2", "4").equals(one)


def test_where_processes_cannot_fork_the_fit_runs_in_one_and_says_so(monkeypatch, capsys):
    # Windows: the workers inherit each generation's evaluation, which spawning cannot hand
    # over; calibrate --workers 2 ended in "cannot find context for 'fork'".
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    asked = dict(population=None, generations=None, quantile=None, runs_per_particle=None)
    args = argparse.Namespace(**asked, quick=True, workers=2, seed=1)
    assert _settings(args).workers == 1
    assert "cannot fork processes (Windows): the fit runs in one process" in (
        capsys.readouterr().err
    )
