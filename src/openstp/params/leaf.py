"""Turn one YAML leaf mapping into a checked ``Parameter``, collecting every problem found.

Problems are collected rather than raised one at a time so that an analyst fixing a parameter
file sees every mistake in one run, each with file, line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openstp.errors import Problem, problem
from openstp.params.model import (
    LEAF_KEYS,
    REFERENCE_KEYS,
    REQUIRED_REFERENCE_KEYS,
    Parameter,
    Reference,
    Shape,
    as_number,
    check_bounds,
    key_line,
    node_line,
    read_shape,
    shape_numbers,
)
from openstp.params.units import STATUSES, UNITS, is_fact_id


def _text(
    node: Mapping[str, Any],
    key: str,
    file: str,
    path: str,
    problems: list[Problem],
    required: bool = True,
) -> str | None:
    raw = node.get(key)
    if raw is None:
        if required:
            problems.append(problem(file, f"{path} has no {key}", node_line(node), key))
        return None
    if not isinstance(raw, str) or not raw.strip():
        problems.append(problem(file, f"{key} must be non-empty text", key_line(node, key), key))
        return None
    return raw.strip()


def _references(
    node: Mapping[str, Any], file: str, path: str, problems: list[Problem]
) -> tuple[Reference, ...]:
    raw = node.get("references")
    line = key_line(node, "references") if "references" in node else node_line(node)
    if not isinstance(raw, list) or not raw:
        problems.append(
            problem(file, f"{path} needs a non-empty list of references", line, "references")
        )
        return ()
    refs: list[Reference] = []
    for i, item in enumerate(raw):
        where = f"references[{i}]"
        item_line = node_line(item) or line
        if not isinstance(item, Mapping):
            problems.append(
                problem(
                    file,
                    "a reference must be a mapping with title, publisher and year",
                    item_line,
                    where,
                )
            )
            continue
        missing = [k for k in REQUIRED_REFERENCE_KEYS if not item.get(k)]
        unknown = sorted(set(item) - REFERENCE_KEYS)
        for k in missing:
            problems.append(problem(file, f"reference has no {k}", item_line, f"{where}.{k}"))
        for k in unknown:
            problems.append(
                problem(
                    file,
                    f"unknown reference field {k!r} (allowed: {', '.join(sorted(REFERENCE_KEYS))})",
                    item_line,
                    f"{where}.{k}",
                )
            )
        year = item.get("year")
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100
        ):
            problems.append(
                problem(
                    file,
                    f"reference year {year!r} must be a four-digit year",
                    item_line,
                    f"{where}.year",
                )
            )
            continue
        if missing or unknown or not isinstance(year, int):
            continue
        refs.append(
            Reference(
                title=str(item["title"]),
                publisher=str(item["publisher"]),
                year=year,
                url=item.get("url"),
                section=item.get("section"),
            )
        )
    return tuple(refs)


def _check_range(
    path: str,
    central: Shape,
    low: Shape | None,
    high: Shape | None,
    file: str,
    line: int | None,
    problems: list[Problem],
) -> None:
    """Low/high must match the central shape and bracket it: low <= central <= high."""
    central_by_year = dict(shape_numbers(central))
    for name, shape in (("low", low), ("high", high)):
        if shape is None:
            continue
        if isinstance(shape, Mapping):
            if not isinstance(central, Mapping):
                problems.append(
                    problem(file, f"{name} is a series but {path} is a scalar", line, name)
                )
                continue
            if set(shape) != set(central):
                problems.append(
                    problem(file, f"{name} must cover the same years as values", line, name)
                )
                continue
        for year, central_number in central_by_year.items():
            other = shape[year] if isinstance(shape, Mapping) else float(shape)  # type: ignore[index]
            bad = other > central_number if name == "low" else other < central_number
            if bad:
                side = "above" if name == "low" else "below"
                where = name if year is None else f"{name}.{year}"
                problems.append(
                    problem(
                        file,
                        f"{name} {other:g} is {side} the central value {central_number:g}",
                        line,
                        where,
                    )
                )


def parse_leaf(
    node: Mapping[str, Any], path: str, file: str
) -> tuple[Parameter | None, list[Problem]]:
    """Check a leaf mapping and build its ``Parameter``; return it (or None) and the problems."""
    problems: list[Problem] = []
    line = node_line(node)
    for key in sorted(set(node) - LEAF_KEYS, key=str):
        problems.append(
            problem(
                file,
                f"unknown field {key!r} in {path} (allowed: {', '.join(sorted(LEAF_KEYS))})",
                key_line(node, key),
                str(key),
            )
        )
    description = _text(node, "description", file, path, problems)
    label = _text(node, "label", file, path, problems, required=False)
    note = _text(node, "note", file, path, problems, required=False)
    unit = node.get("unit")
    if unit not in UNITS:
        problems.append(
            problem(
                file,
                f"unit {unit!r} is not one of {', '.join(UNITS)}",
                key_line(node, "unit"),
                "unit",
            )
        )
    status = node.get("status")
    if status not in STATUSES:
        problems.append(
            problem(
                file,
                f"{path} needs status: published or derived (got {status!r})",
                key_line(node, "status") if "status" in node else line,
                "status",
            )
        )
    elif status == "derived" and note is None:
        problems.append(
            problem(file, f"{path} is derived: give the derivation in note", line, "note")
        )
    references = _references(node, file, path, problems)
    facts_raw = node.get("facts", [])
    facts: tuple[str, ...] = ()
    if not isinstance(facts_raw, list) or not all(is_fact_id(f) for f in facts_raw):
        problems.append(
            problem(
                file,
                "facts must be a list of FACTS.md row ids such as '1.9'",
                key_line(node, "facts"),
                "facts",
            )
        )
    else:
        facts = tuple(facts_raw)

    has_value, has_values = "value" in node, "values" in node
    central: Shape | None = None
    if has_value == has_values:
        problems.append(
            problem(
                file,
                f"{path} needs exactly one of value (a number) or values "
                "(numbers by financial year)",
                line,
                "value",
            )
        )
    elif has_value:
        if isinstance(node["value"], Mapping):
            problems.append(
                problem(
                    file,
                    "value must be a number; use values for a series",
                    key_line(node, "value"),
                    "value",
                )
            )
        else:
            central = read_shape(node["value"], file, key_line(node, "value"), "value", problems)
    else:
        if not isinstance(node["values"], Mapping) or not node["values"]:
            problems.append(
                problem(
                    file,
                    "values must map financial years to numbers",
                    key_line(node, "values"),
                    "values",
                )
            )
        else:
            central = read_shape(node["values"], file, key_line(node, "values"), "values", problems)
    low = (
        read_shape(node["low"], file, key_line(node, "low"), "low", problems)
        if "low" in node
        else None
    )
    high = (
        read_shape(node["high"], file, key_line(node, "high"), "high", problems)
        if "high" in node
        else None
    )
    bounds: dict[str, float | None] = {}
    for name in ("minimum", "maximum"):
        bounds[name] = None
        if name in node:
            bounds[name] = as_number(node[name])
            if bounds[name] is None:
                problems.append(
                    problem(file, f"{name} must be a number", key_line(node, name), name)
                )
    if problems or central is None:
        return None, problems
    for name, shape in (
        ("value" if has_value else "values", central),
        ("low", low),
        ("high", high),
    ):
        check_bounds(
            path,
            shape,
            bounds["minimum"],
            bounds["maximum"],
            file,
            key_line(node, name) if name in node else line,
            name,
            problems,
        )
    _check_range(path, central, low, high, file, line, problems)
    if problems:
        return None, problems
    param = Parameter(
        path=path,
        description=description or "",
        unit=str(unit),
        value=None if has_values else float(central),  # type: ignore[arg-type]
        values=central if has_values else None,  # type: ignore[arg-type]
        references=references,
        status=str(status),
        low=low,
        high=high,
        minimum=bounds["minimum"],
        maximum=bounds["maximum"],
        note=note,
        facts=facts,
        label=label,
        file=file,
        line=line,
    )
    return param, problems
