"""Tidy tables from a workforce run: the gap per footprint, group and year with its uncertainty,
England's totals, and the agency cost added to the financial gap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from openstp.workforce.gap import WorkforceRun
from openstp.workforce.groups import GROUPS, LABELS, SETTING_OF_GROUP, SETTINGS

QUANTILES = (0.1, 0.9)


def _spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P10 and P90 over draws (axis 0); with one draw both are the central value."""
    q = np.quantile(values, QUANTILES, axis=0)
    return q[0], q[1]


def _per_required(values: np.ndarray, required: np.ndarray) -> np.ndarray:
    """values / required, flattened; NaN (not modelled) where no staff are required, as for
    social care in today's ICB sets, whose spend is outside the ICB total."""
    return np.divide(values, required, out=np.full(required.shape, np.nan),
                     where=required != 0).ravel()


def _frame(required: np.ndarray, supply: np.ndarray, gap: np.ndarray, cost: np.ndarray,
           keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """Columns shared by footprint and England tables; arrays are (d, ..., y) flattened."""
    low, high = _spread(gap)
    cost_low, cost_high = _spread(cost)
    return pd.DataFrame({
        **keys,
        "required": required[0].ravel(),
        "supply": supply[0].ravel(),
        "gap": gap[0].ravel(),
        "gap_p10": low.ravel(),
        "gap_p90": high.ravel(),
        "gap_share": _per_required(gap[0], required[0]),
        "p_shortfall": (gap > 0).mean(axis=0).ravel(),
        "fill_rate": _per_required(supply[0], required[0]),
        "agency_cost": cost[0].ravel(),
        "agency_cost_p10": cost_low.ravel(),
        "agency_cost_p90": cost_high.ravel(),
    })


def gap_table(run: WorkforceRun, names: pd.Series) -> pd.DataFrame:
    """Rows per footprint × group × year: required, supply, gap (central, P10, P90), cost.

    Footprints come in the run's order, each a block of ``len(GROUPS) × len(run.years)`` rows.
    """
    f, g, y = np.meshgrid(np.arange(len(run.footprints)), np.arange(len(GROUPS)),
                          np.arange(len(run.years)), indexing="ij")
    codes = np.asarray(run.footprints)[f.ravel()]
    keys = {"footprint": codes, "name": names.reindex(codes).to_numpy(),
            "group": np.asarray(GROUPS)[g.ravel()], "year": np.asarray(run.years)[y.ravel()],
            "in_post_base": run.in_post[f.ravel(), g.ravel()]}
    return _frame(run.required, run.supply, run.gap, run.agency_cost, keys)


def england_table(years: list[str], in_post: np.ndarray, required: np.ndarray,
                  supply: np.ndarray, cost: np.ndarray) -> pd.DataFrame:
    """Rows per group × year for England from every footprint's ``(d, f, g, y)`` arrays
    (footprints summed within each draw) and staff in post ``(f, g)``."""
    g, y = np.meshgrid(np.arange(len(GROUPS)), np.arange(len(years)), indexing="ij")
    keys = {"group": np.asarray(GROUPS)[g.ravel()],
            "label": [LABELS[x] for x in np.asarray(GROUPS)[g.ravel()]],
            "year": np.asarray(years)[y.ravel()],
            "in_post_base": in_post.sum(axis=0)[g.ravel()]}
    required, supply = required.sum(axis=1), supply.sum(axis=1)  # (d, g, y)
    return _frame(required, supply, required - supply, cost.sum(axis=1), keys)


def finance_table(run: WorkforceRun) -> pd.DataFrame:
    """Central agency cost by footprint × sector × year beside the do-nothing gap.

    A setting's cost is split over its sectors by the footprint's base-year spend in each.
    Footprints come in the run's order, each a block of sectors × years rows.
    """
    arrays = run.gap_arrays
    at = [arrays.footprints.index(c) for c in run.footprints]
    base, gap = arrays.base[at], arrays.gap[at]  # (f, s), (f, s, y)
    by_sector = np.zeros(gap.shape)  # (f, s, y)
    for g, group in enumerate(GROUPS):
        sectors = [arrays.sectors.index(s) for s in SETTINGS[SETTING_OF_GROUP[group]]]
        total = base[:, sectors].sum(axis=1, keepdims=True)
        weights = np.divide(base[:, sectors], total, out=np.zeros(base[:, sectors].shape),
                            where=total != 0)
        by_sector[:, sectors, :] += weights[:, :, None] * run.agency_cost[0, :, g, None, :]
    f, s, y = np.meshgrid(np.arange(len(at)), np.arange(len(arrays.sectors)),
                          np.arange(len(arrays.years)), indexing="ij")
    return pd.DataFrame({
        "footprint": np.asarray(run.footprints)[f.ravel()],
        "sector": np.asarray(arrays.sectors)[s.ravel()],
        "year": np.asarray(arrays.years)[y.ravel()],
        "gap": gap.ravel(),
        "workforce_cost": by_sector.ravel(),
        "gap_with_workforce": (gap + by_sector).ravel(),
    })
