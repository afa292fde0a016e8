"""Sensitivity studies on the small scenario, whose structure is known.

In replay mode every decision of the small scenario is forced, so ``removal_delay``
(how long a free-mode campaign must run before a removal) cannot change anything,
while ``power_apparatus_weight`` enters Stalin's power share directly.
"""

import re
from concurrent.futures import Future

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from simulation.experiments.ensemble import SerialExecutor
from simulation.experiments.seeds import run_seeds
from simulation.experiments.sensitivity import (
    SensitivityError,
    Study,
    run_study,
    study_problems,
)
from simulation.experiments.sensitivity import report as report_module
from simulation.experiments.sensitivity.design import bounds_for, problem, sample
from simulation.experiments.sensitivity.indices import analyse, not_analysed
from simulation.experiments.sensitivity.metrics import (
    outcome_title,
    partial_points,
    point_means,
    run_values,
)
from simulation.experiments.sensitivity.plots import morris_figure
from simulation.model import Mode
from simulation.model.parameters import free_parameters

VARIED = ("removal_delay", "power_apparatus_weight")


def _study(scenario, method, size, **kwargs):
    return Study(
        scenario,
        method,
        size,
        runs_per_point=kwargs.pop("runs_per_point", 1),
        parameters=VARIED,
        outcomes=("power_stalin",),
        mode=Mode.REPLAY,
        **kwargs,
    )


def _estimates(indices, index):
    return indices[indices["index"] == index].set_index("parameter")["estimate"]


def test_morris_ranks_the_deciding_parameter_first_and_the_idle_one_at_zero(
    small_scenario, tmp_path
):
    report = run_study(_study(small_scenario, "morris", 4), tmp_path / "m", SerialExecutor())
    mu_star = _estimates(report.indices, "mu_star")
    assert mu_star["removal_delay"] == pytest.approx(0.0, abs=1e-12)
    assert mu_star["power_apparatus_weight"] > 0.05
    summary = (tmp_path / "m" / "summary.md").read_text()
    assert "`power_apparatus_weight` moves this outcome most" in summary
    assert {"indices.csv", "samples.parquet", "morris.png", "summary.md"} <= {
        path.name for path in (tmp_path / "m").iterdir()
    }


def test_sobol_gives_the_deciding_parameter_the_variance(small_scenario, tmp_path):
    report = run_study(_study(small_scenario, "sobol", 16), tmp_path / "s", SerialExecutor())
    total = _estimates(report.indices, "ST")
    assert total["removal_delay"] < 0.01
    assert total.idxmax() == "power_apparatus_weight"
    assert total["power_apparatus_weight"] > 0.5
    table = pd.read_csv(tmp_path / "s" / "indices.csv")
    assert list(table.columns) == [
        "method",
        "outcome",
        "parameter",
        "index",
        "estimate",
        "ci_low",
        "ci_high",
    ]
    assert set(table["index"]) == {"S1", "ST"}
    samples = pd.read_parquet(tmp_path / "s" / "samples.parquet")
    assert len(samples) == 16 * (len(VARIED) + 2)  # Saltelli without second order: N (D + 2)


def test_every_point_runs_on_the_same_seeds(small_scenario, tmp_path):
    run_study(_study(small_scenario, "morris", 2, runs_per_point=3), tmp_path, SerialExecutor())
    summary = pd.read_parquet(tmp_path / "runs" / "summary.parquet").sort_values("run")
    three = run_seeds(1, 3)
    assert summary["seed"].tolist() == [three[run % 3] for run in range(len(summary))]
    assert not (tmp_path / "runs" / "quantiles.parquet").exists()  # meaningless across points


class _Interrupted(SerialExecutor):
    """Hands back two chunks, then the user presses Ctrl-C."""

    def __init__(self):
        self.chunks = 0

    def result(self, future: Future):
        self.chunks += 1
        if self.chunks > 2:
            raise KeyboardInterrupt
        return super().result(future)


