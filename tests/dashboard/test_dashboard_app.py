"""The dashboard's components, rendered with Solara's test tools (no browser)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

from simulation.dashboard import app
from simulation.dashboard.settings import Settings

pytestmark = [pytest.mark.usefixtures("at_project_root"), pytest.mark.slow]


@pytest.fixture(autouse=True)
def fresh_session():
    """Outside a server the app's reactive state is global: start each test afresh."""
    app.playing.value = False
    app.problem.value = ""
    app.settings.value = Settings()
    app.run.value = None
    app.month.value = -1
    before = set(threading.enumerate())
    yield
    app.play(False)
    # A page left mounted keeps its Player: the next test's Play would start one loop
    # per page ever rendered, all stepping the same run (16 loops were measured).
    while _mounted:
        _mounted.pop().close()
    # A player thread still drawing its last months when the interpreter exits crashes it:
    # wait for the threads Solara started for this test (its use_thread "runner"s).
    for thread in set(threading.enumerate()) - before:
        if thread.name.endswith("(runner)"):
            thread.join(timeout=60)


_mounted = []
"""The render contexts of the test under way, closed when it ends."""


def _render():
    _, views = solara.render(app.Watch(), handle_error=False)
    _, controls = solara.render(app.Controls(), handle_error=False)
    _mounted.extend([views, controls])
    return views, controls


def test_step_advances_the_run_one_month_and_the_views_follow():
    views, controls = _render()
    views.find(v.CardTitle, children=["Alliance network, before 1922-04"]).assert_single()
    controls.find(v.Btn, children=["Step"]).widget.click()
    controls.find(v.Btn, children=["Step"]).widget.click()
    assert app.run.value.model.date == "1922-05"
    views.find(v.CardTitle, children=["Alliance network, 1922-05"]).assert_single()


def test_the_page_says_what_the_chosen_scenario_supposes():
    """A class saw Stalin, 'removed' in 1923, still in the Politburo: the overlay says why."""
    app.settings.value = Settings(
        scenario_file=Path("scenarios/counterfactuals/stalin_removed_1923.yaml")
    )
    views, _ = _render()
    about = views.find(v.ExpansionPanel).widget
    text = str(about)
    assert "About this scenario" in text and "carry the recommendation at the 12th" in text


def test_the_command_wraps_after_a_slash_not_within_a_name():
    command = "interregnum run scenarios/counterfactuals/good_harvest_1925.yaml --seed 7"
    assert app.breakable(command) == (
        "interregnum run scenarios/<wbr>counterfactuals/<wbr>good_harvest_1925.yaml --seed 7"
    )
    assert app.breakable("run a<b.yaml") == "run a&lt;b.yaml"  # a file name is text, not HTML


def test_at_the_end_of_the_run_play_and_step_give_way_to_reset():
    """Play at the last month did nothing and said nothing."""
    _, controls = _render()
    session = app.run.value
    while session.model.running:
        session.step()
    app.month.value = session.model.step_index
    assert controls.find(v.Btn, children=["Play"]).widget.disabled
    assert controls.find(v.Btn, children=["Step"]).widget.disabled
    said = controls.find(v.Alert).widget.children
    assert said == ["The run has ended (1926-12): Reset to watch it again."]
    controls.find(v.Btn, children=["Reset"]).widget.click()
    assert not controls.find(v.Btn, children=["Play"]).widget.disabled
    assert not controls.find(v.Alert).widgets


def test_a_branch_shows_its_mode_in_words_not_a_toggle_showing_replay_or_free():
    _, controls = _render()
    controls.find(v.BtnToggle).assert_single()
    branch = [select for select in controls.find(v.Select).widgets if "Free from" in select.label]
    branch[0].v_model = "1924-05"
    controls.find(v.BtnToggle).assert_empty()
    said = "Mode: history replayed until 1924-05, the leaders deciding from it"
    assert [text for text in controls.find(v.Html).widgets if said in str(text.children)]
    assert app.run.value.model.free_from == 25  # 1922-04 + 25 months
    branch[0].v_model = app.NO_BRANCH
    controls.find(v.BtnToggle).assert_single()


def test_reset_starts_the_run_again_from_its_first_month():
    views, controls = _render()
    controls.find(v.Btn, children=["Step"]).widget.click()
    controls.find(v.Btn, children=["Reset"]).widget.click()
    assert app.run.value.model.step_index == -1
    views.find(v.CardTitle, children=["Alliance network, before 1922-04"]).assert_single()


