"""``openstp.workforce_gap(...)`` for notebooks and the CLI, and ``workforce_gaps(...)`` for many
plans in one run (the review chain)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np
import pandas as pd

from openstp import data
from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED, ICB_SETS, ICB_YEARS
from openstp.errors import PlanError, problem
from openstp.gap import compute_gap
from openstp.params import Parameters, builtin_parameters
from openstp.plan import Plan
from openstp.workforce import supply
from openstp.workforce.baseline import METHOD, apportion, baseline_table
from openstp.workforce.gap import WorkforceRun, run_workforce
from openstp.workforce.groups import GROUPS, NHS_GROUPS
from openstp.workforce.readiness import COLUMNS, readiness_table
from openstp.workforce.tables import england_table, finance_table, gap_table

PLAN_STATUS = {
    "none": "The plan has no workforce section: supply is the default flows only.",
    "empty": "The plan has a workforce section with no actions: supply is the default flows only.",
    "present": "The plan's workforce actions are added to the default flows, delivered at the "
               "sourced fill rate (workforce.flows.plan_fill_rate).",
}


@dataclass(frozen=True)
class Context:
    """Where a run applies: footprint set, parameters, years, one footprint (or all)."""

    footprint_set: str
    params: Parameters
    years: tuple[str, str]
    code: str | None


def context(footprints: str, plan: Plan | None, footprint: str | None,
            params: Parameters | None) -> Context:
    """Resolve the footprint, years and parameters (with the plan's assumptions) of a run."""
    params = plan_params(params, plan)
    years = ICB_YEARS if footprints in ICB_SETS else ("2015/16", "2020/21")
    if plan is not None:
        footprints, years = plan.footprint_set, (plan.base_year, plan.horizon)
        footprint = plan.footprint
    code = data.resolve_footprint(footprint, footprints).code if footprint else None
    return Context(footprints, params, years, code)


def plan_params(params: Parameters | None, plan: Plan | None) -> Parameters:
    """The parameters of a run (built-in by default) with the plan's assumptions applied."""
    params = params or builtin_parameters()
    if plan is None:
        return params
    return params.with_overrides(dict(plan.assumptions), source="plan assumptions")


@cache
def footprint_names(footprint_set: str) -> pd.Series:
    """Footprint names by code, read once per set (``data.footprints`` copies): do not modify."""
    return data.footprints(footprint_set).set_index("code")["name"]


@dataclass(frozen=True)
class WorkforceResult:
    """Tidy tables of a workforce run; ``table`` has one row per footprint × group × year.

    ``england`` (one row per group × year) is computed when first read: a run of one or a few
    footprints does not simulate the others until England is asked for.
    """

    table: pd.DataFrame
    baseline: pd.DataFrame
    readiness: pd.DataFrame
    finance: pd.DataFrame
    workforce_plan: str
    footprint: str | None
    draws: int
    seed: int
    england_of: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    notes: list[str] = field(default_factory=list)
    run: WorkforceRun | None = field(default=None, repr=False)

    @cached_property
    def england(self) -> pd.DataFrame:
        """England's rows per group × year (footprints summed within each draw)."""
        return self.england_of()


def workforce_gap(footprints: str = "stp2017", *, plan: Plan | None = None,
                  footprint: str | None = None, draws: int = CAPACITY_DRAWS,
                  seed: int = DEFAULT_SEED, params: Parameters | None = None,
                  delivery: np.ndarray | None = None,
                  funding: str = "sr2015") -> WorkforceResult:
    """Staff required against expected supply per footprint, group and year, with uncertainty.

    ``delivery`` (draw, scheme, year) is the risk model's delivered share of each of the plan's
    schemes' planned savings; without it schemes deliver as planned. ``workforce_plan`` says
    whether the plan has a workforce section (``none``), an empty one, or actions. With a plan
    or a footprint only that footprint is simulated (England when first read).
    """
    if plan is not None:
        code = _plan_codes([plan], plan.footprint_set, (plan.base_year, plan.horizon))[0]
        return workforce_gaps([plan], draws=draws, seed=seed, params=params, funding=funding,
                              delivery=None if delivery is None else {code: delivery})[code]
    ctx = context(footprints, None, footprint, params)
    run = run_workforce(ctx.footprint_set, ctx.params, ctx.years, draws=draws, seed=seed,
                        footprints=[ctx.code] if ctx.code else None, funding=funding)

    def england() -> pd.DataFrame:
        everyone = run if ctx.code is None else run_workforce(
            ctx.footprint_set, ctx.params, ctx.years, draws=draws, seed=seed, funding=funding)
        return england_table(everyone.years, everyone.in_post, everyone.required,
                             everyone.supply, everyone.agency_cost)

    names = footprint_names(ctx.footprint_set)
    return WorkforceResult(gap_table(run, names), _baseline(run, names),
                           pd.DataFrame(columns=COLUMNS), finance_table(run), "none", ctx.code,
                           draws, seed, england, _notes(run, None, delivery is not None), run)


def workforce_gaps(plans: Sequence[Plan], *, draws: int = CAPACITY_DRAWS,
                   seed: int = DEFAULT_SEED, params: Parameters | None = None,
                   delivery: Mapping[str, np.ndarray] | None = None,
                   funding: str = "sr2015") -> dict[str, WorkforceResult]:
    """One workforce run for several plans (one per footprint, one footprint set and years).

    Returns ``{footprint code: result}`` in the plans' order; ``delivery`` ``{code: (draw,
    scheme, year)}`` as in ``workforce_gap`` (a plan without an entry delivers as planned).
    Each result's ``table``, ``readiness``, ``finance`` and ``baseline`` equal exactly those of
    ``workforce_gap(plan=plan, delivery=delivery[code])`` with the same seed: only the plans'
    footprints are simulated, each with its default flows, its plan's need and workforce
    actions, under its plan's assumptions (plans with the same assumptions share one
    simulation). ``england``, one table shared by every result and computed when first read,
    sums all plans: every footprint of the set within each draw, a plan's footprint with its
    plan's changes and assumptions, footprints without a plan on default flows under the first
    plan's assumptions (so a single plan's England is the whole set run with that plan).
    """
    plans = list(plans)
    if not plans:
        raise PlanError([problem("plans", "no plans to run")])
    footprint_set, years = plans[0].footprint_set, (plans[0].base_year, plans[0].horizon)
    codes = _plan_codes(plans, footprint_set, years)
    shares = dict(delivery or {})
    trees: dict[tuple, tuple[Parameters, dict[str, Plan]]] = {}
    for plan, code in zip(plans, codes, strict=True):
        key = tuple(sorted(plan.assumptions.items()))
        if key not in trees:
            trees[key] = (plan_params(params, plan), {})
        trees[key][1][code] = plan
    groups = list(trees.values())

    @cache
    def england() -> pd.DataFrame:
        return _plans_england(footprint_set, years, draws, seed, funding, groups, shares)

    names = footprint_names(footprint_set)
    out: dict[str, WorkforceResult] = {}
    for tree, own in groups:
        run = run_workforce(footprint_set, tree, years, draws=draws, seed=seed, plans=own,
                            delivery=shares, footprints=list(own), funding=funding)
        tables = (gap_table(run, names), _baseline(run, names), finance_table(run))
        for i, (code, plan) in enumerate(own.items()):
            table, base, fin = (_block(t, i, len(run.footprints)) for t in tables)
            mine = run.for_plan(code, plan)
            out[code] = WorkforceResult(table, base, readiness_table(plan, mine), fin,
                                        mine.workforce_plan, code, draws, seed, england,
                                        _notes(run, plan, code in shares), mine)
    return {code: out[code] for code in codes}


def _plan_codes(plans: list[Plan], footprint_set: str, years: tuple[str, str]) -> list[str]:
    """Each plan's footprint code; plans must share a set and years and not share a footprint."""
    known = set(footprint_names(footprint_set).index)
    codes, problems = [], []
    for plan in plans:
        if plan.footprint_set != footprint_set or (plan.base_year, plan.horizon) != years:
            problems.append(problem(plan.footprint, f"plans must share one footprint set and "
                                    f"years ({footprint_set}, {years[0]} to {years[1]})"))
        # an exact code needs no search of names (resolve_footprint gives the same code)
        code = (plan.footprint if plan.footprint in known
                else data.resolve_footprint(plan.footprint, footprint_set).code)
        if code in codes:
            problems.append(problem(plan.footprint, f"a second plan for footprint {code}"))
        codes.append(code)
    if problems:
        raise PlanError(problems)
    return codes


def _block(frame: pd.DataFrame, i: int, n: int) -> pd.DataFrame:
    """The rows of the ``i``-th of ``n`` footprints of a table laid out footprint by footprint."""
    size = len(frame) // n
    return frame.iloc[i * size:(i + 1) * size].reset_index(drop=True)


def _baseline(run: WorkforceRun, names: pd.Series) -> pd.DataFrame:
    return baseline_table(run.footprints, names, run.in_post, run.staff.vacancy_rate[:, 1])


def _notes(run: WorkforceRun, plan: Plan | None, delivered: bool) -> list[str]:
    """The method notes of a result (England's NHS staff in post, from the whole set)."""
    in_post = apportion(run.staff.in_post, run.settings)  # (every footprint, g)
    nhs = float(in_post[:, [GROUPS.index(g) for g in NHS_GROUPS]].sum())
    return [f"Baseline: {METHOD}.",
            PLAN_STATUS[supply.has_workforce_plan(plan)] if plan is not None else
            "No plan: supply is the default flows only.",
            "Schemes deliver as simulated by the risk model." if delivered else
            "Schemes deliver their planned savings (no risk-model delivery supplied).",
            (f"NHS groups cover {nhs:,.0f} FTE in post in the base year (NHS infrastructure "
             "support staff are not modelled)."),
            ("Agency cost: the change in shortfall since the base year × £ per FTE × temporary "
             "cover × agency share × agency premium; NHS groups only.")]


def _plans_england(footprint_set: str, years: tuple[str, str], draws: int, seed: int,
                   funding: str, groups: list[tuple[Parameters, dict[str, Plan]]],
                   delivery: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """England's table: every footprint simulated under its plan's parameters, then summed."""
    if len(groups) == 1:  # one run of the whole set: England is exactly that run's sum
        [(tree, own)] = groups
        run = run_workforce(footprint_set, tree, years, draws=draws, seed=seed, plans=own,
                            delivery=delivery, funding=funding)
        return england_table(run.years, run.in_post, run.required, run.supply, run.agency_cost)
    everyone = compute_gap(footprint_set, groups[0][0], years[0], years[1], funding).footprints
    planned = {code for _, own in groups for code in own}
    parts = [run_workforce(footprint_set, tree, years, draws=draws, seed=seed, plans=own,
                           delivery=delivery, funding=funding,
                           footprints=[c for c in everyone
                                       if c in own or (t == 0 and c not in planned)])
             for t, (tree, own) in enumerate(groups)]
    order = np.argsort([everyone.index(c) for run in parts for c in run.footprints])  # set order

    def joined(name: str) -> np.ndarray:  # (d, every footprint, g, y)
        return np.concatenate([getattr(run, name) for run in parts], axis=1)[:, order]

    return england_table(parts[0].years, np.concatenate([r.in_post for r in parts])[order],
                         joined("required"), joined("supply"), joined("agency_cost"))
