"""The model's parameters: the one registry of their names, meanings, ranges and priors.

Every parameter is declared here once, with :func:`parameter`; the scenario's
``parameters:`` section, ``--set parameters.NAME``, the calibration's priors and
the compiled model's packed array (:mod:`simulation.model.parameters`) all read
this class.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from simulation.scenario.frozen import Frozen


def parameter(
    default: float,
    description: str,
    bounds: tuple[float, float] = (0.0, 1.0),
    prior: tuple[float, float] | None = None,
) -> Any:
    """Declare a model parameter: its default, meaning, range and calibration prior.

    The range is enforced on every scenario, overlay and ``--set`` value; the
    value must be a number (``true`` and ``'0.5'`` are refused, an integer is
    read as a float). A parameter with a ``prior`` (a uniform ``(low, high)``
    within the range) is one the calibration fits; the others keep their values.
    """
    low, high = bounds
    extra: dict[str, object] = {"bounds": bounds}
    if prior is not None:
        extra["prior"] = prior
    return Field(
        default,
        description=description,
        ge=low,
        le=high,
        strict=True,
        allow_inf_nan=False,
        json_schema_extra=extra,
    )


class Parameters(Frozen):
    """The model's parameters: the one registry of their names, meanings, ranges and priors.

    Rates are per month. The same names are used in the YAML, by ``--set
    parameters.NAME``, by the calibration and by the compiled model, which
    reads them from one packed array (:mod:`simulation.model.parameters`).
    """

    patronage_rate: float = parameter(
        0.06, "share of an organisation's secretaries replaceable per month"
    )
    patronage_standing: float = parameter(
        0.0,
        "how far an appointer's patronage depends on his standing (exponent; 0: the office "
        "alone counts)",
        bounds=(0.0, 3.0),
    )
    loyalty_decay: float = parameter(0.004, "monthly drift of loyalty to unaligned")
    influence_drift: float = parameter(
        0.08, "monthly adjustment of influence toward what supports it"
    )
    record_decay: float = parameter(
        0.01, "monthly decay of personal record not converted into posts or clients"
    )
    client_weight: float = parameter(0.5, "standing a leader draws from his apparatus")
    alliance_rate: float = parameter(0.2, "monthly adjustment of affinities", prior=(0.05, 0.4))
    stance_weight: float = parameter(0.6, "weight of stance similarity in affinity")
    stance_uncertainty: float = parameter(
        0.0,
        "spread (standard deviation) of each leader's starting stance around the scenario's, "
        "drawn afresh on each axis in every run the leaders decide from its first month (0: "
        "the scenario's stances as they stand)",
    )
    grievance_weight: float = parameter(0.8, "weight of grievances in affinity")
    grievance_decay: float = parameter(0.03, "monthly decay of grievances")
    polemic_grievance: float = parameter(
        0.4, "grievance left by an attack, and the affinity a carried attack breaks at once"
    )
    structural_balance_weight: float = parameter(
        0.5,
        "structural balance: pull between two leaders who share an enemy still standing, "
        "push between one and the other's enemy's friend",
        prior=(0.0, 1.0),
    )
    capture_grievance: float = parameter(
        20.0,
        "grievance per unit of the national apparatus a leader loses to another's appointments",
        bounds=(0.0, 200.0),
        prior=(0.0, 60.0),
    )
    reposition_rate: float = parameter(
        0.1,
        "monthly move of an aggrieved leader's stance toward the opposition of the "
        "strongest (away from the strongest, for one the strongest is already hostile to), "
        "or of a weak one's toward the strongest",
        prior=(0.0, 0.6),
    )
    bandwagon_below: float = parameter(
        0.5, "power share, relative to the strongest's, below which a leader bandwagons"
    )
    ally_pull: float = parameter(
        0.5,
        "monthly pull of a leader's stance toward his closest ally's, the strongest not "
        "counted (affinity above ally_threshold), per unit of that affinity, as a share of "
        "reposition_rate",
        prior=(0.0, 1.0),
    )
    obligation_weight: float = parameter(
        0.8, "weight of a client's obligation to his patron in affinity"
    )
    appointment_obligation: float = parameter(
        0.3, "obligation an appointment leaves toward those who decided it"
    )
    obligation_decay: float = parameter(0.01, "monthly decay of obligations")
    threat_weight: float = parameter(
        0.5, "weight of the lead in standing of the most prominent rival"
    )
    balancing: float = parameter(
        0.7, "1 = pure balancing against the strongest, 0 = pure bandwagoning", prior=(0.3, 0.9)
    )
    discipline: float = parameter(
        0.6, "probability an old member's delegate votes with the apparatus", prior=(0.4, 0.9)
    )
    recruit_discipline: float = parameter(
        0.9, "the same for members recruited from 1924 on", prior=(0.7, 1.0)
    )
    plenum_discipline: float = parameter(
        0.8, "probability a Central Committee member votes with his patron"
    )
    side_threshold: float = parameter(
        0.1, "affinity margin at which a leader takes a side on a motion", prior=(0.0, 0.3)
    )
    opinion_gamma: float = parameter(
        2.0,
        "sharpness of opinion votes: P(for) = I_s^g / (I_s^g + I_t^g)",
        bounds=(0.1, 20.0),
        prior=(1.0, 6.0),
    )
    illness_scale: float = parameter(
        1.0,
        "factor on every leader's illness_rate (0: no illness but the scenario's own)",
        bounds=(0.0, 5.0),
    )
    membership_attrition: float = parameter(
        0.0082, "monthly share of members lost to purges, lapses and deaths"
    )
    move_threshold: float = parameter(
        0.4,
        "expected vote share below which a leader does not consider moving against a rival",
        prior=(0.2, 0.6),
    )
    failure_cost: float = parameter(
        0.05,
        "standing a leader loses when his motion is defeated (and weighs before moving)",
        bounds=(0.0, 0.5),
        prior=(0.0, 0.15),
    )
    waiting_cost: float = parameter(
        0.05,
        "what a leader expects to lose by not moving against a rival, per unit of his "
        "grievance against him",
        bounds=(0.0, 1.0),
        prior=(0.0, 0.2),
    )
    anticipation: float = parameter(
        0.6,
        "share of the winning side's power above which a proposer's loose allies fear "
        "being next and abstain",
        bounds=(0.0, 1.0),
        prior=(0.4, 0.95),
    )
    choice_temperature: float = parameter(
        0.002,
        "spread of the logit choice among motions worth moving (0: always the best)",
        bounds=(0.0, 0.1),
        prior=(0.0005, 0.01),
    )
    campaign_rate: float = parameter(
        0.15,
        "monthly probability a Politburo majority campaigns against its rival",
        prior=(0.05, 0.5),
    )
    campaign_size: float = parameter(
        0.03, "standing a campaign costs its target", prior=(0.01, 0.06)
    )
    condemnation_size: float = parameter(
        0.08,
        "standing a condemnation by a conference or congress costs",
        prior=(0.03, 0.15),
    )
    removal_threshold: float = parameter(
        0.35,
        "standing below which a condemned rival loses his executive posts",
        prior=(0.25, 0.6),
    )
    removal_delay: float = parameter(
        6.0,
        "months after his first condemnation before a plenum may strip a rival "
        "of office: the campaign against him must first run its course",
        bounds=(0.0, 36.0),
        prior=(0.0, 14.0),
    )
    failure_salience: float = parameter(
        1.0,
        "how far a failure pinned on the leadership presses those hostile to the strongest "
        "to speak and to reposition, fading by 0.7 a month",
        bounds=(0.0, 10.0),
        prior=(0.0, 5.0),
    )
    voice_rate: float = parameter(
        0.5,
        "chance, per sitting and per unit of his grievance against the strongest, that a "
        "leader hostile to him speaks out to the party; a condemned man who speaks is ripe "
        "for his verdict's conclusions",
        prior=(0.0, 1.0),
    )
    expulsion_threshold: float = parameter(
        0.2,
        "standing below which a condemned rival loses his Politburo seat, once he has allied "
        "with another defeated opposition and his standing is below removal_threshold too (a "
        "defiant one loses it above both)",
        prior=(0.15, 0.55),
    )
    purge_share: float = parameter(
        0.75, "share of a defeated boss's clients purged after a congress defeat"
    )
    hostility: float = parameter(
        0.35,
        "affinity below which the dominant leader treats a leader as a rival",
        bounds=(-1.0, 1.0),
        prior=(0.1, 0.5),
    )
    ally_threshold: float = parameter(
        0.3,
        "affinity above which a rival's ally shares his condemnation, and two leaders "
        "condemned apart count as one opposition",
        prior=(0.1, 0.5),
    )
    takeover_margin: float = parameter(
        1.5,
        "how far another leader's clients must outnumber a regional head's own among "
        "his secretaries before the head is replaced",
        bounds=(1.0, 10.0),
        prior=(1.0, 3.0),
    )
    office_value: float = parameter(
        0.2,
        "power a side expects from offices that appoint across the whole party: what "
        "taking a colleague's appointing offices is worth",
        prior=(0.0, 0.6),
    )
    partner_margin: float = parameter(
        0.7,
        "ratio of powers beyond which a partner who is the party's chief appointer "
        "may be moved against: he is below this share of the leader's, or the leader "
        "below this share of his",
        bounds=(0.0, 1.0),
        prior=(0.4, 1.0),
    )
    fear_provocation: float = parameter(
        0.0,
        "grievance a partner must hold against the party's chief appointer before he fears "
        "his growth (0: none; the sources record that fear only from those whose machines "
        "his appointments had reached)",
        bounds=(0.0, 1.0),
    )
    secure_majority: float = parameter(
        2 / 3,
        "share of the Politburo's seats a congress's winners want held by members not "
        "condemned; short of it, they add seats after the congress",
        bounds=(0.5, 0.95),
    )
    office_cost: float = parameter(
        0.3,
        "how much an appointer avoids giving a colleague another office, per office held",
        bounds=(0.0, 5.0),
    )
    threat_aversion: float = parameter(
        1.0,
        "how much an appointer avoids candidates with a power base of their own",
        bounds=(0.0, 5.0),
    )
    faction_threshold: float = parameter(
        0.35,
        "cohesion (its least attached leader's mean affinity to the rest; its leaders are "
        "its members in the Politburo when two or more sit there, else all its members) "
        "above which a declared faction holds together (free mode): it forms when one of "
        "its leaders speaks out, or a verdict strikes two of them together, while it "
        "already holds together, or, if it counts the strongest, while it holds half the "
        "Politburo",
    )
    power_influence_weight: float = parameter(0.4, "weight of influence in a leader's power")
    power_apparatus_weight: float = parameter(0.4, "weight of the apparatus in a leader's power")
    power_posts_weight: float = parameter(0.2, "weight of posts' prestige in a leader's power")

    @model_validator(mode="after")
    def _power_is_weighed(self) -> Parameters:
        """Power shares divide by the weighted total: at least one weight must count."""
        weights = (self.power_influence_weight, self.power_apparatus_weight)
        if sum(weights) + self.power_posts_weight <= 0.0:
            raise ValueError(
                "power_influence_weight, power_apparatus_weight and power_posts_weight are "
                "all 0: at least one must be above 0, or every power share is 0"
            )
        return self
