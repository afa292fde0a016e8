"""One result whatever runs the ensemble: the baseline in free mode, on every executor."""

import pandas as pd
import pytest

from simulation.experiments.ensemble import (
    Ensemble,
    LocalProcessExecutor,
    SerialExecutor,
    make_executor,
    run_ensemble,
)
from simulation.model import Mode

pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)

RUNS = 24
FILES = ("summary", "tenures", "events", "votes", "parameters", "quantiles", "trajectories")


@pytest.fixture(scope="module")
def serial(baseline, tmp_path_factory):
    """The baseline's free-mode ensemble in this process, chunks of five."""
    ensemble = Ensemble(baseline, runs=RUNS, seed=11, mode=Mode.FREE, keep_trajectories=True)
    out = tmp_path_factory.mktemp("serial")
    run_ensemble(ensemble, out, SerialExecutor(), chunk_size=5)
    return ensemble, out


def files(out):
    return {name: (out / f"{name}.parquet").read_bytes() for name in FILES}


def test_free_mode_runs_of_the_baseline_differ(serial):
    """Else the equivalence below would hold trivially."""
    _, out = serial
    summary = pd.read_parquet(out / "summary.parquet")
    assert summary["power_stalin"].nunique() > RUNS // 2


def test_two_local_workers_write_the_same_files(serial, tmp_path):
    ensemble, reference = serial
    report = run_ensemble(ensemble, tmp_path, LocalProcessExecutor(2), chunk_size=3)
    assert report.simulated == RUNS
    assert files(tmp_path) == files(reference)


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_files(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    ensemble, reference = serial
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        executor = make_executor(scheduler=cluster.scheduler_address)
        report = run_ensemble(ensemble, tmp_path, executor, chunk_size=7)
    assert report.simulated == RUNS
    assert report.executor.startswith("dask.distributed scheduler tcp://")
    assert files(tmp_path) == files(reference)
