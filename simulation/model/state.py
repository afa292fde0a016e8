"""The model's state, declared once: every array a run holds, its shape, type and role.

:data:`STATE` is the only list of the model's arrays. From it come the arrays
read from the scenario (:mod:`.initial_state` must build exactly those), each
run's own copies (:class:`simulation.model.PartyModel`), the recorder's monthly
arrays (:mod:`.recorder`) and the compiled object the month's code takes
(:class:`ModelState`). Adding a state array is one line here (and, if the
scenario gives its starting value, its computation in :mod:`.initial_state`).

The compiled object (:class:`ModelState`, a numba StructRef gathered when the
model is built, so that each month's call takes one argument) holds the
model's own arrays, not copies: Python and compiled code see each other's
writes, and the model therefore changes these arrays in place and never
rebinds them (``tests/model/test_state.py`` checks).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

import numba
import numpy as np
from numba import njit, types
from numba.experimental import structref

from simulation.model.random_source import GeneratorRef

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel
    from simulation.model.recorder import Recorder


class Role(Enum):
    """Where an array's starting value comes from, and whether a run may change it."""

    SHARED = "shared"
    """Read from the scenario, shared read-only by every run of it."""
    COPIED = "copied"
    """Read from the scenario; each run changes its own copy."""
    FRESH = "fresh"
    """The same start in every scenario (``fill``); each run changes its own."""
    SCRATCH = "scratch"
    """Each run's own, with no start: compiled code writes it before reading it. Not
    copied from a zeroed template: copying the decisions' 160 KB cost a free run 1.1-1.5%
    (``alternate_trees.py``: 0.989, 0.985 without it)."""


@dataclass(frozen=True)
class StateArray:
    """One array of the model's state.

    ``shape`` names its dimensions (``leaders``, ``posts``, ``organisations``,
    ``factions``, ``intakes``, ``decision_rows``, ...) or gives their size; an
    empty shape is a plain integer. A ``recorded`` array is copied into the
    recorder at the end of every month.
    """

    name: str
    role: Role
    shape: tuple[str | int, ...]
    dtype: type = np.float64
    fill: float | bool = 0
    recorded: bool = False
    doc: str = ""


_S, _C, _F, _W = Role.SHARED, Role.COPIED, Role.FRESH, Role.SCRATCH
_L, _P, _O = "leaders", "posts", "organisations"

