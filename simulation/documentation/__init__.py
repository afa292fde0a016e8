"""The documentation's generated pages, written by code from the project's sources of truth.

The parameter table comes from the registry and the committed calibration, the
scenario page from the baseline and its counterfactual overlays, the validation
page from the committed assessment. Nothing in them is written by hand, so they
cannot drift from what the model reads: ``python -m simulation.documentation``
rewrites them, and a test fails when a page on disk differs from what the
generator would write now. Generation reads files only; it runs no model.
"""

from simulation.documentation.pages import PAGES, generate, stale_files, write_pages

__all__ = ["PAGES", "generate", "stale_files", "write_pages"]
