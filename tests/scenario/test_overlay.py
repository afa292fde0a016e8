"""Counterfactual overlays and the command-line changes: each change does what it says, and
every bad change is refused with the file, the field path and the line to correct."""

import json
import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.scenario import ScenarioError, load_scenario
from simulation.scenario.overlay import apply_changes

HEADER = """\
extends: base.yaml
name: variant
description: A test variant.
source: test citation
changes:
"""
FIRST_CHANGE_LINE = HEADER.count("\n") + 1


@pytest.fixture
def base_file(tmp_path):
    path = tmp_path / "base.yaml"
    path.write_text(SMALL_SCENARIO)
    return path


def write_overlay(directory, changes: str, name: str = "overlay.yaml", header: str = HEADER):
    path = directory / name
    path.write_text(header + changes)
    return path


def load_overlay(directory, changes: str):
    return load_scenario(write_overlay(directory, changes))


def event_ids(scenario) -> list[str]:
    return [event.id for event in scenario.events]


def event(scenario, event_id: str):
    return next(item for item in scenario.events if item.id == event_id)


def base_line(fragment: str) -> int:
    return next(n for n, line in enumerate(SMALL_SCENARIO.splitlines(), 1) if fragment in line)


# --- each kind of change ----------------------------------------------------------------


def test_drop_event_removes_it(base_file, tmp_path):
    scenario = load_overlay(tmp_path, "  - drop_event: lenin-death\n")
    assert "lenin-death" not in event_ids(scenario)
    assert len(scenario.events) == len(load_scenario(base_file).events) - 1


def test_move_event_changes_its_date_and_puts_it_after_that_months_events(base_file, tmp_path):
    scenario = load_overlay(tmp_path, "  - move_event: {id: lenin-stroke, date: 1922-09}\n")
    assert str(event(scenario, "lenin-stroke").date) == "1922-09"
    september = [item.id for item in scenario.events if str(item.date) == "1922-09"]
    assert september == ["conference", "condemn", "lenin-stroke"]


def test_add_event_inserts_a_full_event_in_date_order(base_file, tmp_path):
    scenario = load_overlay(
        tmp_path,
        "  - add_event: {id: stalin-out, date: 1922-09, type: removal, kind: decision,\n"
        "      who: stalin, post: general_secretary, arena: conference, by: [trotsky],\n"
        "      description: Stalin removed., source: test}\n",
    )
    added = event(scenario, "stalin-out")
    assert added.type == "removal" and added.by == ["trotsky"]
    ids = event_ids(scenario)
    assert ids.index("condemn") + 1 == ids.index("stalin-out") < ids.index("purge-leningrad")


def test_modify_event_sets_fields_and_null_restores_the_default(base_file, tmp_path):
    scenario = load_overlay(
        tmp_path,
        "  - modify_event: {id: condemn, set: {influence.trotsky: -0.3, label: null,\n"
        "      passed: false}}\n",
    )
    condemn = event(scenario, "condemn")
    assert condemn.influence == {"trotsky": -0.3}
    assert condemn.label is None and condemn.passed is False
    assert condemn.description == "Trotsky condemned."


def test_set_reaches_parameters_leaders_posts_organisations_factions_and_the_period(
    base_file, tmp_path
):
    scenario = load_overlay(
        tmp_path,
        "  - set:\n"
        "      parameters.discipline: 0.3\n"
        "      leaders.trotsky.health: 0.5\n"
        "      leaders.trotsky.stance.economic: -0.9\n"
        "      leaders.stalin.posts: [politburo, general_secretary]\n"
        "      posts.politburo.prestige: 0.3\n"
        "      organisations.leningrad.loyalty: {zinoviev: 0.2, stalin: 0.4}\n"
        "      factions.troika.members: [stalin, zinoviev, trotsky]\n"
        "      end: 1923-02\n"
        "  - drop_event: trotsky-out\n",
    )
    trotsky = next(leader for leader in scenario.leaders if leader.id == "trotsky")
    stalin = next(leader for leader in scenario.leaders if leader.id == "stalin")
    leningrad = next(org for org in scenario.organisations if org.id == "leningrad")
    assert scenario.parameters.discipline == 0.3
    assert trotsky.health == 0.5 and trotsky.stance.economic == -0.9
    assert trotsky.stance.regime == -0.8
    assert stalin.posts == ["politburo", "general_secretary"]
    assert scenario.posts["politburo"].prestige == 0.3
    assert leningrad.loyalty == {"zinoviev": 0.2, "stalin": 0.4}
    assert scenario.factions[0].members == ["stalin", "zinoviev", "trotsky"]
    assert str(scenario.end) == "1923-02"


