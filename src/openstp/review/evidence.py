"""Gather what the rules read about one footprint from each model's results."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from openstp import data
from openstp.plan import Plan
from openstp.review.verdict import Evidence

DEPRIVED = "IMD quintile 1 (most deprived)"


def footprint_evidence(plan: Plan, code: str, footprint_set: str, gap_frame: pd.DataFrame,
                       base_spend: dict[str, float], risk, beds, workforce,
                       access: dict[str, dict], minutes: int) -> Evidence:
    """The ``Evidence`` of one footprint from the chain's model results; ``minutes`` is the
    travel threshold the access rules read (review.thresholds.travel_threshold_minutes)."""
    orgs = data.organisations(footprint_set)
    horizon = gap_frame[(gap_frame["footprint"] == code) & (gap_frame["year"] == plan.horizon)]
    gap = horizon.groupby("funder")["gap"].sum().to_dict()
    gap["all"] = float(horizon["gap"].sum())
    return Evidence(plan=plan, footprint=code, organisations=orgs[orgs["footprint"] == code],
                    gap=gap, base_spend=base_spend, risk=risk_evidence(risk, code),
                    beds=beds_evidence(beds, plan, code), workforce=workforce_evidence(workforce),
                    access=access_evidence(access, minutes))


def risk_evidence(risk, code: str) -> dict[str, Any]:
    """P(balance), its standard error and the mean residual gap in the horizon year."""
    row = risk.summary_row(code)  # the run's summary is computed once, then looked up
    return {"probability_of_balance": float(row["probability_of_balance"]),
            "standard_error": float(row["standard_error"]),
            "residual_mean": float(row["residual_mean"])}


def beds_evidence(beds, plan: Plan, code: str) -> dict[str, Any]:
    """The bed test rows and P(enough beds) in every year from the first closure on."""
    closures = beds.closures
    rows = closures[closures["footprint"] == code] if len(closures) else closures
    cuts = [c.year for c in plan.bed_changes if c.change < 0]
    capacity = beds.capacity[beds.capacity["footprint"] == code]
    p_enough = (float(capacity.loc[capacity["year"] >= min(cuts), "p_enough_beds"].min())
                if cuts else None)
    return {"closures": rows, "p_enough_after_closures": p_enough}


def workforce_evidence(workforce) -> dict[str, Any] | None:
    """Shortfall in the horizon year: staff required minus expected supply, summed over groups."""
    table = workforce.table
    horizon = table[table["year"] == table["year"].max()]
    required = float(horizon["required"].sum())
    short = float(np.maximum(horizon["gap"], 0).sum())
    ready = workforce.readiness
    unstaffed = (set(ready.loc[(ready["kind"] == "bed_closure")
                               & (ready["verdict"] != "staffed"), "id"]) if len(ready) else set())
    return {"shortfall_fte": short, "shortfall_share": short / required if required else 0.0,
            "plan": workforce.workforce_plan, "unstaffed_closures": unstaffed}


def access_evidence(access: dict[str, dict], minutes: int) -> dict[str, Any] | None:
    """People newly beyond the threshold (worst service) and who bears it, or None if no change."""
    if not access:
        return None
    worst, worst_moved = None, -1.0
    for service, result in access.items():
        summary = result["summary"].set_index("group")
        moved = (summary[f"beyond_{minutes}min_after"]
                 - summary[f"beyond_{minutes}min_before"]).clip(lower=0)
        if moved["all"] > worst_moved:
            worst, worst_moved = (service, summary, moved), float(moved["all"])
    service, summary, moved = worst
    users = summary["users"]

    def burden(group: str) -> float:
        if moved["all"] <= 0 or users[group] <= 0:
            return 0.0
        return float((moved[group] / moved["all"]) / (users[group] / users["all"]))

    deaths = (access.get("ed", {}).get("headline") or {}).get("extra_deaths_estimate")
    return {"service": service, "people_beyond_threshold": float(moved["all"]),
            "share_population_beyond": float(moved["all"] / users["all"]),
            "deprived_burden_ratio": burden(DEPRIVED), "rural_burden_ratio": burden("rural"),
            "extra_deaths": deaths}
