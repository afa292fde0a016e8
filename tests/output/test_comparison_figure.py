"""A comparison of many alternatives stays readable: every scenario told apart, nothing overlaid.

The data are synthetic (running a dozen ensembles would take minutes); the
alternatives are the repository's counterfactual overlays, so that their panels carry
the months they act in, as a real comparison's do.
"""

from itertools import combinations

import pandas as pd
import pytest
from conftest import (
    KOBA_SCENARIO,
    ROOT,
    assert_readable,
    drawn_texts,
    made_up_comparison,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend

from simulation.output.comparison import OVERLAID, draw_comparison, scenario_styles
from simulation.scenario import load_scenario, parse_scenario

OVERLAYS = sorted((ROOT / "scenarios" / "counterfactuals").glob("*.yaml")) + [
    ROOT / "scenarios" / "checks" / "zinoviev_letter_a_month_later.yaml"
]
WINNERS = ["stalin", "rykov", "molotov", "kamenev", "tomsky", "zinoviev", "bukharin"]
PATHS = ["stalin", "trotsky", "zinoviev", "rykov"]


@pytest.fixture(scope="module")
def overlays():
    """The twelve alternatives of the README's comparison, by name."""
    scenarios = [load_scenario(path) for path in OVERLAYS]
    return {scenario.name: scenario for scenario in scenarios}


def _comparison(baseline, names):
    """A comparison table and quantiles for ``names`` (the base first), made up."""
    return made_up_comparison(
        baseline,
        names,
        PATHS,
        lambda k, j: 0.05 + 0.02 * (k + j % 3),
        WINNERS,
        dominance=(0.8, 0.03),
        interval=(0.01, 0.9),
    )


def _draw(baseline, overlays, count):
    alternatives = dict(list(overlays.items())[:count])
    names = [baseline.name, *alternatives]
    table, quantiles = _comparison(baseline, names)
    figure = draw_comparison(
        table, quantiles, baseline.name, baseline, PATHS, 200, 0.95, alternatives
    )
    FigureCanvasAgg(figure).draw()
    return figure, names


@pytest.fixture(scope="module")
def twelve(baseline, overlays):
    """The figure of the README's twelve alternatives, drawn once: the tests only read it."""
    return _draw(baseline, overlays, 12)


def _bar_styles(axis):
    """Each scenario's bars' fill: (colour, hatching), by the scenario's name."""
    return {
        container.get_label(): {
            (to_rgba(patch.get_facecolor()), patch.get_hatch() or "") for patch in container.patches
        }
        for container in axis.containers
        if hasattr(container, "patches")
    }


@pytest.mark.parametrize("count", [OVERLAID, OVERLAID + 1, 12])
def test_no_legend_overlaps_another_or_a_panel(baseline, overlays, twelve, count):
    figure, _ = twelve if count == 12 else _draw(baseline, overlays, count)
    legends = [legend for legend in figure.findobj(Legend) if legend.get_visible()]
    extents = [(legend, legend.get_window_extent()) for legend in legends]
    for (first, one), (second, other) in combinations(extents, 2):
        assert not one.overlaps(other), (
            first.get_title().get_text(),
            second.get_title().get_text(),
        )
    canvas = figure.bbox
    for legend, extent in extents:
        assert canvas.x0 <= extent.x0 and extent.x1 <= canvas.x1, legend.get_title().get_text()
        assert canvas.y0 <= extent.y0 and extent.y1 <= canvas.y1, legend.get_title().get_text()
        for axis in figure.axes:
            assert not extent.overlaps(axis.get_window_extent()), legend.get_title().get_text()


def test_the_leaders_key_stands_inside_the_figure(baseline, overlays):
    # The layout left no room for the key of the leaders (added to the panel, it was
    # clipped to it): its longer names, wider than the scenarios', ran off the figure.
    alternatives = {"short": next(iter(overlays.values()))}
    names = [baseline.name, *alternatives]
    table, quantiles = _comparison(baseline, names)
    leaders = [*PATHS, "preobrazhensky", "ordzhonikidze"]
    for name in names:
        paths = quantiles[name]
        stalin = paths[paths["leader"] == "stalin"]
        quantiles[name] = pd.concat([paths, *(stalin.assign(leader=who) for who in leaders[-2:])])
    figure = draw_comparison(
        table, quantiles, baseline.name, baseline, leaders, 200, 0.95, alternatives
    )
    FigureCanvasAgg(figure).draw()
    (key,) = [
        legend for legend in figure.findobj(Legend) if legend.get_title().get_text() == "leader"
    ]
    assert key.get_window_extent().x1 <= figure.bbox.x1
    assert "Grigory (Sergo)\nOrdzhonikidze" in [text.get_text() for text in key.get_texts()]


def test_twelve_alternatives_each_have_a_style_of_their_own(twelve):
    figure, names = twelve
    bars, *panels = figure.axes
    styles = _bar_styles(bars)
    assert list(styles) == names
    assert all(len(fills) == 1 for fills in styles.values())  # one fill per scenario
    fills = [next(iter(fills)) for fills in styles.values()]
    assert len(set(fills)) == len(names)  # and no two scenarios share one
    # Each alternative has its panel, headed by its name and its bars' swatch.
    assert len(panels) == 12
    for panel, name in zip(panels, names[1:], strict=True):
        header = panel.get_legend()
        assert header.get_texts()[0].get_text().split("\n")[0] == name
        swatch = header.legend_handles[0]
        assert (to_rgba(swatch.get_facecolor()), swatch.get_hatch() or "") in styles[name]
        drawn = {line.get_gid() for line in panel.lines if line.get_gid()}
        assert drawn == set(PATHS) | {f"{leader}:base" for leader in PATHS}


def test_past_the_palette_the_colours_come_back_hatched():
    names = ["base", *(f"alternative-{k}" for k in range(30))]
    styles = scenario_styles(names)
    assert len(set(styles.values())) == len(names)


def test_twelve_alternatives_keep_every_label_readable(twelve):
    figure, _ = twelve
    texts = drawn_texts(figure)
    titles = [text for text, _ in texts if text.get_text() == figure.get_suptitle()]
    assert_readable(figure, texts, [*titles, figure.axes[0].title])
    assert "12 alternatives against baseline-1922" in figure.get_suptitle()


def test_a_leader_only_the_alternative_has_is_named_from_it(small_scenario):
    # Stalin renamed Koba in the alternative: the bar's tick read "p_dominant_koba".
    koba = parse_scenario(KOBA_SCENARIO, "koba.yaml")
    names = ["small", "koba"]
    table, quantiles = made_up_comparison(
        small_scenario,
        names,
        ["trotsky", "koba"],
        lambda k, j: 0.2 + 0.1 * k,
        ["stalin", "koba"],
        dominance=(0.8, 0.2),
        interval=(0.1, 0.9),
    )
    figure = draw_comparison(
        table, quantiles, "small", small_scenario, ["trotsky", "koba"], 2, 0.95, {"koba": koba}
    )
    bars = figure.axes[0]
    assert [tick.get_text() for tick in bars.get_xticklabels()] == ["Stalin", "Koba Dzhugashvili"]
