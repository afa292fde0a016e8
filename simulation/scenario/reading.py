"""Reading scenario files and their YAML within limits, keeping every value's line.

A scenario may come from anyone (a student's overlay, a file downloaded with a
paper), so reading it must neither hang nor exhaust the machine, and a mistake
must come back as a message, never a traceback. Hence:

- only a regular file of at most :data:`MAX_FILE_BYTES` is read (a FIFO or
  ``/dev/zero`` would block or never end), and it must be UTF-8;
- mappings nest at most :data:`MAX_DEPTH` deep (the parser recurses);
- aliases may expand the document to at most :data:`MAX_VALUES` values (a
  "billion laughs" file of 300 bytes would otherwise expand to gigabytes);
- a key written twice in one mapping is refused with both lines, where YAML
  would silently keep the last one;
- a value YAML recognises but cannot build (a date such as ``1924-02-30``, a
  ``!!float abc``, an integer of thousands of digits) is refused at its line and
  field, where PyYAML would raise a bare ``ValueError``.

The document is composed once into a node tree, which keeps the lines for
messages, and the data is constructed from that same tree.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from itertools import pairwise
from pathlib import Path as FilePath

import yaml

from simulation.scenario.messages import Path, ScenarioError, cut, format_path, quote

MAX_FILE_BYTES = 5_000_000
"""The largest scenario, overlay or parameters file read (the baseline is about 0.1 MB)."""

MAX_DEPTH = 50
"""The deepest nesting of mappings and lists (the baseline nests 5 deep)."""

MAX_VALUES = 100_000
"""The most values a document may hold, its aliases expanded (the baseline holds ~5,000)."""


def read_text(path: FilePath, what: str = "scenario file") -> str:
    """The text of a file, refused with one clear message unless it is a small UTF-8 file.

    The file is opened without blocking and checked before anything is read,
    so that a FIFO or a device never hangs the command.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        # The commands' defaults are relative paths: say where one was looked for.
        where = "" if FilePath(path).is_absolute() else f" under {FilePath.cwd()}"
        meant = nearest_path(FilePath(path))
        hint = f" (did you mean '{meant}'?)" if meant else ""
        raise ScenarioError([f"{path}: no such {what}{where}{hint}"]) from None
    except OSError as error:
        raise ScenarioError([f"{path}: cannot read {what}: {error.strerror}"]) from None
    try:
        raw = _read_regular(descriptor, path, what)
    finally:
        os.close(descriptor)
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError([f"{path}: a {what} may have at most {MAX_FILE_BYTES:,} bytes"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(
            [f"{path}:{line}: not UTF-8 text (byte {error.start}); save the {what} as UTF-8"]
        ) from None


def nearest_path(path: FilePath) -> FilePath | None:
    """The existing file ``path`` most likely meant, written as it was, or None.

    Each part that names nothing is replaced by the closest name in the folder
    reached so far (``scenarios/baseline_1922.yaml`` for ``scenario/baseline-1922.yaml``),
    so that a slip anywhere in a path, an overlay's ``extends:`` among them, is
    pointed out rather than only refused.
    """
    written = FilePath(path.anchor)
    reached = written if path.anchor else FilePath.cwd()
    parts = path.parts[1:] if path.anchor else path.parts
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if not (reached / part).exists():
            try:
                names = [
                    entry.name
                    for entry in reached.iterdir()
                    if not entry.name.startswith(".")
                    and (entry.is_file() if last else entry.is_dir())
                ]
            except OSError:
                return None
            close = difflib.get_close_matches(part, names, n=1)
            if not close:
                return None
            part = close[0]
        reached, written = reached / part, written / part
    return written if reached.is_file() and written != path else None


def _read_regular(descriptor: int, path: FilePath, what: str) -> bytes:
    """At most one byte over the limit from an open file, if it is a small regular file."""
    status = os.fstat(descriptor)
    if stat.S_ISDIR(status.st_mode):
        raise ScenarioError([f"{path}: is a directory, expected a {what}"])
    if not stat.S_ISREG(status.st_mode):
        raise ScenarioError([f"{path}: not a regular file, expected a {what}"])
    if status.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            [f"{path}: {status.st_size:,} bytes; a {what} may have at most {MAX_FILE_BYTES:,}"]
        )
    try:
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ScenarioError([f"{path}: cannot read {what}: {error.strerror}"]) from None


class _Refusal(Exception):
    """A limit or rule of :class:`_BoundedLoader` broken at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, composing within :data:`MAX_DEPTH` and refusing duplicate keys."""

    depth = 0

    def __init__(self, stream):
        super().__init__(stream)
        self.unbuilt: list[tuple[yaml.Node, str]] = []
        """The nodes YAML could not build a value of, with why."""

    def compose_node(self, parent, index):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            line = self.peek_event().start_mark.line + 1
            raise _Refusal(line, f"nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        first_line: dict[tuple[str, str], int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            line, identity = key.start_mark.line + 1, (key.tag, key.value)
            if identity in first_line:
                raise _Refusal(
                    line,
                    f"duplicate key {quote(key.value)} (first written at line "
                    f"{first_line[identity]}, again at line {line}): write it once",
                )
            first_line[identity] = line
        if node.flow_style:
            _refuse_decimal_commas(node)
        return node

    def construct_object(self, node, deep=False):
        """Build a value; one YAML cannot build is noted and read as its text, to go on.

        Its text stands as its value, so that an alias of it is not built (and noted) again,
        and the bookkeeping PyYAML leaves undone on an error is done here.
        """
        deep_before = self.deep_construct
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as error:
            self.deep_construct = deep_before
            self.recursive_objects.pop(node, None)
            self.constructed_objects[node] = str(node.value)
            kind = node.tag.rsplit(":", 1)[-1]
            what = _KINDS.get(kind, f"a {kind}")
            # PyYAML's own slips (a NoneType without groupdict) say nothing to a reader.
            why = str(error) if isinstance(error, (ValueError, OverflowError)) else "not one"
            problem = f"cannot read {quote(node.value)} as {what}: {cut(why, 80)}"
            self.unbuilt.append((node, problem))
            return str(node.value)


_INT, _NUMBERS = "tag:yaml.org,2002:int", {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def _refuse_decimal_commas(node: yaml.MappingNode) -> None:
    """Refuse ``{x: 0,4}``, which YAML reads as ``x: 0`` and a key ``4`` with no value.

    A decimal comma is how much of Europe writes a number; the key it leaves behind
    would otherwise be reported as an unknown field or path ``4``, which says nothing.
    """
    for (_, number), (key, value) in pairwise(node.value):
        if (
            isinstance(number, yaml.ScalarNode)
            and number.tag in _NUMBERS
            and number.style is None
            and isinstance(key, yaml.ScalarNode)
            and key.tag == _INT
            and key.style is None
            and isinstance(value, yaml.ScalarNode)
            and value.value == ""
        ):
            written = f"{number.value},{key.value}"
            raise _Refusal(
                key.start_mark.line + 1,
                f"{quote(written)} reads as the number {number.value} and a key {key.value}: "
                f"write a number with a point ({number.value}.{key.value}); "
                "a comma separates the entries of {...}",
            )


_KINDS = {"int": "an integer", "float": "a number", "timestamp": "a date", "bool": "true or false"}
"""YAML's scalar tags in a reader's words."""


# YAML 1.1, which PyYAML follows, reads 1e-3 and 5e-1 as text: its floats need a dot and a
# signed exponent. Numbers written so (as YAML 1.2, Python and a spreadsheet write them)
# are read as numbers, not refused as "not a number" when they plainly are one.
_BoundedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once aliases are expanded (shared nodes counted once)."""
    sizes: dict[int, int] = {}
    # Post-order without recursion: a node's size needs its children's first.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done:
            sizes[id(node)] = min(MAX_VALUES + 1, 1 + sum(sizes[id(c)] for c in children))
        else:
            stack.append((node, True))
            stack += [(child, False) for child in children if id(child) not in sizes]
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_yaml(text: str, origin: str, what: str = "scenario fields") -> tuple[dict, yaml.Node]:
    """Parse YAML into data and the node tree that keeps its line numbers.

    Args:
        text: the YAML.
        origin: the file name used in messages.
        what: what the top-level mapping holds, for the message if it is not one.

    Raises:
        ScenarioError: for invalid YAML, a duplicate key, a document over the
            limits, or one that is not a mapping.
    """
    data, root = read_value(text, origin)
    if not isinstance(data, dict):
        raise ScenarioError([f"{origin}:1: (top level): expected a mapping of {what}"])
    return data, root


def read_value(text: str, origin: str) -> tuple[object, yaml.Node | None]:
    """Parse one YAML value (a document, or a value given on the command line) within limits.

    Returns:
        The value (None for an empty text) and its node tree.

    Raises:
        ScenarioError: for invalid YAML, a duplicate key, or a document over the limits.
    """
    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else "a byte"
        reason = f"{character} is a control character, not allowed in YAML"
        raise ScenarioError([f"{origin}:{line}: invalid YAML: {reason}"]) from None
    try:
        root = loader.get_single_node()
        if root is not None and _expanded_size(root) > MAX_VALUES:
            raise _Refusal(1, f"more than {MAX_VALUES:,} values once aliases are expanded")
        data = loader.construct_document(root) if root is not None else None
    except _Refusal as refusal:
        raise ScenarioError([f"{origin}:{refusal.line}: {refusal.message}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        raise ScenarioError(
            [f"{origin}:{line}: invalid YAML: {cut(reason, 120)}{_hint(reason)}"]
        ) from None
    finally:
        loader.dispose()
    if loader.unbuilt:
        raise ScenarioError([_unbuilt(origin, root, *unbuilt) for unbuilt in loader.unbuilt])
    return data, root


def _hint(reason: str) -> str:
    """What a historian most likely got wrong, after PyYAML's words for it."""
    if "'\\t'" in reason or "\t" in reason:
        return " (indent with spaces, not tabs)"
    if "expected <block end>" in reason:
        return " (check this line's indentation against the lines above it)"
    if "mapping values are not allowed" in reason:
        return " (quote a value that holds ': ', or check this line's indentation)"
    return ""


def _unbuilt(origin: str, root: yaml.Node, node: yaml.Node, problem: str) -> str:
    """``FILE:LINE: field.path: problem`` for a value YAML could not build."""
    field = _path_to(root, node)
    return (
        f"{origin}:{node.start_mark.line + 1}: "
        + (f"{format_path(field)}: " if field else "")
        + problem
    )


def _path_to(root: yaml.Node, target: yaml.Node) -> Path:
    """The field path of ``target`` in the tree under ``root`` (empty if not found)."""
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:  # an alias shares its anchor's node
            continue
        seen.add(id(node))
        # Children pushed last first, so that the first written is searched first: an
        # anchor's node is found where the anchor is, not at a later alias.
        if isinstance(node, yaml.MappingNode):
            stack += reversed([(value, (*path, key.value)) for key, value in node.value])
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed([(child, (*path, index)) for index, child in enumerate(node.value)])
    return ()


def line_of(node: yaml.Node | None, path: Path) -> int:
    """The 1-based line of the deepest node along ``path`` that exists in the file."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
