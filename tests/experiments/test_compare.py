"""Comparisons: metrics, bootstrap intervals, paired differences, the compare command."""

import contextlib
import io
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, KOBA_SCENARIO, ROOT, SMALL_SCENARIO
from scipy.stats import binomtest

from simulation.cli import main
from simulation.experiments.compare.comparison import check_report_folder
from simulation.experiments.compare.report import (
    format_interval,
    headline_table,
    key_leaders,
    main_metrics,
    markdown_table,
    metric_label,
    parameters_sentence,
)
from simulation.experiments.compare.statistics import (
    COLUMNS,
    LEVEL,
    RESAMPLES,
    _blocks,
    check_paired,
    compare_summaries,
    identical_runs,
    metric_names,
    metric_values,
    nan_mean,
    paired_difference_interval,
    paired_resamples,
    percentile_interval,
    resample_counts,
    wilson_interval,
)
from simulation.experiments.ensemble import EnsembleError
from simulation.experiments.outcomes import NO_DOMINANT
from simulation.experiments.paths import HISTORY_METRICS, history_orders, read_run_paths
from simulation.model.code_version import model_digest
from simulation.output.comparison import plot_comparison
from simulation.scenario import apply_changes, load_scenario

NO_ENROLMENT = ROOT / "scenarios" / "counterfactuals" / "no_lenin_enrolment.yaml"
STALIN_REMOVED = ROOT / "scenarios" / "counterfactuals" / "stalin_removed_1923.yaml"
RUNS = 20


def synthetic_summary(name, runs=8, seed=0):
    """A summary table with the columns of an ensemble's, drawn at random."""
    rng = np.random.default_rng(seed)
    left = rng.integers(10, 40, runs).astype(float)
    left[rng.random(runs) < 0.4] = np.nan  # he never left the post in those runs
    return pd.DataFrame(
        {
            "run": np.arange(runs),
            "seed": np.arange(runs) * 7 + 3,
            "scenario": name,
            "dominant": rng.choice(["stalin", "zinoviev"], runs, p=[0.7, 0.3]),
            "power_stalin": rng.random(runs),
            "power_zinoviev": rng.random(runs),
            "power_trotsky": rng.random(runs) / 4,
            "left_trotsky_war_commissar": left,
            "left_lenin_politburo": np.full(runs, 21.0),
            "congress_1924-05_for_share": np.where(rng.random(runs) < 0.5, 0.8, np.nan),
        }
    )


# --- metrics -------------------------------------------------------------------------


def test_metrics_make_never_left_explicit_and_average_timings_where_defined():
    summary = pd.DataFrame(
        {
            "run": [0, 1, 2, 3],
            "seed": [5, 6, 7, 8],
            "scenario": "s",
            "dominant": ["stalin", "stalin", "trotsky", "stalin"],
            "power_stalin": [0.4, 0.5, 0.2, 0.3],
            "left_trotsky_war_commissar": [30.0, np.nan, np.nan, 34.0],
        }
    )
    metrics = metric_names([summary])
    assert metrics == [
        "p_dominant_stalin",
        "p_dominant_trotsky",
        "power_stalin",
        "p_left_trotsky_war_commissar",
        "left_trotsky_war_commissar",
    ]
    values = metric_values(summary, metrics)
    assert values[:, 3].tolist() == [1.0, 0.0, 0.0, 1.0]
    table = compare_summaries({"s": summary}, "s", resamples=200)
    estimates = dict(zip(table["metric"], table["estimate"], strict=True))
    assert estimates == pytest.approx(
        {
            "p_dominant_stalin": 0.75,
            "p_dominant_trotsky": 0.25,
            "power_stalin": 0.35,
            "p_left_trotsky_war_commissar": 0.5,
            "left_trotsky_war_commissar": 32.0,  # over the two runs in which he left
        }
    )
    assert dict(zip(table["metric"], table["n"], strict=True))["left_trotsky_war_commissar"] == 2


def test_a_column_missing_from_one_scenario_is_undefined_there():
    base = synthetic_summary("base")
    alt = synthetic_summary("alt").drop(columns=["congress_1924-05_for_share"])
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=100)
    row = table[(table["metric"] == "congress_1924-05_for_share") & (table["scenario"] == "alt")]
    assert row["n"].item() == 0
    assert row[["estimate", "difference", "diff_ci_low"]].isna().all(axis=None)


def test_unpaired_summaries_are_refused():
    base = synthetic_summary("base")
    other = synthetic_summary("other").assign(seed=lambda frame: frame["seed"] + 1)
    with pytest.raises(ValueError, match="differ in their seed column: their runs are not paired"):
        check_paired({"base": base, "other": other})
    with pytest.raises(ValueError, match="other has 5 runs and base 8"):
        compare_summaries({"base": base, "other": synthetic_summary("other", runs=5)}, "base")


# --- the bootstrap -------------------------------------------------------------------


