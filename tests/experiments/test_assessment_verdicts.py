"""The verdicts: against the null models a difference within the model's sampling error is a
tie, and at the threshold a hit share within its sampling error is named as such."""

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


def _scored(hits_a: list[bool], hits_b: list[bool]) -> pd.DataFrame:
    """Per-run scores of two offices patterns, ``a`` and ``b``."""
    rows = [(run, "a", hit) for run, hit in enumerate(hits_a)]
    rows += [(run, "b", hit) for run, hit in enumerate(hits_b)]
    return pd.DataFrame(rows, columns=["run", "pattern", "hit"])


def test_a_null_is_beaten_or_not_by_the_models_sampling_error_not_a_fixed_margin():
    offices = pd.DataFrame({"pattern": ["a", "b"], "level": ["offices"] * 2, "hit": [1.0, 1.0]})
    # 1,000 runs missing one pattern in 8 of them: 0.996, below a null at 1.00 by less than
    # the report shows but by more than its sampling error (the Politburo's case).
    close = _scored([True] * 1000, [run >= 8 for run in range(1000)])
    # 20 runs, 0.95 on average: 0.05 below the null, within its sampling error.
    few = _scored([True] * 20, [run >= 2 for run in range(20)])
    # 1,000 runs, 0.92 on average: above a null at 0.90 by more than its sampling error.
    above = _scored([True] * 1000, [run >= 160 for run in range(1000)])
    cases = ((close, 1.0, "does not beat"), (few, 1.0, "ties: does not beat"))
    for scores, null, expected in (*cases, (above, 0.9, "beats")):
        model = scores.groupby("pattern")["hit"].mean()
        assessment = Assessment(
            patterns=[],
            settings=None,
            model="posterior",
            descriptions={},
            tables={
                "posterior": offices.assign(hit=offices["pattern"].map(model)),
                "persistence": offices.assign(hit=null),
                "apparatus": offices.assign(hit=null),
            },
            scores={"posterior": scores},
            hindsight=[],
            learnt=pd.DataFrame(),
        )
        verdicts = assessment.verdicts()
        assert verdicts.loc["offices", "vs persistence"] == expected
        assert verdicts.loc["all", "vs apparatus"] == expected


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
