"""While the model compiles, the command says how long it has taken so far."""

import contextlib
import io
import math
import threading
import time

from conftest import BASELINE
from numba.core import event as numba_events

import simulation.cli
from simulation.cli import main
from simulation.cli.compiling import CompilingClock
from simulation.model import compiled

NOTICE = "compiling the model for this machine (once, about a minute and a half)"


def numba_begins_compiling():
    """What numba raises when it finds no machine code on disk and compiles."""
    with numba_events.trigger_event("numba:compile", data={}):
        pass


def test_the_clock_says_when_compiling_begins_and_how_long_until_it_is_done():
    compiled_now = threading.Event()
    stream = io.StringIO()
    with CompilingClock(compiled_now.is_set, stream, NOTICE, every=0.05, poll=0.01) as clock:
        threading.Timer(0.2, compiled_now.set).start()
        with numba_events.trigger_event("numba:compile", data={}):
            clock._thread.join(timeout=30)  # it stops by itself once it sees the code there
    assert not clock._thread.is_alive()
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 3
    assert lines[0] == f"interregnum: {NOTICE}"
    assert all(line.startswith("interregnum: still compiling (") for line in lines[1:-1])
    assert lines[-1].startswith("interregnum: compiled in ") and lines[-1].endswith(" s")


def test_compiling_here_has_ended_when_numba_says_so_whatever_the_cache_holds():
    # The dashboard's page compiles a replay's month or a free one's, as the class chooses:
    # the cache of the one it did not choose would keep the clock counting for ever.
    stream = io.StringIO()
    # A second of quiet to wait, ten times the sleeps: a loaded machine oversleeps.
    with CompilingClock(lambda: False, stream, NOTICE, poll=0.01, settle=1.0) as clock:
        with numba_events.trigger_event("numba:compile", data={}):
            numba_begins_compiling()  # a function it calls, compiled inside it
            time.sleep(0.1)
        numba_begins_compiling()  # the next function building the model compiles
        time.sleep(0.1)
        assert clock._thread.is_alive()  # not yet quiet for long enough
        clock._thread.join(timeout=30)
    assert not clock._thread.is_alive()
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"interregnum: {NOTICE}"
    assert lines[-1].startswith("interregnum: compiled in ")
    assert len(lines) == 2


def test_a_command_that_ends_before_compiling_says_nothing_about_it():
    stream = io.StringIO()
    with CompilingClock(lambda: False, stream, NOTICE, poll=0.01, grace=60.0) as clock:
        pass
    assert not clock._thread.is_alive()
    assert stream.getvalue() == ""


def test_a_command_still_without_the_code_after_the_grace_is_compiling_in_its_workers():
    stream = io.StringIO()
    with CompilingClock(lambda: False, stream, NOTICE, poll=0.01, grace=0.05) as clock:
        time.sleep(0.3)  # no word from numba here: the workers compile
    assert not clock._thread.is_alive()
    assert stream.getvalue().splitlines() == [f"interregnum: {NOTICE}"]


def test_a_forked_worker_compiling_does_not_speak_for_this_process():
    stream = io.StringIO()
    with CompilingClock(lambda: False, stream, NOTICE, poll=0.01, grace=60.0) as clock:
        clock._listener.process = -1  # as a worker forked with the listener sees itself
        numba_begins_compiling()
        time.sleep(0.1)
    assert stream.getvalue() == ""


def test_a_refused_command_says_nothing_about_compiling(tmp_path, monkeypatch, capsys):
    # A new user's first command on a fresh machine, with a mistake in it: the refusal
    # alone, not a notice that sends them looking at the compiler.
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: False)
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASELINE}\nname: bad\nchanges:\n  - drop_event: nonexistent\n")
    for command in (["run"], ["ensemble", "--runs", "10"], ["assess", "--runs", "10"]):
        out = tmp_path / command[0]
        assert main([*command[:1], str(bad), *command[1:], "--out", str(out)]) == 2
        said = capsys.readouterr().err
        assert "nonexistent" in said
        assert "compil" not in said


def test_a_command_that_must_compile_runs_under_the_clock(small_file, tmp_path, monkeypatch):
    clocks = []

    @contextlib.contextmanager
    def clock(done, stream, notice, **settings):
        clocks.append((done, settings))
        yield

    monkeypatch.setattr(simulation.cli.compiling, "CompilingClock", clock)
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: False)
    assert main(["run", str(small_file), "--out", str(tmp_path / "cold"), "--no-plot"]) == 0
    assert len(clocks) == 1
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: True)
    assert main(["run", str(small_file), "--out", str(tmp_path / "warm"), "--no-plot"]) == 0
    assert len(clocks) == 1  # machine code on disk: no clock
    done, settings = clocks[0]
    assert done() is True  # it asks the cache, as the notice did
    assert settings == {}
    # The dashboard compiles in this process when a page asks, maybe hours later: no grace
    # after which its workers are taken to compile, for it has none.
    monkeypatch.setattr(compiled, "machine_code_cached", lambda month: False)
    assert main(["dashboard", "--port", "99999"]) == 2
    assert clocks[1][1] == {"grace": math.inf}
