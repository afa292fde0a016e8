"""Each type of event does to the state what the scenario says, on its date."""

import numpy as np
import pytest
from conftest import SEED, SMALL_SCENARIO

from simulation.model import PartyModel
from simulation.model.actions import majority_leader
from simulation.model.events import apply_event, prepare
from simulation.scenario import parse_scenario
from simulation.scenario.schema import Event


@pytest.fixture
def result(small_scenario):
    return PartyModel(small_scenario, seed=SEED).run()


def leader_row(result, date, leader):
    frame = result["trajectories"]
    return frame[(frame["date"] == date) & (frame["leader"] == leader)].iloc[0]


def posts_of(result, date, leader):
    frame = result["posts"]
    return set(frame[(frame["date"] == date) & (frame["leader"] == leader)]["post"])


def test_appointment_gives_the_post_from_its_month(result):
    assert "general_secretary" in posts_of(result, "1922-04", "stalin")
    assert "general_secretary" in posts_of(result, "1923-03", "stalin")


def test_incapacitation_sets_health(result):
    assert leader_row(result, "1922-04", "lenin")["health"] == pytest.approx(0.8)
    assert leader_row(result, "1922-05", "lenin")["health"] == pytest.approx(0.2)


def test_absence_ends_after_its_months(result):
    healths = [
        leader_row(result, d, "trotsky")["health"] for d in ("1922-06", "1922-07", "1922-09")
    ]
    assert healths == [1.0, 0.3, 0.3]
    assert leader_row(result, "1922-10", "trotsky")["health"] == 1.0


def test_influence_decays_during_absence(result):
    months = ["1922-07", "1922-08", "1922-09"]
    # September also has the condemnation; compare July to August only for the pure decay.
    july, august, _ = (leader_row(result, m, "trotsky")["influence"] for m in months)
    assert august < july


def test_death_vacates_posts_and_ends_standing(result):
    row = leader_row(result, "1923-01", "lenin")
    assert not row["alive"] and row["influence"] == 0.0 and row["power"] == 0.0
    assert posts_of(result, "1923-01", "lenin") == set()
    vacated = result["events"].query("event_id == 'lenin-death' and type == 'removal'")
    assert set(vacated["post"]) == {"politburo", "sovnarkom_chair"}


def test_condemnation_is_voted_and_every_delegate_counted(result):
    vote = result["votes"].query("date == '1922-09'").iloc[0]
    assert vote["arena"] == "conference"
    assert vote["sponsor"] == "stalin;zinoviev" and vote["target"] == "trotsky"
    assert vote["votes_for"] + vote["votes_against"] == 120


def test_condemnation_costs_the_target_standing(result):
    before = leader_row(result, "1922-08", "trotsky")["influence"]
    after = leader_row(result, "1922-09", "trotsky")["influence"]
    assert before - after > 0.09


@pytest.mark.parametrize("passed", [True, False])
def test_a_replayed_condemnation_is_a_verdict_the_rules_read_later(small_scenario, passed):
    """As the model's own verdicts are: a run branching after it finds its target condemned.

    Trotsky is condemned at the conference of 1922-09 (month 5), moved by Stalin and
    Zinoviev, who are on its side and so are his former enemies.
    """
    events = [
        event.model_copy(update={"passed": passed}) if event.id == "condemn" else event
        for event in small_scenario.events
    ]
    model = PartyModel(small_scenario.model_copy(update={"events": events}), seed=SEED)
    while model.step_index < 5:
        model.step()
    i = model.leader_index
    trotsky = i["trotsky"]
    if not passed:
        assert not model.condemned.any() and not model.denounced.any()
        return
    assert model.condemned[trotsky] and model.condemned_since[trotsky] == 5
    assert model.verdict_in[trotsky] == 5
    assert model.denounced[i["stalin"], trotsky] and model.denounced[i["zinoviev"], trotsky]
    assert not model.denounced[trotsky].any()  # he denounced no one
    model.step()
    assert model.condemned_since[trotsky] == 5  # first condemned then, whatever follows


