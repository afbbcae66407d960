"""``travel_minutes``: calibrated road minutes from every England LSOA to the sites the
matrix covers (samuel-book/stroke_unit_demographics)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.common import Shared, postcode_key


def build(sh: Shared, lsoas: pd.DataFrame, service_sites: pd.DataFrame) -> pd.DataFrame:
    """Calibrated road minutes from every England LSOA to the England sites the matrix covers.

    One column per site, named by its postcode without a space; values are tenths of a minute
    as unsigned 16-bit integers, 0 meaning no route (Isles of Scilly 001A, which the source
    omits). Cells over 500 minutes are kept as published: the program screens them.
    """
    path = sh.root / "geography/travel/lsoa_travel_time_matrix_calibrated.csv.gz"
    raw = pd.read_csv(path)
    keys = postcode_key(service_sites["postcode"])
    cols = [c for c in raw.columns[1:] if c in set(keys)]
    by_name = lsoas.set_index("lsoa11nm")["lsoa11cd"]
    raw = raw[raw["LSOA"].isin(by_name.index)]
    minutes = raw.set_index(raw["LSOA"].map(by_name))[cols].reindex(lsoas["lsoa11cd"])
    tenths = np.rint(minutes.to_numpy(float) * 10)
    tenths = np.where(np.isnan(tenths), 0, tenths).astype(np.uint16)
    out = pd.DataFrame(tenths, columns=cols)
    out.insert(0, "lsoa11cd", lsoas["lsoa11cd"].to_numpy())
    return out


def with_matrix_keys(service_sites: pd.DataFrame, travel: pd.DataFrame) -> pd.DataFrame:
    """``service_sites`` with ``matrix_key``: the site's column of the matrix, if it has one."""
    keys = postcode_key(service_sites["postcode"])
    sites = service_sites.copy()
    sites["matrix_key"] = keys.where(keys.isin(list(travel.columns[1:]))).to_numpy()
    return sites

