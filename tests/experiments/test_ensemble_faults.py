"""Ensembles under faults: damaged parts, kills, dead workers, wrong schedulers, no room."""

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future

import pytest
from conftest import BASELINE

from simulation.cli import main
from simulation.experiments.ensemble import (
    DaskExecutor,
    Ensemble,
    EnsembleError,
    LocalProcessExecutor,
    SerialExecutor,
    make_executor,
    run_ensemble,
    store,
)
from simulation.experiments.ensemble import executors as executors_module
from simulation.experiments.ensemble.chunks import ChunkWritten, simulate_chunk
from simulation.experiments.ensemble.executors import available_cores
from simulation.experiments.ensemble.parts import complete_chunks, write_chunk
from simulation.experiments.ensemble.scheduler import check_scheduler
from simulation.model import Mode

pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)

TABLE_FILES = (
    "summary",
    "tenures",
    "events",
    "votes",
    "parameters",
    "quantiles",
    "trajectories",
)


@pytest.fixture
def reference(small_scenario, tmp_path):
    """Twelve replay runs in chunks of four, undisturbed."""
    ensemble = Ensemble(small_scenario, runs=12, seed=3, mode=Mode.FREE, keep_trajectories=True)
    out = tmp_path / "reference"
    run_ensemble(ensemble, out, SerialExecutor(), chunk_size=4)
    return ensemble, out


def files_of(out):
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLE_FILES}


# --- damaged parts are simulated again, never trusted -----------------------------------


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _zero(path):
    path.write_bytes(bytes(path.stat().st_size))


def _garbage(path):
    path.write_bytes(os.urandom(path.stat().st_size))


