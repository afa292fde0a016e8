"""The ABC fit says how many generations it made, why it stopped before those asked for, and
how far it has got."""

from conftest import BASELINE, ROOT

from calibration.fit import Calibration, Settings
from calibration.patterns import load_patterns
from simulation.scenario import load_scenario

PATTERNS = ROOT / "calibration" / "patterns.yaml"


def _fit(tmp_path, progress=False, **settings):
    scenario = load_scenario(BASELINE)
    patterns = load_patterns(PATTERNS, scenario).patterns
    tiny = Settings(
        **{"population": 4, "quantile": 0.5, "runs_per_particle": 2, "workers": 1} | settings
    )
    return Calibration(scenario, patterns, tiny).fit(tmp_path / "history.db", progress)


def test_a_fit_stopped_by_a_floor_before_its_last_generation_says_so(tmp_path):
    # With a floor of 99% of proposals kept, pyabc ends the run as soon as a population
    # keeps fewer, without raising: a user who asked for three generations must hear it.
    # Eight particles kept of a quarter of the proposals: four of four can all be kept.
    calibration = _fit(
        tmp_path, population=8, quantile=0.25, generations=3, minimum_acceptance=0.99
    )
    done = calibration.populations_.query("t >= 0").shape[0]
    assert done < 3
    assert calibration.stopped_early_.startswith(f"stopped after {done} of 3 generations")
    assert "under the 99% floor" in calibration.stopped_early_


def test_a_fit_that_makes_every_generation_asked_for_has_nothing_to_say(tmp_path):
    assert _fit(tmp_path, generations=1).stopped_early_ is None


def test_a_fit_shows_each_population_s_progress_and_is_the_same_fit(tmp_path, capsys):
    # A fit runs for minutes to hours: on a terminal a bar per population counts the
    # particles kept and the candidates proposed. Drawing it must not change the fit.
    (tmp_path / "quiet").mkdir()
    (tmp_path / "shown").mkdir()
    quiet = _fit(tmp_path / "quiet").posterior_
    capsys.readouterr()
    shown = _fit(tmp_path / "shown", progress=True).posterior_
    bars = capsys.readouterr().err
    assert "calibrate, prior sample" in bars and "calibrate, generation 1" in bars
    assert "4/4" in bars and "proposed" in bars
    assert quiet.equals(shown)
