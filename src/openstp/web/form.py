"""The what-if form's fields, read and checked at the edge: every bad value is HTTP 422 naming
its field, before anything is computed.

Fields: ``a.PATH`` (an assumption in its unit), ``s.ID.saving.YEAR`` (a scheme's saving in one
year, £ million; ``s.ID.saving`` rescales the profile to a horizon-year figure), ``s.ID.grade``
(its evidence grade), ``b.ID`` (beds opened or closed by one of the plan's bed changes) and
``site.SITE:service`` ("1" if the site offers the service after the what-if, "0" if not: each
checkbox follows a hidden "0" of the same name, and the last value sent wins), with ``plan`` the
base plan's name.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import HTTPException
from pydantic import ValidationError

from openstp.plan.common import MAX_MONEY
from openstp.web.plans import is_name
from openstp.web.scenario import Scenario


def form_scenario(fields: dict[str, str]) -> Scenario:
    """A what-if from the form's fields; raises HTTP 422 naming the first bad one."""
    plan = fields.get("plan") or None
    if plan is not None and not is_name(plan):
        raise HTTPException(422, f"plan: {plan[:80]!r} is not a plan name")
    assumptions: dict[str, float] = {}
    schemes: dict[str, dict[str, Any]] = {}
    beds: dict[str, int] = {}
    sites: dict[str, bool] = {}
    for key, value in fields.items():
        if not value.strip():
            continue
        parts = key.split(".")
        if parts[0] == "a" and len(parts) > 1:
            assumptions[key[2:]] = _number(key, value)  # its bounds: Parameters.with_overrides
        elif parts[0] == "s" and len(parts) == 3 and parts[2] == "saving":
            schemes.setdefault(parts[1], {})["saving"] = _pounds(key, value)
        elif parts[0] == "s" and len(parts) == 4 and parts[2] == "saving":
            schemes.setdefault(parts[1], {}).setdefault("savings", {})[parts[3]] = _pounds(
                key, value)
        elif parts[0] == "b" and len(parts) == 2:
            beds[parts[1]] = _whole(key, value)
        elif parts[0] == "site" and len(parts) == 2:
            sites[parts[1]] = value == "1"
        elif parts[0] == "s" and len(parts) == 3 and parts[2] == "grade":
            schemes.setdefault(parts[1], {})["grade"] = value
    try:
        return Scenario.model_validate({"plan": plan, "assumptions": assumptions,
                                        "schemes": schemes, "beds": beds, "sites": sites})
    except ValidationError as err:
        raise HTTPException(422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                           for e in err.errors())) from None


def _number(key: str, value: str) -> float:
    """A finite number ("inf", "nan" and "1e999" are not)."""
    try:
        number = float(value)
    except ValueError:
        raise HTTPException(422, f"{key}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise HTTPException(422, f"{key}: {value!r} is not a finite number")
    return number


def _whole(key: str, value: str) -> int:
    """A whole number of beds."""
    number = _number(key, value)
    if number != int(number):
        raise HTTPException(422, f"{key}: beds are whole numbers; got {value!r}")
    return int(number)


def _pounds(key: str, value: str) -> int:
    """A saving typed in £ million, as whole £, within what a plan file allows."""
    millions = _number(key, value)
    if not 0 <= millions * 1e6 <= MAX_MONEY:
        raise HTTPException(422, f"{key}: a saving is between £0m and "
                                 f"£{MAX_MONEY / 1e6:,.0f}m; got {value!r}")
    return round(millions * 1e6)
