"""How many bootstrap resamples a comparison draws by default, and at most.

Apart from :mod:`.statistics`, which imports scipy and pandas (0.7 s): the command
line reads these for ``compare --help`` at start-up.
"""

RESAMPLES = 2000
"""Bootstrap resamples by default."""
MAX_RESAMPLES = 100_000
"""The most resamples a comparison takes: their means are kept, 0.8 MB a metric a scenario
at the most; an interval at 95% is settled long before (Efron & Tibshirani 1993, ch. 13)."""
