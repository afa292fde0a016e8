"""What differs between two resolved scenarios, as data and as text."""

import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.scenario import parse_scenario
from simulation.scenario.diff import Difference, diff_scenarios, format_differences
from simulation.scenario.overlay import apply_changes

CHANGES = [
    {"drop_event": "lenin-death"},
    {"move_event": {"id": "trotsky-out", "date": "1922-12"}},
    {"modify_event": {"id": "condemn", "set": {"influence.trotsky": -0.2, "passed": False}}},
    {
        "add_event": {
            "id": "stalin-out",
            "date": "1922-10",
            "type": "removal",
            "kind": "decision",
            "who": "stalin",
            "post": "general_secretary",
            "description": "Stalin removed.",
            "source": "test",
        }
    },
    {
        "set": {
            "parameters.discipline": 0.4,
            "leaders.trotsky.health": 0.9,
            "posts.politburo.prestige": 0.25,
            "organisations.leningrad.protection": 0.2,
            "factions.troika.members": ["stalin", "zinoviev", "trotsky"],
            "end": "1923-02",
            "name": "variant",
        }
    },
]


@pytest.fixture
def variant(small_scenario):
    return apply_changes(small_scenario, CHANGES, "test")


def test_identical_scenarios_do_not_differ(small_scenario):
    assert diff_scenarios(small_scenario, small_scenario) == []
    assert format_differences([], "a.yaml", "b.yaml") == "a.yaml and b.yaml do not differ"


def dumped_event(scenario, event_id: str) -> dict:
    return next(e for e in scenario.model_dump(mode="json")["events"] if e["id"] == event_id)


def test_every_kind_of_difference_is_found(small_scenario, variant):
    members = (["stalin", "zinoviev"], ["stalin", "zinoviev", "trotsky"])
    assert diff_scenarios(small_scenario, variant) == [
        Difference("scenario", "changed", "name", "", "small", "variant"),
        Difference("period", "changed", "end", "", "1923-03", "1923-02"),
        Difference("parameters", "changed", "discipline", "", 0.6, 0.4),
        Difference("leaders", "changed", "trotsky", "health", 1.0, 0.9),
        Difference("posts", "changed", "politburo", "prestige", 0.2, 0.25),
        Difference("organisations", "changed", "leningrad", "protection", 0.7, 0.2),
        Difference("factions", "changed", "troika", "members", *members),
        Difference("events", "added", "stalin-out", "", None, dumped_event(variant, "stalin-out")),
        Difference(
            "events",
            "dropped",
            "lenin-death",
            "",
            dumped_event(small_scenario, "lenin-death"),
            None,
        ),
        Difference("events", "moved", "trotsky-out", "date", "1923-02", "1922-12"),
        Difference("events", "changed", "condemn", "passed", True, False),
        Difference(
            "events", "changed", "condemn", "influence", {"trotsky": -0.1}, {"trotsky": -0.2}
        ),
    ]


def test_events_are_listed_added_dropped_moved_then_changed(small_scenario, variant):
    events = [d.change for d in diff_scenarios(small_scenario, variant) if d.section == "events"]
    assert events == ["added", "dropped", "moved", "changed", "changed"]


def test_leaders_added_and_dropped(small_scenario):
    fewer = small_scenario.model_copy(update={"leaders": small_scenario.leaders[:-1]})
    assert diff_scenarios(small_scenario, fewer) == [
        Difference(
            "leaders",
            "dropped",
            "zinoviev",
            "",
            small_scenario.leaders[-1].model_dump(mode="json"),
            None,
        )
    ]
    assert diff_scenarios(fewer, small_scenario)[0].change == "added"


def test_the_text_reads_section_by_section_each_change_with_its_modes(small_scenario, variant):
    text = format_differences(diff_scenarios(small_scenario, variant), "small.yaml", "variant.yaml")
    every = " [acts in every mode]"
    assert text.splitlines() == [
        "from small.yaml to variant.yaml:",
        "scenario",
        "  name: small -> variant",
        "period",
        "  end: 1923-03 -> 1923-02" + every,
        "parameters",
        "  discipline: 0.6 -> 0.4" + every,
        "leaders",
        "  trotsky.health: 1.0 -> 0.9" + every,
        "posts",
        "  politburo.prestige: 0.2 -> 0.25" + every,
        "organisations",
        "  leningrad.protection: 0.7 -> 0.2" + every,
        "factions",
        "  troika.members: [stalin, zinoviev] -> [stalin, zinoviev, trotsky]" + every,
        "events added",
        "  + 1922-10 stalin-out (removal, decision): Stalin removed." + every,
        "events dropped",
        "  - 1923-01 lenin-death (death, exogenous): Lenin dies." + every,
        "events moved",
        "  trotsky-out: 1923-02 -> 1922-12" + every,
        "events changed",
        "  condemn.passed: true -> false" + every,
        "  condemn.influence: {trotsky: -0.1} -> {trotsky: -0.2}" + every,
    ]


