"""Ensembles: seeds, executors, streaming, consolidation, resume, refusal, CLI."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import SMALL_SCENARIO

from simulation.cli import main
from simulation.experiments.ensemble import (
    DaskExecutor,
    Ensemble,
    EnsembleError,
    LocalProcessExecutor,
    SerialExecutor,
    run_ensemble,
    runner,
)
from simulation.experiments.ensemble.chunks import chunks
from simulation.experiments.ensemble.quantiles import QUANTILE_COLUMNS, quantile_frame
from simulation.experiments.ensemble.store import complete_chunks, is_complete
from simulation.experiments.outcomes import run_outcome, summary_columns
from simulation.experiments.seeds import run_seed, run_seeds
from simulation.model import Mode, PartyModel
from simulation.model.code_version import model_digest

# pytest's process has run pyarrow's thread pools by the time a test forks workers; the
# CLI forks them first. Python 3.12 warns about any fork from a multi-threaded process.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)

TABLE_FILES = ("summary", "tenures", "events", "votes", "parameters", "quantiles")
MONTHS, LEADERS = 12, 4


def same_files(a, b, tables=TABLE_FILES):
    """The consolidated Parquet files of two ensemble directories are byte for byte equal."""
    return {
        name: (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes()
        for name in tables
    }


def read(out, table):
    return pd.read_parquet(out / f"{table}.parquet")


@pytest.fixture
def serial_reference(small_scenario, tmp_path):
    """Sixteen replay runs in this process: the reference the other executors must match."""
    ensemble = Ensemble(small_scenario, runs=16, seed=5, mode=Mode.REPLAY, keep_trajectories=True)
    out = tmp_path / "serial"
    run_ensemble(ensemble, out, SerialExecutor(), chunk_size=3)
    return ensemble, out


# --- seeds and chunks ----------------------------------------------------------------


def test_run_seeds_are_drawn_from_spawned_seed_sequences():
    children = np.random.SeedSequence(42).spawn(5)
    assert run_seeds(42, 5) == [int(child.generate_state(1)[0]) for child in children]
    assert len(set(run_seeds(42, 1000))) == 1000


def test_run_i_has_the_same_seed_whatever_the_ensemble_size():
    assert run_seeds(3, 10) == run_seeds(3, 40)[:10]
    assert run_seeds(0, 3) != run_seeds(1, 3)  # 0 is a seed like any other


def test_one_run_seed_is_that_run_of_the_ensemble_without_spawning_the_others():
    assert [run_seed(7, run) for run in range(30)] == run_seeds(7, 30)
    # Run 10**9, as numpy's own spawn gives it once as many children have been spawned.
    child = np.random.SeedSequence(7, n_children_spawned=10**9).spawn(1)[0]
    assert run_seed(7, 10**9) == int(child.generate_state(1)[0])


def test_chunks_are_consecutive_runs_of_bounded_size():
    assert chunks([0, 1, 2, 3, 4], 2) == [[0, 1], [2, 3], [4]]
    assert chunks([0, 1, 5, 6, 7, 9], 5) == [[0, 1], [5, 6, 7], [9]]


# --- one result whatever the executor --------------------------------------------------


def test_runs_match_single_models_with_their_seeds(serial_reference, small_scenario):
    ensemble, out = serial_reference
    summary = read(out, "summary")
    seeds = run_seeds(5, 16)
    assert summary["run"].tolist() == list(range(16))
    assert summary["seed"].tolist() == seeds
    model = PartyModel(small_scenario, seed=seeds[9], mode=Mode.REPLAY, run=9)
    while model.running:
        model.step()
    expected = run_outcome(model).summary
    row = summary.iloc[9].to_dict()
    assert row["dominant"] == expected["dominant"]
    for column in summary_columns(small_scenario)[4:]:
        assert row[column] == pytest.approx(expected[column], nan_ok=True, rel=0, abs=0)


def test_two_local_workers_write_the_same_files_as_one(serial_reference, tmp_path):
    ensemble, serial = serial_reference
    out = tmp_path / "two"
    report = run_ensemble(ensemble, out, LocalProcessExecutor(2), chunk_size=5)
    assert report.simulated == 16
    assert "2 workers" in report.executor
    assert all(same_files(serial, out, TABLE_FILES + ("trajectories",)).values())


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_files(serial_reference, small_file, tmp_path):
    distributed = pytest.importorskip("distributed")
    ensemble, serial = serial_reference
    out = tmp_path / "dask"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        status = main(
            [
                "ensemble",
                str(small_file),
                "--runs",
                "16",
                "--seed",
                "5",
                "--mode",
                "replay",
                "--scheduler",
                cluster.scheduler_address,
                "--keep-trajectories",
                "--chunk-size",
                "4",
                "--out",
                str(out),
                "--quiet",
            ]
        )
    assert status == 0
    assert all(same_files(serial, out, TABLE_FILES + ("trajectories",)).values())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["executor"].startswith("dask.distributed scheduler tcp://")


def test_an_unreachable_scheduler_is_reported():
    with pytest.raises(EnsembleError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=0.5)


# --- streaming and consolidation ------------------------------------------------------


def test_each_chunk_streams_its_parts_and_consolidation_concatenates_them(serial_reference):
    ensemble, out = serial_reference
    parts = out / "parts"
    spans = complete_chunks(parts, ensemble.tables, ensemble.runs, ensemble.key())
    assert spans == [(first, min(first + 2, 15)) for first in range(0, 16, 3)]
    for table in ("summary", "tenures", "events", "votes", "parameters", "trajectories"):
        pieces = [pq.read_table(parts / f"{table}-{a:07d}-{b:07d}.parquet") for a, b in spans]
        whole = pd.concat([piece.to_pandas() for piece in pieces], ignore_index=True)
        pd.testing.assert_frame_equal(whole, read(out, table))
    with np.load(parts / "arrays-0000003-0000005.npz") as arrays:
        assert arrays["run"].tolist() == [3, 4, 5]
        assert arrays["power"].shape == (3, MONTHS, LEADERS)
    assert not list(parts.glob(".*.tmp"))


def test_summary_and_tenures_columns(serial_reference, small_scenario):
    _, out = serial_reference
    summary = read(out, "summary")
    assert list(summary.columns) == summary_columns(small_scenario)
    assert set(summary["scenario"]) == {"small"}
    tenures = read(out, "tenures")
    assert list(tenures.columns) == ["run", "leader", "post", "start", "end"]
    trotsky = tenures[(tenures["leader"] == "trotsky") & (tenures["post"] == "war_commissar")]
    assert len(trotsky) == 16 and set(trotsky["end"]) == {"1923-02"}
    assert tenures["end"].isna().any()  # posts held at the end have no end
    assert list(read(out, "events").columns)[:3] == ["run", "date", "event_id"]
    assert list(read(out, "votes").columns)[-4:] == [
        "votes_for",
        "votes_against",
        "carried",
        "forced",
    ]


def test_quantiles_are_ordered_and_exact(serial_reference):
    _, out = serial_reference
    quantiles = read(out, "quantiles")
    assert list(quantiles.columns) == ["scenario", "date", "leader", "measure", *QUANTILE_COLUMNS]
    assert len(quantiles) == 3 * MONTHS * LEADERS
    assert set(quantiles["measure"]) == {"influence", "apparatus", "power"}
    values = quantiles[list(QUANTILE_COLUMNS)].to_numpy()
    assert (np.diff(values, axis=1) >= 0).all()
    trajectories = read(out, "trajectories")
    rows = trajectories[(trajectories["leader"] == "stalin") & (trajectories["date"] == "1922-10")]
    expected = np.quantile(rows["apparatus"], [0.05, 0.25, 0.5, 0.75, 0.95])
    got = quantiles[
        (quantiles["leader"] == "stalin")
        & (quantiles["date"] == "1922-10")
        & (quantiles["measure"] == "apparatus")
    ]
    assert got[list(QUANTILE_COLUMNS)].to_numpy().ravel().tolist() == expected.tolist()


def test_quantiles_match_an_independent_computation_whole_or_in_blocks(
    serial_reference, small_scenario
):
    _, out = serial_reference
    # Independently: pandas' quantiles of every (measure, month, leader) over the runs'
    # trajectories, a table written from the runs' frames, not from the arrays.
    trajectories = read(out, "trajectories").melt(
        id_vars=["run", "date", "leader"], var_name="measure"
    )
    grouped = trajectories.groupby(["measure", "date", "leader"])["value"]
    expected = grouped.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    expected.columns = list(QUANTILE_COLUMNS)
    parts = sorted((out / "parts").glob("arrays-*.npz"))
    whole = quantile_frame(small_scenario, parts, 16)
    blocks = quantile_frame(small_scenario, parts, 16, memory=8 * LEADERS * 16 * 5)
    for frame in (whole, blocks, read(out, "quantiles")):
        got = frame.set_index(["measure", "date", "leader"])[list(QUANTILE_COLUMNS)]
        got = got.reindex(expected.index)
        np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)


# --- resume ---------------------------------------------------------------------------


@pytest.mark.slow
def test_resume_after_a_real_kill_gives_every_run_once_and_the_same_files(
    small_file, small_scenario, tmp_path
):
    psutil = pytest.importorskip("psutil")
    runs = 300
    out = tmp_path / "killed"
    command = [
        sys.executable,
        "-m",
        "simulation.cli",
        "ensemble",
        str(small_file),
        "--runs",
        str(runs),
        "--workers",
        "2",
        "--chunk-size",
        "1",
        "--out",
        str(out),
        "--quiet",
    ]
    # One run a chunk: the kill comes after 3 of 300 chunks are written, with ~297 chunk
    # writes (seconds, even on a busy machine) of margin before the ensemble could end.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "parts").glob("chunk-*.json"))) < 3:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "no part appeared"
            time.sleep(0.01)
        workers = psutil.Process(process.pid).children()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    # Orphaned workers notice their parent is gone and end.
    gone, alive = psutil.wait_procs(workers, timeout=5)
    for worker in alive:
        worker.kill()
    assert not alive
    assert not (out / "summary.parquet").exists()
    ensemble = Ensemble(small_scenario, runs=runs, scenario_file=str(small_file))
    spans = complete_chunks(out / "parts", ensemble.tables, runs, ensemble.key())
    done_before = sum(b - a + 1 for a, b in spans)
    assert 3 <= done_before < runs

    report = run_ensemble(ensemble, out, LocalProcessExecutor(2), resume=True, chunk_size=25)
    assert report.already_done == done_before
    assert report.simulated == runs - done_before
    summary = read(out, "summary")
    assert summary["run"].tolist() == list(range(runs))

    reference = tmp_path / "uninterrupted"
    run_ensemble(ensemble, reference, SerialExecutor(), chunk_size=64)
    assert all(same_files(reference, out).values())
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    # The killed session never wrote its count: it is read off the parts it left.
    assert [session["runs_simulated"] for session in sessions] == [
        done_before,
        runs - done_before,
    ]
    assert sessions[0]["ended"].startswith("killed")
    assert [session["chunk_size"] for session in sessions] == [1, 25]


def test_an_interrupted_session_is_not_called_killed_for_the_runs_its_workers_finished():
    # Should an interrupted session's count fall short of its parts, it keeps its word.
    stopped = [{"runs_simulated": 80, "ended": "interrupted"}]
    assert runner._accounted(stopped, 85) == [
        {"runs_simulated": 85, "ended": "interrupted: its runs counted from the parts it left"}
    ]
    assert runner._accounted([{"runs_simulated": 0}], 40)[0]["ended"].startswith("killed")
    assert runner._accounted(stopped, 80) == stopped


def test_incomplete_chunks_and_temporary_files_are_redone(serial_reference, tmp_path):
    ensemble, reference = serial_reference
    out = tmp_path / "partial"
    run_ensemble(ensemble, out, SerialExecutor(), chunk_size=4)
    parts = out / "parts"
    (parts / "chunk-0000004-0000007.json").unlink()  # killed before the chunk's record
    (parts / "events-0000012-0000015.parquet").unlink()  # a part lost
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    leftover = parts / f".events-0000016-0000019.parquet.{int(dead.stdout)}.0123abcd.tmp"
    leftover.write_bytes(b"half")  # a write its (now dead) process never finished
    report = run_ensemble(ensemble, out, SerialExecutor(), resume=True, chunk_size=4)
    assert report.simulated == 8
    assert not list(parts.glob(".*.tmp"))
    assert all(same_files(reference, out, TABLE_FILES + ("trajectories",)).values())


def test_an_ensemble_cut_short_is_not_discarded_without_resume(serial_reference, tmp_path):
    """Its finished runs are minutes of work: starting afresh is the user's to choose."""
    ensemble, _ = serial_reference
    out = tmp_path / "cut"
    run_ensemble(ensemble, out, SerialExecutor(), chunk_size=4)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    (out / "parts" / "chunk-0000012-0000015.json").unlink()  # cut short in the last chunk
    records = sorted(path.name for path in (out / "parts").glob("chunk-*.json"))
    with pytest.raises(EnsembleError, match="holds 12 finished runs of this same ensemble"):
        run_ensemble(ensemble, out, SerialExecutor(), chunk_size=4)
    assert sorted(path.name for path in (out / "parts").glob("chunk-*.json")) == records
    report = run_ensemble(ensemble, out, SerialExecutor(), resume=True, chunk_size=4)
    assert (report.simulated, report.already_done) == (4, 12)


