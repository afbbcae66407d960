"""Read and write plan files (YAML), keeping the line of every key for error messages.

Reading goes YAML text → ``openstp.safeyaml`` (libyaml's parser; no tags, anchors or aliases,
bounded depth and size; the line of every key) → plain data plus a ``SourceMap`` → ``Plan``.
Dates are left as strings for pydantic to check, so an impossible date such as 2017-02-30 is
reported against its field rather than as broken YAML. Writing goes through libyaml's emitter.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from openstp.errors import InputFileError, PlanError, Problem
from openstp.io import write_text_atomic
from openstp.plan.messages import problems_from_validation
from openstp.plan.model import Plan
from openstp.plan.sourcemap import SourceMap, to_plain
from openstp.safeyaml import YAMLInputError, load_yaml
from openstp.yamldump import FlowList, FlowMap, Literal, dump_yaml

_ALWAYS_WRITTEN = ("footprint", "footprint_set", "name", "base_year", "horizon")
_MAX_EXACT_INT = 2**53  # floats beyond this are not written as integers
_WIDTH = 120  # characters per line in written YAML (a five-year saving fits on one)
_FLOW_DEPTH = 2  # mappings of numbers this deep (e.g. a scheme's saving) are written inline


def parse_plan_text(text: str, source: str = "<string>") -> tuple[Plan, SourceMap]:
    """Parse plan YAML ``text``; ``source`` names it in problems.

    Raises ``InputFileError`` for text that is not YAML and ``PlanError`` for YAML that is not
    a valid plan; every problem carries a line and, where there is one, a field path.
    """
    smap = SourceMap(file=source, lines={(): 1})
    data = _parse_yaml(text, smap)
    if data is None:
        raise PlanError(
            [Problem(source, "the file is empty: a plan needs at least footprint and name", 1)]
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value {data!r}"
        raise PlanError(
            [Problem(source, f"a plan must be a mapping of fields (footprint: …), got {kind}", 1)]
        )
    try:
        plan = Plan.model_validate(data)
    except ValidationError as err:
        raise PlanError(problems_from_validation(err, data, smap, Plan)) from None
    return plan, smap


def load_plan_with_map(path: str | os.PathLike[str]) -> tuple[Plan, SourceMap]:
    """Load a plan file and the line map that ``validate_plan`` uses to place problems."""
    return parse_plan_text(_read_text(path), str(path))


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Load and schema-check a plan file; raises ``InputFileError`` or ``PlanError``."""
    return load_plan_with_map(path)[0]


def plan_to_yaml_str(plan: Plan) -> str:
    """The plan as readable YAML: defaults left out, integers without '.0', multi-line text as |."""
    return dump_yaml(plan_to_data(plan), _WIDTH)


def dump_plan(plan: Plan, path: str | os.PathLike[str]) -> None:
    """Write ``plan`` to ``path`` as YAML, atomically (no half-written file on failure)."""
    write_text_atomic(path, plan_to_yaml_str(plan))


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """Plain data for writing: fields at their defaults are dropped, except the key header."""
    data = plan.model_dump(mode="python", exclude_defaults=True)
    for name in _ALWAYS_WRITTEN:
        data.setdefault(name, getattr(plan, name))
    return {name: _for_yaml(data[name], 1) for name in Plan.model_fields if name in data}


def _for_yaml(value: Any, depth: int = 0) -> Any:
    """Plain YAML-ready values; small leaf mappings and lists of scalars go on one line."""
    if isinstance(value, dict):
        flow = depth >= _FLOW_DEPTH and value and all(_is_number(v) for v in value.values())
        return (FlowMap if flow else dict)(
            (_for_yaml(k), _for_yaml(v, depth + 1)) for k, v in value.items())
    if isinstance(value, list):
        flow = value and all(isinstance(v, str) for v in value)
        return (FlowList if flow else list)(_for_yaml(v, depth + 1) for v in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value.is_integer() and abs(value) < _MAX_EXACT_INT:
        return int(value)
    if isinstance(value, str) and "\n" in value and _literal_safe(value):
        return Literal(value)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _literal_safe(text: str) -> bool:
    """Block style keeps text exactly only if no line has leading/trailing blanks."""
    lines = text.split("\n")
    return all(line == line.strip() for line in lines) and bool(lines[0])


MAX_PLAN_BYTES = 5_000_000
"""A plan file is YAML text of a few tens of kilobytes; five megabytes is far beyond any."""


def _read_text(path: str | os.PathLike[str]) -> str:
    file = Path(path)
    try:
        if file.exists() and not file.is_file() and not file.is_dir():
            raise InputFileError([Problem(str(path), "is not a regular file (a pipe or a "
                                          "device?): give the path of a plan file")])
        if file.is_file() and file.stat().st_size > MAX_PLAN_BYTES:
            raise InputFileError([Problem(str(path), f"is {file.stat().st_size:,} bytes: a plan "
                                          f"file may be at most {MAX_PLAN_BYTES:,}")])
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError([Problem(str(path), "plan file not found")]) from None
    except IsADirectoryError:
        raise InputFileError([Problem(str(path), "is a folder, not a plan file")]) from None
    except UnicodeDecodeError as err:
        raise InputFileError(
            [Problem(str(path), f"not UTF-8 text ({err.reason}); save the plan as UTF-8")]
        ) from None
    except OSError as err:
        raise InputFileError([Problem(str(path), f"cannot read: {err.strerror}")]) from None


def _parse_yaml(text: str, smap: SourceMap) -> Any:
    try:
        tree = load_yaml(text)
    except YAMLInputError as err:
        message = f"not valid YAML: {err.message}" if err.syntax else err.message
        raise InputFileError([Problem(smap.file, message, err.line, err.field)]) from None
    return to_plain(tree, smap)
