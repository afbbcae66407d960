"""Typed records for England's health geography: footprints and the organisations in them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class OrganisationKind(StrEnum):
    """What sort of body an organisation is; drives who may own which plan schemes."""

    ccg = "ccg"
    icb = "icb"
    sub_icb_location = "sub_icb_location"
    acute_trust = "acute_trust"
    mental_health_trust = "mental_health_trust"
    community_trust = "community_trust"
    ambulance_trust = "ambulance_trust"
    council = "council"
    gp_federation = "gp_federation"
    other = "other"


class Organisation(BaseModel):
    """A commissioner, provider or council that belongs (wholly or partly) to a footprint."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="ONS E-code where one exists, else the ODS code")
    ods_code: str | None = Field(None, description="NHS ODS code (e.g. 02N, RN3)")
    name: str
    kind: OrganisationKind
    footprint: str = Field(description="code of the footprint (E54…; icb2026: QE1 … T07)")
    share: float = Field(
        1.0, ge=0, le=1, description="share of the organisation's population in this footprint"
    )


class Footprint(BaseModel):
    """One STP footprint or ICB: the unit every OpenSTP plan is written for."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="ONS code, E54… (icb2026: NHS England's ICB code, e.g. T04, "
                                  "as no ONS codes are published for the 2026 ICBs)")
    ods_code: str | None = Field(None, description="NHS ODS code (Q…), where published")
    name: str
    region_code: str = Field(description="ONS code of the NHS England region, E40…")
    region_name: str
    footprint_set: str = Field(description="which footprint set: stp2017, …, icb2026")
