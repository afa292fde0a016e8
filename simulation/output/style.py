"""What every figure shares: slide-readable type and lines, and the file formats offered.

A figure is meant for a lecture slide as much as for a screen: the sizes here are
those that stay legible when a 14-inch-wide figure is shown on a projector, and the
vector formats (SVG, PDF) serve print, where a raster would blur.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from simulation.output.files import write_atomically
from simulation.output.formats import FORMATS

RASTER_DPI = 120

SLIDE = {
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.title_fontsize": 12,
    "figure.titlesize": 17,
    "lines.linewidth": 2.4,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text in SVG: searchable, editable in a slide
    "pdf.fonttype": 42,  # TrueType in PDF, which journals accept
}


@contextmanager
def slide_style() -> Iterator[None]:
    """Draw (and save) a figure with the slide sizes, leaving the user's settings alone."""
    with matplotlib.rc_context(SLIDE):
        yield


def figure_name(stem: str, form: str) -> str:
    """The file name of a figure in a format, e.g. ``influence.svg``."""
    if form not in FORMATS:
        raise ValueError(f"unknown figure format {form!r}; expected one of {', '.join(FORMATS)}")
    return f"{stem}.{form}"


def save_figure(figure: Figure, path: Path) -> None:
    """Write a figure atomically in the format its file name says (png, svg or pdf)."""
    form = path.suffix.removeprefix(".")
    if form not in FORMATS:
        raise ValueError(f"{path}: unknown figure format; expected one of {', '.join(FORMATS)}")
    with slide_style():
        write_atomically(
            path, lambda temporary: figure.savefig(temporary, format=form, dpi=RASTER_DPI)
        )


def remove_other_formats(path: Path) -> None:
    """Remove the same figure in the other formats, left by an earlier ``--format``.

    So that a folder never shows a figure older than its tables.
    """
    for form in FORMATS:
        if form != path.suffix.removeprefix("."):
            path.with_suffix(f".{form}").unlink(missing_ok=True)