def test_a_new_seed_restarts_the_run_with_it():
    _, controls = _render()
    controls.find(v.Btn, children=["Step"]).widget.click()
    seed = controls.find(v.TextField, label="Seed").widget
    seed.v_model = "7"
    seed.fire_event("keyup.enter")
    assert app.run.value.model.seed == 7 and app.run.value.model.step_index == -1
    assert "--seed 7" in app.settings.value.command()


def test_unticking_a_key_event_drops_it_from_the_run():
    _, controls = _render()
    box = controls.find(v.Checkbox, label="1922-04 Stalin Gen. Sec. (stalin_general_secretary)")
    box.widget.v_model = False
    assert app.settings.value.dropped == {"stalin_general_secretary"}
    assert "stalin_general_secretary" not in {e.id for e in app.run.value.scenario.events}


def test_a_slider_sets_its_parameter_in_the_run():
    _, controls = _render()
    _slider(controls, "alliance_rate").v_model = 0.35
    assert app.run.value.model.parameters.alliance_rate == 0.35
    assert "--set parameters.alliance_rate=0.35" in app.settings.value.command()
    # the value and the range are written out, not only shown on the thumb while dragged
    assert _slider(controls, "alliance_rate").label == "alliance_rate = 0.35 (from 0 to 1)"


def _slider(controls, name: str):
    """The slider of a parameter, whose label begins with its name."""
    sliders = controls.find(v.Slider).widgets
    return next(slider for slider in sliders if slider.label.startswith(f"{name} = "))


def _wait_for_month(index: int, settle: float = 0.0) -> None:
    """Until the run has reached month ``index`` (a minute at most), then ``settle`` seconds:
    time for a player that did not wait for the views to run ahead."""
    model = app.run.value.model
    deadline = time.monotonic() + 60
    while model.step_index < index and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(settle)


def test_play_steps_the_run_until_paused(monkeypatch):
    # A short delay, not none: the 57 months (6 s) must not all pass before a busy
    # machine's test thread wakes to press Pause. Before the player waited for the
    # views, redraws queued faster than they finished kept the Play click busy until
    # the run had ended.
    monkeypatch.setattr(app, "MONTH_DELAY", 0.1)
    _, controls = _render()
    controls.find(v.Btn, children=["Play"]).widget.click()
    model = app.run.value.model
    _wait_for_month(3)
    controls.find(v.Btn, children=["Pause"]).widget.click()
    paused_at = model.step_index  # a month under way ended before Pause returned
    assert paused_at >= 3
    time.sleep(0.5)
    assert model.step_index == paused_at


def test_the_player_waits_for_the_views_to_draw_a_month_before_the_next(monkeypatch):
    monkeypatch.setattr(app, "MONTH_DELAY", 0.01)
    app.restart(app.settings.value)
    for element in (app.Controls(), app.Player()):  # a player with no views to draw
        _mounted.append(solara.render(element, handle_error=False)[1])
    controls = _mounted[0]
    controls.find(v.Btn, children=["Play"]).widget.click()
    model = app.run.value.model
    _wait_for_month(0, settle=0.5)
    assert model.step_index == 0
    app.run.value.show(0)
    _wait_for_month(1, settle=0.5)
    assert model.step_index == 1
    controls.find(v.Btn, children=["Pause"]).widget.click()


def test_a_negative_seed_is_refused_and_the_run_kept():
    _, controls = _render()
    before = app.run.value
    seed = controls.find(v.TextField, label="Seed").widget
    seed.v_model = "-3"
    seed.fire_event("keyup.enter")
    assert app.run.value is before
    refusal = app.seed_refusal("-3")
    assert "Seed must be" in refusal and "-3" in refusal
    controls.find(v.Alert, children=[refusal]).assert_single()


def test_a_refused_seed_is_no_longer_said_once_a_seed_is_typed():
    """Before Enter: the corrected seed's run takes seconds to build."""
    _, controls = _render()
    seed = controls.find(v.TextField, label="Seed").widget
    seed.v_model = "abc"
    seed.fire_event("keyup.enter")
    controls.find(v.Alert, children=["Seed must be an integer, got 'abc'"]).assert_single()
    seed.v_model = "-"  # still no seed: said of the text as it is now
    controls.find(v.Alert, children=["Seed must be an integer, got '-'"]).assert_single()
    seed.v_model = "5"
    controls.find(v.Alert).assert_empty()
    assert app.run.value.model.seed == 1  # not entered yet


