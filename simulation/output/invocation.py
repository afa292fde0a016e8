"""The command being run, remembered for the records it writes.

Apart from the writing of outputs so that the command line can record it cheaply:
``--help``, ``validate`` and ``diff`` import no numerical library, and this module
imports only the standard library.
"""

from __future__ import annotations

import os
import shlex

_INVOCATION: dict[str, str] = {}
"""The command line being run and its working folder (:func:`record_invocation`)."""


def record_invocation(arguments: list[str]) -> None:
    """Remember the command being run, for every record it writes."""
    _INVOCATION.update(
        command_line=shlex.join(["interregnum", *arguments]), working_directory=os.getcwd()
    )


def invocation() -> dict[str, str]:
    """``command_line`` and ``working_directory``, once a command has been run; else empty.

    Empty for a record written from Python (a notebook, the dashboard), whose command
    line would be the interpreter's.
    """
    return dict(_INVOCATION)
