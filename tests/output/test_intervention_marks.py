"""A comparison marks when each counterfactual takes effect and draws whom it is about."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import SMALL_SCENARIO, assert_readable, drawn_texts, made_up_comparison

from simulation.output.comparison import draw_comparison
from simulation.output.interventions import concerned_leaders, interventions
from simulation.scenario import load_scenario, parse_scenario

COUNTERFACTUALS = Path(__file__).resolve().parents[2] / "scenarios" / "counterfactuals"


@pytest.fixture(scope="module")
def lenin_recovers():
    return load_scenario(COUNTERFACTUALS / "lenin_recovers_1923.yaml")


@pytest.fixture(scope="module")
def stalin_removed():
    return load_scenario(COUNTERFACTUALS / "stalin_removed_1923.yaml")


def test_the_marks_are_the_months_the_overlay_changes(baseline, lenin_recovers, stalin_removed):
    removed = interventions(baseline, stalin_removed)
    assert [(str(mark.month.date()), mark.text) for mark in removed] == [
        ("1923-04-01", "Rudzutak Gen. Sec. · Stalin removed")  # the added event's own label
    ]
    recovers = {
        str(mark.month.date()): mark.text for mark in interventions(baseline, lenin_recovers)
    }
    assert recovers["1923-03-01"].startswith(
        "Lenin's 3rd stroke (dropped)"
    )  # the dropped event's month
    assert recovers["1923-06-01"] == "Lenin recovers"
    assert "Lenin dies (dropped)" in recovers["1924-01-01"]


def test_a_dropped_decision_is_marked_only_where_the_base_applied_it(baseline, lenin_recovers):
    # Lenin's recovery drops the baseline's Rykov premiership of February 1924, a decision
    # free mode leaves to the leaders: a free comparison must not mark it as a change.
    marks = {
        mode: " · ".join(mark.text for mark in interventions(baseline, lenin_recovers, mode))
        for mode in ("free", "replay")
    }
    assert (
        "Rykov premier (dropped)" in marks["replay"]
        and "Rykov premier (dropped)" not in marks["free"]
    )
    assert "Lenin dies (dropped)" in marks["free"]  # exogenous: dropped in every mode


def test_a_standalone_scenarios_moved_decision_is_marked_only_in_replay(small_scenario):
    # Free mode leaves a standalone file's own decisions to the leaders, wherever it dates them.
    moved = parse_scenario(
        SMALL_SCENARIO.replace("name: small", "name: moved").replace(
            "id: trotsky-out, date: 1923-02", "id: trotsky-out, date: 1922-12"
        ),
        "moved.yaml",
    )
    marks = {
        mode: [mark.text for mark in interventions(small_scenario, moved, mode)]
        for mode in ("free", "replay")
    }
    assert marks == {"free": [], "replay": ["trotsky-out moved to 1922-12"]}


def test_the_leaders_an_overlay_is_about_include_the_new_general_secretary(
    baseline, lenin_recovers, stalin_removed
):
    assert concerned_leaders(baseline, stalin_removed) == ["stalin", "rudzutak"]
    assert concerned_leaders(baseline, lenin_recovers)[0] == "lenin"


def test_the_comparison_figure_labels_the_interventions(baseline, stalin_removed):
    months = [f"1922-{month:02d}" for month in range(4, 13)]
    quantiles = {
        name: pd.DataFrame(
            {
                "date": months * 2,
                "leader": ["stalin"] * 9 + ["rudzutak"] * 9,
                "measure": "power",
                "q50": [0.2] * 9 + [0.05] * 9,
            }
        )
        for name in ("baseline-1922", "stalin-removed-1923")
    }
    table = pd.DataFrame(
        {
            "metric": ["p_dominant_stalin"] * 2,
            "scenario": ["baseline-1922", "stalin-removed-1923"],
            "estimate": [0.9, 0.6],
            "ci_low": [0.8, 0.5],
            "ci_high": [1.0, 0.7],
        }
    )
    figure = draw_comparison(
        table,
        quantiles,
        "baseline-1922",
        baseline,
        ["stalin", "rudzutak"],
        alternatives={"stalin-removed-1923": stalin_removed},
    )
    paths = figure.axes[1]
    assert any("Stalin removed" in text.get_text() for text in paths.texts)
    assert {line.get_gid() for line in paths.lines} >= {"stalin", "rudzutak"}


def test_the_comparison_of_two_alternatives_keeps_every_label_readable(baseline):
    alternatives = {
        scenario.name: scenario
        for scenario in (
            load_scenario(COUNTERFACTUALS / "stalin_removed_1923.yaml"),
            load_scenario(COUNTERFACTUALS / "good_harvest_1925.yaml"),
        )
    }
    names = ["baseline-1922", *alternatives]
    leaders = ["stalin", "rykov", "molotov", "kamenev", "tomsky", "zinoviev", "bukharin"]
    table, quantiles = made_up_comparison(
        baseline,
        names,
        ["stalin", "rudzutak"],
        lambda k, _: (0.15, 0.02)[k],
        leaders,
        dominance=(0.9, 0.1),
        interval=(0.05, 1.0),
    )
    figure = draw_comparison(
        table, quantiles, "baseline-1922", baseline, ["stalin", "rudzutak"], 50, 0.95, alternatives
    )
    texts = drawn_texts(figure)
    bars, paths = figure.axes[:2]
    suptitle = next(text for text, _ in texts if text.get_text() == figure.get_suptitle())
    assert_readable(figure, texts, [suptitle, bars.title, paths.title])
    span = paths.get_window_extent()
    labels = [text for text in paths.texts if text.get_text().startswith(tuple(names))]
    assert len(labels) >= 2
    for label in labels:  # the intervention labels stay over their panel
        extent = label.get_window_extent()
        assert span.x0 <= extent.x0 and extent.x1 <= span.x1, label.get_text()
    key = bars.get_legend().get_window_extent()
    assert not key.overlaps(bars.get_window_extent())  # the key hides no bar
    assert not key.overlaps(bars.yaxis.label.get_window_extent())
    assert not any(key.overlaps(tick.get_window_extent()) for tick in bars.get_xticklabels())
    assert key.x1 <= paths.yaxis.label.get_window_extent().x0  # nor reaches the next panel
