"""The Solara app: controls on the left, the run's views in the middle, a comparison page.

Mesa's ``SolaraViz`` builds its model from keyword controls (``Model(**params)``); ours is
built from a whole scenario (a file, its overlay, changed parameters, dropped events), so
the controls, the play loop and the views are Solara components of their own here, with
Mesa's play/pause/step/reset layout. One model per browser session: Solara scopes the
reactive variables below to the session.
"""

from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import solara
from solara.lab import task

from simulation.dashboard import views
from simulation.dashboard.comparison import READING, RUNS, compare_with_baseline
from simulation.dashboard.server import SCENARIO_VARIABLE
from simulation.dashboard.settings import (
    Settings,
    branch_months,
    build_scenario,
    free_parameters,
    key_events,
    scenario_files,
)
from simulation.experiments.compare.comparison import ComparisonResult
from simulation.experiments.compare.report import identical_note
from simulation.experiments.ensemble import EnsembleError
from simulation.experiments.parameter_draws import DrawError
from simulation.experiments.seeds import SeedError, check_seed
from simulation.model import Mode, PartyModel
from simulation.output.network import NETWORK_LEADERS
from simulation.scenario import ScenarioError, load_scenario

MONTH_DELAY = 0.4
"""Seconds between months while playing: slow enough to follow, 57 months in half a minute."""
NO_BRANCH = "no branch"
"""The choice of the branching month that leaves the mode as chosen."""
SIDEBAR_WIDTH = 376
"""Pixels of the controls' column: Solara's narrowest sidebar (400) less its padding.

Solara sizes the sidebar to its content (400 to 600 px) but places the page beside it
at the width it had first: a longer scenario path or event id chosen later widened it
over the heading and the chart's axis. A fixed column keeps the sidebar at 400 px; a
word longer than the column breaks rather than widening it.
"""
SIDEBAR_STYLE = {"width": f"{SIDEBAR_WIDTH}px", "overflow-wrap": "anywhere"}
TABLE_STYLE = {"overflow-x": "auto"}
"""A table wider than its card scrolls inside it instead of running past its edge."""


class Run:
    """The session's model, and the lock that keeps drawing from reading a half-done month.

    ``playing`` is read and written under the same lock, so that once Pause has
    returned no month starts: the player's check and its step are one. ``shown`` is the
    month the views last finished drawing: the player waits for it before the next
    month, so that a slow page sees every month and its Pause button is never starved
    by redraws queued faster than they finish.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.scenario = build_scenario(settings)
        self.model = PartyModel(
            self.scenario, check_seed(settings.seed, "Seed"), Mode(settings.mode)
        )
        self.lock = threading.Lock()
        self.drawn = threading.Condition(self.lock)
        self.playing = False
        self.shown = self.model.step_index

    def step(self, only_playing: bool = False) -> bool:
        """Simulate a month if any is left (with ``only_playing``, if playing); whether one was."""
        with self.lock:
            if not self.model.running or (only_playing and not self.playing):
                return False
            self.model.step()
            return True

    def show(self, month_index: int) -> None:
        """The views have finished drawing this month."""
        with self.drawn:
            self.shown = month_index
            self.drawn.notify_all()

    def await_shown(self, cancel: threading.Event) -> None:
        """Until the current month is drawn, Pause is pressed, or the player is unmounted."""
        with self.drawn:
            while not cancel.is_set():
                if self.drawn.wait_for(
                    lambda: self.shown >= self.model.step_index or not self.playing,
                    timeout=0.1,  # the unmounting player's cancel is not notified
                ):
                    return


def initial_settings() -> Settings:
    """The scenario ``interregnum dashboard`` was given, else the baseline."""
    named = os.environ.get(SCENARIO_VARIABLE)
    return Settings(scenario_file=Path(named)) if named else Settings()


settings = solara.reactive(initial_settings())
run: solara.Reactive[Run | None] = solara.reactive(None)
month = solara.reactive(-1)
"""The month index shown; changing it redraws the views."""
playing = solara.reactive(False)
problem = solara.reactive("")
NETWORK_KEY = (
    f"The {NETWORK_LEADERS} main contenders so far, sized by power share; blue lines join "
    "allies and red ones enemies, darker and thicker the stronger; a grey circle holds an "
    "active faction."
)
"""What the network's colours and sizes say: the run's ``network.png`` has a colour key."""
CHRONICLE_ROWS = 15
"""Events shown in the chronicle: the latest, so that the page stays short."""


def play(on: bool) -> None:
    """Play or Pause: the run's own flag first, under its lock, then the button."""
    session = run.value
    if session is not None:
        with session.drawn:
            session.playing = on
            session.drawn.notify_all()
    playing.value = on


