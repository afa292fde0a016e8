"""The command line end to end, in a temporary directory."""

import errno
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import numba
import pandas as pd
import pytest
from conftest import BASELINE, ROOT, SMALL_SCENARIO

from simulation.cli import _parsers, main
from simulation.cli.common import outputs_of, unusable_out
from simulation.model.code_version import model_digest

EXPECTED_FILES = {
    "trajectories.csv",
    "posts.csv",
    "tenures.csv",
    "events.csv",
    "votes.csv",
    "alliances.csv",
    "factions.csv",
    "membership.csv",
    "loyalty.csv",
    "manifest.json",
    "influence.png",
    "network.png",
    "network.gif",
}
FIGURES = {"influence.png", "network.png", "network.gif"}
CONTROL = BASELINE.parent / "checks" / "zinoviev_letter_a_month_later.yaml"
LEVERS = BASELINE.parent / "levers" / "contingencies_1923_1925.yaml"


def test_run_writes_every_file_with_tidy_columns(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--seed", "3", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES
    trajectories = pd.read_csv(out / "trajectories.csv")
    assert list(trajectories.columns) == [
        "run",
        "date",
        "leader",
        "influence",
        "apparatus",
        "power",
        "alive",
        "health",
        "stance_economic",
        "stance_regime",
    ]
    assert list(pd.read_csv(out / "posts.csv").columns) == ["run", "date", "leader", "post"]
    assert list(pd.read_csv(out / "events.csv").columns) == [
        "run",
        "date",
        "event_id",
        "type",
        "actor",
        "post",
        "origin",
        "detail",
        "organisation",
    ]
    assert list(pd.read_csv(out / "votes.csv").columns)[:8] == [
        "run",
        "date",
        "arena",
        "motion",
        "sponsor",
        "target",
        "votes_for",
        "votes_against",
    ]
    assert list(pd.read_csv(out / "alliances.csv").columns) == [
        "run",
        "date",
        "leader_a",
        "leader_b",
        "affinity",
        "grievance_a",
        "grievance_b",
    ]
    alliances = pd.read_csv(out / "alliances.csv")
    assert (alliances["leader_a"] < alliances["leader_b"]).all()
    assert alliances[["grievance_a", "grievance_b"]].stack().between(0, 1).all()
    assert trajectories["date"].str.fullmatch(r"\d{4}-\d{2}").all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["mode"] == "replay"
    assert manifest["parameters"] == "point"  # a single run takes the point estimate
    assert len(manifest["scenario_sha256"]) == 64
    assert manifest["model_sha256"] == model_digest()  # the code, as an ensemble's says it
    assert {"mesa", "numpy", "pandas", "python"} <= set(manifest["versions"])
    assert (out / "influence.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote 13 files" in capsys.readouterr().out


def test_validate_prints_ok_and_a_summary(small_file, capsys):
    assert main(["validate", str(small_file)]) == 0
    output = capsys.readouterr().out
    assert "small.yaml: ok" in output
    assert "4 leaders, 5 posts" in output and "1922-04 to 1923-03" in output


def test_validate_prints_every_problem_and_exits_2(tmp_path, small_file, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SMALL_SCENARIO.replace(
            "who: lenin,\n     description: Lenin dies.",
            "who: lennin,\n     description: Lenin dies.",
        )
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "unknown leader 'lennin'" in err
    assert err.splitlines()[-1] == "interregnum: 1 problem in 1 of 1 file."
    # Every file is read; the closing line counts the problems of those refused.
    worse = tmp_path / "worse.yaml"
    worse.write_text(SMALL_SCENARIO.replace("influence: 0.9", "influence: 9"))
    assert main(["validate", str(bad), str(small_file), str(worse)]) == 2
    captured = capsys.readouterr()
    assert "small.yaml: ok" in captured.out
    assert captured.err.splitlines()[-1] == "interregnum: 2 problems in 2 of 3 files."


def test_a_bad_scenario_runs_nothing_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL_SCENARIO.replace("influence: 0.9", "influence: 9"))
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out)]) == 2
    assert "leaders[0].influence" in capsys.readouterr().err
    assert not out.exists()