def test_a_censure_of_the_strongest_marks_no_one_defeated(small_scenario):
    """Moved by Trotsky against Stalin, the strongest (power 0.28 against 0.25 and less)."""
    censure = {"who": ["trotsky"], "target": ["stalin"]}
    events = [
        event.model_copy(update=censure) if event.id == "condemn" else event
        for event in small_scenario.events
    ]
    model = PartyModel(small_scenario.model_copy(update={"events": events}), seed=SEED)
    while model.step_index < 4:
        model.step()
    assert model.power.argmax() == model.leader_index["stalin"]
    model.step()
    assert model.vote_log[-1].target == "stalin"  # voted all the same
    assert not model.condemned.any() and not model.denounced.any()


def test_politburo_vote_counts_the_living_members_present(result):
    vote = result["votes"].query("arena == 'politburo'").iloc[0]
    # Lenin is dead by 1923-02: Stalin, Trotsky and Zinoviev vote.
    assert vote["votes_for"] + vote["votes_against"] == 3
    assert "war_commissar" not in posts_of(result, "1923-02", "trotsky")


def test_purge_hands_the_organisation_to_the_beneficiary(result):
    loyalty = result["loyalty"]

    def share(date, leader):
        rows = loyalty.query("date == @date and organisation == 'leningrad' and leader == @leader")
        return rows["loyalty"].sum()

    jump = share("1922-11", "stalin") - share("1922-10", "stalin")
    assert jump > 0.3
    assert share("1922-11", "zinoviev") < 0.5 * share("1922-10", "zinoviev")


def test_membership_intake_adds_recruits_for_its_months(result):
    membership = result["membership"].groupby("date")[["members", "recruits"]].sum()
    assert membership.loc["1922-07", "recruits"] == 0
    assert membership.loc["1922-09", "recruits"] == pytest.approx(20_000, rel=0.02)
    assert membership.loc["1922-10", "recruits"] < membership.loc["1922-09", "recruits"]


def test_faction_is_active_from_its_formation(result):
    factions = result["factions"].set_index("date")
    assert not factions.loc["1922-05", "active"]
    assert factions.loc["1922-06", "active"]


def test_appointment_to_a_unique_post_displaces_the_holder():
    text = SMALL_SCENARIO.replace(
        "  - {id: lenin-death,",
        "  - {id: zinoviev-war, date: 1922-12, type: appointment, kind: decision, who: zinoviev,\n"
        "     post: war_commissar, description: test, source: test}\n"
        "  - {id: lenin-death,",
    )
    result = PartyModel(parse_scenario(text), seed=SEED).run()
    assert "war_commissar" in posts_of(result, "1922-12", "zinoviev")
    assert "war_commissar" not in posts_of(result, "1922-12", "trotsky")
    displaced = result["events"].query("event_id == 'zinoviev-war' and type == 'removal'")
    assert list(displaced["actor"]) == ["trotsky"]


def test_a_removal_from_a_post_taken_before_it_does_nothing():
    """Moving an appointment earlier leaves history's later removal of the man it displaced.

    That removal must not take the office from its new holder, aggrieve the man a
    second time, or be logged as a removal that happened.
    """
    text = SMALL_SCENARIO.replace(
        "  - {id: lenin-death,",
        "  - {id: zinoviev-war, date: 1922-12, type: appointment, kind: decision, who: zinoviev,\n"
        "     post: war_commissar, by: [stalin], description: test, source: test}\n"
        "  - {id: lenin-death,",
    ).replace("description: Trotsky removed.", "influence: {trotsky: -0.1}, description: x")
    removal = text[text.index("  - {id: trotsky-out,") :].split("\n  - ")[0]
    model, unremoved = (
        PartyModel(parse_scenario(t), seed=SEED) for t in (text, text.replace(removal, ""))
    )
    for run in (model, unremoved):
        while run.date != "1923-02":  # the month of history's removal of Trotsky
            run.step()
    war = model.post_index["war_commissar"]
    assert model.holds[:, war].nonzero()[0].tolist() == [model.leader_index["zinoviev"]]
    np.testing.assert_array_equal(model.grievance, unremoved.grievance)
    np.testing.assert_array_equal(model.influence, unremoved.influence)
    (row,) = [row for row in model.event_log if row.event_id == "trotsky-out"]
    assert row.detail == "no effect: trotsky did not hold war_commissar by then"


