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


@pytest.fixture
def dashboard():
    """The dashboard on a free loopback port; its address once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", "dashboard", "--port", str(port)],
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


def test_play_a_run_in_the_browser_and_change_its_mode(dashboard, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            viewport={"width": 1500, "height": 1100},
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
            page.goto(dashboard, timeout=PATIENCE_MS)
            expect(page.get_by_text("Alliance network, before 1922-04")).to_be_visible()

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
        finally:
            browser.close()
