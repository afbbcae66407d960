"""Staff a footprint can expect: staff in post carried forward by default flows, plus the plan.

    supply[d,f,g,t] = in_post[f,g] × (1 + net_growth[d,g])^t + added[d,f,g,t]
    added[t]        = added[t-1] × (1 - leaver_rate[d,g])
                      + fill[d] × (recruited + retained + agency converted + new roles)[t]
                      + fill[d] × completion[d,g] × training_places[t - lag_g]

Net growth is the observed change in staff in post (joiners and newly qualified staff minus
leavers) without plan action; staff a plan adds then leave at the group's leaver rate. Training
places a plan funds qualify after the group's training lag; nursing places lose students at the
sourced attrition rate (other groups' places count in full: no attrition source was found).
"""

from __future__ import annotations

import numpy as np

from openstp.plan import Plan
from openstp.workforce.groups import GROUPS

IMMEDIATE = ("recruitment", "retention_change", "agency_reduction", "new_roles")
NURSING_GROUPS = ("nurses_midwives", "community")


def has_workforce_plan(plan: Plan | None) -> str:
    """``none`` (no workforce section), ``empty`` (a section with no actions) or ``present``."""
    if plan is None or plan.workforce is None:
        return "none"
    return "present" if any(plan.workforce.groups().values()) else "empty"


def plan_actions(plan: Plan | None, years: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The plan's immediate actions and training places by group and year ``(g, y)`` FTE."""
    immediate = np.zeros((len(GROUPS), len(years)))
    training = np.zeros_like(immediate)
    if plan is None or plan.workforce is None:
        return immediate, training
    for group, by_year in plan.workforce.groups().items():
        g = GROUPS.index(group.value)
        for year, actions in by_year.items():
            if year not in years:
                continue
            y = years.index(year)
            immediate[g, y] += sum(getattr(actions, a) for a in IMMEDIATE)
            training[g, y] += actions.training_places
    return immediate, training


def completion_by_group(nursing_completion: np.ndarray) -> np.ndarray:
    """Share of training places that qualify, per draw and group ``(d, g)``."""
    nursing = np.array([g in NURSING_GROUPS for g in GROUPS])
    return np.where(nursing[None, :], nursing_completion[:, None], 1.0)


def added_staff(immediate: np.ndarray, training: np.ndarray, lag: np.ndarray,
                leaver: np.ndarray, fill: np.ndarray, completion: np.ndarray) -> np.ndarray:
    """Staff a plan adds still in post, ``(d, g, y)``, from actions ``(g, y)`` of one footprint."""
    n_years = immediate.shape[1]
    qualified = np.zeros_like(training)
    for g, years_lag in enumerate(lag):
        if years_lag < n_years:
            qualified[g, years_lag:] = training[g, :n_years - years_lag]
    inflow = fill[:, None, None] * (immediate[None] + completion[:, :, None] * qualified[None])
    added = np.zeros_like(inflow)
    for t in range(n_years):
        previous = added[:, :, t - 1] * (1 - leaver) if t else 0.0
        added[:, :, t] = previous + inflow[:, :, t]
    return added


def supply_paths(in_post: np.ndarray, growth: np.ndarray, n_years: int) -> np.ndarray:
    """Default supply without plan action ``(d, f, g, y)`` from staff in post ``(f, g)``."""
    t = np.arange(n_years)
    return in_post[None, :, :, None] * (1 + growth[:, None, :, None]) ** t


def default_flows(in_post: np.ndarray, growth: np.ndarray, leaver: np.ndarray,
                  n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Central leavers and joiners per year ``(f, g, y)`` implied by the default flows.

    Leavers in year t = staff at t-1 × leaver rate; joiners = leavers + net growth × staff.
    """
    staff = supply_paths(in_post, growth[None], n_years)[0]
    before = np.concatenate([staff[..., :1], staff[..., :-1]], axis=-1)
    leavers = before * leaver[None, :, None]
    joiners = leavers + before * growth[None, :, None]
    leavers[..., 0] = joiners[..., 0] = np.nan  # the base year has no flow in the model
    return leavers, joiners
