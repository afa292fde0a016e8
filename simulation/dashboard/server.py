"""Serve the dashboard: Solara's web app under uvicorn, on the address asked for.

The scenario the command line names reaches the app through the environment
(:data:`SCENARIO_VARIABLE`), as Solara's own ``solara run`` passes the app's name:
Solara imports the app module itself, in each worker, so an argument cannot reach it.
"""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn

SCENARIO_VARIABLE = "INTERREGNUM_DASHBOARD_SCENARIO"
APP = "simulation.dashboard.app"


def serve(scenario_file: Path, host: str, port: int) -> None:
    """Serve the dashboard until interrupted (blocks)."""
    os.environ[SCENARIO_VARIABLE] = str(scenario_file)
    os.environ["SOLARA_APP"] = APP
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    # Solara's badge sat over the corner of the page (the last column of the votes, the
    # comparison's legend); the pages set their own titles.
    os.environ["SOLARA_THEME_SHOW_BANNER"] = "False"
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
