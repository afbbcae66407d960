"""Daily bed occupancy as a stochastic process, and the beds a pool needs.

Patients arrive with weekly and seasonal patterns and stay a while; with many independent patients
the number in hospital on a day is Poisson with the day's expected occupancy (the infinite-server
queue M/G/∞, whose daily marginal does not depend on the length-of-stay distribution). A pool of
``c`` beds is full when that number reaches ``c``. Holding every pool to the chance of being full
that 85% occupancy gives a 200-bed hospital (Bagust et al. 1999) makes small pools need lower
occupancy and large pools allow higher — the effect a flat 85% would hide.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

DAYS = 365
FY_MONTH_STARTS = (0, 30, 61, 91, 122, 153, 183, 214, 245, 275, 306, 334)  # Apr … Mar
FY_MONTHS = ("04", "05", "06", "07", "08", "09", "10", "11", "12", "01", "02", "03")
WINTER_MONTHS = ("12", "01", "02", "03")


def day_months() -> np.ndarray:
    """Calendar month ('01'…'12') of each day of a financial year (1 April = day 0)."""
    edges = np.append(FY_MONTH_STARTS, DAYS)
    return np.repeat(np.array(FY_MONTHS), np.diff(edges))


def weekly_profile(weekday_share: float, mean_stay_days: float) -> np.ndarray:
    """Relative occupancy by day of week (mean 1) from admissions by day and length of stay.

    Admissions on weekdays carry ``weekday_share`` of the week's total; each patient stays an
    exponential time with mean ``mean_stay_days``, so occupancy is the admissions pattern smoothed.
    """
    admissions = np.array([weekday_share / 5] * 5 + [(1 - weekday_share) / 2] * 2) * 7
    lags = np.arange(7 * 30)
    survival = np.exp(-lags / mean_stay_days)
    occupancy = np.array([(admissions[(d - lags) % 7] * survival).sum() for d in range(7)])
    return occupancy / occupancy.mean()


def daily_profile(monthly_factor: dict[str, float], weekly: np.ndarray) -> np.ndarray:
    """Expected occupancy on each day of the year relative to the year's mean."""
    months = day_months()
    profile = np.array([monthly_factor[m] for m in months]) * weekly[np.arange(DAYS) % 7]
    return profile / profile.mean()


def full_risk(target_occupancy: float, reference_beds: int) -> float:
    """Chance a reference pool running at the target mean occupancy is full on a given day."""
    return float(stats.poisson.sf(reference_beds - 1, target_occupancy * reference_beds))


def beds_required(mean_occupied: np.ndarray, pools: np.ndarray | int, risk: float) -> np.ndarray:
    """Fewest beds keeping each of ``pools`` equal pools full on no more than ``risk`` of days.

    ``mean_occupied`` is the expected number of occupied beds (any shape); pools broadcast.
    """
    pools = np.asarray(pools)
    per_pool = stats.poisson.isf(risk, np.asarray(mean_occupied) / pools) + 1
    return per_pool * pools


def simulate_days(expected: np.ndarray, beds: np.ndarray, rng: np.random.Generator,
                  flag: float, critical: float, winter: np.ndarray) -> dict[str, np.ndarray]:
    """Simulate patients in hospital each day and summarise against the beds available.

    ``expected`` (..., day) expected occupied beds; ``beds`` (...) beds available; ``winter`` a
    boolean mask of days. Returns, per leading index: mean and winter occupancy, expected days
    above ``flag`` and ``critical`` occupancy, and the share of winter days with no bed free.
    """
    patients = rng.poisson(expected)
    capacity = np.asarray(beds, dtype=float)[..., None]
    occupied = np.minimum(patients, capacity)
    occupancy = occupied / capacity
    return {
        "mean_occupancy": occupancy.mean(axis=-1),
        "winter_occupancy": occupancy[..., winter].mean(axis=-1),
        "days_above_flag": (patients > flag * capacity).sum(axis=-1),
        "days_above_critical": (patients > critical * capacity).sum(axis=-1),
        "p_full_winter_day": (patients[..., winter] >= capacity).mean(axis=-1),
    }
