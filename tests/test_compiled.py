from simulation.compiled import MARKER, drop_stale_machine_code


def make_package(root):
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "kernel.py").write_text("x = 1\n")
    (root / "sub" / "mechanism.py").write_text("y = 2\n")
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

    (package / "sub" / "mechanism.py").write_text("y = 3\n")  # a callee changes
    assert drop_stale_machine_code(package)
    assert cached_files(package) == []
