"""``interregnum dashboard``: what it refuses before it starts serving."""

from __future__ import annotations

import socket

import pytest

from simulation.cli import main

pytestmark = pytest.mark.usefixtures("at_project_root")


def test_a_bad_scenario_is_refused_with_exit_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart: 1922-04\n", encoding="utf-8")
    assert main(["dashboard", str(bad), "--port", "1"]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert main(["dashboard", str(bad), "--port", "99999"]) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[-2:] == [
        "--port must be between 1 and 65535, got 99999",
        f"interregnum: {len(error) - 1} problems; nothing was run.",
    ]


def test_a_port_in_use_is_refused_with_exit_status_2(capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_port_out_of_range_is_refused(capsys):
    assert main(["dashboard", "--port", "70000"]) == 2
    assert "--port must be between 1 and 65535, got 70000" in capsys.readouterr().err
