"""Read a YAML file and remember the line of every value, so errors can point at it."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A path into the data: ("applicant", "categories", 2, "test"). Parts are mapping keys (mostly str;
# int for keys like 2016, whatever YAML resolves a scalar key to) and list indexes.
Loc = tuple[Hashable, ...]


@dataclass(frozen=True)
class Problem:
    """One defect in the knowledge, located as precisely as the YAML allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has defects; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class YamlFile:
    path: Path
    label: str  # the path shown to maintainers, relative to the knowledge folder's parent
    data: object
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.label, self.line_of(loc), dotted(loc), message)


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _resolve_scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = loc + (key,)
            _index_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, loc + (i,), lines)


def _resolve_scalar(node: yaml.ScalarNode) -> Hashable:
    # Keys like 2016 are ints in the data: resolve them the same way the loader does.
    key: Hashable = _SCALARS.construct_object(node)
    return key


_SCALARS = yaml.SafeLoader("")


def read_yaml(path: Path, label: str) -> YamlFile:
    """Parse ``path``; a syntax error becomes a KnowledgeError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError([Problem(label, None, "", f"cannot read: {exc}")]) from None
    # Parse once (with libyaml where present) and build the data from the same node tree
    # whose marks give the line numbers.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError([Problem(label, line, "", f"YAML syntax error: {reason}")]) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return YamlFile(path, label, data, lines)
