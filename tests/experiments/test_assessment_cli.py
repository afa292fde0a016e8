"""``interregnum assess`` end to end: its directory, its report's order, its bad input."""

import errno
import hashlib
import json
import re
import sys

import pandas as pd
import pytest
from conftest import BASELINE, ROOT
from scipy.stats import binomtest

import simulation.experiments.assessment.report as assessment_report
from simulation.calendar import Month
from simulation.cli import main
from simulation.experiments.assessment.assessment import HOLD_OUT, NO_HINDSIGHT, Settings, variants
from simulation.experiments.parameter_draws import posterior_beside
from simulation.experiments.paths import history_orders
from simulation.experiments.posterior import fitted_point_of, kept_parameters
from simulation.experiments.seeds import run_seeds
from simulation.model.code_version import model_digest
from simulation.scenario import load_scenario

TURN = "congress-14-crushes-leningrad"
AUDITED = ["no hindsight", "no later stances", "no settlement", "no arbiter"]
SETS = ["posterior", "point", "prior", "hold-out fit", *AUDITED, "persistence", "apparatus"]


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    out = tmp_path_factory.mktemp("assessment")
    arguments = ["assess", str(BASELINE), "--runs", "6", "--workers", "1", "--quiet"]
    assert main([*arguments, "--given", TURN, "--out", str(out)]) == 0
    return out


def test_the_assessment_directory_holds_every_table_the_report_and_the_figure(assessed):
    for name in (
        "report.md",
        "assessment.png",
        "patterns.csv",
        "joint.csv",
        "hindsight.csv",
        "hindsight_effect.csv",
        "hindsight_audits.csv",
        "errors.csv",
        "contraction.csv",
        "paths.csv",
        "manifest.json",
    ):
        assert (assessed / name).stat().st_size > 0, name
    table = pd.read_csv(assessed / "patterns.csv")
    assert list(table.columns) == ["pattern", "level", "role", "date", *SETS]
    assert set(table["role"]) == {"fit", "hold_out"}
    assert table[SETS].apply(lambda column: column.between(0, 1)).all().all()


def test_every_share_reads_back_as_a_fraction_even_where_all_came_out_whole(assessed):
    """A null model hits a pattern or not: its column is all 0 and 1, and still a share."""
    table = pd.read_csv(assessed / "patterns.csv")
    assert set(table["persistence"]) <= {0.0, 1.0}
    assert all(table[name].dtype == float for name in SETS), table.dtypes.to_dict()
    joint = pd.read_csv(assessed / "joint.csv")
    assert all(joint[name].dtype == float for name in joint.columns if name != "level")


def test_the_manifest_names_the_parameter_source_and_the_sample_hash(assessed):
    manifest = json.loads((assessed / "manifest.json").read_text())
    assert manifest["command"] == "assess"
    posterior = (
        BASELINE.parent.parent / "calibration" / "parameters" / "baseline-1922-posterior.csv"
    )
    assert manifest["parameters"] == "posterior" and manifest["parameters_kept"] == []
    assert manifest["posterior_sha256"] == hashlib.sha256(posterior.read_bytes()).hexdigest()
    # Which code and which patterns made the figures: the version number never changes.
    assert manifest["model_sha256"] == model_digest()
    patterns = BASELINE.parent.parent / "calibration" / "patterns.yaml"
    assert manifest["patterns_sha256"] == hashlib.sha256(patterns.read_bytes()).hexdigest()


