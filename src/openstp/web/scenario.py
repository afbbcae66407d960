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
from openstp.plan.common import MAX_MONEY
from openstp.plan.messages import problems_from_validation
from openstp.plan.sourcemap import SourceMap
from openstp.review.chain import run_footprint
from openstp.web.limits import MAX_ASSUMPTIONS, MAX_SCHEMES

Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A number that is neither infinite nor NaN (JSON from Python may carry ``Infinity``)."""


class SchemeChange(BaseModel):
    """New figures for one scheme: its saving in the horizon year (£ cash) and evidence grade."""

    saving: float | None = Field(None, ge=0, le=MAX_MONEY, allow_inf_nan=False,
                                 description="saving in the horizon year, £ cash (at most "
                                             "£100bn); the whole profile is rescaled")
    grade: EvidenceGrade | None = Field(None, description="evidence grade, A (strongest) to D")


class Scenario(BaseModel):
    """A what-if: a base plan and the changes to make to it."""

    plan: str | None = Field(None, description="base plan name (default: the reviewed plan)")
    assumptions: dict[str, Finite] = Field(default_factory=dict, max_length=MAX_ASSUMPTIONS,
                                           description="parameter path → value in its unit")
    schemes: dict[str, SchemeChange] = Field(default_factory=dict, max_length=MAX_SCHEMES,
                                             description="scheme id → new figures")


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
    """Recompute one footprint with the review chain (``openstp.review.chain.run_footprint``)."""
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
        if change.grade is not None:
            s["evidence"] = {**s.get("evidence", {}), "grade": change.grade.value}
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


def _rescale(saving: dict[str, float], horizon: str, amount: float) -> dict[str, float]:
    """The saving profile scaled so that the horizon year is ``amount``."""
    old = saving.get(horizon, 0.0)
    if old > 0:
        return {year: round(v * amount / old, 2) for year, v in saving.items()}
    return {**saving, horizon: float(amount)}
