import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulation.dashboard import views
from simulation.model import Mode, PartyModel
from simulation.output.colours import leader_colours
from simulation.output.network import NETWORK_LEADERS


@pytest.fixture(scope="module")
def model_in_1924_03(baseline):
    """The baseline replayed to March 1924: Lenin has died, Stalin is General Secretary."""
    model = PartyModel(baseline, seed=1, mode=Mode.REPLAY)
    while model.step_index < 0 or model.date != "1924-03":
        model.step()
    return model


def test_before_the_first_month_the_views_show_the_opening_position(baseline):
    model = PartyModel(baseline, seed=1, mode=Mode.REPLAY)
    assert views.current_label(model) == "before 1922-04"
    offices = views.office_table(model).set_index("office")["held by"]
    assert offices["Chairman of the Council of People's Commissars"] == "Vladimir Lenin"
    assert views.chronicle(model).empty and views.last_votes(model).empty
    figure = views.trajectory_figure(model)
    assert all(len(line.get_xdata()) == 0 for line in figure.axes[0].get_lines())


def test_each_curve_shows_where_it_stands_from_the_first_month(baseline):
    """A single month is a point, which a line alone does not draw: each curve marks its last."""
    model = PartyModel(baseline, seed=1, mode=Mode.FREE)
    model.step()
    figure = views.trajectory_figure(model)
    for axis in figure.axes:
        curves = axis.get_lines()[: views.CONTENDERS]  # the month's rule is drawn after them
        for line in curves:
            assert len(line.get_xdata()) == 1
            assert line.get_marker() == "o" and line.get_markevery() == [0]
            assert np.isfinite(np.asarray(line.get_ydata(), dtype=float)).all()


def test_offices_change_hands_as_the_run_goes(model_in_1924_03):
    offices = views.office_table(model_in_1924_03).set_index("office")["held by"]
    assert offices["General Secretary of the Central Committee"] == "Joseph Stalin"
    assert "Vladimir Lenin" not in " ".join(offices)


def test_an_office_no_leader_of_the_model_holds_is_not_called_vacant(baseline):
    """At the end of 1926 history's OGPU chief (Menzhinsky) is no leader of the model."""
    model = PartyModel(baseline, seed=1, mode=Mode.REPLAY)
    model.run()
    offices = views.office_table(model).set_index("office")["held by"]
    assert offices["Chairman of the GPU/OGPU"] == "none of the leaders modelled"
    assert "vacant" not in set(offices)


def test_a_dead_leader_has_no_points_after_his_death_and_keeps_his_colour(model_in_1924_03):
    figure = views.trajectory_figure(model_in_1924_03)
    lines = {line.get_label(): line for line in figure.axes[0].get_lines() if line.get_label()}
    lenin = lines["Vladimir Lenin"]
    dates = model_in_1924_03.dates
    influence = np.asarray(lenin.get_ydata(), dtype=float)
    assert len(influence) == dates.index("1924-03") + 1
    assert np.isfinite(influence[dates.index("1923-12")])
    assert np.isnan(influence[dates.index("1924-01") :]).all()
    colours = leader_colours(model_in_1924_03.spec)
    assert lenin.get_color() == colours["lenin"]
    assert lines["Joseph Stalin"].get_color() == colours["stalin"]


@pytest.fixture(scope="module")
def model_at_the_end(baseline):
    """The baseline replayed to its last month."""
    model = PartyModel(baseline, seed=1, mode=Mode.REPLAY)
    model.run()
    return model


def test_the_trajectories_draw_the_main_contenders_so_far_losers_included(
    model_at_the_end, baseline
):
    """Zinoviev and Kamenev just after the three who led in some month, before Rykov.

    By their peak share they came seventh and eighth, behind Tomsky and Bukharin.
    """
    figure = views.trajectory_figure(model_at_the_end)
    names = {leader.name for leader in baseline.leaders}
    drawn = [line.get_label() for line in figure.axes[0].get_lines()]
    drawn = [label for label in drawn if label in names]
    assert len(drawn) == views.CONTENDERS
    leading = ["Joseph Stalin", "Vladimir Lenin", "Leon Trotsky", "Grigory Zinoviev", "Lev Kamenev"]
    assert drawn[:5] == leading


def test_the_labels_of_the_events_stay_inside_the_trajectories(model_at_the_end):
    """At the end of the replay the labels of 1926 stay clear of the legend on the right."""
    figure = views.trajectory_figure(model_at_the_end)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    top = figure.axes[0]
    inside = top.get_window_extent(renderer)
    labels = [text.get_window_extent(renderer) for text in top.texts]
    assert len(labels) == 5
    for label in labels:
        assert inside.x0 <= label.x0 and label.x1 <= inside.x1


