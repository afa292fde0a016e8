"""Write an assessment directory: tables as CSV, ``report.md``, ``assessment.png``, a manifest.

The report leads with the temporal hold-out, what follows each turning point asked for
(``--given``) and what each fit learnt, then the posterior predictive
against the point and the prior, then the null models, the hindsight audit, and
the in-sample (``fit``) against the ``hold_out`` patterns last, the order a
reviewer of a modelling paper reads them in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from simulation.experiments.assessment.assessment import (
    CONFIDENCE,
    HOLD_OUT,
    NO_HINDSIGHT,
    REPRODUCED,
    Assessment,
    audit_effect,
    mean_change,
)
from simulation.experiments.assessment.hindsight import AUDITS
from simulation.experiments.assessment.null_models import NULL_MODELS
from simulation.experiments.assessment.plots import plot_assessment
from simulation.experiments.paths import COLUMNS as PATH_COLUMNS
from simulation.experiments.paths import history_shares, tabulate
from simulation.output.files import csv_text, provenance, replace_directory, write_text


def _markdown(frame: pd.DataFrame, index: bool = False) -> str:
    """A pipe table; floats with two decimals, NaN as a dash."""
    if index:
        frame = frame.reset_index(names="level")
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"

    def cell(value) -> str:
        if isinstance(value, float):
            return "-" if pd.isna(value) else f"{value:.2f}"
        return str(value)

    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([header, rule, *rows])


def _headline(assessment: Assessment) -> list[str]:
    late = assessment.late()
    until = assessment.settings.fit_until
    lines = [f"## Headline: hold-out in time (fitted up to {until}, assessed after it)", ""]
    if HOLD_OUT not in assessment.tables:
        return lines + [f"Not run: {assessment.notes[-1]}", ""]
    model = assessment.model
    joint = assessment.joint([HOLD_OUT, *NULL_MODELS, model], only=late)
    joint = joint.rename(columns={model: f"{model}, full fit"})
    verdicts = assessment.verdicts(only=late, model=HOLD_OUT)
    share = joint.loc["all", HOLD_OUT]
    table = assessment.hit_table()
    columns = ["pattern", "level", "role", "date", HOLD_OUT, *NULL_MODELS, model]
    table = table[table["pattern"].isin(late)][columns]
    reached = int((table[HOLD_OUT] >= REPRODUCED).sum())
    lines += [
        f"The model with its parameters {assessment.descriptions[HOLD_OUT]}. "
        f"On the {len(late)} patterns dated after {until} (either role), "
        f"the mean hit share is **{share:.2f}**; {reached} of {len(late)} patterns are "
        f"reproduced in at least {REPRODUCED:.0%} of runs. {_undecided(assessment, late)} "
        "The verdicts compare the hold-out fit with the "
        f"null models; the last column is the model fitted on every `fit` pattern ({model}), "
        "for contrast.",
        "",
        _markdown(joint.join(verdicts), index=True),
        "",
        _markdown(table),
        "",
    ]
    return lines


def _undecided(assessment: Assessment, late: list[str]) -> str:
    """The hold-out patterns whose verdict at the threshold is within sampling error."""
    intervals = assessment.sampling_intervals(HOLD_OUT).loc[late]
    close = intervals[(intervals["low"] < REPRODUCED) & (intervals["high"] >= REPRODUCED)]
    runs = int(intervals["runs"].max())
    if close.empty:
        return (
            f"No pattern's {CONFIDENCE:.0%} interval over these {runs:,} runs reaches across "
            f"{REPRODUCED:.0%}: another root seed would count them the same."
        )
    named = "; ".join(
        f"`{pattern}` {row.share:.3f} [{row.low:.3f}, {row.high:.3f}]"
        for pattern, row in close.iterrows()
    )
    return (
        f"Within sampling error of {REPRODUCED:.0%} ({CONFIDENCE:.0%} Wilson interval over "
        f"these {runs:,} runs), so that another root seed may count them otherwise: {named}."
    )


def _turning_points(assessment: Assessment) -> list[str]:
    lines = []
    for given, result in assessment.turning_points.items():
        counts = "; ".join(
            f"{name}: {hit} hit it, {missed} missed it"
            for name, (hit, missed) in result.runs.items()
        )
        lines += [
            f"## What follows `{given}`",
            "",
            f"Each pattern dated after `{given}`, its hit share in the runs that hit it and in "
            f"the runs that missed it ({counts}). A pattern that fails in the runs that hit the "
            "turning point fails for what follows it, not for its timing "
            f"(`following-{given}.csv`).",
            "",
            _markdown(result.table),
            "",
        ]
    return lines


def _paths(assessment: Assessment) -> list[str]:
    if not assessment.paths:
        return []
    history = assessment.history
    lines = [
        "## The historical sequence as a path",
        "",
        "The patterns score the sequence piece by piece; a run's path is the whole of it: the "
        "order in which the factions first came forward and the order of the first verdicts "
        "on the period's members of the Politburo (what came in one month joined by `+`). "
        f"History's: factions `{history['factions']}`; verdicts `{history['verdicts']}`. "
        "Each column is the share of runs that took history's order; the last says whether "
        "no other pair of orders was taken by more runs (`paths.csv`: every path of every "
        "set, with the leader dominant at the end).",
        "",
    ]
    rows = {name: history_shares(paths, history) for name, paths in assessment.paths.items()}
    table = pd.DataFrame(rows).T.reset_index(names="run set")
    table["most common"] = table["most common"].map({True: "yes", False: "no"})
    return [*lines, _markdown(table), ""]


def _learnt(assessment: Assessment) -> list[str]:
    table = assessment.learnt
    lines = ["## What the fits learnt", ""]
    fits = [name for name in ("full fit", HOLD_OUT) if name in table]
    if not fits:
        return lines + ["No posterior sample: nothing to say.", ""]
    counts = "; ".join(
        f"the {name} narrowed {int(table[f'{name} narrowed'].sum())} of {len(table)}"
        for name in fits
    )
    lines += [
        "Posterior contraction, 1 - var(posterior) / var(prior), of each fitted parameter: "
        "0 when the fitted patterns say nothing about it, 1 when they pin it down. A parameter "
        "counts as narrowed beyond twice the error a posterior of that size would show if the "
        f"prior were unchanged ({counts}). A late pattern that hangs on parameters the hold-out "
        "fit did not narrow is predicted by their prior alone.",
        "",
        _markdown(table[["parameter", "prior low", "prior high", *fits]]),
        "",
    ]
    return lines


def _parameter_sets(assessment: Assessment) -> list[str]:
    names = [n for n in ("posterior", "point", "prior") if n in assessment.tables]
    lines = ["## Posterior predictive, point estimate, prior predictive", ""]
    lines += [f"- **{name}**: {assessment.descriptions[name]}" for name in names]
    lines += [
        "",
        "Joint score (mean share of runs hitting a pattern), all patterns and per level:",
        "",
        _markdown(assessment.joint(names), index=True),
        "",
    ]
    return lines


def _nulls(assessment: Assessment) -> list[str]:
    model = assessment.model
    joint = assessment.joint([model, *NULL_MODELS])
    lines = [f"## Null models (the model: {model})", ""]
    lines += [f"- **{name}**: {assessment.descriptions[name]}" for name in NULL_MODELS]
    lines += ["", _markdown(joint.join(assessment.verdicts()), index=True), ""]
    return lines


def _audit(assessment: Assessment) -> list[str]:
    effect = audit_effect(assessment)
    inputs = pd.DataFrame([vars(row) for row in assessment.hindsight])
    kinds = inputs["input"].tolist() if len(inputs) else []
    changed = effect[effect["change"].abs() >= 0.01]
    audits = [audit for audit in AUDITS if audit.name in assessment.tables]
    table = pd.DataFrame(
        {
            "variant": [audit.name for audit in audits],
            "removes": [audit.removes for audit in audits],
            "inputs": [sum(kinds.count(kind) for kind in audit.kinds) for audit in audits],
            "mean change": [
                f"{mean_change(audit_effect(assessment, audit.name)):+.3f}" for audit in audits
            ],
        }
    )
    return [
        "## Hindsight audit",
        "",
        f"{len(inputs)} inputs name a leader. Removing the exogenous ones together "
        "(the events' shocks, blame and appointments, the leaders' barred offices, patrons and "
        f"organisations; {assessment.descriptions[NO_HINDSIGHT]}) changes the mean hit share "
        f"over all patterns by **{mean_change(effect):+.3f}**. Each other kind apart "
        "(the hit shares of every variant: `hindsight_audits.csv`):",
        "",
        _markdown(table),
        "",
        _markdown(inputs) if len(inputs) else "(none)",
        "",
        "Patterns whose hit share changes by at least 0.01 when the exogenous inputs are "
        f"removed ({len(changed)} of {len(effect)}):",
        "",
        _markdown(changed) if len(changed) else "(none)",
        "",
    ]


def audits_table(assessment: Assessment) -> pd.DataFrame:
    """Per pattern, the model's hit share and each audit variant's."""
    audits = [audit.name for audit in AUDITS if audit.name in assessment.tables]
    hits = {
        name: assessment.tables[name].set_index("pattern")["hit"]
        for name in (assessment.model, *audits)
    }
    frame = pd.DataFrame(hits).rename(columns={assessment.model: "with inputs"})
    return frame.reset_index(names="pattern")


def _patterns(assessment: Assessment) -> list[str]:
    model = assessment.tables[assessment.model]
    table = assessment.hit_table()
    table["error median [q10, q90]"] = [
        "-"
        if pd.isna(row.error_median)
        else f"{row.error_median:.0f} [{row.error_q10:.0f}, {row.error_q90:.0f}]"
        for row in model.itertuples()
    ]
    by_role = {
        role_name: table[table["role"] == role_name][assessment.model].mean()
        for role_name in ("fit", "hold_out")
    }
    sources = {pattern.id: pattern.source for pattern in assessment.patterns}
    never = table[table[assessment.model] == 0]
    lines = [
        "## Every pattern (in-sample last: fit against hold_out)",
        "",
        f"Mean hit share of the model ({assessment.model}): `fit` patterns "
        f"{by_role['fit']:.2f}, `hold_out` patterns {by_role['hold_out']:.2f}. Month errors "
        "are the model's, over the runs in which the pattern could be timed.",
        "",
        # A pattern no run reproduces teaches a fit nothing and its hit share nothing either:
        # what the model cannot do at all, which a mean over the patterns hides.
        "Reproduced in no run of the model: "
        + (
            ", ".join(f"`{row.pattern}` ({row.role})" for row in never.itertuples())
            if len(never)
            else "none"
        )
        + ".",
        "",
        _markdown(table),
        "",
        "Sources:",
        "",
    ]
    lines += [f"- `{pid}`: {source}" for pid, source in sources.items()]
    return lines + [""]


def report_text(assessment: Assessment, scenario_name: str) -> str:
    """The whole ``report.md``."""
    settings = assessment.settings
    lines = [
        f"# Assessment of {scenario_name}",
        "",
        f"{settings.runs} free-mode runs per parameter set (root seed {settings.seed}; run i has "
        f"the same seed in every set), {len(assessment.patterns)} patterns, two null models.",
        "",
    ]
    lines += [f"Note: {note}.\n" for note in assessment.notes]
    lines += ["![hit share per pattern and month errors](assessment.png)", ""]
    sections = (
        _headline,
        _turning_points,
        _paths,
        _learnt,
        _parameter_sets,
        _nulls,
        _audit,
        _patterns,
    )
    for section in sections:
        lines += section(assessment)
    return "\n".join(lines)


ASSESSMENT_FILES = frozenset(
    {
        "patterns.csv",
        "joint.csv",
        "hindsight.csv",
        "hindsight_effect.csv",
        "hindsight_audits.csv",
        "errors.csv",
        "contraction.csv",
        "paths.csv",
        "assessment.png",
        "report.md",
        "manifest.json",
    }
)
"""The files of an assessment's folder, besides one ``following-PATTERN.csv`` per --given."""
WHOSE = "an assessment's"


