"""Keep numba's on-disk cache of compiled mechanisms in step with their sources; call it fast.

The monthly mechanisms are compiled with ``cache=True`` so that a process
loads machine code instead of compiling for a quarter of a minute. Numba keys
that cache by the file defining each function only: after an edit to a
mechanism, :func:`simulation.model.month.advance_month`, which inlines it, would
load a stale copy from disk and silently run the old mechanism; after a parameter
is added to the registry, every kernel would read the old positions. So the
package records a digest of the sources compiled code is made from next to the
cache and, when the digest changes, removes the cached machine code before
anything loads it.
The cache is where numba keeps it: under ``NUMBA_CACHE_DIR`` when that is set (a
cluster's shared cache, a trial's own), else beside the sources, else (a read-only
installation) in the user's cache folder.

A model calls its month through :func:`entry_point`, without the per-call
typing of numba's dispatcher.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numba
from numba.core import caching

from simulation.model.code_version import PACKAGE, sources_digest

MARKER = "numba-sources.sha256"
_LOCATORS = caching.CacheImpl._locator_classes
"""numba's cache locators, in the order it tries them for a function's source file."""


class NoMachineCodeCache(RuntimeError):
    """Nowhere numba can keep the compiled model: it would refuse to compile it at all."""


def cache_directory(source_directory: Path) -> Path | None:
    """Where numba keeps the machine code compiled from the sources in ``source_directory``.

    The first place numba's own locators can write, in numba's order: a subdirectory of
    ``NUMBA_CACHE_DIR`` when that is set, else ``__pycache__`` beside the sources, else
    (a read-only installation) a subdirectory of the user's cache folder. ``None`` when
    none can be written. A digest kept anywhere else would not see the stale code kept
    there: a read-only installation once ran an upgrade's sources on the old machine code.
    """
    source = next(source_directory.glob("*.py"), source_directory / "__init__.py")
    for locator_class in _LOCATORS:
        locator = locator_class.from_function(cache_directory, str(source))
        if locator is not None:
            return Path(locator.get_cache_path())
    return None


_IMPORT = re.compile(rb"^from ([\w.]+) import", re.MULTILINE)
"""A module-level ``from X import``: one inside a function or under ``if TYPE_CHECKING``
is indented."""


def compiled_sources(package: Path) -> set[Path]:
    """The sources compiled code is made from: those naming ``njit``, and what they import.

    numba bakes into the machine code the values of the globals a function reads, and
    checks only the file defining it before loading its cache (its documentation's "Cache
    limitations"). Compiled code reads the parameters by their positions in the packed
    array, which the registry's order makes (:mod:`simulation.model.parameters`): a
    parameter inserted there, where nothing compiles, would leave every cached kernel
    reading its neighbour's value. So the package's modules that compiling sources import
    at module level count too, and theirs in turn.
    """
    found = {source for source in package.rglob("*.py") if b"njit" in source.read_bytes()}
    waiting = list(found)
    while waiting:
        for name in _IMPORT.findall(waiting.pop().read_bytes()):
            root, *parts = name.decode().split(".")
            if root != package.name:
                continue
            module = package.joinpath(*parts)
            for source in (module.with_suffix(".py"), module / "__init__.py"):
                if source.is_file() and source not in found:
                    found.add(source)
                    waiting.append(source)
    return found


def compiled_sources_digest(package: Path) -> str:
    """SHA-256 over the package's sources compiled code is made from (:func:`compiled_sources`)."""
    return sources_digest(package, sorted(compiled_sources(package)))


def drop_stale_machine_code(package: Path = PACKAGE) -> bool:
    """Remove the package's numba cache files if its sources changed; say whether it did.

    Raises:
        NoMachineCodeCache: numba can keep machine code nowhere (a read-only installation
            and a home folder that cannot be written): it refuses to compile.
    """
    cache = cache_directory(package)
    if cache is None:
        raise NoMachineCodeCache(
            f"numba cannot keep the compiled model anywhere: neither {package / '__pycache__'} "
            "nor the user's cache folder can be written; set NUMBA_CACHE_DIR to a folder you "
            "can write (NUMBA_CACHE_DIR=/tmp/numba-cache, say)"
        )
    marker = cache / MARKER
    digest = compiled_sources_digest(package)
    try:
        if marker.exists() and marker.read_text() == digest:
            return False
        for directory in {source.parent for source in package.rglob("*.py")}:
            for cached in (cache_directory(directory) or cache).glob("*.nb[ic]"):
                cached.unlink(missing_ok=True)
        marker.parent.mkdir(parents=True, exist_ok=True)
        temporary = marker.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(digest)
        temporary.replace(marker)
    except OSError:
        return False
    return True


@functools.cache
def check_machine_code() -> bool:
    """Drop stale machine code once per process; say whether it did (see the module docstring)."""
    return drop_stale_machine_code()


def machine_code_cached(month: str = "simulate_month", cache: Path | None = None) -> bool:
    """Whether ``month`` is compiled on disk for this Python, so a run starts at once.

    ``month`` is the month function a run calls (:mod:`simulation.model.month`):
    ``simulate_month`` where the leaders decide, ``replay_month`` where history is
    replayed. ``cache`` defaults to where numba keeps it (:func:`cache_directory`).
    """
    cache = cache_directory(PACKAGE / "model") if cache is None else cache
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return cache is not None and any(cache.glob(f"month.{month}-*.{python}.nbi"))


_ENTRY_POINTS: dict[tuple, Callable] = {}


def entry_point(
    dispatcher: numba.core.dispatcher.Dispatcher, state: object, *args: object
) -> Callable:
    """The machine code ``dispatcher`` runs for a model ``state`` and arguments like ``args``.

    A dispatcher types each argument at every call; the model state, a numba
    StructRef, is typed in Python, about 0.9 µs a call, as much as a quiet
    month's mechanisms take. A model looks its month's machine code up once
    (compiling or loading it if need be) and calls it directly. Its other
    arguments must keep the types of ``args`` whatever the state's type (the
    month index and flag, the calendar's read-only int64 arrays): the code
    is looked up by the state's type only, since typing an array in Python
    costs more than the calls it saves. The state's type is the one its proxy
    carries (``_numba_type_``, what ``numba.typeof`` returns for it): asking
    ``numba.typeof`` costs 2 µs a call, as much as the call looked up.
    """
    key = (dispatcher, state._numba_type_)
    found = _ENTRY_POINTS.get(key)
    if found is None:
        signature = (key[1], *(numba.typeof(arg) for arg in args))
        found = _ENTRY_POINTS[key] = dispatcher.compile(signature)
    return found


def machine_code(
    model: object, dispatcher: numba.core.dispatcher.Dispatcher, *args: object
) -> Callable:
    """The machine code ``dispatcher`` runs for ``model``'s state, kept by its run plan.

    Every run of a plan gathers a state of one type, so the first run's
    :func:`entry_point` serves them all (:attr:`.state.RunPlan.actions`): looking it
    up by the state's type cost 3-4 µs a call in runs, more than some actions.
    """
    found = model.plan.actions.get(dispatcher)
    if found is None:
        found = model.plan.actions[dispatcher] = entry_point(dispatcher, model.state, *args)
    return found