def test_resume_of_a_complete_ensemble_runs_nothing(serial_reference):
    ensemble, out = serial_reference
    before = {name: (out / f"{name}.parquet").read_bytes() for name in TABLE_FILES}
    report = run_ensemble(ensemble, out, SerialExecutor(), resume=True)
    assert (report.simulated, report.already_done) == (0, 16)
    assert before == {name: (out / f"{name}.parquet").read_bytes() for name in TABLE_FILES}


def test_trajectories_asked_on_resume_redo_chunks_without_them(small_scenario, tmp_path):
    out = tmp_path / "traj"
    plain = Ensemble(small_scenario, runs=6)
    run_ensemble(plain, out, SerialExecutor(), chunk_size=2)
    kept = Ensemble(small_scenario, runs=6, keep_trajectories=True)
    report = run_ensemble(kept, out, SerialExecutor(), resume=True, chunk_size=2)
    assert report.simulated == 6
    assert len(read(out, "trajectories")) == 6 * MONTHS * LEADERS
    # Resumed without them, the trajectories written before go with the manifest's word.
    report = run_ensemble(plain, out, SerialExecutor(), resume=True, chunk_size=2)
    assert report.simulated == 0
    assert not (out / "trajectories.parquet").exists()


def test_a_resume_keeps_the_trajectories_of_an_ensemble_that_kept_them(
    small_file, tmp_path, capsys
):
    """Resumed without --keep-trajectories, their file was deleted without a word."""
    out = tmp_path / "kept"
    base = ["ensemble", str(small_file), "--runs", "3", "--workers", "1", "--out", str(out)]
    assert main([*base, "--quiet", "--keep-trajectories"]) == 0
    kept = (out / "trajectories.parquet").read_bytes()
    capsys.readouterr()
    assert main([*base, "--quiet", "--resume"]) == 0
    assert f"interregnum: note: {out} keeps every run's trajectories" in capsys.readouterr().err
    assert (out / "trajectories.parquet").read_bytes() == kept
    assert json.loads((out / "manifest.json").read_text())["keep_trajectories"] is True


