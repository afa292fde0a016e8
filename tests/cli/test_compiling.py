"""While the model compiles, the command says how long it has taken so far."""

import contextlib
import io
import threading

import simulation.cli
from simulation.cli import main
from simulation.cli.compiling import CompilingClock
from simulation.model import compiled


def test_the_clock_says_how_long_until_the_machine_code_is_there():
    compiled_now = threading.Event()
    stream = io.StringIO()
    with CompilingClock(compiled_now.is_set, stream, every=0.05, poll=0.01) as clock:
        threading.Timer(0.2, compiled_now.set).start()
        clock._thread.join(timeout=30)  # it stops by itself once it sees the code there
    assert not clock._thread.is_alive()
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith("interregnum: still compiling (") for line in lines[:-1])
    assert lines[-1].startswith("interregnum: compiled in ") and lines[-1].endswith(" s")


def test_the_clock_stops_with_the_command_whatever_it_did():
    stream = io.StringIO()
    with CompilingClock(lambda: False, stream, every=60.0, poll=0.01) as clock:
        pass
    assert not clock._thread.is_alive()
    assert stream.getvalue() == ""  # a command that ended before compiling says nothing more


def test_a_command_that_must_compile_runs_under_the_clock(small_file, tmp_path, monkeypatch):
    clocks = []

    @contextlib.contextmanager
    def clock(done, stream):
        clocks.append(done)
        yield

    monkeypatch.setattr(simulation.cli, "CompilingClock", clock)
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: False)
    assert main(["run", str(small_file), "--out", str(tmp_path / "cold"), "--no-plot"]) == 0
    assert len(clocks) == 1
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: True)
    assert main(["run", str(small_file), "--out", str(tmp_path / "warm"), "--no-plot"]) == 0
    assert len(clocks) == 1  # machine code on disk: no clock
    assert clocks[0]() is True  # it asks the cache, as the notice did
    # The dashboard compiles when a page asks, maybe never: a clock would run for its life.
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: False)
    assert main(["dashboard", "--port", "99999"]) == 2
    assert len(clocks) == 1
