"""What follows a turning point: later patterns read apart in the runs that reach it and not."""

from types import SimpleNamespace

import pandas as pd
import pytest

from simulation.calendar import Month
from simulation.experiments.assessment.assessment import HOLD_OUT, Assessment, following


def _pattern(pattern_id: str, date: Month) -> SimpleNamespace:
    return SimpleNamespace(id=pattern_id, date=date, level="votes")


def _scores(turn: list[float], after: list[float], before: list[float]) -> pd.DataFrame:
    rows = [
        (run, pattern_id, hit)
        for pattern_id, hits in (("turn", turn), ("after", after), ("before", before))
        for run, hit in enumerate(hits)
    ]
    return pd.DataFrame(rows, columns=["run", "pattern", "hit"])


def test_a_later_pattern_is_read_apart_in_the_runs_that_take_the_turn_and_the_others():
    patterns = [
        _pattern("before", Month(1924, 1)),
        _pattern("turn", Month(1925, 12)),
        _pattern("after", Month(1926, 7)),
    ]
    scores = {
        # three runs take the turn; what follows comes in one of them, and in the one other
        "posterior": _scores([1, 1, 1, 0], [1, 0, 0, 1], [1, 1, 1, 1]),
        HOLD_OUT: _scores([0, 0, 0, 0], [0, 0, 1, 0], [1, 1, 1, 1]),
    }
    assessment = Assessment(
        patterns=patterns,
        settings=None,
        model="posterior",
        descriptions={},
        tables={},
        scores=scores,
        hindsight=[],
        learnt=pd.DataFrame(),
    )
    result = following(assessment, "turn")
    assert result.runs == {HOLD_OUT: (0, 4), "posterior": (3, 1)}
    assert list(result.table["pattern"]) == ["after"]  # only what is dated after the turn
    row = result.table.iloc[0]
    assert row["posterior, hit"] == pytest.approx(1 / 3)
    assert row["posterior, missed"] == 1.0
    assert pd.isna(row[f"{HOLD_OUT}, hit"])  # no hold-out run took the turn
    assert row[f"{HOLD_OUT}, missed"] == 0.25
