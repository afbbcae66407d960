"""The building blocks of a page: a chart with its data and alt text, a table, and links.

Pages are built once as data (``Chart``, ``Table``) and rendered by Jinja templates, so the static
site and the web app show the same content and differ only in where their links point.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

import pandas as pd

from openstp.report.charts import Figure

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


def _plain(value: object) -> object:
    """A numpy number or array (from a what-if's tables, say) as the Python value JSON takes."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _null(constant: str) -> None:
    """NaN and infinity, which JSON lacks (and ``JSON.parse`` rejects), are read as null."""
    return


def spec_json(spec: dict) -> str:
    """``spec`` as compact JSON safe inside a ``<script type=application/json>``.

    Missing numbers (NaN) are written as null, as plotly.py did, so the browser can parse it;
    ``<``, ``>``, ``/`` and ``&`` are escaped so no text can end the script or read as markup.
    """
    text = json.dumps(spec, separators=(",", ":"), default=_plain)
    if "NaN" in text or "Infinity" in text:  # rare: re-read so that only numbers become null
        text = json.dumps(json.loads(text, parse_constant=_null), separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")
            .replace("&", "\\u0026"))


@dataclass(frozen=True)
class Chart:
    """A figure, the table it draws (offered as CSV beside it) and a sentence for screen readers.

    ``draw`` makes the figure when it is first needed, so a page that leaves a chart out (or a
    CSV download) never pays for drawing it.
    """

    id: str
    title: str
    draw: Callable[[], Figure]
    data: pd.DataFrame
    alt: str
    note: str = ""

    @cached_property
    def figure(self) -> Figure:
        """The Plotly figure as plain data (``data`` and ``layout``)."""
        return self.draw()

    @property
    def dom_id(self) -> str:
        """The element id of the chart's container (``chart-<id>``)."""
        return f"chart-{self.id}"

    def spec(self) -> dict:
        """The figure as a plain dict (data, layout, config) ready for ``Plotly.react``."""
        return {**self.figure, "config": PLOTLY_CONFIG}

    def json(self) -> str:
        """The figure as JSON safe to place inside a ``<script type=application/json>``."""
        return spec_json(self.spec())


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and optionally a link, a CSS class, a small second line (sub)
    and words read aloud instead of a symbol (sr)."""

    text: str
    href: str | None = None
    cls: str = ""
    sr: str = ""
    numeric: bool = False
    sub: str = ""
    key: str = ""  # the value a sortable table sorts this cell by (a number as text)


@dataclass
class Table:
    """An HTML table: a caption, headers (label, numeric) and rows of cells."""

    id: str
    caption: str
    headers: list[tuple[str, bool]]
    rows: list[list[Cell]] = field(default_factory=list)
    data: pd.DataFrame | None = None
    sortable: bool = False  # headers become buttons that sort the rows (openstp.js)

    def add(self, *cells: Cell | str) -> None:
        """Append a row; plain strings become cells, numeric alignment follows the header."""
        row = []
        for c, (_, numeric) in zip(cells, self.headers, strict=True):
            if not isinstance(c, Cell):
                c = Cell(str(c), numeric=numeric)
            elif numeric and not c.numeric:
                c = replace(c, numeric=True)
            row.append(c)
        self.rows.append(row)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as dicts of Python values, like ``to_dict("records")`` but faster."""
    columns = list(df.columns)
    return [dict(zip(columns, row, strict=True)) for row in df.to_numpy(dtype=object).tolist()]


class Links(Protocol):
    """Where a page's links point: files of the static site, or routes of the web app."""

    def england(self) -> str: ...
    def footprint(self, code: str) -> str: ...
    def asset(self, name: str) -> str: ...
    def data(self, scope: str, name: str) -> str: ...
    def plan(self, name: str) -> str: ...
    def page(self, name: str) -> str: ...
    def workbook(self) -> str | None: ...


@dataclass(frozen=True)
class SiteLinks:
    """Relative links inside the static site, for a page ``depth`` folders below its root."""

    depth: int = 0

    @property
    def _up(self) -> str:
        return "../" * self.depth

    def england(self) -> str:
        return f"{self._up}index.html"

    def footprint(self, code: str) -> str:
        return f"{self._up}footprints/{code}.html"

    def asset(self, name: str) -> str:
        return f"{self._up}assets/{name}"

    def data(self, scope: str, name: str) -> str:
        return f"{self._up}data/{scope}/{name}.csv"

    def plan(self, name: str) -> str:
        return f"{self._up}plans/{name}.yaml"

    def page(self, name: str) -> str:
        return f"{self._up}{name}.html"

    def workbook(self) -> str | None:
        return f"{self._up}openstp-results.xlsx"
