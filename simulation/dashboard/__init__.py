"""The classroom dashboard: watch a run month by month, change it, compare it with history.

:mod:`.settings` turns the controls (scenario, mode, seed, parameters, dropped events)
into a scenario; :mod:`.views` draws what a run shows at its current month (trajectories,
the alliance network, offices, the chronicle, the last votes); :mod:`.comparison` runs a
small paired ensemble of the settings against the baseline; :mod:`.app` lays them out as
a Solara app, which ``interregnum dashboard`` serves (:mod:`.server`).
"""
