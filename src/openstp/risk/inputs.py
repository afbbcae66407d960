"""Plans → the engine's flat arrays: every scheme of every plan on one axis, with its money
profile shifted by 0, 1 and 2 years of slippage, its priors, and each footprint's gap.

Schemes are laid out footprint by footprint (``starts`` marks where each footprint's block
begins), so footprint totals are one ``numpy.add.reduceat`` with no padding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from openstp import data
from openstp.errors import PlanError, problem
from openstp.gap import compute_gap
from openstp.gap.draws import GapDraws, gap_draws
from openstp.gap.icb import own_figures
from openstp.params import Parameters, builtin_parameters
from openstp.plan import Plan, fy_range
from openstp.risk.ambition import footprint_money, scheme_asks, unfunded_capital
from openstp.risk.priors import GRADES, MAX_DELAY, SLOTS, TYPES, Priors, build_priors

PLAN_SOURCE = "plan {code}"  # how plan assumptions are named when they override a parameter


@dataclass(frozen=True)
class Inputs:
    """Everything the Monte Carlo engine needs, as arrays over footprints, schemes and years."""

    footprints: list[str]  # ONS codes, one per plan, in run order
    names: list[str]
    plans: list[Plan]
    years: list[str]
    gap: np.ndarray  # (footprint, year) do-nothing gap, all sectors, £ cash
    gap_nhs: np.ndarray  # (footprint, year) NHS England-funded sectors only
    gap_draws: list[tuple[np.ndarray, GapDraws]]  # footprint rows and what their gap is made of
    schemes: pd.DataFrame  # one row per scheme: footprint, id, name, type, grade, owner, …
    scheme_footprint: np.ndarray  # (scheme,) index into footprints
    starts: np.ndarray  # (footprint,) first scheme of each footprint (len(schemes) if none)
    saving: np.ndarray  # (scheme, slot, year) planned saving if the scheme slips `slot` years
    cost: np.ndarray  # (scheme, slot, year) investment + double running, before optimism bias
    # (the last slot, priors.NEVER, is a scheme that does not happen: investment only)
    edges: np.ndarray  # (edge, 2) scheme index pairs (dependent, prerequisite)
    dependencies: list[tuple[np.ndarray, np.ndarray]]  # edges in rounds with unique dependents
    levels: int  # longest dependency chain: how many times to propagate along edges
    costly: np.ndarray  # indices of schemes with any investment or double running
    priors: Priors
    trees: list[Parameters]  # distinct parameter trees used (the plans' assumptions applied)
    allocation: np.ndarray  # (footprint, year) funding allocated, all sectors, £ cash
    tree_index: np.ndarray  # (scheme,) index into trees
    ask: np.ndarray  # (scheme,) what each scheme asks, for the ambition curve (NaN: unknown)
    unfunded: np.ndarray  # (scheme,) share of its capital not secured


def plan_tree(base: Parameters, plan: Plan, code: str) -> Parameters:
    """``base`` with the plan's assumptions applied, except where the user overrode the path."""
    own = {k: v for k, v in plan.assumptions.items() if base[k].override is None}
    return base.with_overrides(own, source=PLAN_SOURCE.format(code=code)) if own else base


def _shifted(amounts: Mapping[str, float], years: list[str], shift: bool) -> np.ndarray:
    row = np.array([float(amounts.get(y, 0.0)) for y in years])
    out = np.zeros((SLOTS, len(years)))
    for k in range(MAX_DELAY + 1):
        lag = k if shift else 0
        out[k, lag:] = row[: len(years) - lag]  # pushed past the horizon: lost
    if not shift:  # a scheme that never happens has still spent its up-front investment
        out[-1] = row
    return out


