"""Write the built-in illustrative plans: one per 2017 footprint, into src/openstp/plan/builtin/.

Run from the repository root:  python scripts/build_builtin_plans.py [--shared ../shared/data]

Each plan closes its footprint's own do-nothing gap (base 2015/16, SR2015 funding, horizon
2020/21, built-in parameters) on paper, every year, with the national mix of savings that the
STPs reported (params/plans/national_mix.yaml):

* NHS part of the gap, plus the footprint's share of the national transformation money spent
  on double running, is closed by
  - provider efficiency: ``provider_efficiency_share`` of it, one CIP per acute trust (equal);
  - demand management, one scheme per activity type owned by the largest CCG: the Nuffield
    Trust's average planned cut × the share of STPs that planned it × national spend on that
    activity, scaled by the footprint's acute and specialised cost (the national total of
    about £4bn in 2020/21 matches the Nuffield Trust's "£4bn of £22bn", FACTS 3.12);
  - the rest split by ``remainder_share`` between service reconfiguration (largest CCG; it
    depends on the non-elective demand scheme), back office and estates (the acute trust with
    most A&E attendances in 2016/17) and prescribing (largest CCG);
* the public health and adult social care part by one social care scheme of the largest
  upper-tier council.

Evidence grades follow the evidence: CIPs B (a national delivery record), prescribing B,
back office C, demand management and social care C (FACTS 3.12, NAO on the Better Care Fund),
reconfiguration D (FACTS 3.16).

Beside the derived money, each plan carries what was reported about the footprint's real STP
(``scripts/plan_facts.py``), each fact with its ``sources``: the emergency departments and
maternity units marked for closure or downgrade, as ``site_changes`` on the matched service
sites (every published name and its match, or why none, in ``plan/builtin/published_matches.csv``);
the published bed cuts; who led the footprint and from which kind of organisation, and that the
plan was published. What was not reported stays out, so the rules say ``no_evidence``.

This reads the shared folder's monthly A&E attendances by trust (to pick the largest acute trust)
and its ``published/`` tables; the run-time program never reads the shared folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from openstp import data
from openstp.gap import NHS_SECTORS, compute_gap
from openstp.io import write_text_atomic
from openstp.params import builtin_parameters
from openstp.plan import Plan, fy_range, plan_to_yaml_str, validate_plan

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_facts import PUBLISHED_SOURCE, Facts, decision_rights, read_facts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "openstp" / "plan" / "builtin"
SET = "stp2017"
BASE, HORIZON = "2015/16", "2020/21"
ACTIVITIES = {"outpatients": "demand_management_outpatients",
              "elective": "demand_management_elective",
              "non_elective": "demand_management_non_elective",
              "ae": "demand_management_ae"}
REMAINDER = ("service_reconfiguration", "back_office_estates", "prescribing")
ACTIVITY_SECTORS = ("acute", "specialised")
ACTIVITY_LABELS = {"outpatients": "outpatient attendances", "elective": "elective admissions",
                   "non_elective": "emergency admissions", "ae": "A&E attendances"}
AE_FILE = Path("geography/trusts/ae_attendances_by_trust_monthly_2016_2019_nhsr.csv")
AE_YEAR = ("2016-04-01", "2017-04-01")
HEADER = """\
# ILLUSTRATIVE PLAN — NOT {name}'s OWN PLAN.
# Written by scripts/build_builtin_plans.py. The savings are derived from national published
# aggregates (the STPs' national mix, params/plans/national_mix.yaml) sized to this footprint's
# own do-nothing gap and spend; the site changes, bed changes and governance are what was
# reported about the footprint's real STP, each with its sources. Replace it with the
# footprint's real plan file to test a real plan.
# Money is £ cash (not thousands); years are NHS financial years.
"""
GRADES = {  # scheme kind: (evidence grade, citation)
    "provider_efficiency": (
        "B", ("National provider CIP record 2009/10-2017/18: 76-93% of planned recurrent savings "
             "delivered (FACTS 3.7-3.9)")),
    "demand_management": (
        "C", ("Nuffield Trust (2017), Shifting the balance of care: some out-of-hospital schemes "
             "save money, others do not (FACTS 3.12)")),
    "service_reconfiguration": (
        "D", ("King's Fund (2014): evidence that reconfiguration saves money is almost entirely "
             "lacking (FACTS 3.16)")),
    "back_office_estates": (
        "C", ("Carter review (2016): £1bn each from estates and procurement nationally, delivery "
             "slow")),
    "prescribing": ("B", "Carter review (2016): £1bn from medicines optimisation nationally"),
    "social_care": ("C", "NAO (2017): Better Care Fund planned savings not realised"),
}


def _value(path: str, year: str | None = None) -> float:
    return builtin_parameters().value(path, year)


def _largest(codes: pd.Series, population: pd.Series) -> str:
    """The code with the most people among ``codes`` (one per LSOA)."""
    return str(population.groupby(codes.to_numpy()).sum().idxmax())


def _owners(shared: Path) -> dict[str, dict[str, str]]:
    """Per footprint: largest CCG (ODS), largest council (ONS), largest acute trust (ODS)."""
    orgs = data.organisations(SET)
    lsoas = data.lsoas().set_index("lsoa11cd")
    pop = data.lsoa_population(2017).sum(axis=1).reindex(lsoas.index).fillna(0)
    ae = pd.read_csv(shared / AE_FILE, parse_dates=["period"])
    ae = ae[(ae["period"] >= AE_YEAR[0]) & (ae["period"] < AE_YEAR[1])]
    attendances = ae.groupby("org_code")["attendances"].sum()
    owners = {}
    for code, here in lsoas.groupby(SET):
        local = orgs[orgs["footprint"] == code]
        ccg_ons = _largest(here["ccg16"], pop[here.index])  # the CCGs of the reference data
        ccg = local.loc[local["code"] == ccg_ons, "ods_code"].iloc[0]
        council = _largest(here["utla17"], pop[here.index])
        trusts = sorted(local.loc[local["kind"] == "acute_trust", "ods_code"])
        biggest = max(trusts, key=lambda t: (attendances.get(t, 0), t))
        owners[code] = {"ccg": ccg, "council": council, "trust": biggest,
                        "trusts": ",".join(trusts)}
    return owners


def _schemes(code: str, years: list[str], nhs: np.ndarray, local: np.ndarray,
             activity_cost: np.ndarray, england_activity: dict[str, float],
             double_running: np.ndarray, owners: dict[str, str], trust_names: dict[str, str]
             ) -> tuple[list[dict], dict[str, float]]:
    """The plan's schemes and the shares of the closing amount each type took (horizon)."""
    first = years[1]
    need = np.clip(nhs + double_running, 0, None)  # (year,) to close
    h = -1
    cip_share = _value("plans.national_mix.provider_efficiency_share")
    dm_shares = {}
    for activity in ACTIVITIES:
        spend = builtin_parameters()[f"plans.national_mix.activity_spend.{activity}"]
        year = spend.years[0]
        cut = _value(f"plans.national_mix.activity_cut.{activity}")
        prevalence = (_value(f"plans.national_mix.stps_planning_cut.{activity}")
                      / _value("plans.national_mix.stp_count"))
        saving_h = (cut * prevalence * spend.get(year) * 1e9 * activity_cost[h]
                    / england_activity[year])
        dm_shares[activity] = (saving_h / need[h], cut * prevalence)
    dm_total = sum(s for s, _ in dm_shares.values())
    scale = min(1.0, (1 - cip_share) / dm_total) if dm_total > 0 else 1.0
    rest_share = 1 - cip_share - dm_total * scale
    weights = np.array([_value(f"plans.national_mix.remainder_share.{t}") for t in REMAINDER])
    weights = weights / weights.sum()

    def money(series: np.ndarray) -> dict[str, int]:
        # the base year is the starting position (its opening deficit included): plans act after
        return {y: round(float(v)) for y, v in zip(years, series, strict=True)
                if y >= first and round(v) > 0}

    def evidence(kind: str) -> dict[str, str]:
        grade, citation = GRADES[kind]
        return {"grade": grade, "citation": citation}

    schemes = []
    trusts = owners["trusts"].split(",")
    sizes = _trust_sizes(trusts)
    for trust in trusts:
        schemes.append({
            "id": f"cip-{trust.lower()}", "type": "provider_efficiency", "owner": trust,
            "name": f"Cost improvement programme, {trust_names[trust]}", "sector": "acute",
            "start_year": first, "saving": money(need * cip_share * sizes[trust]),
            "evidence": evidence("provider_efficiency"),
            "description": (f"{sizes[trust]:.0%} of the footprint's provider efficiency: the "
                            "trust's share of the footprint's acute trusts' G&A beds (winter "
                            "2016/17 sitrep), its size as a provider.")})
    dm_h = {a: s * scale for a, (s, _) in dm_shares.items()}
    for activity, kind in ACTIVITIES.items():
        share = dm_h[activity]
        schemes.append({
            "id": f"dm-{activity.replace('_', '-')}", "type": kind, "owner": owners["ccg"],
            "name": f"Demand management: {ACTIVITY_LABELS[activity]} below trend",
            "sector": "acute", "start_year": first, "saving": money(need * share),
            "double_running": money(double_running * share / (dm_total * scale)),
            "activity_change": -round(dm_shares[activity][1] * scale, 4),
            "evidence": evidence("demand_management")})
    owner_of = {"service_reconfiguration": owners["ccg"], "back_office_estates": owners["trust"],
                "prescribing": owners["ccg"]}
    sector_of = {"service_reconfiguration": "acute", "back_office_estates": "acute",
                 "prescribing": "prescribing"}
    title = {"service_reconfiguration": "Service reconfiguration",
             "back_office_estates": "Back office, procurement and estates",
             "prescribing": "Medicines optimisation"}
    for kind, weight in zip(REMAINDER, weights, strict=True):
        scheme = {"id": kind.replace("_", "-"), "type": kind, "owner": owner_of[kind],
                  "name": title[kind], "sector": sector_of[kind], "start_year": first,
                  "saving": money(need * rest_share * weight), "evidence": evidence(kind)}
        if kind == "service_reconfiguration":
            scheme["depends_on"] = ["dm-non-elective"]
        schemes.append(scheme)
    schemes.append({"id": "social-care", "type": "social_care", "owner": owners["council"],
                    "name": "Social care and integration savings (public health and adult "
                            "social care gap)",
                    "sector": "adult_social_care", "start_year": first,
                    "saving": money(np.clip(local, 0, None)), "evidence": evidence("social_care")})
    mix = {"provider_efficiency": cip_share, "demand_management": dm_total * scale,
           **{k: rest_share * w for k, w in zip(REMAINDER, weights, strict=True)}}
    return [s for s in schemes if s["saving"]], mix


