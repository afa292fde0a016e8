"""Where the recorder still looks for :func:`tenures` until the model moves (see below).

``simulation/recorder.py`` (the model's, moving to ``simulation/model/``) imports
``tenures`` from here inside a function. The outcomes now live in
:mod:`simulation.experiments.outcomes`; this module goes when the recorder imports
``tenures`` from its new home (the computation of spells belongs with the model).
"""

from simulation.experiments.outcomes import tenures

__all__ = ["tenures"]
