"""Who bears a reconfiguration: population-weighted travel before and after, people beyond
thresholds, and deaths, for everyone and by IMD quintile and urban/rural."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from openstp.access.scenario import Scenario
from openstp.access.travel import KM_PER_MILE

DEFAULT_MINUTES = (30, 45, 60)
DEFAULT_MILES = (10, 20, 50)
"""Reporting thresholds of the issue; FACTS 8.3 notes there is no national travel standard."""


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float,
                      order: np.ndarray | None = None) -> float:
    """The ``q`` quantile of ``values`` weighted by ``weights`` (NaN if no weight); ``order``
    (``argsort(values)``) may be passed to reuse one sort across many weightings."""
    total = weights.sum()
    if total <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable") if order is None else order
    cum = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cum, q * total), len(cum) - 1)])


def groups(areas: pd.DataFrame, scope: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The equity groups within ``scope``: all, IMD quintiles (1 most deprived), urban, rural."""
    q = areas["imd_quintile"].to_numpy()
    rural = areas["rural"].to_numpy()
    out = [("all", scope)]
    out += [(f"IMD quintile {k}" + (" (most deprived)" if k == 1 else
                                    " (least deprived)" if k == 5 else ""), scope & (q == k))
            for k in range(1, 6)]
    out += [("urban", scope & ~rural), ("rural", scope & rural)]
    return out


def summarise(scenario: Scenario, scope: np.ndarray | None = None,
              minutes: Sequence[float] = DEFAULT_MINUTES, miles: Sequence[float] = DEFAULT_MILES,
              deaths: np.ndarray | None = None, extra_groups: Sequence = ()) -> pd.DataFrame:
    """One row per group: users, mean and 90th-percentile minutes and mean straight-line km
    before and after, users beyond each threshold, the share of users whose figure is an
    estimate, and (for emergency care) the estimated change in deaths a year with its CI."""
    model = scenario.model
    scope = np.ones(model.n_areas, bool) if scope is None else scope
    w = model.users
    b, a = scenario.before, scenario.after
    order = {"before": np.argsort(b.minutes, kind="stable"),
             "after": np.argsort(a.minutes, kind="stable")}
    rows = []
    for name, mask in [*groups(model.areas, scope), *extra_groups]:
        wm = w * mask
        users = wm.sum()
        row: dict = {"group": name, "lsoas": int(mask.sum()), "users": users}
        for tag, s in (("before", b), ("after", a)):
            row[f"mean_minutes_{tag}"] = _mean(s.minutes, wm)
            row[f"p90_minutes_{tag}"] = weighted_quantile(s.minutes, wm, 0.9, order[tag])
            row[f"mean_km_{tag}"] = _mean(s.km, wm)
        for t in minutes:
            for tag, s in (("before", b), ("after", a)):
                row[f"beyond_{t:g}min_{tag}"] = float((wm * (s.minutes > t)).sum())
        for mi in miles:
            for tag, s in (("before", b), ("after", a)):
                row[f"beyond_{mi:g}mi_{tag}"] = float((wm * (s.km > mi * KM_PER_MILE)).sum())
        for tag, s in (("before", b), ("after", a)):
            row[f"estimated_share_{tag}"] = _mean((s.method == 0).astype(float), wm)
        if deaths is not None:
            central, low, high = (deaths * mask).sum(axis=1)
            row.update(extra_deaths_estimate=central, extra_deaths_estimate_low=low,
                       extra_deaths_estimate_high=high)
        rows.append(row)
    return pd.DataFrame(rows)


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    return float((values * weights).sum() / total) if total > 0 else float("nan")


def scenario_deaths(scenario: Scenario) -> np.ndarray | None:
    """Per-area change in deaths a year (central, low, high), or None if the gradient does not
    apply to the service (it was measured for life-threatening emergencies)."""
    model = scenario.model
    if model.gradient is None:
        return None
    before, after = scenario.before.km, scenario.after.km
    # Areas whose distance is unchanged add exactly nothing; only the moved ones are computed.
    moved = np.flatnonzero(before != after)
    out = np.zeros((3, model.n_areas))
    out[:, moved] = model.gradient.extra_deaths(model.areas["persons"].to_numpy(float)[moved],
                                                before[moved], after[moved])
    return out
