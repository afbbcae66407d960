"""The "do nothing" gap: projected cost minus projected funding, per footprint × sector × year.

Cost    = (base spend + opening deficit) × demographic index × (1 + non-demographic growth)^t
          × GDP deflator index
Funding = national funding × the footprint's share of England's cost-weighted population
          (on the organisational basis, acute and specialised shares follow the trusts'
          capacity: ``gap.basis``); the STF's sustainability money follows opening deficits
Base spend = national base-year spend × the same share (or the footprint's own, from its plan).
The opening deficit (``gap.opening``) sits in the acute sector, whose trusts hold it, and is
carried forward recurrently: it is part of the cost base, so it grows with it.

All footprints, sectors and years are computed at once on (footprint, sector, year) arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from openstp.data import check_footprint_set
from openstp.defaults import ICB_SETS
from openstp.gap.basis import check_basis, on_basis
from openstp.gap.demography import Demography, project_demography
from openstp.gap.drivers import Drivers, check_funding_option, read_drivers
from openstp.gap.opening import Opening, share_opening
from openstp.gap.sectors import NHS_SECTORS, SECTOR_NAMES, SECTORS
from openstp.params import Parameters, builtin_parameters

if TYPE_CHECKING:
    from openstp.gap.icb import IcbOwn


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
    footprint_set: str
    basis: str  # resident or organisational (``gap.basis``)
    opening: Opening  # each footprint's opening position and its method
    opening_cost: np.ndarray  # (footprint, sector) opening deficit in the cost base
    stf_to_deficits: np.ndarray  # (footprint, year) STF funding moved to deficits
    efficiency: dict[str, float]  # business-as-usual rates (``gap.efficiency``)
    drivers: Drivers  # the national drivers the run used

    @property
    def gap(self) -> np.ndarray:
        return self.cost - self.funding

    @property
    def cost_base(self) -> np.ndarray:
        """(footprint, sector) base spend plus the opening deficit: what grows."""
        return self.base + self.opening_cost


@lru_cache(maxsize=16)
def _demography(footprint_set: str, years: tuple[str, ...], pre: tuple[float, ...],
                working_age: float) -> Demography:
    return project_demography(footprint_set, list(years), pre, working_age)


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
                baselines: Mapping[str, Mapping[str, float]] | None = None, *,
                basis: str = "resident", openings: Mapping[str, float] | None = None,
                icb_own: Mapping[str, IcbOwn] | None = None) -> GapArrays:
    """Run the gap model for every footprint of a set; ``baselines`` gives footprints' own spend.

    ``baselines`` maps footprint code → {sector: £ in the base year}; sectors it leaves out keep
    the apportioned national figure. ``openings`` maps footprint code → its own opening
    position (£, a deficit positive), which replaces the shared-out one. ``basis`` is
    ``resident`` or ``organisational`` (``openstp.gap.basis``). Today's ICB sets run on their
    own series (``openstp.gap.icb``), with ``icb_own`` an ICB plan's own allocation and support.
    """
    check_footprint_set(footprint_set)
    check_funding_option(funding)
    check_basis(basis)
    params = params or builtin_parameters()
    years = fy_years(base_year, horizon)
    if footprint_set in ICB_SETS:
        from openstp.gap.icb import compute_icb_gap

        return compute_icb_gap(footprint_set, params, years, funding, cases, baselines or {},
                               openings or {}, icb_own or {}, basis)
    drivers: Drivers = read_drivers(params, years, funding, cases)
    demo = _demography(footprint_set, tuple(years), drivers.pre_projection_growth,
                       drivers.working_age_share)
    share, resident_index = on_basis(basis, footprint_set, demo.footprints, demo.weighted)
    base = drivers.base_spend[None, :] * share[:, :, 0]
    _check_own(demo.footprints, baselines or {}, openings or {})
    nhs = [s for s, sector in enumerate(SECTORS) if sector.name in NHS_SECTORS]
    opening = share_opening(footprint_set, demo.footprints,
                            base[:, nhs].sum(axis=1) / base[:, nhs].sum(),
                            drivers.provider_deficit, drivers.commissioner_surplus, openings)
    # A footprint's own baseline replaces the apportioned one; its funding scales with it, so
    # the footprint is in balance in the base year and its funding grows as England's does.
    scale = np.ones_like(base)
    for code, own in (baselines or {}).items():
        f = demo.footprints.index(code)
        for sector, amount in own.items():
            s = demo.sectors.index(sector)
            scale[f, s] = amount / base[f, s]
            base[f, s] = amount
    acute = demo.sectors.index("acute")
    opening_cost = np.zeros_like(base)
    opening_cost[:, acute] = opening.total
    index = 1 + drivers.demography_scale * (resident_index - 1)  # (f, s, y)
    non_demographic, cost, funding_fp = project(base + opening_cost, index,
                                                drivers.non_demographic, drivers.inflation,
                                                drivers.funding, share)
    funding_fp = funding_fp * scale[:, :, None]
    moved = stf_to_deficits(opening.total, share[:, acute], drivers.stf_sustainability)
    funding_fp[:, acute] += moved
    return GapArrays(demo.footprints, demo.sectors, years, base, index, non_demographic,
                     drivers.inflation, drivers.deflator, cost, funding_fp, demo.method,
                     footprint_set, basis, opening, opening_cost, moved,
                     dict(drivers.efficiency), drivers)


def _check_own(footprints: list[str], baselines: Mapping[str, Mapping[str, float]],
               openings: Mapping[str, float]) -> None:
    """Footprints' own figures must name a footprint of the set, a sector and a finite amount
    (a base spend at least 0)."""
    from openstp.errors import ParameterError, problem

    found = []
    for what, codes in (("baseline", baselines), ("opening_position", openings)):
        found += [problem(f"footprint {c}", f"{what} for a footprint not in this footprint set",
                          field=what) for c in codes if c not in footprints]
    for code, own in baselines.items():
        for sector, amount in own.items():
            if sector not in SECTOR_NAMES:
                found.append(problem(f"footprint {code}", f"unknown sector {sector!r}; allowed: "
                                     f"{', '.join(SECTOR_NAMES)}", field=f"baseline.{sector}"))
            elif not np.isfinite(amount) or amount < 0:
                found.append(problem(f"footprint {code}", f"base spend must be a finite amount "
                                     f"of at least £0, got {amount!r}", field=f"baseline.{sector}"))
    found += [problem(f"footprint {c}", f"opening position must be a finite amount, got {v!r}",
                      field="opening_position") for c, v in openings.items()
              if not np.isfinite(v)]
    if found:
        raise ParameterError(found)


def stf_to_deficits(opening: np.ndarray, share: np.ndarray, stf: np.ndarray) -> np.ndarray:
    """(f, y) funding moved when the STF's sustainability money (``stf`` (y,), inside the
    budget) follows footprints' opening deficits (``opening`` (f,)) instead of their shares
    (``share`` (f, y)); it sums to zero over England."""
    deficit = np.clip(opening, 0, None)
    if deficit.sum() <= 0:
        return np.zeros_like(share)
    return stf[None, :] * (deficit[:, None] / deficit.sum() - share)


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
        "basis": arrays.basis,
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
