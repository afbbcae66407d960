"""Turn pydantic validation errors into ``Problem``s that name file, line and field.

Each message says what is wrong and what is allowed instead, in the words of the plan file
(fields, years, codes) rather than pydantic's internal type names.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from openstp.errors import Problem
from openstp.plan.sourcemap import DataPath, SourceMap, locate, render_path

_MAX_SHOWN = 60  # characters of a bad value quoted back in a message
_KEY_MARKER = "[key]"


def problems_from_validation(
    error: ValidationError, data: Any, source: SourceMap, root: type[BaseModel]
) -> list[Problem]:
    """One ``Problem`` per distinct (field, line); union alternatives are merged."""
    merged: dict[tuple[str | None, int | None], list[str]] = {}
    for detail in error.errors(include_url=False):
        path, rest = locate(data, detail["loc"])
        field_path: DataPath = path
        if detail["type"] == "missing" and rest:
            field_path = (*path, rest[-1])
        message = _message(detail, path, rest, root)
        where = (render_path(field_path) or None, source.line(field_path))
        if message not in merged.setdefault(where, []):
            merged[where].append(message)
    problems = [
        Problem(file=source.file, message="; or ".join(msgs), line=line, field=field)
        for (field, line), msgs in merged.items()
    ]
    return sorted(problems, key=lambda p: (p.line or 0, p.field or ""))


def _message(detail: ErrorDetails, path: DataPath, rest: list[Any], root: type[BaseModel]) -> str:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return f"required field '{rest[-1] if rest else path[-1]}' is missing"
    if kind == "extra_forbidden":
        return _unknown_field(str(path[-1]) if path else "?", _model_at(root, path[:-1]))
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", detail["msg"]))
    prefix = f"key '{path[-1]}': " if _KEY_MARKER in rest and path else ""
    if kind in ("enum", "literal_error"):
        return f"{prefix}{_show(value)} is not allowed here; allowed: {ctx.get('expected')}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = _model_at(root, path)
        fields = f" ({', '.join(model.model_fields)})" if model else ""
        return f"must be a mapping of fields{fields}, got {_show(value)}"
    if kind == "list_type":
        return f"must be a list (one '- ' item per line), got {_show(value)}"
    if kind.startswith("date"):
        reason = _should(detail["msg"])
        return f"{prefix}{_show(value)} is not a valid date ({reason}); write it as YYYY-MM-DD"
    return f"{prefix}{_should(detail['msg'])}, got {_show(value)}"


def _should(msg: str) -> str:
    """Rephrase pydantic's 'Input should be …' as 'must be …'."""
    for start in ("Input should be", "Input should have"):
        if msg.startswith(start):
            return "must " + msg[len("Input should ") :]
    return msg[:1].lower() + msg[1:]


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _unknown_field(name: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unknown field '{name}'"
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{name}'{hint}; allowed here: {', '.join(allowed)}"


def _model_at(root: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class describing the value at ``path``, if there is exactly one."""
    tp: Any = root
    for part in path:
        tp = _descend(_unwrap(tp), part)
        if tp is None:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` so the real container or model shows."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _descend(tp: Any, part: str | int) -> Any:
    origin = typing.get_origin(tp)
    if origin is list and isinstance(part, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
        info = tp.model_fields.get(part)
        return info.annotation if info is not None else None
    return None