def test_the_network_shows_the_main_living_contenders_with_names_apart(model_in_1924_03):
    figure = views.network_figure(model_in_1924_03)
    axis = figure.axes[0]
    surnames = {leader.name.split()[-1] for leader in model_in_1924_03.spec.leaders}
    texts = [text for text in axis.texts if text.get_text() in surnames]
    labels = {text.get_text() for text in texts}
    assert {"Stalin", "Trotsky", "Zinoviev"} <= labels
    assert "Lenin" not in labels  # dead since January
    assert len(labels) == NETWORK_LEADERS  # two dozen names crowded one cluster
    assert "Left Opposition" in {text.get_text() for text in axis.texts}  # its circle's name
    assert axis.get_title() == ""  # the card's title gives the month
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in texts]
    for a, first in enumerate(boxes):
        for second in boxes[a + 1 :]:
            assert not first.overlaps(second)
    # The next month starts from this one's layout: a leader moves as his alliances do.
    run = PartyModel(model_in_1924_03.spec, seed=1, mode=Mode.REPLAY)
    for _ in range(12):
        run.step()
        before = dict(views._LAID_OUT.get(run, {}))
        views.network_figure(run)
    after = views._LAID_OUT[run]
    kept = set(before) & set(after)
    assert max(np.linalg.norm(after[leader] - before[leader]) for leader in kept) < 0.5


def test_the_chronicle_cites_the_source_of_each_scenario_event(model_in_1924_03):
    chronicle = views.chronicle(model_in_1924_03)
    assert chronicle.iloc[0]["month"] == "1924-03"  # newest first
    death = chronicle[chronicle["id"] == "lenin_dies"]
    assert set(death["month"]) == {"1924-01"}
    source = next(e.source for e in model_in_1924_03.spec.events if e.id == "lenin_dies")
    assert set(death["source"]) == {source}
    # the death itself is told in the scenario's words; the offices it empties by post
    assert "removal sovnarkom_chair" in set(death["event"])


def test_the_chronicle_tells_who_moved_a_verdict_and_what_an_expulsion_takes(baseline):
    """Read by a class: the logged actor of a verdict is its mover, of a removal its target."""
    model = PartyModel(baseline, seed=1, mode=Mode.FREE)
    model.run()
    chronicle = views.chronicle(model)
    decided = chronicle[chronicle["source"] == "the model's decision"]
    verdicts = decided[decided["id"].str.startswith(("condemnation-", "campaign-"))]
    assert not verdicts.empty
    for _, row in verdicts.iterrows():
        target = row["id"].split("-", 1)[1]
        assert row["event"].endswith(f" of {target}, moved by {row['who']}") or row[
            "event"
        ].endswith(f" against {target}, moved by {row['who']}")
    expelled = decided[decided["id"].str.startswith("expulsion-")]
    assert not expelled.empty
    for _, row in expelled.iterrows():
        assert row["event"] == f"plenum: expulsion of {row['who']} from the leading bodies"


def test_the_last_vote_of_each_arena_is_the_latest_one(model_in_1924_03):
    votes = views.last_votes(model_in_1924_03).set_index("arena")
    assert votes.index.is_unique
    for arena, vote in votes.iterrows():
        latest = [row for row in model_in_1924_03.vote_log if row.arena == arena][-1]
        assert (vote["month"], vote["motion"]) == (latest.date, views.listed(latest.motion))
        outcome = "carried" if latest.carried else "lost"
        assert vote["vote"] == f"{latest.votes_for}–{latest.votes_against}, {outcome}"


def test_names_joined_in_the_logs_are_listed_so_that_a_line_can_break():
    """A bloc's condemnation is one unbroken word in the log: it ran past the votes' card."""
    assert views.listed("condemnation of trotsky;radek;pyatakov") == (
        "condemnation of trotsky, radek, pyatakov"
    )
    prose = "Lenin's letter to be read to delegations only, not published; Stalin stays"
    assert views.listed(prose) == prose


def test_the_path_so_far_is_set_against_historys(baseline, model_in_1924_03):
    # Replayed to March 1924: the trio and the Left have come forward, Trotsky is condemned,
    # as history had it; before the first month nothing has happened, which is on the path.
    path = views.path_so_far(model_in_1924_03).set_index("order")
    assert path.loc["factions", "so far"] == "troika → left_opposition"
    assert path.loc["verdicts", "so far"] == "trotsky"
    assert path.loc["verdicts", "history"] == "trotsky → kamenev+zinoviev"
    assert (path["on history's path"] == "yes").all()
    opening = views.path_so_far(PartyModel(baseline, seed=1, mode=Mode.REPLAY))
    assert (opening["so far"] == "none").all() and (opening["on history's path"] == "yes").all()


def test_a_markdown_table_keeps_every_cell_whole():
    table = views.as_markdown(pd.DataFrame({"office": ["General | Secretary"], "held by": ["x"]}))
    assert table.splitlines() == [
        "| office | held by |",
        "|---|---|",
        "| General / Secretary | x |",
    ]


def test_the_heading_says_a_branch_decides_from_its_month(baseline):
    branched = baseline.model_copy(update={"free_from": baseline.start.plus(25)})
    model = PartyModel(branched, seed=1, mode=Mode.REPLAY)
    assert views.heading(model) == "baseline-1922, free from 1924-05: before 1922-04"
    model.step()
    plain = PartyModel(baseline, seed=1, mode=Mode.REPLAY)
    assert views.heading(plain) == "baseline-1922, replay: before 1922-04"
    assert views.heading(model) == "baseline-1922, free from 1924-05: 1922-04"
