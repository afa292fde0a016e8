"""Output files are replaced whole or not at all."""

import os
import stat
import subprocess
import sys
import time

import pytest

from simulation.output.files import (
    RUN_FILES,
    OutputError,
    check_replaceable,
    remove_leftovers,
    replace_directory,
    source_commit,
    write_atomically,
    write_text,
)


def test_a_failed_write_leaves_the_complete_old_file(tmp_path):
    path = tmp_path / "trajectories.csv"
    path.write_text("complete old content\n")

    def half_write(temporary):
        temporary.write_text("half of the new")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, half_write)
    assert path.read_text() == "complete old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["trajectories.csv"]  # no temporary left


def test_a_write_replaces_the_file(tmp_path):
    path = tmp_path / "deep" / "manifest.json"
    write_text(path, "{}\n")
    write_text(path, '{"seed": 1}\n')
    assert path.read_text() == '{"seed": 1}\n'


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_files_respect_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_text(tmp_path / "manifest.json", "{}\n")
        write_atomically(tmp_path / "table.csv", lambda temporary: temporary.write_text("a\n"))
    finally:
        os.umask(previous)
    for name in ("manifest.json", "table.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_a_dead_writer_are_removed_and_a_live_ones_kept(tmp_path):
    dead = tmp_path / f".summary.parquet.{_dead_pid()}.0123abcd.tmp"
    live = tmp_path / f".votes.parquet.{os.getpid()}.0123abcd.tmp"
    staging = tmp_path / f".run.{_dead_pid()}.89abcdef.writing"
    old = tmp_path / ".events.csv.k2j4h5l6.tmp"  # an earlier version's, an hour old
    young = tmp_path / ".posts.csv.a1b2c3d4.tmp"
    for path in (dead, live, old, young):
        path.write_text("half")
    staging.mkdir()
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    removed = remove_leftovers(tmp_path)
    assert sorted(removed) == sorted([dead, staging, old])
    assert live.exists() and young.exists()


def _fake_run(out_dir, seed, fail_after_tables=False):
    def fill(directory):
        for name in ("trajectories.csv", "votes.csv"):
            (directory / name).write_text(f"seed {seed}\n")
        if fail_after_tables:
            raise KeyboardInterrupt  # killed while writing
        (directory / "manifest.json").write_text(f'{{"seed": {seed}}}\n')
        return ["trajectories.csv", "votes.csv", "manifest.json"]

    return replace_directory(out_dir, fill, RUN_FILES)


def test_a_run_killed_while_writing_leaves_the_earlier_run_whole(tmp_path):
    out = tmp_path / "baseline"
    _fake_run(out, 1)
    with pytest.raises(KeyboardInterrupt):
        _fake_run(out, 2, fail_after_tables=True)
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "trajectories.csv": "seed 1\n",
        "votes.csv": "seed 1\n",
        "manifest.json": '{"seed": 1}\n',
    }
    assert [p.name for p in tmp_path.iterdir()] == ["baseline"]  # nothing half-written beside
    _fake_run(out, 3)
    assert (out / "votes.csv").read_text() == "seed 3\n"
    assert (out / "manifest.json").read_text() == '{"seed": 3}\n'


def test_a_swap_interrupted_between_its_renames_is_undone(tmp_path):
    out = tmp_path / "baseline"
    _fake_run(out, 1)
    out.rename(tmp_path / ".baseline.previous")  # killed after moving the old one aside
    check_replaceable(out, RUN_FILES)
    assert (out / "manifest.json").read_text() == '{"seed": 1}\n'


def test_a_directory_holding_other_files_is_not_replaced(tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "thesis.docx").write_text("chapter 1")
    with pytest.raises(OutputError, match=r"holds files that are not a run's \(thesis.docx\)"):
        _fake_run(out, 1)
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_a_manifest_names_the_commit_of_the_code_and_whether_it_was_changed(tmp_path):
    def git(*arguments):
        command = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
        return subprocess.run([*command, *arguments], check=True, capture_output=True, text=True)

    package = tmp_path / "simulation"
    package.mkdir()
    (package / "__init__.py").write_text("RULE = 1\n")
    copy = tmp_path / "venv" / "simulation"
    copy.mkdir(parents=True)
    (copy / "__init__.py").write_text("RULE = 1\n")
    (tmp_path / ".gitignore").write_text("venv/\n")
    assert source_commit(package) == "not a git checkout"
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "rules")
    commit = git("rev-parse", "HEAD").stdout.strip()
    assert source_commit.__wrapped__(package) == commit
    (package / "__init__.py").write_text("RULE = 2\n")
    assert source_commit.__wrapped__(package) == f"{commit}+changes"
    assert source_commit.__wrapped__(copy) == "not a git checkout"


def test_on_windows_a_leftover_is_not_probed_with_a_signal(tmp_path, monkeypatch):
    # There os.kill(pid, 0) sends CTRL_C_EVENT to the process group pid.
    sent = []
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "kill", lambda *arguments: sent.append(arguments))
    leftover = tmp_path / f".summary.parquet.{2**22 + 7}.0123abcd.tmp"
    leftover.write_text("half")
    assert remove_leftovers(tmp_path) == []
    assert leftover.exists() and sent == []
