"""Shared fixtures: a small hand-made scenario and a fixed seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numba import njit

from simulation.model.random_source import GeneratorRef
from simulation.scenario import load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline_1922.yaml"
SEED = 7

SMALL_SCENARIO = """\
name: small
start: 1922-04
end: 1923-03
leaders:
  - {id: lenin, name: Lenin, influence: 0.9, posts: [politburo, sovnarkom_chair],
     stance: {economic: 0.2, regime: 0.8}, health: 0.8, source: test}
  - {id: stalin, name: Stalin, influence: 0.5, apparatus: 0.2, posts: [politburo],
     stance: {economic: 0.3, regime: 1.0}, source: test}
  - {id: trotsky, name: Trotsky, influence: 0.7, apparatus: 0.1,
     posts: [politburo, war_commissar], stance: {economic: -0.6, regime: -0.8}, source: test}
  - {id: zinoviev, name: Zinoviev, influence: 0.6, posts: [politburo, leningrad_party_head],
     stance: {economic: 0.2, regime: 0.9}, source: test}
posts:
  politburo: {name: Politburo member, prestige: 0.2, unique: false, source: test}
  sovnarkom_chair: {name: Chairman of Sovnarkom, prestige: 0.3, source: test}
  general_secretary: {name: General Secretary, patronage: 0.9, prestige: 0.15,
                      appoints_in: all, source: test}
  war_commissar: {name: War Commissar, patronage: 0.6, prestige: 0.15,
                  appoints_in: [red_army], source: test}
  leningrad_party_head: {name: Head of the Leningrad party, patronage: 0.8, prestige: 0.08,
                         appoints_in: [leningrad], source: test}
organisations:
  - {id: leningrad, name: Leningrad, members: 50000, functionaries: 9000,
     head_post: leningrad_party_head, protection: 0.7, loyalty: {zinoviev: 0.6},
     recruitment_weight: 1.6, source: test}
  - {id: red_army, name: Red Army, members: 50000, functionaries: 5000,
     head_post: war_commissar, protection: 0.5, loyalty: {trotsky: 0.45}, source: test}
  - {id: provinces, name: Provinces, members: 200000, functionaries: 20000, source: test}
factions:
  - {id: troika, name: Troika, members: [stalin, zinoviev], source: test}
events:
  - {id: congress-11, date: 1922-04, type: congress, kind: exogenous, delegates: 500,
     description: Congress sits., source: test}
  - {id: stalin-gs, date: 1922-04, type: appointment, kind: decision, who: stalin,
     post: general_secretary, description: Stalin made General Secretary., source: test}
  - {id: lenin-stroke, date: 1922-05, type: incapacitation, kind: exogenous, who: lenin,
     health: 0.2, label: Stroke, description: Lenin falls ill., source: test}
  - {id: troika-formed, date: 1922-06, type: faction_formed, kind: decision, faction: troika,
     description: Troika forms., source: test}
  - {id: trotsky-away, date: 1922-07, type: absence, kind: exogenous, who: trotsky,
     health: 0.3, months: 3, description: Trotsky away., source: test}
  - {id: enrolment, date: 1922-08, type: membership_intake, kind: exogenous,
     members_per_month: 10000, months: 2, description: Recruits., source: test}
  - {id: conference, date: 1922-09, type: conference, kind: exogenous, delegates: 120,
     description: Conference sits., source: test}
  - {id: condemn, date: 1922-09, type: condemnation, kind: decision, who: [stalin, zinoviev],
     target: trotsky, arena: conference, influence: {trotsky: -0.1}, label: Condemned,
     description: Trotsky condemned., source: test}
  - {id: purge-leningrad, date: 1922-11, type: purge, kind: decision, organisation: leningrad,
     beneficiary: stalin, target: zinoviev, functionaries: 7000,
     description: Leningrad purged., source: test}
  - {id: lenin-death, date: 1923-01, type: death, kind: exogenous, who: lenin,
     description: Lenin dies., source: test}
  - {id: trotsky-out, date: 1923-02, type: removal, kind: decision, who: trotsky,
     post: war_commissar, by: [stalin], arena: politburo, description: Trotsky removed.,
     source: test}
"""


@pytest.fixture
def small_scenario():
    return parse_scenario(SMALL_SCENARIO, "small.yaml")


@pytest.fixture(scope="session")
def baseline():
    return load_scenario(BASELINE)


@njit
def _generator_ref(rng):
    return GeneratorRef(rng)


def generator_ref(rng: np.random.Generator) -> GeneratorRef:
    """A generator held for compiled code, as a model's state holds its own."""
    return _generator_ref(rng)
