"""Read YAML fast and safely, keeping the line of every key and list item.

Plan files and parameter files come from users, so reading them must never run code, never
expand without bound and never crash: the text goes through libyaml's C parser (PyYAML's
``CParser``) one event at a time, and this module builds plain Python data from the events with
an explicit stack. It refuses what a plan never needs and an attacker could use — anchors and
aliases (``&a``/``*a``, the "billion laughs"), tags other than YAML's own scalar and collection
tags (``!!python/object``, ``!!omap``, ``!custom``), merge keys, more than one document,
nesting deeper than ``MAX_DEPTH`` — each as a ``YAMLInputError`` with the line it is on.

Scalars resolve as in YAML 1.2 (what ruamel's round-trip mode did before): ``yes``/``no``/``on``
stay text, ``1e3`` is a number, ``0o17`` octal; timestamps stay as their text so a date field
is checked (and reported) by the model that reads it. Writing is ``openstp.yamldump``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.cyaml import CParser  # libyaml, which PyYAML wheels ship

MAX_DEPTH = 64  # a plan nests about six levels; hundreds is an attack or a mistake
MAX_NODES = 500_000  # every scalar, mapping and list; a real plan has a few thousand

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAGS = {None, "!", f"{_CORE}map"}
_SEQ_TAGS = {None, "!", f"{_CORE}seq"}


class YAMLInputError(ValueError):
    """Text that is not YAML this program accepts; ``line`` is 1-based (None if unknown)."""

    def __init__(self, message: str, line: int | None = None, syntax: bool = False):
        super().__init__(message)
        self.message = message
        self.line = line
        self.syntax = syntax  # True: the text is not YAML at all; False: YAML we refuse
        self.field: str | None = None  # the key path the line sits under, when known


class YAMLMap(dict):
    """A mapping that knows its own line and each key's line (1-based)."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class YAMLList(list):
    """A list that knows its own line and each item's line (1-based)."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema implicit tags (the regular expressions of ruamel's 1.2 resolver)."""


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("float", r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                   |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                   |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", "-+0123456789."),
    ("int", r"""^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+
                   |[-+]?0x[0-9a-fA-F_]+)$""", "-+0123456789"),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                   |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
                   (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
                   (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", "0123456789"),
):
    _Resolver.add_implicit_resolver(f"{_CORE}{_tag}", re.compile(_pattern, re.VERBOSE), list(_first))


class _Loader(CParser, _Resolver):
    """libyaml's parser with the 1.2 resolver; nothing is ever constructed by tag."""

    def __init__(self, text: str):
        CParser.__init__(self, text)
        _Resolver.__init__(self)


def _show(tag: str) -> str:
    """A tag as the user wrote it: ``!!python/tuple`` rather than its long form."""
    return tag.replace(_CORE, "!!", 1)


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    return float("nan") if value == ".nan" else float(value)


_MERGE = object()  # the merge key ``<<``, which only files allowed aliases may use
_BUILD = {"int": _int, "float": _float, "bool": lambda t: t.lower() == "true",
          "null": lambda t: None, "str": str, "timestamp": str}


def _scalar(loader: _Loader, event: Any) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        tag = (f"{_CORE}str" if tag == "!" or not event.implicit[0]
               else loader.resolve(yaml.ScalarNode, event.value, event.implicit))
    if tag == f"{_CORE}merge":
        return _MERGE
    if tag not in _SCALAR_TAGS:
        raise YAMLInputError(f"the tag {_show(event.tag)} is not allowed: plain values only",
                             _line(event.start_mark))
    kind = tag.removeprefix(_CORE)
    try:
        return _BUILD[kind](event.value)
    except ValueError:
        raise YAMLInputError(f"{event.value!r} is not a valid {kind}",
                             _line(event.start_mark)) from None


def load_yaml(text: str, *, aliases: bool = False) -> Any:
    """Plain data (``YAMLMap``, ``YAMLList``, str, int, float, bool, None) from one document.

    ``aliases`` lets ``*name`` repeat an ``&name`` value (the parameter tree shares reference
    lists that way); the repeated value is shared, not copied, and counts towards
    ``MAX_NODES`` as often as it is used, so nested aliases cannot blow up. Raises
    ``YAMLInputError`` (with the line) for malformed YAML and for anything refused.
    """
    try:
        return _load(text, aliases)
    except YAMLInputError as err:
        err.field = field_at(text, err.line) if err.line else None
        raise


def _load(text: str, aliases: bool) -> Any:
    loader = _Loader(text)
    try:
        return _Builder(loader, aliases).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "syntax error").strip().splitlines()[0]
        context = f" ({exc.context} that starts on line {exc.context_mark.line + 1})" if (
            exc.context and exc.problem and exc.context_mark is not None) else ""
        raise YAMLInputError(what + context, _line(mark), syntax=True) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if exc.position is not None else None
        raise YAMLInputError(f"{exc.reason} (character {exc.character!r})", line,
                             syntax=True) from None
    except yaml.YAMLError as exc:
        raise YAMLInputError(str(exc), syntax=True) from None
    finally:
        loader.dispose()


_NO_KEY = object()  # an open mapping waiting for its next key


class _Builder:
    """Plain data from parser events, with an explicit stack (no recursion, any depth)."""

    def __init__(self, loader: _Loader, aliases: bool):
        self.loader = loader
        self.aliases = aliases
        self.stack: list[YAMLMap | YAMLList] = []  # the open collections, outermost first
        self.keys: list[Any] = []  # per open collection: its key waiting for a value
        self.sizes: list[int] = []  # per open collection: values in it so far
        self.anchors: dict[str, tuple[Any, int]] = {}  # finished anchors: value and size
        self.opened: list[str | None] = []  # per open collection: its anchor
        self.merged: list[set] = []  # per open collection: keys it took from ``<<``
        self.nodes = 0  # values read, aliases counted at their full size
        self.root: Any = None

    def build(self) -> Any:
        documents = 0
        while self.loader.check_event():
            event = self.loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YAMLInputError("more than one YAML document (---): a file holds one",
                                         _line(event.start_mark))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.close()
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.NodeEvent):
                self.start(event)
        return self.root

    def count(self, size: int, event: Any) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise YAMLInputError(f"more than {MAX_NODES:,} values: too large to read",
                                 _line(event.start_mark))
        if self.sizes:
            self.sizes[-1] += size

    def start(self, event: Any) -> None:
        if event.anchor and not self.aliases:
            raise YAMLInputError("anchors and aliases (&name, *name) are not allowed: write "
                                 "each value out", _line(event.start_mark))
        self.count(1, event)
        value = _open(event, self.loader, self.stack, self.keys)
        if not isinstance(value, YAMLMap | YAMLList):
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.place(value, _line(event.start_mark))
            return
        if len(self.stack) >= MAX_DEPTH:
            raise YAMLInputError(f"nested more than {MAX_DEPTH} levels deep", value.line)
        self.stack.append(value)
        self.keys.append(_NO_KEY)
        self.sizes.append(1)
        self.opened.append(event.anchor)
        self.merged.append(set())

    def close(self) -> None:
        value = self.stack.pop()
        self.keys.pop()
        size = self.sizes.pop()
        anchor = self.opened.pop()
        self.merged.pop()
        if anchor:
            self.anchors[anchor] = (value, size)
        if self.sizes:
            self.sizes[-1] += size - 1  # the opening value was counted already
        self.place(value, value.line)

    def alias(self, event: Any) -> None:
        line = _line(event.start_mark)
        if not self.aliases:
            raise YAMLInputError("anchors and aliases (&name, *name) are not allowed: write "
                                 "each value out", line)
        if event.anchor not in self.anchors:
            where = "inside its own anchor" if event.anchor in self.opened else "before its anchor"
            raise YAMLInputError(f"the alias *{event.anchor} is used {where}", line)
        value, size = self.anchors[event.anchor]
        self.count(size, event)
        self.place(value, line)

    def place(self, value: Any, line: int | None) -> None:
        """Put ``value`` in the open collection (as a key, a key's value or an item), or make
        it the document's root when no collection is open."""
        if not self.stack:
            self.root = value
            return
        parent, keys = self.stack[-1], self.keys
        line = line or parent.line
        if isinstance(parent, YAMLList):
            parent.append(value)
            parent.item_lines.append(line)
        elif keys[-1] is _NO_KEY:
            self.key(parent, value, line)
        elif keys[-1] is _MERGE:
            self.merge(parent, value, line)
            keys[-1] = _NO_KEY
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY


    def key(self, parent: YAMLMap, key: Any, line: int) -> None:
        """A mapping's next key: plain, once (a key from ``<<`` may be set again)."""
        if key is _MERGE and not self.aliases:
            raise YAMLInputError("merge keys (<<) are not allowed: write the fields out", line)
        if isinstance(key, YAMLMap | YAMLList):
            raise YAMLInputError("keys are plain names, not mappings or lists", line)
        first = parent.key_lines.get(key) if key is not _MERGE else None
        if first is not None and key not in self.merged[-1]:
            raise YAMLInputError(f"duplicate key {key!r} (first on line {first}); each key may "
                                 "appear once", line, syntax=True)
        self.merged[-1].discard(key)
        if key is not _MERGE:
            parent.key_lines[key] = line
        self.keys[-1] = key

    def merge(self, parent: YAMLMap, value: Any, line: int) -> None:
        """``<<: *a`` or ``<<: [*a, *b]``: copy in the keys the mapping does not set itself."""
        sources = value if isinstance(value, YAMLList) else [value]
        for source in sources:
            if not isinstance(source, YAMLMap):
                raise YAMLInputError("<< takes a mapping or a list of mappings", line)
            for key, item in source.items():
                if key not in parent:
                    parent[key] = item
                    parent.key_lines[key] = line
                    self.merged[-1].add(key)


