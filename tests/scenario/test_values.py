"""Every number in a scenario has a finite range and a strict type; a name is a safe slug.

A value that validates must be one the model can run without corrupting a
result: infinite recruitment weights once gave votes of -9223372036854775808.
"""

import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.cli.scenario_args import change_from_flag
from simulation.scenario import ScenarioError, apply_changes, parse_scenario


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bad.yaml")
    return caught.value.problems


def mutate(old: str, new: str) -> str:
    assert old in SMALL_SCENARIO
    return SMALL_SCENARIO.replace(old, new, 1)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("true", "leaders[1].influence: Input should be a valid number, got True"),
        ("'0.5'", "leaders[1].influence: Input should be a valid number, got '0.5'"),
        (".nan", "leaders[1].influence: Input should be a finite number"),
        (".inf", "leaders[1].influence: Input should be a finite number"),
    ],
)
def test_a_share_must_be_a_finite_number(written, message):
    text = mutate("influence: 0.5, apparatus: 0.2", f"influence: {written}, apparatus: 0.2")
    (problem,) = problems_of(text)
    assert message in problem


@pytest.mark.parametrize(("written", "read"), [("5e-1", 0.5), ("2.5E-1", 0.25), ("1e-3", 0.001)])
def test_a_number_with_an_exponent_is_a_number(written, read):
    """YAML 1.1 would read 5e-1 as text, and the scenario would refuse it as not a number."""
    text = mutate("influence: 0.5, apparatus: 0.2", f"influence: {written}, apparatus: 0.2")
    scenario = parse_scenario(text, "exponent.yaml")
    assert scenario.leaders[1].influence == read
    change = change_from_flag("--set", f"leaders.lenin.influence={written}")
    assert apply_changes(scenario, [change], "--set").leaders[0].influence == read


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "recruitment_weight: 1.6",
            "recruitment_weight: .inf",
            "organisations[0].recruitment_weight: Input should be a finite number",
        ),
        (
            "recruitment_weight: 1.6",
            "recruitment_weight: 1000",
            "organisations[0].recruitment_weight: Input should be less than or equal to 100",
        ),
        (
            "delegates: 500",
            "delegates: 100000000000000000000000",
            "events[0].delegates: Input should be less than or equal to 100000",
        ),
        (
            "members: 200000",
            "members: 1000000000000",
            "organisations[2].members: Input should be less than or equal to 100000000",
        ),
        ("members: 200000", "members: 2.0e5", "organisations[2].members: Input should be a valid"),
        (
            "members_per_month: 10000",
            "members_per_month: '10000'",
            "events[5].members_per_month: Input should be a valid integer",
        ),
        ("months: 3", "months: 0", "events[4].months: Input should be greater than or equal to 1"),
        ("health: 0.3", "health: -0.1", "events[4].health: Input should be greater than or equal"),
        (
            "label: Condemned,",
            "passed: 'yes',",
            "events[7].passed: Input should be a valid boolean",
        ),
        ("unique: false", "unique: 0", "posts.politburo.unique: Input should be a valid boolean"),
        ("id: troika,", f"id: {'t' * 65},", "factions[0].id: String should have at most 64"),
    ],
)
def test_counts_weights_and_flags_are_bounded_and_strict(old, new, message):
    problems = problems_of(mutate(old, new))
    assert any(message in problem for problem in problems), problems


def test_a_period_of_centuries_is_refused():
    (problem,) = problems_of(mutate("end: 1923-03", "end: 2923-03"))
    assert "end: the period 1922-04 to 2923-03 is longer than 600 months" in problem


def test_a_party_without_members_is_refused():
    text = SMALL_SCENARIO.replace("members: 50000", "members: 0").replace(
        "members: 200000", "members: 0"
    )
    (problem,) = problems_of(text)
    assert "organisations: no organisation has members" in problem


def test_an_infinite_weight_given_on_the_command_line_is_refused(small_scenario):
    flag = "--set organisations.leningrad.recruitment_weight=.inf"
    change = {"set": {"organisations.leningrad.recruitment_weight": float("inf")}}
    with pytest.raises(ScenarioError, match=r"Input should be a finite number"):
        apply_changes(small_scenario, [change], [flag])


@pytest.mark.parametrize(
    "name",
    ["../../escaped", "/tmp/anywhere", ".hidden", "a..b", "x" * 101]
    + ["nul", "Con.v2", "lpt1", "v2."],  # no folder on Windows
)
def test_a_scenario_name_that_is_not_a_slug_is_refused(name):
    (problem,) = problems_of(mutate("name: small", f"name: '{name}'"))
    assert problem.startswith("bad.yaml:1: name: expected a name of at most 100 letters")


@pytest.mark.parametrize("name", ["baseline-1922", "lenin_recovers.v2", "1923", "console", "com10"])
def test_a_slug_name_is_accepted(name):
    assert parse_scenario(mutate("name: small", f"name: '{name}'")).name == name


def test_a_name_that_escapes_the_outputs_folder_is_refused_with_exit_2(
    tmp_path, monkeypatch, capsys
):
    base = tmp_path / "scenario" / "base.yaml"
    base.parent.mkdir()
    base.write_text(SMALL_SCENARIO)
    monkeypatch.chdir(base.parent)
    status = main(["run", str(base), "--no-plot", "--set", "name=../../escaped_run"])
    assert status == 2
    assert "--set name=../../escaped_run: expected a name" in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["base.yaml", "scenario"]
