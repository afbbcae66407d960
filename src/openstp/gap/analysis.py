"""What drives the gap: a bridge decomposition per footprint and one-at-a-time sensitivity.

Decomposition of a year's gap, with B the base spend, O the opening deficit, D, N, I the
demographic, non-demographic and inflation indices and F the funding (B' = B + O):
    gap = B'·D·N·I − F
        = B'(D−1) + B'(N−1) + B'(I−1) + B'(DNI − D − N − I + 2) + O − (F − B)
so the parts (demography, non-demographic, inflation, interaction, opening, funding) add up to
the gap.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from openstp.defaults import ICB_SETS
from openstp.gap.model import GapArrays, compute_gap
from openstp.params import Parameters, builtin_parameters


def decompose(arrays: GapArrays, year: str | None = None) -> pd.DataFrame:
    """Bridge of each footprint's gap in ``year`` (default: the horizon), summed over sectors."""
    y = arrays.years.index(year) if year else len(arrays.years) - 1
    b = arrays.cost_base
    d = arrays.demographic_index[:, :, y]
    n = arrays.non_demographic_index[None, :, y]
    i = arrays.inflation_index[None, :, y]
    parts = {
        "demography": b * (d - 1),
        "non_demographic": b * (n - 1),
        "inflation": b * (i - 1),
        "interaction": b * (d * n * i - d - n - i + 2),
        "opening": b - arrays.base,
        "funding": -(arrays.funding[:, :, y] - arrays.base),
    }
    frame = pd.DataFrame({k: v.sum(axis=1) for k, v in parts.items()})
    frame.insert(0, "footprint", arrays.footprints)
    frame.insert(1, "year", arrays.years[y])
    frame.insert(2, "basis", arrays.basis)
    frame["gap"] = arrays.gap[:, :, y].sum(axis=1)
    return frame


def sensitivity_paths(params: Parameters) -> list[str]:
    """Gap-model parameters that carry a low/high range (the tornado's bars)."""
    return [p for p in params.paths("gap")
            if params[p].low is not None or params[p].high is not None]


def sensitivity(footprint_set: str = "stp2017", params: Parameters | None = None,
                base_year: str = "2015/16", horizon: str = "2020/21", funding: str = "sr2015",
                progress: Callable[[str], None] | None = None, basis: str = "resident"
                ) -> pd.DataFrame:
    """One-at-a-time swings: the horizon gap with each ranged parameter at its low and high value.

    Rows: one per parameter × footprint plus an England row (``footprint='england'``), with
    ``central``, ``low`` and ``high`` gaps (£ cash) and ``swing`` = |high − low|, widest first.
    """
    params = params or builtin_parameters()

    def horizon_gap(cases: dict[str, str]) -> np.ndarray:
        arrays = compute_gap(footprint_set, params, base_year, horizon, funding, cases,
                             basis=basis)
        return arrays.gap[:, :, -1].sum(axis=1)

    central_arrays = compute_gap(footprint_set, params, base_year, horizon, funding,
                                 basis=basis)
    codes = [*central_arrays.footprints, "england"]
    central = central_arrays.gap[:, :, -1].sum(axis=1)
    rows = []
    if footprint_set in ICB_SETS:
        from openstp.gap.icb import sensitivity_paths as ranged_paths
    else:
        ranged_paths = sensitivity_paths
    for path in ranged_paths(params):
        if progress:
            progress(path)
        low, high = horizon_gap({path: "low"}), horizon_gap({path: "high"})
        rows.append(pd.DataFrame({
            "parameter": path, "footprint": codes,
            "central": np.append(central, central.sum()),
            "low": np.append(low, low.sum()), "high": np.append(high, high.sum()),
        }))
    frame = pd.concat(rows, ignore_index=True)
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    return frame.sort_values(["footprint", "swing"], ascending=[True, False]).reset_index(
        drop=True)


def gap_decomposition(footprints: str = "stp2017", params: Parameters | None = None, *,
                      base_year: str = "2015/16", horizon: str = "2020/21",
                      funding: str = "sr2015") -> pd.DataFrame:
    """Each footprint's horizon gap split into demography, non-demographic growth, inflation,
    interaction and funding (the parts add up to the gap), for a bridge chart."""
    return decompose(compute_gap(footprints, params, base_year, horizon, funding))


def gap_sensitivity(footprints: str = "stp2017", params: Parameters | None = None, *,
                    base_year: str = "2015/16", horizon: str = "2020/21",
                    funding: str = "sr2015") -> pd.DataFrame:
    """Tornado table: the horizon gap with each ranged parameter at its low and high value."""
    return sensitivity(footprints, params, base_year, horizon, funding)
