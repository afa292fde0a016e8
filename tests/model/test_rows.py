import numpy as np
from conftest import SEED

from simulation.model import Mode, PartyModel
from simulation.model.decisions import DecisionTexts
from simulation.model.leadership import CONDEMNATION, REMOVAL
from simulation.model.rows import (
    EVENT_COLUMNS,
    ROW_WIDTH,
    VOTE_COLUMNS,
    Appointment,
    EventRow,
    PlenumRemoval,
    Purge,
    PurgeRemoval,
    Sanction,
    Vote,
    VoteRow,
    decode,
    write_appointment,
    write_plenum_removal,
    write_purge,
    write_purge_removal,
    write_sanction,
    write_vote,
    write_vote_target,
)
from simulation.model.votes import ARENAS
from simulation.scenario.schema import Arena


def test_decisions_written_by_compiled_code_read_back_as_named_rows():
    log = np.zeros((8, ROW_WIDTH), dtype=np.int64)
    row = write_purge_removal(log, 0, 3, 1, 2)
    row = write_purge(log, row, 2, 0)
    row = write_appointment(log, row, 4, 1, 0)
    row = write_vote_target(log, row, 3)
    row = write_vote(log, row, 2, 1, 0, 310, 90, True)
    row = write_sanction(log, row, 2, 1, 0, 3)
    row = write_plenum_removal(log, row, 2, 3, 5)
    assert row == 7  # six decisions, one of them a vote with one target
    assert decode(log[:row]) == [
        PurgeRemoval(leader=3, post=1, organisation=2),
        Purge(organisation=2, beneficiary=0),
        Appointment(appointee=4, post=1, appointer=0),
        Vote(arena=2, move=1, proposer=0, votes_for=310, votes_against=90, carried=1, targets=(3,)),
        Sanction(arena=2, move=1, proposer=0, target=3),
        PlenumRemoval(move=2, leader=3, post=5),
    ]


def test_logs_hold_named_rows_whose_fields_are_the_frames_columns(baseline):
    model = PartyModel(baseline, seed=SEED, mode=Mode.FREE)
    result = model.run()
    assert model.event_log and all(isinstance(row, EventRow) for row in model.event_log)
    assert model.vote_log and all(isinstance(row, VoteRow) for row in model.vote_log)
    assert list(result["events"].columns) == ["run", *EVENT_COLUMNS]
    assert list(result["votes"].columns) == ["run", *VOTE_COLUMNS]
    origins = {row.origin for row in model.event_log}
    assert origins == {"scenario", "model"}


def test_a_vote_says_whether_the_scenario_forced_its_outcome(baseline):
    replay = PartyModel(baseline, seed=SEED, mode=Mode.REPLAY).run()["votes"]
    assert replay["forced"].all()
    overruled = replay[replay["carried"] & (replay["votes_for"] <= replay["votes_against"])]
    assert overruled.empty or overruled["forced"].all()
    free = PartyModel(baseline, seed=SEED, mode=Mode.FREE).run()["votes"]
    decided = free[~free["forced"]]
    assert not decided.empty
    assert (decided["carried"] == (decided["votes_for"] > decided["votes_against"])).all()


def test_decision_texts_are_formatted_once_and_shared_by_the_runs_of_a_scenario():
    texts = DecisionTexts(["stalin", "trotsky"], ["war"], ["moscow"], [("left", "Left")], 0.3)
    condemnation = Sanction(
        arena=ARENAS.index(Arena.CONGRESS), move=CONDEMNATION, proposer=0, target=1
    )
    fields = texts.event(condemnation)
    assert fields == (
        "condemnation-trotsky",
        "condemnation",
        "stalin",
        "",
        "model",
        "congress: condemnation of trotsky",
        "",
    )
    assert texts.event(Sanction(*condemnation)) is fields  # looked up, not formatted again
    assert texts.event(Purge(organisation=0, beneficiary=0))[5] == "purge of 30% of the secretaries"
    vote = Vote(ARENAS.index(Arena.PLENUM), REMOVAL, 0, 40, 20, 1, (1,))
    assert texts.motion(vote) == ("plenum", "removal of trotsky", "stalin", "trotsky")


def test_free_runs_of_one_scenario_share_its_decision_texts(baseline):
    first = PartyModel(baseline, seed=SEED, mode=Mode.FREE)
    second = PartyModel(baseline, seed=SEED + 1, mode=Mode.FREE)
    assert first.decision_texts is second.decision_texts
