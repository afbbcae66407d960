"""Time the bed model: all 44 footprints × 1,001 draws × 6 years, and one footprint (the web
app's what-if), against the day-by-day sampler it replaced, on the same inputs.

Run:  python benchmarks/bench_beds.py [--draws 1001] [--repeat 5] [--footprint E54000005]

Prints, for the exact method (occupancy over the year's 84 day types from the Poisson
distribution), the whole ``beds()`` stage nationally and for one footprint, and its occupancy
simulation alone; then the old sampler (one Poisson number of patients per draw × footprint × day
× year) on the same demand paths, the ratio, and the largest difference between the two in each
summary figure of the capacity table (for the sampler, Monte Carlo error). Targets: national
stage ≤ 1.5 s, one footprint ≤ 50 ms. Times are the best of ``--repeat`` runs (warm).
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats
from timing import timed

from openstp.beds import beds
from openstp.beds.api import _capacity_table
from openstp.beds.model import (
    STREAM_WINTER,
    P,
    bed_inputs,
    demand_paths,
    planned_beds,
    simulate_capacity,
)
from openstp.beds.occupancy import WINTER_MONTHS, daily_profile, day_months, weekly_profile
from openstp.defaults import DEFAULT_SEED
from openstp.gap.model import fy_years
from openstp.params import builtin_parameters

STREAM_DAYS = 203  # the sampler's day-level stream
SUMMARY = ["mean_occupancy", "winter_occupancy", "days_above_92pct", "days_above_95pct",
           "p_no_bed_free_winter_day", "beds_required_p50", "p_enough_beds"]


def sampled_capacity(inputs, expected, planned, params, seed):
    """The bed model's occupancy as it was: every day of every draw sampled."""
    target = params.value(P + "target_occupancy")
    ref = int(params.value(P + "reference_pool_beds"))
    risk = float(stats.poisson.sf(ref - 1, target * ref))
    weekly = weekly_profile(params.value(P + "weekday_admission_share"),
                            params.value(P + "mean_length_of_stay"))
    profile = daily_profile(params.series(P + "monthly_demand_factor"), weekly)
    winter = np.isin(day_months(), WINTER_MONTHS)
    flag, critical = params.value(P + "pressure_threshold"), params.value(P + "critical_threshold")
    draws, _, n_years = expected.shape
    shock_rng = np.random.default_rng([seed, STREAM_WINTER])
    shock = 1 + params.value(P + "winter_shock_sd") * shock_rng.standard_normal((draws, n_years))
    shock[0] = 1.0
    day_rng = np.random.default_rng([seed, STREAM_DAYS])
    out: dict[str, list[np.ndarray]] = {}
    for y in range(n_years):
        seasonal = np.where(winter, shock[:, y:y + 1], 1.0)  # (draw, day)
        daily = expected[:, :, y, None] * profile[None, None, :] * seasonal[:, None, :]
        patients = day_rng.poisson(daily)  # (draw, footprint, day)
        capacity = np.broadcast_to(planned[:, y], daily.shape[:2])[..., None]
        occupancy = np.minimum(patients, capacity) / capacity
        pools = inputs.pools[None, :]
        per_pool = stats.poisson.isf(risk, daily[..., winter].mean(axis=-1) / pools) + 1
        for key, value in {
            "mean_occupancy": occupancy.mean(axis=-1),
            "winter_occupancy": occupancy[..., winter].mean(axis=-1),
            "days_above_flag": (patients > flag * capacity).sum(axis=-1),
            "days_above_critical": (patients > critical * capacity).sum(axis=-1),
            "p_full_winter_day": (patients[..., winter] >= capacity).mean(axis=-1),
            "beds_required": per_pool * pools,
        }.items():
            out.setdefault(key, []).append(value)
    result = {k: np.stack(v, axis=-1) for k, v in out.items()}
    result["implied_target_occupancy"] = (expected[0] * profile[winter].mean()
                                          / result["beds_required"][0])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1001)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--footprint", default="E54000005")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    params = builtin_parameters()
    beds(draws=2)  # warm: reference data, population projection, bed inputs, imports
    stage = min(timed(lambda: beds(draws=args.draws, seed=args.seed), repeat=args.repeat))
    one = min(timed(lambda: beds(footprint=args.footprint, draws=args.draws, seed=args.seed),
                    repeat=args.repeat))

    inputs = bed_inputs("stp2017", fy_years("2015/16", "2020/21"), params)
    planned = planned_beds(inputs)
    expected = demand_paths(inputs, params, args.draws, args.seed)
    exact = {}

    def run_exact():
        exact.update(simulate_capacity(inputs, expected, planned, params, args.seed))

    new = min(timed(run_exact, repeat=args.repeat))
    sampled = {}

    def run_sampler():
        sampled.update(sampled_capacity(inputs, expected, planned, params, args.seed))

    old = min(timed(run_sampler, repeat=max(1, args.repeat // 3)))
    n_fp, n_years = planned.shape
    print(f"beds: {n_fp} footprints × {args.draws:,} draws × {n_years} years "
          f"(base year and {n_years - 1} more), best of {args.repeat}")
    print(f"exact, whole beds() stage, national:         {stage:7.3f} s  (target ≤ 1.5 s)")
    print(f"exact, whole beds() stage, one footprint:    {one * 1e3:7.1f} ms (target ≤ 50 ms)")
    print(f"exact, occupancy simulation alone, national: {new:7.3f} s")
    print(f"sampler, same inputs ({args.draws * n_fp * 365 * n_years / 1e6:.0f}M Poisson "
          f"days):  {old:7.3f} s")
    print(f"ratio (sampler / exact, occupancy simulation): {old / new:.1f}×")
    a = _capacity_table(inputs, planned, exact, "stp2017")
    b = _capacity_table(inputs, planned, sampled, "stp2017")
    print("largest difference, exact − sampler, over footprints × years (sampler noise):")
    for column in SUMMARY:
        diff = (a[column] - b[column]).abs()
        print(f"  {column:26s} {diff.max():.3g}  (mean |difference| {diff.mean():.3g})")


if __name__ == "__main__":
    main()