# One column's interval, and a difference's, from the comparison's resampling: what
# compare_summaries computes for every metric at once, here for the tests to check.
def bootstrap_interval(
    values: np.ndarray, resamples: int = RESAMPLES, level: float = LEVEL, *, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mean of each column with its percentile bootstrap interval, ignoring NaN.

    Args:
        values: ``(runs,)`` or ``(runs, columns)``.
        resamples: bootstrap resamples.
        level: coverage of the interval.
        seed: seed of the resampling generator.

    Returns:
        ``(estimate, low, high)``, each of shape ``(columns,)`` (scalars for 1-D input).
    """
    array = _columns(values)
    (samples,) = paired_resamples([array], resamples, seed=seed)
    estimate, _ = nan_mean(array)
    low, high = percentile_interval(samples, level)
    return _shaped(values, estimate, low, high)


def difference_interval(
    base: np.ndarray,
    alternative: np.ndarray,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    *,
    seed: int = 1,
    paired: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The difference of means ``alternative - base`` with its bootstrap interval.

    Args:
        base: ``(runs,)`` or ``(runs, columns)``.
        alternative: the same shape; row ``i`` paired with row ``i`` of ``base``.
        resamples: bootstrap resamples.
        level: coverage of the interval.
        seed: seed of the resampling generator.
        paired: resample run indices jointly (the comparison's bootstrap); ``False``
            resamples each scenario on its own, ignoring the pairing (for contrast).

    Returns:
        ``(difference, low, high)``, shaped like :func:`bootstrap_interval`'s.
    """
    first, second = _columns(base), _columns(alternative)
    if paired:
        samples_base, samples_alt = paired_resamples([first, second], resamples, seed=seed)
    else:
        rng = np.random.default_rng(seed)
        (samples_base,) = paired_resamples([first], resamples, rng)
        (samples_alt,) = paired_resamples([second], resamples, rng)
    difference = nan_mean(second)[0] - nan_mean(first)[0]
    low, high = percentile_interval(samples_alt - samples_base, level)
    return _shaped(base, difference, low, high)


def _columns(values: np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[:, None] if array.ndim == 1 else array


def _shaped(values: np.ndarray, *arrays: np.ndarray) -> tuple:
    if np.ndim(values) == 1:
        return tuple(float(array[0]) for array in arrays)
    return arrays


def test_resample_counts_draw_every_run_the_right_number_of_times():
    counts = resample_counts(np.random.default_rng(0), runs=50, resamples=4000)
    assert counts.shape == (4000, 50)
    assert (counts.sum(axis=1) == 50).all()
    # Each run is drawn Binomial(50, 1/50) times: mean 1, variance 0.98.
    assert counts.mean() == pytest.approx(1.0)
    assert counts.var() == pytest.approx(0.98, rel=0.03)


def test_the_same_seed_gives_the_same_intervals():
    values = np.random.default_rng(3).normal(size=(100, 2))
    first = bootstrap_interval(values, resamples=300, seed=9)
    again = bootstrap_interval(values, resamples=300, seed=9)
    other = bootstrap_interval(values, resamples=300, seed=10)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[1], other[1])


def test_blocks_of_resamples_draw_the_same_runs_and_the_same_means_to_rounding():
    # The draws are exactly the same whatever the block: the generator's stream is
    # consumed in the same order.
    whole = resample_counts(np.random.default_rng(2), runs=30, resamples=100)
    rng = np.random.default_rng(2)
    blocks = [resample_counts(rng, 30, stop - start) for start, stop in _blocks(100, 7)]
    assert np.array_equal(whole, np.concatenate(blocks))
    # The means are then equal up to the order of the matrix product's sums (~1e-16),
    # which the shape of the block changes: equal to rounding, not bit for bit.
    values = [np.random.default_rng(4).normal(size=(30, 3))]
    in_one = paired_resamples(values, 100, seed=2, block=100)[0]
    in_sevens = paired_resamples(values, 100, seed=2, block=7)[0]
    np.testing.assert_allclose(in_sevens, in_one, rtol=1e-12, atol=1e-15)
    by_hand = (whole @ values[0]) / 30  # each resample's mean, computed directly
    np.testing.assert_allclose(in_one, by_hand, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("draw", "mean"),
    [
        (lambda rng, n: rng.normal(0.3, 1.0, n), 0.3),
        (lambda rng, n: (rng.random(n) < 0.2).astype(float), 0.2),  # a P(dominant)
    ],
)
def test_the_bootstrap_interval_covers_a_known_mean_about_95_percent_of_the_time(draw, mean):
    rng = np.random.default_rng(2024)
    datasets = 300
    covered = 0
    for k in range(datasets):
        sample = draw(rng, 200)
        estimate, low, high = bootstrap_interval(sample, resamples=1000, seed=k)
        assert low <= estimate <= high
        covered += low <= mean <= high
    # Binomial(300, 0.95) has sd 1.3%; the percentile interval runs a little short at n=200.
    assert 0.90 <= covered / datasets <= 0.99


def test_a_large_sample_interval_has_the_width_of_the_normal_theory():
    sample = np.random.default_rng(5).normal(0.3, 1.0, 20_000)
    estimate, low, high = bootstrap_interval(sample, seed=1)
    assert estimate == pytest.approx(sample.mean())
    assert low < estimate < high
    # Width about 2 x 1.96 sd / sqrt(n) = 0.0277.
    assert high - low == pytest.approx(2 * 1.96 / np.sqrt(20_000), rel=0.1)


def test_the_paired_difference_of_identical_ensembles_is_exactly_zero():
    summary = synthetic_summary("base", runs=40)
    twin = summary.assign(scenario="twin")
    table = compare_summaries({"base": summary, "twin": twin}, "base", resamples=500, seed=3)
    twin_rows = table[table["scenario"] == "twin"]
    defined = twin_rows["n"] > 0
    assert defined.all()
    assert (twin_rows["difference"] == 0).all()
    shares = twin_rows["metric"].str.startswith("p_")
    others = twin_rows[~shares]
    assert (others[["diff_ci_low", "diff_ci_high"]] == 0).all(axis=None)
    # A probability: no pair of the 40 differs, which bounds the difference, not pins it to
    # 0 (the exact bound of no discordant pair in 40, 1 - 0.025 ** (1 / 40) = 0.088).
    probability = twin_rows[shares]
    assert (probability["diff_ci_low"] == -probability["diff_ci_high"]).all()
    assert probability["diff_ci_high"].between(0.01, 1 - 0.025 ** (1 / 40)).all()
    base_rows = table[table["scenario"] == "base"]
    assert (base_rows["ci_high"] > base_rows["ci_low"]).any()  # the estimates themselves vary
    assert base_rows[["difference", "diff_ci_low", "diff_ci_high"]].isna().all(axis=None)


def test_a_probability_no_run_shows_is_not_called_certain():
    # Tomsky dominant in no run of 300: a percentile bootstrap said [0, 0] and the report
    # "0.00 (every run alike)"; 0 of 300 bounds the probability, it does not pin it.
    base = synthetic_summary("base", runs=300)
    alt = base.assign(scenario="alt", dominant="stalin")
    alt.loc[0, "dominant"] = "tomsky"  # one run in 300
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=500)
    row = table.set_index(["metric", "scenario"]).loc[("p_dominant_tomsky", "base")]
    assert row["estimate"] == 0
    expected = binomtest(0, 300).proportion_ci(0.95, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0, expected.high))
    assert row["ci_low"] == 0  # exactly: the table printed 3.47e-18
    assert wilson_interval(np.array([300]), np.array([300]))[1][0] == 1  # every run, exactly
    once = table.set_index(["metric", "scenario"]).loc[("p_dominant_tomsky", "alt")]
    expected = binomtest(1, 300).proportion_ci(0.95, method="wilson")
    assert (once["ci_low"], once["ci_high"]) == pytest.approx((expected.low, expected.high))
    assert once["diff_ci_low"] < 0 < once["diff_ci_high"]  # one pair in 300 differs


