"""Staff a footprint needs: base-year posts carried forward with activity, plus the plan's changes.

    required[d,f,g,y] = posts[d,f,g] × activity[d,f,setting(g),y] + Δschemes[d,g,y] + Δbeds[g,y]

Activity is the gap model's cost-weighted population of the group's setting (index 1 at the base
year); hospital activity also grows by the bed model's non-demographic bed-day growth, drawn per
draw. Staff per unit of activity is each group's base-year posts per £ of its setting's spend.
A demand-management scheme removes hospital staff need in proportion to the hospital activity
it removes (its delivered saving grossed up for the cost of re-providing care) and adds
community staff for the re-provided care; ward nursing is removed only when beds close.
"""

from __future__ import annotations

import numpy as np

from openstp.errors import PlanError, problem
from openstp.plan import Plan
from openstp.workforce.baseline import Settings
from openstp.workforce.groups import (
    COMMUNITY_GROUPS,
    DEMAND_MANAGEMENT_TYPES,
    GROUPS,
    HOSPITAL_GROUPS,
    SETTING_OF_GROUP,
    WARD_GROUP,
)

G = {g: i for i, g in enumerate(GROUPS)}


def activity_paths(settings: Settings, bed_day_growth: np.ndarray,
                   footprints: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Activity index per draw, footprint, group and year ``(d, f, g, y)``, 1 at the base year.

    ``bed_day_growth`` (d,) is non-demographic growth in hospital bed days per year;
    ``footprints`` the positions of the footprints wanted (all by default).
    """
    by_group = settings.of_groups(settings.activity)[footprints]  # (f, g, y)
    t = np.arange(by_group.shape[-1])
    trend = (1 + bed_day_growth[:, None]) ** t[None, :]  # (d, y)
    hospital = np.array([SETTING_OF_GROUP[g] == "hospital" for g in GROUPS])
    factor = np.where(hospital[None, :, None], trend[:, None, :], 1.0)  # (d, g, y)
    return by_group[None] * factor[:, None]


def staff_per_pound(national_posts: np.ndarray, settings: Settings) -> np.ndarray:
    """Base-year posts per £ of the group's setting spend in England, ``(d, g)`` FTE per £."""
    spend = settings.of_groups(settings.spend.sum(axis=0, keepdims=True))[0]  # (g,)
    # a setting without spend (social care in the ICB sets) has no posts to scale: 0 per £
    return np.divide(national_posts, spend, out=np.zeros(np.broadcast(national_posts, spend).shape),
                     where=spend != 0)


def ward_share(nurse_posts: np.ndarray, occupied_beds: float, rn_per_bed: float) -> np.ndarray:
    """Share of nursing posts that staff occupied acute beds (ward nursing), per draw."""
    return np.minimum(occupied_beds * rn_per_bed / nurse_posts, 1.0)


def check_delivery(plan: Plan, delivery: np.ndarray | None, years: list[str]) -> np.ndarray:
    """The risk model's delivered fractions ``(d, scheme, year)``; all 1 (as planned) if absent."""
    shape = (len(plan.schemes), len(years))
    if delivery is None:
        return np.ones((1, *shape))
    delivery = np.asarray(delivery, dtype=float)
    if delivery.ndim != 3 or delivery.shape[1:] != shape:
        raise PlanError([problem("delivery", f"expected (draws, {shape[0]} schemes, "
                                 f"{shape[1]} years), got {delivery.shape}")])
    return delivery


def planned_by_year(amounts: dict[str, float], years: list[str]) -> np.ndarray:
    """A scheme's £ by plan year (years outside the plan are ignored)."""
    return np.array([float(amounts.get(y, 0.0)) for y in years])


def scheme_changes(plan: Plan, years: list[str], deflator: np.ndarray, delivery: np.ndarray,
                   fte_per_pound: np.ndarray, ward: np.ndarray, reprovision: float
                   ) -> np.ndarray:
    """Change in staff need from the plan's demand-management schemes ``(d, g, y)``.

    Gross hospital activity removed = delivered saving (base-year prices) / (1 - reprovision);
    hospital groups lose that × their staff per £ (nursing net of its ward share, which goes
    with beds); community groups gain reprovision × that × their staff per £.
    """
    draws = max(delivery.shape[0], fte_per_pound.shape[0], ward.shape[0])
    out = np.zeros((draws, len(GROUPS), len(years)))
    for m, scheme in enumerate(plan.schemes):
        if scheme.type.value not in DEMAND_MANAGEMENT_TYPES:
            continue
        real = planned_by_year(scheme.saving, years) / deflator  # (y,)
        gross = delivery[:, m, :] * real / (1 - reprovision)  # (d, y)
        for g in HOSPITAL_GROUPS:
            keep = (1 - ward) if g == WARD_GROUP else 1.0  # (d,) or scalar
            out[:, G[g]] -= gross * (fte_per_pound[:, G[g]] * keep)[:, None]
        for g in COMMUNITY_GROUPS:
            out[:, G[g]] += reprovision * gross * fte_per_pound[:, G[g], None]
    return out


def bed_changes(plan: Plan, years: list[str], occupancy: float, rn_per_bed: float
                ) -> np.ndarray:
    """Change in ward nursing need from the plan's general and acute bed changes ``(g, y)``.

    A change of n beds alters need by n × occupancy × nurse FTE per occupied bed from its year.
    """
    out = np.zeros((len(GROUPS), len(years)))
    for change in plan.bed_changes:
        if change.bed_type.value != "general_acute" or change.year not in years:
            continue
        out[G[WARD_GROUP], years.index(change.year):] += change.change * occupancy * rn_per_bed
    return out


def required_paths(posts_fp: np.ndarray, activity: np.ndarray) -> np.ndarray:
    """Do-nothing staff need ``(d, f, g, y)`` from base posts ``(d, f, g)`` and activity."""
    return posts_fp[..., None] * activity
