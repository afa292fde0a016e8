"""``parameters_from``: a scenario taking its parameters from another file, such as a fit.

Values written in the scenario itself win, so a scenario can use fitted
parameters and still pin one of them. A bad value read from the parameters
file is reported at that file's own line, since that is where it must be fixed.
"""

from __future__ import annotations

from pathlib import Path as FilePath

from simulation.scenario.draft import Draft, FileSource, claim
from simulation.scenario.messages import ScenarioError
from simulation.scenario.reading import line_of, read_text, read_yaml


def draft_with_parameter_file(data: dict, source: FileSource, base_dir: FilePath | None) -> Draft:
    """A draft of a plain scenario (no ``extends``), its ``parameters_from`` file merged in.

    Args:
        data: the scenario as read from YAML; it is not changed.
        source: the scenario file, for messages.
        base_dir: where a relative ``parameters_from`` path starts.
    """
    if "parameters_from" not in data:
        return Draft(data, source)
    data = dict(data)
    reference = data.pop("parameters_from")
    here = f"{source.name}:{line_of(source.root, ('parameters_from',))}: parameters_from"
    if not isinstance(reference, str) or not reference.strip():
        raise ScenarioError([f"{here}: expected a file path"])
    path = (base_dir or FilePath.cwd()) / reference
    try:
        text = read_text(path, "parameters file")
    except ScenarioError as error:
        raise ScenarioError([f"{here}: {problem}" for problem in error.problems]) from None
    loaded, root = read_yaml(text, str(path), "parameters")
    fitted = loaded.get("parameters")
    if not isinstance(fitted, dict):
        where = line_of(root, ("parameters",))
        raise ScenarioError([f"{path}:{where}: parameters: expected a mapping of parameter values"])
    inline = data.get("parameters") or {}
    if not isinstance(inline, dict):
        return Draft(data, source)
    draft = Draft({**data, "parameters": {**fitted, **inline}}, source)
    fitted_source = FileSource(str(path), root)
    for name in fitted:
        if name not in inline:
            key = ("parameters", name)
            claim(draft.places, key, (fitted_source, key))
    return draft
