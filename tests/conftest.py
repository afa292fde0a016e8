"""Shared fixtures: a small hand-made scenario and a fixed seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numba import njit

from simulation.model.compiled import check_machine_code
from simulation.model.random_source import GeneratorRef
from simulation.scenario import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"
SEED = 7

SMALL_SCENARIO = (ROOT / "tests" / "data" / "small.yaml").read_text(encoding="utf-8")
KOBA_SCENARIO = (
    SMALL_SCENARIO.replace("name: small", "name: koba")
    .replace("id: stalin, name: Stalin", "id: koba, name: Koba Dzhugashvili")
    .replace("stalin", "koba")
)
"""The small scenario with Stalin renamed: a leader, and posts, only an alternative has."""


def with_names(scenario, names: dict[str, str]):
    """``scenario`` with the leaders of ``names`` (by id) given those names."""
    leaders = [
        leader.model_copy(update={"name": names.get(leader.id, leader.name)})
        for leader in scenario.leaders
    ]
    return scenario.model_copy(update={"leaders": leaders})


"""A small hand-made scenario: four leaders, five posts, three organisations, a year."""


def grievance_held(alliances, leader: str, other: str, date: str) -> float:
    """What ``leader`` holds against ``other`` in ``alliances.csv``'s month ``date``.

    Each pair is one row, in scenario order: the grievance is ``grievance_a`` or
    ``grievance_b`` as ``leader`` comes first or second.
    """
    a, b = alliances["leader_a"], alliances["leader_b"]
    either_way = ((a == leader) & (b == other)) | ((a == other) & (b == leader))
    row = alliances[(alliances["date"] == date) & either_way].iloc[0]
    return row["grievance_a"] if row["leader_a"] == leader else row["grievance_b"]


@pytest.fixture(scope="session", autouse=True)
def fresh_machine_code():
    """Mechanism tests call compiled code before any model is built, so check the cache first."""
    check_machine_code()


@pytest.fixture
def small_file(tmp_path):
    """The small scenario as a file, for commands that read one."""
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_SCENARIO)
    return path


@pytest.fixture
def small_scenario():
    return parse_scenario(SMALL_SCENARIO, "small.yaml")


@pytest.fixture(scope="session")
def baseline():
    return load_scenario(BASELINE)


@njit
def _generator_ref(rng):
    return GeneratorRef(rng)


def generator_ref(rng: np.random.Generator) -> GeneratorRef:
    """A generator held for compiled code, as a model's state holds its own."""
    return _generator_ref(rng)


@pytest.fixture
def at_project_root(monkeypatch):
    """Work from the project's root, as the dashboard does (it lists ``scenarios/``)."""
    monkeypatch.chdir(ROOT)


def made_up_comparison(scenario, names, paths, median, winners, dominance, interval):
    """A comparison's table and quantiles for ``names`` (the base first), made up.

    For figure tests: running the ensembles would take minutes. ``median(k, j)`` is the
    median power of the ``k``-th of ``paths`` in month ``j``; ``dominance`` gives Stalin's
    P(dominant) and every other winner's; ``interval`` the bounds of each.
    """
    period = pd.period_range(str(scenario.start), str(scenario.end), freq="M")
    months = [str(month) for month in period]
    quantiles = {
        name: pd.DataFrame(
            {
                "date": months * len(paths),
                "leader": [leader for leader in paths for _ in months],
                "measure": "power",
                "q50": [median(k, j) for k in range(len(paths)) for j in range(len(months))],
            }
        )
        for name in names
    }
    table = pd.DataFrame(
        [
            {
                "metric": f"p_dominant_{leader}",
                "scenario": name,
                "estimate": dominance[0] if leader == "stalin" else dominance[1],
                "ci_low": interval[0],
                "ci_high": interval[1],
            }
            for leader in winners
            for name in names
        ]
    )
    return table, quantiles


def drawn_texts(figure):
    """The figure drawn on a raster canvas, and its visible texts with their extents."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    FigureCanvasAgg(figure).draw()
    return [
        (text, text.get_window_extent())
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]


def assert_readable(figure, texts, titles) -> None:
    """No text of ``texts`` cut off at the figure's edges, no title over another text."""
    canvas = figure.bbox
    for text, extent in texts:
        assert canvas.x0 <= extent.x0 and extent.x1 <= canvas.x1, text.get_text()
        assert canvas.y0 <= extent.y0 and extent.y1 <= canvas.y1, text.get_text()
    for title in titles:
        extent = title.get_window_extent()
        assert not [
            other.get_text()
            for other, other_extent in texts
            if other is not title and extent.overlaps(other_extent)
        ], title.get_text()
