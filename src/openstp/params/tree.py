"""The parameter tree as one immutable object, and ``load_parameters`` to build it with overrides.

Engines take a ``Parameters`` and ask for numbers by path (``params.value("gap.growth.
non_demographic.acute")``); reports call ``table()`` to show every number with its source.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from openstp.errors import ParameterError, Problem, problem
from openstp.params.model import Parameter
from openstp.params.overrides import SET_SOURCE, apply_overrides, suggest
from openstp.params.yamlio import load_tree, read_yaml

if TYPE_CHECKING:  # only ``table()`` needs pandas; validating a plan does not
    import pandas as pd

TABLE_COLUMNS = [
    "path",
    "year",
    "value",
    "unit",
    "low",
    "high",
    "status",
    "source",
    "description",
    "note",
]


class Parameters:
    """Every parameter by dotted path. Immutable: ``with_overrides`` returns a new object."""

    __slots__ = ("_params",)
    _params: Mapping[str, Parameter]

    def __init__(self, params: Mapping[str, Parameter]):
        object.__setattr__(self, "_params", MappingProxyType(dict(sorted(params.items()))))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Parameters is immutable; use with_overrides() for a changed copy")

    def __reduce__(self) -> tuple:  # pickled by its parameters, e.g. for Dask workers
        return (Parameters, (dict(self._params),))

    def __getitem__(self, path: str) -> Parameter:
        try:
            return self._params[path]
        except KeyError:
            raise ParameterError(
                [
                    problem(
                        "<parameters>",
                        f"unknown parameter {path}.{suggest(path, self._params)}",
                        field=path,
                    )
                ]
            ) from None

    def __contains__(self, path: object) -> bool:
        return path in self._params

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parameters) and dict(self._params) == dict(other._params)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Parameters: {len(self)} parameters>"

    def paths(self, prefix: str = "") -> list[str]:
        """All parameter paths (optionally only those under ``prefix``), sorted."""
        if not prefix:
            return list(self._params)
        return [p for p in self._params if p == prefix or p.startswith(prefix + ".")]

    def value(self, path: str, year: str | None = None, case: str = "central") -> float:
        """The number at ``path``: a series needs ``year``; a scalar ignores it.

        ``case`` is ``central``, ``low`` or ``high`` (one-at-a-time sensitivity); a parameter
        without a range gives its central value in every case.
        """
        param = self[path]
        try:
            return param.get(year, case)
        except (KeyError, ValueError) as exc:
            raise ParameterError(
                [problem(param.file, str(exc).strip("'\""), param.line, path)]
            ) from None

    def series(self, path: str, case: str = "central") -> dict[str, float]:
        """The ``{financial year: number}`` series at ``path``."""
        param = self[path]
        try:
            return param.series(case)
        except (KeyError, ValueError) as exc:
            raise ParameterError(
                [problem(param.file, str(exc).strip("'\""), param.line, path)]
            ) from None

    def with_overrides(self, overrides: Mapping[str, Any], source: str = SET_SOURCE) -> Parameters:
        """A copy with ``{path: number | {year: number} | {value/values/unit/...}}`` applied."""
        problems: list[Problem] = []
        out = apply_overrides(self._params, overrides, source, problems)
        if problems:
            raise ParameterError(problems)
        return Parameters(out)

    def table(self) -> pd.DataFrame:
        """One row per number (per year for a series): value, unit, range, status and source."""
        rows: list[dict[str, Any]] = []
        for path, param in self._params.items():
            years: list[str | None] = list(param.years) if param.is_series else [None]
            for year in years:
                rows.append(
                    {
                        "path": path,
                        "year": year,
                        "value": param.get(year),
                        "unit": param.unit,
                        "low": param.get(year, "low") if param.low is not None else None,
                        "high": param.get(year, "high") if param.high is not None else None,
                        "status": "override" if param.override else param.status,
                        "source": param.source_text(),
                        "description": param.description,
                        "note": param.note,
                    }
                )
        import pandas as pd

        return pd.DataFrame(rows, columns=TABLE_COLUMNS)


@lru_cache(maxsize=1)
def builtin_parameters() -> Parameters:
    """The built-in tree, checked once per process; raises ``ParameterError`` if it is broken."""
    params, problems = load_tree()
    if problems:
        raise ParameterError(problems)
    return Parameters(params)


def load_parameters(
    files: Sequence[str | os.PathLike[str]] = (), overrides: Mapping[str, Any] | None = None
) -> Parameters:
    """The built-in tree with override ``files`` applied in order, then ``overrides``.

    ``overrides`` maps dotted paths to numbers (as from ``--set``) or to the same shapes an
    override file allows. Every problem in every file is reported at once as a
    ``ParameterError`` naming file, line and field.
    """
    base = builtin_parameters()
    current: Mapping[str, Parameter] = {p: base[p] for p in base}
    problems: list[Problem] = []
    for file in files:
        data, found = read_yaml(file)
        problems.extend(found)
        if not found:
            current = apply_overrides(current, data, str(file), problems)
    if overrides:
        current = apply_overrides(current, dict(overrides), SET_SOURCE, problems)
    if problems:
        raise ParameterError(problems)
    return Parameters(current)