def test_the_overlay_names_the_result_and_keeps_its_citation(base_file, tmp_path):
    scenario = load_overlay(tmp_path, "  - drop_event: lenin-death\n")
    assert scenario.name == "variant"
    assert scenario.description == "A test variant.\nSource: test citation"


def test_an_overlay_without_changes_is_the_base_renamed(base_file, tmp_path):
    scenario = load_overlay(tmp_path, "  []\n")
    assert scenario.events == load_scenario(base_file).events


def test_overlays_of_overlays_resolve_in_order(base_file, tmp_path):
    write_overlay(tmp_path, "  - drop_event: lenin-death\n", name="first.yaml")
    (tmp_path / "more").mkdir()
    second = write_overlay(
        tmp_path / "more",
        "  - move_event: {id: trotsky-out, date: 1923-03}\n  - set: {parameters.discipline: 0.4}\n",
        name="second.yaml",
        header=HEADER.replace("base.yaml", "../first.yaml").replace("variant", "second"),
    )
    scenario = load_scenario(second)
    assert scenario.name == "second"
    assert "lenin-death" not in event_ids(scenario)
    assert str(event(scenario, "trotsky-out").date) == "1923-03"
    assert scenario.parameters.discipline == 0.4


def test_a_later_overlay_can_change_what_an_earlier_one_added(base_file, tmp_path):
    write_overlay(
        tmp_path,
        "  - add_event: {id: extra, date: 1922-10, type: polemic, kind: decision,\n"
        "      who: trotsky, target: stalin, description: An attack., source: test}\n",
        name="first.yaml",
    )
    second = write_overlay(
        tmp_path,
        "  - modify_event: {id: extra, set: {influence: {stalin: -0.05}}}\n",
        name="second.yaml",
        header=HEADER.replace("base.yaml", "first.yaml"),
    )
    assert event(load_scenario(second), "extra").influence == {"stalin": -0.05}


def test_the_base_keeps_its_parameters_file(tmp_path):
    (tmp_path / "fitted.yaml").write_text("parameters: {discipline: 0.7, balancing: 0.2}\n")
    (tmp_path / "base.yaml").write_text(
        SMALL_SCENARIO.replace("name: small\n", "name: small\nparameters_from: fitted.yaml\n")
    )
    scenario = load_overlay(tmp_path, "  - set: {parameters.balancing: 0.9}\n")
    assert scenario.parameters.discipline == 0.7
    assert scenario.parameters.balancing == 0.9


# --- bad changes ------------------------------------------------------------------------


