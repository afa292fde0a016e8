"""Scenario discovery: levers files, designs, parameter draws, paths, PRIM and its report."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments import paths as paths_module
from simulation.experiments.discovery import Discovery, DiscoveryError, load_levers, run_discovery
from simulation.experiments.discovery.boxes import (
    Box,
    _restriction,
    against_chance,
    feature_scores,
    find_boxes,
)
from simulation.experiments.discovery.design import LeverPoints, experiments
from simulation.experiments.discovery.levers import Lever
from simulation.experiments.discovery.report import box_sentence, tradeoff_figure
from simulation.experiments.discovery.study import unmatched_texts
from simulation.experiments.ensemble import SerialExecutor
from simulation.experiments.parameter_draws import PosteriorDraws
from simulation.experiments.paths import read_path_tables
from simulation.experiments.seeds import run_seed
from simulation.model import Mode
from simulation.scenario import ScenarioError

DATA = Path(__file__).parents[1] / "data" / "levers"
LEVERS = DATA / "small_levers.yaml"


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
    boxes = find_boxes(x, y, levers, 2)
    assert boxes[0].rule in (
        "Testament read AND Trotsky healthy",
        "Trotsky healthy AND Testament read",
    )
    assert boxes[0].density == 1.0


def test_factorial_design_gives_every_combination_of_on_off_levers(small_levers):
    table = experiments(small_levers[:2], "factorial", None, 1)
    assert len(table) == 4
    assert len(table.drop_duplicates()) == 4


def test_factorial_design_refuses_a_ranged_lever(small_levers):
    with pytest.raises(DiscoveryError, match="'removal_delay' has a range: use --design lhs"):
        experiments(small_levers, "factorial", None, 1)


def test_latin_hypercube_stays_within_each_levers_range(small_levers):
    table = experiments(small_levers, "lhs", 50, 2)
    assert table["removal_delay"].between(0, 14).all()
    assert table["no_enrolment"].dtype == bool
    assert 15 <= table["no_enrolment"].sum() <= 35  # stratified: about half on


def _write(tmp_path, text):
    path = tmp_path / "levers.yaml"
    path.write_text(text)
    return path


def _off_historys_verdicts(scenario, levers_file, runs, out):
    """A replayed discovery of which runs leave history's order of verdicts, and its runs."""
    discovery = Discovery(
        scenario,
        tuple(load_levers(levers_file, scenario)),
        runs=runs,
        replicates=1,
        mode=Mode.REPLAY,
        outcome="not history_verdicts",
    )
    report = run_discovery(discovery, out, SerialExecutor())
    return report, pd.read_parquet(out / "experiments.parquet")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "levers:\n  a:\n    parameter: hostility\n    range: [0.5, 0.1]\n",
            r"levers.yaml:4: levers.a.range: LOW must be below HIGH, got \[0.5, 0.1\]",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n  b:\n    drop_event: no-such-event\n",
            r"levers.yaml:5: levers.b.drop_event: unknown event 'no-such-event'",
        ),
        (
            "levers:\n  a:\n    move_event: enrolmnet\n    window: [-2, 2]\n",
            r"levers.yaml:3: levers.a.move_event: unknown event 'enrolmnet' "
            r"\(did you mean 'enrolment'",
        ),
        (
            "levers:\n  a:\n    move_event: enrolment\n    window: [-2, 9]\n",
            r"levers.yaml:4: levers.a.window: moved by \+9 months: 1923-05 is outside the period",
        ),
        (
            "levers:\n  a:\n    parameter: hostilty\n    range: [0.1, 0.5]\n",
            r"levers.yaml:3: levers.a.parameter: unknown parameter 'hostilty' "
            r"\(did you mean 'hostility'",
        ),
        (
            "levers:\n  a:\n    parameter: hostility\n    range: [0.1, 5]\n",
            r"levers.yaml:4: levers.a.range: at its high end, 5: .*less than or equal to 1",
        ),
        (
            "levers:\n  a:\n    set: leaders.stalin.influnce\n    range: [0.1, 0.5]\n",
            r"levers.yaml:3: levers.a.set: unknown field 'influnce' \(did you mean 'influence'",
        ),
        (
            "levers:\n  a:\n    parameter: hostility\n    window: [0.1, 0.5]\n",
            r"levers.yaml:4: levers.a.window: a parameter lever takes range: \[LOW, HIGH\]",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n    range: [0, 1]\n",
            r"levers.yaml:4: levers.a.range: a drop_event lever is on or off",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n    colour: red\n",
            r"levers.yaml:4: levers.a.colour: unknown field",
        ),
        (
            "levers:\n  a:\n    overlay: missing.yaml\n",
            r"levers.yaml:3: levers.a.overlay: .*missing.yaml",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n    label: [a, b]\n",
            r"levers.yaml:4: levers.a.label: expected text",
        ),
        ("levers:\n  a: 3\n", r"levers.yaml:2: levers.a: expected a mapping"),
        (
            "levers:\n  a:\n    drop_event: enrolment\n  b:\n    drop_event: enrolment\n",
            r"levers.yaml:4: levers.b: cannot act with levers.a in the same run: "
            r"event 'enrolment' was dropped by an earlier change",
        ),
        (
            "levers:\n  a:\n    drop_event: enrolment\n"
            "  b:\n    move_event: enrolment\n    window: [-1, 1]\n",
            r"levers.yaml:4: levers.b: cannot act with levers.a in the same run",
        ),
        (
            "levers:\n  a:\n    parameter: hostility\n    range: [0.1, 0.5]\n"
            "  b:\n    set: parameters.hostility\n    range: [0.2, 0.3]\n",
            r"levers.yaml:5: levers.b: moves the same parameter as levers.a \(hostility\)",
        ),
        (
            "levers:\n  a:\n    move_event: enrolment\n    window: [-1, 1]\n"
            "  b:\n    move_event: enrolment\n    window: [-2, 0]\n",
            r"levers.yaml:5: levers.b: moves the same move event as levers.a \(enrolment\)",
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
    report, runs = _off_historys_verdicts(small_scenario, levers_file, 12, tmp_path / "out")
    assert (runs["outcome"] == runs["no_verdict"].astype(bool)).all()
    assert report.boxes[0].rule == "Trotsky not condemned"
    assert (report.boxes[0].density, report.boxes[0].coverage) == (1.0, 1.0)


def test_an_overlay_levers_refused_change_is_told_at_its_own_line(small_scenario, tmp_path):
    """Not "levers.ghost: at 1: changes[1]": the overlay's file and line, and what is wrong."""
    (tmp_path / "ghost.yaml").write_text(
        "changes:\n  - drop_event: enrolment\n  - drop_event: ghost\n"
    )
    levers = _write(tmp_path, "levers:\n  ghost:\n    overlay: ghost.yaml\n")
    with pytest.raises(ScenarioError) as refused:
        load_levers(levers, small_scenario)
    assert refused.value.problems == [
        f"{levers}:3: levers.ghost.overlay: {tmp_path / 'ghost.yaml'}:3: changes[1]: "
        "drop_event: unknown event 'ghost'"
    ]


@pytest.fixture
def censure_levers(tmp_path):
    """An overlay lever adding a censure of Stalin the base lacks, and a parameter lever."""
    return _write(
        tmp_path,
        f"levers:\n  censure:\n    overlay: {DATA / 'censure_stalin.yaml'}\n"
        "    label: Stalin censured\n  removal_delay:\n    parameter: removal_delay\n"
        "    range: [0, 14]\n",
    )


def test_a_verdict_an_overlay_lever_adds_takes_the_runs_off_historys_order(
    small_scenario, censure_levers, tmp_path
):
    """Each run's path is read with the scenario it ran, not the base.

    The overlay adds a censure of Stalin that the base scenario does not have: read with
    the base, its runs kept history's order of verdicts (Trotsky alone), and the lever
    that decides the outcome explained nothing.
    """
    report, runs = _off_historys_verdicts(small_scenario, censure_levers, 8, tmp_path / "out")
    assert runs["censure"].any()
    assert (runs["outcome"] == runs["censure"]).all()
    assert report.boxes[0].rule == "Stalin censured"


def test_a_discoverys_paths_are_read_a_block_of_runs_at_a_time(
    small_scenario, censure_levers, tmp_path, monkeypatch
):
    """As an ensemble's are: read whole, an ensemble's logs of 100,000 runs took 2.7 GB
    (an audit's count)."""
    _, whole = _off_historys_verdicts(small_scenario, censure_levers, 8, tmp_path / "whole")
    assert whole["censure"].nunique() == 2  # runs of both scenarios, mixed within a block
    blocks = []

    def read_block(out_dir, runs=None):
        blocks.append(runs)
        return read_path_tables(out_dir, runs)

    monkeypatch.setattr(paths_module, "PATH_BLOCK", 3)
    monkeypatch.setattr(paths_module, "read_path_tables", read_block)
    _, in_blocks = _off_historys_verdicts(small_scenario, censure_levers, 8, tmp_path / "blocks")
    assert blocks == [range(0, 3), range(3, 6), range(6, 9)]
    pd.testing.assert_frame_equal(in_blocks, whole)


@pytest.mark.parametrize("design", ["lhs", "factorial"])
def test_one_lever_is_enough(small_scenario, small_levers, tmp_path, design):
    """A third of one lever rounds to no lever per split, which scikit-learn refused."""
    discovery = Discovery(
        small_scenario,
        tuple(small_levers[:1]),
        runs=6 if design == "lhs" else None,
        replicates=2,
        design=design,
        mode=Mode.REPLAY,
    )
    report = run_discovery(discovery, tmp_path, SerialExecutor())
    assert report.boxes[0].rule == "Zinoviev keeps Leningrad"
    scores = pd.read_csv(tmp_path / "feature_scores.csv")
    assert scores["lever"].tolist() == ["zinoviev_keeps_leningrad"]


def _noisy_levers():
    generator = np.random.default_rng(5)
    x = pd.DataFrame(
        {
            "a": generator.random(300) < 0.5,
            "b": generator.uniform(0, 1, 300),
            "c": generator.uniform(0, 1, 300),
        }
    )
    y = (x["a"] & (generator.random(300) < 0.7)) | (generator.random(300) < 0.1)
    return x, y.to_numpy()


def test_feature_scores_are_the_same_for_the_same_seed():
    x, y = _noisy_levers()
    first = feature_scores(x, y, "outcome", 7)
    pd.testing.assert_frame_equal(first, feature_scores(x, y, "outcome", 7))
    assert not first.equals(feature_scores(x, y, "outcome", 8))


def test_two_identical_discoveries_write_identical_files(small_scenario, small_levers, tmp_path):
    """The extra trees are seeded from --seed: boxes.md and feature_scores.csv do not drift."""
    written = []
    for name in ("first", "second"):
        discovery = Discovery(small_scenario, tuple(small_levers), runs=8, replicates=2, seed=3)
        run_discovery(discovery, tmp_path / name, SerialExecutor())
        written.append(
            [(tmp_path / name / f).read_text() for f in ("boxes.md", "feature_scores.csv")]
        )
    assert written[0] == written[1]


def _sample(rows: int = 40) -> pd.DataFrame:
    """A posterior sample over two parameters, every particle different."""
    return pd.DataFrame(
        {
            "hostility": np.linspace(0.05, 0.95, rows),
            "alliance_rate": np.linspace(0.01, 0.5, rows),
            "weight": np.ones(rows),
        }
    )


def test_each_run_draws_its_own_parameters_and_a_lever_overrides_the_draw(small_scenario):
    """Run r draws what run r of an ensemble of the same seed draws; the lever's value holds."""
    levers = [Lever("hostility", "parameter", "hostility", 0.1, 0.5, "hostility")]
    table = pd.DataFrame({"hostility": [0.2, 0.4, 0.3]})
    draws = PosteriorDraws(_sample())
    points = LeverPoints(levers, table, 4, draws, seed=11)
    scenarios = [points.scenario_for(small_scenario, 0, run) for run in range(points.runs)]
    assert [s.parameters.hostility for s in scenarios] == [0.2] * 4 + [0.4] * 4 + [0.3] * 4
    drawn = [s.parameters.alliance_rate for s in scenarios]
    ensemble = [
        draws.scenario_for(small_scenario, run_seed(11, run)).parameters.alliance_rate
        for run in range(points.runs)
    ]
    assert drawn == ensemble
    assert len(set(drawn)) > 4  # not the same K draws in every combination
    assert "posterior" in points.label and points.label != LeverPoints(levers, table, 4).label


def test_a_parameter_an_overlay_lever_sets_is_not_drawn(small_scenario, tmp_path):
    (tmp_path / "bitter.yaml").write_text("changes:\n  - set: {parameters.alliance_rate: 0.33}\n")
    levers = load_levers(
        _write(tmp_path, "levers:\n  bitter:\n    overlay: bitter.yaml\n"), small_scenario
    )
    points = LeverPoints(
        levers, pd.DataFrame({"bitter": [False, True]}), 3, PosteriorDraws(_sample())
    )
    off, on = points.scenario_for(small_scenario, 0, 0), points.scenario_for(small_scenario, 0, 3)
    assert on.parameters.alliance_rate == 0.33
    assert off.parameters.alliance_rate != small_scenario.parameters.alliance_rate  # drawn


def test_the_manifest_says_which_parameters_the_runs_drew(small_scenario, small_levers, tmp_path):
    sample = tmp_path / "small-posterior.csv"
    _sample().to_csv(sample, index=False)
    draws = PosteriorDraws.read(sample)
    discovery = Discovery(
        small_scenario, tuple(small_levers), runs=4, replicates=2, parameters=draws, seed=5
    )
    run_discovery(discovery, tmp_path / "out", SerialExecutor())
    manifest = json.loads((tmp_path / "out" / "discovery.json").read_text())
    assert manifest["parameters"] == "posterior"
    assert manifest["posterior"] == str(sample)
    assert manifest["posterior_sha256"] == draws.sha256
    assert "run r the draw of run r of an ensemble of root seed 5" in manifest["parameter_draws"]
    assert "each run its own draw from the posterior" in (tmp_path / "out" / "boxes.md").read_text()


def test_the_point_estimate_is_said_too(small_scenario, small_levers, tmp_path):
    discovery = Discovery(small_scenario, tuple(small_levers), runs=4, replicates=1)
    run_discovery(discovery, tmp_path, SerialExecutor())
    manifest = json.loads((tmp_path / "discovery.json").read_text())
    assert (manifest["parameters"], manifest["posterior"]) == ("point", None)
    assert manifest["parameter_draws"].startswith("the point estimate in every run")
    assert {"python", "numpy", "mesa", "ema_workbench"} <= set(manifest["versions"])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"seed": -5}, "--seed must be an integer from 0 to 2\\*\\*63 - 1, got -5"),
        ({"design": "factorial", "runs": 8}, "--runs 8: --design factorial runs every combination"),
    ],
)
def test_a_seed_or_count_it_cannot_take_is_refused_before_any_run(
    small_scenario, small_levers, tmp_path, setting, message
):
    levers = tuple(small_levers[:2]) if "design" in setting else tuple(small_levers)
    discovery = Discovery(small_scenario, levers, **setting)
    with pytest.raises(DiscoveryError, match=message):
        run_discovery(discovery, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    ("outcome", "warned"),
    [
        (
            'dominant == "Stalin"',
            "no run has dominant 'Stalin', so the comparison is the same in every run; "
            "the values that occur: stalin, trotsky",
        ),
        ("dominant in ['stalin', 'Zinoviev']", "no run has dominant 'Zinoviev'"),
        ("`left_stalin_politburo` > 0 and dominant != 'trotsky'", None),
        ('dominant != "stalin"', None),
    ],
)
def test_an_outcome_naming_a_value_no_run_has_is_warned_of(outcome, warned):
    summary = pd.DataFrame(
        {"dominant": ["stalin", "stalin", "trotsky"], "left_stalin_politburo": [0.0, 1.0, 0.0]}
    )
    warnings = unmatched_texts(summary, outcome)
    if warned is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warned in warnings[0]


