"""A comparison marks when each counterfactual takes effect and draws whom it is about."""

from pathlib import Path

import pandas as pd
import pytest

from simulation.output.comparison import draw_comparison
from simulation.output.interventions import concerned_leaders, interventions
from simulation.scenario import load_scenario

COUNTERFACTUALS = Path(__file__).resolve().parents[2] / "scenarios" / "counterfactuals"


@pytest.fixture(scope="module")
def lenin_recovers():
    return load_scenario(COUNTERFACTUALS / "lenin_recovers_1923.yaml")


@pytest.fixture(scope="module")
def stalin_removed():
    return load_scenario(COUNTERFACTUALS / "stalin_removed_1923.yaml")


def test_the_marks_are_the_months_the_overlay_changes(baseline, lenin_recovers, stalin_removed):
    removed = interventions(baseline, stalin_removed)
    assert [(str(mark.month.date()), mark.text.split(" · ")[0]) for mark in removed] == [
        ("1923-04-01", "Stalin removed")
    ]
    recovers = {
        str(mark.month.date()): mark.text for mark in interventions(baseline, lenin_recovers)
    }
    assert recovers["1923-03-01"].startswith("no Lenin's 3rd stroke")  # the dropped event's month
    assert recovers["1923-06-01"] == "Lenin recovers"
    assert "no Lenin dies" in recovers["1924-01-01"]


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
    assert any(text.get_text().startswith("Stalin removed") for text in paths.texts)
    assert {line.get_gid() for line in paths.lines} >= {"stalin", "rudzutak"}
