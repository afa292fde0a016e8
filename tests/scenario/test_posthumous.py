"""Nothing is given to a leader, and he does nothing, after his death, whoever wrote the event.

In the small scenario Lenin dies in 1923-01 (event ``lenin-death``).
"""

import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.scenario import ScenarioError, apply_changes, parse_scenario

DEATH_LINE = next(
    n for n, line in enumerate(SMALL_SCENARIO.splitlines(), 1) if "lenin-death" in line
)
LAST_EVENT = SMALL_SCENARIO.partition("\nevents:\n")[2].count("  - {id:") - 1


def with_event(event: str) -> str:
    return SMALL_SCENARIO + f"  - {{{event}, description: Added., source: test}}\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bad.yaml")
    return caught.value.problems


@pytest.mark.parametrize(
    ("event", "field", "wrong"),
    [
        (
            "id: x, date: 1923-03, type: appointment, kind: decision, who: lenin, "
            "post: war_commissar",
            "who[0]",
            "an appointment cannot give an office to 'lenin'",
        ),
        (
            "id: x, date: 1923-02, type: recovery, kind: exogenous, who: lenin",
            "who[0]",
            "a recovery cannot change the health of 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: death, kind: exogenous, who: lenin",
            "who[0]",
            "a death cannot come a second time to 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: polemic, kind: decision, who: lenin, target: stalin",
            "who[0]",
            "a polemic cannot be written by 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: removal, kind: decision, who: trotsky, by: lenin, "
            "post: politburo",
            "by[0]",
            "a removal cannot be decided by 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: polemic, kind: decision, who: stalin, target: trotsky, "
            "influence: {lenin: 0.1}",
            "influence.lenin",
            "a polemic cannot change the standing of 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: stance_shift, kind: exogenous, "
            "stance: {lenin: {economic: 0.0}}",
            "stance.lenin",
            "a stance shift cannot change the stance of 'lenin'",
        ),
        (
            "id: x, date: 1923-03, type: purge, kind: decision, organisation: provinces, "
            "beneficiary: lenin, share: 0.1",
            "beneficiary",
            "a purge cannot benefit 'lenin'",
        ),
    ],
)
def test_an_event_for_the_dead_names_itself_and_the_death(event, field, wrong):
    text = with_event(event)
    (problem,) = problems_of(text)
    line = len(text.splitlines())
    assert problem == (
        f"bad.yaml:{line}: events[{LAST_EVENT + 1}].{field}: {wrong} after his death in "
        f"1923-01, event 'lenin-death' at bad.yaml:{DEATH_LINE}"
    )


def test_a_faction_formed_with_a_dead_member_is_refused():
    text = SMALL_SCENARIO.replace("members: [stalin, zinoviev]", "members: [stalin, lenin]")
    text = text.replace(
        "date: 1922-06, type: faction_formed", "date: 1923-02, type: faction_formed"
    )
    (problem,) = problems_of(text)
    assert "faction: a faction formed cannot count among its members 'lenin'" in problem


def test_what_takes_from_the_dead_is_allowed():
    text = with_event(
        "id: x, date: 1923-03, type: removal, kind: decision, who: lenin, post: sovnarkom_chair"
    )
    assert parse_scenario(text).events[-1].who == ["lenin"]


def test_in_the_month_of_a_death_only_what_stands_after_it_is_refused():
    recovery = "id: x, date: 1923-01, type: recovery, kind: exogenous, who: lenin"
    before = SMALL_SCENARIO.replace(
        "  - {id: lenin-death,",
        f"  - {{{recovery}, description: Added., source: test}}\n  - {{id: lenin-death,",
    )
    assert parse_scenario(before).events[LAST_EVENT - 1].id == "x"
    (problem,) = problems_of(with_event(recovery))
    assert "a recovery cannot change the health of 'lenin'" in problem


def test_moving_a_death_earlier_refuses_what_now_comes_after_it(small_scenario):
    flag = "--move-event lenin-death=1922-04"
    with pytest.raises(ScenarioError) as caught:
        apply_changes(
            small_scenario, [{"move_event": {"id": "lenin-death", "date": "1922-04"}}], [flag]
        )
    (problem,) = caught.value.problems
    assert problem.startswith(
        "scenario 'small': events[2].who[0]: an incapacitation cannot change the health of "
        "'lenin' after his death in 1922-04, event 'lenin-death' at "
    )


def test_an_appointment_of_the_dead_in_an_overlay_is_refused(tmp_path):
    (tmp_path / "base.yaml").write_text(SMALL_SCENARIO)
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "extends: base.yaml\nname: lenin-at-war\nsource: test citation\nchanges:\n"
        "  - add_event: {id: x, date: 1923-03, type: appointment, kind: decision, who: lenin,\n"
        "                post: war_commissar, description: Added., source: test}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(overlay.read_text(), str(overlay), tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{overlay}:5: changes[0].add_event.who[0]: an appointment cannot")
    assert problem.endswith(f"event 'lenin-death' at {tmp_path / 'base.yaml'}:{DEATH_LINE}")


def test_a_flag_that_brings_a_death_forward_exits_2(tmp_path, capsys):
    base = tmp_path / "base.yaml"
    base.write_text(SMALL_SCENARIO)
    flags = ["--move-event", "lenin-death=1922-04"]
    status = main(["run", str(base), "--out", str(tmp_path / "out"), "--no-plot", *flags])
    assert status == 2
    assert "an incapacitation cannot change the health of 'lenin'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
