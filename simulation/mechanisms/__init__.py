"""The model's mechanisms: each a small function of the state and the generator.

They take and return numpy arrays indexed by leader (``n``), organisation
(``m``) and post (``p``), so that each can be tested alone on a hand-made state
and the model's step stays a short sequence of vectorised calls.
"""
