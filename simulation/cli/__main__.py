"""``python -m simulation.cli``: the same as the ``interregnum`` console script."""

import sys

from simulation.cli import main

sys.exit(main())