def test_a_failed_run_keeps_the_previous_outputs(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 0
    before = (out / "trajectories.csv").read_bytes()
    small_file.write_text(SMALL_SCENARIO.replace("end: 1923-03", "end: 1921-01"))
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 2
    assert (out / "trajectories.csv").read_bytes() == before


def test_a_run_replacing_another_run_says_so(small_file, tmp_path, capsys):
    # Runs of one scenario share its default directory: the earlier one must not vanish
    # without a word, whether its changes, its mode or its seed differed.
    out = ["--out", str(tmp_path / "out"), "--no-plot"]
    hostile = ["--set", "parameters.hostility=0.2"]
    assert main(["run", str(small_file), *hostile, *out]) == 0
    assert "note:" not in capsys.readouterr().err
    assert main(["run", str(small_file), *out]) == 0
    assert capsys.readouterr().err == (
        f"note: {tmp_path / 'out'}/ held another run (--set parameters.hostility=0.2; replay "
        "mode, seed 1, point parameters), now replaced; --out keeps runs apart\n"
    )
    assert main(["run", str(small_file), "--mode", "free", "--seed", "5", *out]) == 0
    assert "held another run (no changes; replay mode, seed 1, point" in capsys.readouterr().err
    assert main(["run", str(small_file), "--mode", "free", "--seed", "5", *out]) == 0
    assert "note:" not in capsys.readouterr().err  # the same run again


def test_errors_never_show_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    completed = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "run", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "invalid YAML" in completed.stderr


def test_a_terminal_that_is_not_utf_8_gets_escapes_not_a_failed_command():
    # As Windows' redirected output (cp1252) the arrows of a run's summary, or ASCII this.
    recovers = ROOT / "scenarios" / "counterfactuals" / "lenin_recovers_1923.yaml"
    completed = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "diff", str(BASELINE), str(recovers)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode("ascii", "replace")
    assert b"\\xa7Party and Opposition after Lenin" in completed.stdout


def test_a_tilde_the_shell_left_alone_is_the_home_folder(small_file, tmp_path, monkeypatch):
    # `--out=~/x` and a quoted '~/x' reach the program as typed; a folder named `~` in the
    # working directory was made, and removing it with `rm -rf ~` is a disaster.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "mine.yaml").write_text(small_file.read_text())
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "~/mine.yaml"]) == 0
    assert main(["run", "~/mine.yaml", "--no-plot", "--out=~/replayed"]) == 0
    assert (tmp_path / "home" / "replayed" / "manifest.json").exists()
    assert not (tmp_path / "~").exists()


def test_without_sigpipe_a_reader_gone_still_ends_the_command_quietly(monkeypatch):
    # Windows has no SIGPIPE: `diff A B | more` ended in an AttributeError's traceback.
    import simulation.cli as cli

    monkeypatch.delattr(cli.signal, "SIGPIPE")
    monkeypatch.setattr(cli.os, "dup2", lambda *_: None)  # this test's stdout stays
    assert cli._reader_gone() == 141


def test_a_run_typed_again_from_its_manifest_alone_gives_the_same_files(
    small_file, tmp_path, monkeypatch
):
    # A reviewer holding only the folder: its paths are as typed, from a folder it names.
    monkeypatch.chdir(tmp_path)  # the scenario named relative to it, as a user types it
    arguments = ["run", small_file.name, "--seed", "5", "--mode", "free", "--no-plot"]
    assert main([*arguments, "--set", "parameters.hostility=0.3", "--out", "first"]) == 0
    record = json.loads((tmp_path / "first" / "manifest.json").read_text())
    assert record["working_directory"] == str(tmp_path)
    typed = shlex.split(record["command_line"])
    assert typed[0] == "interregnum" and "--set" in typed
    monkeypatch.chdir(record["working_directory"])
    assert main([*typed[1:-2], "--out", "again"]) == 0  # all but its --out
    for table in (tmp_path / "first").glob("*.csv"):
        assert table.read_bytes() == (tmp_path / "again" / table.name).read_bytes(), table.name


