"""The verdicts against the null models: a difference the report cannot show is a tie."""

import pandas as pd

from simulation.experiments.assessment.assessment import Assessment


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