STATE = (
    # leaders
    StateArray("influence", _C, (_L,), recorded=True, doc="standing in the party, 0..1"),
    StateArray("health", _C, (_L,), recorded=True, doc="1 at work, 0 incapacitated"),
    StateArray("alive", _F, (_L,), np.bool_, True, recorded=True),
    StateArray("stance", _C, (_L, 2), recorded=True, doc="(economic, regime), each -1..1"),
    StateArray("similarity", _C, (_L, _L), doc="stance similarity, from stance"),
    StateArray("affinity", _C, (_L, _L), recorded=True, doc="signed alliance weights"),
    StateArray("grievance", _F, (_L, _L), recorded=True, doc="grievance of i against j"),
    StateArray("obligation", _C, (_L, _L), doc="obligation of client i to patron j"),
    StateArray("record", _C, (_L,), doc="the personal record standing rests on"),
    StateArray("power", _F, (_L,), recorded=True, doc="power share at the month's end"),
    StateArray("absence_ends", _F, (_L,), np.int64, -1, doc="month an absence ends, or -1"),
    StateArray("health_after_absence", _F, (_L,), fill=1.0),
    StateArray("illness_rate", _S, (_L,), doc="monthly chance of an illness episode"),
    StateArray("illness_months", _S, (_L,), np.int64, doc="months an episode lasts"),
    StateArray("illness_from", _S, (_L,), np.int64, doc="first month an episode may begin"),
    StateArray("ill_until", _F, (_L,), np.int64, -1, doc="month an illness ends, or -1"),
    StateArray("health_before_illness", _F, (_L,), fill=1.0),
    StateArray("condemned", _F, (_L,), np.bool_, False),
    StateArray("condemned_since", _F, (_L,), np.int64, -1, doc="month first condemned, or -1"),
    StateArray("bloc_condemned", _F, (_L,), np.bool_, False, doc="condemned again, in a bloc"),
    StateArray("denounced", _F, (_L, _L), np.bool_, False, doc="i voted for j's condemnation"),
    StateArray(
        "reconcilable",
        _F,
        (_L, _L),
        fill=1.0,
        doc="ceiling of the affinity of i and j: 0 for former enemies not both condemned",
    ),
    StateArray("defied", _F, (_L,), np.bool_, False, doc="spoke out after his condemnation"),
    StateArray("spoke_in", _F, (_L,), np.int64, -1, doc="month he last spoke out, or -1"),
    StateArray("verdict_in", _F, (_L,), np.int64, -1, doc="month a verdict last named him, or -1"),
    StateArray("failed_in", _F, (1,), np.int64, -1, doc="month a failure was last pinned, or -1"),
    StateArray("purged_in", _F, (_L,), np.int64, -1, doc="month a purge last took his post, or -1"),
    StateArray("organisation_of", _S, (_L,), np.int64, doc="whose own man he is, or -1"),
    StateArray("arbiter", _S, (), np.int64, doc="the leader whose life forbids purges, or -1"),
    # offices
    StateArray("prestige", _S, (_P,)),
    StateArray("unique_post", _S, (_P,), np.bool_),
    StateArray("holds", _C, (_L, _P), np.bool_, recorded=True, doc="who holds which post"),
    StateArray("barred", _S, (_L, _P), np.bool_, doc="posts a leader may not be given"),
    StateArray("succession", _S, (_P, "successions"), np.int64, doc="see initial_state"),
    StateArray("vacated", _F, (_P,), np.bool_, False, doc="unique offices left vacant"),
    StateArray("vacated_by", _F, (_P,), np.int64, -1, doc="whose motion vacated it, or -1"),
    StateArray("lost", _F, (_L, _P), np.bool_, False, doc="posts a leader has lost in the run"),
    StateArray("seats", _C, (_P,), np.int64, doc="seats kept filled in free mode (0: none)"),
    StateArray("elections_due", _F, (1,), np.bool_, False, doc="a congress sat; its plenum elects"),
    StateArray("promoted_from", _S, (_P, "promotions"), np.int64, doc="see initial_state"),
    StateArray("deputy_to", _S, (_P,), np.int64, doc="the office a post deputises for, or -1"),
    StateArray("politburo_post", _S, (), np.int64, doc="the Politburo's post index, or -1"),
    # organisations
    StateArray("members", _C, (_O,), recorded=True),
    StateArray("recruits", _F, (_O,), recorded=True, doc="members recruited from 1924 on"),
    StateArray("functionaries", _S, (_O,)),
    StateArray("protection", _C, (_O,), doc="a regional boss's protection, 0..1"),
    StateArray("recruitment_weight", _S, (_O,)),
    StateArray("head_post", _S, (_O,), np.int64, doc="the post heading it, or -1"),
    StateArray("loyalty", _C, (_O, _L), recorded=True, doc="its secretaries' loyalties"),
    StateArray("patronage_reach", _S, (_P, _O), doc="each post's patronage in it"),
    StateArray("apparatus", _C, (_L,), recorded=True, doc="national apparatus share"),
    StateArray("plenum_loyalty", _C, (1, _L), doc="the Central Committee's loyalties"),
    StateArray("intake_per_month", _F, ("intakes",), doc="members each intake adds a month"),
    StateArray("intake_months_left", _F, ("intakes",), np.int64, doc="-1: without end"),
    StateArray("intake_count", _F, (1,), np.int64, doc="intakes begun so far"),
    StateArray("purge_due", _F, (_O,), np.int64, -1, doc="month a purge is due, or -1"),
    StateArray("purge_targets", _F, (_O, _L), np.bool_, False),
    StateArray("purge_beneficiary", _F, (_O,), np.int64, -1),
    # factions
    StateArray("faction_membership", _S, ("factions", _L)),
    StateArray("faction_active", _F, ("factions",), np.bool_, False, recorded=True),
    StateArray(
        "cohesion",
        _C,
        ("factions",),
        recorded=True,
        doc="least attached member's mean affinity to the rest",
    ),
    # the calendar
    StateArray(
        "sitting_arenas",
        _S,
        ("months", "sittings"),
        np.int64,
        doc="each month's sittings but the Politburo's (votes.ARENAS codes), then -1",
    ),
    StateArray("sitting_delegations", _S, ("months", "sittings"), np.int64, doc="their delegates"),
    # parameters and the decisions' buffer
    StateArray("parameter_values", _S, ("parameters",), doc="see simulation.model.parameters"),
    StateArray("decision_log", _W, ("decision_rows", "row_width"), np.int64, doc="see rows"),
    StateArray(
        "pair_work",
        _W,
        (5, _L, _L),
        doc="the month's threat and the affinities' working arrays, not allocated monthly",
    ),
    StateArray(
        "organisation_work",
        _W,
        (2, _O, _L),
        doc="the month's appointment pressure and captured loyalty (patronage)",
    ),
    StateArray("prestige_held", _W, (_L,), doc="the month's summed prestige of each one's posts"),
)
"""Every array of the model's state (see :class:`StateArray`)."""

