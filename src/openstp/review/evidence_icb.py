"""What the MTPF rules (``rules_mtpf``) read about one ICB beyond the STP-era evidence: the gap
and the risk-adjusted residual by year, the system's deficit support and the plan's own
base-year running, agency and bank spend."""

from __future__ import annotations

from typing import Any

import pandas as pd

from openstp.plan import Plan


def icb_evidence(plan: Plan, code: str, gap_frame: pd.DataFrame, risk, arrays) -> dict[str, Any]:
    """``Evidence.extra`` for an ICB plan: ``gap_by_year`` and ``residual_by_year`` (£, the
    risk model's mean residual), ``deficit_support`` (£ in the base year, the plan's own or
    apportioned) and, where the plan gives them, ``icb_running_costs``, ``agency_spend`` and
    ``bank_spend``."""
    mine = gap_frame[gap_frame["footprint"] == code]
    residual = risk.residual()
    residual = residual[residual["footprint"] == code]
    extra: dict[str, Any] = {
        "gap_by_year": mine.groupby("year")["gap"].sum().to_dict(),
        "residual_by_year": dict(zip(residual["year"], residual["residual_mean"], strict=True)),
        "deficit_support": float(arrays.stf_to_deficits[arrays.footprints.index(code), 0]),
    }
    own = plan.icb
    if own is not None:
        for key, value in (("icb_running_costs", own.running_costs),
                           ("agency_spend", own.agency_spend), ("bank_spend", own.bank_spend)):
            if value is not None:
                extra[key] = value
    return extra
