"""Fit the straight-line travel estimate against the shipped road matrix, and report the fit.

For each LSOA the ``k`` matrix hospitals nearest in a straight line give pairs (km, road
minutes); routing artefacts are screened out. One least-squares fit gives a shared intercept
and one slope per rurality class; with the published circuity factor each slope becomes a road
speed. ``access.travel.*`` holds the fitted values and a test keeps them equal to a refit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from openstp.access.areas import RURALITY, small_areas
from openstp.access.matrix import builtin_matrix
from openstp.access.sites import builtin_sites
from openstp.access.travel import EstimateModel, straight_km
from openstp.params import Parameters, builtin_parameters


@dataclass(frozen=True)
class TravelFit:
    """Fitted estimate and how well it reproduces the road matrix."""

    estimate: EstimateModel
    pairs: int
    r2: float
    mean_abs_error: float
    median_abs_error: float
    by_rurality: pd.DataFrame  # class, pairs, mean_abs_error, bias (estimate - road)
    nearest_agreement: float  # share of LSOAs whose nearest hospital is the same either way
    nearest_mean_abs_error: float  # minutes to the nearest hospital, estimate vs road

    def table(self) -> pd.DataFrame:
        """The fit as rows of (measure, value) for printing."""
        est = self.estimate
        rows: list[tuple[str, object]] = [("intercept_minutes", est.intercept),
                                          ("circuity (published)", est.circuity)]
        rows += [(f"speed_kmh.{r}", s) for r, s in zip(RURALITY, est.speeds, strict=True)]
        rows += [("pairs fitted", self.pairs), ("R²", self.r2),
                 ("mean absolute error, minutes", self.mean_abs_error),
                 ("median absolute error, minutes", self.median_abs_error),
                 ("same nearest hospital as the road matrix, share of LSOAs",
                  self.nearest_agreement),
                 ("minutes to the nearest hospital, mean absolute error",
                  self.nearest_mean_abs_error)]
        rows += [(f"{r.rurality}: mean absolute error / bias, minutes",
                  f"{r.mean_abs_error:.2f} / {r.bias:+.2f} ({r.pairs:,} pairs)")
                 for r in self.by_rurality.itertuples()]
        def show(v: object) -> str:
            if isinstance(v, int):
                return f"{v:,d}"
            return f"{v:.3f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)

        return pd.DataFrame([(m, show(v)) for m, v in rows], columns=["measure", "value"])


def fit_travel_estimate(params: Parameters | None = None, k: int = 3) -> TravelFit:
    """Refit the intercept and speeds of ``access.travel`` against the shipped road matrix."""
    params = params or builtin_parameters()
    circuity = params.value("access.travel.circuity")
    matrix = builtin_matrix(params.value("access.travel.matrix_screen_minutes"))
    sites = builtin_sites()
    cols = matrix.columns_for(sites)
    sites = sites[cols >= 0]
    road = matrix.minutes[:, cols[cols >= 0]]
    areas = small_areas()
    km = straight_km(areas["easting"].to_numpy(), areas["northing"].to_numpy(),
                     sites["easting"].to_numpy(), sites["northing"].to_numpy())
    near = np.argsort(km, axis=1)[:, :k]
    rows = np.arange(len(areas))[:, None]
    d, y = km[rows, near].ravel().astype(float), road[rows, near].ravel().astype(float)
    cls = np.repeat(areas["rurality_class"].to_numpy(), k)
    ok = ~np.isnan(y)
    d, y, cls = d[ok], y[ok], cls[ok]
    design = np.column_stack([np.ones_like(d)] + [d * (cls == c) for c in range(len(RURALITY))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    conurbation, city_town, rural = (round(60.0 * circuity / b, 1) for b in coef[1:])
    estimate = EstimateModel(intercept=round(float(coef[0]), 1), circuity=circuity,
                             speeds=(conurbation, city_town, rural))
    pred = estimate.minutes(d[:, None].astype(np.float32), cls)[:, 0].astype(float)
    res = pred - y
    by = pd.DataFrame({"rurality": np.array(RURALITY)[cls], "res": res}).groupby(
        "rurality", sort=False)["res"].agg(pairs="size", mean_abs_error=lambda r: r.abs().mean(),
                                           bias="mean").reindex(list(RURALITY)).reset_index()
    est_all = estimate.minutes(km, areas["rurality_class"].to_numpy())
    road_filled = np.where(np.isnan(road), np.inf, road)
    has = np.isfinite(road_filled).any(axis=1)
    nearest_road, nearest_est = road_filled.argmin(axis=1), est_all.argmin(axis=1)
    r = np.arange(len(areas))
    return TravelFit(
        estimate=estimate, pairs=int(ok.sum()), r2=float(1 - res.var() / y.var()),
        mean_abs_error=float(np.abs(res).mean()), median_abs_error=float(np.median(np.abs(res))),
        by_rurality=by,
        nearest_agreement=float((nearest_road == nearest_est)[has].mean()),
        nearest_mean_abs_error=float(np.abs(est_all[r, nearest_est] - road_filled[
            r, nearest_road])[has].mean()))
