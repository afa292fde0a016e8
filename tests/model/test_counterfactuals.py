"""One smoke test per counterfactual overlay: it loads, differs from the baseline, runs."""

from pathlib import Path

import pytest
from conftest import BASELINE, SEED

from simulation.model import Mode, PartyModel
from simulation.scenario import load_scenario
from simulation.scenario.diff import diff_scenarios
from simulation.scenario.schema import EventKind, EventType

COUNTERFACTUALS = sorted((BASELINE.parent / "counterfactuals").glob("*.yaml"))
EXOGENOUS = {
    EventType.INCAPACITATION,
    EventType.RECOVERY,
    EventType.DEATH,
    EventType.FOREIGN_SHOCK,
    EventType.ECONOMIC_SHOCK,
    EventType.MEMBERSHIP_INTAKE,
    EventType.CONGRESS,
    EventType.CONFERENCE,
    EventType.PLENUM,
}
"""What nobody decides (baseline conventions); absences may be either, so are not checked."""


def test_there_are_at_least_ten():
    assert len(COUNTERFACTUALS) >= 10


@pytest.mark.parametrize("path", COUNTERFACTUALS, ids=lambda path: path.stem)
def test_counterfactual_loads_differs_from_the_baseline_and_runs(path: Path, baseline):
    scenario = load_scenario(path)
    substantive = [
        difference
        for difference in diff_scenarios(baseline, scenario)
        if difference.section != "scenario"
    ]
    assert substantive, f"{path.name} changes nothing but its name"
    assert "Source: source chapter" in scenario.description
    result = PartyModel(scenario, seed=SEED, mode=Mode.REPLAY).run()
    dates = result["trajectories"]["date"]
    assert dates.min() == str(scenario.start) and dates.max() == str(scenario.end)


@pytest.mark.parametrize("path", COUNTERFACTUALS, ids=lambda path: path.stem)
def test_added_events_are_exogenous_only_if_nobody_decided_them(path: Path, baseline):
    for difference in diff_scenarios(baseline, load_scenario(path)):
        if difference.section == "events" and difference.change == "added":
            event = difference.new
            if event["type"] != EventType.ABSENCE:
                expected = EventKind.EXOGENOUS if event["type"] in EXOGENOUS else EventKind.DECISION
                assert event["kind"] == expected, event["id"]


def test_the_readme_lists_every_counterfactual():
    readme = (BASELINE.parent / "counterfactuals" / "README.md").read_text()
    listed = [line for line in readme.splitlines() if line.startswith("| `")]
    assert sorted(line.split("`")[1] for line in listed) == [path.name for path in COUNTERFACTUALS]
