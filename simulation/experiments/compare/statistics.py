"""Paired comparisons of ensembles: outcome metrics, bootstrap intervals, paired differences.

Two ensembles with the same root seed are paired run by run: run ``i`` has the same
seed in both (common random numbers), so most of the chance that moves an outcome
moves it alike in both, and the difference ALT - BASE of a pair is much less noisy than
either run. The paired bootstrap keeps that: it resamples run *indices* and takes the
same indices in every scenario, so each resample's difference is over the same pairs.

The metrics are means over runs of columns of each ensemble's ``summary`` table:

- ``p_dominant_<leader>``: the share of runs in which the leader has the highest
  power share at the end, for every leader dominant in at least one run of any scenario;
- ``p_no_dominant``: the share of runs that end with no single leader dominant (no
  living leader holding power, or a tie at the top), if any run of any scenario does;
- ``power_<leader>``: the mean final power share;
- ``p_left_<leader>_<post>``: the share of runs in which the leader has left, by the
  end, a post he held at the start, a promotion out of it not counted (see
  ``outcomes.promotions``; "never left" counts as not having left);
- ``left_<leader>_<post>``: the mean number of months from the start until he left it,
  **over the runs in which he did** (``n`` counts them);
- ``congress_<YYYY-MM>_for_share``: the mean share of votes for the motions of that
  congress, over the runs in which it voted (``n`` counts them).

So "never left" is explicit in ``p_left_*``, and a timing is a conditional mean beside
it: together they say how often and when, without inventing a month for the runs in
which nothing happened. A resample that holds no run in which a conditional metric is
defined has no mean; it is left out of that metric's interval, so an interval resting
on few runs is rough (look at ``n``).

Intervals are percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13): the
``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the resampled statistic. The
resampling uses a :class:`numpy.random.Generator` seeded explicitly; nothing else draws.
A probability (a ``p_*`` metric: the share of runs in which something happened) has
score intervals instead: Wilson's for its estimate, Newcombe's for a paired difference
(:func:`wilson_interval`, :func:`paired_difference_interval`). A percentile bootstrap of
an event no run shows is ``[0, 0]``, as if 0 of 300 were a certainty; one run in 300 gave
``[0.000, 0.010]``, and such intervals covered a true probability of 0.002 in 45% of 400
simulated ensembles of 300 runs, Wilson's in 98.5%.

References:
    Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall, ch. 13 (percentile intervals).
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association* 22, 209-212.
    Newcombe, R. G. (1998). Improved confidence intervals for the difference between
    binomial proportions based on paired data. *Statistics in Medicine* 17, 2635-2650
    (method 10).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from simulation.experiments.compare.limits import RESAMPLES
from simulation.experiments.outcomes import NO_DOMINANT

LEVEL = 0.95
"""Coverage of the intervals."""
RESAMPLE_BLOCK = 200
"""Resamples drawn at once: (block x runs) counts in memory, 8 MB at 5,000 runs."""
COLUMNS = (
    "metric",
    "scenario",
    "estimate",
    "ci_low",
    "ci_high",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "n",
)
"""The columns of the comparison table (``comparison.csv``)."""
_IDENTIFIERS = ("run", "seed", "scenario", "dominant")


# --- metrics -----------------------------------------------------------------------


NO_DOMINANT_METRIC = "p_no_dominant"
"""The share of runs ending with no single leader dominant (:data:`NO_DOMINANT`)."""


def dominant_leaders(summaries: Sequence[pd.DataFrame]) -> list[str]:
    """Leaders dominant in at least one run of any summary, most often dominant first.

    A run with no single dominant leader names no one: it is counted by
    :data:`NO_DOMINANT_METRIC`, not as a leader with an empty id.
    """
    counts = pd.concat([summary["dominant"] for summary in summaries]).value_counts(sort=False)
    counts = counts.drop(NO_DOMINANT, errors="ignore")
    # Stable: equal counts keep the order of first appearance.
    return list(counts.sort_values(ascending=False, kind="stable").index)


def dominance_metrics(summaries: Sequence[pd.DataFrame]) -> list[str]:
    """P(dominant) per leader dominant in any run, then P(no single leader) if any run had none."""
    metrics = [f"p_dominant_{leader}" for leader in dominant_leaders(summaries)]
    if any((summary["dominant"] == NO_DOMINANT).any() for summary in summaries):
        metrics.append(NO_DOMINANT_METRIC)
    return metrics


def metric_names(summaries: Sequence[pd.DataFrame]) -> list[str]:
    """Every metric of a comparison of these summaries, in a stable order.

    P(dominant) per leader dominant in any run (:func:`dominance_metrics`), then each
    numeric column of the summaries (in the order of the first summary, then columns
    found only in later ones); each ``left_*`` column is preceded by its ``p_left_*`` probability.
    """
    metrics = dominance_metrics(summaries)
    seen: set[str] = set()
    for summary in summaries:
        for column in summary.columns:
            if column in _IDENTIFIERS or column in seen:
                continue
            seen.add(column)
            if column.startswith("left_"):
                metrics.append(f"p_{column}")
            metrics.append(column)
    return metrics


def metric_values(summary: pd.DataFrame, metrics: Sequence[str]) -> np.ndarray:
    """Each run's value of each metric, ``(runs, metrics)``; NaN where undefined.

    A metric built on a column this summary lacks (a post nobody held at its start, a
    congress its calendar does not have) is undefined in every run.
    """
    values = np.full((len(summary), len(metrics)), np.nan)
    for k, metric in enumerate(metrics):
        if metric.startswith("p_dominant_"):
            leader = metric.removeprefix("p_dominant_")
            values[:, k] = (summary["dominant"] == leader).to_numpy(dtype=float)
        elif metric == NO_DOMINANT_METRIC:
            values[:, k] = (summary["dominant"] == NO_DOMINANT).to_numpy(dtype=float)
        elif metric.startswith("p_left_"):
            column = metric.removeprefix("p_")
            if column in summary:
                values[:, k] = summary[column].notna().to_numpy(dtype=float)
        elif metric in summary:
            values[:, k] = summary[metric].to_numpy(dtype=float, na_value=np.nan)
    return values


def check_paired(summaries: Mapping[str, pd.DataFrame]) -> None:
    """Refuse summaries that are not paired run by run (same run numbers and seeds).

    Raises:
        ValueError: naming the first scenario that differs from the first one.
    """
    names = list(summaries)
    first = summaries[names[0]]
    for name in names[1:]:
        other = summaries[name]
        if len(other) != len(first):
            raise ValueError(
                f"{name} has {len(other)} runs and {names[0]} {len(first)}: "
                "a paired comparison needs the same runs"
            )
        for column in ("run", "seed"):
            if not np.array_equal(other[column].to_numpy(), first[column].to_numpy()):
                raise ValueError(
                    f"{name} and {names[0]} differ in their {column} column: their runs are "
                    "not paired (were they simulated with the same --seed?)"
                )


def identical_runs(summary: pd.DataFrame) -> bool:
    """Whether every run of an ensemble has the same outcomes (its run and seed aside).

    Then every interval has zero width because nothing varied, not because the
    estimate is precise: a deterministic mode, or chance that never mattered.
    """
    outcomes = summary.drop(columns=["run", "seed"], errors="ignore")
    return len(outcomes) > 1 and bool((outcomes.nunique(dropna=False) <= 1).all())


# --- the bootstrap -----------------------------------------------------------------


def resample_counts(rng: np.random.Generator, runs: int, resamples: int) -> np.ndarray:
    """How many times each run is drawn in each resample, ``(resamples, runs)``.

    Each resample draws ``runs`` run indices uniformly with replacement; counting them
    lets a matrix product give every resample's mean at once.
    """
    drawn = rng.integers(0, runs, size=(resamples, runs))
    drawn += np.arange(resamples)[:, None] * runs
    counts = np.bincount(drawn.ravel(), minlength=resamples * runs)
    return counts.reshape(resamples, runs).astype(float)


def bootstrap_means(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each resample's mean of each column, ignoring NaN, ``(resamples, columns)``.

    Args:
        values: ``(runs, columns)``; NaN where a run does not define the column.
        counts: ``(resamples, runs)`` from :func:`resample_counts`.

    Returns:
        NaN where a resample holds no run defining the column.
    """
    defined = ~np.isnan(values)
    sums = counts @ np.where(defined, values, 0.0)
    numbers = counts @ defined.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / numbers


