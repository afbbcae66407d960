"""England's do-nothing gap as the model's own components, for a spreadsheet to recompute.

For each sector s and year t (t = 0 the base year), England's gap is

    cost(s, t)    = (base(s) + opening(s)) × demographic_index(s, t) × (1 + growth(s))^t
                    × deflator(t)
    deflator(t)   = deflator(t − 1) × (1 + gdp_deflator(t)),  deflator(0) = 1
    funding(s, t) = the national funding series of the sector (``FUNDING_RULES``)
    gap(s, t)     = cost(s, t) − funding(s, t)

where ``opening`` is England's opening deficit, carried in the acute sector's cost base
(``OPENING_PATHS``: the providers' underlying deficit less the commissioners' surplus in the
base year, ``openstp.gap.opening``), and ``demographic_index`` is England's cost-weighted
demographic index: each footprint's index weighted by its base-year spend and opening,
Σ_f (base + opening)(f, s) × index(f, s, t) / Σ_f (base + opening)(f, s). The STF money the
model moves to deficits sums to nothing over England. Footprints
sum to England, so these components give exactly the model's England figures. A new term of the
model is a new component here and one more line in the sheet that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openstp.gap.drivers import (
    BUDGET,
    COMMISSIONER_SURPLUS,
    GDP_DEFLATOR,
    NON_DEMOGRAPHIC,
    PROVIDER_DEFICIT,
    PUBLIC_HEALTH_GRANT,
    SECTOR_SHARE,
    SOCIAL_CARE_BASE,
    SOCIAL_CARE_NEW_MONEY,
)
from openstp.gap.model import compute_gap
from openstp.gap.sectors import SECTORS
from openstp.params import Parameters, builtin_parameters

OPENING_PATHS = (PROVIDER_DEFICIT, COMMISSIONER_SURPLUS)
"""England's opening position = the first less the second, in the base year (£bn)."""
OPENING_SECTOR = "acute"


@dataclass(frozen=True)
class FundingRule:
    """How a sector's national funding is made from parameters (each in £bn cash a year).

    ``share_of_budget``: ``series`` (NHS England's budget) × the scalar ``share``;
    ``grant``: the ``series`` itself; ``base_plus_new_money``: the base-year value of ``series``
    plus, each year, the ``new_money`` series less their base-year value. With funding held
    flat in real terms every rule becomes its base-year value × deflator(t).
    """

    kind: str
    series: str
    share: str | None = None
    new_money: tuple[str, ...] = ()


def funding_rule(sector: str) -> FundingRule:
    """The funding rule of ``sector`` (as ``openstp.gap.drivers.read_drivers`` applies it)."""
    info = next(s for s in SECTORS if s.name == sector)
    if info.funder == "nhs_england":
        return FundingRule("share_of_budget", BUDGET, SECTOR_SHARE.format(sector=sector))
    if sector == "public_health":
        return FundingRule("grant", PUBLIC_HEALTH_GRANT)
    return FundingRule("base_plus_new_money", SOCIAL_CARE_BASE, new_money=SOCIAL_CARE_NEW_MONEY)


@dataclass(frozen=True)
class GapComponents:
    """England's gap model by sector (s) and year (y), with the model's own results to match."""

    footprint_set: str
    funding_option: str
    years: list[str]
    sectors: list[str]
    funders: list[str]
    base: np.ndarray  # (s,) England base-year spend, £ cash
    opening: np.ndarray  # (s,) England's opening deficit in each sector's cost base, £ cash
    demographic_index: np.ndarray  # (s, y) England cost-weighted, 1 at the base year
    growth_paths: list[str]  # (s,) parameter path of each sector's non-demographic growth
    deflator_path: str
    cost: np.ndarray  # (s, y) the model's England cost, £ cash
    funding: np.ndarray  # (s, y) the model's England funding, £ cash

    @property
    def gap(self) -> np.ndarray:
        """The model's England gap (s, y), £ cash."""
        return self.cost - self.funding


def gap_components(footprint_set: str = "stp2017", params: Parameters | None = None,
                   base_year: str = "2015/16", horizon: str = "2020/21",
                   funding: str = "sr2015") -> GapComponents:
    """England's gap as components (see the module's equations), from one run of the model."""
    params = params or builtin_parameters()
    arrays = compute_gap(footprint_set, params, base_year, horizon, funding)
    base = arrays.base.sum(axis=0)  # (s,)
    opening = arrays.opening_cost.sum(axis=0)  # (s,)
    weighted = (arrays.cost_base[:, :, None] * arrays.demographic_index).sum(axis=0)  # (s, y)
    safe = np.where(base + opening > 0, base + opening, 1.0)
    return GapComponents(
        footprint_set=footprint_set, funding_option=funding, years=list(arrays.years),
        sectors=list(arrays.sectors), funders=[s.funder for s in SECTORS], base=base,
        opening=opening,
        demographic_index=weighted / safe[:, None],
        growth_paths=[NON_DEMOGRAPHIC.format(sector=s) for s in arrays.sectors],
        deflator_path=GDP_DEFLATOR, cost=arrays.cost.sum(axis=0),
        funding=arrays.funding.sum(axis=0))