@pytest.mark.parametrize(("base_rate", "alternative_rate"), [(0.01, 0.003), (0.2, 0.25)])
def test_a_paired_difference_of_probabilities_covers_the_truth_95_percent_of_the_time(
    base_rate, alternative_rate
):
    # Paired as a comparison's runs are: the same draw decides both (common random numbers).
    rng = np.random.default_rng(5)
    truth, covered = alternative_rate - base_rate, 0
    for _ in range(400):
        chance = rng.random((300, 1))
        base, alternative = (chance < base_rate) * 1.0, (chance < alternative_rate) * 1.0
        low, high = paired_difference_interval(alternative, base)
        covered += low[0] <= truth <= high[0]
    assert covered / 400 >= 0.93  # a percentile bootstrap covered 0.77 at a rate of 0.005


def test_pairing_narrows_the_interval_of_a_difference_with_common_noise():
    rng = np.random.default_rng(11)
    common = rng.normal(0.0, 1.0, 500)  # what the same seed does in both scenarios
    base = 0.5 + common + rng.normal(0.0, 0.1, 500)
    alternative = 0.6 + common + rng.normal(0.0, 0.1, 500)
    difference, low, high = difference_interval(base, alternative, seed=4)
    _, low_unpaired, high_unpaired = difference_interval(base, alternative, seed=4, paired=False)
    assert difference == pytest.approx(alternative.mean() - base.mean())
    assert low < 0.1 < high
    assert low_unpaired < 0.1 < high_unpaired
    # sd of a paired difference 0.14, of an unpaired one 1.4: ten times narrower.
    assert (high - low) < (high_unpaired - low_unpaired) / 5


def test_the_comparison_table_has_one_row_per_metric_and_scenario():
    summaries = {name: synthetic_summary(name, seed=k) for k, name in enumerate(["a", "b", "c"])}
    for summary in summaries.values():
        summary["seed"] = np.arange(8) * 7 + 3
    table = compare_summaries(summaries, "b", resamples=100)
    assert tuple(table.columns) == COLUMNS
    metrics = metric_names([summaries["b"], summaries["a"], summaries["c"]])
    assert len(table) == 3 * len(metrics)
    assert table["scenario"].tolist()[:3] == ["b", "a", "c"]  # the base first
    assert list(dict.fromkeys(table["metric"])) == metrics
    assert ((table["ci_low"] <= table["estimate"]) | table["estimate"].isna()).all()


# --- what the report shows ------------------------------------------------------------


def test_format_interval():
    assert format_interval(0.78, 0.74, 0.82) == "0.78 [0.74, 0.82]"
    assert format_interval(-0.37, -0.43, -0.31, signed=True) == "-0.37 [-0.43, -0.31]"
    assert format_interval(0.05, -0.001, 0.1, signed=True) == "+0.05 [0.00, +0.10]"
    assert format_interval(41.52, 40.0, 43.0, digits=1) == "41.5 [40.0, 43.0]"
    assert format_interval(np.nan, np.nan, np.nan) == "n/a"
    assert format_interval(1.0, 1.0, 1.0) == "1.00 (every run alike)"  # not "[1.00, 1.00]"
    assert format_interval(0.0, 0.0, 0.0, signed=True, alike="every pair alike") == (
        "0.00 (every pair alike)"
    )


def test_labels_name_leaders_and_posts(baseline):
    assert metric_label("p_dominant_stalin", baseline) == "P(Joseph Stalin dominant at 1926-12)"
    assert metric_label("power_trotsky", baseline) == "Leon Trotsky: power share at 1926-12"
    war = baseline.posts["war_commissar"].name
    assert metric_label("p_left_trotsky_war_commissar", baseline) == (
        f"P(Leon Trotsky has left {war} by 1926-12)"
    )
    assert metric_label("left_trotsky_war_commissar", baseline).startswith(
        f"Leon Trotsky left {war}"
    )


