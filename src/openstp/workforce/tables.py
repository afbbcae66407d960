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


def _frame(run: WorkforceRun, required: np.ndarray, supply: np.ndarray, cost: np.ndarray,
           keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """Columns shared by footprint and England tables; arrays are (d, ..., y) flattened."""
    gap = required - supply
    low, high = _spread(gap)
    cost_low, cost_high = _spread(cost)
    fill = supply / required
    return pd.DataFrame({
        **keys,
        "required": required[0].ravel(),
        "supply": supply[0].ravel(),
        "gap": gap[0].ravel(),
        "gap_p10": low.ravel(),
        "gap_p90": high.ravel(),
        "gap_share": (gap[0] / required[0]).ravel(),
        "p_shortfall": (gap > 0).mean(axis=0).ravel(),
        "fill_rate": fill[0].ravel(),
        "agency_cost": cost[0].ravel(),
        "agency_cost_p10": cost_low.ravel(),
        "agency_cost_p90": cost_high.ravel(),
    })


def gap_table(run: WorkforceRun, names: pd.Series) -> pd.DataFrame:
    """Rows per footprint × group × year: required, supply, gap (central, P10, P90), cost."""
    f, g, y = np.meshgrid(np.arange(len(run.footprints)), np.arange(len(GROUPS)),
                          np.arange(len(run.years)), indexing="ij")
    codes = np.asarray(run.footprints)[f.ravel()]
    keys = {"footprint": codes, "name": names.reindex(codes).to_numpy(),
            "group": np.asarray(GROUPS)[g.ravel()], "year": np.asarray(run.years)[y.ravel()],
            "in_post_base": run.in_post[f.ravel(), g.ravel()]}
    return _frame(run, run.required, run.supply, run.agency_cost, keys)


def england_table(run: WorkforceRun) -> pd.DataFrame:
    """Rows per group × year for England (footprints summed within each draw)."""
    g, y = np.meshgrid(np.arange(len(GROUPS)), np.arange(len(run.years)), indexing="ij")
    keys = {"group": np.asarray(GROUPS)[g.ravel()],
            "label": [LABELS[x] for x in np.asarray(GROUPS)[g.ravel()]],
            "year": np.asarray(run.years)[y.ravel()],
            "in_post_base": run.in_post.sum(axis=0)[g.ravel()]}
    return _frame(run, run.required.sum(axis=1), run.supply.sum(axis=1),
                  run.agency_cost.sum(axis=1), keys)


def finance_table(run: WorkforceRun) -> pd.DataFrame:
    """Central agency cost by footprint × sector × year beside the do-nothing gap.

    A setting's cost is split over its sectors by the footprint's base-year spend in each.
    """
    arrays = run.gap_arrays
    by_sector = np.zeros(arrays.cost.shape)  # (f, s, y)
    for g, group in enumerate(GROUPS):
        sectors = [arrays.sectors.index(s) for s in SETTINGS[SETTING_OF_GROUP[group]]]
        weights = arrays.base[:, sectors] / arrays.base[:, sectors].sum(axis=1, keepdims=True)
        by_sector[:, sectors, :] += weights[:, :, None] * run.agency_cost[0, :, g, None, :]
    f, s, y = np.meshgrid(np.arange(len(arrays.footprints)), np.arange(len(arrays.sectors)),
                          np.arange(len(arrays.years)), indexing="ij")
    gap = arrays.gap
    return pd.DataFrame({
        "footprint": np.asarray(arrays.footprints)[f.ravel()],
        "sector": np.asarray(arrays.sectors)[s.ravel()],
        "year": np.asarray(arrays.years)[y.ravel()],
        "gap": gap.ravel(),
        "workforce_cost": by_sector.ravel(),
        "gap_with_workforce": (gap + by_sector).ravel(),
    })
