"""The whole chain for a set of plans: gap → delivery risk → beds, workforce, access → review.

One risk run prices every scheme of every plan; its draws also drive the bed model (demand
management removes bed days only as delivered) and the workforce model, so the three share one
set of simulated futures. ``run_national`` reviews all plans side by side; ``run_footprint``
does one plan for the web app's "what if".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from openstp import data
from openstp.beds import bed_day_reduction
from openstp.beds import beds as run_beds
from openstp.defaults import CAPACITY_DRAWS, ICB_SETS, RISK_DRAWS, SOBOL_DRAWS, WHAT_IF_DRAWS
from openstp.errors import PlanError, problem
from openstp.gap import compute_gap
from openstp.gap.checks import check_plan
from openstp.gap.icb import own_figures
from openstp.gap.summary import footprint_summary
from openstp.params import Parameters, builtin_parameters
from openstp.plan import Plan
from openstp.review.access import plan_access
from openstp.review.evidence import footprint_evidence
from openstp.review.evidence_icb import icb_evidence
from openstp.review.overall import Review, review_plan
from openstp.review.tables import NationalTables, national_tables
from openstp.risk import DEFAULT_SEED, RiskResults, simulate
from openstp.risk.builtin_icb import builtin_plans_of
from openstp.risk.sobol import sensitivity
from openstp.workforce import WorkforceResult, workforce_gaps

DEFAULT_DRAWS = RISK_DRAWS  # risk draws; the first CAPACITY_DRAWS also run beds and workforce

Progress = Callable[[str, int, int], None]


@dataclass
class ChainRun:
    """Every model's results for a set of plans, and the review built on them."""

    plans: list[Plan]
    codes: list[str]
    params: Parameters
    draws: int
    seed: int
    risk: RiskResults
    gap_frame: pd.DataFrame
    base_spend: dict[str, dict[str, float]]
    beds: object
    workforce: dict[str, WorkforceResult]
    access: dict[str, dict]
    reviews: dict[str, Review]
    notes: list[str] = field(default_factory=list)
    gap_summary: pd.DataFrame | None = None  # per footprint and England: opening, template,
    # do-minimum gaps and basis (``openstp.gap.summary``)
    sensitivity: pd.DataFrame | None = None  # Sobol indices of England's residual gap, if run

    def tables(self) -> NationalTables:
        """The results-folder tables (league, verdicts, gap, bridge, residual, …)."""
        return national_tables(self)

    def write(self, out: str | Path) -> Path:
        """Write the results folder (CSV, JSON, plans) atomically, file by file."""
        return self.tables().write(Path(out), self.plans)


def load_plans(folder: str | Path | None, footprint_set: str | None = None) -> list[Plan]:
    """Plan files of a folder (every ``*.yaml``), checked; or the built-in plans of
    ``footprint_set`` (the 44 of 2017 by default; one per ICB for today's ICB sets)."""
    if folder is None:
        return builtin_plans_of(footprint_set)
    paths = sorted(Path(folder).glob("*.yaml"))
    if not paths:
        raise PlanError([problem(str(folder), "no plan files (*.yaml) in this folder")])
    plans, problems = [], []
    for path in paths:
        plan, found = check_plan(path)
        problems += found
        if plan is not None:
            plans.append(plan)
    if problems:
        raise PlanError(problems)
    other = sorted({p.footprint_set for p in plans} - {footprint_set or plans[0].footprint_set})
    if other:
        raise PlanError([problem(str(folder), f"plans of footprint set {', '.join(other)} in a "
                                 f"run of {footprint_set or plans[0].footprint_set}: one set at "
                                 "a time")])
    return plans


