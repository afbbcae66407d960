"""The "do nothing" gap: demography, cost growth and funding to the horizon, per footprint."""

import pandas as pd

from openstp.gap.analysis import decompose, sensitivity, sensitivity_paths
from openstp.gap.model import GapArrays, compute_gap, do_nothing_gap, project, to_frame
from openstp.gap.sectors import NHS_SECTORS, SECTOR_NAMES, SECTORS
from openstp.params import Parameters


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


__all__ = [
    "NHS_SECTORS", "SECTORS", "SECTOR_NAMES", "GapArrays", "compute_gap", "decompose",
    "do_nothing_gap", "gap_decomposition", "gap_sensitivity", "project", "sensitivity", "sensitivity_paths",
    "to_frame",
]
