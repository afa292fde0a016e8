"""Output files are replaced whole or not at all."""

import pytest

from simulation.output.files import write_atomically, write_text


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
