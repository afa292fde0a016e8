"""Reading is bounded: no input file hangs, exhausts memory, or crashes the parser.

Each test is an attack once found to work: a 287-byte alias bomb, 10,000
levels of nesting, a FIFO or /dev/zero as parameters file, a duplicated key
that silently won, an endless chain of overlays.
"""

import os
import time

import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.cli.scenario_args import change_from_flag
from simulation.scenario import ScenarioError, load_scenario, parse_scenario
from simulation.scenario.reading import MAX_FILE_BYTES

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefg", "bcdefgh", strict=True)
)
"""Eight lines, 9**8 = 43 million strings once expanded."""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "bad.yaml")
    return caught.value.problems


def line_number(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[occurrence - 1]


def test_a_duplicated_key_is_refused_with_both_lines():
    text = SMALL_SCENARIO.replace("influence: 0.5,", "influence: 0.5, influence: 0.9,", 1)
    (problem,) = problems_of(text)
    line = line_number(text, "influence: 0.5, influence: 0.9")
    assert problem == (
        f"bad.yaml:{line}: duplicate key 'influence' (first written at line {line}, "
        f"again at line {line}): write it once"
    )


def test_a_duplicated_start_gives_one_message_not_hundreds():
    text = SMALL_SCENARIO.replace("end: 1923-03\n", "end: 1923-03\nstart: 1922-05\n", 1)
    (problem,) = problems_of(text)
    assert "duplicate key 'start' (first written at line 2, again at line 4)" in problem


def test_a_decimal_comma_in_a_flow_mapping_is_named_as_one():
    """``{influence: 0,5, ...}`` would otherwise leave an unknown field '5' to puzzle over."""
    text = SMALL_SCENARIO.replace("influence: 0.5,", "influence: 0,5,", 1)
    (problem,) = problems_of(text)
    line = line_number(text, "influence: 0,5,")
    assert problem == (
        f"bad.yaml:{line}: '0,5' reads as the number 0 and a key 5: write a number with a "
        "point (0.5); a comma separates the entries of {...}"
    )
    # Entries that merely follow a number, and a comma in a block mapping, are not taken for one.
    assert not any("reads as" in p for p in problems_of("{start: 1922-04, 5: x, 6: 1}\n"))
    assert not any("reads as" in p for p in problems_of("start: 0,5\n"))


def test_an_alias_bomb_is_refused_quickly_with_a_short_message():
    assert len(BOMB) < 320
    started = time.perf_counter()
    (problem,) = problems_of(BOMB)
    assert time.perf_counter() - started < 5
    assert problem == "bad.yaml:1: more than 100,000 values once aliases are expanded"


def test_aliases_that_expand_modestly_are_allowed():
    text = SMALL_SCENARIO.replace("source: test}", "source: &cited test}", 1).replace(
        "source: test}", "source: *cited}", 1
    )
    assert parse_scenario(text).leaders[1].source == "test"


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
    ],
)
def test_deep_nesting_is_refused_without_a_recursion_error(nested):
    (problem,) = problems_of(f"name: small\ndescription: {nested}\n")
    assert problem == "bad.yaml:2: nested more than 50 levels deep"


def test_deep_block_nesting_is_refused_at_its_line():
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(10_000)) + "  " * 10_000 + "1"
    (problem,) = problems_of(text)
    assert problem == "bad.yaml:50: nested more than 50 levels deep"


def test_a_long_value_is_cut_in_the_message():
    text = SMALL_SCENARIO.replace("influence: 0.5,", f"influence: {'x' * 100_000},", 1)
    (problem,) = problems_of(text)
    assert len(problem) < 200
    assert problem.endswith("got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…")


