"""Demand management in beds: the share of bed days that delivered schemes remove.

The risk model simulates how much of each scheme's saving is delivered, and when; a demand-
management scheme removes its activity target × (delivered saving / planned horizon saving)
× the share of general and acute bed days of its admission type. Outpatient and A&E schemes
remove no overnight bed days.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from openstp.params import Parameters
from openstp.plan import Plan, SchemeType
from openstp.risk import RiskResults

BED_DAY_TYPES = {SchemeType.demand_management_non_elective: "emergency",
                 SchemeType.demand_management_elective: "elective"}


def bed_day_reduction(risk: RiskResults, plans: Sequence[Plan], params: Parameters,
                      draws: int) -> np.ndarray:
    """(draw, footprint, year): share of G&A bed days removed by delivered demand management,
    for the first ``draws`` random draws after the central one; plans in the risk run's order."""
    emergency = params.value("beds.capacity.emergency_bed_day_share")
    weight = {"emergency": emergency, "elective": 1 - emergency}
    delivered = risk.delivered_draws[: draws + 1]
    out = np.zeros((delivered.shape[0], len(plans), delivered.shape[2]))
    offset = 0
    horizon = plans[0].horizon
    for f, plan in enumerate(plans):
        for m, scheme in enumerate(plan.schemes):
            kind = BED_DAY_TYPES.get(scheme.type)
            planned = scheme.saving.get(horizon, 0.0)
            if kind and scheme.activity_change and planned > 0:
                share = -scheme.activity_change * weight[kind] / planned
                out[:, f, :] += delivered[:, offset + m, :] * share
        offset += len(plan.schemes)
    return np.clip(out, 0.0, 1.0)