BAD_CHANGES = [
    (
        "drop_event: lenin-dies",
        r"changes\[0\]\.drop_event: unknown event 'lenin-dies' \(did you mean 'lenin-death'",
    ),
    ("drop_event: [lenin-death]", r"changes\[0\]\.drop_event: expected an event id"),
    (
        "move_event: {id: lenin-dies, date: 1922-09}",
        r"changes\[0\]\.move_event\.id: unknown event 'lenin-dies'",
    ),
    (
        "move_event: {id: lenin-death, date: 1924-01}",
        r"changes\[0\]\.move_event\.date: 1924-01 is outside the period 1922-04 to 1923-03",
    ),
    (
        "move_event: {id: lenin-death, date: 1923-01-21}",
        r"changes\[0\]\.move_event\.date: expected a month as YYYY-MM, got the full date",
    ),
    ("move_event: {id: lenin-death}", r"changes\[0\]\.move_event\.date: required field"),
    (
        "move_event: {id: lenin-death, date: 1922-09, when: soon}",
        r"changes\[0\]\.move_event\.when: unknown field \(expected one of: id, date\)",
    ),
    (
        "add_event: {id: extra, date: 1922-10, type: polemic, kind: decision, who: stalinn,"
        " description: x, source: test}",
        r"changes\[0\]\.add_event\.who\[0\]: unknown leader 'stalinn'",
    ),
    (
        "add_event: {id: lenin-death, date: 1922-10, type: death, kind: exogenous, who: lenin,"
        " description: x, source: test}",
        r"changes\[0\]\.add_event\.id: an event 'lenin-death' already exists",
    ),
    (
        "add_event: {id: extra, date: 1922-10, type: polemic, kind: decision, source: test}",
        r"changes\[0\]\.add_event\.description: required field is missing",
    ),
    ("add_event: lenin-death", r"changes\[0\]\.add_event: expected a full event"),
    (
        "modify_event: {id: condemn, set: {colour: red}}",
        r"changes\[0\]\.modify_event\.set\.colour: unknown field 'colour' \(expected one of: id,",
    ),
    (
        "modify_event: {id: condemn, set: {date: 1922-10}}",
        r"changes\[0\]\.modify_event\.set\.date: use move_event to change an event's date",
    ),
    (  # a hand-written false was made true without a word
        "modify_event: {id: condemn, set: {intervention: false}}",
        r"changes\[0\]\.modify_event\.set\.intervention: set by the change itself, not by hand",
    ),
    (
        "add_event: {id: extra, date: 1922-10, type: polemic, kind: decision, who: stalin,"
        " intervention: false, description: x, source: test}",
        r"changes\[0\]\.add_event\.intervention: set by the change itself, not by hand",
    ),
    (
        "modify_event: {id: lenin-stroke, set: {health: 2}}",
        r"changes\[0\]\.modify_event\.set\.health: Input should be less than or equal to 1",
    ),
    (
        "modify_event: {id: condemn, set: {target: [trotzky]}}",
        r"changes\[0\]\.modify_event\.set\.target\[0\]: unknown leader 'trotzky'",
    ),
    ("modify_event: {id: condemn, set: {}}", r"changes\[0\]\.modify_event\.set: expected a"),
    (
        "set: {leaders.trotzky.health: 1.0}",
        r"changes\[0\]\.set\.leaders\.trotzky\.health: unknown leader 'trotzky' \(did you mean",
    ),
    (
        "set: {posts.premier.prestige: 0.5}",
        r"changes\[0\]\.set\.posts\.premier\.prestige: unknown post 'premier'",
    ),
    (
        "set: {organisations.kiev.protection: 0.5}",
        r"changes\[0\]\.set\.organisations\.kiev\.protection: unknown organisation 'kiev'",
    ),
    (
        "set: {leaders.trotsky.charisma: 1.0}",
        r"changes\[0\]\.set\.leaders\.trotsky\.charisma: unknown field 'charisma'",
    ),
    (
        "set: {leaders.trotsky.stance.left: 1.0}",
        r"changes\[0\]\.set\.leaders\.trotsky\.stance\.left: unknown field 'stance\.left' "
        r"\(expected one of: economic, regime\)",
    ),
    (
        "set: {leaders.trotsky.health.level: 1.0}",
        r"changes\[0\]\.set\.leaders\.trotsky\.health\.level: Input should be a valid number",
    ),
    (
        "set: {leaders.lenin.health.level: 1.0}",
        r"changes\[0\]\.set\.leaders\.lenin\.health\.level: health holds a value, not fields",
    ),
    (
        "set: {parameters.disciplin: 0.5}",
        r"changes\[0\]\.set\.parameters\.disciplin: unknown field 'disciplin'",
    ),
    ("set: {budget.total: 5}", r"changes\[0\]\.set\.budget\.total: unknown path 'budget\.total'"),
    ("set: {leaders.trotsky: {}}", r"changes\[0\]\.set\.leaders\.trotsky: unknown path"),
    ("set: {leaders.trotsky.id: lev}", r"changes\[0\]\.set\.leaders\.trotsky\.id: a leader's id"),
    (
        "set: {leaders.trotsky.health: 2}",
        r"changes\[0\]\.set\.leaders\.trotsky\.health: Input should be less than or equal to 1,"
        r" got 2",
    ),
    (
        "set: {leaders.stalin.posts: [general_secretariat]}",
        r"changes\[0\]\.set\.leaders\.stalin\.posts\[0\]: unknown post 'general_secretariat'",
    ),
    ("set: {end: 1921-01}", r"changes\[0\]\.set\.end: must be after start 1922-04, got 1921-01"),
    # a period of one month is no period either (the check was "before", not "not after")
    ("set: {end: 1922-04}", r"changes\[0\]\.set\.end: must be after start 1922-04, got 1922-04"),
    ("set: {}", r"changes\[0\]\.set: expected a mapping of PATH: VALUE pairs"),
    (
        "remove_event: lenin-death",
        r"changes\[0\]\.remove_event: unknown change \(did you mean 'move_event' or 'drop_event'",
    ),
    ("5", r"changes\[0\]: expected exactly one of: drop_event, move_event, add_event, "),
    ("", r"changes\[0\]: expected exactly one of: drop_event, move_event, add_event, "),
    (
        "{drop_event: lenin-death, set: {parameters.discipline: 0.5}}",
        r"changes\[0\]: expected exactly one of: .* \(drop_event and set: write each as its own",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_CHANGES)
def test_a_bad_change_is_refused_at_its_file_line_and_path(base_file, tmp_path, change, message):
    path = write_overlay(tmp_path, f"  - {change}\n")
    with pytest.raises(
        ScenarioError, match=f"{re.escape(str(path))}:{FIRST_CHANGE_LINE}: {message}"
    ):
        load_scenario(path)


def test_every_bad_change_is_reported_at_once(base_file, tmp_path):
    path = write_overlay(
        tmp_path,
        "  - drop_event: nothing\n"
        "  - set: {leaders.nobody.health: 1}\n"
        "  - drop_event: lenin-death\n"
        "  - move_event: {id: nothing, date: 1922-05}\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = [problem.split(":")[1] for problem in caught.value.problems]
    assert lines == [str(FIRST_CHANGE_LINE), str(FIRST_CHANGE_LINE + 1), str(FIRST_CHANGE_LINE + 3)]


def test_problems_found_in_different_passes_are_listed_from_the_top(base_file, tmp_path):
    """A reference (found first, applying the changes) below a bad field is listed after it."""
    path = write_overlay(
        tmp_path,
        "  - set: {leaders.stalin.influence: 2.0}\n"  # a field: found validating the result
        "  - drop_event: nothing\n",  # a reference: found applying the changes
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = [problem.split(":")[1] for problem in caught.value.problems]
    assert lines == [str(FIRST_CHANGE_LINE), str(FIRST_CHANGE_LINE + 1)]


def test_a_problem_a_change_causes_in_the_base_names_the_base_line(base_file, tmp_path):
    path = write_overlay(tmp_path, "  - drop_event: conference\n")
    expected = (
        f"{re.escape(str(base_file))}:{base_line('target: trotsky, arena: conference')}: "
        "events\\[7\\]\\.arena: "
        f"no conference sits in 1922-09; .* \\(after the changes in {re.escape(str(path))}\\)"
    )
    with pytest.raises(ScenarioError, match=expected):
        load_scenario(path)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace("name: variant\n", ""), r"overlay\.yaml:1: name: required field"),
        (HEADER.replace("source: test citation", "source: x"), r":4: source: expected a text"),
        (HEADER + "  - drop_event: lenin-death\ncolour: red\n", r":7: colour: unknown field"),
        (HEADER.replace("changes:\n", "changes: none\n"), r":5: changes: expected a list"),
        (
            HEADER.replace("base.yaml", "missing.yaml"),
            r"overlay\.yaml:1: extends: .*missing\.yaml: no such scenario file",
        ),
        (HEADER.replace("base.yaml", "[base.yaml]"), r":1: extends: expected a text"),
    ],
)
def test_a_bad_overlay_header_is_refused(base_file, tmp_path, header, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write_overlay(tmp_path, "", header=header))


