"""Free runs in a loop, with numba's compiled functions named for ``perf``.

``perf`` names machine code that a process made at run time from ``/tmp/perf-PID.map``
(address, size, name a line). Numba loads the month's code from its on-disk cache as
object files, whose functions are not exported: without the map a profile shows bare
addresses for the compiled 40% of a run. The object files are caught as numba loads
them (a wrapper around ``CPUCodeLibrary._set_compiled_object``, a numba internal: this
is a profiling aid, not the model), their symbols read with ``nm`` and placed by the
one exported symbol's address in each. Functions numba copied into their callers count
under the caller's name.

    perf record -F 4000 -o /tmp/perf.data -- .venv/bin/python benchmarks/perf_map.py [--seconds 30]
    perf report -i /tmp/perf.data --no-children --sort dso,symbol
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time

from numba.core import codegen

_OBJECTS: dict[int, tuple[object, bytes]] = {}
_load = codegen.CPUCodeLibrary._set_compiled_object


def _keep_object(library, value):
    """Numba's own loading, after keeping the object file (the library drops it once linked)."""
    _OBJECTS[id(library)] = (library, value)
    return _load(library, value)


codegen.CPUCodeLibrary._set_compiled_object = _keep_object


def symbols(blob: bytes) -> list[tuple[int, int, str]]:
    """``(offset, size, name)`` of each function an object file defines, from ``nm``.

    Not its common symbols (``C``): numba's environments, whose value is an alignment.
    """
    with tempfile.NamedTemporaryFile(suffix=".o") as handle:
        handle.write(blob)
        handle.flush()
        listing = subprocess.run(
            ["nm", "-S", "--defined-only", handle.name], capture_output=True, text=True
        ).stdout
    found = []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "TtW":  # numba's functions are weak but one
            found.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    return found


def readable(name: str) -> str:
    """``simulation.mechanisms.alliances._row_balance`` from numba's mangled name."""
    match = re.match(r"(?:cpython\.|cfunc\.)?_ZN(.*?)B\d", name)
    if not match:
        return name[:80]
    rest, parts = match.group(1), []
    while rest and rest[0].isdigit():
        length = re.match(r"\d+", rest).group()
        start = len(length)
        parts.append(rest[start : start + int(length)])
        rest = rest[start + int(length) :]
    return ".".join(parts) or name[:80]


def write_map() -> int:
    """Write ``/tmp/perf-PID.map`` for every object file numba has loaded; the functions named."""
    entries = {}
    for library, blob in _OBJECTS.values():
        found = symbols(blob)
        base = None
        for offset, _, name in found:
            try:
                address = library.get_pointer_to_function(name)
            except Exception:  # a local symbol: numba cannot look it up
                continue
            if address:
                base = address - offset
                break
        if base is not None:
            entries.update({base + offset: (size, name) for offset, size, name in found})
    with open(f"/tmp/perf-{os.getpid()}.map", "w") as out:
        for address, (size, name) in sorted(entries.items()):
            out.write(f"{address:x} {size:x} {readable(name)}\n")
    return len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--scenario", default="scenarios/baseline_1922.yaml")
    args = parser.parse_args()
    from simulation.model import Mode, PartyModel
    from simulation.scenario import load_scenario

    scenario = load_scenario(args.scenario)

    def run(seed: int) -> None:
        model = PartyModel(scenario, seed=seed, mode=Mode.FREE)
        while model.running:
            model.step()

    for seed in range(30):  # load every compiled function a run calls
        run(seed)
    print(f"{write_map()} compiled functions named in /tmp/perf-{os.getpid()}.map")
    start, seed = time.perf_counter(), 30
    while time.perf_counter() - start < args.seconds:
        run(seed)
        seed += 1
    print(f"{seed - 30} runs")


if __name__ == "__main__":
    main()
