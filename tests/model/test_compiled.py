import os
import subprocess
import sys

import pytest

from simulation.cli import compiling, main
from simulation.model import compiled
from simulation.model.compiled import MARKER, drop_stale_machine_code


def make_package(root):
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "kernel.py").write_text(
        f"from {root.name}.registry import ORDER\n@njit\ndef f(): return ORDER[0]\n"
    )
    (root / "registry.py").write_text("ORDER = (1, 2)\n")
    (root / "sub" / "mechanism.py").write_text("@njit\ndef g(): return 2\n")
    (root / "cli.py").write_text("print(f())\n")
    for name in ("kernel.f-1.py312.nbi", "kernel.f-1.py312.1.nbc"):
        (root / "sub" / "__pycache__" / name).write_bytes(b"machine code")
    return root


def cached_files(root):
    return sorted(path.name for path in root.rglob("*.nb[ic]"))


def test_machine_code_is_dropped_when_a_source_changes(tmp_path):
    package = make_package(tmp_path)
    assert drop_stale_machine_code(package)  # no digest yet: cannot trust the cache
    assert cached_files(package) == []
    assert (package / "__pycache__" / MARKER).exists()

    (package / "sub" / "__pycache__" / "kernel.f-1.py312.nbi").write_bytes(b"recompiled")
    assert not drop_stale_machine_code(package)  # same sources: the cache is kept
    assert cached_files(package) == ["kernel.f-1.py312.nbi"]

    (package / "cli.py").write_text("print(f() + 1)\n")  # nothing compiled changes
    assert not drop_stale_machine_code(package)

    (package / "sub" / "mechanism.py").write_text("@njit\ndef g(): return 3\n")  # a callee does
    assert drop_stale_machine_code(package)
    assert cached_files(package) == []


def test_machine_code_is_dropped_when_what_it_was_compiled_from_changes(tmp_path):
    # numba bakes a global's value into the machine code and checks only the file of the
    # function it loads: a parameter inserted into the registry, where nothing compiles,
    # would leave every cached kernel reading its neighbour's position.
    package = make_package(tmp_path / "simulation")
    drop_stale_machine_code(package)
    (package / "sub" / "__pycache__" / "kernel.f-1.py312.nbi").write_bytes(b"compiled")
    (package / "registry.py").write_text("ORDER = (0, 1, 2)\n")
    assert drop_stale_machine_code(package)
    assert cached_files(package) == []
    (package / "sub" / "__pycache__" / "kernel.f-1.py312.nbi").write_bytes(b"recompiled")
    (package / "cli.py").write_text("from simulation.registry import ORDER\nprint(ORDER)\n")
    assert not drop_stale_machine_code(package)  # read by Python alone: the cache stands


def test_the_first_run_on_a_machine_says_it_is_compiling(small_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(compiling, "GRACE", 0.0)  # the code is on disk: numba compiles nothing
    asked = set()  # the compile clock asks again while a slow run goes on: months, not calls
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: asked.add(month) or False)

    def said(arguments: list[str]) -> str:
        asked.clear()
        assert main([*arguments, "--no-plot"]) == 0
        return capsys.readouterr().err

    replay = said(["run", str(small_file), "--out", str(tmp_path / "out")])
    assert "compiling the model for this machine (once, about half a minute)" in replay
    assert asked == {"replay_month"}
    free = ["run", str(small_file), "--mode", "free", "--out", str(tmp_path / "free")]
    branch = ["run", str(small_file), "--free-from", "1922-06", "--out", str(tmp_path / "branch")]
    # an ensemble's run is free, as the ensemble's
    member = ["run", str(small_file), "--ensemble-run", "2", "--out", str(tmp_path / "member")]
    for arguments in (free, branch, member):
        assert "(once, about a minute and a half)" in said(arguments)
        assert asked == {"simulate_month", "replay_month"}
    # the mechanisms compiled by a replay already: the decisions alone remain
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: month == "replay_month")
    assert "(once, about a minute and a quarter)" in said(free)


def test_a_cached_machine_starts_without_a_word(small_file, tmp_path, capsys):
    main(["run", str(small_file), "--out", str(tmp_path / "warm")])  # compiles if need be
    capsys.readouterr()
    assert compiled.machine_code_cached("replay_month")  # a replay's month, not the decided one
    assert main(["validate", str(small_file)]) == 0
    assert main(["run", str(small_file), "--out", str(tmp_path / "out"), "--no-plot"]) == 0
    assert "compiling" not in capsys.readouterr().err