def assessment_names(out: Path) -> frozenset[str]:
    """The names an earlier assessment in ``out`` may hold: its files and its --given tables."""
    given = {path.name for path in out.glob("following-*.csv")} if out.is_dir() else set()
    return ASSESSMENT_FILES | given


def write_assessment(
    assessment: Assessment, out: Path, scenario_name: str, record: dict
) -> list[Path]:
    """Write the assessment's files into a new folder, then swap it in for ``out``.

    An assessment cut short while writing (a second or two, the figure most of it)
    leaves the earlier one whole, never tables of one beside the report of another.

    Raises:
        OutputError: ``out`` holds files that are not an assessment's.
    """
    return replace_directory(
        out,
        lambda folder: _fill(assessment, folder, scenario_name, record),
        assessment_names(out),
        WHOSE,
    )


def _fill(assessment: Assessment, out: Path, scenario_name: str, record: dict) -> list[str]:
    """Write every file of the assessment into ``out``; return their names."""
    files = {
        "patterns.csv": assessment.hit_table(),
        "joint.csv": assessment.joint().reset_index(names="level"),
        "hindsight.csv": pd.DataFrame([vars(row) for row in assessment.hindsight]),
        "hindsight_effect.csv": audit_effect(assessment),
        "hindsight_audits.csv": audits_table(assessment),
        "errors.csv": assessment.tables[assessment.model],
        "contraction.csv": assessment.learnt,
    }
    for given, result in assessment.turning_points.items():
        files[f"following-{given}.csv"] = result.table
    if assessment.paths:
        files["paths.csv"] = pd.concat(
            [
                tabulate(paths, assessment.history).assign(set=name)
                for name, paths in assessment.paths.items()
            ]
        )[["set", *PATH_COLUMNS]]
    written = []
    for name, frame in files.items():
        write_text(out / name, csv_text(frame, 4))
        written.append(name)
    plot_assessment(assessment, out / "assessment.png", scenario_name)
    write_text(out / "report.md", report_text(assessment, scenario_name))
    manifest = {
        **record,
        "command": "assess",
        "notes": assessment.notes,
        **provenance(),
    }
    write_text(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return [*written, "assessment.png", "report.md", "manifest.json"]