def test_trajectories_asked_on_resume_are_announced_before_the_runs_redone(
    small_file, tmp_path, capsys
):
    out = tmp_path / "traj"
    base = ["ensemble", str(small_file), "--runs", "3", "--workers", "1", "--out", str(out)]
    assert main([*base, "--quiet"]) == 0
    capsys.readouterr()
    assert main([*base, "--quiet", "--resume", "--keep-trajectories"]) == 0
    captured = capsys.readouterr()
    assert (
        f"interregnum: note: 3 runs in {out} were simulated without --keep-trajectories; "
        "each is simulated again"
    ) in captured.err
    assert "simulated 3 runs" in captured.out
    # Resumed without them the manifest says none are kept, but the runs still have them.
    assert main([*base, "--quiet", "--resume"]) == 0
    assert main([*base, "--quiet", "--resume", "--keep-trajectories"]) == 0
    captured = capsys.readouterr()
    assert "without --keep-trajectories" not in captured.err and "simulated 0 runs" in captured.out
    # Another ensemble is refused, with no note before the refusal.
    assert main([*base, "--quiet", "--resume", "--keep-trajectories", "--seed", "2"]) == 2
    error = capsys.readouterr().err
    assert "holds a different ensemble" in error and "without --keep" not in error


# --- refusing to mix ensembles --------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        (["--seed", "2"], "seed 1 there, 2 here"),
        (["--runs", "5"], "runs 4 there, 5 here"),
        (["--mode", "replay"], "mode 'free' there, 'replay' here"),
    ],
)
@pytest.mark.parametrize("resume", [False, True])
def test_a_directory_of_another_ensemble_is_refused(
    small_file, tmp_path, capsys, change, difference, resume
):
    out = tmp_path / "out"
    base = ["ensemble", str(small_file), "--workers", "1", "--out", str(out), "--quiet"]
    assert main([*base, "--runs", "4"]) == 0
    before = (out / "summary.parquet").read_bytes()
    arguments = [*base, "--runs", "4", *change] + ["--resume"] * resume
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert f"the folder of this ensemble's runs, {out}, holds a different ensemble" in error
    assert difference in error
    assert (out / "summary.parquet").read_bytes() == before


