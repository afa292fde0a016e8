"""The sensitivity and discover commands end to end: files written, bad input exits 2."""

import json
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments.sensitivity.design import bounds_for
from simulation.scenario import load_scenario, scenario_hash

LEVERS = Path(__file__).parents[1] / "data" / "levers"


def test_sensitivity_writes_indices_and_summary(small_file, tmp_path, capsys):
    out = tmp_path / "morris"
    status = main(
        [
            "sensitivity",
            str(small_file),
            "--method",
            "morris",
            "--trajectories",
            "3",
            "--runs-per-point",
            "1",
            "--parameters",
            "removal_delay,power_apparatus_weight",
            "--outcomes",
            "power_stalin",
            "--mode",
            "replay",
            "--workers",
            "1",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "power_stalin: most sensitive to power_apparatus_weight" in printed
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices["parameter"]) == {"removal_delay", "power_apparatus_weight"}
    assert (
        "9 sample points, each run once, with the same seed (common"
        in (out / "summary.md").read_text()
    )  # not "each run 1 times with the same 1 seeds"


def test_sensitivity_with_an_unknown_method_exits_2(small_file, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["sensitivity", str(small_file), "--method", "fast"])
    assert ended.value.code == 2
    assert "argument --method: invalid choice: 'fast'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--method", "morris", "--parameters", "hostilty"],
            "--parameters: unknown parameter 'hostilty' (did you mean 'hostility'?)",
        ),
        (  # the other commands' flag of that name chooses the parameter set
            ["--method", "morris", "--parameters", "point"],
            "--parameters: 'point' is a parameter set of the other commands; here --parameters "
            "names the parameters to vary (A,B,C)",
        ),
        (["--method", "sobol", "--samples", "100"], "--samples must be a power of two"),
        (["--method", "morris", "--runs-per-point", "0"], "--runs-per-point must be at least 1"),
        (
            ["--method", "morris", "--trajectories", "2", "--parameters", "hostility"],
            "--parameters: morris needs at least two parameters",
        ),
        (
            ["--method", "sobol", "--samples", "2", "--parameters", "hostility"],
            "--parameters: sobol needs at least two parameters",
        ),
        (["--method", "morris", "--seed", "-1"], "--seed must be an integer from 0 to 2**63 - 1"),
        (
            ["--method", "morris", "--samples", "64"],
            "--samples sizes a sobol study only; --method morris is sized by --trajectories",
        ),
        (
            ["--method", "sobol", "--trajectories", "5"],
            "--trajectories sizes a morris study only; --method sobol is sized by --samples",
        ),
        (  # SALib building the sample hung for minutes
            ["--method", "morris", "--trajectories", "10000000"]
            + ["--parameters", "hostility,alliance_rate"],
            "--trajectories 10,000,000 with 2 parameters and 4 runs a point makes 120,000,000 "
            "runs; a study takes at most 10,000,000",
        ),
        (  # a traceback: 32 TiB asked of numpy
            ["--method", "sobol", "--samples", str(2**40)],
            "a study takes at most 10,000,000",
        ),
    ],
)
def test_sensitivity_bad_input_exits_2(small_file, tmp_path, capsys, flags, message):
    status = main(["sensitivity", str(small_file), *flags, "--out", str(tmp_path / "o")])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o" / "runs").exists()


def test_every_bad_flag_is_named_and_the_defaults_trip_nothing(small_file, tmp_path, capsys):
    """One line per problem, then the count; no size flag given, none refused."""
    flags = ["--method", "sobol", "--seed", "-1", "--parameters", "hostility,hostilty,ghost"]
    flags += ["--outcomes", "power_stalin,dominant_ghost,nope"]
    status = main(["sensitivity", str(small_file), *flags, "--out", str(tmp_path / "o")])
    assert status == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("--seed must be an integer")
    assert err[1].startswith("--parameters: unknown parameter 'hostilty'")
    assert err[2].startswith("--parameters: unknown parameter 'ghost'")
    assert err[3].startswith("--outcomes: unknown outcome 'dominant_ghost'")
    assert err[4].startswith("--outcomes: unknown outcome 'nope'")
    assert not any("sizes a" in line for line in err)
    assert err[5:] == ["interregnum: 5 problems; nothing was run."]
    assert not (tmp_path / "o").exists()


