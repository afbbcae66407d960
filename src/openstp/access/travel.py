"""Travel minutes and straight-line distance from every small area to every site.

Road minutes come from a matrix where one covers the pair (the shipped calibrated road matrix,
or a user's own); every other pair is estimated from straight-line distance in British National
Grid metres: ``intercept + km × circuity × 60 / speed(rurality)`` (``access.travel.*``
parameters). Each cell carries a method code, so no figure falls back silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from openstp.access.areas import RURALITY
from openstp.access.matrix import TravelMatrix
from openstp.params import Parameters, builtin_parameters

METHODS = ("estimate", "road_matrix", "user_matrix")
"""Method codes of travel cells: 0 estimate, 1 shipped road matrix, 2 user's matrix."""
KM_PER_MILE = 1.609344  # definition of the international mile


@dataclass(frozen=True)
class EstimateModel:
    """The straight-line travel estimate: fixed minutes plus distance at a speed by rurality."""

    intercept: float
    circuity: float
    speeds: tuple[float, float, float]  # km/h by RURALITY class

    @classmethod
    def from_params(cls, params: Parameters | None = None) -> EstimateModel:
        """Read ``access.travel.*`` from ``params`` (default: the built-in tree)."""
        p = params or builtin_parameters()
        conurbation, city_town, rural = (p.value(f"access.travel.speed_kmh.{r}")
                                         for r in RURALITY)
        return cls(intercept=p.value("access.travel.intercept_minutes"),
                   circuity=p.value("access.travel.circuity"),
                   speeds=(conurbation, city_town, rural))

    def minutes(self, km: np.ndarray, rurality_class: np.ndarray) -> np.ndarray:
        """Estimated minutes for ``km`` (areas × sites) from areas of ``rurality_class``."""
        pace = (60.0 * self.circuity / np.asarray(self.speeds, np.float32))[rurality_class]
        return (np.float32(self.intercept) + km * pace[:, None].astype(np.float32)).astype(
            np.float32)


def straight_km(ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Straight-line km between points a (rows) and b (columns), from BNG metres (float32)."""
    dx = np.subtract.outer(np.asarray(ax, np.float32), np.asarray(bx, np.float32))
    dy = np.subtract.outer(np.asarray(ay, np.float32), np.asarray(by, np.float32))
    return (np.hypot(dx, dy) / np.float32(1000)).astype(np.float32)


@dataclass(frozen=True)
class Travel:
    """Minutes, straight-line km and method code from every area (rows) to every site (columns)."""

    minutes: np.ndarray  # float32
    km: np.ndarray  # float32
    method: np.ndarray  # int8 codes into METHODS


def travel_arrays(areas: pd.DataFrame, sites: pd.DataFrame, estimate: EstimateModel,
                  matrices: Sequence[TravelMatrix] = ()) -> Travel:
    """Travel from ``areas`` to ``sites``: matrix minutes where a matrix has the pair (later
    matrices win), the estimate elsewhere."""
    km = straight_km(areas["easting"].to_numpy(), areas["northing"].to_numpy(),
                     sites["easting"].to_numpy(), sites["northing"].to_numpy())
    minutes = estimate.minutes(km, areas["rurality_class"].to_numpy())
    method = np.zeros(minutes.shape, np.int8)
    for matrix in matrices:
        cols = matrix.columns_for(sites)
        sel = np.flatnonzero(cols >= 0)
        if sel.size == 0:
            continue
        block = matrix.minutes[:, cols[sel]]
        known = ~np.isnan(block)
        sub, sub_m = minutes[:, sel], method[:, sel]
        sub[known] = block[known]
        sub_m[known] = METHODS.index(matrix.method)
        minutes[:, sel], method[:, sel] = sub, sub_m
    return Travel(minutes=minutes, km=km, method=method)
