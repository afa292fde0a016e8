import sys

import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.model import compiled
from simulation.model.compiled import MARKER, drop_stale_machine_code


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_SCENARIO)
    return path


def make_package(root):
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "kernel.py").write_text("@njit\ndef f(): return 1\n")
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


def test_the_first_run_on_a_machine_says_it_is_compiling(small_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(compiled, "machine_code_cached", lambda: False)
    assert main(["run", str(small_file), "--out", str(tmp_path / "out"), "--no-plot"]) == 0
    assert "compiling the model" in capsys.readouterr().err


def test_a_cached_machine_starts_without_a_word(small_file, tmp_path, capsys):
    main(["run", str(small_file), "--out", str(tmp_path / "warm")])  # compiles if need be
    capsys.readouterr()
    assert compiled.machine_code_cached()
    assert main(["validate", str(small_file)]) == 0
    assert main(["run", str(small_file), "--out", str(tmp_path / "out"), "--no-plot"]) == 0
    assert "compiling" not in capsys.readouterr().err


def test_code_compiled_for_another_python_does_not_count(tmp_path):
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    (cache / "month.simulate_month-80.py39.nbi").write_bytes(b"old")
    assert not compiled.machine_code_cached(cache)
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    (cache / f"month.simulate_month-80.{python}.nbi").write_bytes(b"ours")
    assert compiled.machine_code_cached(cache)
