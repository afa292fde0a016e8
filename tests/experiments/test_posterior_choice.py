"""Finding a scenario's posterior, keeping what the user set, and pairing a comparison's draws."""

import hashlib
import os

import pytest
from conftest import BASELINE, ROOT, SMALL_SCENARIO

from simulation.experiments.parameter_draws import DrawError
from simulation.experiments.posterior import (
    choose_for_comparison,
    choose_parameters,
    kept_parameters,
)
from simulation.experiments.seeds import run_seeds
from simulation.scenario import apply_changes, load_scenario

POSTERIOR = ROOT / "calibration" / "parameters" / "baseline-1922-posterior.csv"
NO_ENROLMENT = ROOT / "scenarios" / "counterfactuals" / "no_lenin_enrolment.yaml"
SEEDS = run_seeds(4, 40)


def overlay(tmp_path, name, changes):
    """An overlay of the baseline in ``tmp_path`` making these changes."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"extends: {BASELINE}\nname: {name}\nsource: a test of the draws\nchanges: {changes}\n"
    )
    return path


def test_the_baseline_and_its_overlays_draw_from_the_committed_posterior(baseline):
    for scenario, file in ((baseline, BASELINE), (load_scenario(NO_ENROLMENT), NO_ENROLMENT)):
        choice = choose_parameters(None, scenario, file)
        assert os.path.samefile(choice.draws.path, POSTERIOR)
        assert choice.draws.sha256 == hashlib.sha256(POSTERIOR.read_bytes()).hexdigest()
        assert choice.draws.kept == [] and choice.note == ""
    drawn = {tuple(choice.draws.values_for(seed).values()) for seed in SEEDS}
    assert len(drawn) > 3  # runs take different particles
    assert choose_parameters("point", baseline, BASELINE).draws is None


def test_a_scenario_read_through_a_symbolic_link_finds_its_posterior(
    baseline, tmp_path, monkeypatch
):
    # scen/../calibration is, to the system, the repository's calibration folder, not
    # tmp_path/calibration: the lookup must read the path as the loader does
    (tmp_path / "scen").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    for name in ("baseline_1922.yaml", "counterfactuals/no_lenin_enrolment.yaml"):
        choice = choose_parameters(
            None, baseline, tmp_path.joinpath("scen", name).relative_to(tmp_path)
        )
        assert choice.note == ""
        assert os.path.samefile(choice.draws.path, POSTERIOR)


def test_a_sample_without_some_fitted_parameters_is_drawn_from_with_a_note(baseline, tmp_path):
    """A hand-made or older sample: the parameters it lacks keep the point, and the user is told."""
    partial = tmp_path / "partial.csv"
    lines = POSTERIOR.read_text().splitlines()
    header = lines[0].split(",")
    gone = [header.index("hostility"), header.index("ally_pull")]
    partial.write_text(
        "\n".join(
            ",".join(v for k, v in enumerate(line.split(",")) if k not in gone) for line in lines
        )
    )
    choice = choose_parameters(None, baseline, BASELINE, partial)
    assert choice.note == (
        f"{partial}: no column for ally_pull, hostility; they keep the fitted point in every run"
    )
    assert "hostility" not in choice.draws.names
    # A parameter the scenario sets itself is kept, not missing.
    kept = apply_changes(baseline, [{"set": {"parameters.hostility": 0.9}}], "--set")
    assert choose_parameters(None, kept, BASELINE, partial).note == (
        f"{partial}: no column for ally_pull; it keeps the fitted point in every run"
    )


def test_a_parameter_set_with_set_or_an_overlay_holds_in_every_run(baseline, tmp_path):
    changed = apply_changes(
        baseline, [{"set": {"parameters.hostility": 0.9}}], "--set parameters.hostility=0.9"
    )
    choice = choose_parameters(None, changed, BASELINE)
    assert choice.draws.kept == ["hostility"]
    scenarios = [choice.draws.scenario_for(changed, seed) for seed in SEEDS]
    assert {s.parameters.hostility for s in scenarios} == {0.9}
    assert len({s.parameters.discipline for s in scenarios}) > 3  # the rest are still drawn

    file = overlay(tmp_path, "disciplined", "[{set: {parameters.discipline: 0.5}}]")
    scenario = load_scenario(file)
    assert kept_parameters(scenario, file) == {"discipline"}
    draws = choose_parameters(None, scenario, file).draws
    assert {draws.scenario_for(scenario, seed).parameters.discipline for seed in SEEDS} == {0.5}


def test_without_a_posterior_the_point_stands_in_with_a_note_unless_one_was_asked_for(
    tmp_path, small_scenario
):
    small = tmp_path / "small.yaml"
    small.write_text(SMALL_SCENARIO)
    choice = choose_parameters(None, small_scenario, small)
    assert choice.draws is None
    assert choice.note == (
        f"{small}: no posterior sample: the scenario names no fitted parameters "
        "(parameters_from:); every run uses the point estimate"
    )
    with pytest.raises(DrawError, match=r"names no fitted parameters .* --parameters point"):
        choose_parameters("posterior", small_scenario, small)
    nowhere = tmp_path / "nowhere.csv"
    with pytest.raises(DrawError, match=r"nowhere.csv: no posterior sample there; run "):
        choose_parameters(None, small_scenario, small, nowhere)
    with pytest.raises(DrawError, match=r": is a directory, not a posterior sample \(a CSV file\)"):
        choose_parameters(None, small_scenario, small, tmp_path)
    with pytest.raises(DrawError, match=r"and --parameters point draws from none"):
        choose_parameters("point", small_scenario, small, nowhere)
    # The priors need no sample: a scenario with no fit draws from them all the same.
    prior = choose_parameters("prior", small_scenario, small)
    assert prior.draws.kind == "prior" and prior.note == ""
    with pytest.raises(DrawError, match=r"and --parameters prior draws from none"):
        choose_parameters("prior", small_scenario, small, nowhere)


def test_every_scenario_of_a_comparison_draws_the_same_particle_for_run_i(baseline, tmp_path):
    file = overlay(tmp_path, "hostile", "[{set: {parameters.hostility: 0.9}}]")
    alternative = load_scenario(file)
    choices, notes = choose_for_comparison(None, [baseline, alternative], [BASELINE, file])
    assert notes == []
    base, alt = (choice.draws for choice in choices)
    assert base.path == alt.path and alt.kept == ["hostility"]
    for seed in SEEDS:
        assert base.particle_for(seed) == alt.particle_for(seed)
        ours = base.scenario_for(baseline, seed).parameters.model_dump()
        theirs = alt.scenario_for(alternative, seed).parameters.model_dump()
        assert {k: v for k, v in ours.items() if k != "hostility"} == {
            k: v for k, v in theirs.items() if k != "hostility"
        }
        assert theirs["hostility"] == 0.9


def test_every_scenario_of_a_comparison_on_the_priors_draws_the_same_values_for_run_i(
    baseline, tmp_path
):
    file = overlay(tmp_path, "hostile", "[{set: {parameters.hostility: 0.9}}]")
    alternative = load_scenario(file)
    choices, notes = choose_for_comparison("prior", [baseline, alternative], [BASELINE, file])
    assert notes == []
    base, alt = (choice.draws for choice in choices)
    assert (base.kind, alt.kind) == ("prior", "prior")
    assert base.kept == [] and alt.kept == ["hostility"]
    for seed in SEEDS:
        ours = base.scenario_for(baseline, seed).parameters.model_dump()
        theirs = alt.scenario_for(alternative, seed).parameters.model_dump()
        assert {k: v for k, v in ours.items() if k != "hostility"} == {
            k: v for k, v in theirs.items() if k != "hostility"
        }
        assert theirs["hostility"] == 0.9 and ours["hostility"] != 0.9


def test_a_comparison_whose_base_has_no_posterior_runs_every_scenario_on_its_point(
    tmp_path, small_scenario, baseline
):
    small = tmp_path / "small.yaml"
    small.write_text(SMALL_SCENARIO)
    choices, notes = choose_for_comparison(None, [small_scenario, baseline], [small, BASELINE])
    assert [choice.draws for choice in choices] == [None, None]
    assert len(notes) == 1 and "every run uses the point estimate" in notes[0]


def test_a_comparison_names_each_scenario_whose_parameters_a_sample_lacks(baseline, tmp_path):
    """The base sets hostility itself, the alternative does not: the alternative is told."""
    partial = tmp_path / "partial.csv"
    lines = POSTERIOR.read_text().splitlines()
    gone = lines[0].split(",").index("hostility")
    partial.write_text(
        "\n".join(",".join(v for k, v in enumerate(line.split(",")) if k != gone) for line in lines)
    )
    file = overlay(tmp_path, "hostile", "[{set: {parameters.hostility: 0.9}}]")
    hostile = load_scenario(file)
    choices, notes = choose_for_comparison(None, [hostile, baseline], [file, BASELINE], partial)
    assert [choice.note for choice in choices] == [
        "",
        f"{partial}: no column for hostility; it keeps the fitted point in every run",
    ]
    assert notes == [
        f"{BASELINE}: {partial}: no column for hostility; it keeps the fitted point in every run"
    ]
    # The same sample under the other base: one note, the base's, said once.
    _, notes = choose_for_comparison(None, [baseline, baseline], [BASELINE, BASELINE], partial)
    assert notes == [f"{partial}: no column for hostility; it keeps the fitted point in every run"]
