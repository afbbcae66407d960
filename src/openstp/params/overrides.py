"""Overrides: ``--set path=value`` options and override files shaped like the parameter tree.

An override file may nest keys (``gap: {growth: {non_demographic: {acute: 0.02}}}``) or use dotted
keys (``gap.growth.non_demographic.acute: 0.02``), or mix them. A leaf override is a number, a
``{year: number}`` mapping (merged into a series), or a mapping with ``value``/``values`` and
optionally ``unit`` (which must equal the parameter's unit), ``low``, ``high``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from openstp.errors import ParameterError, Problem, problem
from openstp.params.model import (
    Parameter,
    check_bounds,
    key_line,
    node_line,
    read_shape,
)
from openstp.params.units import is_fy
from openstp.params.yamlio import PATH_RE

SET_SOURCE = "--set"
OVERRIDE_KEYS = frozenset({"value", "values", "unit", "low", "high"})


def parse_set_option(text: str) -> tuple[str, float]:
    """Split ``"gap.growth.non_demographic.acute=0.02"`` into ``(path, 0.02)``.

    Raises ``ParameterError`` when the option is not ``dotted.path=number``.
    """
    if not isinstance(text, str) or "=" not in text:
        raise ParameterError(
            [
                problem(
                    SET_SOURCE,
                    f"{text!r} is not of the form path=number, "
                    "e.g. gap.growth.non_demographic.acute=0.02",
                )
            ]
        )
    raw_path, raw_value = (part.strip() for part in text.split("=", 1))
    if not PATH_RE.fullmatch(raw_path):
        raise ParameterError(
            [
                problem(
                    SET_SOURCE,
                    f"{raw_path!r} is not a parameter path "
                    "(dotted names of letters, digits and underscores)",
                    field=raw_path or None,
                )
            ]
        )
    try:
        number = float(raw_value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ParameterError(
            [problem(SET_SOURCE, f"{raw_value!r} is not a finite number", field=raw_path)]
        )
    return raw_path, number


def suggest(path: str, known: Iterable[str]) -> str:
    """A ' Did you mean …?' hint for an unknown path, or an empty string."""
    known = list(known)
    close = difflib.get_close_matches(path, known, n=3, cutoff=0.6)
    if not close:
        tail = path.rsplit(".", 1)[-1]
        close = [k for k in known if k.rsplit(".", 1)[-1] == tail][:3]
    return f" Did you mean {', '.join(close)}?" if close else ""


def flatten(
    node: Any,
    file: str,
    known: Mapping[str, Parameter],
    problems: list[Problem],
    prefix: str = "",
    line: int | None = None,
) -> list[tuple[str, Any, int | None]]:
    """Leaf overrides in a nested/dotted mapping as ``(path, raw, line)``, reporting bad paths."""
    if prefix in known:
        return [(prefix, node, line)]
    if not isinstance(node, Mapping):
        children = sorted(k for k in known if k.startswith(prefix + "."))
        hint = f"; it contains e.g. {', '.join(children[:3])}" if children else ""
        problems.append(
            problem(file, f"{prefix} is a group of parameters, not a parameter{hint}", line, prefix)
        )
        return []
    found: list[tuple[str, Any, int | None]] = []
    for key, child in node.items():
        child_line = key_line(node, key) or line
        if not isinstance(key, str):
            problems.append(problem(file, f"{key!r} is not a parameter name", child_line, str(key)))
            continue
        parts = key.split(".")
        path = prefix
        value = child
        for i, part in enumerate(parts):
            path = f"{path}.{part}" if path else part
            if path in known and i < len(parts) - 1:
                value = _nest(parts[i + 1 :], child)
                break
        if path not in known and not any(k.startswith(path + ".") for k in known):
            problems.append(
                problem(file, f"unknown parameter {path}.{suggest(path, known)}", child_line, path)
            )
            continue
        found.extend(flatten(value, file, known, problems, path, child_line))
    return found


def _nest(parts: list[str], value: Any) -> Any:
    for part in reversed(parts):
        value = {part: value}
    return value


def _years_shape(param: Parameter, shape: Mapping[str, float]) -> dict[str, float]:
    merged = dict(param.values or {})
    merged.update(shape)
    return dict(sorted(merged.items()))


def apply_one(
    param: Parameter, raw: Any, file: str, line: int | None, problems: list[Problem]
) -> Parameter | None:
    """The parameter with ``raw`` applied, or None after reporting what is wrong with ``raw``."""
    start = len(problems)
    changes: dict[str, Any] = {}
    fields: Mapping[str, Any]
    if isinstance(raw, Mapping) and raw and all(is_fy(k) for k in raw):
        fields = {"values": raw}
    elif isinstance(raw, Mapping):
        fields = raw
        for key in sorted(set(raw) - OVERRIDE_KEYS, key=str):
            problems.append(
                problem(
                    file,
                    f"unknown override field {key!r} for {param.path} "
                    f"(allowed: a number, {{year: number}}, or "
                    f"{', '.join(sorted(OVERRIDE_KEYS))})",
                    key_line(raw, key) or line,
                    f"{param.path}.{key}",
                )
            )
        if "unit" in raw and raw["unit"] != param.unit:
            problems.append(
                problem(
                    file,
                    f"unit {raw['unit']!r} does not match {param.path}, which is in {param.unit}",
                    key_line(raw, "unit") or line,
                    f"{param.path}.unit",
                )
            )
    else:
        fields = {"value": raw}
    for name in ("value", "values", "low", "high"):
        if name not in fields:
            continue
        where = key_line(fields, name) if isinstance(fields, Mapping) and fields is raw else line
        where = where or line
        shape = read_shape(fields[name], file, where, f"{param.path}.{name}", problems)
        if shape is None:
            continue
        if name == "values" and not param.is_series:
            problems.append(
                problem(
                    file,
                    f"{param.path} is a scalar; give a number, not numbers by year",
                    where,
                    param.path,
                )
            )
            continue
        check_bounds(
            param.path,
            shape,
            param.minimum,
            param.maximum,
            file,
            where,
            f"{param.path}.{name}" if name != "value" else param.path,
            problems,
        )
        if name in ("value", "values"):
            if isinstance(shape, Mapping):
                changes["values"] = MappingProxyType(_years_shape(param, shape))
            elif param.is_series:
                changes["values"] = MappingProxyType({y: float(shape) for y in param.years})
            else:
                changes["value"] = float(shape)
        else:
            if isinstance(shape, Mapping) and not param.is_series:
                problems.append(
                    problem(
                        file,
                        f"{name} for scalar {param.path} must be a number",
                        where,
                        f"{param.path}.{name}",
                    )
                )
                continue
            changes[name] = shape
    if len(problems) > start:
        return None
    return replace(param, override=f"{file}:{line}" if line else file, **changes)


def apply_overrides(
    params: Mapping[str, Parameter], data: Any, file: str, problems: list[Problem]
) -> dict[str, Parameter]:
    """A new ``{path: Parameter}`` with the override document ``data`` applied."""
    out = dict(params)
    if data is None:
        return out
    if not isinstance(data, Mapping):
        problems.append(
            problem(file, "an override file must be a mapping of parameter paths", node_line(data))
        )
        return out
    found: list[Problem] = []
    for path, raw, line in flatten(data, file, params, found):
        updated = apply_one(out[path], raw, file, line, found)
        if updated is not None:
            out[path] = updated
    problems.extend(sorted(found, key=lambda p: (p.line is None, p.line or 0)))
    return out
