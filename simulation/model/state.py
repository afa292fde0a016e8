"""The model's arrays as compiled code takes them: one object, unboxed once per run.

A compiled call pays for every array it is given (numba checks and unboxes
each, about 85 ns): some thirty arrays a month cost more than some of the
mechanisms they feed. Gathered in a StructRef when the model is built, they
are unboxed once, and each month's call takes one argument.

The StructRef holds the model's own arrays, not copies, so Python and
compiled code see each other's writes; the model therefore updates these
arrays in place and never rebinds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from numba import njit, types
from numba.experimental import structref

from simulation.model.random_source import GeneratorRef

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel

FIELDS = (
    "source",  # the model's generator, as a GeneratorRef
    # organisations
    "members",
    "recruits",
    "recruitment_weight",
    "loyalty",
    "patronage_reach",
    "head_post",
    "protection",
    "plenum_loyalty",
    "intake_per_month",
    "intake_months_left",
    "intake_count",
    # offices
    "holds",
    "unique_post",
    "prestige",
    "alive",
    "health",
    "barred",
    "succession",
    "vacated",
    "politburo_post",
    "arbiter",
    # standing
    "influence",
    "record",
    "apparatus",
    # ties and factions
    "affinity",
    "similarity",
    "grievance",
    "obligation",
    "faction_membership",
    "cohesion",
    "faction_active",
    # verdicts
    "condemned",
    "condemned_since",
    "purge_due",
    "purge_targets",
    "purge_beneficiary",
    # parameters, the recorder's arrays and the decisions' buffer
    "parameter_values",
    "history",
    "decision_log",
)
"""The model attributes the state holds, under the same names (but ``source``, from ``rng``)."""


@structref.register
class ModelStateType(types.StructRef):
    """Numba's type of :class:`ModelState`."""

    def preprocess_fields(self, fields):
        """Literal field types (a constant seen at construction) are stored as their plain type."""
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class ModelState(structref.StructRefProxy):
    """The model's arrays, as the month's compiled calls take them."""


structref.define_proxy(ModelState, ModelStateType, list(FIELDS))


@njit(cache=True)
def _gather(rng, *arrays):
    return ModelState(GeneratorRef(rng), *arrays)


def gather(model: PartyModel) -> ModelState:
    """The model's arrays and its generator as one compiled object.

    The generator is unboxed here, once per run (see :mod:`simulation.model.random_source`).
    """
    return _gather(
        model.rng,
        *(getattr(model.recorder if name == "history" else model, name) for name in FIELDS[1:]),
    )
