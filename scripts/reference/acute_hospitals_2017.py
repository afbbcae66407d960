"""``acute_hospitals_2017``: M. Allen's list of England's acute hospitals (2017), each placed on
the first NHS Choices site at its postcode."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared
from reference.hospital_sites import ACUTE_LIST, acute_postcodes, site_postcodes


def build(sh: Shared, hospital_sites: pd.DataFrame) -> pd.DataFrame:
    """One row per listed hospital: postcode, name, city, open, and its site and trust codes."""
    acute = sh.csv(ACUTE_LIST)
    acute["pc"] = acute_postcodes(acute)
    nhs = hospital_sites[hospital_sites["sector"] == "NHS Sector"].assign(
        pc=site_postcodes(hospital_sites))
    first_site = nhs.drop_duplicates("pc").set_index("pc")
    return pd.DataFrame({
        "postcode": acute["hospital_postcode"], "name": acute["hospital"], "city": acute["city"],
        "open_in_source": acute["provider"].astype(bool),
        "site_code": acute["pc"].map(first_site["site_code"]),
        "trust_code": acute["pc"].map(first_site["parent_ods_code"]),
    })
