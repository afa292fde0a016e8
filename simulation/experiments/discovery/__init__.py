"""Under which historical contingencies someone else wins: scenario discovery with PRIM.

:mod:`.levers` (the contingencies, read from YAML), :mod:`.design` (their
combinations), :mod:`.study` (the runs, through the ensemble runner), :mod:`.boxes`
(the EMA Workbench's PRIM and feature scores) and :mod:`.report` (what is written).
"""

from simulation.experiments.discovery.design import DESIGNS, DiscoveryError
from simulation.experiments.discovery.levers import Lever, load_levers
from simulation.experiments.discovery.study import (
    DEFAULT_OUTCOME,
    Discovery,
    DiscoveryReport,
    check_discovery,
    run_discovery,
)

__all__ = [
    "DEFAULT_OUTCOME",
    "DESIGNS",
    "Discovery",
    "DiscoveryError",
    "DiscoveryReport",
    "Lever",
    "check_discovery",
    "load_levers",
    "run_discovery",
]
