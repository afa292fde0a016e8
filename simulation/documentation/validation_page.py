"""docs/validation.md: the committed assessment of the baseline, with its figure.

The page is the report ``interregnum assess`` wrote and the project committed
(:data:`ASSESSMENT`), under a short introduction saying how to read it; its
figure is copied beside the page so the site shows it.
"""

from __future__ import annotations

from pathlib import Path

from simulation.documentation.markdown import note
from simulation.documentation.sources import SourceError, read_bytes, read_text

PAGE = "docs/validation.md"
ASSESSMENT = "calibration/assessments/baseline-1922"
"""The committed assessment the page shows."""
FIGURES = ("assessment.png",)
"""The figures the report shows, copied to :data:`FIGURE_DIR`."""
FIGURE_DIR = "docs/validation"

INTRODUCTION = """\
How well does free mode reproduce the period when nothing but the world is given?
The assessment runs the model in free mode (the leaders decide; only exogenous events
and the calendar of sittings are applied) and scores each run against historical
*patterns* (Grimm et al. 2005, pattern-oriented modelling), each at one level: who
holds which office, the Politburo's composition, the timing of removals, vote shares,
alignments between leaders, where a leader stands, and the forming of factions. A
pattern is `fit` (the calibration saw it) or `hold_out` (it did not). The *hit share*
of a pattern is the share of runs that reproduce it.

Read it in this order, as the assessment reports it:

1. **Hold-out in time**: parameters fitted only on patterns dated up to 1924-12,
   scored on the patterns after it. This is the test of prediction.
2. **What the fits learnt**: how far each fit narrowed each parameter's prior (its
   posterior contraction). A late pattern that hangs on parameters the early patterns
   leave at their prior is predicted by the prior alone.
3. **Posterior predictive**: each run draws its parameters from the ABC posterior, so
   the spread carries the uncertainty of the fit; compared with the fitted point and
   with the prior.
4. **Null models**: *persistence* (the April 1922 office holders keep their posts;
   only deaths change anything) and *apparatus* (the leader with the largest apparatus
   wins every contest once the arbiter is dead). A model that does not beat them on a
   level explains nothing there.
5. **Hindsight audit**: every input that names a leader, and how much the hit shares
   fall without each kind: the exogenous inputs together (blame pinned on an office,
   influence shocks, exogenous appointments, offices a leader is barred from, patrons,
   the organisation whose own man he is), the starting stances read off later acts (at
   the leadership's average instead), the first month's settlement (left to the model)
   and the arbiter.
6. Every pattern, in-sample last.

The report below is `{report}` as `interregnum assess` wrote it; regenerate the
assessment (see the README's "Validation") and then this page to update it.
"""


def render(root: Path) -> str:
    """The page's Markdown: the introduction, then the report under its own headings."""
    report = read_text(root, f"{ASSESSMENT}/report.md").splitlines()
    if not report or not report[0].startswith("# "):
        raise SourceError([f"{root / ASSESSMENT}/report.md: expected a '# ' title first"])
    # The report's sections go one level down, under the report's own title.
    body = "\n".join(f"#{line}" if line.startswith("#") else line for line in report[1:])
    body = body.strip("\n")
    for figure in FIGURES:
        relative = f"{Path(FIGURE_DIR).name}/{figure}"
        body = body.replace(f"]({figure})", f"]({relative})")
    return "\n".join(
        [
            note(f"{ASSESSMENT}/report.md", *(f"{ASSESSMENT}/{figure}" for figure in FIGURES)),
            "",
            "# Validation",
            "",
            INTRODUCTION.format(report=f"{ASSESSMENT}/report.md"),
            f"## {report[0].removeprefix('# ')}",
            "",
            body,
            "",
        ]
    )


def files(root: Path) -> dict[str, bytes]:
    """The page and the figures it shows."""
    written = {PAGE: render(root).encode("utf-8")}
    for figure in FIGURES:
        written[f"{FIGURE_DIR}/{figure}"] = read_bytes(root, f"{ASSESSMENT}/{figure}")
    return written