def test_a_dropped_decision_acts_in_replay_only(small_scenario):
    """Free mode never applied the base's own decisions: dropping one changes only replay."""
    dropped = apply_changes(small_scenario, [{"drop_event": "purge-leningrad"}], "test")
    (line,) = format_differences(diff_scenarios(small_scenario, dropped), "a", "b").splitlines()[2:]
    assert line.endswith(
        "[acts in replay only (and when branching from history after 1922-11): "
        "free mode never applied this decision]"
    )
    settlement = apply_changes(small_scenario, [{"drop_event": "stalin-gs"}], "test")
    (difference,) = diff_scenarios(small_scenario, settlement)
    assert difference.modes == "acts in every mode"  # the first month applies in free mode too


def standalone_with_moved_events():
    """The small scenario as a file of its own, three events moved: no overlay's changes."""
    moved = (
        SMALL_SCENARIO.replace("name: small", "name: moved")
        .replace("id: trotsky-out, date: 1923-02", "id: trotsky-out, date: 1922-12")
        .replace("id: lenin-death, date: 1923-01", "id: lenin-death, date: 1922-12")
        .replace("id: stalin-gs, date: 1922-04", "id: stalin-gs, date: 1922-05")
    )
    return parse_scenario(moved, "moved.yaml")


def test_a_standalone_scenarios_moved_decision_acts_in_replay_only(small_scenario):
    """Only an overlay's changes are interventions: a standalone file's decisions are its own.

    Free mode leaves them to the leaders, moved or not; an exogenous event, or the first
    month's settlement moved out of the first month, acts in every mode.
    """
    modes = {
        d.item: d.modes for d in diff_scenarios(small_scenario, standalone_with_moved_events())
    }
    assert modes == {
        "name": "",
        "stalin-gs": "acts in every mode",
        "lenin-death": "acts in every mode",
        "trotsky-out": "acts in replay only (and when branching from history after 1922-12): "
        "free mode never applied this decision",
    }


def test_a_reworded_event_is_shown_without_a_mode(small_scenario):
    """Words change no run: a reworded decision is not an intervention and acts nowhere."""
    words = {"description": "Told otherwise.", "label": "Purge"}
    reworded = apply_changes(
        small_scenario, [{"modify_event": {"id": "purge-leningrad", "set": words}}], "test"
    )
    lines = format_differences(diff_scenarios(small_scenario, reworded), "a", "b").splitlines()
    assert lines[1:] == [
        "events changed",
        "  purge-leningrad.description: Leningrad purged. -> Told otherwise.",
        "  purge-leningrad.label: (unset) -> Purge",
    ]


@pytest.mark.parametrize(
    ("free_from", "modes"),
    [
        ("1923-01", "acts: this run replays history before 1923-01"),
        (
            "1922-10",
            "acts in no mode: the leaders decide from 1922-10, so this decision was never applied",
        ),
    ],
)
def test_a_dropped_decision_in_a_branch_from_history(small_scenario, free_from, modes):
    changes = [{"drop_event": "purge-leningrad"}, {"set": {"free_from": free_from}}]
    branched = apply_changes(small_scenario, changes, "test")
    dropped = [d for d in diff_scenarios(small_scenario, branched) if d.section == "events"]
    assert [d.modes for d in dropped] == [modes]


def test_long_text_is_cut_short():
    long = Difference("scenario", "changed", "description", "", "word " * 40, "short")
    line = format_differences([long], "a", "b").splitlines()[-1]
    assert line.startswith("  description: word word") and "... -> short" in line
    assert len(line) < 100


def test_the_diff_command_prints_the_differences(tmp_path, capsys):
    base = tmp_path / "small.yaml"
    base.write_text(SMALL_SCENARIO)
    overlay = tmp_path / "variant.yaml"
    overlay.write_text(
        "extends: small.yaml\nname: variant\nsource: test citation\n"
        "changes:\n  - move_event: {id: trotsky-out, date: 1923-03}\n"
    )
    assert main(["diff", str(base), str(overlay)]) == 0
    output = capsys.readouterr().out
    assert "events moved\n  trotsky-out: 1923-02 -> 1923-03" in output
    assert "name: small -> variant" in output


def test_the_diff_command_reports_bad_files_and_exits_2(tmp_path, capsys):
    base = tmp_path / "small.yaml"
    base.write_text(SMALL_SCENARIO)
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: small.yaml\nname: bad\nsource: test\nchanges:\n  - drop_event: x\n")
    assert main(["diff", str(bad), str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:5: changes[0].drop_event: unknown event 'x'" in err
    assert "missing.yaml: no such scenario file" in err
    assert err.endswith("interregnum: 2 problems; nothing was run.\n")  # as every command ends
