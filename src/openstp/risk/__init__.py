"""Delivery risk: Monte Carlo of every scheme of a plan, and the chance that the plan balances.

``simulate(plan, draws, seed)`` draws how much of each scheme's saving is delivered, how late,
and how far its costs overrun, from sourced priors by scheme type and evidence grade
(``params/risk``), with a common system-pressure factor; it returns ``RiskResults`` with the
residual gap per footprint and year, P(balance), expected shortfall, each scheme's share of
the risk, and planned against expected savings by type. ``builtin_plans()`` gives the 44
illustrative plans that the main job runs.
"""

from openstp.risk.builtin import builtin_plan, builtin_plans
from openstp.risk.results import RiskResults
from openstp.risk.rng import STREAMS
from openstp.risk.simulate import DEFAULT_DRAWS, DEFAULT_SEED, simulate

__all__ = ["DEFAULT_DRAWS", "DEFAULT_SEED", "STREAMS", "RiskResults", "builtin_plan",
           "builtin_plans", "simulate"]