FROM_SCENARIO = tuple(array.name for array in STATE if array.role in (Role.SHARED, Role.COPIED))
"""The arrays whose starting value the scenario gives."""
RECORDED = tuple(array for array in STATE if array.recorded)
"""The arrays the recorder keeps month by month."""


@dataclass(frozen=True)
class ArrayGroup:
    """Arrays of one type, side by side in one flat array per run.

    Each recorded array is a view into its group's flat array, so the month is
    recorded by copying one row per group (:func:`.month.record_month`). The
    unrecorded arrays a run changes are grouped alike, by type, so that a run
    copies three flat arrays instead of some forty small ones
    (:meth:`RunPlan.start_run`).
    """

    start: np.ndarray
    """The group's starting values, one array after the other."""
    layout: tuple[tuple[str, int, int, tuple[int, ...]], ...]
    """``(name, offset, size, shape)`` of each array in the flat array."""

    @classmethod
    def of(cls, starts: list[tuple[str, np.ndarray]], dtype: type) -> ArrayGroup:
        """Lay out the arrays ``starts`` gives, in order."""
        layout, offset = [], 0
        for name, start in starts:
            layout.append((name, offset, start.size, start.shape))
            offset += start.size
        flat = np.zeros(offset, dtype=dtype)
        for (_, offset, size, _), (_, start) in zip(layout, starts, strict=True):
            flat[offset : offset + size] = start.ravel()
        return cls(flat, tuple(layout))

    def views(self, flat: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Each array as a view into a run's ``flat`` (a copy of ``start``)."""
        return [
            (name, flat[where] if shape is None else flat[where].reshape(shape))
            for name, where, shape in self._slices
        ]

    @functools.cached_property
    def _slices(self) -> tuple[tuple[str, slice, tuple[int, ...] | None], ...]:
        """Where each array lies in a run's flat array, and its shape if not flat.

        Every run makes the views: a one-dimensional array is its slice, not reshaped
        (most recorded arrays are one leader, organisation or faction each).
        """
        return tuple(
            (name, slice(at, at + size), shape if len(shape) > 1 else None)
            for name, at, size, shape in self.layout
        )

    @functools.cached_property
    def names(self) -> dict[str, tuple[int, int, tuple[int, ...]]]:
        """``(offset, size, shape)`` of each array, by name."""
        return {name: tuple(where) for name, *where in self.layout}

    def view(self, flat: np.ndarray, name: str) -> np.ndarray:
        """One array as a view into ``flat`` (see :meth:`views`)."""
        return _view(flat, *self.names[name])


def _view(flat: np.ndarray, offset: int, size: int, shape: tuple[int, ...]) -> np.ndarray:
    lead = flat.shape[:-1]  # () for a run's arrays, (months,) for the recorder's
    return flat[..., offset : offset + size].reshape(*lead, *shape)


@dataclass(frozen=True)
class RunPlan:
    """How each run makes its arrays, worked out once per scenario (see :func:`plan_runs`)."""

    shared: tuple[tuple[str, np.ndarray | int], ...]
    """The arrays every run shares (read-only)."""
    copied: tuple[ArrayGroup, ...]
    """The starting values of the unrecorded arrays a run changes (its own copy), one group
    per type: from the scenario, or (fresh arrays) filled once per scenario, since copying
    beats filling."""
    numbers: ArrayGroup
    """The recorded float arrays."""
    flags: ArrayGroup
    """The recorded boolean arrays."""
    scratch: tuple[tuple[str, tuple[int, ...], type], ...]
    """The name, shape and type of each array a run writes before reading it."""
    gathering: dict[str, Callable] = field(default_factory=dict, compare=False, repr=False)
    """The machine code that gathers a run's arrays (:func:`gather`), looked up by the first
    run: every run of a plan hands it arrays of the same types."""
    actions: dict[Callable, Callable] = field(default_factory=dict, compare=False, repr=False)
    """The machine code of the month and of each compiled action of the state a run calls
    from Python (:func:`.compiled.machine_code`), looked up by the first run that calls
    it: every run of a plan gathers a state of the same type."""

    def start_run(self, model: object) -> None:
        """Give a new run its arrays, as attributes of ``model`` under their declared names.

        Written into the model's ``__dict__`` in bulk: some sixty ``setattr`` cost a run
        more than its copies. No class attribute of the model (a property of Mesa's, say)
        may bear a state array's name (``tests/model/test_state.py`` checks).
        """
        attributes = vars(model)
        attributes.update(self.shared)
        for group in self.copied:
            attributes.update(group.views(group.start.copy()))
        attributes.update([(name, np.empty(shape, dtype)) for name, shape, dtype in self.scratch])
        numbers = attributes["recorded_numbers"] = self.numbers.start.copy()
        flags = attributes["recorded_flags"] = self.flags.start.copy()
        attributes.update(self.numbers.views(numbers))
        attributes.update(self.flags.views(flags))


def plan_runs(
    scenario_arrays: dict[str, np.ndarray | int],
    sizes: dict[str, int],
    gathering: dict[str, Callable] | None = None,
    actions: dict[Callable, Callable] | None = None,
) -> RunPlan:
    """What a run shares, copies, records and writes first, from the declaration and a scenario.

    ``gathering`` and ``actions``, when given, are the looked-up machine code of the plans
    of the same scenario with other parameters (arrays of the same types), which this one
    shares: a plan's first run looked it up in about 1 ms.
    """
    starts = dict(scenario_arrays)
    copied = [a for a in STATE if a.role in (Role.COPIED, Role.FRESH) and not a.recorded]
    shapes = {a.name: tuple(sizes.get(dim, dim) for dim in a.shape) for a in STATE}
    for a in STATE:
        if a.role is Role.FRESH:
            starts[a.name] = np.full(shapes[a.name], a.fill, dtype=a.dtype)
    return RunPlan(
        shared=tuple((a.name, starts[a.name]) for a in STATE if a.role is Role.SHARED),
        copied=tuple(
            ArrayGroup.of([(a.name, starts[a.name]) for a in copied if a.dtype is dtype], dtype)
            for dtype in dict.fromkeys(a.dtype for a in copied)
        ),
        numbers=ArrayGroup.of(
            [(a.name, starts[a.name]) for a in RECORDED if a.dtype is not np.bool_], np.float64
        ),
        flags=ArrayGroup.of(
            [(a.name, starts[a.name]) for a in RECORDED if a.dtype is np.bool_], np.bool_
        ),
        scratch=tuple((a.name, shapes[a.name], a.dtype) for a in STATE if a.role is Role.SCRATCH),
        gathering={} if gathering is None else gathering,
        actions={} if actions is None else actions,
    )


RECORDS = ("recorded_numbers", "recorded_flags", "numbers_by_month", "flags_by_month")
"""The flat arrays of the recorded groups, now and month by month (see :class:`ArrayGroup`)."""
FIELDS = ("source", *(array.name for array in STATE), *RECORDS)
"""The compiled object's fields: the generator, every state array, the recorded groups."""


@structref.register
class ModelStateType(types.StructRef):
    """Numba's type of :class:`ModelState`."""

    def preprocess_fields(self, fields):
        """Literal field types (a constant seen at construction) are stored as their plain type."""
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class ModelState(structref.StructRefProxy):
    """The model's arrays, as the month's compiled calls take them."""


structref.define_proxy(ModelState, ModelStateType, list(FIELDS))


_state_arrays = operator.attrgetter(*(array.name for array in STATE), *RECORDS[:2])
"""A model's state arrays and recorded groups, in :data:`FIELDS`' order (one call in C)."""


@njit(cache=True)
def _gather(rng, *arrays):
    return ModelState(GeneratorRef(rng), *arrays)


def gather(model: PartyModel, recorder: Recorder) -> ModelState:
    """The model's arrays, its generator and the recorded groups as one compiled object.

    The generator is unboxed here, once per run (see :mod:`.random_source`). The
    machine code is looked up once per plan (:attr:`RunPlan.gathering`): through
    numba's dispatcher, typing the 55 arguments of every run cost about a third of
    gathering them (60 to 42 µs a run, timed in runs).
    """
    arrays = (*_state_arrays(model), recorder.numbers_by_month, recorder.flags_by_month)
    machine_code = model.plan.gathering.get("state")
    if machine_code is None:
        arguments = types.Tuple(tuple(numba.typeof(array) for array in arrays))
        signature = (numba.typeof(model.rng), arguments)
        machine_code = model.plan.gathering["state"] = _gather.compile(signature)
    return machine_code(model.rng, arrays)