def paired_resamples(
    values: Sequence[np.ndarray],
    resamples: int = RESAMPLES,
    rng: np.random.Generator | None = None,
    *,
    seed: int | None = None,
    block: int = RESAMPLE_BLOCK,
) -> list[np.ndarray]:
    """Bootstrap means of several scenarios' metrics, resampling run indices jointly.

    Every resample takes the same run indices in every scenario, so differences
    between scenarios are paired. A column equal in every run to the first scenario's
    (NaN included) reuses its resampled means, so identical outcomes differ by exactly 0.

    Args:
        values: one ``(runs, metrics)`` array per scenario, runs in the same order.
        resamples: number of bootstrap resamples, at least 1.
        rng: the generator to draw from (else one seeded with ``seed``).
        seed: seed of the generator when ``rng`` is not given.
        block: resamples drawn at once (bounds the memory: ``block x runs`` counts).

    Returns:
        One ``(resamples, metrics)`` array per scenario.
    """
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    shapes = {array.shape for array in values}
    if len(shapes) != 1:
        raise ValueError(f"paired scenarios need arrays of one shape, got {sorted(shapes)}")
    rng = rng if rng is not None else np.random.default_rng(seed)
    first = values[0]
    runs = first.shape[0]
    same = [
        np.all((array == first) | (np.isnan(array) & np.isnan(first)), axis=0) for array in values
    ]
    results = [np.empty((resamples, first.shape[1])) for _ in values]
    for start, stop in _blocks(resamples, block):
        counts = resample_counts(rng, runs, stop - start)
        base = bootstrap_means(first, counts)
        results[0][start:stop] = base
        for array, equal, result in zip(values[1:], same[1:], results[1:], strict=True):
            result[start:stop] = base
            if not equal.all():
                result[start:stop, ~equal] = bootstrap_means(array[:, ~equal], counts)
    return results


