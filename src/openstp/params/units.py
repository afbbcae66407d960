"""The controlled vocabularies a parameter file may use: units, statuses and year spelling.

Keeping them in one place means a typo such as ``unit: fracton`` is caught when the tree loads,
not when a chart shows a nonsense axis.
"""

from __future__ import annotations

import re

UNITS: dict[str, str] = {
    "GBP": "pounds sterling, cash",
    "GBP_m": "millions of pounds sterling, cash",
    "GBP_bn": "billions of pounds sterling, cash",
    "fraction": "a share between 0 and 1",
    "fraction_per_year": "a rate of change per year (0.02 = 2% a year)",
    "count": "a number of things",
    "days": "a length of time in days",
    "persons": "a number of people",
    "beds": "a number of hospital beds",
    "fte": "full-time-equivalent staff",
    "minutes": "minutes of time",
    "km": "kilometres",
    "ratio": "a ratio of two quantities",
    "index": "an index number (base year = 1 or 100, stated in the description)",
}
"""Units a parameter may declare, with what each means."""

STATUSES: frozenset[str] = frozenset({"published", "derived"})
"""``published``: the number was read in a source; ``derived``: computed from sourced numbers."""

FY_PATTERN = r"^[0-9]{4}/[0-9]{2}$"
_FY_RE = re.compile(FY_PATTERN)
_FACT_RE = re.compile(r"^[0-9]+\.[0-9]+$")


def is_fy(text: object) -> bool:
    """True when ``text`` spells a financial year as ``YYYY/YY`` with consecutive years."""
    if not isinstance(text, str) or not _FY_RE.fullmatch(text):
        return False
    return int(text[5:]) == (int(text[:4]) + 1) % 100


_MONTH_RE = re.compile(r"^(0[1-9]|1[0-2])$")


def is_series_key(text: object) -> bool:
    """True for a series key: a financial year ``YYYY/YY`` or a calendar month ``01``-``12``."""
    return is_fy(text) or (isinstance(text, str) and bool(_MONTH_RE.fullmatch(text)))


def is_fact_id(text: object) -> bool:
    """True when ``text`` looks like a FACTS.md row id such as ``"1.9"``."""
    return isinstance(text, str) and bool(_FACT_RE.fullmatch(text))
