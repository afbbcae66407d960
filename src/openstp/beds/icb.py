"""The bed baseline of today's ICBs: each ICB's general and acute beds from its trusts' monthly
sitrep returns (``data.icb.icb_beds``: each trust's beds shared by its catchment), instead of
England's KH03 beds apportioned by population.

The baseline is the mean of the last full financial year of returns (``BEDS_YEAR``), beds
available and occupied; demand grows from it with the inpatient cost-weighted population, as
for the STP sets."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from openstp.data import icb as icb_data
from openstp.gap.demography import project_groups, weighted_population

BEDS_YEAR = "2024/25"
METHOD = (f"trusts' sitrep G&A beds, mean of {BEDS_YEAR}, shared across ICBs by catchment "
          "(OHID 2022); demand from the base year on grows with inpatient cost-weighted "
          "population")


@lru_cache(maxsize=8)
def icb_bed_inputs(footprint_set: str, years: tuple[str, ...], pre_projection: float):
    """``BedInputs`` of an ICB set: sitrep beds and occupied beds as the baseline."""
    from openstp.beds.model import BedInputs, acute_site_pools

    groups = project_groups(footprint_set, years)
    weighted = weighted_population(groups, "inpatient", list(years), pre_projection)
    beds = icb_data.icb_beds(footprint_set, BEDS_YEAR).set_index("footprint").reindex(
        groups.footprints)
    available = beds["ga_beds_available"].to_numpy(float)
    occupied = beds["ga_beds_occupied"].to_numpy(float)
    annual = float(np.nansum(occupied) / np.nansum(available))
    arrays = [available, occupied, weighted / weighted[:, :1],
              acute_site_pools(footprint_set, groups.footprints)]
    for array in arrays:
        array.setflags(write=False)
    return BedInputs(tuple(groups.footprints), years, *arrays, annual, METHOD)
