"""What if: apply changed assumptions and scheme figures to a plan, and recompute its footprint.

The recomputation is ``openstp.review.chain.run_footprint`` (the review chain); the web app takes
it as a parameter so tests and demos can pass a stand-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Protocol

import pandas as pd
from pydantic import BaseModel, Field, ValidationError

from openstp.defaults import DEFAULT_SEED, WHAT_IF_DRAWS
from openstp.errors import OpenSTPError, PlanError, problem
from openstp.params import builtin_parameters
from openstp.plan import EvidenceGrade, Plan
from openstp.plan.common import MAX_BEDS, MAX_MONEY
from openstp.plan.fy import FinancialYear
from openstp.plan.messages import problems_from_validation
from openstp.plan.sourcemap import SourceMap
from openstp.review.chain import run_footprint
from openstp.web.limits import MAX_ASSUMPTIONS, MAX_SCHEMES, MAX_YEARS
from openstp.web.sites import apply_sites

Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A number that is neither infinite nor NaN (JSON from Python may carry ``Infinity``)."""


Pounds = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
"""An amount of money in £ cash, at most £100bn."""
ROUNDING = 50_000.0
"""The form shows savings in £m to one decimal: a year within £0.05m of the plan's figure is
the plan's own figure, rounded for display, not a change."""


class SchemeChange(BaseModel):
    """New figures for one scheme: its saving by year (£ cash) and evidence grade."""

    savings: dict[FinancialYear, Pounds] = Field(
        default_factory=dict, max_length=MAX_YEARS,
        description="saving in each year given, £ cash; other years keep the plan's figure")
    saving: Pounds | None = Field(None, description="saving in the horizon year, £ cash; the "
                                                    "whole profile is rescaled to it")
    grade: EvidenceGrade | None = Field(None, description="evidence grade, A (strongest) to D")


class Scenario(BaseModel):
    """A what-if: a base plan and the changes to make to it."""

    plan: str | None = Field(None, description="base plan name (default: the reviewed plan)")
    assumptions: dict[str, Finite] = Field(default_factory=dict, max_length=MAX_ASSUMPTIONS,
                                           description="parameter path → value in its unit")
    schemes: dict[str, SchemeChange] = Field(default_factory=dict, max_length=MAX_SCHEMES,
                                             description="scheme id → new figures")
    beds: dict[str, Annotated[int, Field(ge=-MAX_BEDS, le=MAX_BEDS)]] = Field(
        default_factory=dict, max_length=MAX_SCHEMES,
        description="bed change id (of the plan's own) → beds opened (+) or closed (-)")
    sites: dict[str, bool] = Field(
        default_factory=dict, max_length=MAX_SCHEMES,
        description="'SITE:service' (e.g. 'RAE01:ed') → whether the site offers the service "
                    "after the what-if; a change from the plan adds or removes a site change")


class SaveRequest(Scenario):
    """A what-if to save as a plan file called ``name``; ``version`` is that of the base plan."""

    name: str = Field(description="file name of the new plan (letters, digits, - and _)")
    version: str | None = Field(None, description="version of the base plan as loaded")


class Run(Protocol):
    """What the engine returns: the results tables of one footprint."""

    tables: dict[str, pd.DataFrame]


Engine = Callable[..., Run]


def chain_engine(plan: Plan, draws: int = WHAT_IF_DRAWS, seed: int = DEFAULT_SEED,
                 params: Any = None) -> Run:
    """Recompute one footprint with the review chain (``openstp.review.chain.run_footprint``);
    its ``access_lsoa`` table (minutes to each service the plan changes, from every small area)
    redraws the map."""
    return TablesRun(run_footprint(plan, draws=draws, seed=seed, params=params))


class TablesRun:
    """A chain run seen as ``.tables``: a dict of results tables, whatever shape the run has.

    Accepts ``.tables`` as a dict, as a method returning one, or as an object with ``.frames``
    (the chain's ``NationalTables``).
    """

    def __init__(self, run: Any):
        tables = run.tables
        tables = tables() if callable(tables) else tables
        self.tables: dict[str, pd.DataFrame] = dict(getattr(tables, "frames", tables))


def apply_scenario(plan: Plan, scenario: Scenario, central: dict[str, float]) -> Plan:
    """A new plan with the scenario's changes; raises ``PlanError`` naming each bad field.

    An assumption equal to its central value (``central``) and not set by the plan is left out,
    so a saved plan records only real departures.
    """
    data = plan.model_dump(mode="python", exclude_defaults=True)
    assumptions = dict(plan.assumptions)
    for path, value in scenario.assumptions.items():
        if path not in assumptions and central.get(path) == value:
            continue
        assumptions[path] = value
    data["assumptions"] = assumptions
    schemes = {s["id"]: s for s in data.get("schemes", [])}
    unknown = [i for i in scenario.schemes if i not in schemes]
    if unknown:
        raise PlanError([problem("scenario", f"no scheme with id {', '.join(unknown)}",
                                 field="schemes")])
    for ident, change in scenario.schemes.items():
        s = schemes[ident]
        old = s.get("saving", {}).get(plan.horizon, 0.0)
        if change.saving is not None and abs(change.saving - old) >= 0.5:  # not £m rounding
            s["saving"] = _rescale(s.get("saving", {}), plan.horizon, change.saving)
        if change.savings:
            s["saving"] = _by_year(s.get("saving", {}), change.savings)
        if change.grade is not None:
            s["evidence"] = {**s.get("evidence", {}), "grade": change.grade.value}
    _apply_beds(data, scenario.beds)
    apply_sites(data, plan, scenario.sites)
    try:
        new = Plan.model_validate(data)
    except ValidationError as err:
        raise PlanError(problems_from_validation(err, data, SourceMap(file="scenario"), Plan)
                        ) from None
    try:
        builtin_parameters().with_overrides(dict(new.assumptions), source="what-if")
    except OpenSTPError as err:
        raise PlanError(err.problems) from None
    return new


def _by_year(saving: dict[str, float], new: dict[str, float]) -> dict[str, float]:
    """The saving profile with each year in ``new`` replaced, unless it is only the rounding."""
    out = dict(saving)
    for year, amount in new.items():
        if abs(amount - saving.get(year, 0.0)) >= ROUNDING:
            out[year] = float(amount)
    return {year: v for year, v in out.items() if v or year in saving}


def _apply_beds(data: dict[str, Any], beds: dict[str, int]) -> None:
    """Set the plan's own bed changes to new numbers of beds; an unknown id is an error."""
    changes = {c["id"]: c for c in data.get("bed_changes", [])}
    unknown = sorted(set(beds) - set(changes))
    if unknown:
        raise PlanError([problem("scenario", f"no bed change with id {', '.join(unknown)}",
                                 field="beds")])
    for ident, number in beds.items():
        changes[ident]["change"] = int(number)


def _rescale(saving: dict[str, float], horizon: str, amount: float) -> dict[str, float]:
    """The saving profile scaled so that the horizon year is ``amount``."""
    old = saving.get(horizon, 0.0)
    if old > 0:
        return {year: round(v * amount / old, 2) for year, v in saving.items()}
    return {**saving, horizon: float(amount)}
