"""The committed fit still reproduces the README's figures, within stated bands.

The figures come from ``calibration/assessments/baseline-1922/report.md`` (1,000 runs);
here 200 runs on the same seeds, so the bands allow for the sampling error of 200 runs
(about 0.03 on a mean hit share) and no more. Refitting or changing the model moves
these figures on purpose: then update the committed assessment, the README and the bands.
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
        runs=200,
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
    scored = score_variants(chosen, patterns, run_seeds(1, 200), make_mapper(1))
    tables = {name: pattern_table(patterns, result.scores) for name, result in scored.items()}
    return patterns, tables, {name: result.paths for name, result in scored.items()}


def test_the_posterior_predictive_joint_score_stays_near_0_81(tables):
    _, by_set, _ = tables
    joint = joint_scores(by_set["posterior"])
    # 1,000 runs: 0.81, timings 0.62, factions 0.67; their first 200: 0.80, 0.53, 0.62.
    assert joint["all"] == pytest.approx(0.81, abs=0.04)
    assert joint["timings"] == pytest.approx(0.58, abs=0.08)
    assert joint["factions"] == pytest.approx(0.64, abs=0.06)


def test_the_hold_out_in_time_stays_near_0_69(tables):
    patterns, by_set, _ = tables
    late = {p.id for p in patterns if p.date > Month(1924, 12)}
    table = by_set["hold-out fit"]
    table = table[table["pattern"].isin(late)]
    assert len(table) == 34
    # 1,000 runs: 0.67, 31 of 34; their first 200: 0.72, 32 of 34.
    assert table["hit"].mean() == pytest.approx(0.69, abs=0.04)
    assert (table["hit"] >= 0.4).sum() in range(26, 35)


def test_historys_path_stays_the_most_common(baseline, tables):
    # The factions in history's order and the Politburo's members condemned in history's
    # order: 0.39 of 1,000 posterior runs, 0.24 of the hold-out fit's, the most common pair
    # of orders in both (the committed report's "historical sequence as a path").
    _, _, paths = tables
    history = history_orders(baseline)
    posterior = history_shares(paths["posterior"], history)
    hold_out = history_shares(paths["hold-out fit"], history)
    assert posterior["both"] == pytest.approx(0.39, abs=0.07)
    # The hold-out fit's first 200 of those 1,000 runs take the pair in 0.30: the band
    # holds both figures give or take 1.3 standard errors of 200 runs (0.03 each).
    assert hold_out["both"] == pytest.approx(0.27, abs=0.07)
    assert posterior["most common"] and hold_out["most common"]
