"""The file formats of the figures, apart so that the command line can offer them cheaply.

Importing this module imports neither matplotlib nor the model, which ``--help``
should not wait for.
"""

FORMATS = ("png", "svg", "pdf")
"""The formats of the figures (``--format``); animations are GIF whatever this says."""
