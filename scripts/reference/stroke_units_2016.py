"""``stroke_units_2016``: SSNAP's stroke units of 2016 (via M. Allen), with BNG coordinates."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared


def build(sh: Shared) -> pd.DataFrame:
    """One row per stroke team: postcode, name, trust, network, coordinates, admitting."""
    ssnap = sh.csv("geography/stroke/stroke_units_england_ssnap_2016_allen.csv")
    return pd.DataFrame({
        "postcode": ssnap["Postcode"], "name": ssnap["Stroke Team"],
        "trust": ssnap["Health Board / Trust"], "network": ssnap["Strategic Clinical Network"],
        "easting": ssnap["Easting"].astype(float), "northing": ssnap["Northing"].astype(float),
        "routinely_admitting": ssnap["Routinely admitting acute team"].astype(bool),
    })
