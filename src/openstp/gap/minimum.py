"""Do-nothing and do-minimum side by side: the STP template's gap (no efficiency at all) and the
gap after business-as-usual efficiency, with the bridge from a balanced start to both.

For footprint f in year t, with C the NHS sectors' cost and e a rate of ``gap.efficiency``:
    do-minimum gap(e) = template gap − C × (1 − (1 − e)^t)
and the bridge, whose steps add up:
    balanced start (the gap had f opened in balance, STF shared by population)
    + opening deficit carried forward + STF paid to deficits   = template gap
    − efficiency at the historical rate                         = do-minimum gap
    − the extra efficiency national planning assumed            = do-minimum gap (planning)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from openstp.gap.model import GapArrays
from openstp.gap.sectors import NHS_SECTORS

STEPS = ("balanced_start_gap", "opening_carried", "stf_to_deficits", "template_gap",
         "efficiency_historical", "do_minimum_gap", "efficiency_planning_extra",
         "do_minimum_gap_planning")


def efficiency_saving(arrays: GapArrays, rate: float) -> np.ndarray:
    """(f, y) NHS cost avoided by efficiency at ``rate`` a year from the base year on."""
    nhs = [arrays.sectors.index(s) for s in NHS_SECTORS]
    t = np.arange(len(arrays.years))
    return arrays.cost[:, nhs].sum(axis=1) * (1 - (1 - rate) ** t)[None, :]


def bridge(arrays: GapArrays, year: str | None = None) -> pd.DataFrame:
    """One row per footprint for ``year`` (default: the horizon): every step of ``STEPS``, £."""
    y = arrays.years.index(year) if year else len(arrays.years) - 1
    rates = arrays.efficiency
    template = arrays.gap[:, :, y].sum(axis=1)
    carried = ((arrays.cost_base - arrays.base) * arrays.demographic_index[:, :, y]
               * arrays.non_demographic_index[None, :, y]
               * arrays.inflation_index[None, :, y]).sum(axis=1)
    moved = -arrays.stf_to_deficits[:, y]
    historical = efficiency_saving(arrays, rates["historical"])[:, y]
    planning = efficiency_saving(arrays, rates["national_planning"])[:, y]
    frame = pd.DataFrame({
        "footprint": arrays.footprints, "year": arrays.years[y], "basis": arrays.basis,
        "balanced_start_gap": template - carried - moved, "opening_carried": carried,
        "stf_to_deficits": moved, "template_gap": template,
        "efficiency_historical": -historical, "do_minimum_gap": template - historical,
        "efficiency_planning_extra": historical - planning,
        "do_minimum_gap_planning": template - planning})
    return frame


def with_england(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an England row (``footprint='england'``) summing every money column."""
    money = [c for c in frame.columns if c in STEPS]
    total = frame[money].sum().to_frame().T
    total.insert(0, "footprint", "england")
    for col in frame.columns:
        if col not in money and col != "footprint":
            total[col] = frame[col].iloc[0] if col in ("year", "basis") else "England"
    return pd.concat([frame, total[frame.columns]], ignore_index=True)
