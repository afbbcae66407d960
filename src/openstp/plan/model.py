"""The plan document: one footprint's five-year plan, the root input of every OpenSTP engine.

The pydantic models here are the single definition of the plan file format; the JSON Schema
(``openstp.plan.schema``) and the YAML loader are generated from or driven by them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from openstp.plan.changes import (
    BedChange,
    BedCondition,
    BedTestCondition,
    BedType,
    Coordinates,
    Service,
    SiteAction,
    SiteChange,
)
from openstp.plan.common import (
    MAX_ITEMS,
    PLAN_MODEL_CONFIG,
    Flag,
    Money,
    Name,
    ParamPath,
    Sector,
    SignedMoney,
    Text,
)
from openstp.plan.fy import FinancialYear, fy_range, parse_fy
from openstp.plan.icb import IcbFigures
from openstp.plan.schemes import Evidence, EvidenceGrade, Scheme, SchemeType
from openstp.plan.sections import (
    BoardMember,
    Consultation,
    Engagement,
    Event,
    EventKind,
    Governance,
    Person,
    SignOff,
    StaffGroup,
    Workforce,
    WorkforceYear,
)

__all__ = [
    "BedChange",
    "BedCondition",
    "BedTestCondition",
    "BedType",
    "BoardMember",
    "Consultation",
    "Coordinates",
    "Engagement",
    "Event",
    "EventKind",
    "Evidence",
    "EvidenceGrade",
    "FootprintSet",
    "Governance",
    "Person",
    "Plan",
    "Scheme",
    "SchemeType",
    "Sector",
    "Service",
    "SignOff",
    "SiteAction",
    "SiteChange",
    "StaffGroup",
    "Workforce",
    "WorkforceYear",
]

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A finite number; quoted strings and booleans are rejected."""

FootprintSet = Literal["stp2017", "stp2018", "stp2019", "stp2020", "icb2022", "icb2023", "icb2026"]
"""Footprint sets a plan may be written against (must match ``openstp.data.FOOTPRINT_SETS``)."""


class Plan(BaseModel):
    """A footprint's plan from the base year to the horizon: money, beds, sites, staff, people."""

    model_config = PLAN_MODEL_CONFIG

    footprint: Name = Field(
        description="the footprint: ONS code (E54…), ODS code (Q…) or a unique part of its name"
    )
    footprint_set: FootprintSet = Field(
        "stp2017", description="footprint boundaries the plan uses (a set name, no unit)"
    )
    name: Name = Field(description="title of the plan (free text)")
    illustrative: Flag = Field(
        False, description="true for plans derived from national aggregates, not a real plan"
    )
    description: Text | None = Field(None, description="what the plan is and where it came from")
    base_year: FinancialYear = Field("2015/16", description="baseline financial year ('YYYY/YY')")
    horizon: FinancialYear = Field("2020/21", description="last financial year of the plan")
    assumptions: dict[ParamPath, Number] = Field(
        default_factory=dict, max_length=MAX_ITEMS,
        description="overrides of the parameter tree: parameter path → value, in the unit of "
        "that parameter",
    )
    baseline: dict[Sector, Money] | None = Field(
        None, description="own baseline spend in the base year: sector → £ cash (not thousands)"
    )
    opening_position: SignedMoney | None = Field(
        None, description="own underlying position in the base year: £ cash, a deficit positive "
        "and a surplus negative; replaces the one OpenSTP shares out from England's"
    )
    icb: IcbFigures | None = Field(
        None, description="today's ICB sets only: the ICB's own allocation, deficit support "
        "and base-year running, agency and bank spend"
    )
    governance: Governance | None = Field(None, description="leadership and decision making")
    schemes: list[Scheme] = Field(default_factory=list, max_length=MAX_ITEMS, description="savings schemes")
    bed_changes: list[BedChange] = Field(default_factory=list, max_length=MAX_ITEMS, description="bed changes")
    site_changes: list[SiteChange] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="service changes at sites"
    )
    workforce: Workforce | None = Field(
        None, description="workforce plan (FTE); absent means the plan has none"
    )
    engagement: Engagement | None = Field(None, description="engagement and sign-off record")

    @field_validator("horizon")
    @classmethod
    def _after_base(cls, value: str, info: ValidationInfo) -> str:
        base = info.data.get("base_year")
        if base is not None and parse_fy(value) <= parse_fy(base):
            raise ValueError(f"the horizon ({value}) must be after the base year ({base})")
        return value

    def years(self) -> list[str]:
        """Financial years from the base year to the horizon, inclusive."""
        return fy_range(self.base_year, self.horizon)

    def total_saving_by_year(self) -> dict[str, float]:
        """Saving of all schemes in each plan year (£ cash); years with none give 0."""
        totals = {year: 0.0 for year in self.years()}
        for scheme in self.schemes:
            for year, amount in scheme.saving.items():
                if year in totals:
                    totals[year] += amount
        return totals

    def scheme(self, scheme_id: str) -> Scheme:
        """The scheme with id ``scheme_id``; raises ``KeyError`` if there is none."""
        for scheme in self.schemes:
            if scheme.id == scheme_id:
                return scheme
        raise KeyError(scheme_id)
