"""Posterior and prior predictive draws: varied across runs, fixed by the run's seed."""

import pandas as pd
import pytest
from conftest import ROOT

from simulation.experiments.ensemble.chunks import Job, simulate_chunk
from simulation.experiments.outcomes import run_outcome
from simulation.experiments.parameter_draws import (
    DrawError,
    PosteriorDraws,
    PriorDraws,
)
from simulation.experiments.seeds import run_seeds
from simulation.model import Mode, PartyModel
from simulation.model.parameters import free_parameters

SAMPLE = pd.DataFrame(
    {
        "removal_threshold": [0.3, 0.5, 0.55],
        "hostility": [0.1, 0.3, 0.45],
        "weight": [0.2, 0.5, 0.3],
        "distance": [0.4, 0.2, 0.3],
    }
)


def test_the_same_seed_draws_the_same_parameters_and_runs_differ():
    draws = PosteriorDraws(SAMPLE)
    seeds = run_seeds(1, 40)
    first = [draws.values_for(seed) for seed in seeds]
    assert first == [PosteriorDraws(SAMPLE).values_for(seed) for seed in seeds]
    assert len({tuple(values.values()) for values in first}) == 3  # every particle drawn
    assert first[0] != first[1] or first[0] != first[2]


def test_draws_follow_the_weights():
    draws = PosteriorDraws(SAMPLE)
    drawn = pd.Series([draws.values_for(seed)["hostility"] for seed in run_seeds(5, 4000)])
    shares = drawn.value_counts(normalize=True).sort_index()
    assert shares.to_numpy() == pytest.approx([0.2, 0.5, 0.3], abs=0.03)


def test_prior_draws_stay_in_their_ranges_and_vary():
    draws = PriorDraws(free_parameters())
    values = [draws.values_for(seed) for seed in run_seeds(2, 50)]
    for name, (low, high) in free_parameters().items():
        column = [v[name] for v in values]
        assert all(low <= x <= high for x in column)
        assert len(set(column)) == 50
    assert values[0] == PriorDraws(free_parameters()).values_for(run_seeds(2, 1)[0])


def test_an_ensemble_chunk_runs_each_model_with_its_drawn_parameters(baseline):
    draws = PosteriorDraws(SAMPLE)
    seeds = run_seeds(3, 3)
    job = Job(baseline, Mode.FREE, trajectories=False, ensemble="test", parameters=draws)
    chunk = simulate_chunk(job, [0, 1, 2], seeds)
    for run, seed in enumerate(seeds):
        model = PartyModel(draws.scenario_for(baseline, seed), seed=seed, mode=Mode.FREE, run=run)
        while model.running:
            model.step()
        expected = run_outcome(model).power
        assert (chunk.arrays["power"][run] == expected).all()
        assert model.spec.parameters.hostility == draws.values_for(seed)["hostility"]


def test_a_posterior_file_is_checked_against_the_scenario(tmp_path, baseline):
    good = tmp_path / "posterior.csv"
    SAMPLE.to_csv(good, index=False)
    assert PosteriorDraws.read(good).names == ["removal_threshold", "hostility"]
    bad = tmp_path / "bad.csv"
    SAMPLE.rename(columns={"hostility": "ferocity"}).to_csv(bad, index=False)
    with pytest.raises(DrawError, match=r"bad.csv: ferocity: not a parameter of the model$"):
        PosteriorDraws.read(bad)
    with pytest.raises(DrawError, match=r"absent.csv: cannot read the posterior sample"):
        PosteriorDraws.read(tmp_path / "absent.csv")
    SAMPLE[["weight"]].to_csv(bad, index=False)
    with pytest.raises(DrawError, match=r"bad.csv: names no parameter, only weights"):
        PosteriorDraws.read(bad)
    bad.write_bytes("weight,hostility\n1,0.2 \u00e9t\u00e9\n".encode("latin-1"))
    with pytest.raises(DrawError, match=r"bad.csv: not UTF-8 text"):
        PosteriorDraws.read(bad)
    SAMPLE.assign(weight=[0.0, 0.0, 0.0]).to_csv(bad, index=False)
    with pytest.raises(DrawError, match=r"bad.csv: every weight is 0: expected one above 0"):
        PosteriorDraws.read(bad)
    # A short row is told as the row it is, not as a bad weight (pandas pads it with blanks).
    bad.write_text("hostility,removal_threshold,weight\n0.1,0.3,0.5\n\n0.2,0.4\n")
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(bad)
    assert str(error.value) == (f"{bad}:4: 2 values; expected 3, one for each column of the header")
    # Lines are counted as the file has them: blank lines, lines of spaces and a value
    # quoted over several lines, which pandas reads past, still take their place.
    bad.write_text(
        'hostility,removal_threshold,weight\n0.1,0.3,0.5\n\n   \n0.2,0.4,"1\n"\nhigh,0.4,1\n'
    )
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(bad)
    assert str(error.value) == f"{bad}:7: hostility: expected a number from -1 to 1, got 'high'"


