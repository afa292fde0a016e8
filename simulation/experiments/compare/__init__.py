"""Paired comparisons of ensembles.

:mod:`.statistics` (metrics, the paired bootstrap, the comparison table),
:mod:`.report` (the main metrics in words, the Markdown report) and
:mod:`.comparison` (run or reuse the ensembles, compare them, write the files).
"""
