"""``--parameters`` and ``--posterior``: where an ensemble's runs take their parameters from.

``ensemble`` and ``compare`` draw each run's parameters from the posterior sample of
the fit the scenario uses, so that their spread carries the uncertainty of the
fit; ``--parameters point`` gives every run the point estimate, and ``--parameters
prior`` draws them from the fit's priors (the prior predictive: what the model can
do before the patterns narrow it). Left unsaid, a scenario without a posterior
sample runs on its point estimate with a note; asked for explicitly, a missing
sample is an error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from simulation.cli.common import user_path
from simulation.cli.scenario_args import parameters_set_by_flags

if TYPE_CHECKING:
    from simulation.experiments.posterior import ParameterChoice
    from simulation.scenario import Scenario

ENSEMBLE_HELP = (
    "posterior (default): each run draws its parameters from the ABC posterior "
    "sample, run i the same draw in every scenario; a parameter the scenario or an overlay "
    "gives another value than the fit, or any --set names, keeps that value in every run. point: "
    "every run uses the point estimate. prior: each run draws the fitted parameters "
    "uniformly from their priors (the prior predictive), kept ones aside as for the "
    "posterior. Without a posterior sample the point estimate is used, with a note"
)

RUN_HELP = (
    "point (default): the scenario's point estimate. posterior: the run draws its parameters "
    "from the ABC posterior sample by its seed, as the ensemble's run of that seed does; "
    "prior: from the fit's priors. A parameter the scenario or an overlay gives another "
    "value than the fit, or any --set names, keeps that value. With --ensemble-run the "
    "default is the ensemble's: the posterior if there is one"
)


def add_parameter_arguments(parser: argparse.ArgumentParser, help: str = ENSEMBLE_HELP) -> None:
    """Add ``--parameters {posterior,point,prior}`` and ``--posterior FILE`` to a command."""
    parser.add_argument(
        "--parameters", choices=("posterior", "point", "prior"), default=None, help=help
    )
    parser.add_argument(
        "--posterior",
        type=user_path,
        metavar="FILE",
        help="posterior sample to draw from (default: NAME-posterior.csv beside the fitted "
        "parameters the scenario's 'parameters_from:' names)",
    )


def note_parameters(note: str) -> None:
    """Say on stderr what the user did not ask for: the point standing in, another sample used."""
    if note:
        print(f"interregnum: note: {note}", file=sys.stderr)


def parameters_asked(
    args: argparse.Namespace, scenario: Scenario, asked: str | None = None
) -> ParameterChoice:
    """The parameters the command's runs take, as its flags say.

    ``asked`` overrides ``--parameters``; a parameter a ``--set`` flag names is kept in
    every run.

    Raises:
        DrawError: as :func:`simulation.experiments.posterior.choose_parameters`.
    """
    # Imported here: the posterior's draws load pandas, which --help need not pay for.
    from simulation.experiments.posterior import choose_parameters

    return choose_parameters(
        asked if asked is not None else args.parameters,
        scenario,
        args.scenario,
        args.posterior,
        parameters_set_by_flags(args),
    )
