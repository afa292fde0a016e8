"""The scenario arguments the simulating commands share (:mod:`.scenario_args`).

The commands themselves are in :mod:`simulation.cli`; this module joins them there.
"""
