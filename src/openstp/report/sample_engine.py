"""A stand-in for ``openstp.review.chain.run_footprint`` over a stored results folder.

For tests, benchmarks and demos only: it models nothing. It rescales a footprint's stored tables
by what a what-if changed — the acute non-demographic growth assumption, each scheme's saving in
the horizon year and its evidence grade — so the web app's "change an assumption, see the figure
change" can be exercised before (or without) the real review chain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from openstp.params import builtin_parameters
from openstp.plan import Plan, parse_fy
from openstp.report.results import Results
from openstp.review import Rating, Verdict, overall_readiness

GROWTH_PATH = "gap.growth.non_demographic.acute"
DELIVERY = {"A": 0.9, "B": 0.75, "C": 0.55, "D": 0.4}
Z90 = 1.2815515655446004


@dataclass
class SampleRun:
    """What ``run_footprint`` returns: the results tables of one footprint."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _grade(scheme: Any, stored: str) -> str:
    """The scheme's evidence grade in the plan, or the stored one if the plan gives none."""
    if scheme is None or scheme.evidence is None:
        return stored
    return str(scheme.evidence.grade.value)


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


@dataclass
class SampleEngine:
    """Callable like ``run_footprint(plan, draws=..., seed=..., params=None)``."""

    results: Results
    calls: int = 0

    def __call__(self, plan: Plan, draws: int = 1000, seed: int = 0, params: Any = None
                 ) -> SampleRun:
        self.calls += 1
        fp = self.results.footprint(plan.footprint)
        t = {name: df.copy() for name, df in fp.tables.items()}
        central = builtin_parameters().value(GROWTH_PATH)
        growth = float(plan.assumptions.get(GROWTH_PATH, central))
        base = fp.base_year

        def scale(year: str) -> float:
            return ((1 + growth) / (1 + central)) ** (parse_fy(year) - parse_fy(base))

        gap = t["gap"]
        gap["gap"] = gap["gap"] * gap["year"].map(scale)
        schemes = t["schemes"]
        by_id = {s.id: s for s in plan.schemes}
        new_planned, new_expected = [], []
        for row in schemes.itertuples():
            s = by_id.get(row.scheme)
            planned = s.saving.get(fp.horizon, 0.0) if s else 0.0
            share = row.expected / row.planned if row.planned else 0.0
            if s and s.evidence and row.evidence_grade in DELIVERY:
                share *= DELIVERY[s.evidence.grade.value] / DELIVERY[row.evidence_grade]
            new_planned.append(planned)
            new_expected.append(planned * min(share, 1.0))
        schemes["planned"], schemes["expected"] = new_planned, new_expected
        schemes["evidence_grade"] = [_grade(by_id.get(s), g) for s, g in
                                     zip(schemes["scheme"], schemes["evidence_grade"],
                                         strict=True)]
        var = (schemes["planned"] - schemes["expected"]) ** 2
        schemes["variance_share"] = var / var.sum() if var.sum() else 0.0
        bridge = t["bridge"]
        old_residual = float(bridge["amount"].iloc[-1])
        start = float(bridge["amount"].iloc[0]) * scale(fp.horizon)
        by_type = schemes.groupby("type")["expected"].sum()
        amounts = [start] + [-float(by_type.get(step, 0.0)) if step in by_type.index else a
                             for step, a in zip(bridge["step"].iloc[1:-1],
                                                bridge["amount"].iloc[1:-1], strict=True)]
        bridge["amount"] = amounts + [sum(amounts)]
        residual = t["residual"]
        delta = sum(amounts) - old_residual
        n = max(len(residual), 1)
        for col in ("mean", "p10", "p50", "p90"):
            residual[col] = residual[col] + [delta * (i + 1) / n for i in range(len(residual))]
        last = residual.iloc[-1]
        sd = max((last["p90"] - last["p10"]) / (2 * Z90), 1.0)
        p_balance = _phi(-float(last["mean"]) / sd)
        league = dict(fp.league, gap=start, residual_gap_mean=float(last["mean"]),
                      probability_of_balance=p_balance)
        verdicts = t["verdicts"]
        if math.isclose(p_balance, float(fp.league["probability_of_balance"]), abs_tol=1e-9):
            t["league"] = pd.DataFrame([league])
            return SampleRun(tables=t)  # nothing that matters changed: keep the verdicts
        funding = Rating.met if p_balance >= 0.6 else (
            Rating.partly if p_balance >= 0.3 else Rating.not_met)
        verdicts.loc[verdicts["rule"] == "lsbu.funding", ["rating", "explanation"]] = [
            funding.value, f"P(balance) = {p_balance:.0%} (sample engine)."]
        league["lsbu.funding"] = funding.value
        league["overall"], league["reason"] = overall_readiness(
            [Verdict(r, Rating(v), e) for r, v, e in verdicts[["rule", "rating", "explanation"]]
             .itertuples(index=False)], builtin_parameters())
        t["league"] = pd.DataFrame([league])
        return SampleRun(tables=t)