def test_a_missing_file_named_relatively_says_where_it_was_looked_for(tmp_path, monkeypatch):
    """The dashboard's default scenario, run from another folder, is read from the working one."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as error:
        load_scenario("scenarios/baseline_1922.yaml")
    assert error.value.problems == [
        f"scenarios/baseline_1922.yaml: no such scenario file under {tmp_path}"
    ]
    with pytest.raises(ScenarioError, match=r"absent\.yaml: no such scenario file$"):
        load_scenario(tmp_path / "absent.yaml")  # an absolute path says no more


def test_a_mistyped_file_name_is_answered_with_the_file_meant(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "baseline_1922.yaml").write_text(SMALL_SCENARIO)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as error:
        load_scenario("scenario/baseline-1922.yml")
    assert error.value.problems == [
        f"scenario/baseline-1922.yml: no such scenario file under {tmp_path} "
        "(did you mean 'scenarios/baseline_1922.yaml'?)"
    ]
    absolute = tmp_path / "scenarios" / "baseline_1923.yaml"
    with pytest.raises(
        ScenarioError, match=r"\(did you mean '.*/scenarios/baseline_1922\.yaml'\?\)$"
    ):
        load_scenario(absolute)


def test_a_scenario_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(SMALL_SCENARIO + "#" * MAX_FILE_BYTES)
    with pytest.raises(ScenarioError, match=r"huge\.yaml: [\d,]+ bytes; a scenario file may"):
        load_scenario(path)


def test_a_scenario_that_is_not_utf8_is_refused_at_its_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(SMALL_SCENARIO.replace("Lenin falls", "L\xe9nine falls").encode("latin-1"))
    line = line_number(SMALL_SCENARIO, "Lenin falls")
    with pytest.raises(ScenarioError, match=rf"latin\.yaml:{line}: not UTF-8 text"):
        load_scenario(path)


# --- parameters_from --------------------------------------------------------------------


def with_parameters_from(tmp_path, reference: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(
        SMALL_SCENARIO.replace("name: small\n", f"name: small\nparameters_from: {reference}\n")
    )
    return path


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (
            "/dev/zero",
            r"parameters_from: /dev/zero: not a regular file, expected a parameters file",
        ),
        (".", r"parameters_from: .*: is a directory, expected a parameters file"),
        ("missing.yaml", r"parameters_from: .*missing\.yaml: no such parameters file"),
    ],
)
def test_parameters_from_a_file_that_cannot_be_read_is_refused(tmp_path, reference, message):
    with pytest.raises(ScenarioError, match=rf"scenario\.yaml:2: {message}"):
        load_scenario(with_parameters_from(tmp_path, reference))


def test_parameters_from_a_fifo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"fifo: not a regular file"):
        load_scenario(with_parameters_from(tmp_path, "fifo"))
    assert time.perf_counter() - started < 5


def test_parameters_from_a_file_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "fit.yaml").write_bytes(b"parameters:\n  discipline: 0.5 # \xff\n")
    with pytest.raises(ScenarioError, match=r"fit\.yaml:2: not UTF-8 text"):
        load_scenario(with_parameters_from(tmp_path, "fit.yaml"))


def test_a_bad_value_in_the_parameters_file_is_reported_at_its_own_line(tmp_path):
    (tmp_path / "fit.yaml").write_text(
        "parameters:\n  discipline: 0.5\n  balancing: 7\n  loyalty_decay: 0.01\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(with_parameters_from(tmp_path, "fit.yaml"))
    (problem,) = caught.value.problems
    assert problem.startswith(f"{tmp_path / 'fit.yaml'}:3: parameters.balancing: ")
    assert "less than or equal to 1" in problem


def test_an_inline_parameter_still_wins_over_the_parameters_file(tmp_path):
    (tmp_path / "fit.yaml").write_text("parameters:\n  discipline: 0.5\n  balancing: 0.2\n")
    path = with_parameters_from(tmp_path, "fit.yaml")
    path.write_text(path.read_text() + "parameters: {balancing: 0.9}\n")
    parameters = load_scenario(path).parameters
    assert (parameters.discipline, parameters.balancing) == (0.5, 0.9)


# --- overlays and flags -----------------------------------------------------------------


def test_a_long_chain_of_overlays_is_refused_without_a_recursion_error(tmp_path):
    (tmp_path / "o0.yaml").write_text(SMALL_SCENARIO)
    for k in range(1, 41):
        (tmp_path / f"o{k}.yaml").write_text(
            f"extends: o{k - 1}.yaml\nname: o{k}\nsource: test citation\nchanges: []\n"
        )
    assert load_scenario(tmp_path / "o31.yaml").name == "o31"  # 32 files: the most allowed
    with pytest.raises(ScenarioError, match=r"extends: more than 32 files extend one another"):
        load_scenario(tmp_path / "o32.yaml")
    with pytest.raises(ScenarioError, match=r"extends: more than 32 files extend one another"):
        load_scenario(tmp_path / "o40.yaml")


def test_an_alias_bomb_in_a_set_flag_is_refused():
    levels = ["&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    levels += [f"&l{k} [{', '.join([f'*l{k - 1}'] * 10)}]" for k in range(1, 7)]
    bomb = f"[{', '.join(levels)}]"
    assert len(bomb) < 400
    with pytest.raises(ValueError, match="values once aliases are expanded"):
        change_from_flag("--set", f"description={bomb}")


def test_a_bad_scenario_file_on_the_command_line_exits_2_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "values once aliases are expanded" in err and "Traceback" not in err


def test_a_control_character_is_refused_at_its_line():
    (problem,) = problems_of(SMALL_SCENARIO.replace("Lenin falls ill.", "Lenin\x00 falls ill."))
    line = line_number(SMALL_SCENARIO, "Lenin falls ill.")
    assert problem == (
        f"bad.yaml:{line}: invalid YAML: #x0000 is a control character, not allowed in YAML"
    )


def test_a_byte_order_mark_is_not_part_of_the_first_key(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL_SCENARIO.encode())
    assert load_scenario(path).name == "small"


def test_values_yaml_cannot_build_are_each_refused_at_their_line_and_field():
    """PyYAML raised a bare ValueError on an impossible date: a traceback, exit status 1."""
    problems = problems_of(
        "name: x\nstart: 1924-02-30\nend: 0000-01-01\nleaders:\n  - {influence: !!float abc}\n"
    )
    assert problems == [
        "bad.yaml:2: start: cannot read '1924-02-30' as a date: day is out of range for month",
        "bad.yaml:3: end: cannot read '0000-01-01' as a date: year 0 is out of range",
        "bad.yaml:5: leaders[0].influence: cannot read 'abc' as a number: could not convert "
        "string to float: 'abc'",
    ]
    with pytest.raises(ValueError, match=r"^--set start=1922-04-31: .*'1922-04-31' as a date"):
        change_from_flag("--set", "start=1922-04-31")


def test_an_impossible_date_in_an_overlay_is_a_refusal_not_a_traceback(
    small_file, tmp_path, capsys
):
    overlay = tmp_path / "moved.yaml"
    overlay.write_text(
        f"extends: {small_file.name}\nname: moved\nsource: a test\nchanges:\n"
        "  - move_event: {id: lenin-death, date: 1924-02-30}\n"
    )
    assert main(["validate", str(overlay)]) == 2
    assert f"{overlay}:5: changes[0].move_event.date: cannot read '1924-02-30'" in (
        capsys.readouterr().err
    )


def test_a_value_yaml_cannot_build_is_told_once_at_its_anchor_however_often_aliased():
    """PyYAML, left mid-build by the error, read the next alias as a recursive node."""
    problems = problems_of("name: x\nstart: &day 1924-02-30\nend: *day\nleaders: [*day]\n")
    assert problems == [
        "bad.yaml:2: start: cannot read '1924-02-30' as a date: day is out of range for month"
    ]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("name: x\nleaders:\n\t- id: a\n", "(indent with spaces, not tabs)"),
        (
            "name: x\nchanges:\n  - add_event:\n      id: e\n     date: 1924-01\n",
            "(check this line's indentation against the lines above it)",
        ),
        (
            "name: x\ndescription: The trio: a pact\n",
            "(quote a value that holds ': ', or check this line's indentation)",
        ),
    ],
)
def test_an_indentation_slip_is_named_as_one(text, hint):
    """PyYAML's words ('expected <block end>') do not say what a historian got wrong."""
    (problem,) = problems_of(text)
    assert problem.startswith("bad.yaml:") and "invalid YAML" in problem
    assert problem.endswith(hint)
