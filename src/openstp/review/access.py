"""The review's access assessments of one plan: travel before and after each site change.

A what-if that changes only money or delivery leaves them as they were, yet they are a fifth of
its time; so they are kept (a few, for the last plans seen) and keyed on all they read: the
plan's footprint, footprint set, name (the changes' labels quote it) and site changes, the
``access.*`` parameters and the threshold minutes. Callers get copies.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache

from openstp.access import assess_access
from openstp.access.equity import DEFAULT_MINUTES
from openstp.params import Parameters
from openstp.plan import Plan

KEPT = 64
"""Assessments kept: one per footprint of a national run (44 or 42), and then some."""
COLUMNS = ["lsoa11cd", "users", "site_before", "site_after", "minutes_before", "minutes_after"]


@dataclass(frozen=True)
class _Inputs:
    """What an assessment reads; equal and hashed by ``key`` alone."""

    key: tuple
    plan: Plan = field(compare=False, hash=False)
    params: Parameters = field(compare=False, hash=False)
    minutes: int = field(compare=False, hash=False)


def plan_access(plan: Plan, minutes: int, params: Parameters) -> dict[str, dict]:
    """Each service a plan changes: travel before and after (``summary`` by deprivation and
    rurality, ``headline`` figures, ``lsoas`` minutes per small area)."""
    key = (plan.footprint, plan.footprint_set, plan.name,
           tuple(c.model_dump_json() for c in plan.site_changes),
           tuple((path, repr(params[path])) for path in params.paths("access")), minutes)
    return {service: {"summary": result["summary"].copy(),
                      "headline": copy.deepcopy(result["headline"]),
                      "lsoas": result["lsoas"].copy()}
            for service, result in _assessed(_Inputs(key, plan, params, minutes)).items()}


@lru_cache(maxsize=KEPT)
def _assessed(inputs: _Inputs) -> dict[str, dict]:
    plan, out = inputs.plan, {}
    for service in sorted({c.service.value for c in plan.site_changes}):
        result = assess_access(service, plan=plan, params=inputs.params,
                               minutes=tuple(sorted({*DEFAULT_MINUTES, inputs.minutes})))
        out[service] = {"summary": result.summary(), "headline": result.headline(),
                        "lsoas": result.lsoas()[COLUMNS]}
    return out
