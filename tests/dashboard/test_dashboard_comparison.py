import json
from pathlib import Path

import pytest

from simulation.dashboard.comparison import compare_with_baseline, settings_name
from simulation.dashboard.settings import Settings

pytestmark = pytest.mark.usefixtures("at_project_root")
SETTINGS_NAME = settings_name("baseline-1922")


def test_the_settings_are_compared_with_the_baseline_through_the_cli_comparison(tmp_path):
    settings = Settings(mode="free", seed=3, dropped=frozenset({"stalin_general_secretary"}))
    result = compare_with_baseline(settings, runs=4, out_dir=tmp_path, workers=1, resamples=50)
    assert set(result.reports) == {"baseline-1922", SETTINGS_NAME}
    assert {path.name for path in result.files} >= {"comparison.csv", "comparison.png"}
    scenarios = set(result.table["scenario"])
    assert scenarios == {"baseline-1922", SETTINGS_NAME}
    assert SETTINGS_NAME in result.main_table
    # first on the page: who wins and history's orders, a row per scenario
    lines = result.headline.splitlines()
    assert lines[0].startswith("| Scenario | P(") and "dominant) | P(history's" in lines[0]
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| baseline-1922", f"| {SETTINGS_NAME}"]
    manifest = (tmp_path / SETTINGS_NAME / "manifest.json").read_text(encoding="utf-8")
    assert "--drop-event stalin_general_secretary" in manifest
    assert '"parameters": "posterior"' in manifest


def test_a_parameter_moved_on_a_slider_holds_in_every_run_of_the_comparison(tmp_path):
    settings = Settings(mode="free", seed=3, parameters={"hostility": 0.9})
    compare_with_baseline(settings, runs=4, out_dir=tmp_path, workers=1, resamples=50)
    manifests = [
        json.loads((tmp_path / name / "manifest.json").read_text(encoding="utf-8"))
        for name in ("baseline-1922", SETTINGS_NAME)
    ]
    assert [m["parameters_kept"] for m in manifests] == [[], ["hostility"]]
    assert manifests[0]["posterior_sha256"] == manifests[1]["posterior_sha256"]


def test_the_next_comparison_replaces_the_last_and_the_same_one_reuses_it(tmp_path):
    # The dashboard's folder is its own: another seed or mode must not be refused as
    # "another ensemble", and the same settings again must not run anything.
    first = Settings(mode="free", seed=3)
    compare_with_baseline(first, runs=4, out_dir=tmp_path, workers=1, resamples=50)
    again = compare_with_baseline(first, runs=4, out_dir=tmp_path, workers=1, resamples=50)
    assert set(again.reports.values()) == {None}  # every ensemble reused
    for other in (Settings(mode="free", seed=4), Settings(mode="replay", seed=4)):
        result = compare_with_baseline(other, runs=4, out_dir=tmp_path, workers=1, resamples=50)
        assert None not in result.reports.values()  # both ran afresh
        manifest = json.loads((tmp_path / SETTINGS_NAME / "manifest.json").read_text())
        assert (manifest["seed"], manifest["mode"]) == (other.seed, other.mode)


def test_the_comparison_names_the_scenario_the_class_chose(tmp_path):
    harvest = Path("scenarios/counterfactuals/good_harvest_1925.yaml")
    chosen = Settings(mode="free", scenario_file=harvest)
    result = compare_with_baseline(chosen, runs=2, out_dir=tmp_path, workers=1, resamples=20)
    assert set(result.table["scenario"]) == {"baseline-1922", "good-harvest-1925-as-set"}
