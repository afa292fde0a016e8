"""End to end: the dashboard served, driven in a real headless browser (Debian's chromium).

Playwright's own browser download does not work on these machines, so the test drives
the system's chromium through ``executable_path``; ``.ci/run`` installs it.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "outputs" / "dashboard" / "dashboard.png"
PATIENCE_MS = 180_000
"""The first page of a fresh server imports the model and draws: slow on a busy machine."""
PLAYED = re.compile(r"Alliance network, \d{4}-\d{2}")
"""The network's title once a month has been played (before it: "before 1922-04")."""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(*arguments: str):
    """The dashboard (``interregnum dashboard ARGUMENTS``) on a free loopback port; its
    address once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", "dashboard", *arguments, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def dashboard():
    """The dashboard of the baseline; its address."""
    yield from _serve()


@pytest.fixture
def long_path(tmp_path) -> Path:
    """An overlay of the baseline at a path of over a hundred characters, as a teacher's
    folder of scenarios may give."""
    folder = tmp_path / "scenarios_for_the_seminar_on_the_succession" / "counterfactuals"
    folder.mkdir(parents=True)
    overlay = folder / "the_baseline_again_under_a_long_and_descriptive_file_name.yaml"
    overlay.write_text(
        f"extends: {ROOT / 'scenarios' / 'baseline_1922.yaml'}\n"
        "name: long-path\ndescription: the baseline\nsource: the baseline\nchanges: []\n"
    )
    assert len(str(overlay)) > 100
    return overlay


@pytest.fixture
def dashboard_of_a_long_path(long_path):
    """The dashboard of :func:`long_path`; its address."""
    yield from _serve(str(long_path))


@contextmanager
def _page(address: str, profile: Path, width: int = 1500):
    """A page of the dashboard at ``address``, opened once its first run is shown."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile,  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": width, "height": 1100},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(PATIENCE_MS)
            expect.set_options(timeout=PATIENCE_MS)
            page.goto(address, timeout=PATIENCE_MS)
            expect(
                page.get_by_text(re.compile(r"Alliance network, before \d{4}-\d{2}"))
            ).to_be_visible()
            yield page
        finally:
            browser.close()


def test_play_a_run_in_the_browser_and_change_its_mode(dashboard, tmp_path):
    from playwright.sync_api import expect

    with _page(dashboard, tmp_path / "profile") as page:
        expect(page.get_by_text("Alliance network, before 1922-04")).to_be_visible()
        expect(page).to_have_title("Interregnum: watch a run")  # a class's tabs tell it apart
        expect(page.get_by_text("This website runs on")).to_have_count(0)  # no badge over it
        toggle = page.get_by_role("button", name=re.compile(r"^(Play|Pause)$"))
        toggle.click()
        # Months pass every half second; a busy browser may draw only some of them,
        # and on a very busy machine the run may be over before Pause can be pressed.
        expect(page.get_by_text(PLAYED)).to_be_visible()
        heading = page.get_by_text(re.compile(r"baseline-1922, replay: \d{4}-\d{2}"))
        if toggle.inner_text() == "Pause":
            toggle.click()
            page.wait_for_timeout(1500)  # a month already being drawn may still arrive
            paused_at = heading.inner_text()
            page.wait_for_timeout(2000)
            assert heading.inner_text() == paused_at  # paused: no month passes
        else:
            expect(heading).to_have_text("baseline-1922, replay: 1926-12")
        network = page.locator(".v-card", has_text=PLAYED).locator("img")
        expect(network).to_be_visible()
        offices = page.locator(".v-card", has_text="Who holds which office")
        expect(offices.get_by_text("Joseph Stalin").first).to_be_visible()
        path = page.locator(".v-card", has_text="The path so far, against history's")
        expect(path.get_by_text("trotsky → kamenev+zinoviev").first).to_be_visible()

        page.get_by_role("button", name="free", exact=True).click()
        expect(page.get_by_text("baseline-1922, free: before 1922-04")).to_be_visible()
        expect(page.get_by_text("--mode free")).to_be_visible()
        page.get_by_role("button", name="Step", exact=True).click()
        expect(page.get_by_text("baseline-1922, free: 1922-04")).to_be_visible()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT, full_page=True)

        # The tabs say what each page does (Solara's own read "HOME" and "COMPARE").
        page.get_by_role("tab", name="Compare with the baseline").click()
        expect(page.get_by_text("The current settings against the baseline")).to_be_visible()
        expect(page.get_by_text("--mode free --seed 1")).to_be_visible()
        page.get_by_role("tab", name="Watch a run").click()
        expect(page.get_by_text("baseline-1922, free: 1922-04")).to_be_visible()  # kept


