"""Weighted sums over the small areas by site or by equity group, with ``np.bincount``.

Equity groups overlap (everyone, IMD quintiles, urban/rural, a footprint's England row), so
each area gets a code naming the set of groups it is in; a few dozen codes occur. Sums by code
are one ``bincount`` each, and a group's sum adds its codes.

Neighbouring areas (LSOA codes run through a place) mostly share a code or a nearest site, so a
plain ``bincount`` adds into one bin over and over, each add waiting for the last. Spreading
areas over a few lanes per bin lets the adds overlap; the lanes are summed at the end. No BLAS
either: a multithreaded matrix product stalls when the machine is busy.
"""

from __future__ import annotations

import numpy as np

LANES = 8  # bins per code (a power of two)
_CHUNK = 10  # groups folded into the code between compactions: at most 1,024 × codes bins


def code_sums(code: np.ndarray, rows: np.ndarray, bins: int) -> np.ndarray:
    """Sum of each row of ``rows`` (value, area) over the areas of each ``code`` (area,) value
    ``0…bins-1``: (value, bin)."""
    laned = code * LANES + (np.arange(len(code)) & (LANES - 1))  # (area,)
    out = np.stack([np.bincount(laned, weights=r, minlength=bins * LANES) for r in rows])
    return out.reshape(len(rows), bins, LANES).sum(axis=2)


def group_code(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``masks`` (group, area): each area's code (area,), numbered 0… in no set order, and
    which groups each code is in (code, group) as 0/1."""
    code = np.zeros(masks.shape[1], np.intp)  # (area,)
    for start in range(0, len(masks), _CHUNK):
        for mask in masks[start:start + _CHUNK]:
            code = code * 2 + mask
        # Renumber the codes that occur 0, 1, … so the next chunk cannot overflow them.
        code = (np.cumsum(np.bincount(code) > 0) - 1)[code]
    where = np.empty(code.max() + 1, np.intp)
    where[code] = np.arange(len(code))  # one area of each code
    return code, masks[:, where].T.astype(np.int64)


def by_group(by_code: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Sums by code (…, code) added up per group of ``member`` (code, group): (…, group)."""
    return (by_code[..., :, None] * member).sum(axis=-2)
