"""``openstp.social_care_gap(...)`` for notebooks and the CLI: the adult social care gap per
footprint and council after a plan's social care money, with England's totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED, ICB_SETS
from openstp.errors import ParameterError, problem
from openstp.gap import compute_gap
from openstp.params import Parameters
from openstp.plan import Plan
from openstp.workforce import social_care as sc
from openstp.workforce.api import context, footprint_names
from openstp.workforce.demand import check_delivery


@dataclass(frozen=True)
class SocialCareResult:
    """Adult social care per footprint × year and per council × year, with England totals."""

    footprints: pd.DataFrame
    councils: pd.DataFrame
    england: dict[str, float | str]
    notes: list[str] = field(default_factory=list)


def social_care_gap(footprints: str = "stp2017", *, plan: Plan | None = None,
                    footprint: str | None = None, draws: int = CAPACITY_DRAWS,
                    seed: int = DEFAULT_SEED, params: Parameters | None = None,
                    delivery: np.ndarray | None = None,
                    extra_funding: Mapping[str, Mapping[str, float]] | None = None,
                    funding: str = "sr2015") -> SocialCareResult:
    """The adult social care gap per footprint and council, after the plan's social care money.

    ``extra_funding`` ``{footprint code: {year: £}}`` closes the gap by exactly that amount;
    the knock-on on delayed discharges follows the share of care left unfunded.
    """
    ctx = context(footprints, plan, footprint, params)
    if ctx.footprint_set in ICB_SETS:
        raise ParameterError([problem("--footprint-set", f"adult social care is outside the ICB "
                                      f"allocation and no series for it after 2020/21 is "
                                      f"shipped, so {ctx.footprint_set} has no social care gap: "
                                      "use an STP set (stp2017 … stp2020)",
                                      field="footprint_set")])
    own = ({ctx.code: {str(k): v for k, v in plan.baseline.items()}}
           if plan is not None and plan.baseline and ctx.code else None)
    arrays = compute_gap(ctx.footprint_set, ctx.params, ctx.years[0], ctx.years[1], funding,
                         baselines=own)
    index = arrays.footprints.index(ctx.code) if plan is not None and ctx.code else None
    delivered = (check_delivery(plan, delivery, arrays.years) if plan is not None
                 else np.ones((1, 0, len(arrays.years))))
    savings, plan_funding = sc.plan_money(plan, arrays.years, delivered)
    sim = sc.simulate(arrays, ctx.params, draws, seed, index, savings, plan_funding,
                      sc.extra_funding_array(extra_funding, arrays))
    rows = _social_frame(arrays, sim, sc.funding_components(arrays, ctx.params, funding),
                         index, savings, plan_funding, extra_funding,
                         footprint_names(ctx.footprint_set))
    councils = _council_frame(rows, sc.council_weights(ctx.footprint_set,
                                                       sc.population_year(ctx.years[0])))
    if ctx.code:
        rows = rows[rows["footprint"] == ctx.code].reset_index(drop=True)
        councils = councils[councils["footprint"] == ctx.code].reset_index(drop=True)
    _, day_note = sc.base_delayed_days(ctx.params, ctx.years[0])
    return SocialCareResult(rows, councils, _england(sim, arrays, rows),
                            [f"Councils: {sc.COUNCIL_METHOD}.",
                             "Delayed days: England's social-care-attributable delayed transfers "
                             "in the base year" + day_note + ", shared by 65+ population and "
                             "raised by the delay elasticity times the share of care unfunded."])


def _social_frame(arrays, sim, components, index, savings, plan_funding, extra, names
                  ) -> pd.DataFrame:
    s = arrays.sectors.index(sc.SECTOR)
    f, y = np.meshgrid(np.arange(len(arrays.footprints)), np.arange(len(arrays.years)),
                       indexing="ij")
    plan_save = np.zeros(f.shape)
    plan_fund = np.zeros(f.shape)
    if index is not None:
        plan_save[index], plan_fund[index] = savings[0], plan_funding[0]
    q = {k: np.quantile(sim[k], (0.1, 0.9), axis=0) for k in ("residual", "extra_days")}
    codes = np.asarray(arrays.footprints)[f.ravel()]
    frame = pd.DataFrame({
        "footprint": codes, "name": names.reindex(codes).to_numpy(),
        "year": np.asarray(arrays.years)[y.ravel()],
        "cost": arrays.cost[:, s].ravel(), "funding": arrays.funding[:, s].ravel(),
        **{k: v.ravel() for k, v in components.items()},
        "gap": arrays.gap[:, s].ravel(),
        "plan_savings": plan_save.ravel(), "plan_funding": plan_fund.ravel(),
        "extra_funding": sc.extra_funding_array(extra, arrays).ravel(),
        "residual_gap": sim["residual"][0].ravel(),
        "residual_gap_p10": q["residual"][0].ravel(), "residual_gap_p90": q["residual"][1].ravel(),
        "unmet_share": sim["unmet"][0].ravel(),
        "delayed_days": sim["delayed_days"][0].ravel(),
        "extra_delayed_days": sim["extra_days"][0].ravel(),
        "extra_delayed_days_p10": q["extra_days"][0].ravel(),
        "extra_delayed_days_p90": q["extra_days"][1].ravel(),
        "extra_beds": sim["extra_days"][0].ravel() / sc.DAYS_PER_YEAR,
        "extra_bed_cost": sim["extra_cost"][0].ravel(),
    })
    return frame


MONEY_AND_DAYS = ["cost", "funding", "gap", "plan_savings", "plan_funding", "extra_funding",
                  "residual_gap", "delayed_days", "extra_delayed_days", "extra_beds",
                  "extra_bed_cost"]


def _council_frame(rows: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Each council's share (by 65+ population) of its footprint's figures."""
    merged = weights.rename(columns={"code": "council", "name": "council_name"}).merge(
        rows[["footprint", "year", *MONEY_AND_DAYS]], on="footprint")
    for col in MONEY_AND_DAYS:
        merged[col] = merged[col] * merged["weight"]
    return merged[["footprint", "council", "council_name", "weight", "year", *MONEY_AND_DAYS]]


def _england(sim, arrays, rows) -> dict[str, float | str]:
    horizon = arrays.years[-1]
    s = arrays.sectors.index(sc.SECTOR)
    extra = sim["extra_days"][:, :, -1].sum(axis=1)
    return {"year": horizon,
            "gap": float(arrays.gap[:, s, -1].sum()),
            "residual_gap": float(sim["residual"][0, :, -1].sum()),
            "extra_delayed_days": float(extra[0]),
            "extra_delayed_days_p10": float(np.quantile(extra, 0.1)),
            "extra_delayed_days_p90": float(np.quantile(extra, 0.9)),
            "extra_beds": float(extra[0] / sc.DAYS_PER_YEAR),
            "extra_bed_cost": float(sim["extra_cost"][0, :, -1].sum())}