def test_another_scenario_is_refused(small_file, small_scenario, tmp_path):
    out = tmp_path / "out"
    run_ensemble(Ensemble(small_scenario, runs=3), out, SerialExecutor())
    other = small_scenario.model_copy(update={"events": small_scenario.events[:-1]})
    with pytest.raises(
        EnsembleError,
        match=r"holds a different ensemble \(another scenario: its file, an overlay it extends or "
        r"a --set, --drop-event, --move-event or --free-from differs \(scenario_sha256 \w{12}… ",
    ):
        run_ensemble(Ensemble(other, runs=3), out, SerialExecutor(), resume=True)


def test_a_refusal_names_the_folder_of_the_runs_as_such(small_scenario, tmp_path):
    # A study keeps its runs in OUT/runs/, a comparison each ensemble in OUT/<scenario>/:
    # the folder refused is not the --out the user gave, and the message says whose it is.
    runs = tmp_path / "study" / "runs"
    run_ensemble(Ensemble(small_scenario, runs=3), runs, SerialExecutor())
    with pytest.raises(EnsembleError) as refused:
        run_ensemble(Ensemble(small_scenario, runs=4), runs, SerialExecutor())
    message = str(refused.value)
    assert message.startswith(
        f"the folder of this ensemble's runs, {runs}, holds a different ensemble (runs 3 there, "
        "4 here); will not write into it: choose another --out or remove "
    )
    assert f"--out {runs}" not in message