def test_an_overlay_keeps_the_parameters_it_sets_in_every_posterior_run(tmp_path):
    overlay = tmp_path / "hostile.yaml"
    overlay.write_text(
        f"extends: {BASELINE}\nname: hostile\nsource: a test\n"
        "changes: [{set: {parameters.hostility: 0.9}}]\n"
    )
    scenario = load_scenario(overlay)
    point = fitted_point_of(overlay)
    settings = Settings(
        runs=4,
        seed=1,
        parameters="posterior",
        posterior=posterior_beside(point),
        fit_until=Month(1924, 12),
        hold_out_parameters=point.with_name("baseline-1922-until-1924-12.yaml"),
        kept=kept_parameters(scenario, overlay),
    )
    sets, _, _ = variants(scenario, settings)
    drawn = [variant for variant in sets if variant.parameters is not None]
    assert {variant.name for variant in drawn} >= {"posterior", "prior", HOLD_OUT, NO_HINDSIGHT}
    for variant in drawn:
        for seed in run_seeds(1, 20):
            hostility = variant.parameters.scenario_for(variant.scenario, seed).parameters.hostility
            assert hostility == 0.9, variant.name


def test_the_report_leads_with_the_hold_out_in_time_and_ends_with_the_in_sample(assessed):
    report = (assessed / "report.md").read_text()
    order = [
        "## Headline: hold-out in time (fitted up to 1924-12",
        f"## What follows `{TURN}`",
        "## The historical sequence as a path",
        "## What the fits learnt",
        "## Posterior predictive, point estimate, prior predictive",
        "## Null models",
        "## Hindsight audit",
        "## Every pattern (in-sample last",
    ]
    positions = [report.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "| vs persistence | vs apparatus |" in report
    assert "| parameter | prior low | prior high | full fit | hold-out fit |" in report


def test_what_follows_a_turning_point_is_read_in_the_runs_that_reach_it_and_the_others(assessed):
    table = pd.read_csv(assessed / f"following-{TURN}.csv")
    patterns = pd.read_csv(assessed / "patterns.csv").set_index("pattern")
    assert (table["date"] > "1925-12").all()
    assert set(patterns.index[patterns["date"] > "1925-12"]) == set(table["pattern"])
    columns = ["hold-out fit, hit", "hold-out fit, missed", "posterior, hit", "posterior, missed"]
    assert list(table.columns) == ["pattern", "level", "date", *columns]
    assert table[columns].stack().dropna().between(0, 1).all()
    # a side of the turning point that no run reached has no shares (empty), never a made-up 0
    report = (assessed / "report.md").read_text()
    for name in ("hold-out fit", "posterior"):
        reached = re.search(rf"{name}: (\d+) hit it, (\d+) missed it", report).groups()
        for side, runs_there in zip(("hit", "missed"), map(int, reached), strict=True):
            assert table[f"{name}, {side}"].isna().all() == (runs_there == 0)


def test_the_contraction_table_reads_both_committed_fits(assessed):
    learnt = pd.read_csv(assessed / "contraction.csv").set_index("parameter")
    # a posterior inside its prior has at most three times its variance: contraction -2..1
    assert learnt[["full fit", "hold-out fit"]].apply(lambda c: c.between(-2, 1)).all().all()
    # each column is its own committed posterior's 1 - var(posterior) / var(prior), worked out
    # here from the sample (equal weights) and the uniform prior the table states
    fits = {"full fit": "baseline-1922", "hold-out fit": "baseline-1922-until-1924-12"}
    for column, fit in fits.items():
        sample = pd.read_csv(ROOT / "calibration" / "parameters" / f"{fit}-posterior.csv")
        for name, row in learnt.iterrows():
            prior_variance = (row["prior high"] - row["prior low"]) ** 2 / 12
            expected = 1 - sample[name].var(ddof=0) / prior_variance
            assert row[column] == pytest.approx(expected, abs=1e-3), (column, name)
    # the two fits read different years, so they learnt different things
    assert not learnt["full fit"].equals(learnt["hold-out fit"])


def test_more_workers_give_the_same_assessment(assessed, tmp_path):
    arguments = ["assess", str(BASELINE), "--runs", "6", "--workers", "2", "--quiet"]
    assert main([*arguments, "--out", str(tmp_path)]) == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "patterns.csv"), pd.read_csv(assessed / "patterns.csv")
    )


