"""The patterns file: validation with file, line and field, and what calibration may read."""

from pathlib import Path

import pytest
from conftest import ROOT

from calibration.fit import Calibration, Settings
from calibration.patterns import Level, Role, fitted, load_patterns
from simulation.calendar import Month
from simulation.scenario import ScenarioError

PATTERNS = ROOT / "calibration" / "patterns.yaml"


def test_the_patterns_file_covers_every_level_and_both_roles(baseline):
    patterns = load_patterns(PATTERNS, baseline).patterns
    assert {pattern.level for pattern in patterns} == set(Level)
    for level in Level:
        roles = {pattern.role for pattern in patterns if pattern.level is level}
        # One position so far, Trotsky's turn of 1923, which the hold-out fit may see.
        assert roles == ({Role.FIT} if level is Level.POSITIONS else set(Role)), level
    assert all(pattern.source for pattern in patterns)
    late = {p.id for p in patterns if p.date > Month(1924, 12)}
    early_fit = {p.id for p in fitted(patterns, Month(1924, 12))}
    assert late and early_fit and early_fit.isdisjoint(late)


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (
            "  - {id: x, kind: holds, leader: bronstein, post: war_commissar,\n"
            "     date: 1924-01, role: fit, source: test}\n",
            2,
            "patterns[0].leader: unknown leader 'bronstein' (expected one of:",
        ),
        (
            "  - id: x\n    kind: faction\n    faction: troika\n    date: 1924-01\n"
            "    role: fit\n    tolerance: -2\n    source: test\n",
            7,
            "patterns[0].tolerance: Input should be greater than or equal to 0",
        ),
        (
            "  - {id: x, kind: alignment, leaders: [stalin, stalin], date: 1924-01,\n"
            "     role: fit, sign: close, source: test}\n",
            2,
            "patterns[0]: an alignment needs two different leaders",
        ),
        (
            "  - {id: x, kind: holds, leader: stalin, post: general_secretary,\n"
            "     date: 1930-01, role: fit, source: test}\n",
            3,
            "patterns[0].date: 1930-01 is outside the scenario (1922-04 to 1926-12)",
        ),
        (
            "  - {id: x, kind: guesses, date: 1924-01, role: fit, source: test}\n",
            2,
            "patterns[0].kind: Input tag 'guesses' found using 'kind' does not match",
        ),
        (
            "  - {id: x, kind: position, leader: trotsky, axis: military, below: 0.0,\n"
            "     date: 1923-10, role: fit, source: test}\n",
            2,
            "patterns[0].axis: Input should be 'economic' or 'regime'",
        ),
        (
            "  - id: x\n    kind: position\n    leader: trotsky\n    axis: regime\n"
            "    below: 1.5\n    date: 1923-10\n    role: fit\n    source: test\n",
            6,
            "patterns[0].below: Input should be less than or equal to 1, got 1.5",
        ),
        (
            "  - {id: x, kind: holds, leader: stalinn, post: war_commissar,\n"
            "     date: 1924-01, role: fit, source: test}\n",
            2,
            "patterns[0].leader: unknown leader 'stalinn' (did you mean 'stalin' or 'kalinin'?)",
        ),
        (
            "  - {id: x, kind: position, leader: trotsky, axis: regime, below: 0.0,\n"
            "     above: -0.5, date: 1923-10, role: fit, source: test}\n",
            2,
            "patterns[0]: a position needs exactly one of below and above, got both",
        ),
        (
            "  - {id: x, kind: position, leader: trotsky, axis: regime, date: 1923-10,\n"
            "     role: fit, source: test}\n",
            2,
            "patterns[0]: a position needs exactly one of below and above, got neither",
        ),
        (
            "  - {id: x, kind: position, leader: bronstein, axis: regime, above: 0.0,\n"
            "     date: 1923-10, role: fit, source: test}\n",
            2,
            "patterns[0].leader: unknown leader 'bronstein' (expected one of:",
        ),
        (
            "  - {id: x, kind: holds, leader: stalin, post: general_secretary,\n"
            "     date: 1923-01, role: fit, source: test}\n"
            "  - {id: x, kind: holds, leader: stalin, post: general_secretary,\n"
            "     date: 1924-01, role: fit, source: test}\n",
            4,
            "patterns[1].id: 'x' is also the id of patterns[0]",
        ),
    ],
)
def test_bad_patterns_are_refused_with_file_line_and_field(
    tmp_path, baseline, entry, line, message
):
    bad = tmp_path / "patterns.yaml"
    bad.write_text("patterns:\n" + entry)
    with pytest.raises(ScenarioError) as caught:
        load_patterns(bad, baseline)
    problems = caught.value.problems
    assert any(p.startswith(f"{bad}:{line}: ") and message in p for p in problems), problems
    assert len(problems) == 1, problems  # one problem, one message


def test_the_problems_of_a_patterns_file_are_listed_from_its_top(tmp_path, baseline):
    bad = tmp_path / "patterns.yaml"
    bad.write_text(
        "patterns:\n"
        "  - {id: x, kind: holds, leader: bronstein, post: general_secretary,\n"
        "     date: 1930-01, role: fit, source: test}\n"  # the date is checked first
    )
    with pytest.raises(ScenarioError) as caught:
        load_patterns(bad, baseline)
    assert [problem.split(":")[1] for problem in caught.value.problems] == ["2", "3"]


def test_a_position_reads_one_axis_of_one_leader(baseline):
    patterns = load_patterns(PATTERNS, baseline).patterns
    (turn,) = [p for p in patterns if p.id == "trotsky-turns-to-party-democracy-1923"]
    assert turn.level is Level.POSITIONS and turn.role is Role.FIT
    assert (turn.leader, turn.axis, turn.below, turn.above) == ("trotsky", "regime", 0.0, None)
    assert turn in fitted(patterns, Month(1924, 12))  # the hold-out fit sees it


def test_a_missing_patterns_file_is_named(tmp_path, baseline):
    with pytest.raises(ScenarioError, match="no such patterns file$"):
        load_patterns(tmp_path / "absent.yaml", baseline)


def test_a_missing_relative_patterns_file_says_where_it_was_looked_for(
    tmp_path, baseline, monkeypatch
):
    """The commands' default, calibration/patterns.yaml, is read from the working directory."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as error:
        load_patterns(Path("calibration/patterns.yaml"), baseline)
    assert error.value.problems == [
        f"calibration/patterns.yaml: no such patterns file under {tmp_path}"
    ]


def test_a_hold_out_pattern_is_never_read_by_calibration(tmp_path, baseline):
    """Removing every hold-out pattern leaves the fit identical."""
    patterns = load_patterns(PATTERNS, baseline).patterns
    without = [p for p in patterns if p.role is Role.FIT]
    assert len(without) < len(patterns)
    settings = Settings(population=6, generations=2, runs_per_particle=2, workers=1, seed=3)
    priors = {"removal_threshold": (0.25, 0.6), "hostility": (0.1, 0.5)}
    fits = [
        Calibration(baseline, chosen, settings, priors).fit(tmp_path / f"{name}.db")
        for name, chosen in (("all", patterns), ("fit-only", without))
    ]
    assert fits[0].posterior_.equals(fits[1].posterior_)
    assert fits[0].best_ == fits[1].best_
    assert fits[0].fitted_patterns_ == fits[1].fitted_patterns_
