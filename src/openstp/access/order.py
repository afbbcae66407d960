"""Stable sort orders of travel minutes, kept up to date cheaply when a scenario moves few areas.

A float32 value and its area index pack into one uint64 key whose ascending order is exactly
``np.argsort(values, kind="stable")``: the value's bits, made order-preserving, in the high word
and the index (the tie-break of a stable sort) in the low word. A scenario changes few areas,
so the order after it is the baseline's sorted keys with the moved areas taken out and their
new keys merged back in: a few passes over the areas instead of a sort.
"""

from __future__ import annotations

import numpy as np

_INDEX = np.uint64(0xFFFF_FFFF)  # low word of a key: the area index
_SIGN = np.uint32(0x8000_0000)


def sort_keys(values: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
    """One uint64 key per value of the float32 array ``values``, ordered like ``argsort(values, kind="stable")``;
    ``index`` (default ``0…n-1``) is each value's area, the tie-break."""
    # + 0 folds -0.0 into 0.0: argsort ties them, so their keys must tie too.
    bits = (values + np.float32(0)).view(np.uint32)
    # Negative floats order backwards as unsigned ints: flip all their bits; set the sign bit of
    # the others, so unsigned order is numeric order.
    bits = np.where(bits >= _SIGN, ~bits, bits | _SIGN)
    bits[np.isnan(values)] = np.uint32(0xFFFF_FFFF)  # argsort puts every NaN last, tied
    index = np.arange(len(bits)) if index is None else index
    return (bits.astype(np.uint64) << np.uint64(32)) | index.astype(np.uint64)


def sorted_keys(values: np.ndarray) -> np.ndarray:
    """The keys of ``values`` in ascending order (one sort)."""
    return np.sort(sort_keys(values))


def order_of(keys: np.ndarray) -> np.ndarray:
    """The area order sorted ``keys`` stand for: ``argsort(values, kind="stable")``."""
    return (keys & _INDEX).astype(np.intp)


def updated_keys(keys: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Sorted keys of ``after`` from ``keys``, the sorted keys of ``before``: only the areas
    whose value changed are taken out and merged back in at their new place."""
    moved = np.flatnonzero(before != after)  # (moved,); NaN counts as moved, which is harmless
    if not moved.size:
        return keys
    gone = np.zeros(len(before), bool)
    gone[moved] = True
    kept = keys[~gone[keys & _INDEX]]  # still ascending
    new = np.sort(sort_keys(after[moved], moved))
    # Keys are unique (the index is in them), so each new key has one place among the kept.
    return np.insert(kept, np.searchsorted(kept, new), new)
