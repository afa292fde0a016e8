"""``python -m simulation.documentation``: rewrite the generated pages of docs/.

With ``--check``, write nothing and exit with status 1 if a page is stale.
Bad input (a missing or invalid source file) is reported in one line per
problem with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulation.documentation.pages import REGENERATE, stale_files, write_pages
from simulation.documentation.sources import SourceError

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the generated pages; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m simulation.documentation",
        description="Rewrite docs/parameters.md, docs/scenario.md and docs/validation.md "
        "(with its figure) from the parameter registry, the committed calibration and "
        "assessment, the baseline scenario and its counterfactual overlays.",
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="the repository's root (default: .)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page is stale"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = stale_files(args.root)
            for path in stale:
                print(f"{path} is stale: run '{REGENERATE}' to regenerate it", file=sys.stderr)
            return 1 if stale else 0
        for path in write_pages(args.root):
            print(f"wrote {path}")
    except SourceError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
