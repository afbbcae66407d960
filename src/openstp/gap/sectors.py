"""The nine sectors of a footprint's health and care spend, and which age–cost curve drives each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A spending sector: who funds it and which age–cost curve weights its demand.

    ``cost_curve`` names components of the York (Asaria) 2014/15 per-head spend curves joined by
    '+', or 'population' (flat per head), or 'social_care_clients': adults aged 18-64 and
    people aged 65+, each weighted by its sourced share of adult social care spend.
    """

    name: str
    label: str
    funder: str  # "nhs_england" or "local_government"
    cost_curve: str


SECTORS: tuple[Sector, ...] = (
    Sector("acute", "Acute hospital care", "nhs_england", "inpatient+outpatient"),
    Sector("mental_health", "Mental health", "nhs_england", "total"),
    Sector("community", "Community health services", "nhs_england", "total"),
    Sector("primary_care", "Primary care (GP)", "nhs_england", "gp_and_pharma"),
    Sector("prescribing", "Prescribing", "nhs_england", "gp_and_pharma"),
    Sector("specialised", "Specialised (NHS England direct)", "nhs_england",
           "inpatient+outpatient"),
    Sector("other_nhs", "Other NHS", "nhs_england", "total"),
    Sector("public_health", "Public health", "local_government", "population"),
    Sector("adult_social_care", "Adult social care", "local_government",
           "social_care_clients"),
)
SECTOR_NAMES = tuple(s.name for s in SECTORS)
NHS_SECTORS = tuple(s.name for s in SECTORS if s.funder == "nhs_england")
