"""Small illustrative plans for the sample results folder: real organisations, invented schemes.

Each plan closes its footprint's NHS do-nothing gap on paper with a typical STP mix of schemes;
nothing in it is taken from a real STP.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from openstp import data
from openstp.plan import Plan, fy_range

RAMP = (0.15, 0.35, 0.6, 0.85, 1.0)
"""Share of a scheme's full saving delivered in each plan year after the base year."""

MIX: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("provider-cip", "Cost improvement programme at {trust}", "provider_efficiency", "trust",
     "B", 0.45),
    ("outpatient-redesign", "Outpatient follow-up redesign", "demand_management_outpatients",
     "ccg", "C", 0.10),
    ("admission-avoidance", "Integrated teams to avoid emergency admissions",
     "demand_management_non_elective", "ccg", "C", 0.12),
    ("acute-reconfiguration", "Reconfigure acute and urgent care", "service_reconfiguration",
     "trust", "D", 0.13),
    ("medicines-optimisation", "Shared medicines optimisation", "prescribing", "ccg", "B", 0.08),
    ("back-office", "Shared back office and estates", "back_office_estates", "trust", "B", 0.07),
    ("agency-staff", "Reduce agency staff spend", "workforce_agency", "trust", "A", 0.05),
)
"""(id, name, type, owner kind, evidence grade, share of the NHS gap) of each sample scheme."""


def _owners(code: str) -> dict[str, tuple[str, str]]:
    orgs = data.footprint_organisations(code, "stp2017")
    out: dict[str, tuple[str, str]] = {}
    for kind, key in (("ccg", "ccg"), ("acute_trust", "trust"), ("council", "council")):
        rows = orgs[orgs["kind"] == kind]
        if not rows.empty:
            row = rows.iloc[0]
            ident = row["ods_code"] if kind == "ccg" and pd.notna(row["ods_code"]) else row["code"]
            out[key] = (str(ident), str(row["name"]))
    return out


def _profile(total: float, years: list[str]) -> dict[str, float]:
    return {y: round(total * share, -3) for y, share in zip(years, RAMP, strict=False)}


def sample_plan(code: str, nhs_gap: float, base_year: str = "2015/16",
                horizon: str = "2020/21") -> Plan:
    """An illustrative plan for footprint ``code`` whose schemes add up to ``nhs_gap`` (£)."""
    fp = data.resolve_footprint(code, "stp2017")
    owners = _owners(code)
    years = fy_range(base_year, horizon)[1:]
    trust_code, trust_name = owners["trust"]
    schemes: list[dict[str, Any]] = []
    for ident, name, kind, owner, grade, share in MIX:
        schemes.append({
            "id": ident, "name": name.format(trust=trust_name), "type": kind,
            "owner": owners[owner][0], "start_year": years[0],
            "saving": _profile(share * nhs_gap, years),
            "evidence": {"grade": grade},
            "business_case": grade in ("A", "B"),
        })
    schemes[2]["investment"] = {y: round(0.01 * nhs_gap, -3) for y in years}
    schemes[2]["workforce_dependent"] = True
    schemes[3]["double_running"] = {years[2]: round(0.03 * nhs_gap, -3)}
    if "council" in owners:
        schemes.append({
            "id": "social-care", "name": "Home care to support discharge",
            "type": "social_care", "owner": owners["council"][0],
            "sector": "adult_social_care", "start_year": years[1],
            "saving": _profile(0.02 * nhs_gap, years[1:]), "evidence": {"grade": "C"}})
    doc = {
        "footprint": code, "footprint_set": "stp2017",
        "name": f"{fp.name} illustrative plan (sample)", "illustrative": True,
        "description": "SAMPLE plan written by openstp.report.sample for tests and demos; every "
                       "scheme and figure is invented.",
        "base_year": base_year, "horizon": horizon,
        "governance": {"lead": {"name": "Sample Lead", "role": "Senior responsible officer"},
                       "decision_rights": "Advisory", "published": True},
        "schemes": schemes,
        "bed_changes": [{
            "id": "acute-bed-reduction", "trust": trust_code, "year": years[3], "change": -40,
            "justification": "Fewer emergency admissions once community teams are in place.",
            "conditions": [{"condition": "alternative_provision",
                            "evidence": "Integrated teams in place a year before closure."}],
            "relies_on": ["admission-avoidance"]}],
        "workforce": {"nurses_midwives": {years[0]: {"recruitment": 200, "training_places": 150}},
                      "gps": {years[1]: {"recruitment": 20, "training_places": 30}}},
    }
    return Plan.model_validate(doc)
