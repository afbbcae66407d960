"""A plan's own figures for today's ICB sets: what the analyst has that the built-in series
only estimate (allocation, deficit support), and the base-year spend the MTPF rules measure
cuts against (ICB running costs, agency and bank staff)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from openstp.plan.common import PLAN_MODEL_CONFIG, ByYear, Money, by_year_field


class IcbFigures(BaseModel):
    """An ICB plan's own figures, each replacing the built-in estimate or filling a gap in it."""

    model_config = PLAN_MODEL_CONFIG

    allocation: ByYear = by_year_field(
        "the ICB's own allocation in each year, replacing its share of the national ICB total")
    deficit_support: Money | None = Field(
        None, description="the system's own 2025/26 deficit support, £ cash, replacing the "
        "apportioned share (it tapers to nothing by 2028/29)")
    running_costs: Money | None = Field(
        None, description="the ICB's running (management) costs in the base year, £ cash")
    agency_spend: Money | None = Field(
        None, description="the system's agency staff spend in the base year, £ cash")
    bank_spend: Money | None = Field(
        None, description="the system's bank staff spend in the base year, £ cash")
