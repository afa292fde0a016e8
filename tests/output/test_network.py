"""The alliance network: a still at chosen months, an animation with a frame per month."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle
from matplotlib.transforms import Bbox
from PIL import Image

from simulation.cli import main
from simulation.experiments.runs import run_model
from simulation.model import Mode
from simulation.output.colours import leader_colours
from simulation.output.network import (
    SEPARATION,
    NetworkHistory,
    animate_network,
    draw_network,
    month_network,
    network_history,
    turning_points,
)
from simulation.scenario import parse_scenario
from tests.conftest import SMALL_SCENARIO, with_names


@pytest.fixture(scope="module")
def small_run():
    scenario = parse_scenario(SMALL_SCENARIO, "small.yaml")
    return scenario, run_model(scenario, 3, Mode.FREE).recorder.result()


def history_of(small_run):
    scenario, result = small_run
    return network_history(
        result["alliances"], result["trajectories"], result["factions"], scenario
    )


def test_the_animation_has_one_frame_per_month_of_the_run(small_run, tmp_path):
    scenario, result = small_run
    path = tmp_path / "network.gif"
    frames = animate_network(history_of(small_run), scenario, path)
    months = result["trajectories"]["date"].nunique()
    assert frames == months == 12
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == months


def test_the_still_has_a_panel_per_chosen_month_with_nodes_in_the_leaders_colours(small_run):
    scenario, _ = small_run
    history = history_of(small_run)
    figure = draw_network(history, scenario, ["1922-06", "1922-09", "1923-01"])
    panels = [axis for axis in figure.axes if axis.get_visible() and axis.get_title()]
    assert [axis.get_title() for axis in panels] == ["June 1922", "September 1922", "January 1923"]
    colours = leader_colours(scenario)
    for axis, month in zip(panels, ["1922-06", "1922-09", "1923-01"], strict=True):
        (nodes,) = [c for c in axis.collections if isinstance(c, PathCollection)]
        faces = nodes.get_facecolors()
        place = history.positions[month]
        assert len(faces) == len(place) > 2
        for leader, position in place.items():  # each node found by where it stands
            (at,) = np.flatnonzero(np.all(np.isclose(nodes.get_offsets(), position), axis=1))
            assert tuple(faces[at]) == to_rgba(colours[leader]), leader


def test_turning_points_are_the_first_and_last_month_and_months_power_moved(small_run):
    history = history_of(small_run)
    months = turning_points(history, count=4)
    assert months[0] == history.months[0] and months[-1] == history.months[-1]
    assert len(months) == 4 and months == sorted(months)


def test_the_inner_turning_points_are_the_months_power_moved_most():
    """Months chosen by the size of the month's shift, not by their order or the smallest."""
    shares = [0.5, 0.5, 0.2, 0.2, 0.25, 0.9, 0.9, 0.85]  # one leader's share, month by month
    months = [f"1923-{m:02d}" for m in range(1, len(shares) + 1)]
    history = NetworkHistory(
        months=months,
        leaders=["stalin", "trotsky"],
        positions={},
        power={m: {"stalin": s, "trotsky": 1 - s} for m, s in zip(months, shares, strict=True)},
        affinity={},
        factions={},
        largest=0.9,
    )
    # Moves of 0.3 into March and 0.65 into June; the others are 0.05 or none.
    assert turning_points(history, count=4) == ["1923-01", "1923-03", "1923-06", "1923-08"]


def test_run_writes_the_network_in_the_format_asked(tmp_path):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL_SCENARIO)
    out = tmp_path / "out"
    arguments = ["run", str(scenario_file), "--out", str(out), "--format", "pdf"]
    assert main([*arguments, "--network-months", "1922-08,1923-02"]) == 0
    assert (out / "network.pdf").read_bytes()[:4] == b"%PDF"
    assert (out / "influence.pdf").read_bytes()[:4] == b"%PDF"
    assert not (out / "network.png").exists()
    with Image.open(out / "network.gif") as gif:
        assert gif.n_frames == 12


def test_unknown_leaders_and_months_outside_the_period_are_refused(tmp_path, capsys):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL_SCENARIO)
    out = tmp_path / "out"
    status = main(
        [
            "run",
            str(scenario_file),
            "--out",
            str(out),
            "--leaders",
            "stalin,trotzky",
            "--network-months",
            "1925-01",
        ]
    )
    error = capsys.readouterr().err
    assert status == 2
    assert "--leaders: 'trotzky' is not a leader of small" in error
    assert "--network-months: 1925-01 is outside the scenario's period" in error
    assert "Traceback" not in error and not out.exists()


def test_an_ensemble_redrawn_in_another_format_leaves_no_stale_figure(tmp_path):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL_SCENARIO)
    out = tmp_path / "ensemble"
    arguments = ["ensemble", str(scenario_file), "--runs", "3", "--workers", "1", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    assert (out / "fan.png").exists()
    assert main([*arguments, "--out", str(out), "--resume", "--format", "svg"]) == 0
    assert b"<svg" in (out / "fan.svg").read_bytes()[:400]
    assert not (out / "fan.png").exists()


@pytest.mark.parametrize("month", ["1922-13", "1922-00"])
def test_an_impossible_month_is_refused_before_anything_runs(tmp_path, capsys, month):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL_SCENARIO)
    out = tmp_path / "out"
    arguments = ["run", str(scenario_file), "--out", str(out), "--network-months"]
    status = main([*arguments, f"1922-08,{month}"])
    error = capsys.readouterr().err
    assert status == 2
    problems = [line for line in error.splitlines() if line.startswith("--network-months")]
    assert problems == [
        f"--network-months: {month!r} is not a month; month must be 01..12, got {month[-2:]}"
    ]
    assert "Traceback" not in error and not out.exists()