def _trust_sizes(trusts: list[str]) -> dict[str, float]:
    """Each acute trust's share of the trusts' G&A beds (winter 2016/17); equal shares when a
    trust made no return (its size is unknown)."""
    beds = data.table("trust_beds_2016_17").groupby("counted_as")["beds_open"].sum()
    if not all(t in beds.index for t in trusts):
        return {t: 1 / len(trusts) for t in trusts}
    total = sum(beds[t] for t in trusts)
    return {t: float(beds[t] / total) for t in trusts}


REPORTED_BED_CUTS = "plans.reported_bed_cuts"
NOTTINGHAM_UNIVERSITY_HOSPITALS = "RX1"  # the one cut reported for a named trust


def _reported_bed_cut(code: str, params, orgs: pd.DataFrame, schemes: list[dict]) -> list[dict]:
    """The bed cut published reviews reported from this footprint's 2016 STP, if any: one
    closure in the horizon year relying on the plan's demand management, no condition evidenced
    (the plans predate NHS England's March 2017 bed test)."""
    path = f"{REPORTED_BED_CUTS}.{code}"
    if path not in params:
        return []
    acute = sorted(orgs.loc[(orgs["footprint"] == code) & (orgs["kind"] == "acute_trust"),
                            "code"])
    trust = NOTTINGHAM_UNIVERSITY_HOSPITALS if NOTTINGHAM_UNIVERSITY_HOSPITALS in acute else acute[0]
    beds = int(params.value(path))
    return [{
        "id": "reported-bed-cut", "trust": trust, "year": HORIZON, "change": beds,
        "bed_type": "general_acute",
        "justification": (f"Bed cut reported from the October 2016 STP ({-beds} beds by 2020/21, "
                          f"{params[path].source_text()}); a footprint total, put on {trust} "
                          "because the plan file records changes by trust."),
        "sources": [f"{params[path].source_text()} (params/{path.replace('.', '/', 1)})"],
        "relies_on": [s["id"] for s in schemes
                      if s["type"] in ("demand_management_non_elective",
                                       "demand_management_elective")],
    }]