def test_an_ensemble_of_another_version_of_the_model_is_neither_reused_nor_resumed(
    small_scenario, tmp_path
):
    # After an upgrade of the rules, the runs of the old ones are not the new ones'.
    out = tmp_path / "out"
    ensemble = Ensemble(small_scenario, runs=3)
    run_ensemble(ensemble, out, SerialExecutor())
    assert is_complete(out, ensemble)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["model_sha256"] = "0" * 64  # as an older version of the code wrote it
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert not is_complete(out, ensemble)
    with pytest.raises(EnsembleError, match="another version of the model's code"):
        run_ensemble(ensemble, out, SerialExecutor(), resume=True)


def test_the_models_digest_follows_what_makes_results_not_what_shows_them(tmp_path):
    making = ("model", "mechanisms", "scenario", "experiments")
    for folder in (*making, "output", "cli", "dashboard", "documentation"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rule.py").write_text("RATE = 0.1\n")
    before = model_digest.__wrapped__(tmp_path)
    for folder in ("output", "cli", "dashboard", "documentation"):
        (tmp_path / folder / "rule.py").write_text("RATE = 0.2\n")
    assert model_digest.__wrapped__(tmp_path) == before
    # How each run's parameters are drawn changes the tables as a rule does: a resume
    # across such a change mixed two versions' runs under one manifest.
    for folder in making:
        (tmp_path / folder / "rule.py").write_text("RATE = 0.3\n")
        assert model_digest.__wrapped__(tmp_path) != before
        (tmp_path / folder / "rule.py").write_text("RATE = 0.1\n")
    (tmp_path / "calendar.py").write_text("MONTHS = 12\n")
    assert model_digest.__wrapped__(tmp_path) != before


def test_a_non_empty_directory_without_a_manifest_is_refused(small_file, tmp_path, capsys):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["ensemble", str(small_file), "--runs", "2", "--out", str(out), "--quiet"]) == 2
    assert "is not empty and holds no ensemble manifest.json" in capsys.readouterr().err
    assert [path.name for path in out.iterdir()] == ["notes.txt"]