def _open(event: Any, loader: _Loader, stack: list, keys: list) -> Any:
    """The value an event starts: an empty collection, or a constructed scalar."""
    line = _line(event.start_mark) or 1
    collection = {yaml.MappingStartEvent: (YAMLMap, _MAP_TAGS, "mapping"),
                  yaml.SequenceStartEvent: (YAMLList, _SEQ_TAGS, "list")}.get(type(event))
    if collection is None:
        return _scalar(loader, event)
    kind, tags, word = collection
    if event.tag not in tags:
        raise YAMLInputError(f"the tag {_show(event.tag)} is not allowed: plain {word}s only",
                             line)
    if stack and isinstance(stack[-1], YAMLMap) and keys[-1] is _NO_KEY:
        raise YAMLInputError(f"a {word} cannot be a key: keys are plain names", line)
    return kind(line)


_KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#'"{}\[\],&*!|>%@`][^:#]*?))\s*:(?:\s|$)""")


def field_at(text: str, line: int) -> str | None:
    """The key path (``schemes[2].saving``) a line of block YAML sits under, read from the
    indentation alone, so a syntax error can still name its field."""
    path: list[tuple[int, str | int]] = []  # (indent, key or list index)
    items: dict[tuple[int, int], int] = {}  # (indent, depth) → list items seen so far
    for raw in text.splitlines()[:line]:
        body = raw.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(raw) - len(body)
        while path and path[-1][0] >= indent:
            path.pop()
        if body.startswith("- ") or body == "-":
            slot = (indent, len(path))
            items[slot] = items.get(slot, -1) + 1
            path.append((indent, items[slot]))
            body, indent = body[2:].lstrip(" "), indent + 2
        match = _KEY.match(body)
        if match:
            items = {k: v for k, v in items.items() if k[1] <= len(path)}
            path.append((indent, next(g for g in match.groups() if g is not None).strip()))
    if not path:
        return None
    text_path = ""
    for _, part in path:
        text_path += f"[{part}]" if isinstance(part, int) else (f".{part}" if text_path else part)
    return text_path