def _governance(code: str, facts: Facts) -> dict:
    """The plan was published (all 44 were); its lead where one was reported; its basis for
    joint decisions where one was (accountable care systems and devolution deals)."""
    governance = {"published": True, "sources": [PUBLISHED_SOURCE]}
    if code in facts.leads:
        governance["lead"] = facts.leads[code]
    rights = decision_rights(code)
    if rights is not None:
        governance["decision_rights"], sources = rights
        governance["sources"] += sources
    return governance


def _facts_text(code: str, facts: Facts) -> str:
    """The description's account of the reported facts, and of what could not be modelled."""
    changes = facts.site_changes.get(code, [])
    text = (f"Reported service changes modelled: {len(changes)} (see site_changes). "
            if changes else "No service change reported from this STP was found. ")
    if code not in facts.leads:
        text += "Its lead was not found in the stored sources. "
    return text + "".join(f"{note} " for note in facts.unmatched_notes.get(code, []))


def build(shared: Path) -> tuple[list[Plan], pd.DataFrame]:
    """Build the 44 plans (validated) without writing them, and the record of how each
    published service change was matched to a site."""
    params = builtin_parameters()
    arrays = compute_gap(SET, params, BASE, HORIZON, "sr2015")
    years = fy_range(BASE, HORIZON)
    nhs_idx = [arrays.sectors.index(s) for s in NHS_SECTORS]
    act_idx = [arrays.sectors.index(s) for s in ACTIVITY_SECTORS]
    gap_all = arrays.gap.sum(axis=1)
    gap_nhs = arrays.gap[:, nhs_idx].sum(axis=1)
    activity = arrays.cost[:, act_idx].sum(axis=1)  # (footprint, year)
    england_activity = dict(zip(years, activity.sum(axis=0), strict=True))
    transformation = params.value("plans.national_mix.transformation_double_running") * 1e9
    dr_national = np.array([0.0] + [transformation] * (len(years) - 1))
    owners = _owners(shared)
    names = data.footprints(SET).set_index("code")["name"]
    orgs = data.organisations(SET)
    trust_names = dict(zip(orgs["ods_code"].fillna(orgs["code"]), orgs["name"], strict=True))
    facts = read_facts(shared, data.table("service_sites"), data.footprints(SET), orgs, HORIZON)
    plans = []
    for f, code in enumerate(arrays.footprints):
        double_running = dr_national * activity[f] / activity.sum(axis=0)
        schemes, mix = _schemes(code, years, gap_nhs[f], gap_all[f] - gap_nhs[f], activity[f],
                                england_activity, double_running, owners[code], trust_names)
        mix_text = ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in mix.items())
        plan = Plan.model_validate({
            "footprint": code, "footprint_set": SET, "illustrative": True,
            "name": f"{names[code]}: built-in plan (reported facts, illustrative savings)",
            "description": (
                f"BUILT-IN PLAN, not {names[code]}'s own STP: its savings are ILLUSTRATIVE, derived "
                f"from national published aggregates; its site changes, bed changes and "
                f"governance are what was reported about the real STP, with sources. It closes this footprint's do-nothing gap (£"
                f"{gap_all[f][-1] / 1e6:,.0f}m in {HORIZON}, all sectors, base {BASE}, SR2015 "
                f"funding) on paper every year with the national mix of savings the STPs "
                f"reported. NHS part of the gap plus double running: {mix_text}. Public "
                f"health and adult social care part: social care scheme. Sources: "
                f"params/plans/national_mix.yaml. {_facts_text(code, facts)}Replace with the "
                f"footprint's own plan."),
            "base_year": BASE, "horizon": HORIZON, "schemes": schemes,
            "governance": _governance(code, facts),
            "bed_changes": _reported_bed_cut(code, params, orgs, schemes),
            "site_changes": facts.site_changes.get(code, [])})
        problems = validate_plan(plan, f"built-in plan {code}")
        if problems:
            raise SystemExit("\n".join(str(p) for p in problems))
        plans.append(plan)
    return plans, facts.matches


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    names = data.footprints(SET).set_index("code")["name"]
    OUT.mkdir(parents=True, exist_ok=True)
    plans, matches = build(args.shared)
    write_text_atomic(OUT / "published_matches.csv", matches.to_csv(index=False))
    for plan in plans:
        text = HEADER.format(name=names[plan.footprint]) + plan_to_yaml_str(plan)
        write_text_atomic(OUT / f"{plan.footprint}.yaml", text)
    print(f"wrote {len(plans)} built-in plans to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
