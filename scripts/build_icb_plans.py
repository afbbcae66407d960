"""Write the built-in illustrative medium-term plans of today's ICBs, one per ICB of icb2023 and
icb2026, into src/openstp/plan/builtin_<set>/.

Run from the repository root:  python scripts/build_icb_plans.py

Each plan runs from 2025/26 to 2030/31 (the Medium Term Planning Framework's three years and a
five-year view) and closes its ICB's own do-nothing gap (built-in parameters, ``openstp gap
--footprint-set <set> --base-year 2025/26 --year 2030/31``) on paper, every year, with what the
framework asks and nothing invented:

* provider productivity at ``icb.targets.productivity_growth`` (2%) of the ICB's base-year NHS
  spend a year, cumulative, one cost improvement programme per acute trust of the ICB, split by
  the trust's general and acute beds (sitrep, 2024/25 mean) times the share of its patients
  from this ICB;
* whatever gap is left each year as one neighbourhood health ("left shift") scheme owned by the
  ICB: the framework's route for the rest, sized as the remainder, not from any ICB's plan.

No scheme is sized for ICB running costs or agency staff: no per-ICB figure of either is shipped,
so those MTPF rules report no evidence until a plan gives them (``icb.running_costs`` …). These
plans are ILLUSTRATIVE, labelled so in every file; the run-time program never reads the shared
data folder, and neither does this script (it reads the package's own tables).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from openstp import data
from openstp.data import icb as icb_data
from openstp.defaults import ICB_SETS
from openstp.gap import compute_gap
from openstp.io import write_text_atomic
from openstp.params import builtin_parameters
from openstp.plan import Plan, plan_to_yaml_str, validate_plan

ROOT = Path(__file__).resolve().parents[1]
BASE, HORIZON = "2025/26", "2030/31"
BEDS_YEAR = "2024/25"
PRODUCTIVITY = "icb.targets.productivity_growth"
GRADES = {
    "provider_efficiency": ("B", ("National provider CIP record 2009/10-2017/18: 76-93% of "
                                  "planned recurrent savings delivered (FACTS 3.7-3.9)")),
    "neighbourhood_health": ("C", ("Out-of-hospital and demand management schemes of the STP "
                                   "era delivered well short of plan (FACTS 3.12; NAO on the "
                                   "Better Care Fund, FACTS 6.6)")),
}


def out_dir(footprint_set: str) -> Path:
    """Where a set's built-in ICB plans live."""
    return ROOT / "src" / "openstp" / "plan" / f"builtin_{footprint_set}"


def trust_weights(footprint_set: str, code: str) -> dict[str, tuple[str, float]]:
    """Acute trust code → (name, weight) for one ICB: mean G&A beds × the ICB's patient share."""
    orgs = data.organisations(footprint_set)
    acute = orgs[(orgs["footprint"] == code) & (orgs["kind"] == "acute_trust")]
    beds = data.table("icb_trust_beds_monthly")
    start = int(BEDS_YEAR[:4])
    month = beds["month"]
    in_year = (((month.str[:4].astype(int) == start) & (month.str[5:].astype(int) >= 4))
               | ((month.str[:4].astype(int) == start + 1) & (month.str[5:].astype(int) <= 3)))
    mean = beds[in_year].groupby("trust")["ga_beds_available"].mean()
    out = {}
    for row in acute.itertuples():
        weight = float(mean.get(row.code, 0.0)) * float(row.share)
        if weight > 0:
            out[row.code] = (row.name, weight)
    return out