def test_main_metrics_leave_out_what_is_the_same_everywhere():
    base = synthetic_summary("base", runs=30)
    alt = synthetic_summary("alt", runs=30, seed=1).assign(seed=base["seed"])
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=200)
    metrics, constant = main_metrics(table, count=2)
    assert metrics[:2] == ["p_dominant_stalin", "p_dominant_zinoviev"]
    assert metrics[2:4] == [f"power_{leader}" for leader in key_leaders(table, count=2)]
    assert key_leaders(table, count=2) == ["stalin", "zinoviev"]
    assert "p_left_trotsky_war_commissar" in metrics
    assert constant == ["left_lenin_politburo"]  # month 21 in every run of both
    assert not any(metric.startswith("congress_") for metric in metrics)


def test_the_main_table_has_a_row_for_the_leader_an_alternative_is_about():
    """An overlay that strengthens a man who wins no run is read first on his own row."""
    base = synthetic_summary("base", runs=30)
    alt = synthetic_summary("alt", runs=30, seed=1).assign(seed=base["seed"])
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=200)
    outsider = next(
        metric.removeprefix("power_")
        for metric in table["metric"]
        if metric.startswith("power_")
        and metric.removeprefix("power_") not in key_leaders(table, count=2)
    )
    metrics, _ = main_metrics(table, count=2, concerned=[outsider, "nobody"])
    power = [metric for metric in metrics if metric.startswith("power_")]
    assert power == [
        *(f"power_{leader}" for leader in key_leaders(table, count=2)),
        f"power_{outsider}",
    ]
    assert f"power_{outsider}" not in main_metrics(table, count=2)[0]


def test_markdown_table_rows(baseline):
    base = synthetic_summary("base", runs=30)
    alt = synthetic_summary("alt", runs=30, seed=1).assign(seed=base["seed"])
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=200)
    text = markdown_table(
        table, ["p_dominant_stalin", "left_trotsky_war_commissar"], "base", baseline
    )
    lines = text.splitlines()
    assert lines[0] == "| Outcome | base | alt | alt - base |"
    assert lines[2].startswith("| P(Joseph Stalin dominant at 1926-12) | 0.")
    assert lines[3].count("(n=") == 2
    assert len(lines) == 4


def test_runs_with_no_single_dominant_leader_are_counted_as_such(baseline):
    # No living leader holding power, or a tie at the top: the run names no one, and the
    # table says how often, instead of crediting the first leader in the file.
    base = synthetic_summary("base", runs=40).assign(dominant="stalin")
    alt = base.assign(scenario="alt", dominant=NO_DOMINANT)
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=200)
    assert [m for m in metric_names([base, alt]) if "dominant" in m] == [
        "p_dominant_stalin",
        "p_no_dominant",
    ]
    estimate = table.set_index(["metric", "scenario"])["estimate"]
    assert (estimate["p_no_dominant", "base"], estimate["p_no_dominant", "alt"]) == (0, 1)
    assert "p_no_dominant" in main_metrics(table)[0]
    text = markdown_table(table, ["p_no_dominant"], "base", baseline)
    assert text.splitlines()[2].startswith("| P(no single leader dominant at 1926-12) | 0.00 [")


def test_the_headline_of_runs_no_leader_dominated_says_so(baseline):
    # Every leader dead, or three identical leaders tied: no P(dominant) for anyone to head.
    base = synthetic_summary("base", runs=20).assign(dominant=NO_DOMINANT)
    alt = base.assign(scenario="alt")
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=100)
    header, _, first, _ = headline_table(table, "base", baseline).splitlines()
    assert header.startswith("| Scenario | P(no single leader dominant) |")
    assert first.startswith("| base | 1.00 (base) |")


def test_a_rare_outcome_is_shown_with_three_decimals(baseline):
    summary = synthetic_summary("base", runs=400).assign(dominant="stalin")
    summary.loc[7, "dominant"] = "trotsky"  # P = 0.0025 would show as 0.00
    table = compare_summaries({"base": summary}, "base", resamples=200)
    text = markdown_table(table, ["p_dominant_stalin", "p_dominant_trotsky"], "base", baseline)
    stalin, trotsky = text.splitlines()[2:]
    assert "| 0.998 [" in stalin
    assert "| 0.003 [0.000, " in trotsky


def test_the_plot_draws_several_dominant_leaders(baseline, tmp_path):
    base = synthetic_summary("base", runs=30)
    alt = synthetic_summary("alt", runs=30, seed=1).assign(seed=base["seed"])
    table = compare_summaries({"base": base, "alt": alt}, "base", resamples=100)
    dates = ["1922-04", "1922-05", "1922-06"]
    quantiles = {
        name: pd.DataFrame(
            {
                "scenario": name,
                "date": np.repeat(dates, 2),
                "leader": ["stalin", "zinoviev"] * 3,
                "measure": "power",
                "q50": np.linspace(0.1, 0.3, 6) + shift,
            }
        )
        for name, shift in (("base", 0.0), ("alt", 0.05))
    }
    path = tmp_path / "comparison.png"
    plot_comparison(table, quantiles, "base", baseline, ["stalin", "zinoviev"], path, runs=30)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the command ----------------------------------------------------------------------