def test_a_single_runs_directory_is_refused_as_such(small_file, tmp_path, capsys):
    out = tmp_path / "one-run"
    assert main(["run", str(small_file), "--out", str(out), "--no-plot"]) == 0
    before = sorted(path.name for path in out.iterdir())
    capsys.readouterr()
    assert main(["ensemble", str(small_file), "--runs", "2", "--out", str(out), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert f"--out {out} holds the outputs of `interregnum run`" in error
    assert sorted(path.name for path in out.iterdir()) == before


def test_the_command_reuses_the_same_ensemble_finished(small_file, tmp_path, capsys):
    """It deleted the finished ensemble and started afresh: cut short, nothing was left."""
    out = tmp_path / "ensemble"
    arguments = ["ensemble", str(small_file), "--runs", "6", "--workers", "1", "--out", str(out)]
    assert main(arguments) == 0
    first = {path.name: path.read_bytes() for path in out.glob("*.parquet")}
    capsys.readouterr()
    assert main(arguments) == 0
    printed = capsys.readouterr().out
    assert f"reused: {out} held this ensemble, finished (remove it to start afresh)" in printed
    assert "simulated 0 runs" in printed
    assert first == {path.name: path.read_bytes() for path in out.glob("*.parquet")}


def test_the_same_ensemble_without_resume_starts_afresh(serial_reference):
    ensemble, out = serial_reference
    report = run_ensemble(ensemble, out, SerialExecutor(), chunk_size=8)
    assert (report.simulated, report.already_done) == (16, 0)
    assert sorted(path.name for path in (out / "parts").glob("summary-*")) == [
        "summary-0000000-0000007.parquet",
        "summary-0000008-0000015.parquet",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--runs", "0"], "--runs must be at least 1, got 0"),
        (["--runs", "3", "--workers", "0"], "--workers must be at least 1, got 0"),
        (["--runs", "3", "--seed", "-1"], "--seed must be an integer from 0 to 2**63 - 1, got -1"),
        (["--runs", "3", "--chunk-size", "0"], "--chunk-size must be at least 1, got 0"),
    ],
)
def test_bad_arguments_exit_2(small_file, tmp_path, capsys, arguments, message):
    out = tmp_path / "out"
    assert main(["ensemble", str(small_file), *arguments, "--out", str(out), "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_every_bad_number_is_named_in_one_attempt(small_file, tmp_path, capsys):
    numbers = ["--runs", "0", "--seed", "-1", "--workers", "0", "--chunk-size", "0"]
    assert main(["ensemble", str(small_file), *numbers, "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "--runs must be at least 1, got 0",
        "--workers must be at least 1, got 0",
        "--chunk-size must be at least 1, got 0",
        "--seed must be an integer from 0 to 2**63 - 1, got -1",
        "interregnum: 4 problems; nothing was run.",
    ]


def test_a_bad_scenario_is_named_with_the_bad_numbers(tmp_path, capsys):
    missing = tmp_path / "none.yaml"
    assert main(["ensemble", str(missing), "--runs", "0", "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[0].startswith(f"{missing}: no such scenario file")
    assert error[1:] == [
        "--runs must be at least 1, got 0",
        "interregnum: 2 problems; nothing was run.",
    ]


# --- the command ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["free", "replay"])
def test_the_fan_chart_marks_what_the_ensembles_mode_applied(
    small_file, tmp_path, monkeypatch, mode
):
    # A free ensemble's runs never applied the scenario's decisions: its fan chart must
    # not mark them as if they had happened; a replay's marks them.
    from simulation.output import fan

    marked = []
    real = fan.scenario_marks
    monkeypatch.setattr(
        fan, "scenario_marks", lambda scenario, asked: marked.append(asked) or real(scenario, asked)
    )
    arguments = ["ensemble", str(small_file), "--runs", "2", "--workers", "1", "--quiet"]
    assert main([*arguments, "--mode", mode, "--out", str(tmp_path / mode)]) == 0
    assert marked == [mode]


def test_the_command_writes_tables_manifest_and_fan_chart(
    small_file, small_scenario, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["ensemble", str(small_file), "--runs", "8", "--workers", "1", "--quiet"]) == 0
    out = tmp_path / "outputs" / "small-ensemble"
    assert {path.name for path in out.iterdir()} == {
        "summary.parquet",
        "tenures.parquet",
        "events.parquet",
        "votes.parquet",
        "parameters.parquet",
        "quantiles.parquet",
        "manifest.json",
        "fan.png",
        "paths.csv",
        "parts",
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["command"], manifest["scenario"]) == ("ensemble", "small")
    assert {"fan.png", "paths.csv", "parameters.parquet"} <= set(manifest["files"])
    assert manifest["scenario_file"] == str(small_file)
    assert (manifest["seed"], manifest["runs"], manifest["mode"]) == (1, 8, "free")
    assert manifest["overrides"] == []
    assert manifest["status"] == "complete"
    assert manifest["executor"] == "serial, in-process"
    assert {"mesa", "numpy", "pyarrow", "python"} <= set(manifest["versions"])
    assert (out / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "8 runs, root seed 1" in printed
    assert "simulated 8 runs in" in printed
    paths = pd.read_csv(out / "paths.csv")
    assert list(paths.columns) == ["factions", "verdicts", "dominant", "runs", "share", "history"]
    assert paths["runs"].sum() == 8
    assert "history's order of verdicts (trotsky): " in printed


def test_a_bad_scenario_runs_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL_SCENARIO.replace("influence: 0.9", "influence: 1.9"))
    assert main(["ensemble", str(bad), "--runs", "2", "--out", str(tmp_path / "o")]) == 2
    assert "nothing was run" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_workers_and_scheduler_exclude_each_other(small_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "ensemble",
                str(small_file),
                "--runs",
                "2",
                "--workers",
                "2",
                "--scheduler",
                "tcp://127.0.0.1:1",
            ]
        )
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_fork_falls_back_where_it_is_unavailable(monkeypatch, serial_reference, tmp_path):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    ensemble, serial = serial_reference
    executor = LocalProcessExecutor(2)
    assert executor.description == "local processes: 2 workers (spawn)"
    out = tmp_path / "spawned"
    run_ensemble(ensemble, out, executor, chunk_size=8)
    assert all(same_files(serial, out, TABLE_FILES + ("trajectories",)).values())


def test_change_flags_reach_the_scenario_and_the_manifest(small_file, tmp_path):
    out = tmp_path / "dropped"
    arguments = [
        "ensemble",
        str(small_file),
        "--runs",
        "3",
        "--mode",
        "replay",
        "--workers",
        "1",
        "--drop-event",
        "trotsky-out",
        "--out",
        str(out),
        "--quiet",
    ]
    assert main(arguments) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["overrides"] == ["--drop-event trotsky-out"]
    summary = read(out, "summary")
    assert summary["left_trotsky_war_commissar"].isna().all()
    assert summary["seed"].tolist() == run_seeds(1, 3)  # paired with the unchanged scenario


def test_an_ensemble_missing_its_quantiles_is_not_reused(small_scenario, tmp_path):
    """compare reused it, then failed to read the table it lacked, naming a write."""
    out = tmp_path / "out"
    ensemble = Ensemble(small_scenario, runs=3)
    assert ensemble.quantiles
    run_ensemble(ensemble, out, SerialExecutor())
    assert is_complete(out, ensemble)
    (out / "quantiles.parquet").unlink()
    assert not is_complete(out, ensemble)


def test_a_study_with_other_points_is_refused_in_words_not_digests(small_scenario, tmp_path):
    from simulation.experiments.sensitivity.design import SamplePoints

    out, names = tmp_path / "runs", ["hostility", "alliance_rate"]
    points = np.array([[0.2, 0.3], [0.4, 0.5]])
    first = SamplePoints(names, points, 1)
    run_ensemble(Ensemble(small_scenario, runs=2, parameters=first), out, SerialExecutor())
    other = Ensemble(small_scenario, runs=2, parameters=SamplePoints(names, points + 0.05, 1))
    # A sensitivity sample: its words, not a discovery's (it has no levers file).
    with pytest.raises(EnsembleError, match=r"\(other points to run \(another method, sample "):
        run_ensemble(other, out, SerialExecutor(), resume=True)
