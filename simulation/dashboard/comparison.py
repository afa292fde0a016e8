"""The dashboard's second page: the current settings against the baseline, in a small ensemble.

It goes through the command line's comparison (:func:`run_comparison`): two paired
ensembles (run ``i`` has the same seed in both), outcome probabilities with bootstrap
intervals, and the same files ``interregnum compare`` writes, under ``outputs/``. As
``compare`` does by default, each run draws its parameters from the posterior of the
fit (run ``i`` the same draw in both); a parameter moved with a slider keeps its value
in every run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from simulation.dashboard.settings import BASELINE, Settings, build_scenario
from simulation.experiments.compare.comparison import ComparisonResult, run_comparison
from simulation.experiments.ensemble import Ensemble, make_executor
from simulation.experiments.ensemble.store import is_complete
from simulation.experiments.posterior import choose_for_comparison
from simulation.model import Mode
from simulation.scenario import apply_changes, load_scenario

RUNS = 200
"""Runs per ensemble: enough to see a probability move by ten points, in about a minute."""
OUT = Path("outputs") / "dashboard-compare"
AS_SET = "-as-set"
"""Added to the settings' scenario's name: a comparison needs a distinct name per scenario,
and the table and figure should still say which scenario the class chose."""


def compare_with_baseline(
    settings: Settings,
    runs: int = RUNS,
    out_dir: Path = OUT,
    workers: int | None = None,
    resamples: int = 1000,
) -> ComparisonResult:
    """Compare the settings' scenario with the baseline, both in the settings' mode and seed.

    Args:
        settings: the dashboard's controls.
        runs: runs per ensemble.
        out_dir: where the ensembles and the comparison's files are written (replaced).
        workers: local processes (``None``: every core this process may use).
        resamples: bootstrap resamples.

    Raises:
        ScenarioError: the settings do not make a valid scenario.
        EnsembleError: an ensemble cannot run.
        DrawError: the posterior sample cannot be drawn from.
    """
    alternative = build_scenario(settings)
    _, flags = settings.changes()
    name = settings_name(alternative.name)
    alternative = apply_changes(alternative, [{"set": {"name": name}}], "dashboard")
    mode = Mode(settings.mode)
    base = load_scenario(BASELINE)
    files = [BASELINE, settings.scenario_file]
    choices, _ = choose_for_comparison(None, [base, alternative], files)
    ensembles = [
        Ensemble(
            scenario,
            runs=runs,
            seed=settings.seed,
            mode=mode,
            scenario_file=str(file),
            overrides=overrides,
            parameters=choice.draws,
            parameters_note=choice.note,
        )
        for scenario, file, overrides, choice in zip(
            [base, alternative], files, [(), tuple(flags)], choices, strict=True
        )
    ]
    for ensemble in ensembles:
        _clear_other_runs(out_dir / ensemble.scenario.name, ensemble)
    return run_comparison(
        ensembles,
        out_dir,
        lambda: make_executor(workers=workers),
        resamples=resamples,
        force=True,
    )


def _clear_other_runs(directory: Path, ensemble: Ensemble) -> None:
    """Remove another setting's runs from the dashboard's own folder, keeping this one's.

    The command line refuses to write over an ensemble of other settings (another seed,
    mode or scenario), which a classroom user could neither read nor act on: the
    dashboard's folder is its own, so the next comparison replaces the last, and the
    same settings again reuse their runs.
    """
    if directory.exists() and not is_complete(directory, ensemble):
        shutil.rmtree(directory)


READING = (
    "*Dominant*: the leader with the highest power share in December 1926. *History's "
    "factions* and *verdicts*: the runs where the factions came forward, and the Politburo's "
    "members were condemned, in history's order. Each figure is the share of the runs; "
    "after the colon, the change from the baseline, with a 95% interval in brackets: the "
    "runs are paired (run *i* has the same seed and parameters in both), and an interval "
    "that does not include 0 is a change the runs show, not chance."
)
"""How to read a comparison's headline (:attr:`.ComparisonResult.headline`), in words a
class needs: the page shows it first, and the fifty rows of every outcome on request."""


def settings_name(scenario_name: str) -> str:
    """The name the settings' scenario is compared under: ``good-harvest-1925-as-set``."""
    return f"{scenario_name}{AS_SET}"
