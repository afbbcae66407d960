"""Daily bed occupancy as a stochastic process, and the beds a pool needs.

Patients arrive with weekly and seasonal patterns and stay a while; with many independent patients
the number in hospital on a day is Poisson with the day's expected occupancy (the infinite-server
queue M/G/∞, whose daily marginal does not depend on the length-of-stay distribution). A pool of
``c`` beds is full when that number reaches ``c``. Holding every pool to the chance of being full
that 85% occupancy gives a 200-bed hospital (Bagust et al. 1999) makes small pools need lower
occupancy and large pools allow higher — the effect a flat 85% would hide.

The year's days fall into few day types (calendar month × weekday, each with its count of days and
its factor on the year's mean), so the occupancy measures are computed exactly from the Poisson
distribution of each day type and weighted by its days — no days are sampled (see
``openstp.beds.poisson`` for how, and its error bound of a few 10⁻⁸).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from openstp.beds.poisson import cdf_sums, poisson_isf

DAYS = 365
FY_MONTH_STARTS = (0, 30, 61, 91, 122, 153, 183, 214, 244, 275, 306, 334)  # Apr … Mar
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


class DayTypes(NamedTuple):
    """The distinct days of a year: each type's factor on the year's mean, days, and season."""

    factor: np.ndarray  # (type,) expected occupancy relative to the year's mean
    days: np.ndarray  # (type,) days of the year of this type
    winter: np.ndarray  # (type,) bool: the type's month is a winter month


def day_types(profile: np.ndarray, winter: np.ndarray) -> DayTypes:
    """Group the days of a year by calendar month × weekday, the only things ``profile`` varies
    with (``daily_profile``); ``winter`` marks winter days."""
    _, month = np.unique(day_months(), return_inverse=True)
    key = month * 7 + np.arange(DAYS) % 7
    _, first, days = np.unique(key, return_index=True, return_counts=True)
    return DayTypes(profile[first], days.astype(float), winter[first])


def full_risk(target_occupancy: float, reference_beds: int) -> float:
    """Chance a reference pool running at the target mean occupancy is full on a given day."""
    from scipy.special import pdtrc

    return float(pdtrc(reference_beds - 1, target_occupancy * reference_beds))


def beds_required(mean_occupied: np.ndarray, pools: np.ndarray | int, risk: float) -> np.ndarray:
    """Fewest beds keeping each of ``pools`` equal pools full on no more than ``risk`` of days.

    ``mean_occupied`` is the expected number of occupied beds (any shape); pools broadcast.
    """
    pools = np.asarray(pools)
    mean = np.asarray(mean_occupied) / pools
    return (poisson_isf(risk, mean) + 1) * pools


def occupancy_measures(level: np.ndarray, winter_level: np.ndarray, beds: float,
                       types: DayTypes, flag: float, critical: float) -> dict[str, np.ndarray]:
    """Occupancy against ``beds`` over a year's day types, exactly from the Poisson distribution.

    ``level`` (draw,) expected occupied beds on a day of factor 1 outside winter, ``winter_level``
    (draw,) the same in winter (after the winter shock); a day of type t expects level × factor_t.
    Returns per draw: mean and winter occupancy (E[min(X, beds)]/beds), expected days above
    ``flag`` and ``critical`` occupancy, and the share of winter days with no bed free (X ≥ beds).
    """
    c = float(beds)
    whole = np.floor(c)
    # X is an integer: X > t ⇔ X > floor(t); X ≥ c ⇔ X > ceil(c) − 1.
    ks = np.array([whole - 1, whole, np.floor(flag * c), np.floor(critical * c)])
    full = 0 if whole == c else 1  # index in ks of ceil(c) − 1
    seasons = [~types.winter, types.winter]
    groups = [(lvl, types.factor[s], np.stack([types.days[s], types.days[s] * types.factor[s]],
                                              axis=1))
              for lvl, s in zip((level, winter_level), seasons, strict=True)]
    sums = cdf_sums(groups, ks)  # per season (k, draw, weight)
    days = [types.days[s].sum() for s in seasons]
    # E[min(X, c)] = E[X; X ≤ ⌊c⌋] + c·P(X > ⌊c⌋), and E[X; X ≤ m] = λ·F(m − 1)
    occupied = [lvl * s[0, :, 1] + c * (n - s[1, :, 0])
                for lvl, s, n in zip((level, winter_level), sums, days, strict=True)]
    above = [sum(n - s[k, :, 0] for s, n in zip(sums, days, strict=True)) for k in (2, 3)]
    return {
        "mean_occupancy": (occupied[0] + occupied[1]) / (c * sum(days)),
        "winter_occupancy": occupied[1] / (c * days[1]),
        "days_above_flag": above[0],
        "days_above_critical": above[1],
        "p_full_winter_day": (days[1] - sums[1][full, :, 0]) / days[1],
    }