@pytest.mark.parametrize(
    ("fields", "owed_to"),
    [
        ({"kind": "decision", "post": "orgburo"}, "the majority's leader"),
        ({"kind": "decision", "post": "orgburo", "by": ["trotsky"]}, "trotsky"),
        ({"kind": "decision", "post": "sovnarkom_chair"}, None),
        ({"kind": "decision", "post": "sovnarkom_chair", "by": ["trotsky"]}, "trotsky"),
        ({"kind": "exogenous", "post": "orgburo"}, None),
        ({"kind": "decision", "post": "orgburo", "intervention": True}, None),
    ],
)
def test_a_replayed_election_is_owed_to_its_deciders_or_else_to_the_majoritys_leader(
    fields, owed_to
):
    """History's election to a body that names no deciders is owed as the leaders' own are.

    A branch inherits the debts the replay left (Bukharin seated in Lenin's place by the
    majority in June 1924). An office may be a posting away and is owed only to those
    named, and an exogenous appointment or a counterfactual's names its deciders or
    leaves no debt.
    """
    text = SMALL_SCENARIO.replace(
        "posts:\n",
        "posts:\n  orgburo: {name: Orgburo member, prestige: 0.05, unique: false, source: test}\n",
        1,
    )
    model = PartyModel(parse_scenario(text), seed=SEED)
    while model.step_index < 0 or model.date != "1922-10":
        model.step()
    leader = majority_leader(model.state)
    zinoviev = model.leader_index["zinoviev"]
    assert leader != zinoviev
    before = model.obligation[zinoviev].copy()
    event = Event.model_validate(
        {"id": "hand-made", "date": "1922-10", "type": "appointment", "who": "zinoviev"}
        | {"description": "x", "source": "test"}
        | fields
    )
    indices = (model.leader_index, model.post_index, model.organisation_index)
    apply_event(model, prepare(event, *indices))
    owed = model.obligation[zinoviev] - before
    if owed_to is None:
        assert not owed.any()
        return
    creditor = leader if owed_to == "the majority's leader" else model.leader_index[owed_to]
    assert owed[creditor] == pytest.approx(model.parameters.appointment_obligation)
    assert np.count_nonzero(owed) == 1


@pytest.mark.parametrize("failure", ["", "failure: false, "])
def test_blame_falls_on_whoever_holds_the_post(failure):
    # Marked as no failure of the line, the shock still pins its blame.
    text = SMALL_SCENARIO.replace(
        "  - {id: lenin-death,",
        "  - {id: defeat, date: 1922-12, type: foreign_shock, kind: exogenous,\n"
        f"     blame: {{war_commissar: 0.2}}, {failure}description: test, source: test}}\n"
        "  - {id: lenin-death,",
    )
    blamed = PartyModel(parse_scenario(text), seed=SEED).run()
    plain = PartyModel(parse_scenario(SMALL_SCENARIO), seed=SEED).run()
    drop = (
        leader_row(plain, "1922-12", "trotsky")["influence"]
        - leader_row(blamed, "1922-12", "trotsky")["influence"]
    )
    assert drop == pytest.approx(0.2, abs=0.02)
    assert np.isclose(
        leader_row(plain, "1922-12", "stalin")["influence"],
        leader_row(blamed, "1922-12", "stalin")["influence"],
        atol=0.01,
    )


