"""The figures of a run and of an ensemble: colours, leaders drawn while alive, run's events."""

import itertools

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from conftest import BASELINE, drawn_texts, with_names
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulation.calendar import Month
from simulation.experiments.runs import run_model
from simulation.model import Mode
from simulation.output.colours import PALETTE, cielab, leader_colours
from simulation.output.fan import draw_fan
from simulation.output.marks import run_marks, scenario_marks
from simulation.output.plots import draw_influence, plot_influence
from simulation.scenario import load_scenario

LEADERS = ["lenin", "stalin", "trotsky", "zinoviev"]
MONTHS = [f"{year}-{month:02d}" for year in range(1922, 1927) for month in range(1, 13)][3:]


def trajectories(death="1924-01"):
    """Four leaders' monthly influence and power; Lenin dead from ``death`` on."""
    rows = []
    for k, date in enumerate(MONTHS):
        for i, leader in enumerate(LEADERS):
            alive = leader != "lenin" or date < death
            share = (0.1 + 0.01 * i + 0.001 * k) if alive else 0.0
            rows.append((0, date, leader, share * 3, share, share, alive, 1.0))
    columns = ["run", "date", "leader", "influence", "apparatus", "power", "alive", "health"]
    return pd.DataFrame(rows, columns=columns)


def quantiles():
    frame = trajectories()
    return pd.DataFrame(
        {
            "scenario": "baseline-1922",
            "date": frame["date"],
            "leader": frame["leader"],
            "measure": "power",
            **{
                q: frame["power"] * factor
                for q, factor in zip(
                    ["q05", "q25", "q50", "q75", "q95"], [0.6, 0.8, 1.0, 1.2, 1.4], strict=True
                )
            },
        }
    )


def line_of(figure, leader):
    return [line for axis in figure.axes for line in axis.lines if line.get_gid() == leader]


def events(*rows):
    columns = [
        "run",
        "date",
        "event_id",
        "type",
        "actor",
        "post",
        "origin",
        "detail",
        "organisation",
    ]
    return pd.DataFrame([(0, *row) for row in rows], columns=columns)


def test_a_leader_has_the_same_colour_in_the_run_figure_and_the_fan_chart(baseline):
    influence = draw_influence(trajectories(), baseline, leaders=LEADERS)
    fan = draw_fan(quantiles(), baseline, runs=10, leaders=["zinoviev", "trotsky"])
    expected = leader_colours(baseline)["trotsky"]
    colours = {line.get_color() for line in line_of(influence, "trotsky") + line_of(fan, "trotsky")}
    assert colours == {expected}
    assert len(set(leader_colours(baseline).values())) == min(len(PALETTE), len(baseline.leaders))


