"""Every problem is reported at once, and an unknown name comes with the names it was close to."""

import pytest
from conftest import SMALL_SCENARIO

from simulation.scenario import ScenarioError, apply_changes, load_scenario, parse_scenario
from simulation.scenario.messages import in_reading_order

THREE_MISTAKES = """\
extends: base.yaml
name: three-mistakes
source: test citation
colour: red
changes:
  - drop_event: lenin-deth
  - move_event: {id: trotsky-out, date: June 1924}
  - add_event: {id: new, date: 1923-03, type: polemic, kind: decision, who: stalin,
                target: trotsky, weather: fine, description: Added., source: test}
"""


def test_every_mistake_in_an_overlay_is_reported(tmp_path):
    (tmp_path / "base.yaml").write_text(SMALL_SCENARIO)
    (tmp_path / "overlay.yaml").write_text(THREE_MISTAKES)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "overlay.yaml")
    overlay = tmp_path / "overlay.yaml"
    assert caught.value.problems == [
        f"{overlay}:4: colour: unknown field "
        "(expected one of: extends, name, description, source, free_from, changes)",
        f"{overlay}:6: changes[0].drop_event: unknown event 'lenin-deth' "
        "(did you mean 'lenin-death' or 'lenin-stroke'?)",
        f"{overlay}:7: changes[1].move_event.date: expected a month as YYYY-MM, got 'June 1924'",
        f"{overlay}:9: changes[2].add_event.weather: unknown field (expected one of: id, date, "
        "type, kind, description, source, label, who, target, by, post, to_post, organisation, "
        "beneficiary, faction, arena, motion, passed, delegates, health, months, "
        "members_per_month, functionaries, share, influence, blame, failure, stance, protection, "
        "intervention)",
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("leaders.stalinn.health", "unknown leader 'stalinn' (did you mean 'stalin'?)"),
        (
            "posts.war_comissar.prestige",
            "unknown post 'war_comissar' (did you mean 'war_commissar'?)",
        ),
        (
            "organisations.leningard.members",
            "unknown organisation 'leningard' (did you mean 'leningrad'?)",
        ),
        ("factions.troyka.name", "unknown faction 'troyka' (did you mean 'troika'?)"),
        ("parameters.disciplin", "unknown field 'disciplin' (did you mean 'discipline'"),
        ("leaders.stalin.helth", "unknown field 'helth' (did you mean 'health'?)"),
        ("strat", "unknown path 'strat' (did you mean 'start'?)"),
    ],
)
def test_an_unknown_name_in_a_set_path_suggests_the_close_ones(small_scenario, path, message):
    with pytest.raises(ScenarioError, match=rf"--set {path}=1: unknown ") as caught:
        apply_changes(small_scenario, [{"set": {path: 1}}], [f"--set {path}=1"])
    assert message in caught.value.problems[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "post: war_commissar, by",
            "post: war_comissar, by",
            "unknown post 'war_comissar' (did you mean 'war_commissar'?)",
        ),
        (
            "organisation: leningrad,",
            "organisation: leningard,",
            "unknown organisation 'leningard' (did you mean 'leningrad'?)",
        ),
        (
            "faction: troika,",
            "faction: troyka,",
            "unknown faction 'troyka' (did you mean 'troika'?)",
        ),
        (
            "end: 1923-03\n",
            "end: 1923-03\nparameters: {disciplin: 0.5}\n",
            "parameters.disciplin: unknown field (did you mean 'discipline'",
        ),
    ],
)
def test_an_unknown_name_in_a_scenario_file_suggests_the_close_ones(old, new, message):
    assert old in SMALL_SCENARIO
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(SMALL_SCENARIO.replace(old, new, 1), "bad.yaml")
    (problem,) = caught.value.problems
    assert message in problem


def test_problems_are_put_in_reading_order_file_by_file():
    problems = [
        "overlay.yaml:9: set: unknown leader",
        "base.yaml:40: events[3].arena: no conference sits",
        "overlay.yaml:6: drop_event: unknown event",
        "--set: leaders.x.health: unknown leader",
        "base.yaml:12: leaders[1].posts: unknown post",
    ]
    assert in_reading_order(problems) == [
        "overlay.yaml:6: drop_event: unknown event",
        "overlay.yaml:9: set: unknown leader",
        "base.yaml:12: leaders[1].posts: unknown post",
        "base.yaml:40: events[3].arena: no conference sits",
        "--set: leaders.x.health: unknown leader",
    ]