def test_a_failure_pinned_on_the_leadership_is_remembered_from_its_month():
    text = SMALL_SCENARIO.replace(
        "  - {id: lenin-death,",
        "  - {id: defeat, date: 1922-12, type: foreign_shock, kind: exogenous,\n"
        "     blame: {war_commissar: 0.2}, description: test, source: test}\n"
        "  - {id: lenin-death,",
    )
    model = PartyModel(parse_scenario(text), seed=SEED)
    while model.date != "1922-11":
        model.step()
    assert model.failed_in[0] == -1
    model.step()
    assert model.failed_in[0] == model.step_index  # December's failure, for what follows
    model.run()
    assert model.failed_in[0] == list(model.dates).index("1922-12")


def test_events_in_one_month_apply_in_file_order():
    appoint = (
        "  - {id: appoint, date: 1922-12, type: appointment, kind: decision, who: zinoviev,\n"
        "     post: war_commissar, description: test, source: test}\n"
    )
    remove = (
        "  - {id: remove, date: 1922-12, type: removal, kind: decision, who: zinoviev,\n"
        "     post: war_commissar, description: test, source: test}\n"
    )
    marker = "  - {id: lenin-death,"
    appoint_then_remove = SMALL_SCENARIO.replace(marker, appoint + remove + marker)
    remove_then_appoint = SMALL_SCENARIO.replace(marker, remove + appoint + marker)
    first = PartyModel(parse_scenario(appoint_then_remove), seed=SEED).run()
    second = PartyModel(parse_scenario(remove_then_appoint), seed=SEED).run()
    assert "war_commissar" not in posts_of(first, "1922-12", "zinoviev")
    assert "war_commissar" in posts_of(second, "1922-12", "zinoviev")
    order = list(first["events"].query("date == '1922-12'")["event_id"])
    assert order.index("appoint") < order.index("remove")


def test_a_removal_leaves_a_unique_office_vacant_as_a_plenums_does(small_scenario):
    """One implementation vacates a post, whether the scenario or the model removes."""
    model = PartyModel(small_scenario, seed=SEED)
    war = model.post_index["war_commissar"]
    while model.running:
        model.step()
        if model.date == "1923-01":
            assert not model.vacated[war]
    assert model.date == "1923-03"
    assert not model.holds[:, war].any()
    assert model.vacated[war]


def test_a_scenario_purge_moves_the_apparatus_with_the_loyalties(small_scenario):
    """At once, not at the month's end, when every month recomputes the apparatus anyway."""
    model = PartyModel(small_scenario, seed=SEED)
    while model.step_index < 0 or model.date != "1922-10":  # the month before the purge
        model.step()
    stalin, leningrad = model.leader_index["stalin"], model.organisation_index["leningrad"]
    before = model.apparatus[stalin]
    (purge,) = [event for event in small_scenario.events if event.id == "purge-leningrad"]
    indices = (model.leader_index, model.post_index, model.organisation_index)
    apply_event(model, prepare(purge, *indices))
    shares = model.loyalty.T @ model.members / model.members.sum()
    np.testing.assert_allclose(model.apparatus, shares)
    assert model.loyalty[leningrad, stalin] > 0.5
    assert model.apparatus[stalin] > before


def test_an_absence_begun_during_another_returns_the_health_before_the_first(small_scenario):
    model = PartyModel(small_scenario, seed=SEED)
    model.step()
    trotsky = model.leader_index["trotsky"]
    before = model.health[trotsky]
    for health, months in ((0.4, 3), (0.2, 1)):
        event = Event.model_validate(
            {"id": f"cure-{months}", "date": model.date, "kind": "exogenous", "source": "test"}
            | {"description": "x", "type": "absence", "who": ["trotsky"]}
            | {"health": health, "months": months}
        )
        indices = (model.leader_index, model.post_index, model.organisation_index)
        apply_event(model, prepare(event, *indices))
    assert model.health[trotsky] == 0.2
    assert model.absence_ends[trotsky] == model.step_index + 1
    assert model.health_after_absence[trotsky] == before
