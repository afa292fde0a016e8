"""``interregnum dashboard``: a local web app to watch, change and compare runs."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

from simulation.cli.common import fail, report_problems, user_path
from simulation.dashboard.settings import Settings
from simulation.scenario import ScenarioError, load_scenario

DEFAULT_PORT = 8765


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` subcommand."""
    parser = commands.add_parser(
        "dashboard",
        help="a web app for the classroom: watch a run month by month, change it, compare it",
        description="Start a local web app (Solara) and print its address. Choose a scenario "
        "(the baseline or a counterfactual in scenarios/), the mode, the seed, the calibrated "
        "parameters and which key events happen; play, pause or step the run month by month "
        "and watch influence and power, the alliance network, the offices, the chronicle and "
        "the last votes; a second page compares the settings with the baseline in a small "
        "paired ensemble. Stop it with Ctrl-C.",
    )
    parser.add_argument(
        "scenario",
        type=user_path,
        nargs="?",
        default=Path("scenarios/baseline_1922.yaml"),
        help="the scenario shown first (default scenarios/baseline_1922.yaml)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens it "
        "to the network, e.g. a classroom)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    # The mode the page starts in, which its first run compiles.
    parser.set_defaults(handler=handle, mode=Settings.mode)


def _port_problem(host: str, port: int) -> str | None:
    """Why the dashboard cannot listen on ``host:port``, or ``None`` if it can."""
    if not 0 < port < 65536:
        return f"--port must be between 1 and 65535, got {port}"
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def handle(args: argparse.Namespace) -> int:
    """Check the scenario and the address, print it, serve until interrupted."""
    # Imported here: Solara and the model take seconds to import (see the package docstring).
    from simulation.dashboard.server import serve

    address = _port_problem(args.host, args.port)
    try:
        load_scenario(args.scenario)
    except ScenarioError as error:  # named with the address's problem, in one attempt
        return report_problems(ScenarioError([*error.problems, *([address] if address else [])]))
    if address:
        return fail(address)
    print(f"interregnum dashboard: http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    serve(args.scenario, args.host, args.port)
    return 0
