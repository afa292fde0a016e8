"""Scenario discovery: levers files, designs, and PRIM finding a planted rule."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.discovery import Discovery, DiscoveryError, load_levers, run_discovery
from simulation.experiments.discovery.boxes import find_boxes
from simulation.experiments.discovery.design import experiments
from simulation.experiments.discovery.levers import Lever
from simulation.experiments.ensemble import SerialExecutor
from simulation.model import Mode
from simulation.scenario import ScenarioError

LEVERS = Path(__file__).parents[1] / "data" / "levers" / "small_levers.yaml"


@pytest.fixture
def small_levers(small_scenario):
    return load_levers(LEVERS, small_scenario)


def test_prim_finds_the_planted_overlay_as_its_first_box(small_scenario, small_levers, tmp_path):
    discovery = Discovery(
        small_scenario, tuple(small_levers), runs=24, replicates=2, mode=Mode.REPLAY
    )
    report = run_discovery(discovery, tmp_path, SerialExecutor())
    assert report.boxes[0].rule == "Zinoviev keeps Leningrad"
    assert report.boxes[0].density == 1.0
    assert report.boxes[0].coverage == 1.0
    runs = pd.read_parquet(tmp_path / "experiments.parquet")
    assert (runs["outcome"] == runs["zinoviev_keeps_leningrad"]).all()
    scores = pd.read_csv(tmp_path / "feature_scores.csv")
    assert scores.iloc[0]["lever"] == "zinoviev_keeps_leningrad"
    text = (tmp_path / "boxes.md").read_text()
    assert '1. Zinoviev keeps Leningrad → `dominant != "stalin"` in 100% of runs' in text
    assert (tmp_path / "tradeoff.png").stat().st_size > 0


def test_prim_states_a_two_lever_rule_in_words():
    levers = [
        Lever("testament", "overlay", "t.yaml", 0, 1, "Testament read"),
        Lever("healthy", "overlay", "h.yaml", 0, 1, "Trotsky healthy"),
        Lever("hostility", "parameter", "hostility", 0.1, 0.5, "hostility"),
    ]
    generator = np.random.default_rng(3)
    x = pd.DataFrame(
        {
            "testament": generator.random(600) < 0.5,
            "healthy": generator.random(600) < 0.5,
            "hostility": generator.uniform(0.1, 0.5, 600),
        }
    )
    y = (x["testament"] & x["healthy"]).to_numpy()
    boxes, _ = find_boxes(x, y, levers, 2)
    assert boxes[0].rule in (
        "Testament read AND Trotsky healthy",
        "Trotsky healthy AND Testament read",
    )
    assert boxes[0].density == 1.0


def test_factorial_design_gives_every_combination_of_on_off_levers(small_levers):
    table = experiments(small_levers[:2], "factorial", 0, 1)
    assert len(table) == 4
    assert len(table.drop_duplicates()) == 4


def test_factorial_design_refuses_a_ranged_lever(small_levers):
    with pytest.raises(DiscoveryError, match="'removal_delay' has a range: use --design lhs"):
        experiments(small_levers, "factorial", 0, 1)


def test_latin_hypercube_stays_within_each_levers_range(small_levers):
    table = experiments(small_levers, "lhs", 50, 2)
    assert table["removal_delay"].between(0, 14).all()
    assert table["no_enrolment"].dtype == bool
    assert 15 <= table["no_enrolment"].sum() <= 35  # stratified: about half on


def _write(tmp_path, text):
    path = tmp_path / "levers.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "levers:\n  a:\n    parameter: hostility\n    range: [0.5, 0.1]\n",
            r"levers.yaml:2: levers.a.range: LOW must be below HIGH, got \[0.5, 0.1\]",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n  b:\n    drop_event: no-such-event\n",
            r"levers.yaml:4: levers.b: at 1: .*no-such-event",
        ),
        (
            "levers:\n  a:\n    move_event: enrolmnet\n    window: [-2, 2]\n",
            r"levers.yaml:2: levers.a: at -2: unknown event 'enrolmnet' \(did you mean 'enrolment'",
        ),
        (
            "levers:\n  a:\n    parameter: hostilty\n    range: [0.1, 0.5]\n",
            r"levers.yaml:2: levers.a: at 0.1: .*hostilty",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n    colour: red\n",
            r"levers.yaml:2: levers.a.colour: unknown field",
        ),
        (
            "levers:\n  a:\n    overlay: missing.yaml\n",
            r"levers.yaml:2: levers.a.overlay: .*missing.yaml",
        ),
        ("levers: []\n", r"levers.yaml:1: levers: expected a mapping of lever names"),
    ],
)
def test_a_bad_levers_file_says_where(small_scenario, tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message):
        load_levers(_write(tmp_path, text), small_scenario)


def test_a_bad_outcome_expression_is_refused_before_any_run(small_scenario, small_levers, tmp_path):
    discovery = Discovery(small_scenario, tuple(small_levers), runs=4, outcome="power_stalin + 1")
    with pytest.raises(DiscoveryError, match="expected a true/false condition per run"):
        run_discovery(discovery, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    ("setting", "message"),
    [({"replicates": 0}, "--replicates must be at least 1"), ({"boxes": 0}, "--boxes must be")],
)
def test_a_count_below_one_is_refused_before_any_run(
    small_scenario, small_levers, tmp_path, setting, message
):
    """No boxes asked would be reported as no outcome of interest found."""
    discovery = Discovery(small_scenario, tuple(small_levers), runs=4, **setting)
    with pytest.raises(DiscoveryError, match=message):
        run_discovery(discovery, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


def test_an_outcome_may_be_a_condition_on_the_runs_paths(small_scenario, tmp_path):
    # Replayed, every run condemns Trotsky as the scenario does: dropping that verdict is
    # what takes a run off history's order of verdicts, and PRIM says so.
    levers_file = tmp_path / "levers.yaml"
    levers_file.write_text(
        "levers:\n"
        "  no_verdict:\n"
        "    drop_event: condemn\n"
        "    label: Trotsky not condemned\n"
        "  removal_delay:\n"
        "    parameter: removal_delay\n"
        "    range: [0, 14]\n"
    )
    levers = load_levers(levers_file, small_scenario)
    discovery = Discovery(
        small_scenario,
        tuple(levers),
        runs=12,
        replicates=1,
        mode=Mode.REPLAY,
        outcome="not history_verdicts",
    )
    report = run_discovery(discovery, tmp_path / "out", SerialExecutor())
    runs = pd.read_parquet(tmp_path / "out" / "experiments.parquet")
    assert (runs["outcome"] == runs["no_verdict"].astype(bool)).all()
    assert report.boxes[0].rule == "Trotsky not condemned"
    assert (report.boxes[0].density, report.boxes[0].coverage) == (1.0, 1.0)
