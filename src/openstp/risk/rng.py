"""Counter-based random numbers: one named stream per source of uncertainty, keyed by label.

Every random number is a pure function of (seed, stream, label, draw): a 64-bit key is made
from the seed's ``SeedSequence`` child for the stream and a label (``"E54000005/leeds-cip"`` or
a financial year), then draw ``d`` is the SplitMix64 finaliser applied twice to
``key + d × golden``. So

* two scenarios run with the same seed share every draw of every scheme they have in common
  (common random numbers), whatever else changes — adding a scheme, changing a prior, running
  one footprint instead of all 44;
* draws can be made in any chunk size, in any order, on any thread, with identical results;
* streams never overlap: delivery, slippage, pressure, optimism bias, the spare ``demand``
  and ``winter`` streams that later engines will use, the do-nothing gap's own sources
  (``gap_growth``, ``gap_demography``, ``gap_inflation``, ``gap_opening``) and the capital a
  scheme waits for (``capital``), each have their own key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtri

STREAMS: tuple[str, ...] = ("delivery", "slippage", "pressure", "optimism", "demand", "winter",
                            "gap_growth", "gap_demography", "gap_inflation", "gap_opening",
                            "capital")
"""Named sources of uncertainty, in spawn order; append new ones at the end, never reorder."""

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64 increment (2^64 / golden ratio)
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)  # SplitMix64 finaliser multipliers (Steele et al. 2014)
_MUL2 = np.uint64(0x94D049BB133111EB)
_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MANTISSA = np.uint64(11)  # keep the top 53 bits: one double's worth
_UNIT = 2.0**-53


def stream_keys(seed: int) -> dict[str, bytes]:
    """One 16-byte key per named stream, from ``numpy.random.SeedSequence(seed).spawn``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: child.generate_state(2, np.uint64).tobytes()
            for name, child in zip(STREAMS, children, strict=True)}


def label_keys(stream_key: bytes, labels: Sequence[str]) -> np.ndarray:
    """A uint64 key per label (a scheme's ``footprint/id``, a year) within one stream."""
    return np.array([int.from_bytes(hashlib.blake2b(label.encode(), digest_size=8,
                                                    key=stream_key).digest(), "little")
                     for label in labels], dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on a uint64 array (wrapping arithmetic)."""
    x ^= x >> _SHIFTS[0]
    x *= _MUL1
    x ^= x >> _SHIFTS[1]
    x *= _MUL2
    x ^= x >> _SHIFTS[2]
    return x


def uniforms(keys: np.ndarray, first: int, last: int) -> np.ndarray:
    """Uniform numbers in (0, 1), shape (draw, label), for draws ``first`` … ``last - 1``."""
    draws = np.arange(first, last, dtype=np.uint64)
    x = draws[:, None] * _GOLDEN + keys[None, :]
    x = _mix(_mix(x))
    return ((x >> _MANTISSA).astype(np.float64) + 0.5) * _UNIT


def normals(keys: np.ndarray, first: int, last: int) -> np.ndarray:
    """Standard normal numbers, shape (draw, label), by inverting the normal CDF."""
    return ndtri(uniforms(keys, first, last))
