"""Diagnostics of a fit: the posterior marginals and the tolerance by generation."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.output.files import write_atomically  # noqa: E402


def plot_diagnostics(
    posterior: pd.DataFrame,
    populations: pd.DataFrame,
    priors: dict[str, tuple[float, float]],
    chosen: dict[str, float],
    learnt: pd.DataFrame,
    path: Path,
) -> None:
    """Draw the fit's diagnostics.

    One panel per fitted parameter (weighted histogram over its prior range,
    the chosen value marked, its posterior contraction from ``learnt`` in the
    title, starred when beyond sampling noise: the table
    :func:`simulation.experiments.contraction.contraction` makes) and a last
    panel with the ABC tolerance of each generation.
    """
    names = list(priors)
    learnt = learnt.set_index("parameter")
    columns = 4
    rows = int(np.ceil((len(names) + 1) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 2.8 * rows))
    axes = axes.ravel()
    for axis, name in zip(axes, names, strict=False):
        low, high = priors[name]
        axis.hist(
            posterior[name],
            bins=12,
            range=(low, high),
            weights=posterior["weight"],
            color="tab:blue",
            alpha=0.7,
        )
        axis.axvline(chosen[name], color="tab:red", linewidth=1.5, label="chosen")
        axis.set_xlim(low, high)
        shrunk = learnt.loc[name]
        star = "*" if shrunk["narrowed"] else ""
        axis.set_title(f"{name} (contraction {shrunk['contraction']:.2f}{star})", fontsize=9)
        axis.set_ylabel("posterior weight", fontsize=8)
    done = populations[populations["t"] >= 0]
    last = axes[len(names)]
    last.plot(done["t"], done["epsilon"], marker="o")
    last.set_xlabel("generation")
    last.set_ylabel("tolerance (distance)")
    last.set_title("ABC tolerance", fontsize=9)
    for axis in axes[len(names) + 1 :]:
        axis.axis("off")
    axes[0].legend(fontsize=8)
    figure.suptitle(
        "Posterior of the fitted parameters (red: the point kept; *: narrowed beyond noise)"
    )
    figure.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title above the top row
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=100))
    plt.close(figure)