def run_chain(plans: Sequence[Plan], *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
              params: Parameters | None = None, capacity_draws: int = CAPACITY_DRAWS,
              progress: Progress | None = None, basis: str = "resident",
              sensitivity_samples: int = 0) -> ChainRun:
    """Run every model for ``plans`` (one per footprint, one footprint set) and review them;
    ``basis`` is the gap's (``openstp.gap.basis``); with ``sensitivity_samples`` (a power of
    2) also the Sobol indices of England's residual gap (``risk.sobol``, ``SOBOL_DRAWS`` draws
    a sample)."""
    params = params or builtin_parameters()
    plans = list(plans)
    step = progress or (lambda stage, done, total: None)
    footprint_set = plans[0].footprint_set
    codes = [data.resolve_footprint(p.footprint, footprint_set).code for p in plans]
    step("gap", 0, 1)
    own = {c: {str(k): v for k, v in p.baseline.items()} for p, c in zip(plans, codes,
                                                                         strict=True)
           if p.baseline}
    openings = {c: p.opening_position for p, c in zip(plans, codes, strict=True)
                if p.opening_position is not None}
    arrays = compute_gap(footprint_set, params, plans[0].base_year, plans[0].horizon,
                         baselines=own, openings=openings, basis=basis,
                         icb_own=own_figures(plans, codes))
    gap_frame = _gap_frame(arrays, codes)
    base_spend = {c: dict(zip(arrays.sectors, arrays.base[arrays.footprints.index(c)],
                              strict=True)) for c in codes}
    step("risk", 0, 1)
    capacity_draws = min(capacity_draws, draws)
    # beds and workforce read only draws 0 … capacity_draws: keep just those delivered savings
    risk = simulate(plans, draws=draws, seed=seed, params=params, basis=basis,
                    keep_delivered=capacity_draws + 1,
                    progress=lambda done, total: step("risk", done, total))
    step("beds", 0, 1)
    beds = run_beds(plans=plans, draws=capacity_draws + 1, seed=seed, params=params,
                    dm_reduction=bed_day_reduction(risk, plans, params, capacity_draws),
                    progress=lambda y: step("beds", y + 1, len(plans[0].years())))
    step("workforce", 0, 1)
    workforce = workforce_gaps(plans, draws=capacity_draws + 1, seed=seed, params=params,
                               delivery={code: risk.delivered_share(code)[: capacity_draws + 1]
                                         for code in codes})
    access = {}
    minutes = int(params.value("review.thresholds.travel_threshold_minutes"))
    for i, (plan, code) in enumerate(zip(plans, codes, strict=True)):
        step("access", i, len(plans))
        access[code] = plan_access(plan, minutes, params)
    reviews = {}
    for plan, code in zip(plans, codes, strict=True):
        evidence = footprint_evidence(plan, code, footprint_set, gap_frame, base_spend[code],
                                      risk, beds, workforce[code], access[code], minutes)
        if footprint_set in ICB_SETS:
            evidence.extra.update(icb_evidence(plan, code, gap_frame, risk, arrays))
        reviews[code] = review_plan(evidence, params)
    step("review", 1, 1)
    indices = None
    if sensitivity_samples:
        step("sensitivity", 0, 1)
        indices = sensitivity(risk.inputs, params, sensitivity_samples, SOBOL_DRAWS, seed,
                              progress=lambda done, total: step("sensitivity", done, total))[0]
    return ChainRun(plans, codes, params, draws, seed, risk, gap_frame, base_spend, beds,
                    workforce, access, reviews, [*risk_notes(risk), *beds.notes],
                    footprint_summary(arrays), indices)


def risk_notes(risk: RiskResults) -> list[str]:
    """The risk run's notes (illustrative plans, draws, seed)."""
    note = risk.note()
    return [note] if note else []


def _gap_frame(arrays, codes: list[str]) -> pd.DataFrame:
    from openstp.gap import to_frame

    return to_frame(arrays, codes)


def run_national(plans_dir: str | Path | None = None, *, draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED, params: Parameters | None = None,
                 progress: Progress | None = None, basis: str = "resident",
                 footprint_set: str | None = None, sensitivity_samples: int = 0) -> ChainRun:
    """The national review: every built-in plan of ``footprint_set`` (or every plan in a
    folder), side by side."""
    return run_chain(load_plans(plans_dir, footprint_set), draws=draws, seed=seed, params=params,
                     progress=progress, basis=basis, sensitivity_samples=sensitivity_samples)


def run_footprint(plan: Plan, draws: int = WHAT_IF_DRAWS, seed: int = DEFAULT_SEED,
                  params: Parameters | None = None) -> ChainRun:
    """One plan through the whole chain (the web app's "what if"); ``.tables()`` for output."""
    return run_chain([plan], draws=draws, seed=seed, params=params,
                     capacity_draws=min(draws, CAPACITY_DRAWS))
