"""Staff groups, the care settings whose activity drives each, and the staff a scheme relies on.

These are definitions, not numbers: which of the gap model's sectors make up each setting, which
setting's activity a group's need follows, and where each group's parameters live in the tree.
"""

from __future__ import annotations

from openstp.plan import Scheme, StaffGroup

GROUPS: tuple[str, ...] = tuple(g.value for g in StaffGroup)
"""The plan file's staff groups, in its order."""

NHS_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g != "social_care")

LABELS: dict[str, str] = {
    "doctors": "Doctors (hospital and community)",
    "nurses_midwives": "Nurses and midwives (excl. community nursing)",
    "ahp": "Allied health professionals",
    "gps": "GPs",
    "community": "Community health nurses",
    "support": "Support to clinical staff",
    "social_care": "Adult social care staff",
}

SETTINGS: dict[str, tuple[str, ...]] = {
    "hospital": ("acute", "specialised", "mental_health"),
    "community": ("community",),
    "primary_care": ("primary_care",),
    "social_care": ("adult_social_care",),
}
"""Care settings as sets of the gap model's sectors; a setting's activity is their spend."""

SETTING_OF_GROUP: dict[str, str] = {
    "doctors": "hospital",
    "nurses_midwives": "hospital",
    "support": "hospital",
    "community": "community",
    "ahp": "community",
    "gps": "primary_care",
    "social_care": "social_care",
}
"""The setting whose activity a group's staff need follows (and by which it is apportioned)."""

HOSPITAL_GROUPS = tuple(g for g in GROUPS if SETTING_OF_GROUP[g] == "hospital")
COMMUNITY_GROUPS = tuple(g for g in GROUPS if SETTING_OF_GROUP[g] == "community")
WARD_GROUP = "nurses_midwives"
"""The group whose ward nursing need follows beds open rather than activity."""

DEMAND_MANAGEMENT_TYPES = frozenset({
    "demand_management_outpatients", "demand_management_elective",
    "demand_management_non_elective", "demand_management_ae", "neighbourhood_health",
})
CLOSURE_GROUPS: tuple[str, ...] = ("community", "ahp", "social_care")
"""Staff of the alternative provision a bed closure relies on."""


def param_prefix(group: str) -> str:
    """Where a group's parameters live: ``workforce.staff.<group>.``, ``social_care.workforce.``."""
    return "social_care.workforce." if group == "social_care" else f"workforce.staff.{group}."


def scheme_groups(scheme: Scheme) -> tuple[str, ...]:
    """The staff groups a scheme needs in post when it starts.

    Demand management moves care to community teams; social care schemes need care staff;
    agency schemes need substantive hospital staff; otherwise the groups of the scheme's sector.
    """
    kind = scheme.type.value
    if kind in DEMAND_MANAGEMENT_TYPES:
        return COMMUNITY_GROUPS
    if kind == "social_care":
        return ("social_care",)
    if kind in ("workforce_agency", "temporary_staffing"):
        return ("doctors", "nurses_midwives")
    if scheme.sector is None:
        return ()
    sector = scheme.sector.value
    if sector == "prescribing":
        sector = "primary_care"
    return tuple(g for g in GROUPS if sector in SETTINGS[SETTING_OF_GROUP[g]])
