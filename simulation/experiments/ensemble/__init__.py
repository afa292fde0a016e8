"""Ensembles: many seeded runs of one scenario, in parallel, streamed to disk, resumable.

Split by role, like pyABC's ``sampler/``: :mod:`.base` (what an ensemble is),
:mod:`.chunks` (the unit of work), :mod:`.executors` (where chunks run),
:mod:`.store` (the directory: parts, manifest, resume, consolidation),
:mod:`.quantiles`, :mod:`.progress` and :mod:`.runner`, which drives them.
"""

from simulation.experiments.ensemble.base import TABLES, Ensemble, EnsembleError
from simulation.experiments.ensemble.executors import (
    DaskExecutor,
    LocalProcessExecutor,
    SerialExecutor,
    make_executor,
)
from simulation.experiments.ensemble.runner import EnsembleReport, run_ensemble
from simulation.experiments.ensemble.store import is_complete, read_table

__all__ = [
    "TABLES",
    "DaskExecutor",
    "Ensemble",
    "EnsembleError",
    "EnsembleReport",
    "LocalProcessExecutor",
    "SerialExecutor",
    "is_complete",
    "make_executor",
    "read_table",
    "run_ensemble",
]
