"""Per footprint and for England: the opening position with its method, the template
(do-nothing) gap, the do-minimum gaps and the basis, in one table for every output."""

from __future__ import annotations

import numpy as np
import pandas as pd

from openstp import data
from openstp.gap.demography import anchor_year, fy_start
from openstp.gap.minimum import efficiency_saving
from openstp.gap.model import GapArrays

ENGLAND = "england"
ENGLAND_OPENING_METHOD = "published"  # England's figure is gap.opening's national one


def footprint_summary(arrays: GapArrays, year: str | None = None, real: bool = False
                      ) -> pd.DataFrame:
    """One row per footprint and one for England (last) in ``year`` (default: the horizon).

    Money in £ cash, or base-year prices with ``real``. The opening position is the base
    year's underlying deficit (positive) or surplus (negative); ``opening_method`` says how it
    was found (published, proxy, apportioned or plan: ``openstp.gap.opening``).
    """
    y = arrays.years.index(year) if year else len(arrays.years) - 1
    price = arrays.deflator[y] if real else 1.0
    funders = np.array([s == "local_government" for s in _funders(arrays)])
    gap = arrays.gap[:, :, y]
    rates = arrays.efficiency
    opening = arrays.opening
    shared = np.isnan(opening.own)  # the parts apply only where the plan states no figure
    columns = {
        "opening_position": opening.total,
        **{f"opening_{part}": np.where(shared, getattr(opening, part), 0.0)
           for part in ("published", "proxy", "apportioned")},
        "template_gap": gap.sum(axis=1) / price,
        "template_gap_nhs": gap[:, ~funders].sum(axis=1) / price,
        "template_gap_local_government": gap[:, funders].sum(axis=1) / price,
        "do_minimum_gap": (gap.sum(axis=1)
                           - efficiency_saving(arrays, rates["historical"])[:, y]) / price,
        "do_minimum_gap_planning": (gap.sum(axis=1)
                                    - efficiency_saving(arrays, rates["national_planning"])[:, y])
        / price,
    }
    frame = pd.DataFrame({"footprint": arrays.footprints, **columns})
    frame.insert(1, "opening_method", opening.method)
    total = frame.drop(columns=["footprint", "opening_method"]).sum().to_frame().T
    total.insert(0, "footprint", ENGLAND)
    total.insert(1, "opening_method", ENGLAND_OPENING_METHOD)
    frame = pd.concat([frame, total], ignore_index=True)
    population = _population(arrays)
    frame["population"] = np.append(population, population.sum())
    frame["template_gap_per_head"] = frame["template_gap"] / frame["population"]
    frame.insert(2, "basis", arrays.basis)
    frame.insert(3, "year", arrays.years[y])
    return frame


def _funders(arrays: GapArrays) -> list[str]:
    from openstp.gap.sectors import SECTORS

    by_name = {s.name: s.funder for s in SECTORS}
    return [by_name[s] for s in arrays.sectors]


def _population(arrays: GapArrays) -> np.ndarray:
    """(f,) people living in each footprint in the shipped year nearest the base year."""
    pop = data.footprint_population(arrays.footprint_set,
                                    anchor_year(fy_start(arrays.years[0])))
    return pop.reindex(arrays.footprints).to_numpy(float)
