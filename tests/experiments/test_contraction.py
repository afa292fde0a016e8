"""Posterior contraction: what a fit learnt about each parameter."""

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.contraction import contraction, narrowing_noise, summary

PRIORS = {"pinned": (0.0, 1.0), "untouched": (0.0, 10.0), "absent": (0.0, 1.0)}


def _posterior(draws: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "pinned": rng.normal(0.3, 0.01, draws),
            "untouched": rng.uniform(0.0, 10.0, draws),
            "weight": np.full(draws, 1.0 / draws),
        }
    )


def test_a_pinned_parameter_contracts_to_one_and_an_untouched_one_stays_near_zero():
    table = contraction(_posterior(400), PRIORS).set_index("parameter")
    assert "absent" not in table.index
    assert table.loc["pinned", "contraction"] == pytest.approx(1.0, abs=0.01)
    assert table.loc["pinned", "narrowed"]
    assert abs(table.loc["untouched", "contraction"]) < narrowing_noise(np.ones(400))
    assert not table.loc["untouched", "narrowed"]
    assert table.loc["pinned", "posterior mean"] == pytest.approx(0.3, abs=0.01)


def test_an_unchanged_prior_is_rarely_called_narrowed():
    # the noise band is two standard errors: about 2-3% of unchanged priors fall past it
    called = [
        bool(
            contraction(_posterior(200, seed), PRIORS)
            .set_index("parameter")
            .loc["untouched", "narrowed"]
        )
        for seed in range(200)
    ]
    assert sum(called) <= 12


def test_weights_count_a_few_heavy_draws_as_a_small_sample():
    posterior = _posterior(200)
    posterior["weight"] = np.r_[np.full(4, 0.24), np.full(196, 0.04 / 196)]
    assert narrowing_noise(posterior["weight"].to_numpy()) > 2 * narrowing_noise(np.ones(200))


def test_the_summary_names_the_narrowed_parameters_most_narrowed_first():
    line = summary(contraction(_posterior(400), PRIORS))
    assert line.startswith("the fit narrowed 1 of 2 priors beyond sampling noise: pinned (1.00)")
