"""The null models do what their definitions say on the baseline, and are scored like runs."""

import numpy as np
import pytest
from conftest import ROOT

from calibration.pattern_scores import score_run
from calibration.patterns import load_patterns
from simulation.calendar import Month
from simulation.experiments.assessment.hindsight import (
    ARBITER,
    AUDITS,
    LATER_STANCE,
    SETTLEMENT,
    audits_of,
    hindsight_inputs,
    without_hindsight,
    without_later_stances,
)
from simulation.experiments.assessment.null_models import (
    apparatus_decides,
    april_settlement,
    persistence,
)
from simulation.scenario.schema import EventKind, EventType


@pytest.fixture(scope="module")
def settlement(baseline):
    return april_settlement(baseline)


def _spells(logs):
    return {(leader, post): (start, end) for leader, post, start, end in logs.tenures}


def test_the_april_settlement_is_the_first_month_of_history(settlement):
    holdings = set(settlement.holdings)
    assert ("stalin", "general_secretary") in holdings  # given by the April 1922 plenum
    assert ("rykov", "politburo") in holdings and ("tomsky", "politburo") in holdings
    assert ("trotsky", "war_commissar") in holdings
    assert max(settlement.apparatus, key=settlement.apparatus.get) == "stalin"


def test_persistence_keeps_every_office_until_death(baseline, settlement):
    logs = persistence(baseline, settlement)
    spells = _spells(logs)
    assert len(spells) == len(settlement.holdings)
    assert spells[("lenin", "sovnarkom_chair")] == ("1922-04", "1924-01")
    assert spells[("dzerzhinsky", "gpu_chair")] == ("1922-04", "1926-07")
    assert spells[("trotsky", "war_commissar")] == ("1922-04", None)
    assert spells[("zinoviev", "politburo")] == ("1922-04", None)
    ended = {leader for (leader, _), (_, end) in spells.items() if end is not None}
    assert ended == {"lenin", "dzerzhinsky"}
    assert logs.votes == []
    assert (logs.affinity == settlement.affinity).all()


def test_the_apparatus_decides_at_the_first_sitting_after_the_arbiter_dies(baseline, settlement):
    logs = apparatus_decides(baseline, settlement)
    spells = _spells(logs)
    # Lenin dies 1924-01; that month's conference is the first sitting; Stalin's apparatus
    # is the largest; the Left, hostile to him in April 1922, loses everything there.
    assert spells[("rakovsky", "ukraine_sovnarkom_chair")] == ("1922-04", "1924-01")
    assert spells[("pyatakov", "vsnkh_deputy")] == ("1922-04", "1924-01")
    assert spells[("stalin", "sovnarkom_chair")] == ("1924-01", None)
    assert spells[("zinoviev", "comintern_chair")] == ("1922-04", None)  # close to Stalin
    # Trotsky starts as the centraliser of 1922, not yet Stalin's enemy: the null spares him.
    assert spells[("trotsky", "war_commissar")] == ("1922-04", None)
    sittings = {
        str(event.date)
        for event in baseline.events
        if event.type in (EventType.CONFERENCE, EventType.CONGRESS) and event.date >= Month(1924, 1)
    }
    assert {vote["date"] for vote in logs.votes} == sittings
    assert all(vote["carried"] and "rakovsky" in vote["target"].split(";") for vote in logs.votes)
    assert "stalin" not in logs.votes[0]["target"]
    assert "trotsky" not in logs.votes[0]["target"]


def test_the_nulls_hold_the_april_stances_throughout(baseline, settlement):
    trotsky = [leader.id for leader in baseline.leaders].index("trotsky")
    assert settlement.stance[trotsky].tolist() == [-0.6, 0.3]  # the centraliser of 1922
    for null in (persistence, apparatus_decides):
        logs = null(baseline, settlement)
        assert (logs.stance == settlement.stance).all()
        assert logs.stance.shape[0] == logs.affinity.shape[0]
        assert logs.stance_of("trotsky", "regime", Month(1926, 12)) == 0.3


