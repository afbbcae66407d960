"""Where each value of a YAML document sits: a map from data path to 1-based line number.

A *path* is a tuple of mapping keys (``str``) and list indices (``int``), e.g.
``("schemes", 2, "saving", "2016/17")``. The loader records the line of every key and list item;
any later problem, from pydantic or from a semantic check, is placed by looking up its path (or
its nearest recorded ancestor) here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openstp.safeyaml import YAMLList, YAMLMap

DataPath = tuple[str | int, ...]
"""Keys and indices leading from the document root to one value."""


def render_path(path: Iterable[str | int]) -> str:
    """Spell a path as a dotted field name: ``("schemes", 2, "id")`` → ``schemes[2].id``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class SourceMap:
    """Lines (1-based) of every key and list item of one loaded YAML document."""

    file: str
    lines: dict[DataPath, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get(())


def to_plain(node: Any, source: SourceMap, path: DataPath = ()) -> Any:
    """Turn a tree read by ``openstp.safeyaml`` into plain dicts and lists, recording lines.

    Mapping keys become strings (a plan has no other kind of key); ``load_yaml`` bounds the
    depth, so the recursion here is bounded too.
    """
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            name = str(key)
            child = (*path, name)
            if isinstance(node, YAMLMap) and key in node.key_lines:
                source.lines[child] = node.key_lines[key]
            out[name] = to_plain(value, source, child)
        return out
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            if isinstance(node, YAMLList):
                source.lines[child] = node.item_lines[index]
            items.append(to_plain(value, source, child))
        return items
    return node


def locate(data: Any, loc: Sequence[str | int]) -> tuple[DataPath, list[str | int]]:
    """Follow a pydantic error location through ``data``.

    Returns the longest data path that exists, and the location parts that matched nothing
    (union member tags such as ``"str"``, the ``"[key]"`` marker, or a missing field's name).
    """
    path: list[str | int] = []
    rest: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            node = node[part]
            path.append(part)
        else:
            rest.append(part)
    return tuple(path), rest


def _has(node: Any, part: str | int) -> bool:
    """True if ``part`` is a key of mapping ``node`` or a valid index of list ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    if isinstance(node, list):
        return isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(node)
    return False
