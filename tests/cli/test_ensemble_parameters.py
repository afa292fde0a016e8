"""``ensemble`` and ``compare`` draw run parameters from the posterior by default, or the priors."""

import hashlib
import json
import shutil

import pandas as pd
import pytest
from conftest import BASELINE, ROOT, SMALL_SCENARIO

from simulation.cli import main
from simulation.experiments.outcomes import summary_row
from simulation.experiments.parameter_draws import PosteriorDraws, PriorDraws
from simulation.experiments.runs import run_model
from simulation.experiments.seeds import run_seeds
from simulation.model import Mode
from simulation.model.parameters import free_parameters

pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)

POSTERIOR = ROOT / "calibration" / "parameters" / "baseline-1922-posterior.csv"
RUNS, SEED = 8, 3
TABLES = ("summary", "tenures", "events", "votes", "parameters", "quantiles")


def ensemble(out, *extra, scenario=BASELINE):
    arguments = ["ensemble", str(scenario), "--runs", str(RUNS), "--seed", str(SEED)]
    return main([*arguments, "--out", str(out), "--quiet", *extra])


def manifest(out):
    return json.loads((out / "manifest.json").read_text())


def powers(summary):
    return summary.filter(like="power_").reset_index(drop=True)


def expected_powers(scenario, draws):
    """The power shares of runs ``0..RUNS-1`` simulated one by one, each with its parameters."""
    rows = []
    for run, seed in enumerate(run_seeds(SEED, RUNS)):
        drawn = draws.scenario_for(scenario, seed) if draws else scenario
        rows.append(summary_row(run_model(drawn, seed, Mode.FREE, run)))
    return powers(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def posterior_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("posterior") / "out"
    assert ensemble(out, "--workers", "1") == 0
    return out


def test_by_default_each_run_draws_its_parameters_from_the_committed_posterior(
    posterior_run, baseline
):
    record = manifest(posterior_run)
    assert record["parameters"] == "posterior"
    assert record["posterior"].endswith("calibration/parameters/baseline-1922-posterior.csv")
    assert record["posterior_sha256"] == hashlib.sha256(POSTERIOR.read_bytes()).hexdigest()
    assert record["parameters_kept"] == [] and record["parameters_note"] is None
    draws = PosteriorDraws.read(POSTERIOR)
    summary = pd.read_parquet(posterior_run / "summary.parquet")
    pd.testing.assert_frame_equal(powers(summary), expected_powers(baseline, draws))
    particles = {draws.particle_for(seed) for seed in run_seeds(SEED, RUNS)}
    assert len(particles) > 1  # the runs differ in their parameters


def test_each_runs_parameters_are_kept_beside_its_outcomes(posterior_run, baseline):
    """Outcomes could not be set against the parameters that made them without rerunning."""
    draws = PosteriorDraws.read(POSTERIOR)
    taken = pd.read_parquet(posterior_run / "parameters.parquet")
    assert list(taken["run"]) == list(range(RUNS))
    for run, seed in enumerate(run_seeds(SEED, RUNS)):
        expected = baseline.parameters.model_dump() | draws.values_for(seed)
        assert taken.drop(columns="run").iloc[run].to_dict() == pytest.approx(expected)
    assert taken["alliance_rate"].nunique() > 1


def test_a_posterior_not_the_fits_own_is_refused(tmp_path, capsys):
    """A fit cut short between its two files left a point beside another fit's posterior."""
    fits = tmp_path / "calibration" / "parameters"
    fits.mkdir(parents=True)
    point = ROOT / "calibration" / "parameters" / "baseline-1922.yaml"
    (fits / point.name).write_text(point.read_text())
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / BASELINE.name).write_text(BASELINE.read_text())
    scenario = scenarios / BASELINE.name
    other = pd.read_csv(POSTERIOR)
    other.loc[0, "weight"] *= 2  # another fit's sample
    other.to_csv(fits / POSTERIOR.name, index=False)
    assert ensemble(tmp_path / "out", "--workers", "1", scenario=scenario) == 2
    error = capsys.readouterr().err
    assert f"{fits / POSTERIOR.name}: not the posterior sample of the fit in " in error
    assert "fit.posterior_sha256" in error and not (tmp_path / "out").exists()
    (fits / POSTERIOR.name).write_text(POSTERIOR.read_text())
    assert ensemble(tmp_path / "out", "--workers", "1", scenario=scenario) == 0


def test_parameters_point_gives_every_run_the_point_estimate(posterior_run, baseline, tmp_path):
    out = tmp_path / "point"
    assert ensemble(out, "--workers", "1", "--parameters", "point") == 0
    record = manifest(out)
    assert (record["parameters"], record["posterior"], record["posterior_sha256"]) == (
        "point",
        None,
        None,
    )
    summary = pd.read_parquet(out / "summary.parquet")
    pd.testing.assert_frame_equal(powers(summary), expected_powers(baseline, None))
    drawn = pd.read_parquet(posterior_run / "summary.parquet")
    assert not powers(summary).equals(powers(drawn))


