"""The series a plan for today's ICBs needs, from the parameter tree and the ICB reference tables.

``nhs_budget``: NHS England's revenue budget by year, planned to 2028/29 and assumed beyond.
``national_icb_total``: the national ICB allocation in a year. ``icb_allocations``: each ICB's
allocation = its share x the national total, where the share converges from a current share
(if given) to the target share of NHS England's weighted populations. ``opening_positions``:
each ICB's reported or apportioned surplus (+) or deficit (-). Every row says how it was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from openstp.data import icb as icb_data
from openstp.data.reference import footprints
from openstp.errors import ParameterError, problem
from openstp.params.tree import Parameters, builtin_parameters

if TYPE_CHECKING:
    import pandas as pd

BUDGET = "icb.funding.nhs_england_rdel"
ALLOC = "icb.allocations"
OPENING = "icb.opening"


def _params(params: Parameters | None) -> Parameters:
    return builtin_parameters() if params is None else params


def _next_year(fy: str) -> str:
    start = int(fy[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def nhs_budget(years: Sequence[str], params: Parameters | None = None, path: str = BUDGET,
               case: str = "central") -> pd.DataFrame:
    """NHS England's revenue budget (cash £bn) for ``years``: the series where it runs, and
    after its last year grown by ``icb.funding.real_growth_after_2028_29`` (its ``case``) and
    the deflator assumption. Columns: year, cash_gbp_bn, method (published or assumed)."""
    import pandas as pd

    p = _params(params)
    series = p.series(path)
    last = max(series)
    real = p.value("icb.funding.real_growth_after_2028_29", case=case)
    deflator = p.value("icb.funding.gdp_deflator_growth_after_2028_29", case=case)
    rows, year, value = [], last, series[last]
    extended = dict(series)
    while year < max(years):
        year = _next_year(year)
        value *= (1 + real) * (1 + deflator)
        extended[year] = value
    missing = [y for y in years if y not in extended]
    if missing:
        raise ParameterError([problem(p[path].file, f"no {path} for {', '.join(missing)} (it "
                                      f"covers {min(series)} to {last}, then an assumption)",
                                      p[path].line, path)])
    for y in years:
        rows.append({"year": y, "cash_gbp_bn": extended[y],
                     "method": "published" if y in series else "assumed"})
    return pd.DataFrame(rows)


def national_icb_total(year: str, params: Parameters | None = None,
                       case: str = "central") -> tuple[float, str]:
    """England's ICB allocation in ``year`` (£bn) and how it was found: the House of Commons
    Library's 2024/25 total, else that year's NHS England budget x the 2024/25 ICB share."""
    p = _params(params)
    if year == "2024/25":
        return p.value(f"{ALLOC}.national_total_2024_25"), "published"
    budget = nhs_budget([year], p, case=case).iloc[0]
    share = p.value(f"{ALLOC}.share_of_nhs_england_rdel", case=case)
    return share * budget["cash_gbp_bn"], f"derived ({budget['method']} budget)"


def target_shares(footprint_set: str, year: str, params: Parameters | None = None) -> pd.DataFrame:
    """Each ICB's target share of the national ICB total in ``year``: core services by the core
    weighted population, primary medical care by its own, the rest (neither) by core.

    Columns: footprint, target_share, weights_year, weights_method. Years after the last
    published allocation year use that year's weights (weights_year says which)."""
    p = _params(params)
    wp = icb_data.weighted_populations(footprint_set)
    years = sorted(wp["allocation_year"].unique())
    if year < years[0]:
        raise ParameterError([problem("--base-year", f"no weighted populations before "
                                      f"{years[0]} (asked for {year})", field="year")])
    weights_year = year if year in years else years[-1]
    wp = wp[wp["allocation_year"] == weights_year]
    total = p.value(f"{ALLOC}.national_total_2024_25")
    pmc = p.value(f"{ALLOC}.primary_medical_care_2024_25") / total
    share = (1 - pmc) * wp["core_wp_share"] + pmc * wp["pmc_wp_share"]
    return wp.assign(target_share=share, weights_year=weights_year)[
        ["footprint", "target_share", "weights_year", "method"]].rename(
        columns={"method": "weights_method"}).reset_index(drop=True)


