"""The figure flags of ``run``, ``ensemble`` and ``compare``: leaders, months, format.

``--leaders`` and ``--network-months`` name things of the scenario, so they are
checked against it once it is loaded (:func:`figure_choices`): a misspelt leader, an
impossible month (``1923-13``) or a month outside the period is reported with what
would have been accepted, before anything runs.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from simulation.calendar import Month
from simulation.output.formats import FORMATS
from simulation.scenario import Scenario


def add_figure_arguments(parser: argparse.ArgumentParser, network: bool = False) -> None:
    """Add ``--leaders`` and ``--format`` (and ``--network-months`` if ``network``)."""
    figures = parser.add_argument_group("figures")
    figures.add_argument(
        "--leaders",
        default=None,
        metavar="ID,ID,...",
        help="the leaders to draw, by scenario id (e.g. stalin,trotsky,zinoviev); default: "
        "the eight main contenders, the leaders who came nearest to the strongest of some "
        "month, winners and losers alike",
    )
    if network:
        figures.add_argument(
            "--network-months",
            default=None,
            metavar="YYYY-MM,...",
            help="the months drawn in network.png (default: the first and last month and "
            "the two in which power shifted most); network.gif always shows every month",
        )
    figures.add_argument(
        "--format",
        choices=FORMATS,
        default="png",
        help="file format of the figures: png (default), or svg or pdf (vector, for print "
        "and slides)" + ("; the network animation is a GIF in every case" if network else ""),
    )


@dataclass(frozen=True)
class FigureChoices:
    """The figure flags, checked against the scenario.

    Attributes:
        leaders: the leaders to draw, or ``None`` for each figure's default.
        network_months: the months of ``network.*``, or ``None`` for the turning points.
        format: ``png``, ``svg`` or ``pdf``.
    """

    leaders: list[str] | None
    network_months: list[str] | None
    format: str


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def figure_choices(args: argparse.Namespace, scenario: Scenario) -> tuple[FigureChoices, list[str]]:
    """The figure flags checked against ``scenario``; with one message per problem."""
    problems = []
    leaders = None
    if args.leaders is not None:
        known = [leader.id for leader in scenario.leaders]
        leaders = _items(args.leaders)
        for leader in leaders:
            if leader not in known:
                problems.append(
                    f"--leaders: {leader!r} is not a leader of {scenario.name}; expected ids "
                    f"among {', '.join(known)}"
                )
        if not leaders:
            problems.append("--leaders: expected at least one leader id, e.g. stalin,trotsky")
    months = None
    if getattr(args, "network_months", None) is not None:
        items = _items(args.network_months)
        parsed = []
        for item in items:
            try:
                month = Month.parse(item)  # 1923-13 has the shape, not a month
            except ValueError as error:
                problems.append(f"--network-months: {item!r} is not a month; {error}")
                continue
            if not scenario.start <= month <= scenario.end:
                problems.append(
                    f"--network-months: {month} is outside the scenario's period "
                    f"({scenario.start} to {scenario.end})"
                )
            else:
                parsed.append(month)
        if not items:
            problems.append("--network-months: expected at least one month, e.g. 1924-01")
        months = [str(month) for month in sorted(set(parsed))]
    return FigureChoices(leaders, months, args.format), problems