def test_a_reader_that_goes_away_ends_the_command_quietly():
    # `interregnum diff A B | head -1`: the reader closes the pipe before the command
    # has written; the command stops as a Unix tool does, without a traceback.
    command = [sys.executable, "-m", "simulation.cli", "diff", str(BASELINE), str(CONTROL)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.close()
        errors = process.stderr.read().decode()
    assert process.returncode == 141  # 128 + SIGPIPE, as a tool killed by the broken pipe
    assert errors == ""


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["ensemble", "--runs", "2"],
        ["compare", str(CONTROL), "--runs", "2"],
        ["assess"],
        ["sensitivity", "--method", "morris"],
        ["discover", "--levers", str(LEVERS)],
        ["calibrate"],
    ],
    ids=lambda command: command[0],
)
def test_an_out_that_cannot_be_a_directory_is_refused_before_anything_runs(
    command, tmp_path, capsys
):
    # Minutes of runs must not be lost to a mistyped --out: each command refuses it first.
    taken = tmp_path / "notes.txt"
    taken.write_text("a historian's notes")
    for out, problem in (
        (taken, f"--out {taken} exists and is not a directory"),
        (taken / "runs", f"--out {taken / 'runs'}: {taken} is a file, not a directory"),
    ):
        assert main([command[0], str(BASELINE), *command[1:], "--out", str(out)]) == 2
        assert capsys.readouterr().err.strip() == f"interregnum: {problem}"
    assert taken.read_text() == "a historian's notes"
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_compare_writes_into_no_folder_of_the_users_own_but_resumes_its_own(tmp_path, capsys):
    """It replaced a user's comparison.csv beside their notes and exited 0."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "comparison.csv").write_text("my table\n")
    arguments = ["compare", str(BASELINE), str(CONTROL), "--runs", "2", "--workers", "1"]
    assert main([*arguments, "--out", str(mine), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: --out {mine} holds files that no interregnum command's record describes "
        "(comparison.csv); compare will not write into it: choose a new or empty directory\n"
    )
    assert (mine / "comparison.csv").read_text() == "my table\n"
    ours = tmp_path / "ours"
    assert main([*arguments, "--out", str(ours), "--quiet"]) == 0
    for name in ("comparison.json", "comparison.csv", "report.md", "comparison.png"):
        (ours / name).unlink()  # stopped after its ensembles, before its report
    assert main([*arguments, "--out", str(ours), "--quiet", "--resume"]) == 0
    assert (ours / "comparison.json").is_file()


def test_a_comparison_cut_short_while_drawing_leaves_the_earlier_report_whole(
    tmp_path, monkeypatch
):
    """Its table was written before its figure, a second or so before its report and record."""
    import simulation.experiments.compare.comparison as comparison

    out = tmp_path / "compared"
    arguments = ["compare", str(BASELINE), str(CONTROL), "--workers", "1", "--quiet"]
    assert main([*arguments, "--runs", "8", "--out", str(out)]) == 0
    report = ("comparison.csv", "report.md", "comparison.json", "comparison.png")
    before = {name: (out / name).read_bytes() for name in report}

    def killed(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(comparison, "plot_comparison", killed)
    again = ["--runs", "8", "--bootstrap", "300", "--force"]  # its ensembles reused
    assert main([*arguments, *again, "--out", str(out)]) == 130
    assert before == {name: (out / name).read_bytes() for name in report}


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--seed", "-1"],
        ["ensemble", "--runs", "2", "--seed", "-1"],
        ["compare", str(CONTROL), "--seed", "-1"],
        ["assess", "--seed", "-1"],
        ["sensitivity", "--method", "morris", "--seed", "-1"],
        ["discover", "--levers", str(LEVERS), "--seed", "-1"],
        ["calibrate", "--fit-until", "1930-01"],
    ],
    ids=lambda command: command[0],
)
def test_a_bad_out_is_named_with_the_other_problems_in_one_attempt(command, tmp_path, capsys):
    """It was named only on the attempt after the others were mended."""
    taken = tmp_path / "notes.txt"
    taken.write_text("a historian's notes")
    assert main([command[0], str(BASELINE), *command[1:], "--out", str(taken)]) == 2
    error = capsys.readouterr().err.splitlines()
    assert f"--out {taken} exists and is not a directory" in error
    assert error[-1] == "interregnum: 2 problems; nothing was run."
    assert taken.read_text() == "a historian's notes"


@pytest.mark.parametrize(
    ("files", "command"),
    [
        ({"comparison.json": {"identity": {}}, "report.md": "# a comparison"}, "compare"),
        ({"manifest.json": {"runs": 6, "hold_out_parameters": "x"}, "report.md": ""}, "assess"),
        ({"manifest.json": {"runs": 6, "sessions": [], "status": "complete"}}, "ensemble"),
        ({"manifest.json": {"fitted_patterns": [], "fit_until": None}}, "calibrate"),
        ({"manifest.json": {"seed": 7, "overrides": []}}, "run"),
        # what every command writes since manifests name their command
        ({"manifest.json": {"command": "run", "runs": 3}}, "run"),
        ({"manifest.json": {"command": "assess", "seed": 7}}, "assess"),
        ({"boxes.md": "# boxes"}, "discover"),
        ({"indices.csv": "outcome,index\n"}, "sensitivity"),
        ({"notes.txt": "mine"}, None),
        ({"manifest.json": ["not", "an", "object"]}, None),
    ],
)
def test_a_folder_is_known_by_the_record_its_command_leaves(tmp_path, files, command):
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (tmp_path / name).write_text(text)
    found = outputs_of(tmp_path)
    assert (found and found[0]) == command
    problem = unusable_out(tmp_path, command="elsewhere")
    assert (problem is None) == (command is None)
    assert unusable_out(tmp_path, command=command or "any") is None  # its own: welcome


def test_an_out_that_cannot_be_made_is_refused_before_anything_runs(
    small_file, tmp_path, capsys, monkeypatch
):
    """A file system may refuse what permissions allow (/proc, /sys to root; a read-only disk)."""
    make = Path.mkdir

    def refuse(directory, *arguments, **options):
        if directory.name == "refused":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return make(directory, *arguments, **options)

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = tmp_path / "refused" / "out"
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: --out {out}: cannot make {out.parent} (Read-only file system)\n"
    )
    monkeypatch.undo()
    # Trying leaves nothing behind: the directories are made by the command that writes.
    assert unusable_out(tmp_path / "a" / "b") is None
    assert unusable_out(tmp_path / "c" / "file.csv", directory=False) is None
    assert unusable_out(tmp_path / "d" / ".." / "e") is None  # 'd/..' is there already
    assert [path.name for path in tmp_path.iterdir()] == ["small.yaml"]
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert unusable_out(tmp_path / "dangling") == (
        f"--out {tmp_path / 'dangling'}: {tmp_path / 'dangling'} is a symbolic link to nothing"
    )


def test_a_runs_folder_is_known_as_a_runs(small_file, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 0
    assert outputs_of(out) == ("run", "manifest.json")
    assert json.loads((out / "manifest.json").read_text())["command"] == "run"
    capsys.readouterr()
    assert main(["assess", str(BASELINE), "--runs", "2", "--out", str(out)]) == 2
    assert f"--out {out} holds the outputs of `interregnum run`" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(_parsers()[1]))])
def test_every_command_explains_itself(command, capsys):
    # argparse fills a help text's "%" in: a "95% interval" once broke every --help.
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--help"])
    assert stopped.value.code == 0
    assert "usage: interregnum" in capsys.readouterr().out


def test_help_validate_and_diff_load_no_numerical_library():
    """They answer in a quarter of a second: numba, scipy and pandas took a second more."""
    code = (
        "import sys\n"
        "from simulation.cli import main\n"
        "try:\n    main(['compare', '--help'])\nexcept SystemExit:\n    pass\n"
        "main(['validate', 'scenarios/baseline_1922.yaml'])\n"
        "heavy = ('numba', 'numpy', 'pandas', 'scipy', 'mesa', 'matplotlib')\n"
        "print('loaded:', *sorted(name for name in heavy if name in sys.modules))\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == "loaded:"


def test_every_option_of_every_command_says_what_it_does():
    _, commands = _parsers()
    silent = [
        f"{name} {action.option_strings[0]}"
        for name, parser in commands.items()
        for action in parser._actions
        if action.option_strings and not action.help
    ]
    assert silent == []


def test_an_unknown_option_is_refused_by_its_command_with_its_usage(small_file, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(small_file), "--mode", "free"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: interregnum validate ")
    assert "interregnum validate: error: unrecognized arguments: --mode free" in error


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (
            ["sensitivity", "--method", "morris", "--runs", "10"],
            "unrecognized arguments: --runs 10 (--runs: did you mean --runs-per-point?)",
        ),
        (["ensemble", "--runs", "4", "--work", "1"], "--work: did you mean --workers?"),
        (["run", "--sed=3"], "--sed: did you mean --seed or --set?"),
        (["run", "--", "--no-plot"], "--no-plot: an option after '--' is read as a file; put it"),
    ],
)
def test_a_flag_is_never_taken_for_a_longer_one_it_begins(small_file, capsys, arguments, said):
    """argparse read `sensitivity --runs 10` as --runs-per-point 10: 5,800 runs, not 10."""
    with pytest.raises(SystemExit) as stopped:
        main([arguments[0], str(small_file), *arguments[1:]])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.slow
def test_run_on_the_baseline_end_to_end(tmp_path):
    out = tmp_path / "baseline"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulation.cli",
            "run",
            str(BASELINE),
            "--mode",
            "replay",
            "--seed",
            "7",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES
    trajectories = pd.read_csv(out / "trajectories.csv")
    assert trajectories["date"].min() == "1922-04" and trajectories["date"].max() == "1926-12"
    # A replay takes history's path, and says so.
    assert (
        "path: factions troika → left_opposition → group_of_seven → new_opposition → "
        "united_opposition (history's); verdicts trotsky → kamenev+zinoviev (history's)\n"
    ) in completed.stdout


def test_run_in_free_mode_logs_the_models_decisions(tmp_path):
    out = tmp_path / "free"
    assert (
        main(
            ["run", str(BASELINE), "--mode", "free", "--seed", "2", "--out", str(out), "--no-plot"]
        )
        == 0
    )
    events = pd.read_csv(out / "events.csv")
    assert "model" in set(events["origin"])
    assert json.loads((out / "manifest.json").read_text())["mode"] == "free"


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("-1", "--seed must be an integer from 0 to 2**63 - 1, got -1"),
        (str(2**63), f"--seed must be an integer from 0 to 2**63 - 1, got {2**63}"),
    ],
)
def test_run_refuses_a_seed_numpy_cannot_take(small_file, tmp_path, capsys, seed, message):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--seed", seed, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_largest_seed_runs(small_file, tmp_path):
    out = tmp_path / "out"
    seed = str(2**63 - 1)
    assert main(["run", str(small_file), "--seed", seed, "--out", str(out), "--no-plot"]) == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2**63 - 1


def test_a_rerun_replaces_the_whole_run_and_leaves_nothing_beside_it(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--seed", "1", "--out", str(out)]) == 0
    assert main(["run", str(small_file), "--seed", "2", "--out", str(out), "--no-plot"]) == 0
    assert {path.name for path in out.iterdir()} == EXPECTED_FILES - FIGURES
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert {path.name for path in tmp_path.iterdir()} == {"small.yaml", "out"}


def test_run_will_not_replace_a_directory_of_other_files(small_file, tmp_path, capsys):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.md").write_text("notes")
    assert main(["run", str(small_file), "--out", str(out)]) == 2
    assert "holds files that are not a run's (chapter1.md)" in capsys.readouterr().err
    assert [path.name for path in out.iterdir()] == ["chapter1.md"]


@pytest.mark.parametrize("seed", ["-1", str(2**63 - 1)])
def test_calibrate_refuses_a_seed_it_cannot_use(tmp_path, capsys, seed):
    out = tmp_path / "fit"
    assert main(["calibrate", "--quick", "--seed", seed, "--out", str(out)]) == 2
    assert (
        "--seed must be an integer from 0 to 2**63 - 2 (the validation runs take the next "
        f"root, --seed + 1), got {seed}"
    ) in capsys.readouterr().err
    assert not out.exists()


def test_a_request_the_memory_cannot_hold_is_refused_without_a_traceback(
    small_file, tmp_path, capsys, monkeypatch
):
    """A count no check bounds (a list of 10**10 run seeds) ended in a MemoryError traceback."""
    from simulation.cli import run

    def exhausted(args):
        raise MemoryError

    monkeypatch.setattr(run, "handle", exhausted)
    assert main(["run", str(small_file), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "interregnum: not enough memory for what was asked: ask for fewer runs, samples or "
        "resamples"
    )


def test_a_model_command_with_numbas_compiling_turned_off_says_so(
    small_file, tmp_path, monkeypatch, capsys
):
    # NUMBA_DISABLE_JIT, set to debug in Python, ended in an AttributeError's traceback.
    monkeypatch.setattr(numba.config, "DISABLE_JIT", 1)
    assert main(["run", str(small_file), "--out", str(tmp_path / "out")]) == 2
    assert "NUMBA_DISABLE_JIT is set" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(["validate", str(small_file)]) == 0  # reading a scenario needs no model


def test_the_commands_defaults_are_the_studies_own():
    """Restated for a quick --help (the studies import numpy and more): they must agree."""
    from dataclasses import fields

    from simulation.experiments.compare.statistics import RESAMPLES
    from simulation.experiments.discovery import boxes, design, study
    from simulation.experiments.sensitivity.design import METHODS

    _, commands = _parsers()

    def action(command, option):
        return next(a for a in commands[command]._actions if option in a.option_strings)

    defaults = {field.name: field.default for field in fields(study.Discovery)}
    assert action("discover", "--replicates").default == defaults["replicates"]
    assert action("discover", "--boxes").default == defaults["boxes"]
    assert action("discover", "--outcome").default == study.DEFAULT_OUTCOME
    assert action("discover", "--shuffles").default == boxes.SHUFFLES
    assert tuple(action("discover", "--design").choices) == design.DESIGNS
    assert action("discover", "--design").default == design.DESIGNS[0]
    assert tuple(action("sensitivity", "--method").choices) == METHODS
    assert action("compare", "--bootstrap").default == RESAMPLES
