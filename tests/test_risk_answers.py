"""Delivery that can miss, meet or beat: a plan with strong evidence and new money balances
in a sensible share of draws, the ambition curve prices bigger asks as riskier, and schemes
whose capital is not funded slip or fail."""

from __future__ import annotations

import numpy as np
import pytest
from fixtures.risk_plans import FOOTPRINT, cip_plan, half_gap_plan
from hypothesis import given
from hypothesis import strategies as st

from openstp.gap import compute_gap
from openstp.params import load_parameters
from openstp.risk import simulate
from openstp.risk.priors import ambition_multiplier


def acute_spend() -> float:
    arrays = compute_gap("stp2017")
    return float(arrays.base[arrays.footprints.index(FOOTPRINT),
                             arrays.sectors.index("acute")])


def test_half_gap_grade_a_plan_with_new_money_balances_in_a_sensible_share_of_draws(
        builtin_run):
    result = simulate(half_gap_plan("A"), draws=2000, seed=11)
    p = result.summary_row(FOOTPRINT)["probability_of_balance"]
    assert 0.3 < p < 0.99  # a sensible share: neither never nor certain
    weaker = simulate(half_gap_plan("C"), draws=2000, seed=11)
    assert weaker.summary_row(FOOTPRINT)["probability_of_balance"] < p
    national = builtin_run.summary().set_index("footprint")["probability_of_balance"]
    assert national.max() < 0.05  # the national-mix plans stay unlikely


@given(st.floats(0.001, 0.2), st.floats(0.001, 0.2))
def test_ambition_curve_never_rewards_a_bigger_ask(a, b):
    small, big = sorted((a, b))
    args = (np.array(0.04), np.array(0.028), np.array(0.85))
    assert ambition_multiplier(np.array(big), *args) <= ambition_multiplier(np.array(small),
                                                                              *args)


def test_a_cip_asking_six_percent_a_year_is_riskier_than_one_asking_two():
    spend = acute_spend()
    results = {r: simulate(cip_plan(r, spend), draws=1000, seed=3) for r in (0.02, 0.04, 0.06)}
    realised = {r: res.schemes()["realisation"].iloc[0] for r, res in results.items()}
    assert realised[0.02] > realised[0.04] > realised[0.06]
    central = {r: res.schemes()["central_saving"].iloc[0] / res.schemes()[
        "planned_saving"].iloc[0] for r, res in results.items()}
    assert central[0.04] == pytest.approx(0.85, abs=1e-6)  # the reference ask: the sourced median
    assert central[0.06] == pytest.approx(0.85 * 4 / 6, abs=1e-6)
    assert central[0.02] == pytest.approx(1.0, abs=1e-6)  # below the 2.8% achieved: in full


def test_demand_management_cuts_deeper_than_the_stps_average_are_marked_down():
    def realised(change: float) -> float:
        plan = cip_plan(0.03, acute_spend(), type="demand_management_non_elective",
                        owner="03R", activity_change=change)
        return simulate(plan, draws=400, seed=3).schemes()["central_saving"].iloc[0]

    assert realised(-0.10) == pytest.approx(realised(-0.157))  # no credit below the average
    assert realised(-0.30) < realised(-0.157)


def test_unfunded_capital_delays_or_stops_a_scheme_and_funded_capital_does_not():
    spend = acute_spend()
    capital = {"2016/17": 5e7}
    overrides = {"risk.slippage.provider_efficiency.one_year": 0.0}
    params = load_parameters(overrides=overrides)
    funded = simulate(cip_plan(0.03, spend, capital=capital, capital_funded=capital),
                      draws=2000, seed=9, params=params)
    unfunded = simulate(cip_plan(0.03, spend, capital=capital), draws=2000, seed=9,
                        params=params)
    half = simulate(cip_plan(0.03, spend, capital=capital, capital_funded={"2016/17": 2.5e7}),
                    draws=2000, seed=9, params=params)
    saved = {k: r.schemes()["expected_saving_total"].iloc[0]
             for k, r in {"funded": funded, "half": half, "unfunded": unfunded}.items()}
    assert saved["funded"] > saved["half"] > saved["unfunded"]
    never = (unfunded.run.net_horizon[1:, 0] == 0).mean()
    p = load_parameters()
    expected = 1 - p.value("risk.capital.on_time") - p.value("risk.capital.one_year_late")
    assert never == pytest.approx(expected, abs=0.03)
    # draw 0 stays the central case: capital on time
    assert unfunded.run.net_horizon[0, 0] == funded.run.net_horizon[0, 0]
