"""What the dashboard's controls choose, and the scenario they make.

The controls make the same changes as the command line's ``--set parameters.NAME=VALUE``
and ``--drop-event ID``, through the same overlay code, so that a setting seen in class
can be repeated with ``interregnum run``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from simulation.scenario import Scenario, apply_changes, load_scenario
from simulation.scenario.parameters import Parameters

SCENARIOS = Path("scenarios")
BASELINE = SCENARIOS / "baseline_1922.yaml"


@dataclass(frozen=True)
class FreeParameter:
    """A parameter the calibration fits, shown as a slider with its registry's range."""

    name: str
    description: str
    low: float
    high: float
    default: float

    def step(self) -> float:
        """A slider step: a power of ten giving at least a hundred steps over the range."""
        return 10.0 ** math.floor(math.log10((self.high - self.low) / 100))


def free_parameters() -> list[FreeParameter]:
    """The parameters with a calibration prior, in the registry's order, over their ranges."""
    # Imported here: the registry brings numpy, which the command line's start need not load.
    from simulation.model import parameters as registry

    ranges = registry.parameter_ranges()
    return [
        FreeParameter(
            name,
            registry.describe(name) or name,
            *ranges[name],
            Parameters.model_fields[name].default,
        )
        for name in registry.free_parameters()
    ]


def scenario_files(directory: Path = SCENARIOS) -> list[Path]:
    """The baseline first, then every overlay under ``scenarios/counterfactuals``."""
    overlays = sorted((directory / "counterfactuals").glob("*.yaml"))
    return [directory / BASELINE.name, *overlays]


@dataclass(frozen=True)
class Settings:
    """The dashboard's controls.

    Attributes:
        scenario_file: the baseline or an overlay.
        mode: ``replay`` or ``free`` (:class:`simulation.model.Mode`).
        seed: seed of the model's generator.
        parameters: parameter values that differ from the scenario's, by name.
        dropped: ids of the scenario's events to remove.
        free_from: a month ``YYYY-MM`` to branch from history (replay before it, the
            leaders decide from it), as ``--free-from`` does; ``None`` for none.
    """

    scenario_file: Path = BASELINE
    mode: str = "replay"
    seed: int = 1
    parameters: dict[str, float] = field(default_factory=dict)
    dropped: frozenset[str] = frozenset()
    free_from: str | None = None

    def changes(self) -> tuple[list[dict], list[str]]:
        """The overlay changes these settings make, and the command-line flags they equal."""
        changes: list[dict] = [
            {"set": {f"parameters.{name}": float(value)}}
            for name, value in sorted(self.parameters.items())
        ]
        changes += [{"drop_event": event_id} for event_id in sorted(self.dropped)]
        flags = [
            f"--set parameters.{name}={value}" for name, value in sorted(self.parameters.items())
        ]
        flags += [f"--drop-event {event_id}" for event_id in sorted(self.dropped)]
        if self.free_from is not None:  # after every other change, as --free-from applies
            changes.append({"set": {"free_from": self.free_from}})
            flags.append(f"--free-from {self.free_from}")
        return changes, flags

    def mode_words(self) -> str:
        """The mode in words: a branch is replayed before its month whatever the mode."""
        if self.free_from is None:
            return f"{self.mode} mode"
        return f"history replayed until {self.free_from}, the leaders deciding from it"

    def command(self) -> str:
        """The ``interregnum run`` command that repeats this run.

        A branch's command gives no ``--mode``: ``--free-from`` sets it, as
        ``interregnum run --help`` says, and the toggle's choice would only mislead.
        """
        _, flags = self.changes()
        mode = [f"--mode {self.mode}"] if self.free_from is None else []
        return " ".join(
            ["interregnum run", str(self.scenario_file), *mode, f"--seed {self.seed}", *flags]
        )


def build_scenario(settings: Settings) -> Scenario:
    """Load the chosen scenario and apply the settings' changes.

    Raises:
        ScenarioError: the file or a change is invalid (one line per problem).
    """
    scenario = load_scenario(settings.scenario_file)
    changes, flags = settings.changes()
    if changes:
        scenario = apply_changes(scenario, changes, flags)
    return scenario


def branch_months(scenario: Scenario) -> list[str]:
    """The months a run may branch from history at: every month of the period but the first."""
    count = scenario.end.ordinal - scenario.start.ordinal
    return [str(scenario.start.plus(k)) for k in range(1, count + 1)]


def key_events(scenario: Scenario) -> list[tuple[str, str, str]]:
    """``(id, date, label)`` of the events the scenario labels: those a user may drop."""
    return [(event.id, str(event.date), event.label) for event in scenario.events if event.label]
