"""Shared field types of the plan document: money, staff, fractions, ids, codes and sectors.

Each type carries its unit in its JSON Schema description, is strict about numbers (a quoted
"1000" or ``true`` in a money field is an error, not a silent conversion), forbids NaN and has a
stated maximum, so no plan can push the models into overflow or the terminal into a crawl.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from openstp.plan.fy import FinancialYear

PLAN_MODEL_CONFIG = ConfigDict(extra="forbid")
"""Configuration shared by every plan model: unknown fields are errors."""

MAX_MONEY = 100e9
"""£100bn: more than the whole yearly NHS spend of any footprint or ICB (England's NHS budget was
about £120bn in 2020/21), so a larger amount in one field is a typing error."""
MAX_FTE = 1_000_000
"""About England's whole NHS workforce (1.2m staff, 2017): no footprint plans more."""
MAX_BEDS = 100_000
"""About all of England's general and acute beds (103,422 in 2015/16): no footprint changes more."""
MAX_NAME = 200
"""Characters in a name or title."""
MAX_TEXT = 20_000
"""Characters in a free-text field (about eight pages)."""
MAX_ITEMS = 1_000
"""Entries in one list of a plan (schemes, bed changes, site changes, board members …)."""

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
    if len(value) > MAX_NAME:
        raise ValueError(f"an id has at most {MAX_NAME} characters, this one {len(value):,}")
    if not _SLUG_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit (e.g. 'leeds-outpatients')"
        )
    return value


def _check_param_path(value: str) -> str:
    if not _PARAM_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a parameter path: use dotted lower-case names, "
            "e.g. 'gap.growth.non_demographic.acute'"
        )
    return value


def _check_code(value: str) -> str:
    if len(value) > MAX_NAME:
        raise ValueError(f"an organisation code has at most {MAX_NAME} characters, this one "
                         f"{len(value):,}")
    if not value.strip() or value != value.strip():
        raise ValueError(f"{value!r} is not an organisation code: give an ONS or ODS code")
    return value


Money = Annotated[
    float,
    Field(strict=True, ge=0, le=MAX_MONEY, allow_inf_nan=False,
          description="£, cash (not thousands), ≥ 0, at most £100bn"),
]
"""Pounds sterling in cash terms (not £000s), never negative, at most ``MAX_MONEY``."""

SignedMoney = Annotated[
    float,
    Field(strict=True, ge=-MAX_MONEY, le=MAX_MONEY, allow_inf_nan=False,
          description="£, cash (not thousands), between -£100bn and £100bn"),
]
"""Pounds sterling in cash terms that may be negative (a surplus where a deficit is positive)."""

Fte = Annotated[
    float,
    Field(strict=True, ge=0, le=MAX_FTE, allow_inf_nan=False,
          description="full-time equivalent staff, ≥ 0, at most 1,000,000"),
]
"""Full-time-equivalent staff, never negative, at most ``MAX_FTE``."""

Fraction = Annotated[
    float,
    Field(
        strict=True,
        ge=-1,
        le=10,
        allow_inf_nan=False,
        description="fractional change, e.g. -0.15 for a 15% cut; -1 is everything; at most 10 "
        "(an elevenfold rise)",
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

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT, description="free text")]
"""Non-empty free text, at most ``MAX_TEXT`` characters."""

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME, description="name (free text)")]
"""A non-empty name or title, at most ``MAX_NAME`` characters."""

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
