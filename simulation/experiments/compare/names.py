"""The files a comparison writes beside its ensembles' directories, named once.

The command refuses a scenario named like one of them (its ensemble's directory would
stand where the file goes), and the folder checks know a comparison by its record.
Importing this module imports nothing heavy: the command line reads it at start-up.
"""

from simulation.output.formats import FORMATS

TABLE = "comparison.csv"
"""Every metric, with its paired difference and interval."""
RECORD = "comparison.json"
"""What was compared (its identity), the files written and the package versions."""
REPORT = "report.md"
"""The report in words, with the main table and the figure."""
FIGURE = "comparison"
"""The figure's name without its format's suffix."""
OWN_FILES = frozenset({TABLE, RECORD, REPORT, *(f"{FIGURE}.{form}" for form in FORMATS)})
"""Every name a comparison writes into its folder, whatever the figure's format."""