def test_a_mistyped_base_is_pointed_out_as_the_line_to_write(base_file, tmp_path):
    """A slip in a folder or a file name names the file meant, relative to the overlay."""
    (tmp_path / "scenarios").mkdir()
    base_file.rename(tmp_path / "scenarios" / "base_1922.yaml")
    overlays = tmp_path / "overlays"
    overlays.mkdir()
    path = write_overlay(
        overlays, "", header=HEADER.replace("base.yaml", "../scenario/base-1922.yaml")
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert error.value.problems == [
        f"{path}:1: extends: {tmp_path}/scenario/base-1922.yaml: no such scenario file "
        "(did you mean extends: ../scenarios/base_1922.yaml?)"
    ]
    far_off = write_overlay(
        overlays, "", header=HEADER.replace("base.yaml", "../nothing/alike.yaml")
    )
    with pytest.raises(ScenarioError, match=r"alike\.yaml: no such scenario file$"):
        load_scenario(far_off)


def test_a_cycle_of_overlays_is_refused(tmp_path):
    first = write_overlay(tmp_path, "  []\n", "first.yaml", HEADER.replace("base", "second"))
    write_overlay(tmp_path, "  []\n", "second.yaml", HEADER.replace("base", "first"))
    with pytest.raises(
        ScenarioError,
        match=r"second\.yaml:1: extends: overlays extend in a cycle: "
        r".*first\.yaml extends .*second\.yaml extends .*first\.yaml",
    ):
        load_scenario(first)


def test_an_overlay_extending_itself_is_refused(tmp_path):
    path = write_overlay(tmp_path, "  []\n", "self.yaml", HEADER.replace("base", "self"))
    with pytest.raises(ScenarioError, match=r"self\.yaml:1: extends: overlays extend in a cycle"):
        load_scenario(path)


# --- changes to a loaded scenario -------------------------------------------------------


def test_apply_changes_leaves_the_base_alone(small_scenario):
    changed = apply_changes(
        small_scenario,
        [{"drop_event": "lenin-death"}, {"set": {"parameters.discipline": 0.2}}],
        "variant 1",
    )
    assert "lenin-death" not in event_ids(changed) and changed.parameters.discipline == 0.2
    assert "lenin-death" in event_ids(small_scenario)
    assert small_scenario.parameters.discipline == 0.6


def test_a_change_naming_an_event_dropped_before_says_so(small_scenario):
    move = {"move_event": {"id": "lenin-death", "date": "1922-09"}}
    with pytest.raises(ScenarioError) as caught:
        apply_changes(small_scenario, [{"drop_event": "lenin-death"}, move], "variant 1")
    assert caught.value.problems == [
        "variant 1: changes[1].move_event.id: event 'lenin-death' was dropped by an earlier "
        "change (variant 1: changes[0].drop_event)"
    ]


def test_apply_changes_names_the_change_by_its_origin(small_scenario):
    with pytest.raises(
        ScenarioError, match=r"^variant 1: changes\[1\]\.move_event\.id: unknown event 'x'$"
    ):
        apply_changes(
            small_scenario,
            [{"drop_event": "lenin-death"}, {"move_event": {"id": "x", "date": "1922-09"}}],
            "variant 1",
        )


def test_apply_changes_names_each_change_by_its_own_label(small_scenario):
    with pytest.raises(
        ScenarioError, match=r"^--set leaders\.trotsky\.health=3: Input should be less"
    ):
        apply_changes(
            small_scenario,
            [{"drop_event": "lenin-death"}, {"set": {"leaders.trotsky.health": 3}}],
            ["--drop-event lenin-death", "--set leaders.trotsky.health=3"],
        )


def test_a_problem_in_the_loaded_base_names_the_event(small_scenario):
    with pytest.raises(
        ScenarioError,
        match=r"^scenario 'small': events\[7\]\.arena: no conference sits in 1922-09; .*"
        r"\(event 'condemn'\) \(after the changes in --drop-event conference\)$",
    ):
        apply_changes(small_scenario, [{"drop_event": "conference"}], ["--drop-event conference"])


# --- the command line -------------------------------------------------------------------


def run_small(base_file, out, *flags):
    return main(["run", str(base_file), "--seed", "3", "--out", str(out), "--no-plot", *flags])


def test_cli_flags_change_the_run_and_are_recorded_in_the_manifest(base_file, tmp_path):
    flags = [
        "--set",
        "parameters.discipline=0.3",
        "--set",
        "leaders.trotsky.health=0.5",
        "--drop-event",
        "lenin-death",
        "--move-event",
        "trotsky-out=1923-03",
    ]
    assert run_small(base_file, tmp_path / "plain") == 0
    assert run_small(base_file, tmp_path / "changed", *flags) == 0
    manifest = json.loads((tmp_path / "changed" / "manifest.json").read_text())
    assert manifest["overrides"] == [
        "--set parameters.discipline=0.3",
        "--set leaders.trotsky.health=0.5",
        "--drop-event lenin-death",
        "--move-event trotsky-out=1923-03",
    ]
    plain = json.loads((tmp_path / "plain" / "manifest.json").read_text())
    assert plain["overrides"] == [] and plain["scenario_sha256"] != manifest["scenario_sha256"]
    events = pd.read_csv(tmp_path / "changed" / "events.csv")
    assert "lenin-death" not in set(events["event_id"])
    assert events.loc[events["event_id"] == "trotsky-out", "date"].tolist() == ["1923-03"]
    trajectories = pd.read_csv(tmp_path / "changed" / "trajectories.csv")
    first = trajectories[
        (trajectories["date"] == "1922-04") & (trajectories["leader"] == "trotsky")
    ]
    assert first["health"].tolist() == [0.5]
    assert not trajectories.equals(pd.read_csv(tmp_path / "plain" / "trajectories.csv"))


def test_cli_flags_apply_on_top_of_an_overlay(base_file, tmp_path):
    overlay = write_overlay(tmp_path, "  - drop_event: lenin-death\n")
    out = tmp_path / "out"
    flags = ["--set", "name=variant-b", "--drop-event", "trotsky-out"]
    assert main(["run", str(overlay), "--out", str(out), "--no-plot", *flags]) == 0
    events = set(pd.read_csv(out / "events.csv")["event_id"])
    assert not {"lenin-death", "trotsky-out"} & events
    assert json.loads((out / "manifest.json").read_text())["scenario"] == "variant-b"


def test_a_problem_a_flag_makes_in_the_file_is_told_at_the_files_line(base_file, tmp_path, capsys):
    # Dropping the conference leaves the condemnation voted there without a sitting: the
    # problem is in the file, at the line of the condemnation's arena, caused by the flag.
    assert run_small(base_file, tmp_path / "out", "--drop-event", "conference") == 2
    line = 1 + SMALL_SCENARIO[: SMALL_SCENARIO.index("arena: conference")].count("\n")
    (problem, closing) = capsys.readouterr().err.splitlines()
    assert problem.startswith(f"{base_file}:{line}: events[7].arena: no conference sits")
    assert problem.endswith("(after the changes in --drop-event conference)")
    assert closing == "interregnum: 1 problem; nothing was run."


def test_a_period_cut_short_is_one_problem_not_one_an_event(base_file, tmp_path, capsys):
    assert run_small(base_file, tmp_path / "out", "--set", "end=1922-06") == 2
    (problem, _) = capsys.readouterr().err.splitlines()
    assert problem.startswith("--set end=1922-06: 7 events fall after the end")
    assert " events fall after the end of the period 1922-04 to 1922-06, from " in problem


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--set", "parameters.discipline"],
            "--set expects PATH=VALUE, got 'parameters.discipline'",
        ),
        (["--set", "=0.5"], "--set expects PATH=VALUE, got '=0.5'"),
        (["--set", "parameters.discipline=[0.5"], "the value is not valid YAML"),
        (["--move-event", "trotsky-out"], "--move-event expects ID=YYYY-MM, got 'trotsky-out'"),
        (
            ["--drop-event", "lenin-dies"],
            "--drop-event lenin-dies: unknown event 'lenin-dies' (did you mean 'lenin-death'",
        ),
        (
            ["--move-event", "trotsky-out=1925-01"],
            "--move-event trotsky-out=1925-01: 1925-01 is outside the period",
        ),
        (["--set", "leaders.trotzky.health=1"], "unknown leader 'trotzky'"),
    ],
)
def test_a_bad_flag_runs_nothing_and_exits_2(base_file, tmp_path, capsys, flags, message):
    out = tmp_path / "out"
    assert run_small(base_file, out, *flags) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_flag_shows_no_traceback(base_file):
    completed = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "run", str(base_file), "--drop-event", "nothing"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "unknown event 'nothing'" in completed.stderr


def test_as_many_events_moved_out_of_the_period_as_are_listed_are_each_named(small_scenario):
    """Three mistyped dates are three problems; a shortened period would be one line."""
    moves = [
        {"move_event": {"id": event, "date": "1923-09"}}
        for event in ("enrolment", "conference", "lenin-death")
    ]
    with pytest.raises(ScenarioError) as error:
        apply_changes(small_scenario, moves, "flags")
    outside = [problem for problem in error.value.problems if "outside the period" in problem]
    assert len(outside) == 3
    assert not any("events fall after the end" in problem for problem in error.value.problems)