def test_a_parameter_set_is_held_not_varied_over(small_file, tmp_path, capsys):
    """The study would override the --set at every point, and say nothing."""
    out = tmp_path / "m"
    arguments = ["sensitivity", str(small_file), "--method", "morris", "--trajectories", "2"]
    arguments += ["--runs-per-point", "1", "--outcomes", "power_stalin", "--mode", "replay"]
    arguments += ["--workers", "1", "--set", "parameters.hostility=0.3", "--out", str(out)]
    assert main([*arguments, "--parameters", "hostility,removal_delay"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "--set parameters.hostility=0.3: --parameters varies hostility too, and would override "
        "the flag at every point; drop the flag or leave it out of --parameters",
        "interregnum: 1 problem; nothing was run.",
    ]
    assert not out.exists()
    assert main([*arguments, "--quiet"]) == 0  # every fitted parameter but the one set
    assert (
        "interregnum: note: hostility held as --set gives it; the study varies the other "
        "fitted parameters"
    ) in capsys.readouterr().err
    varied = pd.read_parquet(out / "samples.parquet").columns
    assert "hostility" not in varied and "removal_delay" in varied


def test_a_study_with_every_parameter_set_is_refused(small_file, tmp_path, capsys):
    """Nothing left to vary is not every parameter varied, as an empty list would say."""
    from simulation.model.parameters import free_parameters

    flags = [
        flag
        for name, (low, high) in free_parameters().items()
        for flag in ("--set", f"parameters.{name}={(low + high) / 2}")
    ]
    out = tmp_path / "m"
    arguments = ["sensitivity", str(small_file), "--method", "morris", *flags, "--out", str(out)]
    assert main(arguments) == 2
    assert capsys.readouterr().err.splitlines() == [
        "--set holds every fitted parameter: the study has none left to vary",
        "interregnum: 1 problem; nothing was run.",
    ]
    assert not out.exists()


def test_an_outcome_not_analysed_is_said_why(small_file, tmp_path, capsys):
    """Replay forces Lenin's fall, and the small scenario's congress votes no motion."""
    out = tmp_path / "m"
    outcomes = "power_stalin,left_lenin_politburo,opposition_share_1922-04"
    arguments = ["sensitivity", str(small_file), "--method", "morris", "--trajectories", "2"]
    arguments += ["--runs-per-point", "1", "--parameters", "removal_delay,power_apparatus_weight"]
    arguments += ["--outcomes", outcomes, "--mode", "replay", "--workers", "1"]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "left_lenin_politburo: not analysed: does not vary over the sample" in printed
    assert "opposition_share_1922-04: not analysed: 6 of 6 points gave no value" in printed
    summary = (out / "summary.md").read_text()
    assert "no run of 6 of the 6 points gave it a value" in summary
    assert "at the congress of 1922-04" in summary


@pytest.mark.parametrize("flag", ["--parameters", "--outcomes"])
def test_an_empty_list_is_refused_not_read_as_the_default(small_file, tmp_path, capsys, flag):
    """An unset shell variable (--parameters "$NAMES") must not start the default study."""
    with pytest.raises(SystemExit) as ended:
        main(["sensitivity", str(small_file), "--method", "morris", flag, " , "])
    assert ended.value.code == 2
    assert f"argument {flag}: expected one or more names separated by commas" in (
        capsys.readouterr().err
    )


def test_discover_writes_boxes(small_file, tmp_path, capsys):
    levers = tmp_path / "levers.yaml"
    levers.write_text((LEVERS / "small_levers.yaml").read_text())
    (tmp_path / "zinoviev_keeps_leningrad.yaml").write_text(
        (LEVERS / "zinoviev_keeps_leningrad.yaml").read_text()
    )
    out = tmp_path / "found"
    status = main(
        [
            "discover",
            str(small_file),
            "--levers",
            str(levers),
            "--runs",
            "12",
            "--replicates",
            "1",
            "--mode",
            "replay",
            "--workers",
            "1",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    assert "box 1: Zinoviev keeps Leningrad →" in capsys.readouterr().out
    assert "each run once, with the same seed, 12 runs" in (out / "boxes.md").read_text()
    assert {
        "boxes.md",
        "boxes.csv",
        "tradeoff.png",
        "feature_scores.csv",
        "experiments.parquet",
    } <= {path.name for path in out.iterdir()}


def test_discover_with_a_bad_levers_file_exits_2_naming_file_line_and_field(
    small_file, tmp_path, capsys
):
    levers = tmp_path / "levers.yaml"
    levers.write_text("levers:\n  delay:\n    parameter: removal_delay\n    range: [9, 2]\n")
    status = main(["discover", str(small_file), "--levers", str(levers), "--out", str(tmp_path)])
    assert status == 2
    err = capsys.readouterr().err
    assert f"{levers}:4: levers.delay.range: LOW must be below HIGH, got [9, 2]" in err
    assert "nothing was run" in err


def _morris(small_file, out, *executor):
    arguments = ["sensitivity", str(small_file), "--method", "morris", "--trajectories", "3"]
    arguments += ["--runs-per-point", "2", "--parameters", "removal_delay,power_apparatus_weight"]
    arguments += ["--outcomes", "power_stalin", "--mode", "free", "--out", str(out), "--quiet"]
    assert main([*arguments, *executor]) == 0
    return pd.read_csv(out / "indices.csv")


@pytest.mark.parametrize("command", ["sensitivity", "discover"])
def test_a_study_writes_into_no_folder_of_the_users_own(small_file, tmp_path, capsys, command):
    """Both wrote beside a user's files, replacing a summary.md of theirs."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.md").write_text("# my study\n")
    (mine / "notes.txt").write_text("my notes\n")
    flags = (
        ["--method", "morris"]
        if command == "sensitivity"
        else ["--levers", str(LEVERS / "small_levers.yaml")]
    )
    assert main([command, str(small_file), *flags, "--out", str(mine), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: --out {mine} holds files that no interregnum command's record describes "
        f"(notes.txt, summary.md); {command} will not write into it: choose a new or empty "
        "directory\n"
    )
    assert (mine / "summary.md").read_text() == "# my study\n"
    assert sorted(path.name for path in mine.iterdir()) == ["notes.txt", "summary.md"]


def test_each_run_of_a_study_is_traced_to_its_sample_point(small_file, tmp_path):
    """Run r is run r % K of point r // K: its parameters are the point's."""
    _morris(small_file, tmp_path / "m", "--workers", "1")
    samples = pd.read_parquet(tmp_path / "m" / "samples.parquet")
    taken = pd.read_parquet(tmp_path / "m" / "runs" / "parameters.parquet")
    varied = ["removal_delay", "power_apparatus_weight"]
    for k in range(2):  # --runs-per-point 2
        runs = taken.loc[taken["run"] % 2 == k, varied].reset_index(drop=True)
        pd.testing.assert_frame_equal(runs, samples[varied])
    record = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert (record["command"], record["method"], record["trajectories"]) == (
        "sensitivity",
        "morris",
        3,
    )
    assert (record["points"], record["runs_per_point"], record["runs"]) == (9, 2, 18)
    bounds = bounds_for(("removal_delay", "power_apparatus_weight"))
    assert record["parameters_varied"] == {name: list(bound) for name, bound in bounds.items()}
    assert record["scenario_sha256"] == scenario_hash(load_scenario(small_file))


def test_a_study_stopped_before_its_report_resumes_from_its_runs(small_file, tmp_path):
    """A folder holding only the study's runs is the study's own, not the user's."""
    whole = _morris(small_file, tmp_path / "whole", "--workers", "1")
    for path in (tmp_path / "whole").iterdir():
        if path.name != "runs":
            path.unlink()
    resumed = _morris(small_file, tmp_path / "whole", "--workers", "1", "--resume")
    pd.testing.assert_frame_equal(resumed, whole)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_indices_and_boxes(small_file, tmp_path):
    distributed = pytest.importorskip("distributed")
    levers = tmp_path / "levers.yaml"
    levers.write_text((LEVERS / "small_levers.yaml").read_text())
    (tmp_path / "zinoviev_keeps_leningrad.yaml").write_text(
        (LEVERS / "zinoviev_keeps_leningrad.yaml").read_text()
    )
    discover = ["discover", str(small_file), "--levers", str(levers), "--runs", "8"]
    discover += ["--replicates", "2", "--mode", "replay", "--quiet"]
    local = _morris(small_file, tmp_path / "local", "--workers", "1")
    assert main([*discover, "--workers", "1", "--out", str(tmp_path / "d-local")]) == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        scheduler = ["--scheduler", cluster.scheduler_address]
        on_dask = _morris(small_file, tmp_path / "dask", *scheduler)
        assert main([*discover, *scheduler, "--out", str(tmp_path / "d-dask")]) == 0
    pd.testing.assert_frame_equal(on_dask, local)
    assert (tmp_path / "d-dask" / "boxes.csv").read_text() == (
        tmp_path / "d-local" / "boxes.csv"
    ).read_text()


def test_a_disk_that_refuses_the_study_exits_1_not_2(small_file, tmp_path, capsys, monkeypatch):
    """Status 2 says the input was bad; a full disk is not the user's flags."""
    import simulation.experiments.ensemble as ensemble

    def full_disk(**_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ensemble, "make_executor", full_disk)
    out = tmp_path / "study"
    arguments = ["--method", "morris", "--trajectories", "2", "--runs-per-point", "1"]
    assert main(["sensitivity", str(small_file), *arguments, "--out", str(out)]) == 1
    assert f"cannot write to {out}: No space left on device" in capsys.readouterr().err
