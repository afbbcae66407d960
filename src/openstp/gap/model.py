"""The "do nothing" gap: projected cost minus projected funding, per footprint × sector × year.

Cost   = base spend × demographic index × (1 + non-demographic growth)^t × pay-and-price index
Funding = national funding × the footprint's share of England's cost-weighted population
Base spend = national base-year spend × the same share (or the footprint's own, from its plan).

All footprints, sectors and years are computed at once on (footprint, sector, year) arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from openstp.data import check_footprint_set
from openstp.gap.demography import Demography, project_demography
from openstp.gap.drivers import Drivers, check_funding_option, read_drivers
from openstp.gap.sectors import SECTORS
from openstp.params import Parameters, builtin_parameters


@dataclass(frozen=True)
class GapArrays:
    """The gap model's labelled arrays; every array is (footprint, sector, year), £ cash."""

    footprints: list[str]
    sectors: list[str]
    years: list[str]
    base: np.ndarray  # (footprint, sector) base-year spend
    demographic_index: np.ndarray
    non_demographic_index: np.ndarray  # (sector, year)
    inflation_index: np.ndarray  # (sector, year)
    deflator: np.ndarray  # (year,)
    cost: np.ndarray
    funding: np.ndarray
    demography_method: np.ndarray  # (year,)

    @property
    def gap(self) -> np.ndarray:
        return self.cost - self.funding


@lru_cache(maxsize=16)
def _demography(footprint_set: str, years: tuple[str, ...], pre: tuple[float, ...]
                ) -> Demography:
    return project_demography(footprint_set, list(years), pre)


def fy_years(base_year: str, horizon: str) -> list[str]:
    """Financial years from base to horizon inclusive ('2015/16' … '2020/21')."""
    from openstp.errors import ParameterError, problem
    from openstp.plan import fy_range, parse_fy

    if parse_fy(horizon) <= parse_fy(base_year):
        raise ParameterError([problem("command line", f"the horizon {horizon} must be after "
                                      f"the base year {base_year}", field="year")])
    return list(fy_range(base_year, horizon))


def compute_gap(footprint_set: str = "stp2017", params: Parameters | None = None,
                base_year: str = "2015/16", horizon: str = "2020/21", funding: str = "sr2015",
                cases: Mapping[str, str] | None = None,
                baselines: Mapping[str, Mapping[str, float]] | None = None) -> GapArrays:
    """Run the gap model for every footprint of a set; ``baselines`` gives footprints' own spend.

    ``baselines`` maps footprint code → {sector: £ in the base year}; sectors it leaves out keep
    the apportioned national figure.
    """
    check_footprint_set(footprint_set)
    check_funding_option(funding)
    params = params or builtin_parameters()
    years = fy_years(base_year, horizon)
    drivers: Drivers = read_drivers(params, years, funding, cases)
    demo = _demography(footprint_set, tuple(years), drivers.pre_projection_growth)
    share = demo.share()  # (f, s, y)
    base = drivers.base_spend[None, :] * share[:, :, 0]
    # A footprint's own baseline replaces the apportioned one; its funding scales with it, so
    # the footprint is in balance in the base year and its funding grows as England's does.
    scale = np.ones_like(base)
    for code, own in (baselines or {}).items():
        f = demo.footprints.index(code)
        for sector, amount in own.items():
            s = demo.sectors.index(sector)
            scale[f, s] = amount / base[f, s]
            base[f, s] = amount
    non_demographic, cost, funding_fp = project(base, demo.index(), drivers.non_demographic,
                                                drivers.inflation, drivers.funding, share)
    funding_fp = funding_fp * scale[:, :, None]
    return GapArrays(demo.footprints, demo.sectors, years, base, demo.index(), non_demographic,
                     drivers.inflation, drivers.deflator, cost, funding_fp, demo.method)


def project(base: np.ndarray, demographic_index: np.ndarray, non_demographic_rate: np.ndarray,
            inflation_index: np.ndarray, national_funding: np.ndarray, share: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model's arithmetic on plain arrays: (non-demographic index, cost, funding).

    base (f, s) £; demographic_index and share (f, s, y); non_demographic_rate (s,) per year;
    inflation_index and national_funding (s, y). Year 0 is the base year.
    """
    t = np.arange(demographic_index.shape[2])
    non_demographic = (1 + non_demographic_rate[:, None]) ** t[None, :]
    cost = base[:, :, None] * demographic_index * non_demographic[None] * inflation_index[None]
    return non_demographic, cost, national_funding[None] * share


def to_frame(arrays: GapArrays, footprints: list[str] | None = None) -> pd.DataFrame:
    """Tidy rows: footprint, sector, year, cost, funding, gap (cash) and their real-terms values,
    for every footprint or those in ``footprints`` (in the arrays' order)."""
    chosen = (np.arange(len(arrays.footprints)) if footprints is None else
              np.flatnonzero(np.isin(arrays.footprints, footprints)))
    f, s, y = np.meshgrid(chosen, np.arange(len(arrays.sectors)),
                          np.arange(len(arrays.years)), indexing="ij")
    deflator = arrays.deflator[y.ravel()]
    money = {"cost": arrays.cost[chosen].ravel(), "funding": arrays.funding[chosen].ravel(),
             "gap": arrays.gap[chosen].ravel()}
    return pd.DataFrame({
        "footprint": np.asarray(arrays.footprints)[f.ravel()],
        "sector": np.asarray(arrays.sectors)[s.ravel()],
        "funder": np.asarray([sec.funder for sec in SECTORS])[s.ravel()],
        "year": np.asarray(arrays.years)[y.ravel()],
        **money,
        **{f"{col}_real": values / deflator for col, values in money.items()},
        "demography_method": arrays.demography_method[y.ravel()],
    })


def do_nothing_gap(footprints: str = "stp2017", params: Parameters | None = None, *,
                   base_year: str = "2015/16", horizon: str = "2020/21",
                   funding: str = "sr2015") -> pd.DataFrame:
    """The do-nothing gap as a tidy DataFrame, one row per footprint × sector × year.

    Columns: ``footprint`` (ONS code), ``sector``, ``funder``, ``year`` ('2020/21'), ``cost``,
    ``funding`` and ``gap`` (£ cash), the same in base-year prices (``*_real``), and
    ``demography_method`` (how that year's population was projected).
    """
    return to_frame(compute_gap(footprints, params, base_year, horizon, funding))