def test_the_tradeoff_figure_names_the_outcome_and_marks_the_box():
    x, y = _noisy_levers()
    levers = [
        Lever("a", "overlay", "a.yaml", 0, 1, "A"),
        Lever("b", "parameter", "hostility", 0, 1, "b"),
        Lever("c", "parameter", "hostility", 0, 1, "c"),
    ]
    box = find_boxes(x, y, levers, 1)[0]
    axis = tradeoff_figure(box, "not history_verdicts").axes[0]
    assert "not history_verdicts" in axis.get_title()
    assert axis.get_xlim() == (0, 1) and axis.get_ylim() == (0, 1)
    marked = [text.get_text() for text in axis.texts]
    assert marked == [f"box 1: density {box.density:.0%},\ncoverage {box.coverage:.0%}"]


def test_a_second_box_explains_the_cases_the_first_left_out():
    """The second box is held to half the cases left, not half of all of them.

    Testament read or Lenin recovered: either takes the runs off history's verdicts. The
    first box covers two thirds of the cases; held to half of all cases, the second
    (covering the third left) was never reported.
    """
    generator = np.random.default_rng(11)
    x = pd.DataFrame(
        {
            "testament": generator.random(800) < 0.5,
            "recovers": generator.random(800) < 0.5,
            "hostility": generator.uniform(0.1, 0.5, 800),
        }
    )
    y = (x["testament"] | x["recovers"]).to_numpy()
    levers = [
        Lever("testament", "overlay", "t.yaml", 0, 1, "Testament read"),
        Lever("recovers", "overlay", "r.yaml", 0, 1, "Lenin recovers"),
        Lever("hostility", "parameter", "hostility", 0.1, 0.5, "hostility"),
    ]
    boxes = find_boxes(x, y, levers, 3)
    assert {box.rule for box in boxes[:2]} == {"Testament read", "Lenin recovers"}
    assert [box.density for box in boxes[:2]] == [1.0, 1.0]
    assert sum(box.coverage for box in boxes[:2]) == pytest.approx(1.0)
    # PRIM measures the second on the runs the first left; over all runs its rule holds
    # every run where the lever is on, and as many of the cases as that lever makes.
    second = boxes[1]
    on = x["recovers" if second.rule == "Lenin recovers" else "testament"].to_numpy()
    assert second.over_all == pytest.approx((1.0, on.sum() / y.sum(), on.mean()))
    assert second.over_all[2] > second.mass  # the overlap with the first box counts too
    words = box_sentence(second, "off history", 2)
    assert words.startswith(f"among the runs outside box 1: {second.rule} → off history")
    assert f"over all runs the rule holds {on.mean():.0%} of them" in words
    assert boxes[0].over_all is None and "among" not in box_sentence(boxes[0], "off history")


