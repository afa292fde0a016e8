"""The public API: what ``simulation`` names, and the README's Python example, run as written."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import simulation

ROOT = Path(__file__).resolve().parent.parent


def _readme_python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_every_public_name_imports():
    for name in simulation.__all__:
        assert getattr(simulation, name) is not None, name


def test_importing_the_package_leaves_the_model_unloaded():
    code = "import sys, simulation; print('simulation.model' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "False"


def test_the_readme_example_uses_only_public_names_and_runs(tmp_path, monkeypatch):
    blocks = _readme_python_blocks()
    assert blocks, "the README has no Python example"
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom):
                assert node.module == "simulation", f"README imports from {node.module}"
                assert {alias.name for alias in node.names} <= set(simulation.__all__)
    for folder in ("scenarios", "calibration"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    exec(blocks[0], {})  # noqa: S102 - the README's own example, as a user would paste it
    assert (tmp_path / "outputs" / "my-ensemble" / "summary.parquet").is_file()