def _blocks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, max(1, size)):
        yield start, min(total, start + max(1, size))


def percentile_interval(samples: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval of resampled statistics, per column, ignoring NaN resamples.

    Args:
        samples: ``(resamples, columns)`` (or one column as a 1-D array).
        level: coverage, in (0, 1).

    Returns:
        ``(low, high)``, NaN for a column with no defined resample.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    tail = (1 - level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column gives NaN
        low, high = np.nanquantile(samples, [tail, 1 - tail], axis=0)
    return low, high


def wilson_interval(
    hits: np.ndarray, trials: np.ndarray, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval of a proportion, per column; NaN where there is no trial.

    With no hit its lower end is 0, with every trial a hit its upper end 1, exactly
    (the formula's rounding left 3e-18 in the tables).
    """
    z = norm.ppf((1 + level) / 2)
    hits, trials = np.asarray(hits, dtype=float), np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = hits / trials
        centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
        half = z * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials**2))
        half /= 1 + z * z / trials
    low = np.where(hits == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(hits == trials, 1.0, np.clip(centre + half, 0.0, 1.0))
    return np.where(trials > 0, low, np.nan), np.where(trials > 0, high, np.nan)


def paired_difference_interval(
    first: np.ndarray, second: np.ndarray, level: float = LEVEL
) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's interval of ``P(first) - P(second)`` from paired 0/1 outcomes, per column.

    ``first`` and ``second`` are ``(runs, columns)`` of 0 and 1 (NaN where undefined),
    run ``i`` of one paired with run ``i`` of the other; only the runs defining both count.
    The interval squares and adds the two proportions' Wilson intervals, correlated as
    the pairs are (the phi coefficient of the 2 x 2 table, with Newcombe's correction):
    when no pair differs, it is as wide as the evidence that none would, not ``[0, 0]``.
    NaN where no run defines both.
    """
    both = ~np.isnan(first) & ~np.isnan(second)
    one, two = np.where(both, first, 0.0), np.where(both, second, 0.0)
    n = both.sum(axis=0).astype(float)
    r = (one * two).sum(axis=0)  # both happened
    s = (one * (1 - two) * both).sum(axis=0)  # only in the first
    t = ((1 - one) * two * both).sum(axis=0)  # only in the second
    u = n - r - s - t
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = (r + s) / n, (r + t) / n
        l1, u1 = wilson_interval(r + s, n, level)
        l2, u2 = wilson_interval(r + t, n, level)
        cross = r * u - s * t
        corrected = np.where(cross > n / 2, cross - n / 2, np.where(cross < 0, cross, 0.0))
        margins = (r + s) * (t + u) * (r + t) * (s + u)
        phi = np.where(margins > 0, corrected / np.sqrt(np.where(margins > 0, margins, 1)), 0.0)
        below = (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
        above = (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2
        difference = p1 - p2
        low = difference - np.sqrt(np.maximum(below, 0.0))
        high = difference + np.sqrt(np.maximum(above, 0.0))
    return np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)


def probabilities(metrics: Sequence[str]) -> np.ndarray:
    """Which metrics are probabilities (``p_*``), whose intervals are score intervals."""
    return np.array([metric.startswith("p_") for metric in metrics], dtype=bool)


def nan_mean(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over the runs defining each column, and how many do: ``(means, counts)``."""
    defined = ~np.isnan(values)
    numbers = defined.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(defined, values, 0.0).sum(axis=0) / numbers
    return means, numbers


# --- the comparison ----------------------------------------------------------------


def compare_summaries(
    summaries: Mapping[str, pd.DataFrame],
    base: str,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    *,
    seed: int = 1,
) -> pd.DataFrame:
    """Every metric of every scenario with its interval, and each paired difference from base.

    Args:
        summaries: each scenario's ``summary`` table by scenario name, paired run by run.
        base: the name of the base scenario, one of ``summaries``.
        resamples: bootstrap resamples.
        level: coverage of the intervals.
        seed: seed of the resampling generator (``numpy.random.default_rng(seed)``).

    Returns:
        The comparison table (:data:`COLUMNS`): one row per metric and scenario, metrics
        in :func:`metric_names` order, the base first; ``n`` counts the runs defining the
        metric; the difference columns are empty on the base's rows.

    Raises:
        ValueError: if ``base`` is not among the summaries or they are not paired.
    """
    if base not in summaries:
        raise ValueError(f"no summary for the base scenario {base!r}")
    names = [base, *(name for name in summaries if name != base)]
    ordered = {name: summaries[name] for name in names}
    check_paired(ordered)
    metrics = metric_names(list(ordered.values()))
    values = [metric_values(summary, metrics) for summary in ordered.values()]
    samples = paired_resamples(values, resamples, seed=seed)
    base_estimate = nan_mean(values[0])[0]
    shares = probabilities(metrics)
    frames = []
    for name, array, resampled in zip(names, values, samples, strict=True):
        estimate, numbers = nan_mean(array)
        low, high = percentile_interval(resampled, level)
        hits = np.where(np.isnan(array), 0.0, array).sum(axis=0)
        low[shares], high[shares] = (
            bound[shares] for bound in wilson_interval(hits, numbers, level)
        )
        frame = pd.DataFrame(
            {
                "metric": metrics,
                "scenario": name,
                "estimate": estimate,
                "ci_low": low,
                "ci_high": high,
                "difference": np.nan,
                "diff_ci_low": np.nan,
                "diff_ci_high": np.nan,
                "n": numbers.astype(np.int64),
            }
        )
        if name != base:
            frame["difference"] = estimate - base_estimate
            low, high = percentile_interval(resampled - samples[0], level)
            low[shares], high[shares] = (
                bound[shares] for bound in paired_difference_interval(array, values[0], level)
            )
            frame["diff_ci_low"], frame["diff_ci_high"] = low, high
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    order = {metric: k for k, metric in enumerate(metrics)}
    table = table.sort_values("metric", key=lambda column: column.map(order), kind="stable")
    return table.reset_index(drop=True)[list(COLUMNS)]
