"""The public API: what ``simulation`` names, and the README's Python example, run as written."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import simulation

ROOT = Path(__file__).resolve().parent.parent


def _readme_python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_every_public_name_imports():
    for name in simulation.__all__:
        assert getattr(simulation, name) is not None, name


def test_importing_the_package_leaves_the_model_unloaded():
    code = "import sys, simulation; print('simulation.model' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "False"


def test_the_readme_example_uses_only_public_names_and_runs(tmp_path, monkeypatch):
    blocks = _readme_python_blocks()
    assert blocks, "the README has no Python example"
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom):  # pandas aside, only the public names
                assert node.module == "simulation", f"README imports from {node.module}"
                assert {alias.name for alias in node.names} <= set(simulation.__all__)
    for folder in ("scenarios", "calibration"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    exec(blocks[0], {})  # noqa: S102 - the README's own example, as a user would paste it
    assert (tmp_path / "outputs" / "my-ensemble" / "summary.parquet").is_file()
    assert (tmp_path / "my-fan.png").stat().st_size > 0


# Bad input from Python, as a researcher in a notebook gives it: a clear exception of a
# documented type, never a crashed kernel or a silently different study.


def test_a_model_stepped_past_its_last_month_refuses_before_any_compiled_code(small_scenario):
    """The compiled month wrote past the recorder's arrays: the kernel died (exit 139)."""
    from simulation import PartyModel

    model = PartyModel(small_scenario, seed=1)
    result = model.run()
    with pytest.raises(
        RuntimeError, match=r"the run is over: its last month, 1923-03, is simulated"
    ):
        model.step()
    assert model.recorder.result()["trajectories"].equals(result["trajectories"])


def test_a_mode_given_as_text_is_the_mode_not_a_replay(small_scenario):
    """``mode="free"`` replayed history: the rules test ``mode is Mode.FREE``."""
    from simulation import Ensemble, Mode, PartyModel

    as_text = PartyModel(small_scenario, seed=1, mode="free")
    assert as_text.mode is Mode.FREE and as_text.free_from == 0
    free = PartyModel(small_scenario, seed=1, mode=Mode.FREE).run()
    assert as_text.run()["trajectories"].equals(free["trajectories"])
    assert Ensemble(small_scenario, runs=2, mode="free").mode is Mode.FREE
    with pytest.raises(ValueError, match=r"mode must be 'replay' or 'free', got 'fre'"):
        PartyModel(small_scenario, seed=1, mode="fre")


@pytest.mark.parametrize("seed", [None, "1", 1.5, -1, True, 2**63])
def test_a_model_refuses_a_seed_no_run_could_be_repeated_with(small_scenario, seed):
    from simulation import PartyModel

    with pytest.raises(ValueError, match=r"seed must be an integer from 0 to 2\*\*63 - 1"):
        PartyModel(small_scenario, seed=seed)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"runs": 2.5}, "runs must be a whole number, got 2.5"),
        ({"runs": "20"}, "runs must be a whole number, got '20'"),
        ({"runs": 3, "mode": "fre"}, "mode must be 'replay' or 'free', got 'fre'"),
    ],
)
def test_an_ensemble_refuses_what_it_cannot_run_as_a_public_error(
    small_scenario, settings, message
):
    from simulation import Ensemble, EnsembleError

    with pytest.raises(EnsembleError, match=re.escape(message)):
        Ensemble(small_scenario, **settings)


def test_changes_to_a_loaded_file_need_no_labels():
    """``load_scenario(path, changes=...)`` failed on zip() unless given a label per change."""
    from simulation import ScenarioError, load_scenario

    baseline = ROOT / "scenarios" / "baseline_1922.yaml"
    dropped = load_scenario(baseline, changes=[{"drop_event": "frunze_dies"}])
    assert "frunze_dies" not in {event.id for event in dropped.events}
    with pytest.raises(ScenarioError) as caught:
        load_scenario(baseline, changes=[{"drop_event": "frunze_die"}])
    assert caught.value.problems[0].startswith(
        "the changes given: changes[0].drop_event: unknown event 'frunze_die' (did you mean"
    )
    with pytest.raises(ValueError, match="labels: one per change, got 1 for 2 changes"):
        load_scenario(baseline, changes=[{"drop_event": "a"}, {"drop_event": "b"}], labels=["x"])


def test_a_mistyped_parameter_source_is_refused_not_read_as_the_posterior(small_scenario):
    from simulation import DrawError, choose_parameters

    with pytest.raises(DrawError, match="expected 'posterior', 'point' or 'prior', got 'pointt'"):
        choose_parameters("pointt", small_scenario, None)


def test_a_comparison_from_python_takes_a_text_folder_and_needs_no_executor(
    small_scenario, tmp_path
):
    """It needed an executor factory no public name could make, and a Path."""
    from simulation import Ensemble, apply_changes, run_comparison

    alternative = apply_changes(small_scenario, [{"set": {"name": "no-purge"}}], "test")
    alternative = apply_changes(alternative, [{"drop_event": "purge-leningrad"}], "test")
    ensembles = [
        Ensemble(scenario, runs=4, mode="replay") for scenario in (small_scenario, alternative)
    ]
    result = run_comparison(ensembles, str(tmp_path / "comparison"))
    assert {"comparison.csv", "report.md", "comparison.png"} <= {path.name for path in result.files}
    assert set(result.table["scenario"]) == {"small", "no-purge"}


def test_an_unknown_post_or_frame_is_named_with_the_known_ones(small_scenario):
    from simulation import PartyModel

    model = PartyModel(small_scenario, seed=1)
    result = model.run()
    with pytest.raises(KeyError, match=r"unknown post 'general_secretaryy' \(did you mean"):
        model.holders("general_secretaryy")
    with pytest.raises(KeyError, match=r"no frame 'trajectory'; a run has alliances, events"):
        result["trajectory"]


def test_a_run_and_an_ensemble_are_drawn_as_figures_from_python(small_scenario, tmp_path):
    """The figures `run` and `ensemble` write, for a notebook: one line or panel per leader."""
    result = simulation.PartyModel(small_scenario, seed=1, mode="free").run()
    figure = simulation.draw_influence(
        result["trajectories"], small_scenario, result["events"], leaders=["stalin", "trotsky"]
    )
    top, bottom = figure.axes
    assert [line.get_gid() for line in top.get_lines()][:2] == ["stalin", "trotsky"]
    assert (top.get_ylabel(), bottom.get_xlabel()) == ("Influence (standing, 0-1)", "Month")
    report = simulation.run_ensemble(simulation.Ensemble(small_scenario, runs=4), tmp_path / "e")
    quantiles = pd.read_parquet(report.out_dir / "quantiles.parquet")
    fan = simulation.draw_fan(quantiles, small_scenario, runs=4, leaders=["stalin", "trotsky"])
    assert [axis.get_title(loc="left").strip() for axis in fan.axes][:2] == [
        "Stalin",
        "Trotsky",
    ]