def run_cli(arguments):
    """Run the CLI, returning (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(arguments)
    return status, out.getvalue(), err.getvalue()


def compare_arguments(out, *extra, alternatives=(NO_ENROLMENT,), runs=RUNS):
    return [
        "compare",
        str(BASELINE),
        *map(str, alternatives),
        "--runs",
        str(runs),
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
        "--bootstrap",
        "300",
        *extra,
    ]


@pytest.fixture(scope="module")
def compared_once(tmp_path_factory):
    """The baseline and no Lenin Enrolment, 20 paired runs each, simulated once."""
    out = tmp_path_factory.mktemp("compare") / "out"
    status, stdout, stderr = run_cli(compare_arguments(out))
    assert status == 0, stderr
    return out, stdout


@pytest.fixture
def compared(compared_once, tmp_path):
    """A copy of the comparison of its own for each test, which may rerun into it."""
    out = tmp_path / "out"
    shutil.copytree(compared_once[0], out)
    return out, compared_once[1]


def test_the_command_writes_the_table_report_and_plot(compared):
    out, stdout = compared
    assert {path.name for path in out.iterdir()} == {
        "baseline-1922",
        "no-lenin-enrolment",
        "comparison.csv",
        "report.md",
        "comparison.png",
        "comparison.json",
    }
    for name in ("baseline-1922", "no-lenin-enrolment"):
        manifest = json.loads((out / name / "manifest.json").read_text())
        assert (manifest["runs"], manifest["seed"], manifest["mode"]) == (RUNS, 1, "free")
        assert manifest["status"] == "complete"
    record = json.loads((out / "comparison.json").read_text())
    assert record["model_sha256"] == manifest["model_sha256"] == model_digest()
    # What a reviewer holding only this record types again (the names alone were not).
    files = {"baseline-1922": str(BASELINE), "no-lenin-enrolment": str(NO_ENROLMENT)}
    assert record["scenario_files"] == files
    assert record["command_line"].startswith(f"interregnum compare {BASELINE} {NO_ENROLMENT}")
    base = pd.read_parquet(out / "baseline-1922" / "summary.parquet")
    alt = pd.read_parquet(out / "no-lenin-enrolment" / "summary.parquet")
    assert base["seed"].tolist() == alt["seed"].tolist()  # common random numbers
    assert (out / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "baseline-1922: simulated 20 runs" in stdout
    assert "## At a glance" not in (out / "report.md").read_text()  # one alternative: no need
    assert "| Outcome | baseline-1922 | no-lenin-enrolment |" in stdout


def test_the_comparison_csv(compared):
    out, _ = compared
    table = pd.read_csv(out / "comparison.csv")
    assert tuple(table.columns) == COLUMNS
    assert set(table["scenario"]) == {"baseline-1922", "no-lenin-enrolment"}
    metrics = set(table["metric"])
    assert {"power_stalin", "p_left_trotsky_war_commissar", "left_trotsky_war_commissar"} <= metrics
    assert any(metric.startswith("p_dominant_") for metric in metrics)
    assert any(metric.startswith("congress_") for metric in metrics)
    base = table[table["scenario"] == "baseline-1922"].set_index("metric")
    alt = table[table["scenario"] == "no-lenin-enrolment"].set_index("metric")
    assert base["difference"].isna().all()
    # Each difference is the alternative's estimate minus the base's, and the estimates are
    # the means of the ensembles' summaries, recomputed here from the Parquet files.
    np.testing.assert_allclose(alt["difference"], alt["estimate"] - base["estimate"])
    summaries = {
        name: pd.read_parquet(out / name / "summary.parquet")
        for name in ("baseline-1922", "no-lenin-enrolment")
    }
    for name, rows in (("baseline-1922", base), ("no-lenin-enrolment", alt)):
        assert rows.loc["power_stalin", "estimate"] == pytest.approx(
            summaries[name]["power_stalin"].mean(), rel=1e-12
        )
    # The enrolment moves the apparatus in free mode: some outcome differs.
    assert (alt["difference"].abs() > 0).any()
    power = table[table["metric"] == "power_stalin"]
    assert (power["n"] == RUNS).all()
    dominance = table[table["metric"].str.startswith("p_dominant_")]
    sums = dominance.groupby("scenario")["estimate"].sum()
    assert sums.to_numpy() == pytest.approx([1.0, 1.0])


def test_historys_orders_are_compared_as_paired_probabilities(compared):
    # Each scenario's share of runs that saw the factions come forward, and condemned the
    # Politburo's members, in the base's order, recomputed from each ensemble's own logs.
    out, stdout = compared
    table = pd.read_csv(out / "comparison.csv")
    history = history_orders(load_scenario(BASELINE))
    paths = {
        name: read_run_paths(out / name, load_scenario(path))
        for name, path in (("baseline-1922", BASELINE), ("no-lenin-enrolment", NO_ENROLMENT))
    }
    for order, metric in HISTORY_METRICS.items():
        rows = table[table["metric"] == metric].set_index("scenario")
        for name, runs in paths.items():
            taken = (runs[order] == history[order]).mean()
            assert rows.loc[name, "estimate"] == pytest.approx(taken)
            assert rows.loc[name, "n"] == RUNS
        alternative, base = rows.loc["no-lenin-enrolment"], rows.loc["baseline-1922"]
        assert alternative["difference"] == pytest.approx(
            alternative["estimate"] - base["estimate"]
        )
        assert f"| P(history's order of {order}: {history[order]}) |" in stdout
    # Orders some runs take and some do not, at 20 runs.
    verdicts = table[table["metric"] == HISTORY_METRICS["verdicts"]]
    assert 0 < verdicts["estimate"].iloc[0] < 1


def test_the_report_shows_the_changes_the_table_and_the_plot(compared):
    out, _ = compared
    report = (out / "report.md").read_text()
    assert report.startswith("# no-lenin-enrolment against baseline-1922\n")
    assert "## What no-lenin-enrolment changes" in report
    assert "events dropped" in report and "lenin_enrolment_proclaimed" in report
    assert re.search(r"^\| P\(.+ dominant at 1926-12\) \| ", report, re.MULTILINE)
    assert "![P(dominant) per scenario and median power paths](comparison.png)" in report
    assert f"{RUNS} runs per scenario in free mode, root seed 1" in report


def test_a_second_comparison_reuses_the_ensembles(compared):
    out, _ = compared
    parts = {path: path.stat().st_mtime_ns for path in out.glob("*/parts/*")}
    before = (out / "comparison.csv").read_bytes()
    status, stdout, stderr = run_cli(compare_arguments(out))
    assert status == 0, stderr
    assert "baseline-1922: reusing the 20 runs" in stdout
    assert "no-lenin-enrolment: reusing the 20 runs" in stdout
    assert "simulated" not in stdout
    assert parts == {path: path.stat().st_mtime_ns for path in out.glob("*/parts/*")}
    assert (out / "comparison.csv").read_bytes() == before  # the same seed, the same intervals


def test_an_ensemble_into_a_comparisons_folder_draws_its_fan_and_paths_without_running(compared):
    out, _ = compared
    folder = out / "no-lenin-enrolment"
    parts = {path: path.stat().st_mtime_ns for path in folder.glob("parts/*")}
    arguments = ["ensemble", str(NO_ENROLMENT), "--runs", str(RUNS), "--workers", "1"]
    status, stdout, stderr = run_cli([*arguments, "--out", str(folder), "--quiet"])
    assert status == 0, stderr
    assert f"reused: {folder} held this ensemble, finished" in stdout
    assert "simulated 0 runs" in stdout
    assert parts == {path: path.stat().st_mtime_ns for path in folder.glob("parts/*")}
    paths = pd.read_csv(folder / "paths.csv")
    assert paths["runs"].sum() == RUNS
    assert (folder / "fan.png").stat().st_size > 0
    status, stdout, stderr = run_cli(compare_arguments(out))
    assert status == 0, stderr
    assert "no-lenin-enrolment: reusing the 20 runs" in stdout


def test_another_alternative_reuses_the_base_and_resume_finishes_an_interrupted_one(compared):
    out, _ = compared
    earlier = (out / "report.md").read_text()
    status, stdout, stderr = run_cli(compare_arguments(out, alternatives=[STALIN_REMOVED]))
    assert status == 2  # the folder holds the report of another comparison
    assert "holds the report of another comparison (baseline-1922, no-lenin-enrolment" in stderr
    assert "20 runs; other scenarios)" in stderr  # what differs, in the user's words
    assert stderr.rstrip().endswith("or pass --force to replace it")  # which would work
    assert (out / "report.md").read_text() == earlier
    arguments = compare_arguments(out, "--force", alternatives=[STALIN_REMOVED])
    status, stdout, stderr = run_cli(arguments)
    assert status == 0, stderr
    assert "baseline-1922: reusing" in stdout
    assert "stalin-removed-1923: simulated 20 runs" in stdout
    # Interrupt it: its consolidated files and one chunk gone, the manifest still running.
    removed = out / "stalin-removed-1923"
    manifest = json.loads((removed / "manifest.json").read_text())
    manifest["status"] = "running"
    (removed / "manifest.json").write_text(json.dumps(manifest))
    (removed / "summary.parquet").unlink()
    first_chunk = sorted((removed / "parts").glob("summary-*.parquet"))[0]
    first_chunk.unlink()  # a part lost: its chunk is simulated again
    resumed = compare_arguments(out, "--resume", alternatives=[STALIN_REMOVED])
    status, stdout, stderr = run_cli(resumed)
    assert status == 0, stderr
    assert "stalin-removed-1923: simulated 5 runs (15 were done)" in stdout
    report = (out / "report.md").read_text()
    assert "## What stalin-removed-1923 changes" in report


def test_a_directory_with_another_ensemble_is_refused(compared):
    out, _ = compared
    status, _, stderr = run_cli(compare_arguments(out, runs=30))
    assert status == 2
    assert "holds the report of another comparison (baseline-1922, no-lenin-enrolment" in stderr
    assert "--runs 20 there, 30 here)" in stderr
    # --force would not do: it replaces the report, and the ensembles beside it refuse.
    assert stderr.rstrip().endswith(f"or remove {out}: its ensembles were made with other settings")
    status, _, stderr = run_cli(compare_arguments(out, "--force", runs=30))
    assert status == 2  # --force replaces a report, never an ensemble's runs
    assert "holds a different ensemble (runs 20 there, 30 here)" in stderr
    assert "Traceback" not in stderr


def test_assess_refuses_a_comparisons_folder_before_running(compared):
    # Both write report.md: assess must not overwrite the comparison's, nor mix with it.
    out, _ = compared
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    folders = sorted(path.name for path in out.iterdir() if path.is_dir())
    arguments = ["assess", str(BASELINE), "--runs", "2", "--workers", "1", "--out", str(out)]
    status, stdout, stderr = run_cli(arguments)
    assert status == 2
    assert stderr == (
        f"interregnum: --out {out} holds the outputs of `interregnum compare` (its "
        "comparison.json is there); assess will not write into it: choose another --out\n"
    )
    assert stdout == ""
    assert before == {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    assert folders == sorted(path.name for path in out.iterdir() if path.is_dir())


def test_a_report_no_comparison_describes_is_not_called_another_comparisons(tmp_path):
    # What code calling run_comparison meets (the command refuses such a folder earlier).
    (tmp_path / "report.md").write_text("# Assessment of baseline-1922\n")
    with pytest.raises(EnsembleError) as refused:
        check_report_folder(tmp_path, {"base": "baseline-1922"}, force=False)
    message = str(refused.value)
    assert "holds a report.md that no comparison.json describes" in message
    assert "another comparison" not in message
    check_report_folder(tmp_path, {"base": "baseline-1922"}, force=True)  # --force replaces it


def test_compare_refuses_another_commands_folder_by_its_record(tmp_path):
    # An ensemble's folder is not a comparison's: it is named by its manifest.json.
    out = tmp_path / "ensemble"
    out.mkdir()
    manifest = {"runs": 20, "seed": 1, "sessions": [], "status": "complete"}
    (out / "manifest.json").write_text(json.dumps(manifest))
    status, _, stderr = run_cli(compare_arguments(out))
    assert status == 2
    assert f"--out {out} holds the outputs of `interregnum ensemble` (its manifest.json" in stderr
    assert [path.name for path in out.iterdir()] == ["manifest.json"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"runs": "0"}, "--runs must be at least 1, got 0"),
        ({"bootstrap": "0"}, "--bootstrap must be at least 1, got 0"),
        ({"bootstrap": str(10**12)}, "--bootstrap must be at most 100,000, got 1,000,000,000,000"),
        ({"workers": "0"}, "--workers must be at least 1, got 0"),
        ({"seed": "-2"}, "--seed must be an integer from 0 to 2**63 - 1, got -2"),
        ({"alt": "missing.yaml"}, "missing.yaml: no such scenario file"),
        ({"alt": "BASE"}, "is also the name of"),
        ({"alt": "BAD"}, "unknown event 'no_such_event'"),
        ({"alt": "REPORT"}, "the scenario name 'report.md' is that of a file the comparison"),
    ],
)
def test_bad_input_exits_2_without_running(tmp_path, change, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"extends: {BASELINE}\nname: bad\nsource: test file\n"
        "changes:\n  - drop_event: no_such_event\n"
    )
    report = tmp_path / "report.yaml"  # it ran every ensemble, then could not write its report
    report.write_text(f"extends: {NO_ENROLMENT}\nname: report.md\nsource: test file\nchanges: []\n")
    alternatives = {"BASE": str(BASELINE), "BAD": str(bad), "REPORT": str(report)}
    alt = alternatives.get(change.get("alt"), change.get("alt"))
    out = tmp_path / "out"
    arguments = ["compare", str(BASELINE), alt or str(NO_ENROLMENT), "--out", str(out), "--quiet"]
    for option in ("runs", "bootstrap", "workers", "seed"):
        arguments += [f"--{option}", change.get(option, "2" if option != "seed" else "1")]
    status, stdout, stderr = run_cli(arguments)
    assert status == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_bad_numbers_and_a_bad_alternative_are_named_in_one_attempt(tmp_path):
    out = tmp_path / "out"
    arguments = ["compare", str(BASELINE), str(tmp_path / "missing.yaml"), "--out", str(out)]
    arguments += ["--runs", "0", "--bootstrap", "-5", "--seed", "-1"]
    status, _, stderr = run_cli(arguments)
    assert status == 2
    for problem in (
        "missing.yaml: no such scenario file",
        "--runs must be at least 1, got 0",
        "--bootstrap must be at least 1, got -5",
        "--seed must be an integer from 0 to 2**63 - 1, got -1",
    ):
        assert problem in stderr
    assert stderr.endswith("interregnum: 4 problems; nothing was run.\n")
    assert not out.exists()


@pytest.mark.parametrize(
    ("change", "period"),
    [
        ("set: {end: 1923-02}", "1922-04 to 1923-02"),
        (
            "set: {start: 1922-05}\n  - drop_event: congress-11\n  - drop_event: stalin-gs",
            "1922-05 to 1923-03",
        ),
    ],
)
def test_an_alternative_over_another_period_is_refused(tmp_path, small_file, change, period):
    # Its last month was labelled with the base's, its tenures counted from another start.
    other = tmp_path / "other.yaml"
    other.write_text(
        f"extends: {small_file}\nname: other\nsource: test file\nchanges:\n  - {change}\n"
    )
    out = tmp_path / "out"
    status, _, stderr = run_cli(
        ["compare", str(small_file), str(other), "--runs", "2", "--out", str(out), "--quiet"]
    )
    assert status == 2
    assert stderr == (
        f"{other}: its period {period} is not that of the base {small_file} (1922-04 to "
        "1923-03); a comparison pairs runs over one period: give every scenario the base's "
        "start and end\ninterregnum: 1 problem; nothing was run.\n"
    )
    assert not out.exists()


def test_a_leader_only_the_alternative_has_is_named_from_it(tmp_path, small_file):
    # Stalin renamed Koba, who then leaves the Politburo: his rows read "P(koba dominant" and
    # "P( has left koba_politburo", named from the base alone.
    koba = tmp_path / "koba.yaml"
    koba.write_text(
        KOBA_SCENARIO
        + "  - {id: koba-out, date: 1923-02, type: removal, kind: decision, who: koba,\n"
        "     post: politburo, description: Koba removed., source: test}\n"
    )
    out = tmp_path / "out"
    arguments = ["compare", str(small_file), str(koba), "--runs", "2", "--workers", "1"]
    arguments += ["--mode", "replay", "--out", str(out), "--quiet", "--bootstrap", "50"]
    status, stdout, _ = run_cli(arguments)
    assert status == 0
    assert "| P(Koba Dzhugashvili dominant at 1923-03) |" in stdout
    assert "| P(Koba Dzhugashvili has left Politburo member by 1923-03) |" in stdout
    assert "koba dominant" not in stdout and "koba_politburo" not in stdout


def test_the_help_says_the_change_flags_are_not_taken(capsys):
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    text = " ".join(re.sub(r"-\n\s*", "-", capsys.readouterr().out).split())
    assert "(--set, --drop-event, --move-event) are not taken here" in text
    assert text.count("--set") == 1  # nowhere else, e.g. in --parameters, as if it were taken
    assert "a scenario or its overlay sets to another value than the fit" in text
    assert "interregnum compare [-h]" in text and "BASE ALT [ALT ...]" in text


def test_a_scheduler_that_is_not_an_address_exits_2(tmp_path):
    out = tmp_path / "out"
    arguments = ["compare", str(BASELINE), str(NO_ENROLMENT), "--scheduler", "not a url"]
    status, _, stderr = run_cli([*arguments, "--out", str(out), "--runs", "2"])
    assert status == 2
    assert "--scheduler expects a Dask scheduler's address such as tcp://HOST:PORT" in stderr
    assert not out.exists()


def test_identical_runs_are_said_to_be_so_not_shown_as_precise(tmp_path):
    # The small scenario in replay: every run the same; its alternative moves an event.
    base = tmp_path / "small.yaml"
    base.write_text(SMALL_SCENARIO)
    alternative = tmp_path / "later.yaml"
    alternative.write_text(
        "extends: small.yaml\nname: small-later\nsource: test\n"
        "changes:\n  - move_event: {id: trotsky-out, date: 1923-03}\n"
    )
    out = tmp_path / "out"
    arguments = ["compare", str(base), str(alternative), "--mode", "replay", "--runs", "3"]
    status, stdout, stderr = run_cli([*arguments, "--workers", "1", "--out", str(out)])
    assert status == 0, stderr
    note = "Every one of the 3 runs of small, small-later gave the same outcomes"
    assert note in stdout
    report = (out / "report.md").read_text()
    assert note in report
    assert "not because the estimate is precise" in stdout
    assert "(every run alike)" in report and "[1.00, 1.00]" not in report


def test_identical_runs_ignore_run_numbers_and_seeds_but_not_outcomes():
    summary = synthetic_summary("a", runs=5)
    assert not identical_runs(summary)
    same = pd.concat([summary.iloc[[0]]] * 5, ignore_index=True)
    same["run"], same["seed"] = range(5), range(10, 15)
    assert identical_runs(same)  # NaN in every run counts as the same
    same.loc[3, "power_trotsky"] += 1e-9
    assert not identical_runs(same)
    assert not identical_runs(summary.iloc[[0]])  # one run says nothing about variation


def test_many_alternatives_print_a_headline_row_each_and_point_to_the_report(tmp_path):
    """With four alternatives the whole table would have ten columns: no terminal shows it."""
    overlays = ROOT / "scenarios" / "counterfactuals"
    alternatives = [
        overlays / f"{name}.yaml"
        for name in ("no_lenin_enrolment", "cave_trio_accepted", "lenin_recovers_1923")
    ] + [ROOT / "scenarios" / "checks" / "zinoviev_letter_a_month_later.yaml"]
    out = tmp_path / "out"
    status, stdout, stderr = run_cli(compare_arguments(out, alternatives=alternatives, runs=4))
    assert status == 0, stderr
    table = [line for line in stdout.splitlines() if line.startswith("|")]
    assert table[0] == (
        "| Scenario | P(Stalin dominant) | P(history's factions) | P(history's verdicts) |"
    )
    rows = [line.split(" | ")[0].removeprefix("| ") for line in table[2:]]
    assert rows == [
        "baseline-1922",
        "no-lenin-enrolment",
        "cave-trio-accepted",
        "lenin-recovers-1923",
        "zinoviev-letter-a-month-later",
    ]
    assert all(len(line) < 140 for line in table)  # the whole table: over 250
    assert f"Every outcome, with its interval: {out / 'report.md'}" in stdout
    # The report puts the headline rows first and keeps the whole table, two columns each.
    report = (out / "report.md").read_text()
    glance = report.index("## At a glance")
    assert glance < report.index(table[0]) < report.index("## What no-lenin-enrolment changes")
    assert "| cave-trio-accepted - baseline-1922 |" in report


def test_the_report_says_which_fitted_parameters_a_sample_lacks(baseline, tmp_path):
    """A posterior without some columns is drawn from; the report says what keeps the point."""
    from types import SimpleNamespace

    from simulation.experiments.posterior import choose_parameters

    posterior = ROOT / "calibration" / "parameters" / "baseline-1922-posterior.csv"
    partial = tmp_path / "partial.csv"
    pd.read_csv(posterior).drop(columns=["hostility"]).to_csv(partial, index=False)
    choice = choose_parameters(None, baseline, BASELINE, partial)
    ensemble = SimpleNamespace(
        scenario=baseline, parameters=choice.draws, posterior=partial, parameters_note=choice.note
    )
    sentence = parameters_sentence([ensemble])
    assert "no column for hostility; it keeps the fitted point in every run" in sentence
    # A base that sets hostility itself lacks nothing; the alternative's note is named.
    kept = apply_changes(baseline, [{"set": {"parameters.hostility": 0.9}}], "--set")
    base = SimpleNamespace(
        scenario=kept, parameters=choice.draws, posterior=partial, parameters_note=""
    )
    sentence = parameters_sentence([base, ensemble])
    assert (
        f"SHA-256 `{choice.draws.sha256[:12]}`; for baseline-1922, {partial}: no column for "
        "hostility; it keeps the fitted point in every run)"
    ) in sentence