def test_no_two_leaders_of_the_baseline_share_a_colour_to_the_eye(baseline):
    """Kalinin, who may end with the General Secretaryship, had Stalin's blue (CIELAB 2.9)."""
    colours = leader_colours(baseline)
    lab = cielab(list(colours.values()))
    distance = np.linalg.norm(lab[:, None] - lab[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    assert distance.min() > 12  # about 2.3 is the least a reader tells apart, 10 at a glance


def test_a_dead_leader_has_no_points_after_his_death(baseline):
    figure = draw_influence(trajectories(death="1924-01"), baseline, leaders=LEADERS)
    lines = line_of(figure, "lenin")
    assert len(lines) == 2  # influence and power
    for line in lines:
        last = mdates.date2num(pd.Timestamp("1923-12-01"))
        assert mdates.date2num(np.asarray(line.get_xdata())).max() == last
    fan = draw_fan(quantiles(), baseline, leaders=["lenin"])
    (band,) = line_of(fan, "lenin")
    assert mdates.date2num(np.asarray(band.get_xdata())).max() == last


def test_free_mode_marks_are_the_runs_own_decisions_not_the_historical_dates(baseline):
    log = events(
        (
            "1925-03",
            "removal-trotsky",
            "removal",
            "trotsky",
            "war_commissar",
            "model",
            "plenum: removal of trotsky",
            "",
        ),
        (
            "1925-03",
            "expulsion-radek",
            "removal",
            "radek",
            "politburo",
            "model",
            "plenum: expulsion of radek from the leading bodies",
            "",
        ),
        ("1922-05", "lenin_stroke_1", "incapacitation", "lenin", "", "scenario", "stroke", ""),
    )
    marks = run_marks(log, baseline)
    assert [(str(mark.month.date()), mark.text) for mark in marks] == [
        ("1922-05-01", "Lenin's 1st stroke"),
        ("1925-03-01", "Radek expelled · Trotsky removed"),
    ]
    figure = draw_influence(trajectories(), baseline, events=log, leaders=LEADERS)
    labels = {text.get_text() for text in figure.axes[0].texts}
    # What befell a leader the figure draws comes first: Radek is not drawn.
    assert labels == {"Lenin's 1st stroke", "Trotsky removed · Radek expelled"}
    assert "Lenin dies" not in labels  # history's date, not this run's


def test_what_befalls_a_drawn_leader_is_labelled_before_what_befalls_the_others(baseline):
    """Run 22's July 1926 (Stalin loses the Secretariat) went unlabelled for Kalinin's fall."""
    log = events(
        (
            "1926-07",
            "removal-stalin",
            "removal",
            "stalin",
            "general_secretary",
            "model",
            "plenum: removal of stalin",
            "",
        ),
        (
            "1926-10",
            "removal-kalinin",
            "removal",
            "kalinin",
            "general_secretary",
            "model",
            "plenum: removal of kalinin",
            "",
        ),
    )
    ranks = {mark.text: mark.rank for mark in run_marks(log, baseline, drawn={"stalin"})}
    assert ranks["Stalin removed"] < ranks["Kalinin removed"]
    assert ranks["Kalinin removed"] > min(rank for rank in ranks.values())


def test_a_label_cut_short_ends_at_a_word():
    log = events(
        (
            "1924-02",
            "appointment-sovnarkom_chair",
            "appointment",
            "rykov",
            "sovnarkom_chair",
            "model",
            "appointed by stalin",
            "",
        ),
    )
    (mark,) = run_marks(log, load_scenario(BASELINE))
    assert mark.text == "Rykov: Chairman of the Council of…"  # not "…of People's Com…"


def labels(marks):
    """The labels the marks show, a label cut short (``…``) restored from the scenario's."""
    every = {event.label for event in load_scenario(BASELINE).events if event.label}
    every |= {"Stroke", "Condemned"}  # the small scenario's
    shown = set()
    for part in (text for mark in marks for text in mark.text.split(" · ")):
        cut = part.endswith("…")
        shown |= {label for label in every if label.startswith(part[:-1])} if cut else {part}
    return shown


def marked_months(figure):
    """The months with a mark's line in the figure's first panel (``YYYY-MM``)."""
    axis = figure.axes[0]
    return {
        pd.Timestamp(line.get_xdata()[0]).strftime("%Y-%m")
        for line in axis.lines
        if line.get_linestyle() == ":"
    }


def test_a_free_ensemble_marks_only_the_events_its_runs_applied(baseline):
    free, replay = scenario_marks(baseline, Mode.FREE), scenario_marks(baseline, Mode.REPLAY)
    decisions = {"13th Conf. condemns opposition", "Leningrad purge", "Trotsky off Politburo"}
    assert decisions <= labels(replay)
    assert not decisions & labels(free)  # replay-only decisions: the leaders decide in free mode
    kept = {"Lenin dies", "Lenin's 1st stroke", "14th Congress"}  # exogenous, in every mode
    assert kept <= labels(free) and kept <= labels(replay)
    assert "Stalin Gen. Sec." in labels(free)  # the first month's settlement applies in both
    fan_free = draw_fan(quantiles(), baseline, leaders=["stalin"], mode=Mode.FREE)
    fan_replay = draw_fan(quantiles(), baseline, leaders=["stalin"], mode="replay")
    # A fan chart draws the six events its key numbers: in replay the Leningrad purge of
    # January 1926 among them, in free mode the 14th Congress in its place.
    assert "1926-01" in marked_months(fan_replay)
    assert "1926-01" not in marked_months(fan_free)
    assert {"1924-01", "1925-12"} <= marked_months(fan_free)
    assert len(marked_months(fan_free)) == len(marked_months(fan_replay)) == 6


def test_a_branch_marks_the_decisions_replayed_before_it(baseline):
    branch = baseline.model_copy(update={"free_from": Month(1925, 1)})
    for mode in Mode:
        marked = labels(scenario_marks(branch, mode))
        assert "13th Conf. condemns opposition" in marked and "Lenin dies" in marked
        assert "Trotsky leaves army" not in marked and "Leningrad purge" not in marked


def test_a_free_runs_influence_plot_marks_no_replayed_decision(small_scenario):
    result = run_model(small_scenario, 3, Mode.FREE).recorder.result()
    marked = labels(run_marks(result["events"], small_scenario))
    assert "Stroke" in marked and "Condemned" not in marked  # exogenous; a decision
    assert marked & labels(scenario_marks(small_scenario, Mode.FREE)) == {"Stroke"}
    replayed = run_model(small_scenario, 3, Mode.REPLAY).recorder.result()
    assert {"Stroke", "Condemned"} <= labels(run_marks(replayed["events"], small_scenario))


@pytest.mark.parametrize("form", ["svg", "pdf"])
def test_vector_formats_are_written_by_their_suffix(baseline, tmp_path, form):
    path = tmp_path / f"influence.{form}"
    plot_influence(trajectories(), baseline, path, leaders=LEADERS)
    head = path.read_bytes()[:200]
    assert (b"<svg" in head or b"<?xml" in head) if form == "svg" else head.startswith(b"%PDF")


LONG_NAME = "Joseph Vissarionovich Stalin (Dzhugashvili), General Secretary of the CC"


def test_a_long_name_leaves_the_panels_most_of_the_figures_width(baseline):
    # Printed whole in the key, a 72-character name squeezed the panels to 42% of it.
    figure = draw_influence(
        trajectories(), with_names(baseline, {"stalin": LONG_NAME}), leaders=LEADERS
    )
    FigureCanvasAgg(figure).draw()
    assert all(axis.get_position().width > 0.6 for axis in figure.axes)


def test_a_long_name_does_not_overprint_the_next_panels_title(baseline):
    scenario = with_names(baseline, {"stalin": LONG_NAME})
    figure = draw_fan(quantiles(), scenario, runs=10, leaders=["lenin", "stalin", "trotsky"])
    texts = dict(drawn_texts(figure))
    titles = [axis.get_title(loc="left") for axis in figure.axes if axis.get_visible()]
    extents = [
        next(extent for text, extent in texts.items() if text.get_text() == title)
        for title in titles
    ]
    for one, other in itertools.pairwise(extents):
        assert one.x1 < other.x0