def test_two_workers_and_a_chunked_resume_write_the_same_files(posterior_run, tmp_path):
    two = tmp_path / "two"
    assert ensemble(two, "--workers", "2", "--chunk-size", "2") == 0
    partial = tmp_path / "partial"
    assert ensemble(partial, "--workers", "1", "--chunk-size", "3") == 0
    (partial / "parts" / "chunk-0000003-0000005.json").unlink()  # as if killed there
    (partial / "summary.parquet").unlink()
    assert ensemble(partial, "--workers", "2", "--chunk-size", "3", "--resume") == 0
    assert [s["runs_simulated"] for s in manifest(partial)["sessions"]] == [RUNS, 3]
    for out in (two, partial):
        for table in TABLES:
            assert (out / f"{table}.parquet").read_bytes() == (
                posterior_run / f"{table}.parquet"
            ).read_bytes(), (out.name, table)


@pytest.mark.slow
def test_a_dask_cluster_draws_the_same_parameters(posterior_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "dask"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert ensemble(out, "--scheduler", cluster.scheduler_address, "--chunk-size", "3") == 0
    for table in TABLES:
        assert (out / f"{table}.parquet").read_bytes() == (
            posterior_run / f"{table}.parquet"
        ).read_bytes(), table


def single_run(out, *extra):
    return main(["run", str(BASELINE), "--out", str(out), "--no-plot", *extra])


def test_run_ensemble_run_reproduces_that_run_of_the_ensemble(posterior_run, tmp_path, capsys):
    member = 5
    out = tmp_path / "member"
    assert single_run(out, "--ensemble-run", str(member), "--seed", str(SEED)) == 0
    seed = run_seeds(SEED, RUNS)[member]
    assert (
        f"seed {seed} (run {member} of the ensemble of root seed {SEED})" in capsys.readouterr().out
    )
    events = pd.read_parquet(posterior_run / "events.parquet")
    events = events[events["run"] == member].reset_index(drop=True)
    ours = pd.read_csv(out / "events.csv", keep_default_na=False, dtype={"post": str})
    pd.testing.assert_frame_equal(ours.astype(str), events.astype(str))
    summary = pd.read_parquet(posterior_run / "summary.parquet").set_index("run").loc[member]
    final = pd.read_csv(out / "trajectories.csv").query("date == '1926-12'")
    for row in final.itertuples():
        assert row.power == pytest.approx(summary[f"power_{row.leader}"], abs=1e-12)
    record = manifest(out)
    assert (record["ensemble_run"], record["ensemble_seed"], record["seed"]) == (member, SEED, seed)
    assert (record["mode"], record["parameters"]) == ("free", "posterior")
    assert record["posterior_sha256"] == hashlib.sha256(POSTERIOR.read_bytes()).hexdigest()


def test_a_single_run_takes_the_point_unless_asked_to_draw(baseline, tmp_path):
    assert single_run(tmp_path / "point", "--seed", "11") == 0
    record = manifest(tmp_path / "point")
    assert record["parameters"] == "point"
    assert record["parameter_values"] == baseline.parameters.model_dump()
    assert single_run(tmp_path / "drawn", "--seed", "11", "--parameters", "posterior") == 0
    record = manifest(tmp_path / "drawn")
    drawn = PosteriorDraws.read(POSTERIOR).values_for(11)
    assert record["parameters"] == "posterior" and record["mode"] == "replay"
    assert {name: record["parameter_values"][name] for name in drawn} == drawn
    assert drawn != {name: getattr(baseline.parameters, name) for name in drawn}


def test_every_bad_flag_of_a_run_is_named_in_one_attempt(tmp_path, capsys):
    bad = ["--ensemble-run", "-1", "--seed", "-4", "--network-months", "1930-01"]
    assert single_run(tmp_path / "out", *bad) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[-1] == "interregnum: 3 problems; nothing was run."
    assert "--ensemble-run must be at least 0, got -1" in error
    assert "--seed must be an integer from 0 to 2**63 - 1, got -4" in error
    assert any(line.startswith("--network-months: 1930-01") for line in error)
    assert not (tmp_path / "out").exists()


def test_a_bad_scenario_and_bad_flags_are_named_together(tmp_path, capsys):
    arguments = ["run", str(tmp_path / "none.yaml"), "--seed", "-1", "--ensemble-run", "-1"]
    assert main([*arguments, "--out", str(tmp_path / "out")]) == 2
    error = [line for line in capsys.readouterr().err.splitlines() if "compiling" not in line]
    assert error[0].startswith(f"{tmp_path / 'none.yaml'}: no such scenario file")
    assert error[1:] == [
        "--ensemble-run must be at least 0, got -1",
        "--seed must be an integer from 0 to 2**63 - 1, got -1",
        "interregnum: 3 problems; nothing was run.",
    ]


def test_a_resume_with_another_parameter_source_or_a_changed_posterior_is_refused(
    posterior_run, tmp_path, capsys
):
    before = (posterior_run / "summary.parquet").read_bytes()
    assert ensemble(posterior_run, "--workers", "1", "--parameters", "point", "--resume") == 2
    error = capsys.readouterr().err
    folder = f"the folder of this ensemble's runs, {posterior_run},"
    assert f"{folder} holds a different ensemble (parameters 'posterior' " in error
    assert "'point' here; a posterior sample there, none here)" in error
    assert "will not resume it" in error
    assert (posterior_run / "summary.parquet").read_bytes() == before

    sample = tmp_path / "sample.csv"
    shutil.copy(POSTERIOR, sample)
    out = tmp_path / "out"
    assert ensemble(out, "--workers", "1", "--posterior", str(sample)) == 0
    frame = pd.read_csv(sample)
    frame.iloc[:-1].to_csv(sample, index=False)  # the sample was refitted since
    assert ensemble(out, "--workers", "1", "--posterior", str(sample), "--resume") == 2
    error = capsys.readouterr().err
    assert (
        f"runs, {out}, holds a different ensemble (another posterior sample, or the same file "
        "changed (posterior_sha256 differs))"
    ) in error


def test_a_parameter_given_with_set_wins_over_the_draws(baseline, tmp_path):
    out = tmp_path / "set"
    assert ensemble(out, "--workers", "1", "--set", "parameters.hostility=0.9") == 0
    record = manifest(out)
    assert record["parameters"] == "posterior" and record["parameters_kept"] == ["hostility"]
    assert record["overrides"] == ["--set parameters.hostility=0.9"]
    scenario = baseline.model_copy(
        update={"parameters": baseline.parameters.model_copy(update={"hostility": 0.9})}
    )
    draws = PosteriorDraws.read(POSTERIOR, kept=frozenset({"hostility"}))
    for seed in run_seeds(SEED, RUNS):
        assert draws.scenario_for(scenario, seed).parameters.hostility == 0.9
    summary = pd.read_parquet(out / "summary.parquet")
    pd.testing.assert_frame_equal(powers(summary), expected_powers(scenario, draws))


def test_a_parameter_set_to_its_fitted_number_is_kept_too(baseline, tmp_path):
    """A flag is meant: pinning one parameter at its point while the rest are drawn."""
    fitted = baseline.parameters.alliance_rate
    out = tmp_path / "pinned"
    assert ensemble(out, "--workers", "1", "--set", f"parameters.alliance_rate={fitted}") == 0
    assert manifest(out)["parameters_kept"] == ["alliance_rate"]
    pinned = PosteriorDraws.read(POSTERIOR, kept=frozenset({"alliance_rate"}))
    drawn = PosteriorDraws.read(POSTERIOR, kept=frozenset())
    seeds = run_seeds(SEED, RUNS)
    rates = {
        draws: {draws.scenario_for(baseline, s).parameters.alliance_rate for s in seeds}
        for draws in (pinned, drawn)
    }
    assert rates[pinned] == {fitted} and len(rates[drawn]) == RUNS  # without the flag, drawn
    summary = pd.read_parquet(out / "summary.parquet")
    pd.testing.assert_frame_equal(powers(summary), expected_powers(baseline, pinned))


def test_without_a_posterior_the_point_is_used_and_said(tmp_path, capsys):
    small = tmp_path / "small.yaml"
    small.write_text(SMALL_SCENARIO)
    out = tmp_path / "small"
    assert ensemble(out, "--workers", "1", scenario=small) == 0
    note = (
        f"{small}: no posterior sample: the scenario names no fitted parameters "
        "(parameters_from:); every run uses the point estimate"
    )
    assert f"interregnum: note: {note}" in capsys.readouterr().err
    record = manifest(out)
    assert record["parameters"] == "point" and record["parameters_note"] == note

    nowhere = tmp_path / "nowhere.csv"
    assert ensemble(tmp_path / "none", "--posterior", str(nowhere)) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"interregnum: {nowhere}: no posterior sample there; run 'interregnum calibrate'" in (
        error
    )
    assert main(["ensemble", str(small), "--runs", "2", "--parameters", "posterior"]) == 2
    assert "names no fitted parameters (parameters_from:); run " in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_compare_pairs_the_draws_run_by_run_and_says_where_they_come_from(tmp_path, capsys):
    same = tmp_path / "same.yaml"
    same.write_text(f"extends: {BASELINE}\nname: same-as-base\nsource: a test\nchanges: []\n")
    out = tmp_path / "compare"
    arguments = ["compare", str(BASELINE), str(same), "--runs", str(RUNS), "--seed", str(SEED)]
    assert main([*arguments, "--workers", "1", "--bootstrap", "50", "--out", str(out)]) == 0
    # Run i of the alternative drew the base's particle: with nothing else changed, every
    # run gives the base's outcomes, although the runs differ among themselves.
    warning = "same-as-base gave the same outcomes as baseline-1922 in every one of the 8 paired"
    assert warning in capsys.readouterr().err
    base = pd.read_parquet(out / "baseline-1922" / "summary.parquet")
    alternative = pd.read_parquet(out / "same-as-base" / "summary.parquet")
    pd.testing.assert_frame_equal(powers(base), powers(alternative))
    assert len(powers(base).drop_duplicates()) > 1
    records = [manifest(out / name) for name in ("baseline-1922", "same-as-base")]
    assert {(r["parameters"], r["posterior_sha256"]) for r in records} == {
        ("posterior", hashlib.sha256(POSTERIOR.read_bytes()).hexdigest())
    }
    report = (out / "report.md").read_text()
    assert "Parameters: each run's drawn from the posterior sample `" in report
    identity = json.loads((out / "comparison.json").read_text())["identity"]
    assert identity["parameters"] == "posterior"

    point = tmp_path / "point"
    assert main([*arguments, "--workers", "1", "--bootstrap", "50", "--out", str(point),
                 "--parameters", "point"]) == 0  # fmt: skip
    assert {manifest(point / n)["parameters"] for n in ("baseline-1922", "same-as-base")} == {
        "point"
    }
    assert "Parameters: the point estimate in every run." in (point / "report.md").read_text()


def test_parameters_prior_draws_each_run_from_the_priors_and_keeps_what_is_set(
    baseline, tmp_path, capsys
):
    out = tmp_path / "prior"
    assert ensemble(out, "--workers", "1", "--parameters", "prior") == 0
    record = manifest(out)
    assert record["parameters"] == "priors of calibration.fit"
    assert (record["posterior"], record["posterior_sha256"], record["parameters_kept"]) == (
        None,
        None,
        [],
    )
    draws = PriorDraws(free_parameters())
    summary = pd.read_parquet(out / "summary.parquet")
    pd.testing.assert_frame_equal(powers(summary), expected_powers(baseline, draws))
    drawn = [draws.values_for(seed) for seed in run_seeds(SEED, RUNS)]
    for name, (low, high) in free_parameters().items():
        values = [values[name] for values in drawn]
        assert all(low <= value <= high for value in values)
        assert len(set(values)) == RUNS, f"{name} is not drawn anew in each run"

    # A parameter given with --set holds in every run; the others are drawn as before,
    # run by run, so that a comparison with a scenario that sets one stays paired.
    kept = tmp_path / "kept"
    assert ensemble(kept, "--workers", "1", "--parameters", "prior",
                    "--set", "parameters.hostility=0.45") == 0  # fmt: skip
    assert manifest(kept)["parameters_kept"] == ["hostility"]
    keeping = PriorDraws(free_parameters(), frozenset({"hostility"}))
    for seed in run_seeds(SEED, RUNS):
        everything = draws.values_for(seed)
        assert keeping.values_for(seed) == {
            name: value for name, value in everything.items() if name != "hostility"
        }

    assert ensemble(tmp_path / "both", "--parameters", "prior", "--posterior", str(POSTERIOR)) == 2
    error = capsys.readouterr().err
    assert "and --parameters prior draws from none: give one or the other" in error
    assert not (tmp_path / "both").exists()


def test_compare_on_the_priors_pairs_the_draws_and_says_so(tmp_path):
    same = tmp_path / "same.yaml"
    same.write_text(f"extends: {BASELINE}\nname: same-as-base\nsource: a test\nchanges: []\n")
    out = tmp_path / "compare"
    arguments = ["compare", str(BASELINE), str(same), "--runs", str(RUNS), "--seed", str(SEED)]
    assert main([*arguments, "--workers", "1", "--bootstrap", "50", "--out", str(out),
                 "--parameters", "prior", "--quiet"]) == 0  # fmt: skip
    base = pd.read_parquet(out / "baseline-1922" / "summary.parquet")
    alternative = pd.read_parquet(out / "same-as-base" / "summary.parquet")
    pd.testing.assert_frame_equal(powers(base), powers(alternative))
    assert len(powers(base).drop_duplicates()) > 1
    records = [manifest(out / name) for name in ("baseline-1922", "same-as-base")]
    assert {r["parameters"] for r in records} == {"priors of calibration.fit"}
    assert "each run's drawn from the priors of the fit" in (out / "report.md").read_text()
    identity = json.loads((out / "comparison.json").read_text())["identity"]
    assert identity["parameters"] == "prior"