def test_null_models_are_scored_by_the_same_code(baseline, settlement):
    patterns = load_patterns(ROOT / "calibration" / "patterns.yaml", baseline).patterns
    still = score_run(patterns, persistence(baseline, settlement))
    assert still["stalin-general-secretary-1926"].hit
    assert not still["rakovsky-leaves-ukraine"].hit  # nobody is ever removed
    decided = score_run(patterns, apparatus_decides(baseline, settlement))
    assert decided["rakovsky-leaves-ukraine"].error == 6  # removed 1924-01, history 1923-07
    assert decided["trotsky-keeps-politburo-seat-1925"].hit
    for scores in (still, decided):  # nobody moves: Trotsky stays the centraliser
        assert not scores["trotsky-turns-to-party-democracy-1923"].hit


def test_the_hindsight_audit_lists_and_removes_every_leader_targeted_input(baseline):
    inputs = hindsight_inputs(baseline)
    kinds = {row.input for row in inputs}
    assert kinds == {
        "influence shock",
        "blame through a post",
        "appointment",
        "barred_from",
        "patron",
        "organisation",
        LATER_STANCE,
        SETTLEMENT,
        ARBITER,
    }
    assert any(row.input == "barred_from" and row.names == "trotsky" for row in inputs)
    assert any(row.input == "appointment" and row.names == "kamenev" for row in inputs)
    # The April settlement starts every run, free or not: listed, though every variant keeps it.
    settled = {(row.names, row.effect) for row in inputs if row.input == SETTLEMENT}
    assert ("stalin", "appointment general_secretary") in settled
    assert [row.names for row in inputs if row.input == ARBITER] == ["lenin"]
    stripped = without_hindsight(baseline)
    assert {row.input for row in hindsight_inputs(stripped)} == {LATER_STANCE, SETTLEMENT, ARBITER}
    # Each kind has its audit, which takes it, and only it, away.
    assert [audit.name for audit in audits_of(baseline)] == [audit.name for audit in AUDITS]
    for audit in AUDITS:
        left = {row.input for row in hindsight_inputs(audit.remove(baseline))}
        assert left == kinds - set(audit.kinds)
    shifts = sum(
        event.kind is EventKind.EXOGENOUS
        and event.type in (EventType.STANCE_SHIFT, EventType.APPOINTMENT, EventType.REMOVAL)
        for event in baseline.events
    )
    assert len(stripped.events) == len(baseline.events) - shifts
    assert [e.id for e in stripped.events if e.type is EventType.DEATH] == [
        e.id for e in baseline.events if e.type is EventType.DEATH
    ]
    # Whom a failure is pinned on is hindsight; the failure itself (the scissors crisis, the
    # German defeat, the grain failure), which no leader decided, stays.
    failures = {e.id for e in baseline.events if e.blame}
    assert failures >= {"scissors_crisis", "german_october_fails", "grain_failure"}
    assert {e.id for e in stripped.events if e.failure} == failures


def test_stances_read_off_later_acts_are_listed_and_set_to_the_leaderships_average(baseline):
    # The Declaration of the 46 (October 1923) places its signatories where they went: a
    # stance read off it is hindsight, and the audit measures the patterns without it.
    inputs = {row.declared_in: row for row in hindsight_inputs(baseline)}
    signed = inputs["leaders.preobrazhensky.stance.regime"]
    assert signed.input == LATER_STANCE and signed.names == "preobrazhensky"
    assert signed.effect.startswith("regime -0.90: the Declaration of the 46")
    assert "leaders.trotsky.stance.regime" not in inputs  # his 1922 stance is read off 1920
    average = {
        axis: np.mean([getattr(leader.stance, axis) for leader in baseline.leaders])
        for axis in ("economic", "regime")
    }
    blurred = {leader.id: leader for leader in without_later_stances(baseline).leaders}
    for leader in baseline.leaders:
        for axis in ("economic", "regime"):
            now = getattr(blurred[leader.id].stance, axis)
            if axis in leader.stance_read_off:
                assert now == pytest.approx(average[axis], abs=1e-6)
            else:
                assert now == getattr(leader.stance, axis)  # Trotsky, Lenin, Tomsky ... stay
    assert hindsight_inputs(without_later_stances(baseline)) == [
        row for row in hindsight_inputs(baseline) if row.input != LATER_STANCE
    ]
