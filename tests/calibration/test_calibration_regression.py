"""The committed fit still reproduces the README's figures, within stated bands.

The figures come from ``calibration/assessments/baseline-1922/report.md``: the same 1,000
runs on the same seeds, so the figures are the report's to the digit and the bands allow
only for arithmetic that differs between machines. (With 200 runs the hold-out fit's
history's path was the most common in one sample and not in another: a test on a sample
that small judged chance, not the fit.) Refitting or changing the model moves these figures
on purpose: then update the committed assessment, the README and the bands.
"""

import pytest
from conftest import ROOT

from calibration.pattern_scores import joint_scores, pattern_table
from calibration.patterns import load_patterns
from simulation.calendar import Month
from simulation.experiments.assessment.assessment import Settings, variants
from simulation.experiments.assessment.runs import make_mapper, score_variants
from simulation.experiments.paths import history_orders, history_shares
from simulation.experiments.seeds import run_seeds

PARAMETERS = ROOT / "calibration" / "parameters"


@pytest.fixture(scope="module")
def tables(baseline):
    settings = Settings(
        runs=1000,
        seed=1,
        parameters="posterior",
        posterior=PARAMETERS / "baseline-1922-posterior.csv",
        fit_until=Month(1924, 12),
        hold_out_parameters=PARAMETERS / "baseline-1922-until-1924-12.yaml",
    )
    patterns = load_patterns(ROOT / "calibration" / "patterns.yaml", baseline).patterns
    sets, _, notes = variants(baseline, settings)
    assert notes == []
    chosen = [v for v in sets if v.name in ("posterior", "hold-out fit")]
    scored = score_variants(chosen, patterns, run_seeds(1, 1000), make_mapper(1))
    tables = {name: pattern_table(patterns, result.scores) for name, result in scored.items()}
    return patterns, tables, {name: result.paths for name, result in scored.items()}


def test_the_posterior_predictive_joint_score_stays_near_0_79(tables):
    _, by_set, _ = tables
    joint = joint_scores(by_set["posterior"])
    assert joint["all"] == pytest.approx(0.795, abs=0.002)  # all 61 patterns
    assert joint["timings"] == pytest.approx(0.530, abs=0.002)
    assert joint["factions"] == pytest.approx(0.689, abs=0.002)


def test_the_hold_out_in_time_stays_near_0_68(tables):
    patterns, by_set, _ = tables
    late = {p.id for p in patterns if p.date > Month(1924, 12)}
    table = by_set["hold-out fit"]
    table = table[table["pattern"].isin(late)]
    assert len(table) == 34
    assert table["hit"].mean() == pytest.approx(0.682, abs=0.002)
    assert (table["hit"] >= 0.4).sum() == 31


def test_historys_path_stays_the_most_common(baseline, tables):
    # The factions in history's order and the Politburo's members condemned in history's
    # order: 0.354 of 1,000 posterior runs, 0.259 of the hold-out fit's, the most common pair
    # of orders in both (the committed report's "historical sequence as a path").
    _, _, paths = tables
    history = history_orders(baseline)
    posterior = history_shares(paths["posterior"], history)
    hold_out = history_shares(paths["hold-out fit"], history)
    assert posterior["both"] == pytest.approx(0.354, abs=0.002)
    assert hold_out["both"] == pytest.approx(0.259, abs=0.002)
    assert posterior["most common"] and hold_out["most common"]
