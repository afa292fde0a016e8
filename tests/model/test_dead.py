"""The model gives nothing to the dead, even if an event for them got through validation."""

import numpy as np
import pytest
from conftest import SEED

from simulation.model import PartyModel
from simulation.model.decisions import log_decisions
from simulation.model.events import apply_event, prepare
from simulation.model.purges import carry_out_purges
from simulation.scenario.schema import Event


@pytest.fixture
def after_lenins_death(small_scenario):
    """The small scenario run to 1923-02, the month after Lenin's death."""
    model = PartyModel(small_scenario, seed=SEED)
    while model.step_index < 0 or model.date != "1923-02":
        model.step()
    assert not model.alive[model.leader_index["lenin"]]
    return model


def apply(model, **fields):
    event = Event.model_validate(
        {"id": "hand-made", "date": model.date, "kind": "decision", "description": "x"}
        | {"source": "test"}
        | fields
    )
    indices = (model.leader_index, model.post_index, model.organisation_index)
    apply_event(model, prepare(event, *indices))


def test_a_dead_leader_is_appointed_to_nothing(after_lenins_death):
    model = after_lenins_death
    lenin, zinoviev = model.leader_index["lenin"], model.leader_index["zinoviev"]
    head = model.post_index["leningrad_party_head"]
    apply(model, type="appointment", who="lenin", post="leningrad_party_head", by=["stalin"])
    assert not model.holds[lenin].any()
    assert model.holds[zinoviev, head]  # not displaced by a dead man
    assert [row.type for row in model.event_log[-1:]] == ["appointment"]
    assert model.obligation[lenin].sum() == 0.0


def test_a_dead_leaders_polemic_costs_no_one_anything(after_lenins_death):
    model = after_lenins_death
    influence, grievance = model.influence.copy(), model.grievance.copy()
    apply(
        model,
        type="polemic",
        who="lenin",
        target="trotsky",
        arena="politburo",
        influence={"trotsky": -0.1},
    )
    np.testing.assert_array_equal(model.influence, influence)
    np.testing.assert_array_equal(model.grievance, grievance)
    assert model.event_log[-1].event_id == "hand-made"


def test_a_dead_leader_recovers_no_health(after_lenins_death):
    model = after_lenins_death
    lenin = model.leader_index["lenin"]
    apply(model, type="recovery", who="lenin", health=1.0)
    apply(model, type="absence", who="lenin", health=0.5, months=2)
    apply(model, type="demotion", who="lenin", post="politburo", to_post="sovnarkom_chair")
    assert model.health[lenin] == 0.0
    assert model.absence_ends[lenin] == -1
    assert not model.holds[lenin].any()


def test_a_purge_hands_no_secretaries_to_the_dead(after_lenins_death):
    model = after_lenins_death
    loyalty = model.loyalty.copy()
    apply(model, type="purge", organisation="leningrad", beneficiary="lenin", share=0.5)
    np.testing.assert_array_equal(model.loyalty, loyalty)


def test_a_congress_purge_whose_beneficiary_has_died_gives_him_no_secretaries(
    after_lenins_death,
):
    """He moved the verdict and died before the purge: the head still loses office."""
    model = after_lenins_death
    lenin, zinoviev = model.leader_index["lenin"], model.leader_index["zinoviev"]
    leningrad, head = (
        model.organisation_index["leningrad"],
        model.post_index["leningrad_party_head"],
    )
    k = model.step_index
    model.purge_due[leningrad], model.purge_beneficiary[leningrad] = k, lenin
    model.purge_targets[leningrad] = False
    model.purge_targets[leningrad, zinoviev] = True
    loyalty = model.loyalty.copy()
    rows = carry_out_purges(model.state, k, 0)
    np.testing.assert_array_equal(model.loyalty, loyalty)
    assert not model.holds[zinoviev, head]
    log_decisions(model, rows)
    purge = model.event_log[-1]
    assert (purge.type, purge.actor, purge.organisation) == ("purge", "lenin", "leningrad")
    assert purge.detail.endswith("no secretaries replaced: the purge's beneficiary died")


def test_the_living_are_still_given_what_the_event_says(after_lenins_death):
    """The guard is no blanket refusal: with a living appointee the appointment stands."""
    model = after_lenins_death
    stalin = model.leader_index["stalin"]
    apply(model, type="appointment", who="stalin", post="leningrad_party_head", by=["stalin"])
    assert model.holds[stalin, model.post_index["leningrad_party_head"]]
