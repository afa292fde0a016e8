"""Figures are drawn without pyplot: importing them leaves the user's backend alone."""

import subprocess
import sys


def test_importing_the_figures_keeps_the_users_matplotlib_backend():
    code = (
        "import matplotlib; matplotlib.use('svg');"
        "import simulation.output.plots, simulation.output.fan, simulation.output.comparison,"
        " simulation.output.network;"
        "import sys; print(matplotlib.get_backend()); print('matplotlib.pyplot' in sys.modules)"
    )
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.split() == ["svg", "False"]
