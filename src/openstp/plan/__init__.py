"""The plan document: typed models, YAML reading with line numbers, validation and schema.

A plan is one footprint's five-year Sustainability and Transformation Plan written as YAML;
``load_plan`` reads it, ``check_plan_file`` reports every problem with file, line and field.
"""

from openstp.plan.fy import FinancialYear, format_fy, fy_in_range, fy_offset, fy_range, parse_fy
from openstp.plan.loader import (
    dump_plan,
    load_plan,
    load_plan_with_map,
    parse_plan_text,
    plan_to_yaml_str,
)
from openstp.plan.model import (
    BedChange,
    BedCondition,
    BedTestCondition,
    BedType,
    BoardMember,
    Consultation,
    Coordinates,
    Engagement,
    Event,
    EventKind,
    Evidence,
    EvidenceGrade,
    Governance,
    Person,
    Plan,
    Scheme,
    SchemeType,
    Sector,
    Service,
    SignOff,
    SiteAction,
    SiteChange,
    StaffGroup,
    Workforce,
    WorkforceYear,
)
from openstp.plan.schema import plan_json_schema
from openstp.plan.sourcemap import SourceMap
from openstp.plan.validate import check_plan_file, validate_plan

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
    "FinancialYear",
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
    "SourceMap",
    "StaffGroup",
    "Workforce",
    "WorkforceYear",
    "check_plan_file",
    "dump_plan",
    "format_fy",
    "fy_in_range",
    "fy_offset",
    "fy_range",
    "load_plan",
    "load_plan_with_map",
    "parse_fy",
    "parse_plan_text",
    "plan_json_schema",
    "plan_to_yaml_str",
    "validate_plan",
]
