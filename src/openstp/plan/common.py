"""Shared field types of the plan document: money, staff, fractions, ids, codes and sectors.

Each type carries its unit in its JSON Schema description, is strict about numbers (a quoted
"1000" or ``true`` in a money field is an error, not a silent conversion) and forbids NaN.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from openstp.plan.fy import FinancialYear

PLAN_MODEL_CONFIG = ConfigDict(extra="forbid")
"""Configuration shared by every plan model: unknown fields are errors."""

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PARAM_PATH_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
_SLUG_RE = re.compile(SLUG_PATTERN)
_PARAM_RE = re.compile(PARAM_PATH_PATTERN)


class Sector(StrEnum):
    """Spending sectors of a footprint's health and care economy."""

    acute = "acute"
    mental_health = "mental_health"
    community = "community"
    primary_care = "primary_care"
    prescribing = "prescribing"
    specialised = "specialised"
    other_nhs = "other_nhs"
    public_health = "public_health"
    adult_social_care = "adult_social_care"


def _check_slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit (e.g. 'leeds-outpatients')"
        )
    return value


def _check_param_path(value: str) -> str:
    if not _PARAM_RE.match(value):
        raise ValueError(
            f"'{value}' is not a parameter path: use dotted lower-case names, "
            "e.g. 'gap.growth.non_demographic.acute'"
        )
    return value


def _check_code(value: str) -> str:
    if not value.strip() or value != value.strip():
        raise ValueError(f"{value!r} is not an organisation code: give an ONS or ODS code")
    return value


Money = Annotated[
    float,
    Field(strict=True, ge=0, allow_inf_nan=False, description="£, cash (not thousands), ≥ 0"),
]
"""Pounds sterling in cash terms (not £000s), never negative."""

Fte = Annotated[
    float,
    Field(strict=True, ge=0, allow_inf_nan=False, description="full-time equivalent staff, ≥ 0"),
]
"""Full-time-equivalent staff, never negative."""

Fraction = Annotated[
    float,
    Field(
        strict=True,
        ge=-1,
        allow_inf_nan=False,
        description="fractional change, e.g. -0.15 for a 15% cut; -1 is everything",
    ),
]
"""A proportional change; -1 means all of it is removed."""

Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "description": "identifier (slug)"}),
]
"""An identifier unique within its list: lower-case letters, digits, '-' and '_'."""

OrgCode = Annotated[
    str,
    AfterValidator(_check_code),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "description": "organisation code: ONS (e.g. E38000001) or ODS (e.g. 02N, RAE)",
        }
    ),
]
"""An organisation's ONS code (CCGs, councils) or ODS code (trusts, CCGs)."""

ParamPath = Annotated[
    str,
    AfterValidator(_check_param_path),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PARAM_PATH_PATTERN,
            "description": "parameter path, e.g. gap.growth.non_demographic.acute",
        }
    ),
]
"""The dotted name of a parameter in the parameter tree."""

Text = Annotated[str, Field(min_length=1, description="free text")]
"""Non-empty free text."""

Flag = StrictBool
"""A YAML ``true``/``false``; strings such as "yes" are rejected."""

ByYear = dict[FinancialYear, Money]
"""Amounts of money keyed by financial year."""


def by_year_field(what: str) -> Any:
    """A ``Field`` for a mapping of financial year → £ cash, defaulting to empty."""
    return Field(
        default_factory=dict,
        description=f"{what}: financial year ('YYYY/YY') → £ cash (not thousands), ≥ 0",
    )