def restart(new: Settings) -> None:
    """Rebuild the model from the settings (a bad setting is shown, the old run kept)."""
    play(False)
    try:
        fresh = Run(new)
    except ScenarioError as error:
        problem.value = "; ".join(error.problems)
        return
    except SeedError as error:
        problem.value = str(error)
        return
    problem.value = ""
    settings.value = new
    run.value = fresh
    month.value = -1


def step_once() -> None:
    """The Step button."""
    if run.value is not None and run.value.step():
        month.value = run.value.model.step_index


@solara.component
def RunButtons():
    """Play/Pause, Step and Reset; at the run's end Play and Step give way to Reset.

    Its own component, redrawn each month to see the end: the rest of the controls (a
    slider per parameter, a box per event) need not be.
    """
    _ = month.value
    ended = run.value is not None and not run.value.model.running and not playing.value
    with solara.Row():
        solara.Button(
            "Pause" if playing.value else "Play",
            on_click=lambda: play(not playing.value),
            color="primary",
            disabled=ended,
        )
        solara.Button("Step", on_click=step_once, disabled=playing.value or ended)
        solara.Button("Reset", on_click=lambda: restart(settings.value))
    if ended:  # Play did nothing there, and said nothing
        solara.Info(f"The run has ended ({run.value.model.date}): Reset to watch it again.")


@solara.component
def Controls():
    """Scenario, mode, seed, parameters, events, and play/pause/step/reset."""
    current = settings.value
    files = [str(path) for path in scenario_files()]
    if str(current.scenario_file) not in files:  # a file given on the command line
        files.insert(0, str(current.scenario_file))
    with solara.Card("Run"):
        RunButtons()
        with solara.Div(attributes={"title": str(current.scenario_file)}):  # shown elided
            solara.Select(
                "Scenario",
                values=files,
                value=str(current.scenario_file),
                on_value=lambda file: restart(
                    replace(current, scenario_file=Path(file), dropped=frozenset())
                ),
            )
        if current.free_from is None:
            solara.ToggleButtonsSingle(
                value=current.mode,
                values=[mode.value for mode in Mode],
                on_value=lambda mode: restart(replace(current, mode=mode)),
            )
        else:  # a branch is replay, then free: a toggle showing either would mislead
            solara.Text(f"Mode: {current.mode_words()} ({NO_BRANCH} below to choose one).")
        if run.value is not None:
            solara.Select(
                "Free from (replay until this month, then the leaders decide)",
                values=[NO_BRANCH, *branch_months(run.value.scenario)],
                value=current.free_from or NO_BRANCH,
                on_value=lambda month: restart(
                    replace(current, free_from=None if month == NO_BRANCH else month)
                ),
            )
        SeedField(current, run.value)
        if problem.value:
            solara.Error(problem.value)
        solara.HTML(
            tag="div", unsafe_innerHTML=f"Same run from a terminal: {breakable(current.command())}"
        )
    if run.value is not None:
        Events(current)
    Parameters(current)


def seed_refusal(text: str) -> str:
    """Why the seed field's text is not a seed the model takes; "" if it is one."""
    try:
        check_seed(int(text), "Seed")
    except SeedError as error:
        return str(error)
    except ValueError:
        return f"Seed must be an integer, got {text!r}"
    return ""


@solara.component
def SeedField(current: Settings, session: Run | None):
    """The seed, restarting the run once entered (Enter, or leaving the field).

    A refused seed is said under the field until its text is a seed again, keystroke by
    keystroke, not until the run is rebuilt: a corrected seed's run takes seconds to
    build (up to fifteen on a busy machine), and a refusal left on screen that long read
    as a refusal of the corrected seed. A new run, whichever control started it (Reset,
    the mode), puts its own seed in the field, not a refused one left without its message.
    """
    text = solara.use_reactive(str(current.seed))
    refused = solara.use_reactive(False)

    def show_the_runs_seed() -> None:
        text.value, refused.value = str(current.seed), False

    solara.use_effect(show_the_runs_seed, [session])

    def enter(widget, *_) -> None:
        refused.value = bool(seed_refusal(widget.v_model))
        if not refused.value and int(widget.v_model) != current.seed:
            restart(replace(current, seed=int(widget.v_model)))

    message = seed_refusal(text.value) if refused.value else ""
    with solara.Div():  # one child whether said or not: the field is kept as typed in
        field = solara.v.TextField(
            label="Seed", v_model=text.value, on_v_model=text.set, error=bool(message)
        )
        if message:
            solara.Error(message)
    solara.v.use_event(field, "keyup.enter", enter)
    solara.v.use_event(field, "focusout", enter)


