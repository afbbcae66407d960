"""The do-nothing gap's own uncertainty inside the risk model: its own streams, draw 0 central,
reproducible, and P(balance) that includes it."""

from __future__ import annotations

import numpy as np
import pytest
from test_risk_engine import YEARS, certain, footprint_gap, make_plan

from openstp.gap import compute_gap
from openstp.gap.draws import gap_draws, quantile
from openstp.params import builtin_parameters, load_parameters
from openstp.risk import simulate
from openstp.risk.rng import STREAMS


def test_each_source_of_the_gaps_uncertainty_has_its_own_stream_after_the_old_ones():
    assert STREAMS[:6] == ("delivery", "slippage", "pressure", "optimism", "demand", "winter")
    assert STREAMS[6:10] == ("gap_growth", "gap_demography", "gap_inflation", "gap_opening")
    assert STREAMS[10:] == ("capital",)  # what a scheme's capital does (risk.capital)


def test_low_and_high_are_the_10th_and_90th_percentiles_clipped_to_bounds():
    spec = np.array([1.0, 2.0, 4.0, 0.0, 10.0])
    z90 = 1.2815515655446004
    assert quantile(np.array([-z90, 0.0, z90]), spec) == pytest.approx([1.0, 2.0, 4.0])
    assert quantile(np.array([-50.0]), spec)[0] == 0.0  # never below the minimum
    one_sided = np.array([0.5, 1.0, 1.0, 0.0, 3.0])  # no sourced high: no spread upwards
    assert quantile(np.array([3.0]), one_sided)[0] == 1.0


def test_a_value_overridden_outside_its_range_is_drawn_at_that_value():
    from openstp.gap.draws import ranged

    params = load_parameters(overrides={"gap.growth.non_demographic.acute": 0.05})
    assert list(ranged(params, "gap.growth.non_demographic.acute")[:3]) == [0.05] * 3


def test_the_gap_at_z_zero_is_the_central_gap_for_both_bases_and_fundings():
    for basis, funding in (("resident", "sr2015"), ("organisational", "flat-real")):
        arrays = compute_gap(basis=basis, funding=funding)
        rows = list(range(len(arrays.footprints)))
        pieces = gap_draws(arrays, builtin_parameters(), rows)
        np.testing.assert_allclose(pieces.gaps(np.zeros((1, 4)))[0], arrays.gap.sum(axis=1),
                                   rtol=1e-12, atol=1e-3)


def _plan_closing_its_gap():
    gap = footprint_gap()[1:]
    kinds = ["provider_efficiency", "prescribing"]
    schemes = [{"id": f"s{i}", "type": t, "saving": dict(zip(YEARS, gap * 0.5, strict=True))}
               for i, t in enumerate(kinds)]
    return make_plan(schemes), load_parameters(overrides=certain(*kinds))


def test_draws_of_the_gap_are_reproducible_and_draw_zero_is_the_central_gap():
    plan, params = _plan_closing_its_gap()
    first = simulate(plan, draws=400, seed=11, params=params)
    again = simulate(plan, draws=400, seed=11, params=params, block=97)
    assert np.array_equal(first.residual_draws, again.residual_draws)
    # certain delivery of exactly the gap: draw 0 (central gap) balances to the pound
    assert abs(first.residual_draws[0, 0, -1]) < 1e-3
    other = simulate(plan, draws=400, seed=12, params=params)
    assert not np.array_equal(first.residual_draws[1:], other.residual_draws[1:])


def test_p_balance_includes_the_gaps_own_uncertainty():
    plan, params = _plan_closing_its_gap()
    with_gap = simulate(plan, draws=2000, seed=5, params=params).summary().iloc[0]
    delivery_only = simulate(plan, draws=2000, seed=5, params=params,
                             gap_uncertainty=False).summary().iloc[0]
    assert delivery_only["probability_of_balance"] == 1.0
    # the gap itself may turn out larger or smaller: the plan no longer balances for sure
    assert 0.2 < with_gap["probability_of_balance"] < 0.8
    assert with_gap["residual_p90"] > 0 > with_gap["residual_p10"]


def test_a_narrower_range_narrows_the_residual_spread():
    plan, params = _plan_closing_its_gap()
    fixed = {}
    for s in compute_gap().sectors:
        path = f"gap.growth.non_demographic.{s}"
        value = params.value(path)
        fixed[path] = {"value": value, "low": value, "high": value}
    wide = simulate(plan, draws=1000, seed=5, params=params).residual_draws[1:, 0, -1].std()
    narrow_params = load_parameters(overrides={**certain("provider_efficiency", "prescribing"),
                                               **fixed})
    narrow = simulate(plan, draws=1000, seed=5, params=narrow_params).residual_draws[1:, 0, -1]
    assert narrow.std() < wide
