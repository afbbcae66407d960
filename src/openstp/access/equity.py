"""Who bears a reconfiguration: population-weighted travel before and after, people beyond
thresholds, and deaths, for everyone and by IMD quintile and urban/rural."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from openstp.access.model import Assignment
from openstp.access.order import order_of, sorted_keys, updated_keys
from openstp.access.scenario import Scenario
from openstp.access.sums import by_group, code_sums, group_code
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
    estimate, and (for emergency care) the estimated change in deaths a year with its CI.

    All groups are summed at once by a code naming each area's groups (``sums``): three
    ``bincount`` passes per tag; the percentiles share one sort per tag, updated from the
    model's baseline sort. The baseline's figures are kept by the model for the next scenario
    with the same groups and thresholds.
    """
    model = scenario.model
    scope = np.ones(model.n_areas, bool) if scope is None else scope
    named = [*groups(model.areas, scope), *extra_groups]
    masks = np.stack([np.asarray(mask, bool) for _, mask in named])  # (group, area)
    users = (masks * model.users).sum(axis=1)  # (group,)
    code, member = group_code(masks)  # (area,), (code, group)
    tags = (("before", scenario.before), ("after", scenario.after))
    orders = _orders(scenario)

    def tag_figures(i: int) -> dict[str, np.ndarray]:
        s = tags[i][1]
        out = _tag_sums(s, code, member, model.users, minutes, miles)
        out["p90"] = _p90(s.minutes, orders[i], masks, model.users, users)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["means"] = np.where(users > 0, out["means"] / users, np.nan)  # (3, group)
        return out

    if scenario.before is model.baseline:  # the same for every scenario with these groups
        key = ("summary", np.packbits(masks).tobytes(), masks.shape, tuple(minutes),
               tuple(miles))
        figures = [model.keep(key, lambda: tag_figures(0)), tag_figures(1)]
    else:
        figures = [tag_figures(0), tag_figures(1)]
    cols: dict = {"group": [name for name, _ in named], "lsoas": masks.sum(axis=1),
                  "users": users}
    for (tag, _), f in zip(tags, figures, strict=True):
        cols[f"mean_minutes_{tag}"] = f["means"][0]
        cols[f"p90_minutes_{tag}"] = f["p90"]
        cols[f"mean_km_{tag}"] = f["means"][1]
    for k, t in enumerate(minutes):
        for (tag, _), f in zip(tags, figures, strict=True):
            cols[f"beyond_{t:g}min_{tag}"] = f["minutes"][k]
    for k, mi in enumerate(miles):
        for (tag, _), f in zip(tags, figures, strict=True):
            cols[f"beyond_{mi:g}mi_{tag}"] = f["miles"][k]
    for (tag, _), f in zip(tags, figures, strict=True):
        cols[f"estimated_share_{tag}"] = f["means"][2]
    if deaths is not None:
        # Deaths mix signs, so a total near zero would show any change of summing order: they
        # are plain masked sums, as are the users the percentiles are measured against.
        central, low, high = (deaths[None] * masks[:, None]).sum(axis=2).T  # (3, group)
        cols.update(extra_deaths_estimate=central, extra_deaths_estimate_low=low,
                    extra_deaths_estimate_high=high)
    return pd.DataFrame(cols)


def _tag_sums(s: Assignment, code: np.ndarray, member: np.ndarray, users: np.ndarray,
              minutes: Sequence[float], miles: Sequence[float]) -> dict[str, np.ndarray]:
    """One tag's user-weighted sums per group: ``means`` (minutes, km, estimated; 3 × group)
    and users beyond each ``minutes`` and each ``miles`` threshold (threshold × group)."""
    # Thresholds in the arrays' own dtype, as comparing them with a Python number does.
    by_min = np.asarray(minutes, s.minutes.dtype)
    by_km = (np.asarray(miles, float) * KM_PER_MILE).astype(s.km.dtype)
    t_min, t_km = np.unique(by_min), np.unique(by_km)
    # An area's level: how many distinct thresholds it is beyond in minutes and in km, and
    # whether its minutes are estimated. One bincount of users by (code, level) then gives
    # every count.
    shape = (len(t_min) + 1, len(t_km) + 1, 2)
    passed = [(v > t[:, None]).sum(axis=0) for v, t in ((s.minutes, t_min), (s.km, t_km))]
    level = (passed[0] * shape[1] + passed[1]) * 2 + (s.method == 0)  # (area,)
    n_level = int(np.prod(shape))
    cube = code_sums(code * n_level + level, users[None], len(member) * n_level)
    cube = by_group(cube.reshape(len(member), n_level).T, member).reshape(*shape, -1)
    spread = code_sums(code, np.stack([users * s.minutes, users * s.km]), len(member))
    # Beyond threshold t: every level above t's rank among the thresholds.
    beyond_min = [cube[r + 1:].sum(axis=(0, 1, 2)) for r in np.searchsorted(t_min, by_min)]
    beyond_km = [cube[:, r + 1:].sum(axis=(0, 1, 2)) for r in np.searchsorted(t_km, by_km)]
    return {"means": np.vstack([by_group(spread, member), cube[:, :, 1].sum(axis=(0, 1))]),
            "minutes": beyond_min, "miles": beyond_km}


def _orders(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """``argsort(minutes, kind="stable")`` before and after: the model's baseline sort, updated
    for the areas the scenario moves."""
    b, a, model = scenario.before.minutes, scenario.after.minutes, scenario.model
    if b.dtype != np.float32 or a.dtype != np.float32:  # only float32 packs into a sort key
        return np.argsort(b, kind="stable"), np.argsort(a, kind="stable")
    keys = model.baseline_keys if b is model.baseline.minutes else sorted_keys(b)
    return order_of(keys), order_of(updated_keys(keys, b, a))


def _p90(values: np.ndarray, order: np.ndarray, masks: np.ndarray, weights: np.ndarray,
         totals: np.ndarray) -> np.ndarray:
    """``weighted_quantile(values, weights * mask, 0.9, order)`` for every row of ``masks``.

    Zero weights leave a running sum unchanged, so each group's cumulative weight is the
    cumulative sum over its own areas alone, in sorted order: the same numbers, from fewer.
    """
    ranked_w = weights[order]  # (area,) in ascending order of values
    inside = np.take(masks, order, axis=1)  # (group, area) in that order
    out = np.full(len(masks), np.nan)
    for g in np.flatnonzero(totals > 0):
        at = np.flatnonzero(inside[g])  # (member,) the group's places in the order
        k = np.searchsorted(np.cumsum(ranked_w[at]), 0.9 * totals[g])
        out[g] = values[order[at[k]] if k < len(at) else order[-1]]
    return out


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