def test_code_compiled_for_another_python_does_not_count(tmp_path):
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    (cache / "month.simulate_month-80.py39.nbi").write_bytes(b"old")
    assert not compiled.machine_code_cached(cache=cache)
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    (cache / f"month.simulate_month-80.{python}.nbi").write_bytes(b"ours")
    assert compiled.machine_code_cached(cache=cache)
    assert not compiled.machine_code_cached("replay_month", cache)  # a replay's month is apart


def test_machine_code_under_numba_cache_dir_is_dropped_too(tmp_path, monkeypatch):
    # With NUMBA_CACHE_DIR set, numba keeps the machine code there, not beside the
    # sources: a digest kept beside them would let an edited mechanism run stale code.
    monkeypatch.setattr(compiled.numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    package = make_package(tmp_path / "simulation")
    elsewhere = compiled.cache_directory(package / "sub")
    assert elsewhere.is_relative_to(tmp_path / "cache")
    (elsewhere / "kernel.f-1.py312.nbi").write_bytes(b"machine code")
    assert drop_stale_machine_code(package)
    assert not (elsewhere / "kernel.f-1.py312.nbi").exists()
    assert (compiled.cache_directory(package) / MARKER).exists()

    (elsewhere / "kernel.f-1.py312.nbi").write_bytes(b"recompiled")
    assert not drop_stale_machine_code(package)
    (package / "sub" / "mechanism.py").write_text("@njit\ndef g(): return 3\n")
    assert drop_stale_machine_code(package)
    assert not (elsewhere / "kernel.f-1.py312.nbi").exists()


def test_a_read_only_installation_drops_the_stale_code_numba_keeps_in_the_users_cache(
    tmp_path, monkeypatch
):
    # A package folder that cannot be written leaves numba the user's cache folder: an
    # upgrade's sources used to run there on the old machine code, their manifests alike.
    monkeypatch.setattr(compiled.numba.config, "CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    # numba 0.61 names it _InTreeCacheLocator, later versions InTreeCacheLocator
    read_only = tuple(c for c in compiled._LOCATORS if "InTreeCacheLocator" not in c.__name__)
    monkeypatch.setattr(compiled, "_LOCATORS", read_only)
    package = make_package(tmp_path / "simulation")
    users = compiled.cache_directory(package / "sub")
    assert users.is_relative_to(tmp_path / "home-cache" / "numba")
    (users / "kernel.f-1.py312.nbi").write_bytes(b"machine code")
    assert drop_stale_machine_code(package)
    (users / "kernel.f-1.py312.nbi").write_bytes(b"recompiled")
    assert not drop_stale_machine_code(package)
    (package / "registry.py").write_text("ORDER = (0, 1, 2)\n")  # an upgrade
    assert drop_stale_machine_code(package)
    assert not (users / "kernel.f-1.py312.nbi").exists()


def test_with_nowhere_to_keep_machine_code_a_command_says_what_to_set(
    small_file, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(compiled.numba.config, "CACHE_DIR", "")
    monkeypatch.setattr(compiled, "_LOCATORS", ())
    compiled.check_machine_code.cache_clear()
    try:
        status = main(["run", str(small_file), "--no-plot", "--out", str(tmp_path / "out")])
    finally:
        compiled.check_machine_code.cache_clear()
    assert status == 1
    error = capsys.readouterr().err
    assert error.startswith("interregnum: numba cannot keep the compiled model anywhere")
    assert "set NUMBA_CACHE_DIR to a folder you can write" in error
    assert not (tmp_path / "out").exists()


def test_the_month_counts_as_compiled_where_numba_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled.numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    month_cache = compiled.cache_directory(compiled.PACKAGE / "model")
    assert month_cache.is_relative_to(tmp_path / "cache")
    assert not compiled.machine_code_cached()
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    (month_cache / f"month.simulate_month-80.{python}.nbi").write_bytes(b"ours")
    assert compiled.machine_code_cached()


@pytest.mark.slow
def test_a_replay_on_a_new_machine_compiles_the_mechanisms_only(small_file, tmp_path, monkeypatch):
    # A new user's `make run` replays: it waits for the mechanisms, not the decisions.
    monkeypatch.setattr(compiled.numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    command = [sys.executable, "-m", "simulation.cli", "run", str(small_file), "--no-plot"]
    environment = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out")], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "about half a minute" in done.stderr
    assert compiled.machine_code_cached("replay_month")
    assert not compiled.machine_code_cached("simulate_month")
