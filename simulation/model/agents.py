"""The Mesa agents: leaders, factions and party organisations.

The state lives in the model's numpy arrays so that each mechanism is one
vectorised pass over all agents; an agent is a named view onto its row. This
keeps Mesa's agent API (``model.agents_by_type[Leader]``, ``AgentSet``
selection and iteration) while a run costs little more than an empty model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from simulation.model.party_model import PartyModel


class Leader(mesa.Agent):
    """A party leader; attributes read the model's arrays at his index."""

    def __init__(self, model: PartyModel, index: int, leader_id: str, name: str):
        super().__init__(model)
        self.index = index
        self.leader_id = leader_id
        self.name = name

    @property
    def influence(self) -> float:
        """Standing in the party, 0..1."""
        return float(self.model.influence[self.index])

    @property
    def apparatus(self) -> float:
        """Share of the national apparatus loyal to him, 0..1."""
        return float(self.model.apparatus[self.index])

    @property
    def health(self) -> float:
        """1 at work, 0 incapacitated; absence on a cure lies between."""
        return float(self.model.health[self.index])

    @property
    def alive(self) -> bool:
        """False once dead."""
        return bool(self.model.alive[self.index])

    @property
    def stance(self) -> tuple[float, float]:
        """(economic, regime), each -1..1."""
        economic, regime = self.model.stance[self.index]
        return float(economic), float(regime)

    @property
    def posts(self) -> list[str]:
        """Ids of the posts he holds."""
        held = np.flatnonzero(self.model.holds[self.index])
        return [self.model.post_ids[p] for p in held]

    def __repr__(self) -> str:
        return f"Leader({self.leader_id})"


class Organisation(mesa.Agent):
    """A party organisation: members, recruits and its secretaries' loyalties."""

    def __init__(self, model: PartyModel, index: int, organisation_id: str, name: str):
        super().__init__(model)
        self.index = index
        self.organisation_id = organisation_id
        self.name = name

    @property
    def members(self) -> float:
        """Party members in this organisation."""
        return float(self.model.members[self.index])

    @property
    def loyalty(self) -> dict[str, float]:
        """Share of its secretaries loyal to each leader (unaligned share omitted)."""
        row = self.model.loyalty[self.index]
        return {self.model.leader_ids[i]: float(row[i]) for i in np.flatnonzero(row)}

    def __repr__(self) -> str:
        return f"Organisation({self.organisation_id})"


class Faction(mesa.Agent):
    """A named bloc of leaders; active between its formation and dissolution."""

    def __init__(
        self, model: PartyModel, index: int, faction_id: str, name: str, members: np.ndarray
    ):
        super().__init__(model)
        self.index = index
        self.faction_id = faction_id
        self.name = name
        self.members = members

    @property
    def active(self) -> bool:
        """Whether the bloc exists this month (declared by events, or cohesive in free mode)."""
        return bool(self.model.faction_active[self.index])

    @active.setter
    def active(self, value: bool) -> None:
        self.model.faction_active[self.index] = value

    def cohesion(self) -> float:
        """How well its leaders held together at the last month's end (NaN below two).

        Its least attached leader's mean affinity to the others; its leaders are its
        members in the Politburo when two or more sit there, all its members otherwise
        (:func:`simulation.mechanisms.contests.faction_cohesion`).
        """
        return float(self.model.cohesion[self.index])

    def __repr__(self) -> str:
        return f"Faction({self.faction_id})"
