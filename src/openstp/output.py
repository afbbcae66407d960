"""Writing tables for people (rich) and for pipes (csv, json, parquet) — the CLI's one output path.

Data go to stdout; messages go to stderr, so ``openstp … --format csv > file.csv`` stays clean.
Files are written atomically.
"""

from __future__ import annotations

import json
import math
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from openstp.errors import OpenSTPError, problem
from openstp.io import write_text_atomic, write_with

if TYPE_CHECKING:  # pandas costs half a second to import; tables only need it when they exist
    import pandas as pd

stderr = Console(stderr=True)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (terminal escape sequences among them) that user text may not print."""


def clean(value: Any) -> str:
    """Text from a file or the command line without control characters."""
    return _CONTROL.sub("", str(value))


def plain(value: Any) -> str:
    """User text to interpolate into rich markup: cleaned, and its ``[…]`` shown as typed."""
    return escape(clean(value))


class Format(StrEnum):
    """Output formats every listing command accepts."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return value


def check_finite(df: pd.DataFrame, what: str) -> pd.DataFrame:
    """``df`` unchanged if no number in it is infinite; else one error per column at fault.

    Bounded inputs cannot overflow, so an infinity means an input beyond what the model can
    compute with: it is refused, never written (JSON has no infinity).
    """
    import numpy as np

    numbers = df.select_dtypes("number")
    counts = {c: int(np.isinf(numbers[c].to_numpy(float)).sum()) for c in numbers.columns}
    bad = {c: n for c, n in counts.items() if n}
    if bad:
        raise OpenSTPError([problem(what, f"{c} is infinite in {n:,} rows: an input is too large "
                                    "to compute with", field=c) for c, n in bad.items()])
    return df


def dumps(document: Any, what: str) -> str:
    """``document`` as indented JSON: NaN (no value) becomes null; an infinite number is a clear
    error, never invalid JSON."""
    return json.dumps(_json_ready(document, what), indent=2, default=str, allow_nan=False) + "\n"


def _json_ready(value: Any, what: str) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v, what) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v, what) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return None
        raise OpenSTPError([problem(what, "a result is infinite: an input is too large to "
                                    "compute with")])
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN becomes null, NumPy scalars become Python)."""
    return [{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def rich_table(df: pd.DataFrame, title: str | None = None, caption: str | None = None,
               money: tuple[str, ...] = ()) -> Table:
    """A rich table of ``df``; integers get thousands separators, ``money`` columns £m."""
    import pandas as pd

    table = Table(title=Text(clean(title)) if title else None,
                  caption=Text(clean(caption)) if caption else None, header_style="bold",
                  show_lines=False)
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and df[col].dtype != bool
        table.add_column(Text(clean(col)), justify="right" if numeric else "left")
    for row in df.itertuples(index=False):
        table.add_row(*[Text(clean(_cell(v, c in money)))
                        for v, c in zip(row, df.columns, strict=True)])
    return table


def _cell(value: Any, money: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if money:  # the sign before the pound sign, as the report writes it: −£0.9m
        return f"{'−' if value < 0 else ''}£{abs(value) / 1e6:,.1f}m"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind == "i"):
        return f"{value:,d}"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def emit(df: pd.DataFrame, fmt: Format, *, title: str | None = None, caption: str | None = None,
         extra: dict[str, Any] | None = None, out: Path | None = None,
         money: tuple[str, ...] = ()) -> None:
    """Write ``df`` in ``fmt`` to stdout or to ``out``; ``extra`` keys join the JSON document."""
    check_finite(df, str(out or "output"))
    if fmt is Format.table:
        console = Console()
        Console(width=console.width if console.is_terminal else 160).print(
            rich_table(df, title=title, caption=caption, money=money))
        return
    if fmt is Format.parquet:
        if out is None:
            raise OpenSTPError([problem("--format", "parquet is written to a file: add --out "
                                        "FILE, or use --format csv or json for stdout")])
        write_with(out, lambda tmp: df.to_parquet(tmp, index=False))
        return
    if fmt is Format.csv:
        text = df.to_csv(index=False)
    else:
        text = dumps({**(extra or {}), "rows": records(df)}, str(out or "output"))
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)
