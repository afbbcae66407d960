"""``icb_trust_catchments``: the share of each acute trust's patients living in each ICB of the
icb2023 and icb2026 sets (OHID catchment populations, October 2022)."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared
from reference.icb_organisations import catchments


def build(sh: Shared, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Per set, trust and ICB: the share of the trust's patients from that ICB (sums to 1)."""
    return catchments(sh, crosswalk)
