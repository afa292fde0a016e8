"""The generated pages: current with their sources, and faithful to them."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest

from simulation.documentation import generate, parameters_page, scenario_page, write_pages
from simulation.documentation import pages as pages_module
from simulation.documentation.__main__ import main
from simulation.documentation.pages import REGENERATE
from simulation.documentation.parameters_page import posterior_summary, weighted_quantile
from simulation.scenario.parameters import Parameters
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    return generate(ROOT)


def test_generated_pages_are_current(pages):
    stale = [
        path
        for path, content in pages.items()
        if not (ROOT / path).is_file() or (ROOT / path).read_bytes() != content
    ]
    assert not stale, (
        f"generated documentation is stale: {', '.join(stale)}; "
        f"run '{REGENERATE}' (or 'make docs') and commit the result"
    )


@pytest.fixture
def copy_of_sources(tmp_path):
    """A root holding copies of the generated pages' sources (and of docs/)."""
    for folder in ("scenarios", "calibration", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def only_page(monkeypatch):
    """Generate one page only (the scenario page alone takes seconds: it reads 12 scenarios)."""

    def restrict(name: str) -> None:
        monkeypatch.setattr(pages_module, "PAGES", {name: pages_module.PAGES[name]})

    return restrict


def test_check_names_a_stale_page_and_the_command(copy_of_sources, only_page, capsys):
    root = copy_of_sources
    only_page("parameters")
    point = root / "calibration/parameters/baseline-1922.yaml"
    point.write_text(
        re.sub(r"alliance_rate: [0-9.]+", "alliance_rate: 0.123456", point.read_text())
    )

    assert main(["--root", str(root), "--check"]) == 1
    assert f"docs/parameters.md is stale: run '{REGENERATE}'" in capsys.readouterr().err
    assert write_pages(root) == ["docs/parameters.md"]
    fit = (root / "docs/parameters.md").read_text().split("## The fit")[1]
    row = next(line for line in fit.splitlines() if "`alliance_rate`" in line)
    assert "| 0.123 |" in row
    assert main(["--root", str(root), "--check"]) == 0


def test_a_missing_source_is_one_message_and_status_2(copy_of_sources, only_page, capsys):
    only_page("validation")
    (copy_of_sources / "calibration/assessments/baseline-1922/report.md").unlink()
    assert main(["--root", str(copy_of_sources), "--check"]) == 2
    error = capsys.readouterr().err
    assert "baseline-1922/report.md: cannot read it" in error
    assert "Traceback" not in error


def test_parameters_page_lists_every_parameter_with_its_prior(pages):
    text = pages["docs/parameters.md"].decode()
    for name, field in Parameters.model_fields.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        prior = field.json_schema_extra.get("prior")
        assert ("not fitted" in row) is (prior is None), name
    assert "No committed sensitivity study" in text


def test_weighted_quantiles_and_mean_follow_the_weights():
    values = np.array([3.0, 1.0, 2.0, 10.0])
    weights = np.array([1.0, 1.0, 1.0, 0.0])  # the outlier carries no weight
    assert weighted_quantile(values, weights, 0.025) == 1.0
    assert weighted_quantile(values, weights, 0.975) == 3.0
    assert weighted_quantile(values, weights, 0.5) == 2.0
    sample = pd.DataFrame({"x": values, "weight": weights, "distance": [0.1] * 4})
    # mean (3 + 1 + 2) / 3; distance is not a parameter
    assert posterior_summary(sample) == {"x": (2.0, 1.0, 3.0)}


def test_a_committed_sobol_study_adds_its_column(copy_of_sources):
    study = copy_of_sources / "calibration/sensitivity/baseline-sobol"
    study.mkdir(parents=True)
    pd.DataFrame(
        {
            "method": ["sobol", "sobol", "sobol"],
            "outcome": ["dominant_stalin", "dominant_stalin", "power_stalin"],
            "parameter": ["balancing", "balancing", "hostility"],
            "index": ["ST", "S1", "ST"],
            "estimate": [0.42, 0.3, 0.9],
            "ci_low": [0.3, 0.2, 0.8],
            "ci_high": [0.55, 0.4, 1.0],
        }
    ).to_csv(study / "indices.csv", index=False)
    fit = parameters_page.render(copy_of_sources).split("## The fit")[1]
    assert "Sobol ST on dominant_stalin" in fit
    balancing = next(line for line in fit.splitlines() if line.startswith("| `balancing` |"))
    assert balancing.endswith("| 0.42 (0.3 – 0.55) |")
    hostility = next(line for line in fit.splitlines() if line.startswith("| `hostility` |"))
    assert hostility.endswith("|  |")  # its ST is on another outcome


def test_scenario_page_has_every_event_and_every_overlay(pages, baseline):
    text = pages["docs/scenario.md"].decode()
    for event in baseline.events:
        assert f"| {event.date} | `{event.id}` | {event.type.value} | {event.kind.value} |" in text
    for overlay in sorted((ROOT / "scenarios/counterfactuals").glob("*.yaml")):
        assert f"`scenarios/counterfactuals/{overlay.name}`" in text


def test_scenario_page_says_in_which_modes_a_dropped_decision_acts(copy_of_sources):
    overlay = copy_of_sources / "scenarios/counterfactuals/no_congress_13_vote.yaml"
    overlay.write_text(
        "extends: ../baseline_1922.yaml\n"
        "name: no-trotsky-removal\n"
        "description: Trotsky keeps the War Commissariat.\n"
        "source: test\n"
        "changes:\n"
        "  - drop_event: trotsky_leaves_army\n"
    )
    text = scenario_page.render(copy_of_sources)
    assert "### no-trotsky-removal" in text
    section = text.split("### no-trotsky-removal")[1]
    row = next(line for line in section.splitlines() if "| `trotsky_leaves_army` |" in line)
    assert row.startswith("| event dropped |")
    assert "acts in replay only" in row


def test_validation_page_shows_the_report_and_its_figure(pages):
    text = pages["docs/validation.md"].decode()
    report = (ROOT / "calibration/assessments/baseline-1922/report.md").read_text()
    assert "## Assessment of baseline-1922" in text
    assert "### Headline: hold-out in time" in text
    assert "](validation/assessment.png)" in text
    assert report.splitlines()[4].startswith("![")
    figure = (ROOT / "calibration/assessments/baseline-1922/assessment.png").read_bytes()
    assert pages["docs/validation/assessment.png"] == figure