def _crowded_history():
    """A trio above a leader outside it, and a faction spread wide at the right."""
    place = {
        "stalin": (0.0, 0.5),
        "zinoviev": (-0.15, 0.35),
        "kamenev": (0.15, 0.35),
        "tomsky": (0.0, -0.05),  # where the trio's name used to stand, under its circle
        "trotsky": (1.0, 0.6),
        "rakovsky": (1.0, -1.0),  # the opposition's circle reaches past the old view
    }
    month = "1924-01"
    return NetworkHistory(
        months=[month],
        leaders=list(place),
        positions={month: {leader: np.array(xy) for leader, xy in place.items()}},
        power={month: dict.fromkeys(place, 0.15)},
        affinity={month: {("stalin", "zinoviev"): 0.8, ("trotsky", "rakovsky"): 0.6}},
        factions={
            month: {
                "troika": ["kamenev", "stalin", "zinoviev"],
                "left_opposition": ["rakovsky", "trotsky"],
            }
        },
        largest=0.15,
    )


def test_the_still_shows_every_faction_circle_whole_and_every_name_in_view(small_run):
    scenario, _ = small_run
    figure = draw_network(_crowded_history(), scenario, ["1924-01"])
    FigureCanvasAgg(figure).draw()
    drawn = figure.get_tightbbox()  # inches
    assert drawn.x0 >= 0 and drawn.y0 >= 0
    assert drawn.x1 <= figure.get_figwidth() and drawn.y1 <= figure.get_figheight()
    panel = next(axis for axis in figure.axes if axis.get_title() == "January 1924")
    (left, right), (bottom, top) = panel.get_xlim(), panel.get_ylim()
    circles = [patch for patch in panel.patches if isinstance(patch, Circle)]
    assert len(circles) == 2
    for circle in circles:  # no circle cut at the panel's edge
        (x, y), radius = circle.center, circle.get_radius()
        assert left <= x - radius and x + radius <= right
        assert bottom <= y - radius and y + radius <= top
    frame = panel.get_window_extent()
    names = {text.get_text(): text.get_window_extent() for text in panel.texts}
    for name, extent in names.items():
        assert frame.x0 <= extent.x0 and extent.x1 <= frame.x1, name
        assert frame.y0 <= extent.y0 and extent.y1 <= frame.y1, name
    nodes = panel.collections[-1]  # drawn after the edges
    pixels = figure.dpi / 72
    discs = [
        Bbox.from_extents(x - r, y - r, x + r, y + r)
        for (x, y), r in zip(
            panel.transData.transform(nodes.get_offsets()),
            np.sqrt(nodes.get_sizes()) / 2 * pixels,
            strict=True,
        )
    ]
    for faction in ("Troika", "left_opposition"):  # each faction's name in plain sight
        extent = names[faction]
        assert not [disc for disc in discs if extent.overlaps(disc)], faction
        assert not [
            other for other, box in names.items() if other != faction and extent.overlaps(box)
        ], faction


def test_no_two_nodes_of_a_crowded_month_lie_on_one_another():
    """Six close allies and two enemies: the stress layout stacked the allies' nodes."""
    allies, enemies = list("abcdef"), ["g", "h"]
    affinity = {(x, y): 1.0 for x in allies for y in allies if x < y}
    affinity |= {(x, y): -1.0 for x in allies for y in enemies}
    affinity[("g", "h")] = 1.0
    place = month_network(
        "1924-01",
        dict.fromkeys(allies + enemies, 0.1),
        affinity,
        {"trio": allies},
    ).positions["1924-01"]
    points = np.array(list(place.values()))
    distance = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    assert distance.min() >= SEPARATION - 1e-6
    assert np.abs(points).max() == pytest.approx(1.0)  # still fitted to the unit square


def test_a_leadership_in_which_no_one_holds_power_is_drawn_at_the_least_node_size(small_run):
    scenario, result = small_run
    powerless = result["trajectories"].assign(power=0.0)
    history = network_history(result["alliances"], powerless, result["factions"], scenario)
    assert history.largest == 1.0
    figure = draw_network(history, scenario, ["1922-06"])
    (panel,) = [axis for axis in figure.axes if axis.get_visible() and axis.get_title()]
    (nodes,) = [c for c in panel.collections if isinstance(c, PathCollection)]
    assert set(nodes.get_sizes()) == {200}


def test_nodes_carry_no_bracketed_word_and_no_emoji_of_a_name(small_run, recwarn):
    # "…ЦК РКП(б)" was labelled "РКП(б)", and "Лев Троцкий 🚩" an empty box with a
    # "Glyph 128681 missing" warning printed.
    scenario, _ = small_run
    renamed = {
        "stalin": "Иосиф Виссарионович Сталин (Джугашвили) — Генеральный секретарь ЦК РКП(б)",
        "trotsky": "Лев Троцкий 🚩",
    }
    scenario = with_names(scenario, renamed)
    figure = draw_network(history_of(small_run), scenario, ["1922-06"])
    FigureCanvasAgg(figure).draw()
    labels = {text.get_text() for axis in figure.axes for text in axis.texts}
    assert {"Сталин", "Троцкий"} <= labels
    assert not [warning for warning in recwarn if "Glyph" in str(warning.message)]
