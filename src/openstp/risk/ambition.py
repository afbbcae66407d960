"""What each scheme asks, for the ambition curve, and how much of its capital is unfunded.

A provider-efficiency scheme's ask is the footprint's CIPs in its sector in the horizon year as
a share of that sector's base-year spend, per year from the scheme's start to the horizon: the
reference data hold no trust-level spend, so a footprint's trusts are taken to ask the same
share. A demand-management scheme's ask is the size of its own ``activity_change``. Anything
else, or a scheme that states no sector or activity change, has no ask (NaN): the curve then
leaves its prior as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from openstp.gap import compute_gap
from openstp.params import Parameters
from openstp.plan import Plan, parse_fy
from openstp.risk.priors import AMBITION_TYPES

CIP = "provider_efficiency"


def footprint_money(plans: Sequence[Plan], codes: list[str], trees: list[Parameters],
                    tree_of: list[int], funding: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(footprint, sector) base-year spend, (footprint, year) allocation (all sectors) and the
    sector names, from the gap model run of each plan's tree (cached by ``compute_gap``)."""
    first = plans[0]
    base, allocation, sectors = [], [], []
    for f, plan in enumerate(plans):
        baselines = {codes[f]: {str(k): v for k, v in plan.baseline.items()}} if plan.baseline \
            else {}
        arrays = compute_gap(first.footprint_set, trees[tree_of[f]], first.base_year,
                             first.horizon, funding, baselines=baselines)
        row = arrays.footprints.index(codes[f])
        base.append(arrays.base[row])
        allocation.append(arrays.funding[row].sum(axis=0))
        sectors = arrays.sectors
    return np.array(base), np.array(allocation), list(sectors)


def scheme_asks(schemes: pd.DataFrame, plans: Sequence[Plan], saving: np.ndarray,
                base: np.ndarray, sectors: list[str], horizon: str) -> np.ndarray:
    """(scheme,) each scheme's ask: a share of spend per year (CIPs) or of activity (demand
    management); NaN where there is none to measure."""
    ask = np.full(len(schemes), np.nan)
    fp = schemes["footprint_index"].to_numpy()
    kind = schemes["type"].to_numpy()
    sector = schemes["sector"].to_numpy()
    cip = (kind == CIP) & pd.notna(sector)
    horizon_saving = saving[:, 0, -1]
    totals: dict[tuple[int, str], float] = {}
    for m in np.flatnonzero(cip):
        key = (int(fp[m]), str(sector[m]))
        totals[key] = totals.get(key, 0.0) + float(horizon_saving[m])
    end = parse_fy(horizon)
    for m in np.flatnonzero(cip):
        spend = base[fp[m], sectors.index(str(sector[m]))]
        years = max(end - parse_fy(str(schemes["start_year"].iat[m])) + 1, 1)
        if spend > 0:
            ask[m] = totals[(int(fp[m]), str(sector[m]))] / spend / years
    changes = {(f, s.id): s.activity_change for f, p in enumerate(plans) for s in p.schemes}
    for m in np.flatnonzero(np.isin(kind, AMBITION_TYPES) & (kind != CIP)):
        change = changes[(int(fp[m]), schemes["scheme"].iat[m])]
        if change is not None and change != 0:
            ask[m] = abs(change)
    return ask


def unfunded_capital(plans: Sequence[Plan]) -> np.ndarray:
    """(scheme,) the share of each scheme's capital not yet secured (0 where it needs none)."""
    out = []
    for plan in plans:
        for s in plan.schemes:
            need = sum(s.capital.values())
            got = sum(s.capital_funded.values())
            out.append(min(max(1 - got / need, 0.0), 1.0) if need > 0 else 0.0)
    return np.array(out, dtype=float)
