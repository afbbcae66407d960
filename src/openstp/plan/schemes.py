"""Savings schemes: the lines of a plan that are meant to close the financial gap."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from openstp.plan.common import (
    MAX_ITEMS,
    PLAN_MODEL_CONFIG,
    ByYear,
    Flag,
    Fraction,
    Name,
    OrgCode,
    Sector,
    Slug,
    Text,
    by_year_field,
)
from openstp.plan.fy import FinancialYear


class SchemeType(StrEnum):
    """What kind of change a scheme makes; delivery priors are set per type."""

    provider_efficiency = "provider_efficiency"
    demand_management_outpatients = "demand_management_outpatients"
    demand_management_elective = "demand_management_elective"
    demand_management_non_elective = "demand_management_non_elective"
    demand_management_ae = "demand_management_ae"
    service_reconfiguration = "service_reconfiguration"
    back_office_estates = "back_office_estates"
    prescribing = "prescribing"
    workforce_agency = "workforce_agency"
    social_care = "social_care"
    prevention = "prevention"
    new_funding = "new_funding"
    # Today's categories (NHS England, Medium Term Planning Framework 2026/27-2028/29)
    neighbourhood_health = "neighbourhood_health"  # neighbourhood health and left shift
    corporate_running_costs = "corporate_running_costs"  # corporate and ICB running costs
    temporary_staffing = "temporary_staffing"  # agency and bank staff


class EvidenceGrade(StrEnum):
    """Strength of the evidence that a scheme saves what it claims (A strongest)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Evidence(BaseModel):
    """The evidence a plan cites for a scheme's saving."""

    model_config = PLAN_MODEL_CONFIG

    grade: EvidenceGrade = Field(
        description="evidence grade, A (strongest) to D (weakest); a label, no unit"
    )
    citation: Text | None = Field(None, description="reference to the evidence (free text)")


class Scheme(BaseModel):
    """One savings (or new-funding) scheme with its money profile by financial year."""

    model_config = PLAN_MODEL_CONFIG

    id: Slug = Field(description="identifier unique among the plan's schemes (slug)")
    name: Name = Field(description="short title (free text)")
    type: SchemeType = Field(description="kind of scheme (one of the listed values)")
    owner: OrgCode = Field(
        description="organisation that delivers the scheme: ONS or ODS code of an "
        "organisation in the plan's footprint"
    )
    sector: Sector | None = Field(None, description="spending sector the saving falls in")
    start_year: FinancialYear = Field(description="financial year the scheme starts ('YYYY/YY')")
    saving: ByYear = by_year_field("recurrent saving delivered in each year")
    investment: ByYear = by_year_field("up-front investment needed")
    double_running: ByYear = by_year_field("cost of running old and new services side by side")
    capital: ByYear = by_year_field("capital required")
    capital_funded: ByYear = by_year_field(
        "capital already secured, of the capital required (the rest is drawn in the risk model)")
    activity_change: Fraction | None = Field(
        None, description="change in activity as a fraction, e.g. -0.15 for a 15% cut"
    )
    evidence: Evidence | None = Field(None, description="evidence cited for the saving")
    depends_on: list[Slug] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="ids of schemes that must deliver first"
    )
    business_case: Flag = Field(False, description="true if a business case has been approved")
    workforce_dependent: Flag = Field(
        False, description="true if delivery needs staff who are not yet in post"
    )
    description: Text | None = Field(None, description="longer description (free text)")

    def total_saving(self) -> float:
        """Sum of the saving over all years (£ cash)."""
        return float(sum(self.saving.values()))
