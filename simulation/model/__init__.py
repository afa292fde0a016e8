"""One run of the model: a scenario and a seed in, the run's tidy frames out.

:class:`PartyModel` is the Mesa model (one step is one month); :class:`Mode`
says whether the scenario's decisions are forced (replay) or left to the
leaders (free); :class:`RunResult` holds the frames a run produces. The rest of
the package is the model's inside: its state (:mod:`.state`), parameters
(:mod:`.parameters`), the month (:mod:`.month`), the leadership's rules
(:mod:`.leadership`, :mod:`.decisions`), scenario events (:mod:`.events`),
agents, recorder and log rows (:mod:`.rows`).
"""

from simulation.model.party_model import Mode, PartyModel
from simulation.model.recorder import RunResult

__all__ = ["Mode", "PartyModel", "RunResult"]
