"""The verdicts: against the null models a difference the report cannot show is a tie, and at
the threshold a hit share within its sampling error is named as such."""

from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import ROOT

from calibration.patterns import fitted, load_patterns
from simulation.calendar import Month
from simulation.experiments.assessment.assessment import HOLD_OUT, REPRODUCED, Assessment


def _table(offices: float, factions: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"pattern": ["a", "b"], "level": ["offices", "factions"], "hit": [offices, factions]}
    )


def test_a_level_beaten_by_less_than_the_report_shows_is_a_tie():
    tables = {
        "posterior": _table(0.80, 0.003),
        "persistence": _table(0.45, 0.0),
        "apparatus": _table(0.90, 0.0),
    }
    assessment = Assessment(
        patterns=[],
        settings=None,
        model="posterior",
        descriptions={},
        tables=tables,
        scores={},
        hindsight=[],
        learnt=pd.DataFrame(),
    )
    verdicts = assessment.verdicts()
    assert verdicts.loc["offices", "vs persistence"] == "beats"
    assert verdicts.loc["offices", "vs apparatus"] == "does not beat"
    # 0.003 against 0: both print as 0.00
    assert verdicts.loc["factions", "vs persistence"] == "ties: does not beat"


def _counted(hits: dict[str, int], runs: int) -> Assessment:
    """An assessment whose hold-out fit hit each pattern in ``hits[pattern]`` of ``runs`` runs."""
    scores = pd.DataFrame(
        [(run, pattern, run < count) for pattern, count in hits.items() for run in range(runs)],
        columns=["run", "pattern", "hit"],
    )
    patterns = [SimpleNamespace(id=pattern) for pattern in hits]
    return Assessment(
        patterns=patterns,
        settings=None,
        model="posterior",
        descriptions={},
        tables={},
        scores={HOLD_OUT: scores},
        hindsight=[],
        learnt=pd.DataFrame(),
    )


def test_a_hit_share_close_to_the_threshold_is_within_its_sampling_error():
    # 402 runs of 1,000: reproduced by the count, not beyond doubt (Wilson, 95%: the centre
    # (p + z^2/2n) / (1 + z^2/n) = 0.4024, half-width 0.0303).
    assessment = _counted({"seat": 402, "army": 700, "finance": 15}, 1000)
    intervals = assessment.sampling_intervals(HOLD_OUT)
    assert list(intervals.index) == ["seat", "army", "finance"]
    seat = intervals.loc["seat"]
    assert (seat["hits"], seat["runs"], seat["share"]) == (402, 1000, 0.402)
    assert seat["low"] == pytest.approx(0.3720, abs=1e-4)
    assert seat["high"] == pytest.approx(0.4327, abs=1e-4)
    straddles = (intervals["low"] < REPRODUCED) & (intervals["high"] >= REPRODUCED)
    assert list(intervals.index[straddles]) == ["seat"]
    # More runs narrow it: at 10,000 runs the same share still straddles 40%, 45% does not.
    wider = _counted({"seat": 4020, "army": 4500}, 10000).sampling_intervals(HOLD_OUT)
    assert wider.loc["seat", "high"] - wider.loc["seat", "low"] < seat["high"] - seat["low"]
    assert wider.loc["army", "low"] > REPRODUCED


def test_the_hold_out_patterns_are_those_the_hold_out_fit_was_not_given(baseline):
    """A pattern dated the fit's last month is fitted, so it is no hold-out pattern."""
    patterns = load_patterns(ROOT / "calibration" / "patterns.yaml", baseline).patterns
    until = Month.parse("1925-06")
    assert any(pattern.date == until for pattern in patterns)  # the case in question
    settings = SimpleNamespace(fit_until=until)
    assessment = Assessment(
        patterns=patterns,
        settings=settings,
        model="posterior",
        descriptions={},
        tables={},
        scores={},
        hindsight=[],
        learnt=pd.DataFrame(),
    )
    late = set(assessment.late())
    assert late and not late & {pattern.id for pattern in fitted(patterns, until)}
    assert late == {pattern.id for pattern in patterns if pattern.date > until}
