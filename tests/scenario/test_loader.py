"""Bad scenario files are refused with one message per problem, naming file, line and field."""

import pytest
from conftest import SMALL_SCENARIO

from simulation.calendar import Month
from simulation.scenario import ScenarioError, parse_scenario


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bad.yaml")
    return caught.value.problems


def line_number(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def mutate(old: str, new: str) -> str:
    assert old in SMALL_SCENARIO
    return SMALL_SCENARIO.replace(old, new, 1)


def first_leader_with(fields: str) -> str:
    """The small scenario with ``fields`` (YAML flow-mapping entries) added to its first leader."""
    return mutate("health: 0.8, source: test}", f"health: 0.8, {fields}, source: test}}")


def test_the_small_scenario_is_valid(small_scenario):
    assert small_scenario.name == "small"
    assert [leader.id for leader in small_scenario.leaders][:2] == ["lenin", "stalin"]


def test_yaml_syntax_error_names_the_line():
    text = mutate("name: small", "name: [small")
    (problem,) = problems_of(text)
    assert problem.startswith("bad.yaml:")
    assert "invalid YAML" in problem


def test_unknown_field_is_refused_with_the_allowed_ones():
    text = first_leader_with("colour: red")
    (problem,) = problems_of(text)
    assert problem == (
        f"bad.yaml:{line_number(text, 'colour')}: leaders[0].colour: unknown field "
        "(expected one of: id, name, influence, apparatus, posts, stance, stance_read_off, "
        "health, illness_rate, illness_months, illness_from, patron, organisation, "
        "barred_from, base, source)"
    )


def test_wrong_type_is_refused():
    text = mutate("influence: 0.5, apparatus: 0.2", "influence: high, apparatus: 0.2")
    (problem,) = problems_of(text)
    assert problem.startswith(f"bad.yaml:{line_number(text, 'influence: high')}: ")
    assert "leaders[1].influence: Input should be a valid number" in problem


def test_value_out_of_range_is_refused():
    text = mutate("influence: 0.5, apparatus: 0.2", "influence: 1.5, apparatus: 0.2")
    (problem,) = problems_of(text)
    assert "leaders[1].influence: Input should be less than or equal to 1, got 1.5" in problem


def test_unknown_leader_in_an_event_is_refused():
    text = mutate(
        "who: stalin,\n     post: general_secretary", "who: stalinn,\n     post: general_secretary"
    )
    (problem,) = problems_of(text)
    assert problem.startswith(f"bad.yaml:{line_number(text, 'stalinn')}: events[1].who[0]: ")
    assert "unknown leader 'stalinn' (did you mean 'stalin'?)" in problem


def test_an_unknown_name_far_from_any_lists_the_known_ones():
    text = mutate(
        "who: stalin,\n     post: general_secretary", "who: bukharin,\n     post: general_secretary"
    )
    (problem,) = problems_of(text)
    assert (
        "unknown leader 'bukharin' (expected one of: lenin, stalin, trotsky, zinoviev)" in problem
    )


def test_a_leaders_unknown_organisation_is_refused_with_its_line():
    text = first_leader_with("organisation: red_amry")
    (problem,) = problems_of(text)
    assert problem.startswith(
        f"bad.yaml:{line_number(text, 'red_amry')}: leaders[0].organisation: "
    )
    assert "unknown organisation 'red_amry' (did you mean 'red_army'?)" in problem


def test_a_leader_who_is_his_own_patron_is_told_so():
    text = first_leader_with("patron: lenin")
    (problem,) = problems_of(text)
    assert problem == (
        f"bad.yaml:{line_number(text, 'patron: lenin')}: leaders[0].patron: "
        "'lenin' cannot be his own patron: name another leader, or none"
    )


def test_a_record_of_illness_is_a_month_and_may_lie_outside_what_runs():
    """Switching fevers off (illness_rate 0) or shortening the period keeps the record valid."""
    within = first_leader_with("illness_rate: 0.1, illness_from: 1922-10")
    assert parse_scenario(within, "good.yaml").leaders[0].illness_from == Month(1922, 10)
    for harmless in ("illness_rate: 0.0, illness_from: 1922-10", "illness_from: 1930-01"):
        text = first_leader_with(harmless)
        assert parse_scenario(text, "good.yaml").leaders[0].illness_from is not None
    june = first_leader_with("illness_from: June")
    (problem,) = problems_of(june)
    assert problem == (
        f"bad.yaml:{line_number(june, 'illness_from')}: leaders[0].illness_from: "
        "expected a month as YYYY-MM, got 'June'"
    )


def test_unknown_post_in_an_event_is_refused():
    text = mutate("post: war_commissar, by", "post: war_comissar, by")
    with pytest.raises(ScenarioError, match=r"events\[10\]\.post: unknown post 'war_comissar'"):
        parse_scenario(text, "bad.yaml")


def test_event_outside_the_period_is_refused():
    text = mutate("date: 1923-01, type: death", "date: 1927-01, type: death")
    (problem,) = problems_of(text)
    assert problem == (
        f"bad.yaml:{line_number(text, '1927-01')}: events[9].date: "
        "1927-01 is outside the period 1922-04 to 1923-03"
    )


def test_a_full_date_is_refused_with_the_expected_form():
    text = mutate("date: 1923-01, type: death", "date: 1923-01-21, type: death")
    with pytest.raises(ScenarioError, match=r"events\[9\]\.date: expected a month as YYYY-MM"):
        parse_scenario(text, "bad.yaml")


def test_duplicate_ids_are_refused():
    text = mutate("id: lenin-death", "id: lenin-stroke")
    with pytest.raises(ScenarioError, match=r"events\[9\]\.id: duplicate id 'lenin-stroke'"):
        parse_scenario(text, "bad.yaml")


def test_a_unique_post_cannot_be_held_by_two_leaders():
    text = mutate("posts: [politburo, war_commissar]", "posts: [politburo, sovnarkom_chair]")
    problems = problems_of(text)
    assert any(
        "leaders[2].posts[1]: post 'sovnarkom_chair' is unique but also held by lenin" in p
        for p in problems
    )


def test_an_event_missing_what_its_type_needs_is_refused():
    text = mutate("organisation: leningrad,\n", "")
    with pytest.raises(ScenarioError, match=r"events\[8\]\.organisation: required for .*'purge'"):
        parse_scenario(text, "bad.yaml")


def test_a_vote_needs_its_arena_to_sit():
    text = mutate("arena: conference, influence", "arena: congress, influence")
    with pytest.raises(ScenarioError, match=r"events\[7\]\.arena: no congress sits in 1922-09"):
        parse_scenario(text, "bad.yaml")


def test_every_problem_is_reported_at_once():
    text = mutate("who: stalin,\n     post: general_secretary", "who: nobody,\n     post: nopost")
    problems = problems_of(text)
    assert len(problems) == 2
    assert any("events[1].who[0]: unknown leader 'nobody'" in p for p in problems)
    assert any("events[1].post: unknown post 'nopost'" in p for p in problems)


def test_yaml_is_loaded_safely():
    text = mutate("name: small", "name: !!python/object/apply:os.system ['echo pwned']")
    (problem,) = problems_of(text)
    assert "invalid YAML" in problem


def test_a_file_that_is_not_a_mapping_is_refused():
    with pytest.raises(ScenarioError, match=r"expected a mapping of scenario fields"):
        parse_scenario("- just\n- a list\n", "bad.yaml")


def test_a_deputy_of_an_unknown_office_is_refused():
    text = mutate(
        "sovnarkom_chair: {name: Chairman of Sovnarkom,",
        "sovnarkom_chair: {name: Chairman of Sovnarkom, deputy_to: sovnarkom_chiar,",
    )
    (problem,) = problems_of(text)
    assert "posts.sovnarkom_chair.deputy_to: unknown post 'sovnarkom_chiar'" in problem
    assert "did you mean 'sovnarkom_chair'" in problem