@pytest.mark.parametrize(
    ("low", "high", "written"),
    [(0.139821, 0.5, "from 0.139 to 0.5"), (0.101234, 0.44012, "from 0.101 to 0.441")],
)
def test_a_rule_s_limits_are_rounded_outward(low, high, written):
    """As written, the rule holds every run of the box: a lower limit of 0.139821 written
    0.14 left out the runs between the two."""
    lever = Lever("hostility", "parameter", "hostility", 0.0, 1.0, "hostility")
    clause = _restriction(lever, low, high, pd.Series([0.0, 1.0]))
    assert clause == f"hostility {written}"


def test_a_lever_on_a_count_takes_whole_values(small_scenario, tmp_path):
    """An organisation's members are a count: 1523.7 of them is no value a run can take."""
    text = (
        "levers:\n  members:\n    set: organisations.leningrad.members\n    range: [40000, 60000]\n"
    )
    (lever,) = load_levers(_write(tmp_path, text), small_scenario)
    assert lever.integer
    drawn = experiments([lever], "lhs", 20, seed=3)["members"]
    assert drawn.dtype.kind == "i" and drawn.between(40000, 60000).all() and drawn.nunique() > 10
    (change,) = lever.changes_for(drawn.iloc[0], small_scenario)
    assert change == {"set": {"organisations.leningrad.members": int(drawn.iloc[0])}}
    x = pd.DataFrame({"members": drawn})
    (box,) = find_boxes(x, (drawn > 50000).to_numpy(), [lever], 1)
    assert box.rule.startswith("members from ") and "months" not in box.rule
    # The schema decides, not the value held: the small Politburo has no seats written.
    seats = "levers:\n  seats:\n    set: posts.politburo.seats\n    range: [5, 9]\n"
    (lever,) = load_levers(_write(tmp_path, seats), small_scenario)
    assert lever.changes_for(6.6, small_scenario) == [{"set": {"posts.politburo.seats": 7}}]
    broken = text.replace("60000]", "60000.5]")
    with pytest.raises(ScenarioError) as refused:
        load_levers(_write(tmp_path, broken), small_scenario)
    assert refused.value.problems == [
        f"{tmp_path / 'levers.yaml'}:4: levers.members.range: organisations.leningrad.members is "
        "a whole number; expected whole ends, got [40000, 60000.5]"
    ]