ROWS = "removal_threshold,hostility,weight\n0.3,0.1,0.5\n0.4,0.2,"
"""A sample whose third line ends with the weight under test."""


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"{ROWS}a lot\n", "'a lot'"),
        (f"{ROWS}-0.5\n", "-0.5"),
        (f"{ROWS}inf\n", "inf"),
        (f"{ROWS}nan\n", "nan"),
        (f"{ROWS}\n", "nan"),
        # Whole weights are read as numpy integers, which are no Python int.
        ("removal_threshold,hostility,weight\n0.3,0.1,1\n0.4,0.2,-1\n", "-1"),
        # pandas reads '""' as a value: skipping it as a blank line named the row after it.
        ('weight\n1\n""\n2\n', "nan"),
    ],
)
def test_a_weight_no_draw_could_use_is_refused_with_its_line(tmp_path, baseline, text, shown):
    """An infinite weight made the draws' probabilities NaN: a traceback in every command."""
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(bad)
    assert str(error.value) == (
        f"{bad}:3: weight: expected a finite number of at least 0, got {shown}"
    )


@pytest.mark.parametrize("column", ["weight", "hostility"])
def test_true_and_false_are_no_numbers(tmp_path, baseline, column):
    """pandas reads a column of True and False as booleans: drawn as 1 and 0 before."""
    flags = tmp_path / "flags.csv"
    SAMPLE.iloc[:2].assign(**{column: [False, True]}).to_csv(flags, index=False)
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(flags)
    expected = "a finite number of at least 0" if column == "weight" else "a number from -1 to 1"
    assert str(error.value) == f"{flags}:2: {column}: expected {expected}, got False"


def test_weights_as_large_as_a_float_goes_are_drawn_by(tmp_path, baseline):
    """Two weights of 1e308 sum past the largest float; they are still equal weights."""
    huge = tmp_path / "huge.csv"
    huge.write_text("removal_threshold,hostility,weight\n0.3,0.1,1e308\n0.4,0.2,1e308\n")
    draws = PosteriorDraws.read(huge)
    assert draws.probabilities.tolist() == [0.5, 0.5]


def test_a_file_that_is_no_posterior_sample_is_told_what_one_is(tmp_path, baseline):
    with pytest.raises(DrawError) as error:  # a scenario's YAML given as the sample, say
        PosteriorDraws.read(ROOT / "scenarios" / "baseline_1922.yaml")
    assert str(error.value).endswith(
        "expected a 'weight' column, one per fitted parameter and a row per particle: the CSV "
        "calibrate writes as NAME-posterior.csv"
    )
    assert "\n" not in str(error.value)
    twice = tmp_path / "twice.csv"
    twice.write_text("\nhostility,weight,hostility\n0.1,1,0.2\n")
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(twice)
    assert (
        str(error.value)
        == f"{twice}:2: the header names 'hostility' twice; expected each column once"
    )
    long = tmp_path / "long.csv"
    long.write_text("hostility,weight\n0.1,1\n0.1,1,0.3,7\n")
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(long)
    assert str(error.value) == f"{long}:3: 4 values; expected 2, one for each column of the header"


@pytest.mark.parametrize(
    ("value", "shown"), [(1.5, "got 1.5"), ("high", "got 'high'"), (None, "got nan")]
)
def test_a_value_a_run_could_not_take_is_refused_with_its_line(tmp_path, baseline, value, shown):
    """Checked when the file is read, not when a worker happens to draw that particle."""
    bad = tmp_path / "bad.csv"
    SAMPLE.assign(hostility=[0.1, value, 0.45]).to_csv(bad, index=False)
    with pytest.raises(DrawError) as error:
        PosteriorDraws.read(bad)
    assert str(error.value) == f"{bad}:3: hostility: expected a number from -1 to 1, {shown}"
