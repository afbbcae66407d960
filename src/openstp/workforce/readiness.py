"""Does each workforce-dependent scheme, and each bed closure, have its staff when it starts?

A scheme's staff groups (``groups.scheme_groups``; the community, AHP and social care staff of
alternative provision for a closure) count as in place in a draw when every one of them is at
least as well filled in the start year as in the base year (supply / required ≥ 1 − base-year
vacancy rate). The probability over draws below ``workforce.readiness.min_probability_staffed``
flags the scheme as starting before its staff exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from openstp.plan import Plan
from openstp.workforce.gap import WorkforceRun
from openstp.workforce.groups import CLOSURE_GROUPS, GROUPS, scheme_groups

COLUMNS = ["kind", "id", "name", "start_year", "groups", "p_staffed", "shortfall_fte",
           "verdict", "reason"]
TOLERANCE = 1e-9


def staffed(run: WorkforceRun) -> np.ndarray:
    """Whether each group in the plan's footprint is at least as filled as in the base year
    ``(d, g, y)``."""
    f = run.plan_index
    assert f is not None
    required = run.required[:, f]
    # a group nobody is required in (social care in the ICB sets) is staffed by definition
    fill = np.divide(run.supply[:, f], required, out=np.full(required.shape, np.inf),
                     where=required != 0)
    today = 1 - run.vacancy_rate
    return fill >= today[:, :, None] - TOLERANCE


def _row(run: WorkforceRun, ok: np.ndarray, kind: str, ident: str, name: str, year: str,
         groups: tuple[str, ...], threshold: float) -> dict:
    base = {"kind": kind, "id": ident, "name": name, "start_year": year,
            "groups": ", ".join(groups)}
    if not groups:
        return {**base, "p_staffed": None, "shortfall_fte": None, "verdict": "not assessed",
                "reason": "no staff group identified for this scheme's type and sector"}
    if year not in run.years:
        return {**base, "p_staffed": None, "shortfall_fte": None, "verdict": "not assessed",
                "reason": f"{year} is outside the plan years {run.years[0]}-{run.years[-1]}"}
    y = run.years.index(year)
    idx = [GROUPS.index(g) for g in groups]
    p = float(ok[:, idx, y].all(axis=1).mean())
    f = run.plan_index
    short = np.maximum(run.gap[0, f, idx, y], 0.0)
    missing = ", ".join(f"{g} {s:,.0f} FTE" for g, s in zip(groups, short, strict=True) if s > 0)
    if p >= threshold:
        verdict = "staffed"
        reason = (f"{', '.join(groups)} at least as well filled in {year} as in "
                  f"{run.years[0]} in {p:.0%} of simulated futures")
    else:
        verdict = "starts before its staff exist"
        reason = (f"in {year} {', '.join(groups)} are less well filled than in {run.years[0]} "
                  f"in {1 - p:.0%} of simulated futures (central shortfall: "
                  f"{missing or 'none'})")
    return {**base, "p_staffed": p, "shortfall_fte": float(short.sum()), "verdict": verdict,
            "reason": reason}


def readiness_table(plan: Plan, run: WorkforceRun) -> pd.DataFrame:
    """One row per workforce-dependent scheme and per bed closure, with the verdict."""
    ok = staffed(run)
    threshold = run.staff.min_probability_staffed
    rows = [_row(run, ok, "scheme", s.id, s.name, s.start_year, scheme_groups(s), threshold)
            for s in plan.schemes if s.workforce_dependent]
    rows += [_row(run, ok, "bed_closure", c.id, f"{c.change} beds at {c.trust}", c.year,
                  CLOSURE_GROUPS, threshold)
             for c in plan.bed_changes if c.change < 0]
    return pd.DataFrame(rows, columns=COLUMNS)