def _check_runnable(plans: Sequence[Plan], codes: list[str]) -> None:
    first = plans[0]
    problems = []
    for plan, code in zip(plans, codes, strict=True):
        for name in ("footprint_set", "base_year", "horizon"):
            if getattr(plan, name) != getattr(first, name):
                problems.append(problem(f"plan {code}", f"{name} {getattr(plan, name)} differs "
                                        f"from {getattr(first, name)} in plan {codes[0]}; run "
                                        "plans with different years or sets separately",
                                        field=name))
    seen = {c for c in codes if codes.count(c) > 1}
    problems += [problem(f"plan {c}", "two plans for the same footprint in one run; run them "
                         "separately to compare them", field="footprint") for c in sorted(seen)]
    if problems:
        raise PlanError(problems)


def build_inputs(plans: Sequence[Plan], params: Parameters | None = None,
                 funding: str = "sr2015", basis: str = "resident") -> Inputs:
    """Lay out ``plans`` (already validated) for the engine; ``params`` is the base tree and
    ``basis`` the gap's (``openstp.gap.basis``)."""
    if not plans:
        raise PlanError([problem("<run>", "no plans to simulate")])
    base = params or builtin_parameters()
    codes = [data.resolve_footprint(p.footprint, p.footprint_set).code for p in plans]
    _check_runnable(plans, codes)
    first = plans[0]
    years = fy_range(first.base_year, first.horizon)
    trees, tree_of = _trees(base, plans, codes)
    gap, gap_nhs, pieces = _gaps(plans, codes, trees, tree_of, funding, basis)
    rows: list[dict[str, Any]] = []
    saving, cost, edges, starts = [], [], [], []
    for f, (plan, code) in enumerate(zip(plans, codes, strict=True)):
        starts.append(len(rows))
        index = {s.id: len(rows) + i for i, s in enumerate(plan.schemes)}
        for s in plan.schemes:
            grade = s.evidence.grade.value if s.evidence else "none"
            rows.append({"footprint": code, "footprint_index": f, "scheme": s.id,
                         "name": s.name, "type": s.type.value, "grade": grade,
                         "owner": s.owner, "sector": s.sector.value if s.sector else None,
                         "start_year": s.start_year, "tree": tree_of[f],
                         "depends_on": ", ".join(s.depends_on)})
            saving.append(_shifted(s.saving, years, shift=True))
            cost.append(_shifted(s.investment, years, shift=False)
                        + _shifted(s.double_running, years, shift=True))
            edges += [(index[s.id], index[d]) for d in s.depends_on]
    schemes = pd.DataFrame(rows, columns=["footprint", "footprint_index", "scheme", "name",
                                          "type", "grade", "owner", "sector", "start_year",
                                          "tree", "depends_on"])
    n_years = len(years)
    edge_array = np.array(edges, dtype=np.intp).reshape(-1, 2)
    names = data.footprints(first.footprint_set).set_index("code")["name"]
    saving_array = np.array(saving).reshape(-1, SLOTS, n_years)
    cost_array = np.array(cost).reshape(-1, SLOTS, n_years)
    base, allocation, sectors = footprint_money(plans, codes, trees, tree_of, funding)
    tree_index = schemes["tree"].to_numpy(dtype=np.intp)
    ask = scheme_asks(schemes, plans, saving_array, base, sectors, years[-1])
    unfunded = unfunded_capital(plans)
    priors = build_priors(trees, tree_index, *type_grade(schemes), ask, unfunded)
    return Inputs(
        footprints=codes, names=[str(names[c]) for c in codes], plans=list(plans), years=years,
        gap=gap, gap_nhs=gap_nhs, gap_draws=pieces, schemes=schemes.drop(columns="tree"),
        scheme_footprint=schemes["footprint_index"].to_numpy(dtype=np.intp),
        starts=np.array(starts, dtype=np.intp),
        saving=saving_array, cost=cost_array,
        edges=edge_array, dependencies=_rounds(edge_array), levels=_levels(edge_array),
        costly=np.flatnonzero(cost_array.any(axis=(1, 2))),
        priors=priors, trees=trees, allocation=allocation, tree_index=tree_index, ask=ask,
        unfunded=unfunded)