def build_plan(footprint_set: str, code: str, name: str, years: list[str], gap: np.ndarray,
               base_nhs: float, target: float) -> Plan:
    """One ICB's illustrative plan from its do-nothing gap by year (£, all sectors)."""
    t = np.arange(len(years))
    productivity = target * t * base_nhs
    rest = np.clip(gap - productivity, 0, None)
    first = years[1]

    def money(series: np.ndarray) -> dict[str, int]:
        return {y: math.ceil(float(v)) for y, v in zip(years, series, strict=True) if v >= 0.5}

    def evidence(kind: str) -> dict[str, str]:
        grade, citation = GRADES[kind]
        return {"grade": grade, "citation": citation}

    trusts = trust_weights(footprint_set, code)
    total = sum(w for _, w in trusts.values())
    schemes = [{"id": f"cip-{trust.lower()}", "type": "provider_efficiency", "owner": trust,
                "name": f"Productivity (cost improvement), {trust_name}", "sector": "acute",
                "start_year": first, "saving": money(productivity * weight / total),
                "evidence": evidence("provider_efficiency")}
               for trust, (trust_name, weight) in sorted(trusts.items())]
    icb = data.organisations(footprint_set)
    icb_code = icb.loc[(icb["footprint"] == code) & (icb["kind"] == "icb"), "code"].iloc[0]
    schemes.append({"id": "neighbourhood-health", "type": "neighbourhood_health",
                    "owner": icb_code, "sector": "acute", "start_year": first,
                    "name": "Neighbourhood health and left shift (the rest of the gap)",
                    "saving": money(rest), "evidence": evidence("neighbourhood_health")})
    horizon = years[-1]
    description = (
        f"ILLUSTRATIVE PLAN derived from national published series; it is not {name}'s own "
        f"plan. It closes this ICB's do-nothing gap (£{gap[-1] / 1e6:,.0f}m in {horizon}, base "
        f"{years[0]}, allocation = target share of the national ICB total, built-in "
        "parameters) on paper every year: provider productivity at the Medium Term Planning "
        f"Framework's {target:.0%} of base-year NHS spend a year (£{productivity[-1] / 1e6:,.0f}m "
        f"by {horizon}), split across the ICB's acute trusts by beds and catchment, "
        + (f"and the rest ({_rest_years(years, rest)}) as neighbourhood health. " if rest.any()
           else "which alone covers the gap in every year, so no other scheme is sized. ")
        + "Sources: icb.targets.productivity_growth, params/icb/*.yaml. Replace with the ICB's "
        "own plan.")
    plan = Plan.model_validate({
        "footprint": code, "footprint_set": footprint_set,
        "name": f"{name}: illustrative medium-term plan", "illustrative": True,
        "description": description, "base_year": years[0], "horizon": horizon,
        "schemes": [s for s in schemes if s["saving"]]})
    problems = validate_plan(plan, f"built-in plan {code}")
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    return plan


def _rest_years(years: list[str], rest: np.ndarray) -> str:
    return ", ".join(f"£{v / 1e6:,.0f}m in {y}" for y, v in zip(years, rest, strict=True) if v > 0)


HEADER = """# ILLUSTRATIVE PLAN — NOT {name}'s OWN PLAN.
# Written by scripts/build_icb_plans.py from national published series (the ICB's share of the
# national ICB total, NHS England's weighted populations, the MTPF's 2% productivity) scaled to
# this ICB's own do-nothing gap. Replace it with the ICB's real plan file to test a real plan.
# Money is £ cash (not thousands); years are NHS financial years.
"""


def build_set(footprint_set: str) -> int:
    """Write every ICB plan of one set; the number written."""
    params = builtin_parameters()
    arrays = compute_gap(footprint_set, params, BASE, HORIZON)
    gap = arrays.gap.sum(axis=1)  # (f, y)
    base = arrays.base.sum(axis=1)
    names = data.footprints(footprint_set).set_index("code")["name"]
    target = params.value(PRODUCTIVITY)
    folder = out_dir(footprint_set)
    folder.mkdir(parents=True, exist_ok=True)
    for f, code in enumerate(arrays.footprints):
        name = str(names[code])
        plan = build_plan(footprint_set, code, name, arrays.years, gap[f], base[f], target)
        write_text_atomic(folder / f"{code}.yaml",
                          HEADER.format(name=name) + plan_to_yaml_str(plan))
    return len(arrays.footprints)


def main(argv: list[str] | None = None) -> None:
    """Build the ICB plans of every ICB set (or those named)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"default: {', '.join(ICB_SETS)}")
    for footprint_set in parser.parse_args(argv).sets or ICB_SETS:
        icb_data.check_icb_set(footprint_set)
        print(f"{footprint_set}: {build_set(footprint_set)} plans in {out_dir(footprint_set)}")


if __name__ == "__main__":
    main()
