"""``interregnum run``: simulate one run of a scenario and write its tables and plot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulation.cli.common import (
    count_problems,
    fail,
    out_problems,
    report_problems,
    summary,
    unusable_out,
    user_path,
)
from simulation.cli.figure_args import add_figure_arguments, figure_choices
from simulation.cli.parameter_args import (
    RUN_HELP,
    add_parameter_arguments,
    note_parameters,
    parameters_asked,
)
from simulation.cli.scenario_args import add_scenario_arguments, load_from_args
from simulation.output.records import RecordError, read_record
from simulation.scenario import ScenarioError, scenario_hash

if TYPE_CHECKING:
    from simulation.experiments.posterior import ParameterChoice
    from simulation.scenario import Scenario


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    parser = commands.add_parser(
        "run",
        help="simulate one run of a scenario and write its tables and plot",
        description="Simulate one run of a scenario month by month and write trajectories.csv, "
        "posts.csv, tenures.csv, events.csv, votes.csv, alliances.csv, factions.csv, "
        "membership.csv, loyalty.csv, manifest.json, influence.png (influence and power of "
        "the main leaders, with the run's events), network.png (the alliance network at a "
        "few turning points) and network.gif (the network month by month) to the output directory.",
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--mode",
        choices=["replay", "free"],
        default=None,
        help="replay: force every historical decision of the scenario on its date (default; "
        "free with --ensemble-run, as for ensemble); free: apply only exogenous events and a "
        "counterfactual's interventions, and let the leaders' decisions emerge",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the model's generator (default 1); with --ensemble-run, the ensemble's "
        "root seed",
    )
    parser.add_argument(
        "--ensemble-run",
        type=int,
        metavar="I",
        help="simulate run I of 'interregnum ensemble' given the same scenario, changes, "
        "--seed, --mode and --parameters: its seed and its parameter draw, with the tables "
        "and figures of a single run (run I is the row of that number in the ensemble's "
        "tables and paths)",
    )
    add_parameter_arguments(parser, RUN_HELP)
    parser.add_argument(
        "--out",
        type=user_path,
        default=None,
        help="output directory (default: outputs/<scenario name>)",
    )
    parser.add_argument("--no-plot", action="store_true", help="skip the figures")
    add_figure_arguments(parser, network=True)
    parser.set_defaults(handler=handle, mode_of=mode_of)


def handle(args: argparse.Namespace) -> int:
    """Load, simulate, write; nothing is written unless the run completed."""
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from simulation.experiments.inheritance import inheritance_line
    from simulation.experiments.parameter_draws import DrawError
    from simulation.experiments.paths import path_line
    from simulation.experiments.runs import run_model
    from simulation.experiments.seeds import run_seed
    from simulation.model import Mode
    from simulation.output.files import (
        RUN_FILES,
        OutputError,
        check_replaceable,
        manifest,
        write_run,
    )
    from simulation.output.network import (
        animate_network,
        network_history,
        plot_network,
        turning_points,
    )
    from simulation.output.plots import plot_influence
    from simulation.output.style import figure_name

    # Named with the scenario's problems, in one attempt; a bad --out alone is told below.
    flags = count_problems(args, ensemble_run=0)
    early = flags + out_problems(args, "run")
    try:
        scenario, overrides = load_from_args(args)
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *early]))
    choices, problems = figure_choices(args, scenario)
    if problems or flags:
        return report_problems(ScenarioError(problems + early))
    out_dir = args.out or Path("outputs") / scenario.name
    if (problem := unusable_out(out_dir, command="run")) is not None:
        return fail(problem)
    member = args.ensemble_run
    # A branch decides from its month whatever --mode says: its manifest says so (free, from).
    mode = "free" if scenario.free_from is not None else mode_of(args)
    # A single run takes the point estimate unless told otherwise; an ensemble's run
    # takes what the ensemble's runs take (the posterior if the scenario has one).
    asked = args.parameters or ("point" if member is None and args.posterior is None else None)
    seed = args.seed if member is None else run_seed(args.seed, member)
    try:
        choice = parameters_asked(args, scenario, asked)
        check_replaceable(out_dir, RUN_FILES)
    except (DrawError, OutputError) as error:
        return fail(str(error))
    note_parameters(choice.note)
    run = member or 0
    drawn = choice.draws.scenario_for(scenario, seed, run) if choice.draws else scenario
    model = run_model(drawn, seed, Mode(mode), run)
    result = model.recorder.result()
    parameters = parameters_record(choice, drawn, args.seed, member)
    run_manifest = manifest(
        result, str(args.scenario), scenario_hash(scenario), overrides, parameters
    )

    # Which run a figure shows: a replay and a free run of one scenario look alike.
    label = scenario.mode_label(mode)
    which = f"{label} mode" if label == "free" else label
    which += f", seed {seed}" if member is None else f", run {member} of root seed {args.seed}"

    def figures(directory: Path) -> list[str]:
        if args.no_plot:
            return []
        influence = figure_name("influence", choices.format)
        plot_influence(
            result["trajectories"],
            scenario,
            directory / influence,
            events=result["events"],
            leaders=choices.leaders,
            title=f"{scenario.name} ({which}): influence and power of the main leaders",
        )
        history = network_history(
            result["alliances"],
            result["trajectories"],
            result["factions"],
            scenario,
            choices.leaders,
        )
        network = figure_name("network", choices.format)
        months = choices.network_months or turning_points(history)
        title = f"{scenario.name} ({which}): the alliance network"
        plot_network(history, scenario, months, directory / network, title)
        animate_network(history, scenario, directory / "network.gif", title)
        return [influence, network, "network.gif"]

    replaced = _replaced_variant(out_dir, run_manifest)
    try:
        written = write_run(result, out_dir, run_manifest, figures)
    except OutputError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"cannot write to {out_dir}: {error.strerror or error}", status=1)
    final = result["trajectories"]
    final = final[final["date"] == str(scenario.end)].nlargest(3, "power")
    leaders = ", ".join(f"{row.leader} {row.power:.2f}" for row in final.itertuples())
    of = "" if member is None else f" (run {member} of the ensemble of root seed {args.seed})"
    print(f"{label}: {summary(scenario)}; seed {seed}{of}")
    inherited = inheritance_line(model)
    if inherited:
        print(inherited)
    print(f"power share at {scenario.end}: {leaders}")
    print(path_line(model))
    print(f"wrote {len(written)} files to {out_dir}/")
    if replaced:
        print(
            f"note: {out_dir}/ held another run ({replaced}), now replaced; --out keeps runs apart",
            file=sys.stderr,
        )
    return 0


_RUN_SETTINGS = ("scenario_sha256", "mode", "free_from", "seed", "parameters", "posterior_sha256")
"""What makes two runs of one scenario different runs: its changes, and how it was run."""


def _replaced_variant(out_dir: Path, manifest: dict) -> str | None:
    """What the other run in ``out_dir``, which this run replaces, was; None if the same.

    Runs of one scenario with other flags (changes, mode, seed, parameters) go to the same
    default directory: a user comparing two by hand would otherwise find the first gone.
    """
    try:
        earlier = read_record(out_dir / "manifest.json")
    except RecordError:
        return None
    if "scenario_sha256" not in earlier:
        return None
    if all(earlier.get(key) == manifest.get(key) for key in _RUN_SETTINGS):
        return None
    changes = ", ".join(earlier.get("overrides") or []) or "no changes"
    how = [f"{earlier.get('mode')} mode", f"seed {earlier.get('seed')}"]
    if earlier.get("free_from"):
        how[0] = f"free from {earlier['free_from']}"
    return f"{changes}; {', '.join(how)}, {earlier.get('parameters')} parameters"


def mode_of(args: argparse.Namespace) -> str:
    """The run's mode: ``--mode``, else replay, or free for an ensemble's run (as ``ensemble``)."""
    return args.mode or ("replay" if args.ensemble_run is None else "free")


def parameters_record(
    choice: ParameterChoice, drawn: Scenario, root: int, member: int | None
) -> dict:
    """The manifest's account of the run's parameters and, for an ensemble's run, whose it is.

    Every run records the values it took, drawn or the point's after any ``--set``: they
    can be read, and a drawn run rerun with ``--set``, without the scenario's defaults, the
    fit or the sample they came from.
    """
    from simulation.experiments.parameter_draws import parameters_fields

    record = parameters_fields(choice.draws, choice.note)
    record["parameter_values"] = drawn.parameters.model_dump()
    if member is not None:
        record.update(ensemble_run=member, ensemble_seed=root)
    return record
