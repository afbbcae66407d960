"""The result of a delivery-risk run: the draws as arrays with named dimensions, and tidy tables.

``RiskResults`` keeps every draw of the residual gap (draw × footprint × year; draw 0 is the
central case) and each scheme's net saving in the horizon year (draw × scheme), so any
statistic can be computed afterwards. The tables summarise over the random draws 1 … N:

* ``summary()``: per footprint and England, the horizon year — the do-nothing gap (central,
  and ``gap_mean`` over the draws, which redraw it from its own ranges), P(balance) with its
  Monte Carlo standard error, the residual gap's central value, mean, P10/P50/P90, expected shortfall
  (the mean of the residual gap where it is positive, zero where the plan balances) and the
  share of the gap closed on average;
* ``residual()``: the same by year;
* ``schemes()``: each scheme's planned, central and expected saving and its share of the
  variance of its footprint's (and England's) residual gap;
* ``by_type()``: planned against expected savings by scheme type;
* ``summary_row(code)``: one footprint's row of ``summary()``, for callers that look
  footprints up one at a time.

A footprint balances in a draw when its residual gap, rounded to whole pounds, is at most 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from openstp.risk.engine import Run
from openstp.risk.inputs import Inputs

ENGLAND = "england"
QUANTILES = (10, 50, 90)
BUILTIN_NOTE = ("Built-in plans, not the footprints' own: their savings are illustrative, derived "
                "from national published aggregates; their site changes, bed cuts and leads are "
                "what was reported about each STP, with sources.")
ILLUSTRATIVE_NOTE = "Illustrative plans marked as such in their files, not real STPs: {names}."


@dataclass(frozen=True)
class RiskResults:
    """Draws and tables of one run. Dimensions are named in each array's comment.

    A run's draws never change, so each table is computed on first use and kept; the methods
    return copies, which callers may change freely.
    """

    inputs: Inputs = field(repr=False)
    run: Run = field(repr=False)
    draws: int
    seed: int

    @property
    def footprints(self) -> list[str]:
        return self.inputs.footprints

    @property
    def years(self) -> list[str]:
        return self.inputs.years

    @property
    def horizon(self) -> str:
        return self.inputs.years[-1]

    @property
    def illustrative(self) -> bool:
        """True when every plan in the run is an illustrative (built-in) plan."""
        return all(p.illustrative for p in self.inputs.plans)

    @property
    def residual_draws(self) -> np.ndarray:
        """(draw, footprint, year): residual gap in £ cash; draw 0 is the central case."""
        return self.run.residual

    @property
    def delivered_draws(self) -> np.ndarray:
        """(draw, scheme, year): delivered saving in £ before costs, schemes in input order.

        Only kept when ``simulate(..., keep_delivered=True)`` (every draw) or
        ``keep_delivered=k`` (draws 0 … k − 1).
        """
        if self.run.delivered is None:
            raise ValueError("run simulate(..., keep_delivered=True) to keep delivered draws")
        return self.run.delivered

    def delivered_share(self, footprint: str) -> np.ndarray:
        """(draw, scheme, year): each of one footprint's schemes' delivered saving as a share of
        its planned saving that year (0 where nothing was planned), in plan order."""
        f = self.footprints.index(footprint)
        rows = np.flatnonzero(self.inputs.scheme_footprint == f)
        planned = self.inputs.saving[rows, 0, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(planned > 0, self.delivered_draws[:, rows, :] / planned, 0.0)
        return share

    def _planned(self) -> tuple[np.ndarray, np.ndarray]:
        """(footprint, year) planned savings and planned costs (no slippage, no bias)."""
        f = self.inputs.scheme_footprint
        shape = (len(self.footprints), len(self.years))
        saving, cost = np.zeros(shape), np.zeros(shape)
        np.add.at(saving, f, self.inputs.saving[:, 0])
        np.add.at(cost, f, self.inputs.cost[:, 0])
        return saving, cost

    @cached_property
    def _england_draws(self) -> np.ndarray:
        """(draw, year): England's residual gap, the sum over footprints of every draw."""
        return self.run.residual.sum(axis=1)

    def _stats(self, residual: np.ndarray) -> dict[str, np.ndarray]:
        """Statistics over the random draws of ``residual`` (draw, …)."""
        random = residual[1:]
        n = random.shape[0]
        balance = (np.rint(random) <= 0).mean(axis=0)
        q = np.percentile(random, QUANTILES, axis=0)
        return {"residual_central": residual[0], "residual_mean": random.mean(axis=0),
                **{f"residual_p{k}": q[i] for i, k in enumerate(QUANTILES)},
                "probability_of_balance": balance,
                "standard_error": np.sqrt(balance * (1 - balance) / n),
                "expected_shortfall": np.clip(random, 0, None).mean(axis=0)}

    def _frame(self, years: list[int]) -> pd.DataFrame:
        """Rows per footprint (and England) for the year indices ``years``, year by year;
        draws are summarised only for those years."""
        saving, cost = self._planned()
        gap = self.inputs.gap
        # (draw, footprint + 1, year): the footprints' and England's draws, years asked only
        both = np.concatenate([self.run.residual[:, :, years],
                               self._england_draws[:, None, years]], axis=1)
        gap_mean = self.run.gap_mean
        columns = {"gap": np.vstack([gap, gap.sum(0)])[:, years],
                   "gap_mean": np.vstack([gap_mean, gap_mean.sum(0)])[:, years],
                   "planned_saving": np.vstack([saving, saving.sum(0)])[:, years],
                   "planned_cost": np.vstack([cost, cost.sum(0)])[:, years]}
        columns["residual_on_paper"] = (columns["gap"] - columns["planned_saving"]
                                        + columns["planned_cost"])
        columns.update(self._stats(both))
        with np.errstate(divide="ignore", invalid="ignore"):
            columns["gap_closed_mean"] = np.where(columns["gap"] > 0, 1 - columns[
                "residual_mean"] / columns["gap"], np.nan)
        codes = [*self.footprints, ENGLAND]
        names = [*self.inputs.names, "England (all footprints in this run)"]
        illustrative = [*(p.illustrative for p in self.inputs.plans), self.illustrative]
        frames = []
        for i, y in enumerate(years):  # one constructor call: column by column is slow
            frames.append(pd.DataFrame({"footprint": codes, "name": names, "year": self.years[y],
                                        "illustrative": illustrative,
                                        **{key: value[:, i] for key, value in columns.items()}}))
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def _summary(self) -> pd.DataFrame:
        frame = self._frame([len(self.years) - 1])
        frame.insert(4, "draws", self.draws)
        return frame

    @cached_property
    def _summary_by_footprint(self) -> pd.DataFrame:
        return self._summary.set_index("footprint")

    def summary(self) -> pd.DataFrame:
        """One row per footprint and one for England: the horizon year."""
        return self._summary.copy()

    def summary_row(self, footprint: str) -> pd.Series:
        """``summary()``'s row of one footprint code (or ``england``), indexed by column."""
        return self._summary_by_footprint.loc[footprint].copy()

    @cached_property
    def _residual(self) -> pd.DataFrame:
        return self._frame(list(range(len(self.years)))).sort_values(
            ["footprint", "year"], kind="stable", ignore_index=True)

    def residual(self) -> pd.DataFrame:
        """One row per footprint (and England) and year: the residual gap's distribution."""
        return self._residual.copy()

    def probability_of_balance(self) -> dict[str, float]:
        """Footprint code (and ``england``) → P(residual gap ≤ 0 in the horizon year)."""
        s = self._summary
        return dict(zip(s["footprint"], s["probability_of_balance"].astype(float), strict=True))

    @cached_property
    def _schemes(self) -> pd.DataFrame:
        inp, run = self.inputs, self.run
        table = inp.schemes.drop(columns="footprint_index")
        h = -1
        planned, expected = inp.saving[:, 0, h], run.delivered_mean[:, h]
        with np.errstate(divide="ignore", invalid="ignore"):
            realisation = np.where(planned > 0, expected / planned, np.nan)
        share, share_england, sd = self._variance_shares()
        added = {"planned_saving": planned, "central_saving": run.delivered_central[:, h],
                 "expected_saving": expected, "planned_cost": inp.cost[:, 0, h],
                 "expected_cost": run.cost_mean[:, h],
                 "planned_saving_total": inp.saving[:, 0].sum(axis=1),
                 "expected_saving_total": run.delivered_mean.sum(axis=1),
                 "realisation": realisation, "ask": inp.ask,
                 "ambition_factor": inp.priors.ambition, "unfunded_capital": inp.unfunded,
                 "net_sd": sd, "variance_share": share,
                 "variance_share_england": share_england}
        # one constructor call: adding columns one by one is slow
        table = pd.concat([table.reset_index(drop=True), pd.DataFrame(added)], axis=1)
        return table

    def schemes(self) -> pd.DataFrame:
        """One row per scheme: planned, central and expected saving and cost in the horizon
        year and over the plan period, what it asks (``ask``: share of spend a year for a CIP,
        of activity for demand management) and the ambition curve's factor on its median, the
        share of its capital unfunded, and where the variance of the residual gap sits."""
        return self._schemes.copy()

    def _variance_shares(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each scheme's covariance with its footprint's (and England's) total net saving, as
        a share of that total's variance; the shares of a footprint add up to 1."""
        net = self.run.net_horizon[1:]  # (draw, scheme)
        n_fp = len(self.footprints)
        f = self.inputs.scheme_footprint
        if net.shape[0] < 2 or net.shape[1] == 0:
            empty = np.full(net.shape[1], np.nan)
            return empty, empty, empty
        centred = net - net.mean(axis=0)
        per_fp = np.zeros((net.shape[0], n_fp))
        np.add.at(per_fp.T, f, centred.T)
        england = per_fp.sum(axis=1)
        cov = (centred * per_fp[:, f]).mean(axis=0)
        var = (per_fp**2).mean(axis=0)
        cov_e = (centred * england[:, None]).mean(axis=0)
        var_e = (england**2).mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(var[f] > 0, cov / var[f], np.nan)
            share_e = cov_e / var_e if var_e > 0 else np.full_like(cov_e, np.nan)
        return share, share_e, centred.std(axis=0)

    @cached_property
    def _by_type(self) -> pd.DataFrame:
        cols = ["planned_saving", "central_saving", "expected_saving", "planned_saving_total",
                "expected_saving_total"]
        schemes = self._schemes
        per_fp = schemes.groupby(["footprint", "type"], sort=True)[cols].sum().reset_index()
        england = schemes.groupby("type", sort=True)[cols].sum().reset_index()
        england.insert(0, "footprint", ENGLAND)
        frame = pd.concat([per_fp, england], ignore_index=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["realisation"] = np.where(frame["planned_saving"] > 0,
                                            frame["expected_saving"] / frame["planned_saving"],
                                            np.nan)
        return frame

    def by_type(self) -> pd.DataFrame:
        """Planned against expected savings by scheme type, per footprint and for England."""
        return self._by_type.copy()

    def note(self) -> str | None:
        """A plain label for illustrative plans (built-in or marked so), else None."""
        from openstp.risk.builtin import is_builtin

        plans = self.inputs.plans
        if plans and all(is_builtin(p) for p in plans):
            return BUILTIN_NOTE
        marked = [p.name for p in plans if p.illustrative]
        return ILLUSTRATIVE_NOTE.format(names="; ".join(marked)) if marked else None

    def meta(self) -> dict[str, Any]:
        """What was run: draws, seed, years, plans and whether they are illustrative."""
        return {"draws": self.draws, "seed": self.seed, "base_year": self.years[0],
                "horizon": self.horizon, "footprint_set": self.inputs.plans[0].footprint_set,
                "illustrative": self.illustrative, "note": self.note(),
                "plans": {c: p.name for c, p in zip(self.footprints, self.inputs.plans,
                                                    strict=True)}}
