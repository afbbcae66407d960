"""The plan's non-financial sections: governance, engagement and workforce."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from openstp.plan.common import (
    MAX_ITEMS,
    PLAN_MODEL_CONFIG,
    Flag,
    Fte,
    Name,
    OrgCode,
    Sources,
    Text,
    sources_field,
)
from openstp.plan.fy import FinancialYear


class Person(BaseModel):
    """A named person and the role they hold."""

    model_config = PLAN_MODEL_CONFIG

    name: Name = Field(description="full name (free text)")
    role: Text | None = Field(None, description="job title or role (free text)")


class LeadKind(StrEnum):
    """The kind of organisation a footprint's lead came from."""

    provider = "provider"
    ccg = "ccg"
    local_authority = "local_authority"
    other = "other"


class Lead(Person):
    """The footprint's senior responsible lead, and the kind of organisation they came from."""

    organisation: OrgCode | None = Field(
        None, description="ONS or ODS code of the lead's own organisation, if known"
    )
    organisation_kind: LeadKind | None = Field(
        None, description="kind of organisation the lead came from (unknown if absent)"
    )
    gp: Flag | None = Field(None, description="true if the lead is a GP (unknown if absent)")
    sources: Sources = sources_field("the lead and their role")


class BoardMember(Person):
    """A member of the footprint's partnership board."""

    organisation: OrgCode | None = Field(
        None, description="ONS or ODS code of the organisation the member represents"
    )


class Governance(BaseModel):
    """Who leads the plan, who decides, and whether the plan is public."""

    model_config = PLAN_MODEL_CONFIG

    lead: Lead | None = Field(None, description="the footprint's senior responsible lead")
    board: list[BoardMember] = Field(default_factory=list, max_length=MAX_ITEMS, description="partnership board")
    decision_rights: Flag | Text | None = Field(
        None,
        description="whether the board can take binding decisions (true/false), or text "
        "describing what it may decide",
    )
    published: Flag = Field(False, description="true if the plan has been published")
    published_date: dt.date | None = Field(None, description="date published (YYYY-MM-DD)")
    sources: Sources = sources_field("whether and when the plan was published")

    @field_validator("published_date")
    @classmethod
    def _needs_published(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is not None and info.data.get("published") is False:
            raise ValueError("a published_date is given but published is false: set one or both")
        return value


class EventKind(StrEnum):
    """Kinds of engagement event."""

    public_meeting = "public_meeting"
    workshop = "workshop"
    survey = "survey"
    focus_group = "focus_group"
    online = "online"
    board_meeting = "board_meeting"
    other = "other"


class Event(BaseModel):
    """An engagement event with the public, staff or partners."""

    model_config = PLAN_MODEL_CONFIG

    date: dt.date = Field(description="date of the event (YYYY-MM-DD)")
    kind: EventKind = Field(description="kind of event")
    description: Text | None = Field(None, description="what happened (free text)")


class Consultation(BaseModel):
    """A formal public consultation on a proposed change."""

    model_config = PLAN_MODEL_CONFIG

    start: dt.date = Field(description="first day of the consultation (YYYY-MM-DD)")
    end: dt.date = Field(description="last day of the consultation (YYYY-MM-DD), not before start")
    description: Text = Field(description="what was consulted on (free text)")
    outcome: Text | None = Field(None, description="decision taken afterwards (free text)")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(
                f"the consultation ends ({value.isoformat()}) before it starts "
                f"({start.isoformat()}): end must be on or after start"
            )
        return value


class SignOff(BaseModel):
    """Whether one partner organisation has signed the plan off."""

    model_config = PLAN_MODEL_CONFIG

    organisation: OrgCode = Field(description="ONS or ODS code of the signing organisation")
    date: dt.date | None = Field(None, description="date of the decision (YYYY-MM-DD)")
    signed: Flag = Field(description="true if the organisation's board approved the plan")


class Engagement(BaseModel):
    """Engagement, consultation and sign-off record."""

    model_config = PLAN_MODEL_CONFIG

    events: list[Event] = Field(default_factory=list, max_length=MAX_ITEMS, description="engagement events")
    consultations: list[Consultation] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="formal public consultations"
    )
    sign_offs: list[SignOff] = Field(default_factory=list, max_length=MAX_ITEMS, description="partner sign-offs")


class StaffGroup(StrEnum):
    """Staff groups a workforce plan is broken down by."""

    doctors = "doctors"
    nurses_midwives = "nurses_midwives"
    ahp = "ahp"
    gps = "gps"
    community = "community"
    support = "support"
    social_care = "social_care"


class WorkforceYear(BaseModel):
    """One staff group's planned actions in one financial year (all in FTE)."""

    model_config = PLAN_MODEL_CONFIG

    recruitment: Fte = Field(0.0, description="staff recruited (FTE)")
    training_places: Fte = Field(0.0, description="training places commissioned (FTE)")
    retention_change: Fte = Field(0.0, description="extra staff kept by retention work (FTE)")
    agency_reduction: Fte = Field(0.0, description="agency staff replaced (FTE)")
    new_roles: Fte = Field(0.0, description="staff in new roles, e.g. physician associates (FTE)")


_GROUP_HELP = "financial year ('YYYY/YY') → actions for this staff group (FTE)"


class Workforce(BaseModel):
    """The workforce plan: for each staff group, actions by financial year."""

    model_config = PLAN_MODEL_CONFIG

    doctors: dict[FinancialYear, WorkforceYear] = Field(
        default_factory=dict, description=_GROUP_HELP
    )
    nurses_midwives: dict[FinancialYear, WorkforceYear] = Field(
        default_factory=dict, description=_GROUP_HELP
    )
    ahp: dict[FinancialYear, WorkforceYear] = Field(default_factory=dict, description=_GROUP_HELP)
    gps: dict[FinancialYear, WorkforceYear] = Field(default_factory=dict, description=_GROUP_HELP)
    community: dict[FinancialYear, WorkforceYear] = Field(
        default_factory=dict, description=_GROUP_HELP
    )
    support: dict[FinancialYear, WorkforceYear] = Field(
        default_factory=dict, description=_GROUP_HELP
    )
    social_care: dict[FinancialYear, WorkforceYear] = Field(
        default_factory=dict, description=_GROUP_HELP
    )

    def groups(self) -> dict[StaffGroup, dict[str, WorkforceYear]]:
        """The staff groups as a mapping ``StaffGroup → year → WorkforceYear``."""
        return {group: getattr(self, group.value) for group in StaffGroup}