@solara.component
def Parameters(current: Settings):
    """The calibrated parameters as sliders over their registry ranges."""
    scenario_values = run.value.scenario.parameters if run.value else None
    with solara.Card("Parameters"):
        for free in free_parameters():
            value = getattr(scenario_values, free.name) if scenario_values else free.default

            step = free.step()

            def change(new, name=free.name, old=value, step=step):
                if abs(new - old) > step / 2:  # not the slider snapping to its grid
                    parameters = {**current.parameters, name: round(new, 6)}
                    restart(replace(current, parameters=parameters))

            # The value and the range in words: the thumb shows them only while dragged.
            solara.SliderFloat(
                f"{free.name} = {value:g} (from {free.low:g} to {free.high:g})",
                value=value,
                min=free.low,
                max=free.high,
                step=step,
                on_value=change,
            )
            solara.Text(free.description, style={"font-size": "0.8em", "color": "#555"})


@solara.component
def Events(current: Settings):
    """A check box per labelled event: unticked, the event is dropped (``--drop-event``)."""
    file = current.scenario_file
    shown = solara.use_memo(lambda: key_events(load_scenario(file)), [file])
    with solara.Card("Key events (untick to drop)"):
        for event_id, date, label in shown:

            def toggle(keep, event_id=event_id):
                dropped = current.dropped - {event_id} if keep else current.dropped | {event_id}
                restart(replace(current, dropped=frozenset(dropped)))

            solara.Checkbox(
                label=f"{date} {label} ({event_id})",
                value=event_id not in current.dropped,
                on_value=toggle,
            )


@solara.component
def Player():
    """Steps the model while Play is on, a month every :data:`MONTH_DELAY` seconds.

    No month starts before the views have drawn the last one.
    """
    session = run.value

    def loop(cancel: threading.Event):
        while playing.value and session is not None and not cancel.is_set():
            if not session.step(only_playing=True):
                if not session.model.running:
                    play(False)
                return
            month.value = session.model.step_index
            time.sleep(MONTH_DELAY)
            session.await_shown(cancel)

    solara.use_thread(loop, dependencies=[playing.value, session], intrusive_cancel=False)


@solara.component
def RunViews(session: Run):
    """The run at its current month: trajectories, network, offices, votes, path, chronicle."""
    _ = month.value  # redraw when the month changes
    model = session.model
    with session.lock:
        drawing = model.step_index
        label = views.current_label(model)
        heading = views.heading(model)
        trajectories = views.trajectory_figure(model)
        network = views.network_figure(model)
        offices = views.office_table(model)
        events = views.chronicle(model)
        votes = views.last_votes(model)
        path = views.path_so_far(model)
    # Effects run once the page, figures included, has been drawn.
    solara.use_effect(lambda: session.show(drawing), [session, drawing])
    solara.Markdown(f"## {heading}")
    # What a counterfactual changes and why: without it Stalin, "removed" in 1923, was
    # seen still sitting in the Politburo, which the scenario intends.
    if model.spec.description:
        with solara.Details("About this scenario"):
            solara.Markdown(model.spec.description)
    with solara.Columns([1, 1]):
        with solara.Card("Influence and power"):
            solara.FigureMatplotlib(trajectories, format="png")
        with solara.Card(f"Alliance network, {label}"):
            solara.FigureMatplotlib(network, format="png")
            solara.Text(NETWORK_KEY, style={"font-size": "0.8em", "color": "#555"})
    with solara.Columns([2, 3]):
        with solara.Card("Who holds which office"):
            _table(offices)
        with solara.Card("Last vote in each arena"):
            if votes.empty:
                solara.Text("No vote yet.")
            else:
                _table(votes)
    with solara.Card("The path so far, against history's"):
        _table(path)
    shown = min(len(events), CHRONICLE_ROWS)
    with solara.Card(f"Chronicle (newest first: the latest {shown} of {len(events)} events)"):
        _table(events.head(CHRONICLE_ROWS))


