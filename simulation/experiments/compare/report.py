"""What a reader of a comparison sees first: the main metrics in words, as a Markdown report.

The comparison table (:func:`~simulation.experiments.compare.statistics.compare_summaries`)
holds every metric; the report picks the ones a historian asks about first (who
dominates, the key leaders' power, who left which post and when), labels them with
the scenario's names of leaders and posts, and says what each alternative changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulation.experiments.compare.statistics import NO_DOMINANT_METRIC, probabilities
from simulation.experiments.paths import HISTORY_METRICS, history_orders
from simulation.output.names import surnames
from simulation.output.roll import joint_roll
from simulation.scenario import Scenario, scenario_hash
from simulation.scenario.diff import diff_scenarios, format_differences

KEY_LEADERS = 4
"""Leaders whose final power share the main table shows and the plot draws."""
HEADLINE_BEYOND = 3
"""Alternatives beyond which the whole table (two columns each) outruns a terminal: the
terminal gets :func:`headline_table` instead, and the report puts it first."""


def key_leaders(table: pd.DataFrame, count: int = KEY_LEADERS) -> list[str]:
    """The leaders to show first: most likely dominant, then highest final power share.

    Ranked by their highest P(dominant) in any scenario, ties broken by their highest
    mean final power share in any scenario.
    """
    best = table.groupby("metric", sort=False)["estimate"].max()
    power = {m.removeprefix("power_"): v for m, v in best.items() if m.startswith("power_")}
    dominant = {
        m.removeprefix("p_dominant_"): v for m, v in best.items() if m.startswith("p_dominant_")
    }
    ranked = sorted(power, key=lambda leader: (-dominant.get(leader, 0.0), -power[leader]))
    return ranked[:count]


def _constant(rows: pd.DataFrame) -> bool:
    """The same value in every run of every scenario (e.g. a death on a fixed date).

    A timing is when its interval has no width; a probability (whose score interval has
    width even then) when it is 0 in every scenario, or 1.
    """
    if probabilities(rows["metric"].iloc[:1])[0]:
        estimates = rows["estimate"].to_numpy()
        return bool(np.all(estimates == estimates[0]) and estimates[0] in (0.0, 1.0))
    values = rows[["estimate", "ci_low", "ci_high"]].to_numpy()
    return bool(np.all(values == values[0, 0]) or np.all(np.isnan(values)))


def main_metrics(
    table: pd.DataFrame, count: int = KEY_LEADERS, concerned: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """The metrics of the main table, and the removal timings left out of it as constant.

    The main table holds P(dominant) for every leader dominant in any run (and
    P(no single leader dominant) if a run ended so), the probability of history's
    orders of factions and of verdicts (:mod:`simulation.experiments.paths`), the final
    power share of the :func:`key_leaders` and of the ``concerned`` (those the
    alternatives are about: an overlay that strengthens Frunze is read first on
    Frunze's row, though he wins no run), and for each post someone left in some run,
    the probability of leaving it and the months until he did. Posts left at the same
    month in every run of every scenario (deaths on fixed dates) are left out.
    """
    metrics = list(dict.fromkeys(table["metric"]))
    rows = {metric: group for metric, group in table.groupby("metric", sort=False)}
    dominance = [
        metric
        for metric in metrics
        if metric.startswith("p_dominant_") or metric == NO_DOMINANT_METRIC
    ]
    dominance += [metric for metric in HISTORY_METRICS.values() if metric in metrics]
    leaders = dict.fromkeys([*key_leaders(table, count), *concerned])
    power = [f"power_{leader}" for leader in leaders if f"power_{leader}" in rows]
    removals, constant = [], []
    for metric in metrics:
        if not metric.startswith("p_left_"):
            continue
        timing = metric.removeprefix("p_")
        if not (rows[metric]["estimate"] > 0).any():
            continue  # nobody left it in any run
        if _constant(rows[metric]) and _constant(rows[timing]):
            constant.append(timing)
            continue
        removals += [metric, timing]
    return dominance + power + removals, constant


def parse_left(column: str, scenario: Scenario) -> tuple[str, str]:
    """``(leader id, post id)`` of a ``left_<leader>_<post>`` column."""
    rest = column.removeprefix("left_")
    for leader in sorted((leader.id for leader in scenario.leaders), key=len, reverse=True):
        if rest.startswith(f"{leader}_"):
            return leader, rest.removeprefix(f"{leader}_")
    return "", rest


def metric_label(metric: str, scenario: Scenario) -> str:
    """A metric in words, with the scenario's names of leaders and posts.

    In a comparison, ``scenario`` is the :func:`~simulation.output.roll.joint_roll` of
    every scenario compared: a leader or post only an alternative has is named too.
    """
    names = {leader.id: leader.name for leader in scenario.leaders}
    end = str(scenario.end)
    if metric.startswith("p_dominant_"):
        leader = metric.removeprefix("p_dominant_")
        return f"P({names.get(leader, leader)} dominant at {end})"
    if metric == NO_DOMINANT_METRIC:
        return f"P(no single leader dominant at {end})"
    if metric.startswith("power_"):
        leader = metric.removeprefix("power_")
        return f"{names.get(leader, leader)}: power share at {end}"
    if metric.startswith("p_left_") or metric.startswith("left_"):
        leader, post = parse_left(metric.removeprefix("p_"), scenario)
        who = names.get(leader, leader)
        office = scenario.posts[post].name if post in scenario.posts else post
        if metric.startswith("p_"):
            return f"P({who} has left {office} by {end})"
        return f"{who} left {office}: months after {scenario.start} (runs where left)"
    for order, history in HISTORY_METRICS.items():
        if metric == history:
            return f"P(history's order of {order}: {history_orders(scenario)[order]})"
    if metric.startswith("congress_"):
        month = metric.removeprefix("congress_").removesuffix("_for_share")
        return f"Congress of {month}: share of votes for"
    return metric


def _digits(metric: str, rows: pd.DataFrame) -> int:
    """Decimals: months 1, shares 3, probabilities 2 (3 if one would round to 0 or 1)."""
    if metric.startswith("left_"):
        return 1
    if metric.startswith(("power_", "congress_")):
        return 3
    values = np.abs(rows[["estimate", "difference"]].to_numpy(dtype=float))
    near_zero = (values > 0) & (values < 0.005)  # would show as 0.00
    near_one = (values > 0.995) & (values < 1)  # would show as 1.00
    return 3 if (near_zero | near_one).any() else 2


def format_interval(
    estimate: float,
    low: float,
    high: float,
    digits: int = 2,
    signed: bool = False,
    alike: str = "every run alike",
) -> str:
    """``0.78 [0.74, 0.82]``; ``+`` on positive values if ``signed``; ``n/a`` if undefined.

    An interval of zero width (every run, or every pair, gave the same value) is shown
    as ``1.00 (every run alike)``: nothing varied, which ``[1.00, 1.00]`` would present
    as a precise estimate.
    """
    if np.isnan(estimate):
        return "n/a"
    sign = "+" if signed else ""

    def show(value: float) -> str:
        if np.isnan(value):
            return "?"
        text = f"{value:{sign}.{digits}f}"
        # A difference that rounds to zero is shown as 0.00, not -0.00 or +0.00.
        return text.lstrip("+-") if float(text) == 0 else text

    if low == high == estimate:
        return f"{show(estimate)} ({alike})"
    return f"{show(estimate)} [{show(low)}, {show(high)}]"


def _difference(row: pd.Series, digits: int) -> str:
    """An alternative's paired difference from the base, with its interval."""
    return format_interval(
        row["difference"],
        row["diff_ci_low"],
        row["diff_ci_high"],
        digits,
        signed=True,
        alike="every pair alike",
    )


def markdown_table(
    table: pd.DataFrame, metrics: Sequence[str], base: str, scenario: Scenario
) -> str:
    """The chosen metrics as a Markdown table: base, then each alternative and its difference.

    Conditional means (removal timings, congress votes) show the number of runs they
    rest on as ``(n=...)``.
    """
    names = list(dict.fromkeys(table["scenario"]))
    alternatives = [name for name in names if name != base]
    header = ["Outcome", base]
    for name in alternatives:
        header += [name, f"{name} - {base}"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|",
    ]
    indexed = table.set_index(["metric", "scenario"])
    for metric in metrics:
        digits = _digits(metric, table[table["metric"] == metric])
        conditional = metric.startswith(("left_", "congress_"))
        cells = [metric_label(metric, scenario)]
        for name in [base, *alternatives]:
            row = indexed.loc[(metric, name)]
            cell = format_interval(row["estimate"], row["ci_low"], row["ci_high"], digits)
            cells.append(f"{cell} (n={int(row['n'])})" if conditional else cell)
            if name != base:
                cells.append(_difference(row, digits))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def headline_table(table: pd.DataFrame, base: str, scenario: Scenario) -> str:
    """A few headline outcomes, one row per scenario: what a terminal can show of many.

    With a dozen alternatives the main table has some thirty columns and no terminal
    shows a row of it. Here each alternative is a row and the columns are the outcomes a
    historian asks about first: the likeliest winner's P(dominant) and history's orders,
    each alternative's value with its paired difference from the base.
    """
    names = surnames(scenario)
    winner = key_leaders(table, 1)[0]
    present = set(table["metric"])
    metrics = {f"p_dominant_{winner}": f"P({names.get(winner, winner)} dominant)"}
    if f"p_dominant_{winner}" not in present:  # no leader was dominant in any run
        metrics = {NO_DOMINANT_METRIC: "P(no single leader dominant)"}
    metrics |= {
        metric: f"P(history's {order})"
        for order, metric in HISTORY_METRICS.items()
        if metric in present
    }
    indexed = table.set_index(["metric", "scenario"])
    lines = [
        "| Scenario | " + " | ".join(metrics.values()) + " |",
        "|---|" + "|".join(["--:"] * len(metrics)) + "|",
    ]
    for name in dict.fromkeys(table["scenario"]):
        cells = [name]
        for metric in metrics:
            row = indexed.loc[(metric, name)]
            digits = _digits(metric, table[table["metric"] == metric])
            value = "n/a" if np.isnan(row["estimate"]) else f"{row['estimate']:.{digits}f}"
            if name == base:
                cells.append(f"{value} (base)")
                continue
            cells.append(f"{value}: {_difference(row, digits)}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report_text(
    ensembles: Sequence,
    reused: dict[str, bool],
    main_table: str,
    constant: list[str],
    resamples: int,
    identical: Sequence[str] = (),
    unchanged: Sequence[str] = (),
    figure: str = "comparison.png",
    headline: str = "",
) -> str:
    """The Markdown report: settings, what each alternative changes, the table, the plot.

    Args:
        ensembles: the compared ensembles (:class:`~simulation.experiments.ensemble.Ensemble`),
            the base first.
        reused: by scenario name, whether its ensemble was found complete and reused.
        main_table: the Markdown table of :func:`markdown_table`.
        constant: removal timings left out of it as the same in every run.
        resamples: bootstrap resamples behind the intervals.
        identical: the scenarios every run of which gave the same outcomes.
        unchanged: the alternatives that gave the base's outcomes in every run.
        figure: the file name of the comparison figure (its format is the user's).
        headline: :func:`headline_table`, put before what each alternative changes
            (given when there are more alternatives than :data:`HEADLINE_BEYOND`).
    """
    base_ensemble, alternatives = ensembles[0], ensembles[1:]
    base = base_ensemble.scenario
    title = ", ".join(ensemble.scenario.name for ensemble in alternatives)
    runs, seed = base_ensemble.runs, base_ensemble.seed
    mode = mode_used(base_ensemble)
    lines = [
        f"# {title} against {base.name}",
        "",
        f"{runs} runs per scenario in {mode} mode"
        + "".join(
            f" ({e.scenario.name}: {mode_used(e)})" for e in alternatives if mode_used(e) != mode
        )
        + f", root seed {seed}: run *i* has "
        "the same seed in every scenario (common random numbers), so the differences are "
        "paired run by run. Intervals are 95%: a probability's is Wilson's score interval, "
        "a difference of two probabilities Newcombe's for paired proportions; any other "
        f"outcome's is a percentile bootstrap interval over {resamples} resamples of the "
        "runs, drawn with the same run indices in every scenario for the differences "
        f"(`numpy.random.default_rng({seed})`).",
        "",
        parameters_sentence(ensembles),
        "",
        "| scenario | file | SHA-256 | ensemble |",
        "|---|---|---|---|",
    ]
    for ensemble in ensembles:
        name = ensemble.scenario.name
        state = "reused" if reused[name] else "simulated"
        lines.append(
            f"| {name} | `{ensemble.scenario_file}` | `{scenario_hash(ensemble.scenario)[:12]}` "
            f"| `{name}/` ({state}) |"
        )
    if headline:
        lines += ["", "## At a glance", "", headline]
    for ensemble in alternatives:
        differences = diff_scenarios(base, ensemble.scenario)
        text = format_differences(differences, base_ensemble.scenario_file, ensemble.scenario_file)
        lines += ["", f"## What {ensemble.scenario.name} changes", "", "```", text, "```"]
    lines += [
        "",
        "## Main outcomes",
        "",
        "Probabilities are shares of runs; power shares are means over runs; a removal "
        "timing is the mean number of months until the leader left the post, over the runs "
        "in which the leader did (n of them), beside the probability that the post was left "
        "at all. "
        "Differences are the alternative minus the base.",
        "",
        main_table,
        "",
    ]
    if unchanged:
        lines += [f"**Warning:** {unchanged_note(unchanged, base.name, runs, mode)}", ""]
    if (branching := branch_note(ensembles)) is not None:
        lines += [f"**Warning:** {branching}", ""]
    if identical:
        lines += [identical_note(identical, runs), ""]
    if constant:
        named = joint_roll(base, (ensemble.scenario for ensemble in alternatives))
        left_out = ", ".join(metric_label(metric, named).split(":")[0] for metric in constant)
        lines += [
            f"Left out, as they happen in the same month in every run of every scenario: "
            f"{left_out}.",
            "",
        ]
    lines += [
        f"![P(dominant) per scenario and median power paths]({figure})",
        "",
        "Every metric (each leader's final power share, every removal timing, the congress "
        "votes) is in `comparison.csv`: metric, scenario, estimate, ci_low, ci_high, and for "
        "the alternatives the paired difference and its interval; n is the number of runs "
        "in which the metric is defined. Each ensemble's tables are in its directory "
        "(`summary.parquet`, `quantiles.parquet`, ...).",
        "",
    ]
    return "\n".join(lines)


def parameters_sentence(ensembles: Sequence) -> str:
    """Where the runs' parameters came from: the posterior (which file), the priors or the point."""
    drawn = ensembles[0].parameters
    if drawn is None:
        note = ensembles[0].parameters_note
        return "Parameters: the point estimate in every run" + (f" ({note})." if note else ".")
    kept = [
        f"{ensemble.scenario.name} keeps {', '.join(ensemble.parameters.kept)}"
        for ensemble in ensembles
        if ensemble.parameters is not None and ensemble.parameters.kept
    ]
    notes = (
        [ensembles[0].parameters_note]
        + [
            f"for {ensemble.scenario.name}, {ensemble.parameters_note}"  # keeps fewer than the base
            for ensemble in ensembles[1:]
            if ensemble.parameters_note not in ("", ensembles[0].parameters_note)
        ]
    )
    note = "; ".join(text for text in notes if text)
    source = (
        f"the posterior sample `{drawn.path}` (SHA-256 `{drawn.sha256[:12]}`"
        + (f"; {note}" if note else "")
        + ")"
        if ensembles[0].posterior is not None
        else "the priors of the fit, uniformly (the prior predictive: what the model can do "
        "before the patterns narrow it)"
    )
    return (
        f"Parameters: each run's drawn from {source}, by its seed: run *i* takes the same "
        "draw in every scenario, so the differences carry the parameters' uncertainty and "
        "stay paired"
        + (
            f"; parameters a scenario sets itself are kept, not drawn: {'; '.join(kept)}."
            if kept
            else "."
        )
    )


def mode_used(ensemble) -> str:
    """The mode an ensemble ran in, as a reader says it: ``free``, ``replay``, ``free from ...``.

    A scenario's ``free_from`` (``--free-from``) overrides the mode.
    """
    return ensemble.scenario.mode_label(ensemble.mode.value)


def branch_note(ensembles: Sequence) -> str | None:
    """Say which alternatives branch from history where the base does not, or None.

    An overlay's ``free_from:`` replays history to its month: against a base that
    decides from the first month, the differences mix that branch with the overlay's
    own changes (a historian's Frunze overlay with a branch moved P(Stalin) by +0.19, of
    which the branch made nearly all: −0.03 against a base branched alike).
    """
    base = ensembles[0]
    apart = [e for e in ensembles[1:] if e.scenario.free_from != base.scenario.free_from]
    if not apart:
        return None
    said = "; ".join(f"{e.scenario.name} in {mode_used(e)} mode" for e in apart)
    months = sorted({str(e.scenario.free_from) for e in apart if e.scenario.free_from})
    remedy = (
        f"give the base the same branch (--free-from {months[0]})"
        if len(months) == 1 and base.scenario.free_from is None
        else "compare scenarios that branch alike"
    )
    return (
        f"{said}, {base.scenario.name} in {mode_used(base)} mode: the differences mix the "
        f"branch from history with the alternative's own changes; to see the changes alone, "
        f"{remedy}."
    )


def unchanged_note(unchanged: Sequence[str], base: str, runs: int, mode: str) -> str:
    """Say that an alternative changed nothing in the mode used, and where to look."""
    names = ", ".join(unchanged)
    return (
        f"{names} gave the same outcomes as {base} in every one of the {runs} paired runs "
        f"in {mode} mode: its changes do nothing in this mode (`interregnum diff` says in "
        "which modes each change acts); every difference below is 0."
    )


def identical_note(identical: Sequence[str], runs: int) -> str:
    """Say that zero-width intervals mean nothing varied, not a precise estimate."""
    names = ", ".join(identical)
    return (
        f"Every one of the {runs} runs of {names} gave the same outcomes: "
        "the intervals there have zero width because nothing varied between runs "
        "(a deterministic mode, or chance that never changed an outcome), "
        "not because the estimate is precise."
    )
