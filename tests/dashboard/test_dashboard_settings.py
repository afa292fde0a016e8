from pathlib import Path

import pytest

from simulation.dashboard.settings import (
    Settings,
    branch_months,
    build_scenario,
    free_parameters,
    key_events,
    scenario_files,
)
from simulation.scenario import ScenarioError
from simulation.scenario.parameters import Parameters

pytestmark = pytest.mark.usefixtures("at_project_root")


def test_the_sliders_are_the_calibrated_parameters_with_their_registry_ranges():
    sliders = {free.name: free for free in free_parameters()}
    fitted = {
        name for name, info in Parameters.model_fields.items() if "prior" in info.json_schema_extra
    }
    assert set(sliders) == fitted
    alliance = sliders["alliance_rate"]
    assert (alliance.low, alliance.high, alliance.default) == (0.0, 1.0, 0.2)
    # the default lies on the slider's grid, so the slider does not move it on its own
    for free in sliders.values():
        steps = (free.default - free.low) / free.step()
        assert steps == pytest.approx(round(steps), abs=1e-6), free.name


def test_the_scenario_list_offers_the_baseline_first_then_every_counterfactual():
    files = scenario_files()
    assert files[0] == Path("scenarios/baseline_1922.yaml")
    assert Path("scenarios/counterfactuals/lenin_recovers_1923.yaml") in files


def test_settings_change_the_scenario_as_the_command_line_flags_do():
    settings = Settings(
        parameters={"alliance_rate": 0.35}, dropped=frozenset({"stalin_general_secretary"})
    )
    scenario = build_scenario(settings)
    assert scenario.parameters.alliance_rate == 0.35
    assert "stalin_general_secretary" not in {event.id for event in scenario.events}
    assert settings.command() == (
        "interregnum run scenarios/baseline_1922.yaml --mode replay --seed 1 "
        "--set parameters.alliance_rate=0.35 --drop-event stalin_general_secretary"
    )


def test_key_events_are_the_labelled_ones_with_their_cli_ids(baseline):
    events = key_events(baseline)
    assert ("stalin_general_secretary", "1922-04", "Stalin Gen. Sec.") in events
    assert all(label for _, _, label in events)
    assert len(events) == sum(1 for event in baseline.events if event.label)


def test_a_value_out_of_the_registry_range_is_refused_with_its_name():
    with pytest.raises(ScenarioError, match="alliance_rate"):
        build_scenario(Settings(parameters={"alliance_rate": 1.5}))


def test_branching_from_a_month_sets_free_from_as_the_flag_does(baseline):
    settings = Settings(free_from="1924-05")
    scenario = build_scenario(settings)
    assert str(scenario.free_from) == "1924-05"
    assert settings.command().endswith("--free-from 1924-05")
    assert "--mode" not in settings.command()  # --free-from overrides it
    assert settings.mode_words() == "history replayed until 1924-05, the leaders deciding from it"
    assert "--mode free" in Settings(mode="free").command()
    months = branch_months(baseline)
    assert months[0] == "1922-05" and months[-1] == "1926-12" and len(months) == 56
