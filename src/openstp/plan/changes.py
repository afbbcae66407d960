"""Physical changes a plan proposes: bed openings/closures and site service changes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt, ValidationInfo, field_validator, model_validator

from openstp.plan.common import (
    MAX_BEDS,
    MAX_ITEMS,
    MAX_NAME,
    PLAN_MODEL_CONFIG,
    OrgCode,
    Slug,
    Sources,
    Text,
    sources_field,
)
from openstp.plan.fy import FinancialYear

# Extent of the coordinate systems themselves (definitions, not assumptions).
_LAT_LIMIT = 90
_LON_LIMIT = 180
_BNG_MAX_EASTING = 700_000
_BNG_MAX_NORTHING = 1_300_000


class BedType(StrEnum):
    """Kind of bed, as counted in the NHS England KH03 bed returns."""

    general_acute = "general_acute"
    maternity = "maternity"
    mental_health = "mental_health"
    critical_care = "critical_care"


class BedTestCondition(StrEnum):
    """NHS England's 2017 conditions for closing beds; a closure should meet at least one."""

    alternative_provision = "alternative_provision"
    new_treatments = "new_treatments"
    efficiency_below_average = "efficiency_below_average"


class BedCondition(BaseModel):
    """One bed-test condition the plan says it meets, with the evidence offered."""

    model_config = PLAN_MODEL_CONFIG

    condition: BedTestCondition = Field(description="which bed-test condition is claimed")
    evidence: Text = Field(description="evidence that the condition is met (free text)")


class BedChange(BaseModel):
    """A change in the number of beds at a trust (negative = closure)."""

    model_config = PLAN_MODEL_CONFIG

    id: Slug = Field(description="identifier unique among the plan's bed changes (slug)")
    trust: OrgCode = Field(description="ODS code of the trust whose beds change")
    site: str | None = Field(None, min_length=1, max_length=MAX_NAME,
                             description="ODS site code, if one site")
    year: FinancialYear = Field(description="financial year the change takes effect")
    change: StrictInt = Field(ge=-MAX_BEDS, le=MAX_BEDS,
                              description="change in available beds (beds; negative = closure)")
    bed_type: BedType = Field(BedType.general_acute, description="kind of bed")
    justification: Text | None = Field(None, description="why the change is proposed")
    conditions: list[BedCondition] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="bed-test conditions evidenced"
    )
    relies_on: list[Slug] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="ids of schemes the change depends on"
    )
    sources: Sources = sources_field("the bed change")

    @field_validator("change")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("a bed change of 0 beds changes nothing: give a non-zero number")
        return value


class Service(StrEnum):
    """Hospital services whose location matters most for access."""

    ed = "ed"
    maternity = "maternity"
    neonatal = "neonatal"
    stroke = "stroke"


class SiteAction(StrEnum):
    """What happens to a service at a site."""

    close = "close"
    downgrade = "downgrade"
    open = "open"


class Coordinates(BaseModel):
    """Where a site is: WGS84 latitude/longitude or British National Grid easting/northing."""

    model_config = PLAN_MODEL_CONFIG

    lat: Annotated[float, Field(strict=True, ge=-_LAT_LIMIT, le=_LAT_LIMIT)] | None = Field(
        None, description="latitude (degrees north, WGS84)"
    )
    lon: Annotated[float, Field(strict=True, ge=-_LON_LIMIT, le=_LON_LIMIT)] | None = Field(
        None, description="longitude (degrees east, WGS84)"
    )
    easting: Annotated[float, Field(strict=True, ge=0, le=_BNG_MAX_EASTING)] | None = Field(
        None, description="easting (metres, British National Grid)"
    )
    northing: Annotated[float, Field(strict=True, ge=0, le=_BNG_MAX_NORTHING)] | None = Field(
        None, description="northing (metres, British National Grid)"
    )

    @model_validator(mode="after")
    def _one_pair(self) -> Coordinates:
        latlon = (self.lat is not None, self.lon is not None)
        grid = (self.easting is not None, self.northing is not None)
        if latlon == (True, True) and grid == (False, False):
            return self
        if grid == (True, True) and latlon == (False, False):
            return self
        raise ValueError("give either both lat and lon, or both easting and northing")


class SiteChange(BaseModel):
    """A service closing, downgrading or opening at a site."""

    model_config = PLAN_MODEL_CONFIG

    id: Slug = Field(description="identifier unique among the plan's site changes (slug)")
    site: str = Field(min_length=1, max_length=MAX_NAME, description="ODS site code (e.g. RAE01)")
    service: Service = Field(description="service affected")
    action: SiteAction = Field(description="what happens to the service")
    year: FinancialYear = Field(description="financial year the change takes effect")
    coordinates: Coordinates | None = Field(
        None, description="location of a new site (only for action 'open')"
    )
    description: Text | None = Field(None, description="what changes and why (free text)")
    sources: Sources = sources_field("the service change")

    @field_validator("coordinates")
    @classmethod
    def _only_for_open(cls, value: Any, info: ValidationInfo) -> Any:
        action = info.data.get("action")
        if value is not None and action is not None and action != SiteAction.open:
            raise ValueError(
                f"coordinates are only for action 'open' (this change is '{action.value}'); "
                "an existing site is found from its code"
            )
        return value
