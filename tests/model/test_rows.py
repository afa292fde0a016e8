import numpy as np
from conftest import SEED

from simulation.model import Mode, PartyModel
from simulation.model.rows import (
    DECISIONS,
    EVENT_COLUMNS,
    ROW_WIDTH,
    VOTE_COLUMNS,
    Appeal,
    Appointment,
    EventRow,
    PlenumRemoval,
    Purge,
    PurgeRemoval,
    Sanction,
    Vote,
    VoteRow,
    VoteTarget,
    write_appeal,
    write_appointment,
    write_plenum_removal,
    write_purge,
    write_purge_removal,
    write_sanction,
    write_vote,
    write_vote_target,
)


def decode(log: np.ndarray) -> list[tuple]:
    """The rows of ``log`` as named rows, each read in its named type's fields' order.

    The :class:`VoteTarget` rows before a :class:`Vote` become its ``targets``.
    """
    decoded, targets = [], []
    for row in log.tolist():
        kind = DECISIONS[row[0]]
        if kind is VoteTarget:
            targets.append(row[1])
        elif kind is Vote:
            decoded.append(Vote(*row[1:7], tuple(targets)))
            targets = []
        else:
            decoded.append(kind(*row[1 : 1 + len(kind._fields)]))
    return decoded


def test_decisions_written_by_compiled_code_read_back_as_named_rows():
    log = np.zeros((9, ROW_WIDTH), dtype=np.int64)
    row = write_purge_removal(log, 0, 3, 1, 2)
    row = write_purge(log, row, 2, 0, True)
    row = write_appointment(log, row, 4, 1, 0)
    row = write_vote_target(log, row, 3)
    row = write_vote(log, row, 2, 1, 0, 310, 90, True)
    row = write_sanction(log, row, 2, 1, 0, 3)
    row = write_plenum_removal(log, row, 2, 3, 5)
    row = write_appeal(log, row, 1, 3)
    assert row == 8  # seven decisions, one of them a vote with one target
    assert decode(log[:row]) == [
        PurgeRemoval(leader=3, post=1, organisation=2),
        Purge(organisation=2, beneficiary=0, replaced=1),
        Appointment(appointee=4, post=1, appointer=0),
        Vote(arena=2, move=1, proposer=0, votes_for=310, votes_against=90, carried=1, targets=(3,)),
        Sanction(arena=2, move=1, proposer=0, target=3),
        PlenumRemoval(move=2, leader=3, post=5),
        Appeal(arena=1, leader=3),
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
