"""Where the money flows: the resident basis (spend follows the people who live in a footprint)
or the organisational basis (acute and specialised spend follows the trusts in it, as the STPs
summed their organisations' finances, teaching hospitals' income from other areas included).

Organisational shares and demographic index, for s in acute and specialised:
    share_org[f, s, y] = capacity[f] × share[f, s, y] / share[f, s, 0], normalised over f
    index_org[f, s, y] = England's index[s, y] × share_org[f, s, y] / share_org[f, s, 0]
where capacity[f] is f's share of England's general and acute beds (winter 2016/17) and the
share ratio carries f's own resident demand growth. No trust income figures are shipped, so
capacity is the only size measure. Funding follows the same shares: providers are paid for the
patients they treat. England's cost, funding and gap are the same on both bases.
"""

from __future__ import annotations

import numpy as np

from openstp.errors import ParameterError, problem
from openstp.gap.opening import trust_evidence
from openstp.gap.sectors import SECTOR_NAMES

BASES = ("resident", "organisational")
ORGANISATIONAL_SECTORS = ("acute", "specialised")


def check_basis(basis: str) -> str:
    """Return ``basis`` if it is a known basis, else raise a clear error."""
    if basis not in BASES:
        raise ParameterError([problem("--basis", f"unknown basis {basis!r}; allowed: "
                                      f"{', '.join(BASES)}")])
    return basis


def capacity_share(footprint_set: str, footprints: list[str]) -> np.ndarray:
    """(f,) each footprint's share of its trusts' general and acute beds."""
    beds = trust_evidence(footprint_set, tuple(footprints)).beds
    return beds / beds.sum()


def on_basis(basis: str, footprint_set: str, footprints: list[str], weighted: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """(share, demographic index), each (f, s, y), on ``basis``, from the resident
    cost-weighted population ``weighted`` (f, s, y)."""
    share = weighted / weighted.sum(axis=0, keepdims=True)
    index = weighted / weighted[:, :, :1]
    if check_basis(basis) == "resident":
        return share, index
    capacity = capacity_share(footprint_set, footprints)
    england = weighted.sum(axis=0) / weighted[:, :, 0].sum(axis=0)[:, None]  # (s, y)
    for name in ORGANISATIONAL_SECTORS:
        s = SECTOR_NAMES.index(name)
        moved = capacity[:, None] * share[:, s] / share[:, s, :1]
        share[:, s] = moved / moved.sum(axis=0, keepdims=True)
        index[:, s] = england[s] * share[:, s] / share[:, s, :1]
    return share, index