def test_on_a_terminal_a_bar_counts_the_runs_and_the_assessment_is_the_same(
    assessed, tmp_path, monkeypatch, capsys
):
    # 1,000 runs a set take a minute or more: on a terminal, without --quiet, a bar
    # counts the runs of every set as their chunks come back. It must change nothing.
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    arguments = ["assess", str(BASELINE), "--runs", "6", "--workers", "1", "--out"]
    assert main([*arguments, str(tmp_path / "shown")]) == 0
    bar = capsys.readouterr().err
    assert "assess" in bar and f"{6 * (len(SETS) - 2)}/{6 * (len(SETS) - 2)}" in bar
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "shown" / "patterns.csv"), pd.read_csv(assessed / "patterns.csv")
    )
    assert main([*arguments, str(tmp_path / "quiet"), "--quiet"]) == 0
    assert "assess" not in capsys.readouterr().err


def test_compare_refuses_an_assessments_folder_before_running(assessed, capsys):
    # Its report.md is an assessment's: compare names the command, not "another comparison".
    before = {path.name: path.read_bytes() for path in assessed.iterdir()}
    overlay = ROOT / "scenarios" / "counterfactuals" / "no_lenin_enrolment.yaml"
    arguments = ["compare", str(BASELINE), str(overlay), "--runs", "2", "--workers", "1"]
    assert main([*arguments, "--out", str(assessed), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert error == (
        f"interregnum: --out {assessed} holds the outputs of `interregnum assess` (its "
        "manifest.json is there); compare will not write into it: choose another --out\n"
    )
    assert before == {path.name: path.read_bytes() for path in assessed.iterdir()}


def test_assess_writes_into_no_folder_of_the_users_own(tmp_path, capsys):
    """It replaced a user's report.md and exited 0, where run, ensemble and compare refuse."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes\n")
    (mine / "report.md").write_text("# my study\n")
    assert main(["assess", str(BASELINE), "--runs", "2", "--out", str(mine), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: --out {mine} holds files that no interregnum command's record describes "
        "(notes.txt, report.md); assess will not write into it: choose a new or empty directory\n"
    )
    assert (mine / "report.md").read_text() == "# my study\n"
    assert sorted(path.name for path in mine.iterdir()) == ["notes.txt", "report.md"]


def test_an_assessment_replaces_the_earlier_one_whole(tmp_path, capsys, monkeypatch):
    """Its files were written one by one over the earlier ones: cut short, a folder mixed
    tables of one assessment with the report of another, and a --given table stayed on."""
    out = tmp_path / "assessed"
    given = ["--given", "congress-14-crushes-leningrad"]
    assert main(["assess", str(BASELINE), "--runs", "2", "--out", str(out), "--quiet", *given]) == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def killed(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(assessment_report, "report_text", killed)  # cut short after the tables
    assert main(["assess", str(BASELINE), "--runs", "3", "--out", str(out), "--quiet"]) == 130
    assert before == {path.name: path.read_bytes() for path in out.iterdir()}

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    capsys.readouterr()
    monkeypatch.setattr(assessment_report, "report_text", full)  # a full disk: no traceback
    assert main(["assess", str(BASELINE), "--runs", "3", "--out", str(out), "--quiet"]) == 1
    error = capsys.readouterr().err
    assert error == f"interregnum: cannot write to {out}: No space left on device\n"
    assert before == {path.name: path.read_bytes() for path in out.iterdir()}
    monkeypatch.undo()
    assert main(["assess", str(BASELINE), "--runs", "3", "--out", str(out), "--quiet"]) == 0
    assert "following-congress-14-crushes-leningrad.csv" not in {p.name for p in out.iterdir()}
    (out / "notes.txt").write_text("mine\n")
    assert main(["assess", str(BASELINE), "--runs", "3", "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.endswith(
        "holds files that are not an assessment's (notes.txt); choose a new or empty directory\n"
    )


def test_a_hold_out_sample_not_the_fits_own_is_refused_before_any_run(tmp_path, capsys):
    fits = ROOT / "calibration" / "parameters"
    point = tmp_path / "early.yaml"
    point.write_text((fits / "baseline-1922-until-1924-12.yaml").read_text())
    other = pd.read_csv(fits / "baseline-1922-until-1924-12-posterior.csv")
    other.loc[0, "weight"] *= 2  # another fit's sample
    other.to_csv(tmp_path / "early-posterior.csv", index=False)
    out = tmp_path / "assessed"
    arguments = ["assess", str(BASELINE), "--runs", "2", "--hold-out-parameters", str(point)]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'early-posterior.csv'}: not the posterior sample of the fit in " in error
    assert not out.exists()


def test_assess_refuses_bad_input_with_status_2(tmp_path, capsys):
    assert main(["assess", str(BASELINE), "--runs", "0"]) == 2
    assert "--runs must be at least 1, got 0" in capsys.readouterr().err
    assert main(["assess", str(BASELINE), "--runs", str(10**10)]) == 2  # hung making its seeds
    assert "--runs must be at most 100,000, got 10,000,000,000" in capsys.readouterr().err
    missing = tmp_path / "none.csv"
    assert main(["assess", str(BASELINE), "--posterior", str(missing)]) == 2
    assert f"{missing}: no posterior sample; run 'interregnum calibrate'" in (
        capsys.readouterr().err
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("ferocity,weight\n0.3,1.0\n")
    assert main(["assess", str(BASELINE), "--posterior", str(bad)]) == 2
    assert f"{bad}: ferocity: not a parameter of the model" in capsys.readouterr().err
    absent = tmp_path / "none.yaml"
    assert main(["assess", str(BASELINE), "--hold-out-parameters", str(absent)]) == 2
    assert f"--hold-out-parameters {absent}: no such file" in capsys.readouterr().err
    fit = tmp_path / "fit.yaml"
    fit.write_text("parameters:\n  hostility: 7\n")
    assert main(["assess", str(BASELINE), "--hold-out-parameters", str(fit)]) == 2
    assert f"{fit}:2: parameters.hostility: expected a number from -1 to 1, got 7" in (
        capsys.readouterr().err
    )
    fit.write_text("fit: {}\nparameters:\n  hostility: high\n  alliance_rate: [0.1]\n")
    assert main(["assess", str(BASELINE), "--hold-out-parameters", str(fit)]) == 2
    said = capsys.readouterr().err
    assert f"{fit}:3: parameters.hostility: expected a number, got 'high'" in said
    assert f"{fit}:4: parameters.alliance_rate: expected a number, got [0.1]" in said
    fit.write_text("fit: {}\nparameters:\n  hostility: 1924-02-30\n")  # a traceback once
    assert main(["assess", str(BASELINE), "--hold-out-parameters", str(fit)]) == 2
    assert f"{fit}:3: parameters.hostility: cannot read '1924-02-30' as a date" in (
        capsys.readouterr().err
    )
    patterns = tmp_path / "patterns.yaml"
    patterns.write_text("patterns: []\n")
    assert main(["assess", str(BASELINE), "--patterns", str(patterns)]) == 2
    assert f"{patterns}:1: patterns: List should have at least 1 item" in capsys.readouterr().err
    assert main(["assess", str(BASELINE), "--given", "congress-14-crushes-leningrd"]) == 2
    assert (
        "--given: unknown pattern 'congress-14-crushes-leningrd' (did you mean "
        "'congress-14-crushes-leningrad'?)"
    ) in capsys.readouterr().err
    with pytest.raises(SystemExit, match="2"):
        main(["assess", str(BASELINE), "--parameters", "median"])
    assert not any(tmp_path.glob("*.md"))


def test_every_bad_flag_is_named_in_one_attempt(tmp_path, capsys):
    flags = ["--runs", "0", "--seed", "-1", "--workers", "0", "--fit-until", "1930-01"]
    flags += ["--given", "no-such-turn", "--given", "nor-this", "--out", str(tmp_path / "a")]
    assert main(["assess", str(BASELINE), *flags]) == 2
    error = capsys.readouterr().err
    for problem in (
        "--given: unknown pattern 'no-such-turn'",
        "--given: unknown pattern 'nor-this'",
        "--runs must be at least 1, got 0",
        "--seed must be an integer from 0 to 2**63 - 1, got -1",
        "--workers must be at least 1, got 0",
        "--fit-until 1930-01 is outside the scenario (1922-04 to 1926-12)",
    ):
        assert problem in error
    assert error.endswith("interregnum: 6 problems; nothing was run.\n")
    assert not (tmp_path / "a").exists()
    flags[flags.index("1930-01")] = "1924-13"  # malformed: named with the rest, not alone
    assert main(["assess", str(BASELINE), *flags]) == 2
    error = capsys.readouterr().err
    assert "--fit-until 1924-13: month must be 01..12, got 13" in error
    assert error.endswith("interregnum: 6 problems; nothing was run.\n")
    # Named with a patterns file that cannot be read, which stops the other checks.
    missing = ["--patterns", str(tmp_path / "none.yaml"), "--fit-until", "1924-13"]
    assert main(["assess", str(BASELINE), *missing]) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[-2:] == [
        "--fit-until 1924-13: month must be 01..12, got 13",
        "interregnum: 2 problems; nothing was run.",
    ]


def test_without_a_hold_out_fit_the_report_says_how_to_make_one(tmp_path):
    """No fit up to 1923-12 is committed beside the baseline's."""
    absent = ROOT / "calibration" / "parameters" / "baseline-1922-until-1923-12.yaml"
    arguments = ["assess", str(BASELINE), "--runs", "2", "--workers", "1", "--quiet"]
    assert main([*arguments, "--fit-until", "1923-12", "--out", str(tmp_path)]) == 0
    report = (tmp_path / "report.md").read_text()
    assert "Not run: no fit at " in report
    assert f"{absent.name}: run 'interregnum calibrate --fit-until 1923-12'" in report


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_assessment(assessed, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        arguments = ["assess", str(BASELINE), "--runs", "6", "--quiet", "--out", str(tmp_path)]
        assert main([*arguments, "--scheduler", cluster.scheduler_address]) == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "patterns.csv"), pd.read_csv(assessed / "patterns.csv")
    )
    manifest = (tmp_path / "manifest.json").read_text()
    assert f'"executor": "{cluster.scheduler_address}"' in manifest


@pytest.mark.parametrize(
    ("fit_until", "point", "made"),
    [
        ("1925-06", "baseline-1922-until-1924-12.yaml", "on the patterns up to 1924-12"),
        ("1924-12", "baseline-1922.yaml", "on every fit pattern"),
    ],
)
def test_a_hold_out_fit_made_for_another_month_is_refused(fit_until, point, made, tmp_path, capsys):
    """It was assessed as the month asked for, and the report said so."""
    path = ROOT / "calibration" / "parameters" / point
    out = tmp_path / "a"
    arguments = ["assess", str(BASELINE), "--runs", "2", "--fit-until", fit_until]
    assert main([*arguments, "--hold-out-parameters", str(path), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"interregnum: {path}:8: fit.fit_until: this point was fitted {made}, not up to "
        f"{fit_until}: give the hold-out fit made with --fit-until {fit_until}, or assess with "
        "the month it was made for\n"
    )
    assert not out.exists()


def test_an_unreachable_scheduler_is_reported(tmp_path, capsys):
    arguments = ["assess", str(BASELINE), "--runs", "2", "--out", str(tmp_path / "a")]
    assert main([*arguments, "--scheduler", "tcp://127.0.0.1:9"]) == 1  # as for an ensemble
    error = capsys.readouterr().err
    assert error == "interregnum: cannot reach the Dask scheduler at tcp://127.0.0.1:9: " + (
        "Connection refused\n"
    )
    assert not (tmp_path / "a").exists()


def test_an_overlay_is_assessed_with_the_fit_of_the_scenario_it_extends():
    overlay = BASELINE.parent / "counterfactuals" / "british_treaties_ratified.yaml"
    point = BASELINE.parent.parent / "calibration" / "parameters" / "baseline-1922.yaml"
    assert fitted_point_of(BASELINE) == point
    assert fitted_point_of(overlay) == point


def test_the_report_names_the_patterns_no_run_reproduces(assessed):
    # What the model cannot do at all, which the mean hit share hides (the patterns of
    # 1922-24 no run of the committed fits reproduces are among them).
    table = pd.read_csv(assessed / "patterns.csv")
    never = table[table["posterior"] == 0]
    assert {"rakovsky-leaves-ukraine", "dzerzhinsky-takes-vsnkh"} <= set(never["pattern"])
    report = (assessed / "report.md").read_text()
    line = next(
        text for text in report.splitlines() if text.startswith("Reproduced in no run of the model")
    )
    named = re.findall(r"`([^`]+)` \((fit|hold_out)\)", line)
    assert named == list(zip(never["pattern"], never["role"], strict=True))


def test_the_headline_names_the_hold_out_patterns_within_sampling_error_of_the_threshold(
    assessed,
):
    # Six runs a set: every share between one hit and four is within the error of 40%.
    runs = json.loads((assessed / "manifest.json").read_text())["runs"]
    table = pd.read_csv(assessed / "patterns.csv")
    late = table[table["date"] > "1924-12"]
    close = []
    for pattern, share in zip(late["pattern"], late[HOLD_OUT], strict=True):
        interval = binomtest(round(share * runs), runs).proportion_ci(0.95, method="wilson")
        if interval.low < 0.4 <= interval.high:
            close.append(pattern)
    assert close, "six runs should leave some pattern undecided"
    report = (assessed / "report.md").read_text()
    headline = report[: report.index("## What follows")]
    assert "Within sampling error of 40% (95% Wilson interval over these 6 runs)" in headline
    named = re.findall(r"`([^`]+)` \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]", headline)
    assert named == close


def test_the_report_gives_each_sets_share_of_historys_path(assessed):
    # Each run set's share of runs taking history's orders, as its rows of paths.csv add up.
    paths = pd.read_csv(assessed / "paths.csv")
    assert set(paths["set"]) == set(SETS)
    runs = json.loads((assessed / "manifest.json").read_text())["runs"]
    counts = paths.groupby("set")["runs"].sum()
    assert counts.drop(["persistence", "apparatus"]).eq(runs).all()
    assert counts[["persistence", "apparatus"]].eq(1).all()
    history = history_orders(load_scenario(BASELINE))
    report = (assessed / "report.md").read_text()
    section = report[report.index("## The historical sequence as a path") :]
    section = section[: section.index("## What the fits learnt")]
    assert f"factions `{history['factions']}`; verdicts `{history['verdicts']}`" in section
    for name, rows in paths.groupby("set"):
        factions = rows.loc[rows["factions"] == history["factions"], "share"].sum()
        verdicts = rows.loc[rows["verdicts"] == history["verdicts"], "share"].sum()
        both = rows.loc[rows["history"], "share"].sum()
        assert f"| {name} | {factions:.2f} | {verdicts:.2f} | {both:.2f} | " in section
    # The null models take no path: nothing is condemned, no faction comes forward.
    assert paths.loc[paths["set"] == "persistence", ["factions", "verdicts"]].eq("none").all().all()


def test_the_hindsight_audit_measures_each_kind_of_leader_named_input(assessed):
    # The stances read off later acts, the April settlement and the arbiter name leaders
    # too: each is listed, and the patterns are scored without it.
    audits = pd.read_csv(assessed / "hindsight_audits.csv")
    assert list(audits.columns) == ["pattern", "with inputs", *AUDITED]
    assert audits[AUDITED].apply(lambda column: column.between(0, 1)).all().all()
    report = (assessed / "report.md").read_text()
    for name in AUDITED:
        assert f"| {name} | " in report
    listed = set(pd.read_csv(assessed / "hindsight.csv")["input"])
    assert {"stance read off a later act", "starting settlement", "arbiter"} <= listed
