"""Which assumptions drive the outcome: Morris and Sobol sensitivity analysis over the parameters.

:mod:`.design` (the parameters' bounds and SALib's sample), :mod:`.metrics` (the
outcomes), :mod:`.indices` (SALib's analysers), :mod:`.study` (the runs, through the
ensemble runner) and :mod:`.report` with :mod:`.plots` (what is written).
"""

from simulation.experiments.sensitivity.design import METHODS, SamplePoints, SensitivityError
from simulation.experiments.sensitivity.metrics import DEFAULT_OUTCOMES
from simulation.experiments.sensitivity.study import Study, StudyReport, run_study, study_problems

__all__ = [
    "DEFAULT_OUTCOMES",
    "METHODS",
    "SamplePoints",
    "SensitivityError",
    "Study",
    "StudyReport",
    "run_study",
    "study_problems",
]