def test_a_lever_on_an_event_a_flag_dropped_is_told_where_it_went(small_scenario, tmp_path):
    from simulation.scenario import apply_changes

    flag = "--drop-event enrolment"
    dropped = apply_changes(small_scenario, [{"drop_event": "enrolment"}], flag)
    levers = _write(tmp_path, "levers:\n  a:\n    drop_event: enrolment\n")
    with pytest.raises(ScenarioError) as refused:
        load_levers(levers, dropped, {"enrolment": flag})
    assert refused.value.problems == [
        f"{levers}:3: levers.a.drop_event: event 'enrolment' was dropped by {flag}"
    ]


def test_a_box_says_its_density_interval_and_whether_chance_could_make_it():
    # PRIM finds a box in shuffled outcomes too: a density whose interval reaches the rate
    # in all runs is not told apart from chance (box 2 of the audit's study: 0.295 of 88).
    weak = Box("Trotsky healthy", 0.295, 0.3, 0.22, ["healthy"], inside=88, rate=0.28)
    said = box_sentence(weak, "stalin dominant")
    assert "in 30% of runs [21%, 40%]" in said
    assert said.endswith("its interval reaches the 28% of all runs: not told apart from chance")
    strong = Box("Stalin removed", 0.9, 0.8, 0.3, ["removed"], inside=300, rate=0.28)
    assert "[86%, 93%]" in box_sentence(strong, "stalin dominant")
    assert "chance" not in box_sentence(strong, "stalin dominant")