def test_a_resumed_study_gives_the_indices_of_an_uninterrupted_one(small_scenario, tmp_path):
    study = _study(small_scenario, "morris", 4, runs_per_point=2)
    whole = run_study(study, tmp_path / "whole", SerialExecutor())
    with pytest.raises(KeyboardInterrupt):
        run_study(study, tmp_path / "cut", _Interrupted())
    resumed = run_study(study, tmp_path / "cut", SerialExecutor(), resume=True)
    assert 0 < resumed.simulated < resumed.runs
    pd.testing.assert_frame_equal(resumed.indices, whole.indices)


def test_unknown_parameter_is_refused_with_a_suggestion():
    with pytest.raises(
        SensitivityError, match=r"--parameters: unknown parameter 'hostilty'.*hostility"
    ):
        bounds_for(["hostilty"])


def test_a_sobol_size_that_is_not_a_power_of_two_is_refused(small_scenario, tmp_path):
    with pytest.raises(SensitivityError, match="--samples must be a power of two"):
        run_study(_study(small_scenario, "sobol", 10), tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


def test_an_unknown_outcome_is_refused_before_any_run(small_scenario, tmp_path):
    study = Study(small_scenario, "morris", 2, outcomes=("power_kirov",), mode=Mode.REPLAY)
    with pytest.raises(SensitivityError, match="--outcomes: unknown outcome 'power_kirov'"):
        run_study(study, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


def test_a_point_mean_leaves_out_runs_without_a_value():
    values = pd.Series([1.0, float("nan"), float("nan"), float("nan"), 0.2, 0.4])
    means = point_means(values, 2)
    assert means[0] == 1.0
    assert np.isnan(means[1])
    assert means[2] == pytest.approx(0.3)


def test_any_leader_can_be_asked_whether_he_dominates():
    from simulation.experiments.sensitivity.metrics import available, run_values

    summary = pd.DataFrame(
        {"run": [1, 0, 2], "dominant": ["zinoviev", "stalin", "stalin"], "power_stalin": [0.1] * 3}
    )
    columns = ["power_stalin", "power_zinoviev"]
    assert available(columns, ["dominant_zinoviev", "dominant_lenin"]) == ["dominant_zinoviev"]
    assert list(run_values(summary, "dominant_stalin", 57)) == [1.0, 0.0, 1.0]


def test_the_morris_labels_of_crowded_points_do_not_overlap():
    """Coinciding and crowded points: every label legible, every parameter accounted for."""
    rng = np.random.default_rng(3)
    points = {  # two pairs that coincide, a crowd near the origin, a few apart
        "discipline": (10.1, 13.4),
        "move_threshold": (10.1, 13.4),
        "alliance_rate": (0.3, 0.36),
        "balancing": (0.3, 0.36),
        **{f"minor_{k:02d}": tuple(rng.uniform(0, 1.5, 2)) for k in range(20)},
        "partner_margin": (16.0, 19.7),
        "capture_grievance": (17.0, 24.5),
        "removal_delay": (12.2, 12.7),
    }
    indices = pd.DataFrame(
        [
            {"outcome": outcome, "parameter": name, "index": index, "estimate": value}
            for outcome in ("left_trotsky_war_commissar", "power_stalin")
            for name, (mu_star, sigma) in points.items()
            for index, value in (("mu_star", mu_star), ("sigma", sigma))
        ]
    )
    titles = {"power_stalin": "Joseph Stalin: power share at 1926-12"}
    figure = morris_figure(indices, ["left_trotsky_war_commissar", "power_stalin"], titles=titles)
    FigureCanvasAgg(figure).draw()
    drawn = figure.get_tightbbox()  # inches: titles, axis labels, ticks, all cut by no edge
    assert drawn.x0 >= 0 and drawn.y0 >= 0
    assert drawn.x1 <= figure.get_figwidth() and drawn.y1 <= figure.get_figheight()
    (legend,) = figure.legends  # the dashed line says what it is, below every panel
    assert legend.get_texts()[0].get_text().startswith("σ = μ*: above it")
    assert all(
        not legend.get_window_extent().overlaps(axis.get_window_extent()) for axis in figure.axes
    )
    for axis in figure.axes:
        if not axis.get_visible():
            continue
        frame = axis.get_window_extent()
        labels = [(label, Text.get_window_extent(label)) for label in axis.texts]
        for number, (label, extent) in enumerate(labels):
            assert frame.x0 <= extent.x0 and extent.x1 <= frame.x1, label.get_text()
            assert frame.y0 <= extent.y0 and extent.y1 <= frame.y1, label.get_text()
            crossed = [other.get_text() for other, box in labels[:number] if extent.overlaps(box)]
            assert not crossed, (label.get_text(), crossed)
        named = {name for label, _ in labels for name in label.get_text().split(", ")}
        assert {"discipline", "move_threshold", "capture_grievance"} <= named
        shown = sum(_named(label.get_text()) for label, _ in labels)
        crowded = re.search(r"(\d+) crowded parameters unlabelled", axis.get_title())
        unlabelled = int(crowded[1]) if crowded else 0
        assert shown + unlabelled == len(points)


def test_panels_are_titled_in_words_with_the_scenarios_names(baseline):
    """A panel says what it measures, then the id summary.md ranks it under."""
    titles = {
        name: outcome_title(name, baseline)
        for name in ("dominant_stalin", "power_trotsky", "left_trotsky_war_commissar")
    }
    assert titles == {
        "dominant_stalin": "P(Joseph Stalin dominant at 1926-12)",
        "power_trotsky": "Leon Trotsky: power share at 1926-12",
        "left_trotsky_war_commissar": "months until Leon Trotsky leaves "
        + baseline.posts["war_commissar"].name,
    }
    assert outcome_title("opposition_share_1925-12", baseline).endswith("congress of 1925-12")
    assert outcome_title("members_total", baseline) == "members_total"
    indices = pd.DataFrame(
        [
            {"outcome": "dominant_stalin", "parameter": name, "index": index, "estimate": value}
            for name in ("hostility", "discipline")
            for index, value in (("mu_star", 0.2), ("sigma", 0.1))
        ]
    )
    (axis,) = [
        a
        for a in morris_figure(indices, ["dominant_stalin"], titles=titles).axes
        if a.get_visible()
    ]
    assert axis.get_title() == (
        "P(Joseph Stalin dominant at 1926-12)\ndominant_stalin: every parameter labelled"
    )


def _named(label: str) -> int:
    """How many parameters a label of the μ*–σ plane stands for: ``a, b, c +4`` is 7."""
    names, _, more = label.partition(" +")
    return len(names.split(", ")) + int(more or 0)


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_a_single_parameter_is_refused_before_any_run(small_scenario, tmp_path, method):
    """SALib refuses one parameter only after every run; the study refuses it first."""
    study = Study(small_scenario, method, 4, parameters=("hostility",), outcomes=("power_stalin",))
    with pytest.raises(SensitivityError, match=f"{method} needs at least two parameters"):
        run_study(study, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


def test_a_negative_seed_is_refused_before_any_run(small_scenario, tmp_path):
    study = _study(small_scenario, "morris", 2, seed=-1)
    with pytest.raises(SensitivityError, match=r"--seed must be an integer from 0 to 2\*\*63 - 1"):
        run_study(study, tmp_path, SerialExecutor())
    assert not (tmp_path / "runs").exists()


def test_every_problem_of_a_study_is_named_at_once(small_scenario):
    study = Study(
        small_scenario,
        "sobol",
        10,
        runs_per_point=0,
        parameters=("hostility",),
        outcomes=("power_kirov",),
        seed=-1,
    )
    problems = study_problems(study)
    assert len(problems) == 5
    for words in ("--runs-per-point", "--seed", "--samples", "two parameters", "power_kirov"):
        assert any(words in problem for problem in problems), words


def test_an_outcome_missing_at_some_points_is_not_called_constant():
    constant_elsewhere = np.array([0.5, np.nan, 0.5, 0.5])
    assert not_analysed(constant_elsewhere) == "not analysed: 1 of 4 points gave no value"
    assert not_analysed(np.full(4, 0.5)) == "not analysed: does not vary over the sample"
    assert not_analysed(np.array([0.1, 0.2, 0.3, 0.4])) is None


POINTS = 12
"""Points of the made-up study whose report is drawn below."""


def _made_up_report(small_scenario, tmp_path, monkeypatch, method):
    """Write the report of a study with an analysed, a half-missing and a constant outcome.

    Returns each panel's title and texts, and the summary, as written.
    """
    rng = np.random.default_rng(5)
    samples = pd.DataFrame(rng.uniform(size=(POINTS, 2)), columns=list(VARIED))
    samples.insert(0, "point", np.arange(POINTS))
    samples["power_stalin"] = rng.uniform(size=POINTS)
    samples["opposition_share_1925-12"] = np.where(np.arange(POINTS) < 3, np.nan, 0.4)
    samples["opposition_share_1925-12"] += rng.uniform(size=POINTS)
    samples["left_trotsky_war_commissar"] = 57.0
    outcomes = ["power_stalin", "opposition_share_1925-12", "left_trotsky_war_commissar"]
    index_names = ("mu_star", "sigma", "mu") if method == "morris" else ("S1", "ST")
    indices = pd.DataFrame(
        [
            (method, outcome, name, index, value, value - 0.1, value + 0.1)
            for outcome in outcomes
            for name, analysed in zip(VARIED, (0.6, 0.1), strict=True)
            for index in index_names
            for value in [analysed if outcome == "power_stalin" else np.nan]
        ],
        columns=["method", "outcome", "parameter", "index", "estimate", "ci_low", "ci_high"],
    )
    drawn = []
    # Kept instead of written; the report still lists the file.
    monkeypatch.setattr(
        report_module, "write_figure", lambda figure, path: drawn.append(figure) or path
    )
    bounds = bounds_for(VARIED)
    study = _study(small_scenario, method, 4)
    report_module.write_report(tmp_path, study, bounds, samples, indices, outcomes)
    panels = {
        # A title ends with the outcome's id, then what else it says after a colon.
        axis.get_title().split("\n")[-1].split(":")[0]: [text.get_text() for text in axis.texts]
        for axis in drawn[0].axes
        if axis.get_visible()
    }
    return panels, (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_each_empty_panel_says_why_as_the_summary_does(
    small_scenario, tmp_path, monkeypatch, method
):
    """An outcome missing at 3 points is not one that does not vary, in figure and summary."""
    panels, summary = _made_up_report(small_scenario, tmp_path, monkeypatch, method)
    assert panels["opposition_share_1925-12"] == [
        f"not analysed: 3 of {POINTS} points gave no value"
    ]
    assert panels["left_trotsky_war_commissar"] == ["not analysed: does not vary over the sample"]
    assert not any("not analysed" in text for text in panels["power_stalin"])
    missing, constant = summary.split("## opposition_share_1925-12")[1].split(
        "## left_trotsky_war_commissar"
    )
    assert f"no run of 3 of the {POINTS} points gave it a value" in missing
    assert "did not vary" not in missing
    assert "did not vary over the sample" in constant


def test_the_opposition_share_is_the_share_against_the_majority():
    """The default outcome of a study: its values, and μ with them, were the majority's."""
    summary = pd.DataFrame(
        {"run": [1, 0], "seed": [2, 1], "congress_1925-12_for_share": [0.90, 0.95]}
    )
    values = run_values(summary, "opposition_share_1925-12", 57)
    assert values.round(6).tolist() == [0.05, 0.10]  # by run


def test_a_study_varies_the_fitted_parameters_over_their_priors():
    """Not over every value the model accepts, which the fit has ruled out."""
    assert bounds_for(None) == free_parameters()


def test_the_interval_of_mu_star_is_centred_on_it():
    """SALib gives μ*'s bootstrap half-width; the interval is μ* ± it (cut at 0 below)."""
    spec = problem({"a": (0.0, 1.0), "b": (0.0, 1.0)})
    x = sample(spec, "morris", 4, 1)
    y = 3 * x[:, 0] + x[:, 1] ** 2 + np.sin(5 * x[:, 0] * x[:, 1])
    indices = analyse(spec, "morris", {"y": y}, 1)
    mu_star = indices[indices["index"] == "mu_star"]
    assert len(mu_star) == 2
    centres = (mu_star["ci_low"] + mu_star["ci_high"]) / 2
    assert np.allclose(centres, mu_star["estimate"])
    assert (mu_star["ci_high"] > mu_star["estimate"]).all()


def _table(method, rows):
    """An indices table of one outcome ``y``: rows of (parameter, index, estimate, low, high)."""
    return pd.DataFrame(
        [(method, "y", *row) for row in rows],
        columns=["method", "outcome", "parameter", "index", "estimate", "ci_low", "ci_high"],
    )


def test_a_mu_star_interval_never_reaches_below_zero():
    """A mean of absolute effects cannot be negative: SALib's normal interval can."""
    spec = problem({"a": (0.0, 1.0), "b": (0.0, 1.0)})
    x = sample(spec, "morris", 6, 1)
    y = (x[:, 0] > 0.9) * 1.0 + 0.001 * x[:, 1]  # one rare jump: a wide interval about μ*
    mu_star = analyse(spec, "morris", {"y": y}, 1).query("index == 'mu_star'")
    assert (mu_star["ci_low"] >= 0).all()


def test_sobol_says_barely_only_of_an_index_whose_whole_interval_is_small():
    ranked = _table(
        "sobol",
        [
            ("a", "ST", 0.6, 0.5, 0.7),
            ("b", "ST", 0.009, -0.002, 0.02),
            ("c", "ST", 0.002, 0, 0.005),
        ],
    )
    words = " ".join(report_module._ranked_words(ranked, "sobol"))
    assert "barely matter" in words and "`c`" in words and "`b`" not in words.split("barely")[1]


def test_first_order_shares_that_cannot_be_shares_are_called_a_too_small_sample():
    rows = [("a", "S1", -0.9, -1.2, -0.6), ("b", "S1", 0.2, 0.0, 0.4)]
    rows += [("a", "ST", 0.5, 0.3, 0.7), ("b", "ST", 0.5, 0.3, 0.7)]
    words = " ".join(report_module._interactions(_table("sobol", rows), "sobol"))
    assert "the sample is too small to share the variance out" in words
    assert "%" not in words  # not "170% of the outcome's variance"


def test_morris_tells_effects_of_both_signs_from_effects_of_one_sign_seen_rarely():
    rows = [
        ("a", "mu_star", 0.2, 0.1, 0.3),
        ("a", "sigma", 0.4, None, None),
        ("a", "mu", 0.0, None, None),
    ]
    rows += [
        ("b", "mu_star", 0.1, 0.0, 0.2),
        ("b", "sigma", 0.3, None, None),
        ("b", "mu", 0.1, None, None),
    ]
    words = report_module._interactions(_table("morris", rows), "morris")
    (both,) = [line for line in words if "change sign" in line]
    (one,) = [line for line in words if "one sign" in line]
    assert "`a`" in both and "`b`" not in both and "`b`" in one


def test_points_with_some_runs_missing_are_counted():
    values = pd.Series([1.0, float("nan"), float("nan"), float("nan"), 0.2, 0.4])
    assert partial_points(values, 2) == 1  # the first point; the second has none, the third both
