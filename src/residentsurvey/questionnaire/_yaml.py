"""Reading YAML with line numbers: every value keeps the line it came from, so errors can say where.

``yaml.compose`` gives nodes with marks; :func:`parse_located` turns them into plain Python
values and a map from key path to line. :class:`Source` wraps both and builds
:class:`~residentsurvey.QuestionnaireError` messages of the form
``core-v2.yaml:41 modules[0].questions[3].codes: code 9 used twice``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import yaml

from ..errors import QuestionnaireError

Path = tuple[object, ...]


def format_path(path: Path) -> str:
    """``("modules", 0, "questions")`` -> ``"modules[0].questions"``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


@dataclass(frozen=True)
class Source:
    """A parsed document: its values, the line of every path, and the raw text of plain scalars."""

    name: str
    value: object
    lines: dict[Path, int] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """Line (1-based) of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def error(self, path: Path, message: str) -> QuestionnaireError:
        """A :class:`QuestionnaireError` located at ``path``: ``file:line path: message``."""
        return QuestionnaireError(f"{self.name}:{self.line(path)} {format_path(path)}: {message}")


class _Walker:
    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name, self.loader = name, loader
        self.lines: dict[Path, int] = {}
        self.raw: dict[Path, str] = {}
        self.active: set[int] = set()

    def fail(self, node: yaml.Node, path: Path, message: str) -> QuestionnaireError:
        return QuestionnaireError(f"{self.name}:{node.start_mark.line + 1} {format_path(path)}: {message}")

    def walk(self, node: yaml.Node, path: Path) -> object:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.active:
            raise self.fail(node, path, "an alias refers to a node that contains it; YAML anchors must not be recursive.")
        if isinstance(node, yaml.ScalarNode):
            if node.style is None:
                self.raw[path] = node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
                raise self.fail(node, path, f"cannot read the value {node.value!r} ({error}).") from error
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            raise self.fail(node, path, f"unsupported YAML node {type(node).__name__}.")
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[object, object]:
        try:
            self.loader.flatten_mapping(node)
        except yaml.YAMLError as error:
            raise self.fail(node, path, f"cannot merge keys here ({error}).") from error
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "keys must be plain values (text or numbers), not lists or mappings.")
            key = self.walk(key_node, (*path, "<key>"))
            if not isinstance(key, Hashable) or isinstance(key, float):
                raise self.fail(key_node, path, f"key {key!r} must be text or a whole number.")
            if key in out:
                what = f"code {key}" if isinstance(key, int) and not isinstance(key, bool) else f"key {key!r}"
                raise self.fail(key_node, (*path, key), f"{what} used twice.")
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.walk(value_node, (*path, key))
        self.lines.pop((*path, "<key>"), None)
        self.raw.pop((*path, "<key>"), None)
        return out


def parse_located(text: str, name: str) -> Source:
    """Parse YAML ``text`` (from file ``name``) into a :class:`Source` with line numbers.

    Raises
    ------
    QuestionnaireError
        For YAML syntax errors, recursive aliases, duplicate keys or unreadable values,
        with the file and line.
    """
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:
        raise QuestionnaireError(f"{name}: is not valid YAML: {error}.") from error
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise QuestionnaireError(f"{name}:{line} is not valid YAML: {error.problem or error}.") from error
        except yaml.YAMLError as error:
            raise QuestionnaireError(f"{name}: is not valid YAML: {error}.") from error
        if node is None:
            raise QuestionnaireError(f"{name}:1 is empty; a questionnaire file needs at least id, version and modules.")
        walker = _Walker(name, loader)
        try:
            value = walker.walk(node, ())
        except RecursionError as error:
            raise QuestionnaireError(f"{name}: nesting is too deep to be a questionnaire.") from error
        return Source(name, value, walker.lines, walker.raw)
    finally:
        loader.dispose()
