"""The outcomes of one run, read from the model's recorded arrays after it ran.

An ensemble keeps, per run, what a comparison or a calibration needs: a one-row
``summary`` (who dominates at the end, each leader's final power share, when each
leader left each post he held at the start, the congress votes), the ``tenures``
(every spell in office), the run's ``events`` and ``votes`` logs, the ``parameters``
it ran with (drawn from a posterior, a sensitivity design's point), and its monthly
``influence``, ``apparatus`` and ``power`` arrays for quantiles. Everything here is
computed from the recorder's arrays and the model's logs, never from the tidy frames
of :meth:`Recorder.result`, which cost more than the run itself.

The tables have fixed Arrow schemas, so that the parts of an ensemble written by
different workers concatenate into one file whatever values each part holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from simulation.model.parameters import NAMES as PARAMETER_NAMES
from simulation.model.recorder import tenures
from simulation.model.rows import EVENT_COLUMNS, VOTE_COLUMNS
from simulation.scenario.schema import Arena, EventType, Scenario

if TYPE_CHECKING:
    from simulation.model import PartyModel

MEASURES = ("influence", "apparatus", "power")
"""The monthly per-leader arrays an outcome keeps (the recorder's names)."""

TENURE_SCHEMA = pa.schema(
    [
        ("run", pa.int64()),
        ("leader", pa.string()),
        ("post", pa.string()),
        ("start", pa.string()),
        ("end", pa.string()),
    ]
)
"""A spell in office: ``start`` is the first month held, ``end`` the first month no longer
held (null if still held at the scenario's end)."""

_VOTE_TYPES = {
    "votes_for": pa.int64(),
    "votes_against": pa.int64(),
    "carried": pa.bool_(),
    "forced": pa.bool_(),
}
EVENT_SCHEMA = pa.schema([("run", pa.int64())] + [(name, pa.string()) for name in EVENT_COLUMNS])
VOTE_SCHEMA = pa.schema(
    [("run", pa.int64())] + [(name, _VOTE_TYPES.get(name, pa.string())) for name in VOTE_COLUMNS]
)
PARAMETER_SCHEMA = pa.schema(
    [("run", pa.int64())] + [(name, pa.float64()) for name in PARAMETER_NAMES]
)
"""Every parameter of the model as the run took it, in the registry's order: what a
posterior, the priors or a design drew, and the scenario's own value of the rest."""
TRAJECTORY_SCHEMA = pa.schema(
    [("run", pa.int64()), ("date", pa.string()), ("leader", pa.string())]
    + [(measure, pa.float64()) for measure in MEASURES]
)

_VOTE_DATE = VOTE_COLUMNS.index("date")
_VOTE_ARENA = VOTE_COLUMNS.index("arena")
_VOTE_FOR = VOTE_COLUMNS.index("votes_for")
_VOTE_AGAINST = VOTE_COLUMNS.index("votes_against")


@dataclass
class RunOutcome:
    """What an ensemble keeps of one run.

    Attributes:
        run: the run number.
        seed: the seed of the run's generator.
        summary: the summary row, keyed by :func:`summary_columns`.
        tenures: ``(leader, post, start, end)`` for every spell in office.
        events: the model's event log (rows of :data:`EVENT_COLUMNS`).
        votes: the model's vote log (rows of :data:`VOTE_COLUMNS`).
        parameters: the value of each parameter the run took, in :data:`PARAMETER_SCHEMA`'s
            order.
        influence: (months, leaders) standing at the end of each month.
        apparatus: (months, leaders) share of the apparatus.
        power: (months, leaders) power share.
    """

    run: int
    seed: int
    summary: dict[str, object]
    tenures: list[tuple[str, str, str, str | None]]
    events: list[tuple]
    votes: list[tuple]
    parameters: tuple[float, ...]
    influence: np.ndarray
    apparatus: np.ndarray
    power: np.ndarray


def initial_holdings(scenario: Scenario) -> list[tuple[str, str]]:
    """``(leader, post)`` for every post a leader holds at the scenario's start, in file order."""
    return [(leader.id, post) for leader in scenario.leaders for post in leader.posts]


def promotions(scenario: Scenario, post_id: str) -> list[str]:
    """The post and every post its holder can be promoted to, directly or in steps.

    A candidate of the Politburo made a full member has not left the Politburo: read
    from the posts' ``promoted_from``, so that ``left_*`` counts losses, not promotions.
    """
    reached = [post_id]
    for post in reached:
        reached += [
            other
            for other, spec in scenario.posts.items()
            if post in spec.promoted_from and other not in reached
        ]
    return reached


def congress_sittings(scenario: Scenario) -> list[str]:
    """Months (``YYYY-MM``) of the congresses in the scenario's calendar, in order."""
    months = {
        event.date
        for event in scenario.events
        if event.type is EventType.CONGRESS and scenario.start <= event.date <= scenario.end
    }
    return [str(month) for month in sorted(months)]


def summary_columns(scenario: Scenario) -> list[str]:
    """The summary row's columns; the same for every run of a scenario."""
    return (
        ["run", "seed", "scenario", "dominant"]
        + [f"power_{leader.id}" for leader in scenario.leaders]
        + [f"left_{leader}_{post}" for leader, post in initial_holdings(scenario)]
        + [f"congress_{month}_for_share" for month in congress_sittings(scenario)]
    )


def summary_schema(scenario: Scenario) -> pa.Schema:
    """Arrow schema of the summary table: identifiers, then floating-point outcomes."""
    kinds = {
        "run": pa.int64(),
        "seed": pa.int64(),
        "scenario": pa.string(),
        "dominant": pa.string(),
    }
    return pa.schema([(name, kinds.get(name, pa.float64())) for name in summary_columns(scenario)])


def run_outcome(model: PartyModel) -> RunOutcome:
    """Read a finished run's outcomes from its recorder and logs."""
    recorder = model.recorder
    return RunOutcome(
        run=model.run_number,
        seed=int(model.seed),
        summary=summary_row(model),
        tenures=tenures(model),
        events=list(model.event_log),
        votes=list(model.vote_log),
        parameters=tuple(float(getattr(model.parameters, name)) for name in PARAMETER_NAMES),
        influence=recorder.influence.copy(),
        apparatus=recorder.apparatus.copy(),
        power=recorder.power.copy(),
    )


NO_DOMINANT = ""
"""The ``dominant`` of a run whose final month has no single strongest leader: no living
leader holds any power, or two or more share the largest power share exactly."""


def dominant_leader(model: PartyModel) -> str:
    """The living leader with the highest power share in the run's final month.

    :data:`NO_DOMINANT` when no living leader holds power or the largest share is tied:
    crediting the first leader in the file would make the outcome depend on the order
    the scenario lists its leaders in (three identical leaders gave the first 100%).
    """
    recorder = model.recorder
    return sole_strongest(np.where(recorder.alive[-1], recorder.power[-1], 0.0), model.leader_ids)


def sole_strongest(shares: np.ndarray, leader_ids: list[str]) -> str:
    """The one leader holding the largest of ``shares``, or :data:`NO_DOMINANT` if none does."""
    largest = shares.max(initial=0.0)
    holders = np.flatnonzero(shares == largest)
    return leader_ids[int(holders[0])] if largest > 0 and holders.size == 1 else NO_DOMINANT


def dominant_text(dominant: str) -> str:
    """A run's ``dominant`` in words: the leader's id, or that no single leader dominated."""
    return dominant if dominant != NO_DOMINANT else "no single leader"


def summary_row(model: PartyModel) -> dict[str, object]:
    """The run's summary row (see :func:`summary_columns`).

    ``dominant`` is the living leader with the highest power share in the final month
    (:data:`NO_DOMINANT`, empty, when no one holds power or the largest share is tied).
    ``left_<leader>_<post>`` counts the months from the scenario's start to the first
    month-end at which the leader no longer held a post he held at the start, nor one
    it promotes to
    (:func:`promotions`; NaN if he never left it).
    ``congress_<month>_for_share`` is votes for / votes cast, summed over the
    motions voted at that congress (NaN if none was voted).
    """
    spec, recorder = model.spec, model.recorder
    final_power = recorder.power[-1]
    row: dict[str, object] = {
        "run": model.run_number,
        "seed": int(model.seed),
        "scenario": spec.name,
        "dominant": dominant_leader(model),
    }
    for leader_id, share in zip(model.leader_ids, final_power, strict=True):
        row[f"power_{leader_id}"] = float(share)
    leader_index = {leader_id: i for i, leader_id in enumerate(model.leader_ids)}
    post_index = {post_id: p for p, post_id in enumerate(model.post_ids)}
    for leader_id, post_id in initial_holdings(spec):
        kept = [post_index[post] for post in promotions(spec, post_id)]
        held = recorder.holds[:, leader_index[leader_id], kept].any(axis=1)
        not_held = np.flatnonzero(~held)
        row[f"left_{leader_id}_{post_id}"] = float(not_held[0]) if not_held.size else np.nan
    counts = {month: [0, 0] for month in congress_sittings(spec)}
    for vote in model.vote_log:
        if vote[_VOTE_ARENA] == Arena.CONGRESS.value and vote[_VOTE_DATE] in counts:
            tally = counts[vote[_VOTE_DATE]]
            tally[0] += vote[_VOTE_FOR]
            tally[1] += vote[_VOTE_AGAINST]
    for month, (votes_for, votes_against) in counts.items():
        cast = votes_for + votes_against
        row[f"congress_{month}_for_share"] = votes_for / cast if cast else np.nan
    return row


def outcome_tables(
    scenario: Scenario, outcomes: list[RunOutcome], trajectories: bool = False
) -> dict[str, pa.Table]:
    """The outcomes of several runs as typed Arrow tables, rows in the order given.

    Args:
        scenario: the scenario the runs simulated (it fixes the summary's columns).
        outcomes: the runs' outcomes.
        trajectories: also build the long ``trajectories`` table (run, date, leader,
            influence, apparatus, power), one row per run, month and leader.

    Returns:
        ``summary``, ``tenures``, ``events``, ``votes``, ``parameters`` (and
        ``trajectories``).
    """
    schema = summary_schema(scenario)
    summary = {name: [outcome.summary[name] for outcome in outcomes] for name in schema.names}
    tables = {
        "summary": pa.table(summary, schema=schema),
        "tenures": _rows_table(
            TENURE_SCHEMA, [(o.run, *tenure) for o in outcomes for tenure in o.tenures]
        ),
        "events": _rows_table(EVENT_SCHEMA, [(o.run, *row) for o in outcomes for row in o.events]),
        "votes": _rows_table(VOTE_SCHEMA, [(o.run, *row) for o in outcomes for row in o.votes]),
        "parameters": _rows_table(PARAMETER_SCHEMA, [(o.run, *o.parameters) for o in outcomes]),
    }
    if trajectories:
        tables["trajectories"] = trajectory_table(scenario, outcomes)
    return tables


def trajectory_table(scenario: Scenario, outcomes: list[RunOutcome]) -> pa.Table:
    """Monthly influence, apparatus and power per run and leader, in long form."""
    leader_ids = [leader.id for leader in scenario.leaders]
    months = scenario.end.months_since(scenario.start) + 1
    dates = [str(scenario.start.plus(k)) for k in range(months)]
    per_run = months * len(leader_ids)
    columns = {
        "run": np.repeat([outcome.run for outcome in outcomes], per_run).astype(np.int64),
        "date": np.tile(np.repeat(dates, len(leader_ids)), len(outcomes)),
        "leader": np.tile(leader_ids, months * len(outcomes)),
    }
    for measure in MEASURES:
        values = [getattr(outcome, measure).ravel() for outcome in outcomes]
        columns[measure] = np.concatenate(values) if values else np.zeros(0)
    return pa.table(
        {
            name: pa.array(values, type=TRAJECTORY_SCHEMA.field(name).type)
            for name, values in columns.items()
        },
        schema=TRAJECTORY_SCHEMA,
    )


def _rows_table(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )
