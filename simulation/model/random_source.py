"""The model's generator, held so that compiled code can draw from it.

Compiled votes draw from the model's own seeded generator, held in a
StructRef that :func:`simulation.model.state.gather` builds once per run (a
bare numpy ``Generator`` is costly to hand to compiled code at every call).
The draws come from the generator's own bit generator, so Python and compiled
draws interleave in the one seeded stream of the model, and numba's binomial
is a port of numpy's, draw for draw (``tests/mechanisms/test_voting.py``
checks both).
"""

from __future__ import annotations

from numba import types
from numba.experimental import structref


@structref.register
class GeneratorRefType(types.StructRef):
    """Numba's type of :class:`GeneratorRef`."""

    def preprocess_fields(self, fields):
        """Literal field types (a constant seen at construction) are stored as their plain type."""
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class GeneratorRef(structref.StructRefProxy):
    """A numpy ``Generator`` as compiled code sees it (field ``rng``)."""


structref.define_proxy(GeneratorRef, GeneratorRefType, ["rng"])
