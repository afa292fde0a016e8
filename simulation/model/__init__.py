"""One run of the model: a scenario and a seed in, the run's tidy frames out.

:class:`PartyModel` is the Mesa model (one step is one month); :class:`Mode`
says whether the scenario's decisions are forced (replay) or left to the
leaders (free); :class:`RunResult` holds the frames a run produces. The rest of
the package is the model's inside: its state (:mod:`.state`), parameters
(:mod:`.parameters`), the month (:mod:`.month`), the leadership's rules
(:mod:`.leadership`, :mod:`.decisions`), scenario events (:mod:`.events`),
agents, recorder and log rows (:mod:`.rows`).

The three names are imported from their modules when first used (PEP 562), so
that importing :mod:`simulation.model.compiled` (which the command line does to
say whether the model must be compiled) imports numba but not Mesa and the model.
"""

from importlib import import_module

_PUBLIC = {
    "Mode": "simulation.model.party_model",
    "PartyModel": "simulation.model.party_model",
    "RunResult": "simulation.model.recorder",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simulation.model' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value