def _flip_eight_bytes(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for k in range(8):
        data[middle + k] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGES = {
    "truncated": ("summary", _truncate),
    "zeroed": ("events", _zero),
    "garbage": ("votes", _garbage),
    "flipped bytes": ("summary", _flip_eight_bytes),
    "flipped array": ("arrays", _flip_eight_bytes),
}


@pytest.mark.parametrize("damage", [*DAMAGES, "votes copied over summary"])
def test_a_damaged_part_is_simulated_again_on_resume(reference, damage):
    ensemble, out = reference
    before = files_of(out)
    parts = out / "parts"
    if damage == "votes copied over summary":
        (parts / "summary-0000004-0000007.parquet").write_bytes(
            (parts / "votes-0000004-0000007.parquet").read_bytes()
        )
    else:
        table, spoil = DAMAGES[damage]
        extension = "npz" if table == "arrays" else "parquet"
        spoil(parts / f"{table}-0000004-0000007.{extension}")
    report = run_ensemble(ensemble, out, SerialExecutor(), resume=True, chunk_size=4)
    assert (report.simulated, report.already_done) == (4, 8)
    assert files_of(out) == before


def test_a_chunk_record_of_another_ensemble_is_not_taken_for_ours(reference, small_scenario):
    ensemble, out = reference
    other = Ensemble(small_scenario, runs=12, seed=4, keep_trajectories=True)
    assert complete_chunks(out / "parts", other.tables, 12, other.key()) == []
    assert complete_chunks(out / "parts", ensemble.tables, 12, ensemble.key()) == []  # deleted


# --- kills ------------------------------------------------------------------------------


@pytest.mark.parametrize("resume", [False, True])
def test_a_directory_left_by_a_kill_before_the_manifest_is_used(small_file, tmp_path, resume):
    out = tmp_path / "killed-at-start"
    (out / "parts").mkdir(parents=True)  # killed after parts/ was made, before the manifest
    (out / f".manifest.json.{os.getpid() + 10**7}.0123abcd.tmp").write_text("{")
    arguments = ["ensemble", str(small_file), "--runs", "3", "--workers", "1"]
    assert main([*arguments, "--out", str(out), "--quiet"] + ["--resume"] * resume) == 0
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    assert not list(out.glob(".*.tmp"))


def _die(runs, seeds):
    os.kill(os.getpid(), signal.SIGKILL)


class DyingWorkers(LocalProcessExecutor):
    """Local workers, the one running a chosen chunk killed (as the OOM killer would)."""

    def __init__(self, workers, doomed_chunk, deaths):
        super().__init__(workers)
        self.doomed_chunk = doomed_chunk
        self.deaths = deaths

    def submit(self, runs, seeds):
        if runs[0] == self.doomed_chunk and self.deaths > 0:
            self.deaths -= 1
            return self._pool.submit(_die, runs, seeds)
        return super().submit(runs, seeds)


def test_a_worker_killed_mid_run_loses_nothing(reference, tmp_path, capfd):
    ensemble, out = reference
    redone = tmp_path / "redone"
    report = run_ensemble(ensemble, redone, DyingWorkers(2, 4, deaths=1), chunk_size=4)
    assert report.simulated == 12
    assert files_of(redone) == files_of(out)
    assert "a worker process died" in capfd.readouterr().err


def test_workers_that_keep_dying_stop_the_ensemble_resumably(reference, tmp_path):
    ensemble, out = reference
    stopped = tmp_path / "stopped"
    with pytest.raises(EnsembleError, match="a worker process died.*run again with --resume"):
        run_ensemble(ensemble, stopped, DyingWorkers(2, 8, deaths=10), chunk_size=4)
    spans = complete_chunks(stopped / "parts", ensemble.tables, 12, ensemble.key())
    assert (8, 11) not in spans  # the chunk that kills its worker never finished
    report = run_ensemble(ensemble, stopped, SerialExecutor(), resume=True, chunk_size=4)
    # The chunks that finished before the pool broke are kept (how many is up to timing).
    assert report.already_done == sum(last - first + 1 for first, last in spans)
    assert report.simulated == 12 - report.already_done
    assert files_of(stopped) == files_of(out)


def test_the_cli_ends_a_dying_ensemble_with_status_1_and_no_traceback(
    small_file, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(executors_module, "_simulate_in_worker", _die)
    out = tmp_path / "out"
    arguments = ["ensemble", str(small_file), "--runs", "4", "--workers", "2", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "interregnum: a worker process died" in error
    assert "Traceback" not in error and "BrokenProcessPool" not in error


class StoppedWhileWorkersWrite(SerialExecutor):
    """Workers that write their chunks' parts, and a stop (Ctrl-C, SIGTERM) that comes
    after they wrote them and before their results reached the ensemble's count."""

    writes_parts = True

    def submit(self, runs, seeds):
        result = simulate_chunk(self._job, runs, seeds)
        write_chunk(self._job.parts, self._job.tables, result, self._job.ensemble)
        future = Future()
        future.set_result(ChunkWritten(result.first, result.last))
        return future

    def wait(self, pending):
        raise KeyboardInterrupt


def test_a_stopped_session_counts_the_runs_its_workers_wrote(small_scenario, tmp_path):
    """CI caught it: stopped at that moment, the session said it had simulated 0 runs."""
    ensemble = Ensemble(small_scenario, runs=12, seed=3, mode=Mode.FREE)
    out = tmp_path / "stopped"
    with pytest.raises(KeyboardInterrupt):
        run_ensemble(ensemble, out, StoppedWhileWorkersWrite(), chunk_size=4)
    written = complete_chunks(out / "parts", ensemble.tables, 12, ensemble.key())
    session = store.read_manifest(out)["sessions"][-1]
    assert written and session["ended"] == "interrupted"
    assert session["runs_simulated"] == sum(last - first + 1 for first, last in written)


# --- schedulers that are not Dask -------------------------------------------------------


@pytest.fixture
def silent_listener():
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    for connection, _ in accepted:
        connection.close()
    server.close()


@pytest.fixture
def http_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("listener", ["silent_listener", "http_server"])
def test_a_port_where_dask_does_not_listen_fails_within_seconds(request, listener):
    address = request.getfixturevalue(listener)
    started = time.monotonic()
    with pytest.raises(EnsembleError, match="is not a Dask scheduler .it sent nothing in 1 s"):
        DaskExecutor(address, timeout=1.0)
    assert time.monotonic() - started < 5


@pytest.mark.slow
@pytest.mark.parametrize("command", ["ensemble", "assess"])
def test_the_cli_reports_a_silent_listener_as_not_dask(
    command, small_file, tmp_path, capsys, silent_listener
):
    """Within seconds, before anything is written: the assessment checks as an ensemble does."""
    out = tmp_path / "out"
    scenario = small_file if command == "ensemble" else BASELINE
    started = time.monotonic()
    status = main(
        [command, str(scenario), "--runs", "2", "--scheduler", silent_listener]
        + ["--out", str(out), "--quiet"]
    )
    assert status == 1
    assert f"something listens at {silent_listener}, but it is not a Dask scheduler" in (
        capsys.readouterr().err
    )
    assert time.monotonic() - started < 15
    assert not out.exists()


@pytest.mark.parametrize(
    "address", ["not a url", "http://127.0.0.1:8786", "tcp://127.0.0.1:99999", "tcp://host"]
)
def test_a_malformed_scheduler_address_exits_2(small_file, tmp_path, capsys, address):
    out = tmp_path / "out"
    status = main(
        ["ensemble", str(small_file), "--runs", "2", "--scheduler", address, "--out", str(out)]
    )
    assert status == 2
    assert "--scheduler expects a Dask scheduler's address such as tcp://HOST:PORT" in (
        capsys.readouterr().err
    )
    assert not out.exists()


def test_a_real_scheduler_passes_the_check():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp://", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        check_scheduler(cluster.scheduler_address, timeout=5)


# --- sizes and workers ------------------------------------------------------------------


def test_an_ensemble_the_disk_cannot_hold_is_refused_with_figures(small_file, tmp_path, capsys):
    out = tmp_path / "huge"
    status = main(["ensemble", str(small_file), "--runs", str(10**12), "--out", str(out)])
    assert status == 2
    error = capsys.readouterr().err
    assert f"--runs {10**12} needs about" in error
    assert "of disk under" in error and "are free" in error
    assert not out.exists()


def test_an_ensemble_whose_quantiles_memory_cannot_hold_is_refused(
    small_scenario, tmp_path, monkeypatch
):
    ensemble = Ensemble(small_scenario, runs=1000)
    disk, memory = store.space_needed(ensemble, 1000)
    assert memory == 2 * 1000 * 4 * 8  # one month of every run's values, and its sort
    assert disk == 1000 * (3 * 12 * 4 * 8 + 8 + 1500) + 1000 * 1500
    monkeypatch.setattr(store, "_available_memory", lambda: memory - 1)
    with pytest.raises(EnsembleError, match=r"needs about 64.0 kB of memory .* 64.0 kB are"):
        run_ensemble(ensemble, tmp_path / "out", SerialExecutor())
    assert not (tmp_path / "out" / "parts").exists()


def test_more_workers_than_cores_are_capped_with_a_note(small_file, tmp_path, capsys):
    cores = available_cores()
    out = tmp_path / "out"
    arguments = ["ensemble", str(small_file), "--runs", "2", "--workers", str(cores + 60)]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 0
    assert f"--workers {cores + 60}: this machine gives {cores} core" in capsys.readouterr().err
    assert make_executor(workers=cores + 60).workers == cores


def test_a_manifest_that_is_a_json_list_exits_2(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("[1, 2]\n")
    assert main(["ensemble", str(small_file), "--runs", "2", "--out", str(out), "--resume"]) == 2
    assert "an ensemble manifest is a JSON object, this one is a JSON list" in (
        capsys.readouterr().err
    )


def test_identical_runs_are_said_to_be_identical(small_file, tmp_path, capsys):
    out = tmp_path / "replay"
    arguments = ["ensemble", str(small_file), "--runs", "5", "--mode", "replay", "--workers", "1"]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "every one of the 5 runs gave the same outcomes" in printed
    assert "not because the estimate is precise" in printed


def _holder(folder):
    """Another process holding ``folder`` as a command writing in it does; killed at the end."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from simulation.experiments.ensemble.store import held\n"
        "with held(Path(sys.argv[1])):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_process_in_a_folder_being_written_is_refused_and_nothing_there_changes(
    small_file, tmp_path, capsys
):
    out = tmp_path / "out"
    arguments = ["ensemble", str(small_file), "--runs", "4", "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    capsys.readouterr()
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    holder = _holder(out)
    try:
        for extra in ([], ["--resume"]):
            assert main([*arguments, *extra, "--out", str(out)]) == 2
            error = capsys.readouterr().err
            assert f"--out {out} is being written by another interregnum process now" in error
    finally:
        holder.kill()
        holder.wait()
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    assert after.keys() - before.keys() == {store.LOCK}  # the killed holder's, not locked
    assert {name: after[name] for name in before} == before
    assert main([*arguments, "--out", str(out)]) == 0  # a killed holder holds nothing
    assert "reused" in capsys.readouterr().out
    assert store.LOCK not in {path.name for path in out.iterdir()}


def test_the_ensemble_runner_refuses_a_folder_another_process_holds(small_scenario, tmp_path):
    out = tmp_path / "runs"
    holder = _holder(out)
    try:
        with pytest.raises(EnsembleError, match="being written by another interregnum process"):
            run_ensemble(Ensemble(small_scenario, runs=2), out, SerialExecutor())
    finally:
        holder.kill()
        holder.wait()
    assert not (out / "manifest.json").exists()