def icb_allocations(footprint_set: str, year: str, params: Parameters | None = None,
                    current_shares: Mapping[str, float] | None = None,
                    national_total: float | None = None, case: str = "central") -> pd.DataFrame:
    """Each ICB's allocation in ``year``: share x the national ICB total (£bn).

    An ICB in ``current_shares`` (its share of the national total now) moves towards its target
    by ``icb.allocations.convergence`` of the distance in ``year``; the others share what is left
    in proportion to their targets, so the shares always add to 1 and the allocations to the
    national total (``national_total`` if given, else ``national_icb_total``).
    """
    p = _params(params)
    out = target_shares(footprint_set, year, p)
    known = set(out["footprint"])
    current = dict(current_shares or {})
    unknown = sorted(set(current) - known)
    if unknown:
        raise ParameterError([problem("current_shares", f"unknown ICB {', '.join(unknown)} in "
                                      f"{footprint_set}", field="current_shares")])
    conv = p[f"{ALLOC}.convergence"]
    years = conv.years
    step = 1.0 if year > max(years) else (p.value(conv.path, year, case) if year in years
                                          else 0.0)
    given = out["footprint"].isin(list(current))
    converged = out["footprint"].map(current) + (
        out["target_share"] - out["footprint"].map(current)) * step
    rest = 1 - converged[given].sum()
    if not 0 <= rest <= 1:
        raise ParameterError([problem("current_shares", f"shares given add to more than 1 "
                                      f"after convergence ({1 - rest:.4f})",
                                      field="current_shares")])
    others = out.loc[~given, "target_share"]
    out["share"] = converged.where(given, out["target_share"] * rest / others.sum())
    if national_total is None:
        total, method = national_icb_total(year, p, case)
    else:
        total, method = national_total, "given"
    out["allocation_gbp_bn"] = out["share"] * total
    out["share_method"] = given.map({True: "converging from current", False: "target share"})
    out["national_total_gbp_bn"], out["national_total_method"] = total, method
    return out


def opening_positions(footprint_set: str, year: str = "2024/25",
                      params: Parameters | None = None) -> pd.DataFrame:
    """Each ICB's opening surplus (+) or deficit (-) in £bn, labelled by method.

    2024/25: the named systems' control totals (published); the national planned deficit left
    after them is shared over the other ICBs by core weighted population (apportioned: deficits
    do not follow size, so read these as a placeholder for the system's own figure). 2025/26:
    the national deficit before deficit support and the support itself, both apportioned. For
    icb2026 the 2023 ICBs' figures are carried by shared population; a 2026 ICB is published
    only if all of it is published 2023 ICBs. Columns: footprint, surplus_gbp_bn,
    deficit_support_gbp_bn, underlying_gbp_bn (where a system reported one), method.
    """
    import pandas as pd

    p = _params(params)
    icb_data.check_icb_set(footprint_set)
    fps = footprints("icb2023")
    code23 = dict(zip(fps["ods_code"], fps["code"], strict=True))
    weights = icb_data.weighted_populations("icb2023")
    if year not in ("2024/25", "2025/26"):
        raise ParameterError([problem("--base-year", f"no reported system positions for {year}"
                                      "; use 2024/25 or 2025/26", field="year")])
    w = weights[weights["allocation_year"] == year].set_index("footprint")["core_wp_share"]
    named = {code23[c]: p.value(f"{OPENING}.control_totals_2024_25.{c}")
             for c in _children(p, f"{OPENING}.control_totals_2024_25")} if year == "2024/25" \
        else {}
    national = p.value(f"{OPENING}.national." + ("planned_deficit_2024_25" if year == "2024/25"
                                                 else "planned_deficit_before_support_2025_26"))
    support = 0.0 if year == "2024/25" else p.value(f"{OPENING}.national.deficit_support_2025_26")
    rest = w.drop(list(named))
    out = pd.DataFrame({"footprint": w.index})
    left = national - sum(named.values())
    out["surplus_gbp_bn"] = out["footprint"].map(named).fillna(
        out["footprint"].map(rest / rest.sum() * left))
    out["deficit_support_gbp_bn"] = out["footprint"].map(w) * support
    out["published"] = out["footprint"].isin(list(named))
    underlying = {code23[c]: p.value(f"{OPENING}.underlying_2024_25.{c}")
                  for c in _children(p, f"{OPENING}.underlying_2024_25")}
    out["underlying_gbp_bn"] = out["footprint"].map(underlying) if year == "2024/25" else None
    if footprint_set == "icb2026":
        out = _carry_to_2026(out)
    out["method"] = out.pop("published").map({True: "published", False: "apportioned"})
    return out.reset_index(drop=True)


def _children(p: Parameters, prefix: str) -> list[str]:
    return [path.rsplit(".", 1)[1] for path in p.paths(prefix)]


def _carry_to_2026(out: pd.DataFrame) -> pd.DataFrame:
    cw = icb_data.crosswalk()
    joined = cw.merge(out, left_on="icb2023", right_on="footprint")
    money = ["surplus_gbp_bn", "deficit_support_gbp_bn", "underlying_gbp_bn"]
    joined[money] = joined[money].astype(float).mul(joined["share_of_icb2023"], axis=0)
    joined["published"] &= joined["share_of_icb2023"] > 1 - 1e-6
    agg = {m: ("sum" if m != "underlying_gbp_bn" else lambda s: s.sum(min_count=1))
           for m in money}
    carried = joined.groupby("icb2026").agg({**agg, "published": "all"})
    return carried.rename_axis("footprint").reset_index()
