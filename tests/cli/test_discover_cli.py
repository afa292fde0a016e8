"""``interregnum discover`` end to end: the runs' parameters, and what it refuses before any run."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.cli.discover import SHUFFLES
from simulation.experiments.discovery import boxes

LEVERS = Path(__file__).parents[1] / "data" / "levers"


@pytest.fixture
def overlay_levers(tmp_path):
    """One lever: the overlay that lets Zinoviev, not Stalin, end on top of the small scenario."""
    (tmp_path / "zinoviev_keeps_leningrad.yaml").write_text(
        (LEVERS / "zinoviev_keeps_leningrad.yaml").read_text()
    )
    path = tmp_path / "one.yaml"
    path.write_text(
        "levers:\n  zinoviev:\n    overlay: zinoviev_keeps_leningrad.yaml\n"
        "    label: Zinoviev keeps Leningrad\n"
    )
    return path


def _discover(small_file, levers, out, *flags):
    return main(
        [
            "discover",
            str(small_file),
            "--levers",
            str(levers),
            "--mode",
            "replay",
            "--workers",
            "1",
            "--quiet",
            "--out",
            str(out),
            *flags,
        ]
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--seed", "-5"], "--seed must be an integer from 0 to 2**63 - 1, got -5"),
        (
            ["--design", "factorial", "--runs", "10"],
            "--runs 10: --design factorial runs every combination of the on/off levers (2 for 1)",
        ),
        (["--replicates", "0"], "--replicates must be at least 1, got 0"),
        (["--shuffles", "-1"], "--shuffles must be at least 0, got -1"),
        (["--shuffles", "1000000"], "--shuffles must be at most 100,000, got 1,000,000"),
        (  # a traceback: the design's billion rows asked of numpy
            ["--runs", "1000000000", "--replicates", "1"],
            "--runs 1,000,000,000 x --replicates 1 makes 1,000,000,000 runs; a study takes at "
            "most 10,000,000",
        ),
        (["--parameters", "posterior"], "no posterior sample"),
    ],
)
def test_what_discover_cannot_do_is_refused_with_status_2_before_any_run(
    small_file, overlay_levers, tmp_path, capsys, flags, message
):
    out = tmp_path / "out"
    assert _discover(small_file, overlay_levers, out, *flags) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (out / "runs").exists()


def test_a_bad_levers_file_and_bad_numbers_are_named_in_one_attempt(small_file, tmp_path, capsys):
    levers = tmp_path / "bad.yaml"
    levers.write_text("levers:\n  zinoviev:\n    overlay: nowhere.yaml\n")
    out = tmp_path / "out"
    bad = ["--seed", "-5", "--boxes", "0", "--runs", "1"]
    assert _discover(small_file, levers, out, *bad) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "compiling" not in line]
    assert err[-1] == "interregnum: 4 problems; nothing was run."
    assert err[0].startswith(f"{levers}:") and "nowhere.yaml" in err[0]
    assert err[1:4] == [
        "--runs must be at least 2, got 1",
        "--boxes must be at least 1, got 0",
        "--seed must be an integer from 0 to 2**63 - 1, got -5",
    ]
    assert not out.exists()


def test_one_overlay_lever_in_a_factorial_design_finds_its_box(
    small_file, overlay_levers, tmp_path, capsys
):
    out = tmp_path / "out"
    assert _discover(small_file, overlay_levers, out, "--design", "factorial") == 0
    said = capsys.readouterr().out
    assert "box 1: Zinoviev keeps Leningrad →" in said
    assert pd.read_csv(out / "feature_scores.csv")["lever"].tolist() == ["zinoviev"]
    # Tested against shuffles of the outcomes: two combinations, so two orders of them.
    assert f"({SHUFFLES} shuffles of the outcomes)" in said
    recorded = json.loads((out / "discovery.json").read_text())
    assert recorded["shuffles"] == SHUFFLES == boxes.SHUFFLES  # the command's default
    assert recorded["boxes"] == 3  # a rerun without it found other boxes
    assert pd.read_csv(out / "boxes.csv")["p_chance"].between(0, 1).all()


def test_the_runs_draw_from_the_posterior_named_and_the_manifest_says_so(
    small_file, overlay_levers, tmp_path, capsys
):
    sample = tmp_path / "posterior.csv"
    pd.DataFrame({"hostility": np.linspace(0.1, 0.9, 30), "weight": 1.0}).to_csv(
        sample, index=False
    )
    out = tmp_path / "out"
    assert _discover(small_file, overlay_levers, out, "--posterior", str(sample)) == 0
    assert f"parameters: each run its own draw from the posterior {sample}" in (
        capsys.readouterr().out
    )
    manifest = json.loads((out / "discovery.json").read_text())
    assert (manifest["parameters"], manifest["posterior"]) == ("posterior", str(sample))
    runs = json.loads((out / "runs" / "manifest.json").read_text())
    assert runs["parameters"].endswith("each run drawn from the posterior")
    assert manifest["model_sha256"] == runs["model_sha256"]  # the study says its code too


def test_without_a_posterior_sample_the_point_estimate_is_used_with_a_note(
    small_file, overlay_levers, tmp_path, capsys
):
    out = tmp_path / "out"
    assert _discover(small_file, overlay_levers, out, "--runs", "4", "--replicates", "1") == 0
    captured = capsys.readouterr()
    assert "no posterior sample" in captured.err
    assert "parameters: the point estimate in every run" in captured.out
    assert json.loads((out / "discovery.json").read_text())["parameters"] == "point"


def test_an_outcome_comparing_with_a_value_no_run_has_is_warned_of(
    small_file, overlay_levers, tmp_path, capsys
):
    out = tmp_path / "out"
    flags = ["--runs", "4", "--replicates", "1", "--outcome", 'dominant == "lenin"']
    assert _discover(small_file, overlay_levers, out, *flags) == 0
    err = capsys.readouterr().err
    assert "warning: --outcome 'dominant == \"lenin\"': no run has dominant 'lenin'" in err
    assert "the values that occur: " in err


def test_an_outcome_naming_no_leader_of_the_scenario_is_refused_before_any_run(
    small_file, overlay_levers, tmp_path, capsys
):
    """``dominant == "Stalin"`` is false in every run: a slip, not a finding."""
    out = tmp_path / "out"
    flags = ["--runs", "4", "--replicates", "1", "--outcome", 'dominant in ["stalin", "Zinovev"]']
    assert _discover(small_file, overlay_levers, out, *flags) == 2
    assert capsys.readouterr().err == (
        'interregnum: --outcome \'dominant in ["stalin", "Zinovev"]\': unknown leader '
        "'Zinovev' (did you mean 'zinoviev'?)\n"
    )
    assert not out.exists()


def test_a_lever_over_what_a_set_flag_holds_is_refused(small_file, tmp_path, capsys):
    """The lever would override the flag in every run, and the user would never know."""
    levers = tmp_path / "levers.yaml"
    (tmp_path / "disciplined.yaml").write_text("changes:\n  - set: {parameters.discipline: 0.9}\n")
    levers.write_text(
        "levers:\n  hostile:\n    parameter: hostility\n    range: [0.1, 0.5]\n"
        "  members:\n    set: organisations.leningrad.members\n    range: [1000, 2000]\n"
        "  disciplined:\n    overlay: disciplined.yaml\n"
        "  economic:\n    set: leaders.stalin.stance.economic\n    range: [0, 0.5]\n"
    )
    out = tmp_path / "out"
    flags = ["--set", "parameters.hostility=0.3", "--set", "organisations.leningrad.members=1500"]
    flags += ["--set", "parameters.discipline=0.5"]
    flags += ["--set", "leaders.stalin.stance={economic: 0.9, regime: 0.9}"]
    assert _discover(small_file, levers, out, *flags) == 2
    assert capsys.readouterr().err.splitlines() == [
        "--set parameters.hostility=0.3: levers.hostile sets parameters.hostility too, and "
        "would override the flag in every run; drop the flag or the lever",
        "--set organisations.leningrad.members=1500: levers.members sets "
        "organisations.leningrad.members too, and would override the flag in every run; drop the "
        "flag or the lever",
        "--set parameters.discipline=0.5: levers.disciplined sets parameters.discipline too, and "
        "would override the flag in every run; drop the flag or the lever",
        "--set leaders.stalin.stance={economic: 0.9, regime: 0.9}: levers.economic sets "
        "leaders.stalin.stance.economic too, and would override the flag in every run; drop the "
        "flag or the lever",
        "interregnum: 4 problems; nothing was run.",
    ]
    assert not out.exists()


def test_a_lever_on_an_event_dropped_by_a_flag_is_told_where_it_went(small_file, tmp_path, capsys):
    levers = tmp_path / "levers.yaml"
    levers.write_text("levers:\n  a:\n    drop_event: enrolment\n")
    out = tmp_path / "out"
    assert _discover(small_file, levers, out, "--drop-event", "enrolment") == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{levers}:3: levers.a.drop_event: event 'enrolment' was dropped by --drop-event enrolment"
    )
    assert not out.exists()
