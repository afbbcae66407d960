"""One parameter (a YAML leaf) as a frozen object, and the checks that turn a leaf into one.

A leaf is a mapping with a ``unit`` key. Every leaf must say what it is (description, unit),
where its number comes from (references, status) and, if derived, how (note). Checking this at
load time is what keeps "no number lives in code" honest.
"""

from __future__ import annotations

import copyreg
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from openstp.errors import Problem, problem
from openstp.params.units import is_series_key


def read_only(mapping: dict) -> Mapping:
    """A read-only view of ``mapping`` (how read-only mappings are unpickled)."""
    return MappingProxyType(mapping)


# read-only mappings pickle as copies, so parameter trees can be sent to Dask workers
copyreg.pickle(MappingProxyType, lambda proxy: (read_only, (dict(proxy),)))

Case = Literal["central", "low", "high"]
CASES: tuple[str, ...] = ("central", "low", "high")
Number = float
Shape = float | Mapping[str, float]

LEAF_KEYS = frozenset(
    {
        "description",
        "label",
        "unit",
        "value",
        "values",
        "low",
        "high",
        "minimum",
        "maximum",
        "references",
        "status",
        "note",
        "facts",
    }
)
REQUIRED_REFERENCE_KEYS = ("title", "publisher", "year")
REFERENCE_KEYS = frozenset({"title", "publisher", "year", "url", "section"})


@dataclass(frozen=True)
class Reference:
    """A source for a parameter: enough to find it again."""

    title: str
    publisher: str
    year: int
    url: str | None = None
    section: str | None = None

    def text(self) -> str:
        """One-line citation, e.g. ``NHS England (2013), NHS allocations for 2013/14``."""
        extra = f", {self.section}" if self.section else ""
        return f"{self.publisher} ({self.year}), {self.title}{extra}"


@dataclass(frozen=True, eq=True)
class Parameter:
    """A named number (or series by financial year) with its unit, range and provenance."""

    path: str
    description: str
    unit: str
    value: float | None
    values: Mapping[str, float] | None
    references: tuple[Reference, ...]
    status: str
    low: Shape | None = None
    high: Shape | None = None
    minimum: float | None = None
    maximum: float | None = None
    note: str | None = None
    facts: tuple[str, ...] = ()
    label: str | None = None
    override: str | None = None
    file: str = "<unknown>"
    line: int | None = field(default=None, compare=False)

    __hash__ = None  # type: ignore[assignment]  # holds mappings

    @property
    def is_series(self) -> bool:
        """True when the parameter is a ``values`` series keyed by financial year."""
        return self.values is not None

    @property
    def years(self) -> tuple[str, ...]:
        """Financial years of a series, in order (empty for a scalar)."""
        return tuple(sorted(self.values)) if self.values is not None else ()

    def _case_shape(self, case: str) -> Shape:
        if case not in CASES:
            raise ValueError(f"case must be one of {', '.join(CASES)}, not {case!r}")
        central: Shape = self.values if self.values is not None else self.value  # type: ignore[assignment]
        if case == "central":
            return central
        other = self.low if case == "low" else self.high
        return central if other is None else other

    def get(self, year: str | None = None, case: str = "central") -> float:
        """The number for ``year`` (ignored for a scalar) in the ``case`` scenario.

        A missing ``low``/``high`` falls back to the central value; a scalar ``low``/``high`` on a
        series applies to every year.
        """
        shape = self._case_shape(case)
        if not isinstance(shape, Mapping):
            return float(shape)
        if year is None:
            raise KeyError(
                f"{self.path} is a series by financial year: give a year ({', '.join(self.years)})"
            )
        if year not in shape:
            raise KeyError(
                f"{self.path} has no value for {year}: it covers {', '.join(self.years)}"
            )
        return float(shape[year])

    def series(self, case: str = "central") -> dict[str, float]:
        """The ``{year: number}`` series in the ``case`` scenario (a series parameter only)."""
        if self.values is None:
            raise KeyError(f"{self.path} is a scalar, not a series by financial year")
        return {y: self.get(y, case) for y in self.years}

    def source_text(self) -> str:
        """All references as one line, for report footnotes and tables (says if overridden)."""
        cited = "; ".join(r.text() for r in self.references)
        return f"override ({self.override}); default from {cited}" if self.override else cited


def as_number(raw: Any) -> float | None:
    """``raw`` as a finite float, or None when it is not a plain number (bools are not)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    number = float(raw)
    return number if math.isfinite(number) else None


def key_line(node: Any, key: Any) -> int | None:
    """1-based line of ``key`` in a mapping read by ``openstp.safeyaml``, when known."""
    lines = getattr(node, "key_lines", None)
    if lines is not None and key in lines:
        return lines[key]
    return node_line(node)


def node_line(node: Any) -> int | None:
    """1-based line where a mapping or list read by ``openstp.safeyaml`` starts, when known."""
    return getattr(node, "line", None)


def read_shape(
    raw: Any, file: str, line: int | None, field_name: str, problems: list[Problem]
) -> Shape | None:
    """A scalar or ``{year: number}`` mapping from YAML, reporting anything else."""
    if isinstance(raw, Mapping):
        out: dict[str, float] = {}
        for year, item in raw.items():
            where = key_line(raw, year) or line
            if not is_series_key(year):
                problems.append(
                    problem(
                        file,
                        f"{year!r} is not a financial year; write 'YYYY/YY', e.g. '2016/17' "
                        "(or a month '01'-'12' for a seasonal profile)",
                        where,
                        f"{field_name}.{year}",
                    )
                )
                continue
            number = as_number(item)
            if number is None:
                problems.append(
                    problem(file, f"{item!r} is not a number", where, f"{field_name}.{year}")
                )
                continue
            out[year] = number
        return MappingProxyType(dict(sorted(out.items())))
    number = as_number(raw)
    if number is None:
        problems.append(problem(file, f"{raw!r} is not a number", line, field_name))
    return number


def shape_numbers(shape: Shape | None) -> list[tuple[str | None, float]]:
    """Every number in a shape with its year (None for a scalar)."""
    if shape is None:
        return []
    if isinstance(shape, Mapping):
        return [(y, float(v)) for y, v in shape.items()]
    return [(None, float(shape))]


def check_bounds(
    param_path: str,
    shape: Shape | None,
    minimum: float | None,
    maximum: float | None,
    file: str,
    line: int | None,
    field_name: str,
    problems: list[Problem],
) -> None:
    """Report each number in ``shape`` that lies outside ``[minimum, maximum]``."""
    for year, number in shape_numbers(shape):
        where = field_name if year is None else f"{field_name}.{year}"
        if minimum is not None and number < minimum:
            problems.append(
                problem(
                    file,
                    f"{number:g} is below the minimum {minimum:g} for {param_path}",
                    line,
                    where,
                )
            )
        if maximum is not None and number > maximum:
            problems.append(
                problem(
                    file,
                    f"{number:g} is above the maximum {maximum:g} for {param_path}",
                    line,
                    where,
                )
            )
