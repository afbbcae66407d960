"""``regions_boundaries``: the outlines of England's nine regions (NUTS1 2012, simplified), in
the same shape as ``stp_boundaries_2017``, so maps can draw the regions over the footprints."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared
from reference.stp_boundaries_2017 import rings

REGIONS = "geography/boundaries/regions_england_simplified.geojson"


def build(sh: Shared) -> pd.DataFrame:
    """Every region's outline: code (E12…), name, ring, hole, order, lon, lat (WGS84)."""
    return rings(REGIONS, sh, "rgn_cd", "rgn_nm")
