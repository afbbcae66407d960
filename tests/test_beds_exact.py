"""Exact bed occupancy (error bounds, agreement with day-by-day sampling), scipy-free beds, the
shared bed inputs and the capacity table."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from openstp.beds import (
    api,
    beds_required,
    day_types,
    full_risk,
    occupancy_measures,
    weekly_profile,
)
from openstp.beds.model import bed_inputs, planned_beds
from openstp.beds.occupancy import WINTER_MONTHS, daily_profile, day_months
from openstp.beds.poisson import (
    C6,
    STENCIL,
    STENCIL_LEBESGUE,
    STENCIL_OMEGA,
    TOLERANCE,
    cdf_sums,
    poisson_isf,
)
from openstp.params import builtin_parameters, load_parameters

FLAG, CRITICAL = 0.92, 0.95
WINTER = np.isin(day_months(), WINTER_MONTHS)
PROFILE = daily_profile(builtin_parameters().series("beds.capacity.monthly_demand_factor"),
                        weekly_profile(0.814, 7.3))
TYPES = day_types(PROFILE, WINTER)
BOUND = (STENCIL_LEBESGUE + 1) * TOLERANCE  # the module's error bound per unit weight


def sampled_days(expected, beds, rng, flag, critical, winter):
    """The sampler the exact method replaced: one Poisson number of patients per day."""
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


def direct_measures(level, winter_level, beds, types, flag, critical):
    """The exact measures with scipy.stats on every (draw, day type): slow, no interpolation."""
    lam = np.where(types.winter, winter_level[:, None], level[:, None]) * types.factor
    x = np.arange(int(lam.max() + 15 * np.sqrt(lam.max()) + 30))  # beyond: pmf < 1e-40
    pmf = stats.poisson.pmf(x[:, None, None], lam[None])  # (x, draw, type)
    occupied = (np.minimum(x, beds)[:, None, None] * pmf).sum(axis=0)
    w, n = types.winter, types.days
    return {
        "mean_occupancy": occupied @ n / (beds * n.sum()),
        "winter_occupancy": occupied[:, w] @ n[w] / (beds * n[w].sum()),
        "days_above_flag": stats.poisson.sf(np.floor(flag * beds), lam) @ n,
        "days_above_critical": stats.poisson.sf(np.floor(critical * beds), lam) @ n,
        "p_full_winter_day": stats.poisson.sf(np.ceil(beds) - 1, lam[:, w]) @ n[w] / n[w].sum(),
    }


@pytest.mark.parametrize(("level", "beds", "shock"), [
    (150.0, 160.0, 1.0), (38.0, 41.3, 1.02), (1800.0, 1950.5, 0.99), (2450.0, 2600.0, 1.015)])
def test_exact_agrees_with_sampling_days_within_monte_carlo_error(level, beds, shock):
    years = 400
    daily = level * PROFILE * np.where(WINTER, shock, 1.0)
    sample = sampled_days(np.broadcast_to(daily, (years, 365)), np.full(years, beds),
                          np.random.default_rng(11), FLAG, CRITICAL, WINTER)
    exact = occupancy_measures(np.array([level]), np.array([level * shock]), beds, TYPES, FLAG,
                               CRITICAL)
    for key, values in sample.items():
        error = values.std(ddof=1) / np.sqrt(years)
        assert error > 0, key  # each case leaves every measure uncertain
        assert abs(exact[key][0] - values.mean()) <= 4 * error, key


@pytest.mark.parametrize("case", range(12))
def test_measures_match_direct_poisson_sums(case):
    rng = np.random.default_rng(case)
    beds = rng.uniform(5, 600) if case % 3 else float(rng.integers(5, 600))  # whole beds too
    draws = int(rng.integers(2, 60))
    level = beds * rng.uniform(0.8, 1.05) * (1 + 0.05 * rng.standard_normal(draws))
    winter = level * (1 + 0.01 * rng.standard_normal(draws))
    got = occupancy_measures(level, winter, beds, TYPES, FLAG, CRITICAL)
    want = direct_measures(level, winter, beds, TYPES, FLAG, CRITICAL)
    for key in got:
        scale = 365 if key.startswith("days") else 1
        np.testing.assert_allclose(got[key], want[key], rtol=0, atol=1e-6 * scale, err_msg=key)


@pytest.mark.parametrize("case", range(40))
def test_cdf_sums_are_within_the_stated_bound(case):
    rng = np.random.default_rng(100 + case)
    centre = float(np.exp(rng.uniform(np.log(0.05), np.log(8000))))
    draws = int(rng.integers(1, 1500))
    levels = centre * np.clip(1 + rng.uniform(0, 0.2) * rng.standard_normal(draws), 0, None)
    if case % 10 == 0:
        levels[0] = 0.0  # no demand at all in one draw
    factors = rng.uniform(0.9, 1.1, int(rng.integers(1, 60)))
    weights = rng.uniform(0, 6, (len(factors), 2))
    ks = np.floor(centre * np.array([0.9, 1.0, 1.1])) + np.array([-1, 0, 1])
    got = cdf_sums([(levels, factors, weights)], ks)[0]  # (k, draw, w)
    lam = levels[:, None] * factors[None, :]  # (draw, type)
    cdf = np.where(ks[:, None, None] >= 0, special.pdtr(np.maximum(ks, 0)[:, None, None],
                                                        lam[None]), 0.0)
    want = cdf @ weights
    assert (np.abs(got - want) / weights.sum(axis=0)).max() <= BOUND


def test_cdf_sums_of_an_empty_group_are_zero():
    empty = (np.array([3.0, 4.0]), np.array([]), np.zeros((0, 2)))
    full = (np.array([3.0]), np.array([1.0]), np.ones((1, 2)))
    out = cdf_sums([empty, full], np.array([2.0]))
    assert out[0].shape == (1, 2, 2) and not out[0].any()
    assert out[1][0, 0, 0] == pytest.approx(special.pdtr(2, 3.0), abs=BOUND)


def test_sixth_derivative_constant_bounds_every_k_and_lambda():
    # ∂⁶F/∂λ⁶ = −∇⁵pmf(k) = −pmf(k) Σ_i (−1)^i C(5, i) k!/(k − i)! / λ^i (Charlier form,
    # accurate where the plain difference cancels)
    worst = 0.0
    for lam in np.concatenate([np.linspace(0.01, 20, 2000), np.geomspace(20, 1e4, 400)]):
        k = np.arange(max(0, int(lam - 40 * np.sqrt(lam) - 10)), int(lam + 40 * np.sqrt(lam) + 20))
        pmf = stats.poisson.pmf(k, lam)
        falling, series = np.ones(len(k)), np.zeros(len(k))
        for i in range(6):
            series += (-1) ** i * special.comb(5, i) * falling / lam**i
            falling = falling * np.maximum(k - i, 0)
        worst = max(worst, float(np.abs(pmf * series).max() * lam**3))
    assert 3.2 < worst <= C6


def test_stencil_constants():
    u = np.linspace(0, STENCIL - 1, 100_001)
    nodes = np.arange(STENCIL)
    basis = np.array([np.prod([(u - m) / (j - m) for m in nodes if m != j], axis=0)
                      for j in nodes])
    assert np.abs(basis).sum(axis=0).max() <= STENCIL_LEBESGUE
    assert np.abs(np.prod([u - m for m in nodes], axis=0)).max() <= STENCIL_OMEGA


def test_isf_is_scipys_exactly():
    rng = np.random.default_rng(5)
    mu = np.concatenate([[0.0, 1e-3, 0.5, 1.0, 7.0], rng.uniform(0, 30, 2000),
                         rng.uniform(30, 6000, 20_000)])
    for q in (full_risk(0.85, 200), full_risk(0.95, 200), 0.05, 0.5, 0.97):
        np.testing.assert_array_equal(poisson_isf(q, mu), stats.poisson.isf(q, mu))
    grid = mu[:12].reshape(3, 4)
    np.testing.assert_array_equal(poisson_isf(0.1, grid), stats.poisson.isf(0.1, grid))
    assert poisson_isf(0.1, 3.0) == stats.poisson.isf(0.1, 3.0)


def test_beds_required_and_full_risk_are_unchanged():
    risk = full_risk(0.85, 200)
    assert risk == float(stats.poisson.sf(199, 170.0))
    mean = np.random.default_rng(2).uniform(100, 5000, (50, 4))
    pools = np.array([1, 2, 3, 6])
    np.testing.assert_array_equal(beds_required(mean, pools, risk),
                                  (stats.poisson.isf(risk, mean / pools) + 1) * pools)


def loop_capacity_table(inputs, planned, sim, footprint_set):
    """``_capacity_table`` as it was: a Python loop over footprint × year."""
    from openstp import data

    names = data.footprints(footprint_set).set_index("code")["name"]
    q = np.quantile(sim["beds_required"], [0.1, 0.5, 0.9], axis=0)
    rows = []
    for f, code in enumerate(inputs.footprints):
        for y, year in enumerate(inputs.years):
            rows.append({
                "footprint": code, "name": names[code], "year": year,
                "beds_planned": round(float(planned[f, y])),
                "beds_required_p10": float(q[0][f, y]), "beds_required_p50": float(q[1][f, y]),
                "beds_required_p90": float(q[2][f, y]),
                "p_enough_beds": float((planned[f, y] >= sim["beds_required"][:, f, y]).mean()),
                "mean_occupancy": float(sim["mean_occupancy"][:, f, y].mean()),
                "winter_occupancy": float(sim["winter_occupancy"][:, f, y].mean()),
                "days_above_92pct": float(sim["days_above_flag"][:, f, y].mean()),
                "days_above_95pct": float(sim["days_above_critical"][:, f, y].mean()),
                "p_no_bed_free_winter_day": float(sim["p_full_winter_day"][:, f, y].mean()),
                "bed_pools": int(inputs.pools[f]),
                "implied_target_occupancy": float(sim["implied_target_occupancy"][f, y]),
                "baseline_method": inputs.baseline_method[f].split(":")[0],
                "baseline_detail": inputs.baseline_method[f],
            })
    return pd.DataFrame(rows)


def test_capacity_table_is_the_loops_table():
    years = ["2015/16", "2016/17", "2017/18"]
    inputs = bed_inputs("stp2017", years, builtin_parameters())
    planned = planned_beds(inputs) + np.arange(len(years)) * 0.5  # some half beds to round
    rng = np.random.default_rng(4)
    shape = (101, len(inputs.footprints), len(years))
    sim = {k: rng.uniform(0, 1, shape) for k in ("mean_occupancy", "winter_occupancy",
                                                 "p_full_winter_day")}
    sim |= {k: rng.uniform(0, 365, shape) for k in ("days_above_flag", "days_above_critical")}
    sim["beds_required"] = np.round(planned[None] * rng.uniform(0.9, 1.1, shape))
    sim["implied_target_occupancy"] = rng.uniform(0.8, 0.95, shape[1:])
    got = api._capacity_table(inputs, planned, sim, "stp2017")
    pd.testing.assert_frame_equal(got, loop_capacity_table(inputs, planned, sim, "stp2017"),
                                  check_exact=True)


def test_bed_inputs_are_built_once_per_parameter_values_and_read_only():
    years = ["2015/16", "2016/17"]
    first = bed_inputs("icb2022", years, builtin_parameters())  # apportioned: no trust placement
    assert bed_inputs("icb2022", tuple(years), load_parameters()) is first  # equal values
    changed = bed_inputs("icb2022", years, load_parameters(
        overrides={"beds.capacity.ga_beds_england": {"2015/16": 90_000}}))
    assert changed is not first
    assert changed.base_beds.sum() == pytest.approx(90_000)
    for array in (first.base_beds, first.base_occupied, first.demographic_index, first.pools):
        with pytest.raises(ValueError):
            array[0] = 0


def test_importing_beds_does_not_import_scipy_stats():
    code = "import sys, openstp.beds; print('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
