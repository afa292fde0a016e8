"""``interregnum ensemble``: many seeded runs of a scenario, in parallel, resumable."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulation.cli.common import (
    add_executor_arguments,
    add_mode_argument,
    count_problems,
    fail,
    note_capped_workers,
    out_problems,
    report_problems,
    summary,
    unusable_out,
    user_path,
)
from simulation.cli.figure_args import add_figure_arguments, figure_choices
from simulation.cli.parameter_args import add_parameter_arguments, note_parameters, parameters_asked
from simulation.cli.scenario_args import add_scenario_arguments, load_from_args
from simulation.scenario import ScenarioError

if TYPE_CHECKING:  # the module itself is imported when the command runs (see handle)
    from simulation.experiments.ensemble import Ensemble
    from simulation.experiments.posterior import ParameterChoice


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``ensemble`` subcommand."""
    parser = commands.add_parser(
        "ensemble",
        help="simulate many seeded runs of a scenario and write their outcomes as Parquet",
        description="Simulate runs 0..N-1 of a scenario (run i seeded from child i of "
        "numpy.random.SeedSequence(SEED), so run i has the same seed in every scenario), on "
        "local processes or a Dask cluster. Each finished chunk of runs is written at once "
        "under OUT/parts/; at the end they are consolidated into summary.parquet, "
        "tenures.parquet, events.parquet, votes.parquet, parameters.parquet (each run's "
        "parameters) and quantiles.parquet, with "
        "manifest.json, fan.png (each main contender's median power share with the "
        "middle 50% and 90% of runs) and paths.csv (the order in which the factions came "
        "forward and the period's Politburo members were condemned, and who ended dominant: "
        "how often each path was taken, history's marked). Each run draws its parameters "
        "from the posterior sample of the scenario's fit, by its seed (--parameters point: "
        "the point estimate). "
        "An interrupted ensemble continues with --resume.",
    )
    add_scenario_arguments(parser)
    parser.add_argument("--runs", type=int, required=True, metavar="N", help="number of runs")
    add_executor_arguments(parser)
    add_mode_argument(parser)
    parser.add_argument(
        "--seed", type=int, default=1, help="root seed of the runs' seeds (default 1)"
    )
    add_parameter_arguments(parser)
    parser.add_argument(
        "--out",
        type=user_path,
        default=None,
        help="output directory (default: outputs/<scenario name>-ensemble)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the runs already in --out (same scenario, seed, runs, mode, parameters "
        "and posterior sample) and simulate only the missing ones",
    )
    parser.add_argument(
        "--keep-trajectories",
        action="store_true",
        help="also write every run's monthly influence, apparatus and power (trajectories.parquet)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="C",
        help="runs per task (default: about four tasks per worker, at most 50)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_figure_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Load, simulate the ensemble, consolidate, plot; report what was done."""
    with contextlib.ExitStack() as folder:  # --out stays held until all is read from it
        return _handle(args, folder)


def _handle(args: argparse.Namespace, folder: contextlib.ExitStack) -> int:
    # Imported here: the model (numba, mesa), the plots and pyabc take ~2.5 s to import,
    # which --help, validate and diff should not pay (see the cli package docstring).
    from simulation.experiments.compare.statistics import identical_runs
    from simulation.experiments.ensemble import (
        Ensemble,
        EnsembleError,
        make_executor,
        read_table,
        run_ensemble,
    )
    from simulation.experiments.ensemble.store import held, is_complete, record_files, size_text
    from simulation.experiments.outcomes import dominant_text
    from simulation.experiments.parameter_draws import DrawError
    from simulation.experiments.paths import history_lines, path_table, read_run_paths
    from simulation.model import Mode
    from simulation.output.fan import plot_fan
    from simulation.output.files import write_text
    from simulation.output.style import figure_name, remove_other_formats

    counts = count_problems(args, runs=1, workers=1, chunk_size=1)  # with the scenario's
    early = counts + out_problems(args, "ensemble")  # a bad --out alone is told below
    try:
        scenario, overrides = load_from_args(args)
    except ScenarioError as error:
        return report_problems(ScenarioError([*error.problems, *early]))
    choices, problems = figure_choices(args, scenario)
    if problems or counts:
        return report_problems(ScenarioError(problems + early))
    out_dir = args.out or Path("outputs") / f"{scenario.name}-ensemble"
    if (problem := unusable_out(out_dir, command="ensemble")) is not None:
        return fail(problem)
    try:
        choice = parameters_asked(args, scenario)
    except DrawError as error:
        return fail(str(error))
    note_parameters(choice.note)
    try:
        ensemble = Ensemble(
            scenario,
            runs=args.runs,
            seed=args.seed,
            mode=Mode(args.mode),
            keep_trajectories=args.keep_trajectories,
            scenario_file=str(args.scenario),
            overrides=tuple(overrides),
            parameters=choice.draws,
            parameters_note=choice.note,
        )
        folder.enter_context(held(out_dir, f"--out {out_dir}"))
        # The same ensemble, finished, is reused: its runs would come out identical, and
        # starting afresh deleted them first, for good if the new start was cut short.
        reused = not args.resume and is_complete(out_dir, ensemble)
        resume = args.resume or reused
        if resume and not args.keep_trajectories and _kept_before(out_dir):
            ensemble = dataclasses.replace(ensemble, keep_trajectories=True)
        if args.chunk_size is not None and args.chunk_size < 1:
            raise EnsembleError(f"--chunk-size must be at least 1, got {args.chunk_size}")
        executor = make_executor(workers=args.workers, scheduler=args.scheduler)
        note_capped_workers(args.workers, executor.workers)
        if resume and args.keep_trajectories:
            _note_runs_without_trajectories(out_dir, ensemble)
        progress = not args.quiet and sys.stderr.isatty()
        report = run_ensemble(
            ensemble,
            out_dir,
            executor,
            resume=resume,
            progress=progress,
            chunk_size=args.chunk_size,
        )
        plot_path = out_dir / figure_name("fan", choices.format)
        quantiles = read_table(out_dir, "quantiles")
        plot_fan(
            quantiles,
            scenario,
            plot_path,
            runs=args.runs,
            leaders=choices.leaders,
            mode=Mode(args.mode),
        )
        remove_other_formats(plot_path)
        paths = path_table(read_run_paths(out_dir, scenario), scenario)
        write_text(out_dir / "paths.csv", paths.to_csv(index=False, float_format="%.4f"))
        record_files(out_dir, [plot_path.name, "paths.csv"])
    except EnsembleError as error:
        return fail(str(error), status=error.status)
    except OSError as error:
        return fail(f"cannot write to {out_dir}: {error.strerror or error}", status=1)
    mode = scenario.mode_label(args.mode)
    print(f"{mode}: {summary(scenario)}; {args.runs} runs, root seed {args.seed}")
    print(f"parameters: {_parameters_line(choice)}")
    if reused and not report.simulated:
        print(f"reused: {out_dir} held this ensemble, finished (remove it to start afresh)")
    elif report.already_done:
        print(f"resumed: {report.already_done} runs were already done")
    rate = f" ({report.runs_per_second:.0f} runs/s)" if report.simulated else ""
    print(
        f"simulated {report.simulated} runs in {report.simulating:.1f} s{rate}, "
        f"{report.seconds:.1f} s with the tables; {report.executor}"
    )
    outcomes = read_table(out_dir, "summary")
    dominant = outcomes["dominant"].value_counts(normalize=True)
    shares = ", ".join(
        f"{dominant_text(leader)} {share:.0%}" for leader, share in dominant.head(4).items()
    )
    print(f"dominant at {scenario.end}: {shares}")
    for line in history_lines(paths, scenario):
        print(line)
    if identical_runs(outcomes):
        print(
            f"every one of the {args.runs} runs gave the same outcomes (dominant leader, power "
            "shares, removals, votes): their spread is zero because nothing varied between "
            "runs, not because the estimate is precise"
        )
    # The parts are most of the disk an ensemble takes (3.2 GB of 3.6 at 100,000 runs, by an
    # audit's count).
    parts = sum(path.stat().st_size for path in (out_dir / "parts").iterdir())
    print(f"wrote {len(report.files) + 2} files and parts/ ({size_text(parts)}) to {out_dir}/")
    return 0


def _parameters_line(choice: ParameterChoice) -> str:
    """What the runs' parameters were, for the summary printed at the end."""
    if choice.draws is None:
        return "the point estimate in every run"
    kept = f"; kept as set: {', '.join(choice.draws.kept)}" if choice.draws.kept else ""
    if choice.draws.kind == "prior":
        return f"each run drawn from the priors of the fit (the prior predictive){kept}"
    return f"each run drawn from the posterior {choice.draws.path}{kept}"


def _kept_before(out_dir: Path) -> bool:
    """Whether the ensemble being resumed kept its trajectories; said if so.

    Resumed without ``--keep-trajectories``, it would lose them at its consolidation:
    ``--resume`` goes on with what is there, so it keeps them, and says so.
    """
    from simulation.experiments.ensemble.store import read_manifest

    kept = bool((read_manifest(out_dir) or {}).get("keep_trajectories"))
    if kept:
        print(
            f"interregnum: note: {out_dir} keeps every run's trajectories: resumed with "
            "--keep-trajectories, so as not to lose them",
            file=sys.stderr,
        )
    return kept


def _note_runs_without_trajectories(out_dir: Path, ensemble: Ensemble) -> None:
    """Say before simulating that ``--resume --keep-trajectories`` simulates kept runs again.

    Runs simulated without their trajectories have none to keep: each is simulated
    again, and until that is done the ensemble in ``out_dir`` is unfinished. Counted
    from the chunks' records, after the folder is known to hold this ensemble (a
    refusal comes first, with no note).
    """
    from simulation.experiments.ensemble.parts import runs_lacking
    from simulation.experiments.ensemble.store import check_directory

    check_directory(out_dir, ensemble, resume=True)
    redone = runs_lacking(out_dir / "parts", "trajectories", ensemble.key())
    if redone:
        print(
            f"interregnum: note: {redone} runs in {out_dir} were simulated without "
            "--keep-trajectories; each is simulated again to keep its trajectories, and "
            "until that is done the ensemble there is unfinished (score refuses it; "
            "--resume again finishes it)",
            file=sys.stderr,
        )
