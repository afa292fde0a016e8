"""The model's mechanisms: each a small function of the state and the generator.

They take and return numpy arrays indexed by leader (``n``), organisation
(``m``) and post (``p``), so that each can be tested alone on a hand-made
state. Those that run every month are compiled with numba (``cache=True``, so
a machine compiles them once) and called together by
:func:`simulation.model.month.advance_month`.
"""
