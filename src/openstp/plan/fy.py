"""NHS financial years ("2016/17" = 1 April 2016 to 31 March 2017) as a validated string type.

Plans key every amount by financial year, so one strict spelling ("YYYY/YY", second part the year
after the first) keeps files comparable; helpers turn years into integers and ranges.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

FY_PATTERN = r"^[0-9]{4}/[0-9]{2}$"
"""Regular expression for the spelling of a financial year, e.g. ``2016/17``."""

_FY_RE = re.compile(FY_PATTERN)
_CENTURY = 100  # the two-digit suffix is the end year modulo a century ("2019/20")
_EXAMPLE = "2016/17"


def parse_fy(text: str) -> int:
    """Return the calendar year a financial year starts in: ``parse_fy("2016/17") == 2016``.

    Raises ``ValueError`` with a message saying what is wrong and what is allowed.
    """
    if not isinstance(text, str) or isinstance(text, bool):
        # ValueError, not TypeError: pydantic turns it into a field error with this message.
        raise ValueError(  # noqa: TRY004
            f"{text!r} is not a financial year: write it as a quoted or plain 'YYYY/YY' "
            f"string, e.g. '{_EXAMPLE}'"
        )
    if not _FY_RE.fullmatch(text):
        raise ValueError(
            f"'{text}' is not a financial year: write it as 'YYYY/YY', e.g. '{_EXAMPLE}'"
        )
    start = int(text[:4])
    end_suffix = int(text[5:])
    if end_suffix != (start + 1) % _CENTURY:
        raise ValueError(
            f"'{text}' is not a financial year: the second part must be the year after "
            f"the first ('{format_fy(start)}')"
        )
    return start


def format_fy(start: int) -> str:
    """Spell the financial year starting in ``start``: ``format_fy(2016) == "2016/17"``."""
    return f"{start:04d}/{(start + 1) % _CENTURY:02d}"


def fy_offset(year: str, steps: int) -> str:
    """The financial year ``steps`` years after (or before, if negative) ``year``."""
    return format_fy(parse_fy(year) + steps)


def fy_range(first: str, last: str) -> list[str]:
    """Every financial year from ``first`` to ``last`` inclusive (empty if ``last`` is earlier)."""
    return [format_fy(y) for y in range(parse_fy(first), parse_fy(last) + 1)]


def fy_in_range(year: str, first: str, last: str) -> bool:
    """True if ``year`` lies between ``first`` and ``last`` inclusive."""
    return parse_fy(first) <= parse_fy(year) <= parse_fy(last)


def _validate_fy(value: Any) -> str:
    parse_fy(value)
    return str(value)


FinancialYear = Annotated[
    str,
    BeforeValidator(_validate_fy),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": FY_PATTERN,
            "description": "NHS financial year, April to March, spelt 'YYYY/YY'",
            "examples": [_EXAMPLE],
        }
    ),
]
"""A financial year string such as ``"2016/17"``; validated on input."""


def fy_spans(years: list[str]) -> str:
    """Years in words: '2021/22 to 2030/31' for a run of consecutive years, others listed."""
    runs: list[list[str]] = []
    for year in years:
        if runs and parse_fy(year) == parse_fy(runs[-1][-1]) + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)