def _table(frame):
    """A frame as a table within its card (:data:`TABLE_STYLE`)."""
    return solara.Markdown(views.as_markdown(frame), style=TABLE_STYLE)


def breakable(command: str) -> str:
    """A command as HTML that a narrow column wraps after a path's slashes.

    Wrapped anywhere, a path broke mid-word ("good_harvest_1925.yam" and "l" on the
    next line), which a class copying it from the projector typed as two words. The
    ``<wbr>`` marks are not copied with the text.
    """
    return html.escape(command).replace("/", "/<wbr>")


@solara.component
def Watch():
    """The first page: watch one run month by month."""
    solara.Title("Interregnum: watch a run")  # the browser's tab, not Solara's default
    solara.use_effect(lambda: restart(settings.value) if run.value is None else None, [])
    Player()
    with solara.Sidebar(), solara.Div(style=SIDEBAR_STYLE):
        Controls()
    if run.value is not None:
        RunViews(run.value)


REPLAY_NOTE = (
    "In replay mode the scenario's decisions happen on their dates whatever you change, so who "
    "ends on top cannot change; only standing and power move within the course history took. "
    "Choose free, or a month to branch from, to let the leaders decide."
)
"""Said on the comparison page in replay: a class comparing there would see nothing change."""


COMPARING = threading.Lock()
"""One comparison at a time in the whole server.

Every session writes to the same folder (``outputs/dashboard-compare/``), which the
next comparison clears, and forking the workers of two comparisons from two threads at
once is unsafe: two pupils pressing Run together lost one comparison without a word.
"""


@task
def comparison(current: Settings) -> tuple[Settings, ComparisonResult]:
    """The session's comparison and its settings, kept when the class leaves the page."""
    with COMPARING:
        return current, compare_with_baseline(current)


def comparison_failure() -> str:
    """What the page says of a comparison that failed: the error's own message if expected."""
    error = comparison.exception
    if isinstance(error, (ScenarioError, EnsembleError, DrawError)):
        return str(error)
    return f"The comparison failed ({type(error).__name__}: {error}); the server's log has more."


@solara.component
def Compare():
    """The second page: a paired ensemble of the current settings against the baseline."""
    solara.Title("Interregnum: compare with the baseline")
    current = settings.value
    running = comparison.pending

    solara.Markdown(
        f"## The current settings against the baseline\n"
        f"{RUNS} runs of each, paired (run *i* has the same seed and the same parameters "
        f"drawn from the posterior of the fit in both; a parameter you moved keeps its value "
        f"in every run), {current.mode_words()}: `{current.command()}`"
    )
    if current.mode == "replay" and current.free_from is None:
        solara.Info(REPLAY_NOTE)
    solara.Button(
        "Running..." if running else f"Run {RUNS} + {RUNS} runs",
        on_click=lambda: comparison(current),
        disabled=running,
        color="primary",
    )
    if comparison.error:
        solara.Error(comparison_failure())
    if comparison.finished:
        made_with, result = comparison.value
        if made_with != current:
            solara.Warning(
                f"This comparison was made with earlier settings: `{made_with.command()}`. "
                "Run again to compare the current ones."
            )
        solara.Markdown(result.headline)
        solara.Markdown(READING, style={"font-size": "0.9em"})
        with solara.Details("Every outcome (each leader, office and vote)"):
            solara.Markdown(result.main_table)
        if result.identical:
            solara.Info(identical_note(result.identical, RUNS))
        picture = next(path for path in result.files if path.suffix == ".png")
        solara.Image(picture)


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara passes the page this way
    """Solara's app layout, its tabs named by the pages' labels.

    Solara's own tabs name a page by its path ("HOME", "COMPARE"); a class reads what
    each page does.
    """
    route, pages = solara.use_route()
    router = solara.use_router()
    paths = [solara.resolve_path(page, level=0) for page in pages]
    tabs = solara.lab.Tabs(
        value=pages.index(route) if route in pages else 0,
        on_value=lambda index: router.push(paths[index]),
        align="center",
        children=[solara.lab.Tab(page.label) for page in pages],
    )
    return solara.AppLayout(children=[solara.AppBar(children=[tabs]), *children])


routes = [
    solara.Route(path="/", component=Watch, label="Watch a run", layout=Layout),
    solara.Route(path="compare", component=Compare, label="Compare with the baseline"),
]
