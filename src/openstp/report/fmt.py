"""How numbers read on a page: money in £m or £bn, shares as %, counts with separators."""

from __future__ import annotations

import math

RATING_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met",
                 "no_evidence": "No evidence"}
RATING_SYMBOLS = {"met": "✓", "partly": "◐", "not_met": "✗", "no_evidence": "?"}
LABELS = {
    "ed": "A&E", "stroke": "Stroke", "maternity": "Maternity", "neonatal": "Neonatal care",
    "nurses_midwives": "Nurses and midwives", "gps": "GPs", "ahp": "Allied health professionals",
    "demand_management_ae": "Demand management (A&E)", "other_nhs": "Other NHS",
    "demand_management_outpatients": "Demand management (outpatients)",
    "demand_management_elective": "Demand management (elective)",
    "demand_management_non_elective": "Demand management (non-elective)",
    "specialised": "Specialised (NHS England direct)", "acute": "Acute hospital care",
    "community": "Community health services", "primary_care": "Primary care (GP)",
    "neighbourhood_health": "Neighbourhood health (left shift)",
    "corporate_running_costs": "Corporate and running costs",
}
"""Words for identifiers whose plain spelling reads badly."""


def missing(value: object) -> bool:
    """True for None, NaN and empty text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def money(value: object, dp: int = 1) -> str:
    """£ cash as £12.3m, or £1.23bn from a billion up; '–' when missing."""
    if missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    sign = "−" if v < 0 else ""
    if abs(v) >= 1e9:
        return f"{sign}£{abs(v) / 1e9:,.2f}bn"
    return f"{sign}£{abs(v) / 1e6:,.{dp}f}m"


def pct(value: object, dp: int = 0) -> str:
    """A fraction (0.42) as a percentage (42%)."""
    return "–" if missing(value) else f"{100 * float(value):.{dp}f}%"  # type: ignore[arg-type]


def count(value: object, dp: int = 0) -> str:
    """A count with thousands separators; negative numbers with a true minus sign."""
    if missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    return ("−" if v < 0 else "") + f"{abs(v):,.{dp}f}"


def signed(value: object, dp: int = 1) -> str:
    """A change with its sign: +3.2 or −1.0."""
    if missing(value):
        return "–"
    v = float(value)  # type: ignore[arg-type]
    return ("+" if v > 0 else "−" if v < 0 else "±") + f"{abs(v):,.{dp}f}"


def rating(value: object) -> str:
    """A rule rating as words ('not_met' → 'Not met')."""
    return "–" if missing(value) else RATING_LABELS.get(str(value), str(value))


def words(value: object) -> str:
    """Identifier as words: 'demand_management_ae' → 'Demand management ae'; 'gps' → 'GPs'."""
    if missing(value):
        return "–"
    key = str(value).strip().replace(" ", "_")
    if key in LABELS:
        return LABELS[key]
    s = str(value).replace("_", " ")
    return s[:1].upper() + s[1:]


def plain(value: object) -> str:
    """Any value as text ('–' when missing); whole floats without '.0'."""
    if missing(value):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)
