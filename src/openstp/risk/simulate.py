"""``simulate``: plans in, ``RiskResults`` out — validate, lay out, run the engine.

Plans may be given as ``Plan`` objects or plan files; each is checked like ``openstp
validate`` (schema, reference data, years, owners) and any problem raises ``PlanError``
naming file, line and field before anything is computed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from openstp.defaults import DEFAULT_SEED, RISK_DRAWS
from openstp.errors import PlanError, problem
from openstp.gap.checks import check_plan
from openstp.params import Parameters
from openstp.plan import Plan
from openstp.risk.builtin import is_builtin
from openstp.risk.engine import BLOCK, run
from openstp.risk.inputs import build_inputs
from openstp.risk.results import RiskResults

DEFAULT_DRAWS = RISK_DRAWS  # random draws after the central one (``openstp.defaults``)

PlanLike = Plan | str | os.PathLike[str]


def load_checked(plan: PlanLike, params: Parameters | None = None) -> Plan:
    """A plan object or file, checked as ``openstp validate`` checks it: schema, reference data
    and the years the models have data for (``openstp.gap.check_plan``)."""
    if isinstance(plan, Plan) and is_builtin(plan):
        return plan
    found, problems = check_plan(plan, params)
    if found is None or problems:
        raise PlanError(problems)
    return found


def simulate(plan: PlanLike | Sequence[PlanLike], draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED, *, params: Parameters | None = None,
             funding: str = "sr2015", block: int = BLOCK, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             keep_delivered: bool | int = False, gap_uncertainty: bool = True,
             basis: str = "resident") -> RiskResults:
    """Monte Carlo of the delivery of every scheme of one plan or several (one per footprint).

    ``draws`` random draws follow draw 0, the central case; the same ``seed`` gives identical
    results. ``params`` overrides the built-in parameter tree (a plan's own ``assumptions``
    apply on top, except where ``params`` already overrides the same path). Returns a
    ``RiskResults`` with tidy tables: ``summary()``, ``residual()``, ``schemes()``,
    ``by_type()``. ``keep_delivered`` keeps each draw's delivered saving per scheme and year
    (``RiskResults.delivered_draws``) for the bed and workforce models: ``True`` for every
    draw, a number ``k`` for draws 0 … k − 1 only. ``gap_uncertainty`` (default) redraws the
    do-nothing gap itself in every random draw from its sourced ranges (``openstp.gap.draws``),
    so P(balance) includes the gap's own uncertainty; ``False`` prices delivery risk alone.
    ``basis`` is the gap's: ``resident`` or ``organisational`` (``openstp.gap.basis``).
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise PlanError([problem("--draws", f"draws must be a whole number of at least 1, "
                                 f"got {draws!r}")])
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise PlanError([problem("--seed", f"seed must be a whole number >= 0, got {seed!r}")])
    many = [plan] if isinstance(plan, Plan | str | os.PathLike) else list(plan)
    plans = [load_checked(p, params) for p in many]
    inputs = build_inputs(plans, params, funding, basis)
    result = run(inputs, draws, seed, block=block, workers=workers, progress=progress,
                 keep_delivered=keep_delivered, gap_uncertainty=gap_uncertainty)
    return RiskResults(inputs=inputs, run=result, draws=draws, seed=seed)
