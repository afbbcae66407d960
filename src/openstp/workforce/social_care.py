"""Adult social care: the funding gap per footprint and council, the plan's social care money, and
the hospital knock-on of care left unfunded.

    residual[d,f,y] = gap model's adult social care gap − plan social care savings
                      − plan social care funding − extra funding
    unmet[d,f,y]    = max(residual, 0) / cost            (share of needed care left unfunded)
    delays[d,f,y]   = social-care-attributable delayed days in the base year × the footprint's
                      share × its 65+ demographic index × (1 + elasticity × unmet)

The delayed-discharge elasticity is Gaughan, Gravelle and Siciliani's (2015) response of social
care delays to care home supply, reading an unfunded share of care as an equal fall in supply.
Councils get their footprint's figures in proportion to their population aged 65+ living in it:
each council's 65+ population (ONS LSOA estimates) × the share of its population in the
footprint (``data.organisations``), normalised within the footprint.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from openstp import data
from openstp.gap import GapArrays
from openstp.gap.demography import anchor_year, fy_start
from openstp.gap.drivers import SOCIAL_CARE_NEW_MONEY
from openstp.params import Parameters
from openstp.plan import Plan
from openstp.workforce.demand import planned_by_year
from openstp.workforce.inputs import STREAM_SOCIAL_CARE, ranged, stream, triangular

SECTOR = "adult_social_care"
OLD_AGE = 65
DAYS_PER_YEAR = 365
P = "social_care.delays."
COUNCIL_METHOD = ("council shares: each council's population aged 65+ (ONS LSOA estimates) × "
                  "the share of its population in the footprint, normalised within the footprint")


def council_weights(footprint_set: str, year: int) -> pd.DataFrame:
    """Councils of each footprint with their share of its population aged 65+ (``weight``)."""
    orgs = data.organisations(footprint_set)
    councils = orgs[orgs["kind"] == "council"][["footprint", "code", "name", "share"]]
    lsoas = data.lsoas().set_index("lsoa11cd")
    column = next(c for c in ("utla17", "utla21", "utla22")
                  if set(councils["code"]) <= set(lsoas[c]))
    pop = data.lsoa_population(year)
    old = pop[[a for a in data.AGES if a == "90+" or int(a) >= OLD_AGE]].sum(axis=1)
    by_council = old.groupby(lsoas[column].reindex(old.index).to_numpy()).sum()
    councils = councils.assign(pop65=councils["code"].map(by_council) * councils["share"])
    councils["weight"] = councils["pop65"] / councils.groupby("footprint")["pop65"].transform(
        "sum")
    return councils.reset_index(drop=True)


def plan_money(plan: Plan | None, years: list[str], delivery: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Delivered social care savings and new social care funding of a plan ``(d, y)`` £ cash."""
    savings = np.zeros((delivery.shape[0], len(years)))
    funding = np.zeros_like(savings)
    if plan is None:
        return savings, funding
    for m, scheme in enumerate(plan.schemes):
        social = scheme.type.value == "social_care" or (
            scheme.sector is not None and scheme.sector.value == SECTOR)
        if not social:
            continue
        amount = delivery[:, m, :] * planned_by_year(scheme.saving, years)
        if scheme.type.value == "new_funding":
            funding += amount
        else:
            savings += amount
    return savings, funding


def funding_components(arrays: GapArrays, params: Parameters, funding: str
                       ) -> dict[str, np.ndarray]:
    """The new social care money since the base year in each footprint's funding ``(f, y)`` £."""
    s = arrays.sectors.index(SECTOR)
    share = arrays.funding[:, s] / arrays.funding[:, s].sum(axis=0, keepdims=True)
    out = {}
    for path in SOCIAL_CARE_NEW_MONEY:
        first = params[path].years[0]
        national = np.array([params.value(path, y) if y >= first else 0.0
                             for y in arrays.years]) * 1e9
        amount = (national - national[0]) if funding == "sr2015" else np.zeros_like(national)
        out[path.rsplit(".", 1)[1]] = share * amount[None]
    return out


def base_delayed_days(params: Parameters, base_year: str) -> tuple[float, str]:
    """England's delayed days in the base year (nearest year with data) and a note on the year."""
    series = params.series(P + "dtoc_days_england")
    year = base_year if base_year in series else min(
        series, key=lambda y: abs(fy_start(y) - fy_start(base_year)))
    note = "" if year == base_year else f" (DTOC days of {year}: none sourced for {base_year})"
    return series[year], note


def simulate(arrays: GapArrays, params: Parameters, draws: int, seed: int,
             plan_index: int | None, savings: np.ndarray, plan_funding: np.ndarray,
             extra: np.ndarray) -> dict[str, np.ndarray]:
    """Residual gap, unmet share and delayed days per draw, footprint and year."""
    s = arrays.sectors.index(SECTOR)
    cost, gap = arrays.cost[:, s], arrays.gap[:, s]  # (f, y)
    residual = np.broadcast_to(gap - extra, (max(draws, savings.shape[0]), *gap.shape)).copy()
    if plan_index is not None:
        residual[:, plan_index] -= savings + plan_funding
    unmet = np.maximum(residual, 0.0) / cost
    rng = stream(seed, STREAM_SOCIAL_CARE)
    share = triangular(rng, ranged(params, P + "social_care_share"), draws)
    elasticity = triangular(rng, ranged(params, P + "delay_elasticity"), draws)
    days, _ = base_delayed_days(params, arrays.years[0])
    # the footprint's 65+ share (funding), not a plan's own spend
    weight = arrays.funding[:, s, 0] / arrays.funding[:, s, 0].sum()
    expected = (days * share)[:, None, None] * (weight[:, None] * arrays.demographic_index[:, s])
    extra_days = expected * elasticity[:, None, None] * unmet
    cost_per_day = params.value(P + "cost_per_delayed_day")
    return {"residual": residual, "unmet": unmet, "delayed_days": expected + extra_days,
            "extra_days": extra_days,
            "extra_cost": extra_days * cost_per_day * arrays.deflator[None, None, :]}


def extra_funding_array(extra: Mapping[str, Mapping[str, float]] | None, arrays: GapArrays
                        ) -> np.ndarray:
    """Extra social care funding ``{footprint: {year: £}}`` as a ``(f, y)`` array."""
    out = np.zeros((len(arrays.footprints), len(arrays.years)))
    for code, by_year in (extra or {}).items():
        out[arrays.footprints.index(code)] = planned_by_year(dict(by_year), arrays.years)
    return out


def population_year(base_year: str) -> int:
    """The shipped population year used for council 65+ weights (nearest the base year)."""
    return anchor_year(fy_start(base_year))