WIDE = 1600
"""The window of the reviewer who saw the sidebar cover the heading and the chart's axis."""
SIDEBAR = 400
"""Solara's narrowest sidebar, which the dashboard keeps whatever its controls say."""
LONGEST = max(
    (ROOT / "scenarios" / "counterfactuals").glob("*.yaml"), key=lambda path: len(path.name)
)
"""The counterfactual with the longest path: chosen, it used to widen the sidebar."""


def _box(locator) -> dict[str, float]:
    return locator.first.bounding_box()


def _assert_clear_of_the_run(page) -> None:
    """The sidebar ends where the run's heading and chart begin, and is as wide as ever."""
    sidebar = _box(page.locator("nav.v-navigation-drawer"))
    edge = sidebar["x"] + sidebar["width"]
    assert edge <= _box(page.locator("h2"))["x"]
    assert edge <= _box(page.locator(".v-card", has_text="Influence and power").locator("img"))["x"]
    assert sidebar["width"] == SIDEBAR
    content = page.locator("nav .v-navigation-drawer__content")
    assert content.evaluate("element => element.scrollWidth <= element.clientWidth")


def test_a_longer_scenario_path_chosen_leaves_the_sidebar_clear_of_the_run(dashboard, tmp_path):
    from playwright.sync_api import expect

    with _page(dashboard, tmp_path / "profile", width=WIDE) as page:
        _assert_clear_of_the_run(page)
        page.get_by_label("Scenario").click(force=True)
        chosen = f"scenarios/counterfactuals/{LONGEST.name}"
        page.locator(".menuable__content__active .v-list-item", has_text=chosen).click()
        expect(page.get_by_text(f"interregnum run {chosen} --mode replay")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Alliance network, before"))).to_be_visible()
        _assert_clear_of_the_run(page)


def test_a_path_of_a_hundred_characters_wraps_within_the_sidebar(
    dashboard_of_a_long_path, long_path, tmp_path
):
    from playwright.sync_api import expect

    with _page(dashboard_of_a_long_path, tmp_path / "profile", width=WIDE) as page:
        expect(page.get_by_text("long-path, replay: before 1922-04")).to_be_visible()
        _assert_clear_of_the_run(page)
        command = page.get_by_text("Same run from a terminal")
        assert str(long_path) in command.inner_text()  # whole, wrapped
        sidebar = _box(page.locator("nav.v-navigation-drawer"))
        assert _box(command)["x"] + _box(command)["width"] <= sidebar["x"] + sidebar["width"]
        scenario = page.locator("nav [title]", has=page.get_by_label("Scenario"))
        expect(scenario).to_have_attribute("title", str(long_path))  # the select elides it


def test_the_votes_table_stays_within_its_card_in_free_mode(dashboard, tmp_path):
    """A bloc's condemnation (every free run condemns one by 1924) named the bloc in one word."""
    from playwright.sync_api import expect

    with _page(dashboard, tmp_path / "profile", width=WIDE) as page:
        page.get_by_role("button", name="free", exact=True).click()
        expect(page.get_by_text("baseline-1922, free: before 1922-04")).to_be_visible()
        page.get_by_role("button", name="Play", exact=True).click()
        expect(page.get_by_text("baseline-1922, free: 1926-12")).to_be_visible()
        card = page.locator(".v-card", has_text="Last vote in each arena")
        expect(card.get_by_text("condemnation of").first).to_be_visible()
        table, frame = _box(card.locator("table")), _box(card)
        assert table["x"] + table["width"] <= frame["x"] + frame["width"]
        assert card.evaluate("element => element.scrollWidth <= element.clientWidth")


def test_a_refused_seed_is_no_longer_said_once_a_seed_is_typed(dashboard, tmp_path):
    """At once, before Enter: the corrected seed's run takes seconds to build."""
    from playwright.sync_api import expect

    with _page(dashboard, tmp_path / "profile") as page:
        seed = page.get_by_label("Seed")
        refusal = page.locator("nav .v-alert")
        seed.fill("-1")
        seed.press("Enter")
        expect(refusal).to_have_text("Seed must be an integer from 0 to 2**63 - 1, got -1")
        seed.fill("5")
        expect(refusal).to_be_hidden(timeout=20_000)
        expect(page.get_by_text(re.compile(r"--mode replay --seed 1$"))).to_be_visible()
        seed.press("Enter")
        expect(page.get_by_text(re.compile(r"--mode replay --seed 5$"))).to_be_visible()
        expect(refusal).to_be_hidden()
        seed.fill("abc")
        seed.press("Enter")
        expect(refusal).to_have_text("Seed must be an integer, got 'abc'")
        expect(page.get_by_text(re.compile(r"--mode replay --seed 5$"))).to_be_visible()