def test_a_run_started_by_another_control_shows_its_own_seed():
    _, controls = _render()
    seed = controls.find(v.TextField, label="Seed").widget
    seed.v_model = "-3"
    seed.fire_event("keyup.enter")
    controls.find(v.Btn, children=["Reset"]).widget.click()
    controls.find(v.Alert).assert_empty()
    assert controls.find(v.TextField, label="Seed").widget.v_model == "1"


@pytest.mark.parametrize(
    ("mode", "free_from", "said"),
    [("replay", None, True), ("free", None, False), ("replay", "1924-05", False)],
)
def test_the_comparison_page_says_when_history_is_forced(mode, free_from, said):
    """In replay throughout, a change cannot move who wins: the page says so before a run."""
    app.settings.value = Settings(mode=mode, free_from=free_from)
    _, page = solara.render(app.Compare(), handle_error=False)
    _mounted.append(page)
    notes = page.find(v.Alert, children=[app.REPLAY_NOTE])
    assert len(notes.widgets) == (1 if said else 0)


class FakeComparison:
    """Stands for ``compare_with_baseline``: records its calls, and says when one has ended."""

    def __init__(self, failure: Exception | None = None):
        self.calls, self.ended = [], threading.Event()
        self.failure = failure

    def __call__(self, current):
        self.calls.append(current)
        try:
            time.sleep(0.1)
            if self.failure is not None:
                raise self.failure
            picture = Path("docs/images/baseline-replay.png")
            return SimpleNamespace(
                headline="| Scenario |\n|---|\n| base |",
                main_table="| P |\n|---|\n| 0.5 |",
                identical=[],
                files=[picture],
            )
        finally:
            self.ended.set()


def _compared(monkeypatch, fake):
    """The comparison page with its Run button pressed, once the comparison has ended."""
    monkeypatch.setattr(app, "compare_with_baseline", fake)
    _, page = solara.render(app.Compare(), handle_error=False)
    _mounted.append(page)
    page.find(v.Btn).widget.click()
    assert fake.ended.wait(30)
    _eventually(lambda: not app.comparison.pending)
    return page


def _eventually(condition) -> None:
    """Wait (ten seconds at most) for a task's thread to have told the page."""
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _alerts(page) -> list[str]:
    return [" ".join(map(str, alert.children)) for alert in page.find(v.Alert).widgets]


def test_a_finished_comparison_is_kept_when_the_class_comes_back_to_the_page(monkeypatch):
    """It was lost on leaving the page: the table and figure were the page's own state."""
    app.settings.value = Settings(mode="free")
    _compared(monkeypatch, FakeComparison()).close()
    _mounted.pop()
    _, back = solara.render(app.Compare(), handle_error=False)
    _mounted.append(back)
    assert len(back.find(widgets.Image).widgets) == 1  # the comparison's figure, shown again
    assert _alerts(back) == []
    app.settings.value = Settings(mode="free", seed=5)  # settings changed since
    assert any("made with earlier settings" in text for text in _alerts(back))


def test_a_comparison_that_fails_unexpectedly_says_so_on_the_page(monkeypatch):
    """A worker's crash left the button live again with no table and no word."""
    app.settings.value = Settings(mode="free")
    page = _compared(monkeypatch, FakeComparison(RuntimeError("os.fork is unsafe")))
    _eventually(lambda: _alerts(page))
    assert _alerts(page) == [
        "The comparison failed (RuntimeError: os.fork is unsafe); the server's log has more."
    ]


def test_one_comparison_runs_at_a_time_in_the_server(monkeypatch):
    """Sessions share the comparison's folder: a second waits until the first has ended."""
    fake = FakeComparison()
    monkeypatch.setattr(app, "compare_with_baseline", fake)
    with app.COMPARING:  # another session's comparison under way
        app.comparison(Settings(mode="free"))
        time.sleep(0.3)
        assert fake.calls == [] and app.comparison.pending
    assert fake.ended.wait(30)
    _eventually(lambda: app.comparison.finished)
    assert len(fake.calls) == 1 and app.comparison.finished