def test_the_permutation_test_tells_a_real_box_from_one_chance_made():
    # PRIM finds a box in shuffled outcomes too: a box counts only if few shuffles of the
    # outcomes across the combinations give one as dense (the replicates kept together).
    levers = [
        Lever("testament", "overlay", "t.yaml", 0, 1, "Testament read"),
        Lever("hostility", "parameter", "hostility", 0.1, 0.5, "hostility"),
    ]
    generator = np.random.default_rng(4)
    combinations = pd.DataFrame(
        {"testament": generator.random(100) < 0.5, "hostility": generator.uniform(0.1, 0.5, 100)}
    )
    x = combinations.loc[combinations.index.repeat(4)].reset_index(drop=True)  # 4 replicates
    real = (x["testament"] & (generator.random(400) < 0.9)).to_numpy()
    noise = generator.random(400) < 0.3
    tested = against_chance(find_boxes(x, real, levers, 1), x, real, levers, 4, seed=1, shuffles=30)
    assert tested[0].chance == pytest.approx(1 / 31)  # no shuffle as dense
    assert box_sentence(tested[0], "censure").endswith("(30 shuffles of the outcomes): not chance")
    found = find_boxes(x, noise, levers, 1)
    assert found, "PRIM finds a box in noise, which is what the test is for"
    (chanced,) = against_chance(found, x, noise, levers, 4, seed=1, shuffles=30)
    assert chanced.chance > 0.05
    assert box_sentence(chanced, "censure").endswith("not told apart from chance")
    again = against_chance(found, x, noise, levers, 4, seed=1, shuffles=30)
    assert again[0].chance == chanced.chance  # the shuffles come from the seed