def type_grade(schemes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(scheme,) indices of each scheme's type in ``TYPES`` and grade in ``GRADES``."""
    return (np.array([TYPES.index(t) for t in schemes["type"]], dtype=np.intp),
            np.array([GRADES.index(g) for g in schemes["grade"]], dtype=np.intp))


def _trees(base: Parameters, plans: Sequence[Plan], codes: list[str]
           ) -> tuple[list[Parameters], list[int]]:
    """Distinct parameter trees (plans with the same assumptions share one) and each plan's."""
    trees: list[Parameters] = []
    keys: dict[tuple, int] = {}
    tree_of = []
    for plan, code in zip(plans, codes, strict=True):
        key = tuple(sorted(plan.assumptions.items()))
        if key not in keys:
            keys[key] = len(trees)
            trees.append(plan_tree(base, plan, code))
        tree_of.append(keys[key])
    return trees, tree_of


def _gaps(plans: Sequence[Plan], codes: list[str], trees: list[Parameters], tree_of: list[int],
          funding: str, basis: str
          ) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, GapDraws]]]:
    """Each plan's do-nothing gap by year (all sectors; NHS sectors), one model run per tree,
    and per tree its plans' rows with what their gap is made of (for the gap's own draws)."""
    from openstp.gap import NHS_SECTORS

    first = plans[0]
    out_all: dict[int, np.ndarray] = {}
    out_nhs: dict[int, np.ndarray] = {}
    pieces = []
    for t, tree in enumerate(trees):
        members = [f for f in range(len(plans)) if tree_of[f] == t]
        baselines = {codes[f]: {str(k): v for k, v in (plans[f].baseline or {}).items()}
                     for f in members if plans[f].baseline}
        openings = {codes[f]: plans[f].opening_position for f in members
                    if plans[f].opening_position is not None}
        arrays = compute_gap(first.footprint_set, tree, first.base_year, first.horizon, funding,
                             baselines=baselines, openings=openings, basis=basis,
                             icb_own=own_figures([plans[f] for f in members],
                                                 [codes[f] for f in members]))
        nhs = [arrays.sectors.index(s) for s in NHS_SECTORS]
        rows = [arrays.footprints.index(codes[f]) for f in members]
        for f, row in zip(members, rows, strict=True):
            out_all[f] = arrays.gap[row].sum(axis=0)
            out_nhs[f] = arrays.gap[row, nhs].sum(axis=0)
        pieces.append((np.array(members, dtype=np.intp), gap_draws(arrays, tree, rows)))
    order = range(len(plans))
    return (np.array([out_all[f] for f in order]), np.array([out_nhs[f] for f in order]),
            pieces)


def _rounds(edges: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Edges grouped so no dependent appears twice in a group: the k-th prerequisite of each
    scheme goes in group k, so ``frac[:, child] = minimum(frac[:, child], frac[:, parent])``
    is exact with fancy indexing."""
    seen: dict[int, int] = {}
    groups: list[list[tuple[int, int]]] = []
    for child, parent in edges.tolist():
        k = seen.get(child, 0)
        seen[child] = k + 1
        if k == len(groups):
            groups.append([])
        groups[k].append((child, parent))
    return [(np.array([c for c, _ in g], dtype=np.intp), np.array([q for _, q in g],
                                                                   dtype=np.intp))
            for g in groups]


def _levels(edges: np.ndarray) -> int:
    """Length of the longest dependency chain (plans are checked to have no loops)."""
    if not len(edges):
        return 0
    depth: dict[int, int] = {}
    for _ in range(len(edges)):
        changed = False
        for child, parent in edges.tolist():
            d = depth.get(parent, 0) + 1
            if depth.get(child, 0) < d:
                depth[child], changed = d, True
        if not changed:
            break
    return max(depth.values())
