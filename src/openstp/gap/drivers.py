"""Read the gap model's drivers from the parameter tree into arrays over sectors and years.

This is the one place where the gap model names parameter paths; everything downstream works on
the arrays. ``cases`` picks the low or high value of one parameter for sensitivity runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from openstp.errors import ParameterError, problem
from openstp.gap.sectors import SECTORS
from openstp.params import Parameters
from openstp.plan.fy import fy_spans

BUDGET = "gap.funding.nhs_england_budget"
PUBLIC_HEALTH_GRANT = "gap.funding.public_health_grant"
SOCIAL_CARE_BASE = "gap.funding.social_care.gross_spend"
SOCIAL_CARE_NEW_MONEY = (
    "gap.funding.social_care.precept",
    "gap.funding.social_care.ibcf",
    "gap.funding.social_care.spring_budget_2017_grant",
)
SECTOR_SHARE = "gap.baseline.sector_share.{sector}"
NON_DEMOGRAPHIC = "gap.growth.non_demographic.{sector}"
PRE_PROJECTION = "gap.growth.demography.pre_projection"
PRE_PROJECTION_SOCIAL_CARE = "gap.growth.demography.pre_projection_social_care"
# Non-demographic growth rates are real against the GDP deflator and already hold the NHS's
# faster-than-average pay and price growth, so cash costs are inflated by the deflator itself.
GDP_DEFLATOR = "gap.inflation.gdp_deflator"
DEFLATOR_ERROR = "gap.inflation.gdp_deflator_error"
DEMOGRAPHY_SCALE = "gap.growth.demography.projection_scale"
PROVIDER_DEFICIT = "gap.opening.provider_underlying_deficit"
COMMISSIONER_SURPLUS = "gap.opening.commissioner_surplus"
STF_SUSTAINABILITY = "gap.funding.stf_sustainability"
WORKING_AGE_SHARE = "gap.baseline.social_care_clients.working_age"
EFFICIENCY = {"historical": "gap.efficiency.historical",
              "national_planning": "gap.efficiency.national_planning"}
FUNDING_OPTIONS = ("sr2015", "flat-real")


@dataclass(frozen=True)
class Drivers:
    """National drivers of cost and funding, per sector (s) and year (y), in £ and indices."""

    years: list[str]
    base_spend: np.ndarray  # (s,) national spend in the base year, £ cash
    non_demographic: np.ndarray  # (s,) real growth per year, fraction
    inflation: np.ndarray  # (s, y) cumulative cost inflation index, 1 at the base year
    deflator: np.ndarray  # (y,) GDP deflator index, 1 at the base year
    funding: np.ndarray  # (s, y) national funding, £ cash
    pre_projection_growth: tuple[float, ...]  # (s,) demographic growth before 2016
    sources: dict[str, str]  # which parameter paths fed the run
    deflator_growth: np.ndarray  # (y,) growth over the year before, 0 in the base year
    demography_scale: float  # scale on projected demographic growth (1 = as projected)
    provider_deficit: float  # England's providers' underlying deficit in the base year, £
    commissioner_surplus: float  # England's commissioners' surplus in the base year, £
    stf_sustainability: np.ndarray  # (y,) STF money paid against deficits, £ cash
    working_age_share: float  # share of adult social care spend on adults aged 18-64
    efficiency: dict[str, float]  # business-as-usual efficiency rates per year, by name
    flat_real: bool  # funding held flat in real terms (so it moves with the deflator)
    deficit_path: str = PROVIDER_DEFICIT  # the opening deficit's ranged parameter (gap draws)


def read_drivers(params: Parameters, years: list[str], funding: str = "sr2015",
                 cases: Mapping[str, str] | None = None,
                 missing: dict[str, list[str]] | None = None) -> Drivers:
    """Drivers for ``years`` (base first) under a funding option, with optional low/high cases.

    Every series without a value for a year is reported at once in one ``ParameterError``; with
    ``missing`` given, the years are recorded there instead (``{path: [years]}``) and the values
    are NaN.
    """
    if missing is None:
        found: dict[str, list[str]] = {}
        drivers = read_drivers(params, years, funding, cases, found)
        if found:
            raise ParameterError([problem(params[path].file, f"{path} has no value for "
                                          f"{fy_spans(gaps)}: it covers "
                                          f"{params[path].years[0]} to {params[path].years[-1]}",
                                          params[path].line, path)
                                  for path, gaps in found.items()])
        return drivers
    cases = dict(cases or {})
    used: dict[str, str] = {}

    def value(path: str, year: str | None = None) -> float:
        used[path] = params[path].source_text()
        param = params[path]
        if year is not None and param.is_series and year not in param.years:
            missing.setdefault(path, []).append(year)
            return float("nan")
        return params.value(path, year, case=cases.get(path, "central"))

    def optional(path: str, year: str) -> float:
        # New money did not exist before its first year: a year the series starts after is zero.
        first = params[path].years[0]
        return value(path, year) if year >= first else 0.0

    base = years[0]
    later = years[1:]
    error = value(DEFLATOR_ERROR)
    deflator_growth = np.array([0.0] + [value(GDP_DEFLATOR, y) + error for y in later])
    deflator = np.cumprod(1 + deflator_growth)
    budget = np.array([value(BUDGET, y) for y in years]) * 1e9
    public_health = np.array([value(PUBLIC_HEALTH_GRANT, y) for y in years]) * 1e9
    social_care_base = value(SOCIAL_CARE_BASE, base) * 1e9
    new_money = np.array([sum(optional(p, y) for p in SOCIAL_CARE_NEW_MONEY)
                          for y in years]) * 1e9
    flat_real = funding == "flat-real"
    base_spend, rows, growth, pre = [], [], [], []
    for sector in SECTORS:
        if sector.funder == "nhs_england":
            share = value(SECTOR_SHARE.format(sector=sector.name))
            series = budget * share
        elif sector.name == "public_health":
            series = public_health
        else:
            series = social_care_base + new_money - new_money[0]
        base_spend.append(series[0])
        rows.append(series[0] * deflator if flat_real else series)
        growth.append(value(NON_DEMOGRAPHIC.format(sector=sector.name)))
        pre.append(value(PRE_PROJECTION_SOCIAL_CARE if sector.name == "adult_social_care"
                         else PRE_PROJECTION))
    return Drivers(
        years=list(years),
        base_spend=np.array(base_spend),
        non_demographic=np.array(growth),
        inflation=np.tile(deflator, (len(SECTORS), 1)),
        deflator=deflator,
        funding=np.array(rows),
        pre_projection_growth=tuple(pre),
        sources=used,
        deflator_growth=deflator_growth,
        demography_scale=value(DEMOGRAPHY_SCALE),
        provider_deficit=value(PROVIDER_DEFICIT, base) * 1e9,
        commissioner_surplus=value(COMMISSIONER_SURPLUS, base) * 1e9,
        stf_sustainability=np.array([optional(STF_SUSTAINABILITY, y) for y in years]) * 1e9,
        working_age_share=value(WORKING_AGE_SHARE),
        efficiency={name: value(path) for name, path in EFFICIENCY.items()},
        flat_real=flat_real,
    )


def check_funding_option(funding: str) -> str:
    """Return ``funding`` if it is a known option, else raise a clear error."""
    if funding not in FUNDING_OPTIONS:
        raise ParameterError([problem("--funding", f"unknown funding option {funding!r}; "
                                      f"allowed: {', '.join(FUNDING_OPTIONS)}")])
    return funding
