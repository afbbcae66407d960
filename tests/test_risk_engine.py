"""The Monte Carlo engine: certain delivery, balance, reproducibility, common random numbers,
correlation, dependencies, slippage and draw 0 as the central case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstp.gap import compute_gap
from openstp.params import load_parameters
from openstp.plan import Plan, SchemeType
from openstp.risk import simulate
from openstp.risk.priors import TYPES

FOOTPRINT = "E54000005"  # West Yorkshire: owners below belong to it
OWNERS = {"provider_efficiency": "RR8", "prescribing": "03R", "service_reconfiguration": "03R",
          "back_office_estates": "RXF"}
YEARS = ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]


def make_plan(schemes: list[dict], footprint: str = FOOTPRINT, **extra) -> Plan:
    """A small valid plan; each scheme gives id, type, saving and optionally more."""
    full = []
    for s in schemes:
        full.append({"name": s["id"], "owner": OWNERS.get(s["type"], "03R"),
                     "start_year": "2016/17", **s})
    return Plan.model_validate({"footprint": footprint, "name": "test plan",
                                "schemes": full, **extra})


def certain(*types: str, fraction: float = 1.0) -> dict:
    """Overrides making delivery certain at ``fraction`` with no slippage for ``types``."""
    out: dict = {}
    for t in types:
        for q in ("p10", "median", "p90"):
            out[f"risk.delivery.{t}.{q}"] = fraction
        out[f"risk.slippage.{t}.one_year"] = 0.0
        out[f"risk.slippage.{t}.two_years"] = 0.0
        out[f"risk.slippage.{t}.never"] = 0.0
    return out


def footprint_gap(code: str = FOOTPRINT) -> np.ndarray:
    arrays = compute_gap("stp2017")
    return arrays.gap[arrays.footprints.index(code)].sum(axis=0)


def test_certain_delivery_reproduces_the_planned_saving_exactly():
    saving = {"2016/17": 1_234_567.0, "2018/19": 7_654_321.25, "2020/21": 9_999_999.5}
    plan = make_plan([{"id": "cip", "type": "provider_efficiency", "saving": saving}])
    params = load_parameters(overrides=certain("provider_efficiency"))
    result = simulate(plan, draws=300, seed=7, params=params, gap_uncertainty=False)
    gap = footprint_gap()
    planned = np.array([saving.get(y, 0.0) for y in ["2015/16", *YEARS]])
    residual = result.residual_draws[:, 0, :]
    assert np.array_equal(residual, np.broadcast_to(gap - planned, residual.shape))
    schemes = result.schemes()
    assert schemes["expected_saving"].iloc[0] == saving["2020/21"]
    assert schemes["central_saving"].iloc[0] == saving["2020/21"]


def test_a_plan_whose_schemes_sum_to_the_gap_with_full_delivery_balances_for_sure():
    gap = footprint_gap()[1:]
    parts = [0.5, 0.3, 0.2]
    kinds = ["provider_efficiency", "prescribing", "back_office_estates"]
    schemes = [{"id": f"s{i}", "type": t, "saving": dict(zip(YEARS, gap * p, strict=True))}
               for i, (t, p) in enumerate(zip(kinds, parts, strict=True))]
    params = load_parameters(overrides=certain(*kinds))
    result = simulate(make_plan(schemes), draws=500, seed=3, params=params, gap_uncertainty=False)
    row = result.summary().iloc[0]
    assert row["probability_of_balance"] == 1.0
    assert row["standard_error"] == 0.0
    assert abs(row["residual_on_paper"]) < 1e-3
    assert row["expected_shortfall"] == 0.0


def _half_chance_plan() -> Plan:
    gap = footprint_gap()[1:]
    return make_plan([
        {"id": "cip", "type": "provider_efficiency",
         "saving": dict(zip(YEARS, gap * 0.6 / 0.85, strict=True))},
        {"id": "rx", "type": "prescribing",
         "saving": dict(zip(YEARS, gap * 0.4 / 0.6, strict=True))}])


def test_same_seed_gives_identical_results_and_other_seeds_agree_within_error():
    plan = _half_chance_plan()
    first = simulate(plan, draws=4000, seed=11)
    again = simulate(plan, draws=4000, seed=11)
    assert np.array_equal(first.residual_draws, again.residual_draws)
    assert first.summary().equals(again.summary())
    assert first.schemes().equals(again.schemes())
    p1 = first.summary().iloc[0]
    assert 0.05 < p1["probability_of_balance"] < 0.95  # an informative case
    for seed in (12, 13):
        other = simulate(plan, draws=4000, seed=seed).summary().iloc[0]
        assert not np.array_equal(other["residual_p10"], p1["residual_p10"])
        # two independent estimates: their difference has standard error sqrt(se1² + se2²)
        combined = np.hypot(p1["standard_error"], other["standard_error"])
        assert abs(other["probability_of_balance"] - p1["probability_of_balance"]) <= 3 * combined


def test_block_size_and_threads_do_not_change_any_draw():
    plan = _half_chance_plan()
    a = simulate(plan, draws=1000, seed=5, block=7, workers=1)
    b = simulate(plan, draws=1000, seed=5, block=400, workers=2)
    assert np.array_equal(a.residual_draws, b.residual_draws)
    assert np.array_equal(a.run.net_horizon, b.run.net_horizon)
    shorter = simulate(plan, draws=300, seed=5)
    assert np.array_equal(shorter.residual_draws, a.residual_draws[:301])


def test_common_random_numbers_a_scheme_keeps_its_draws_when_others_change():
    base = [{"id": "cip", "type": "provider_efficiency", "saving": {"2020/21": 5e7}},
            {"id": "dm", "type": "demand_management_elective", "saving": {"2020/21": 2e7}}]
    changed = [base[0], {**base[1], "saving": {"2020/21": 9e7}},
               {"id": "new", "type": "prevention", "saving": {"2019/20": 1e6}}]
    a = simulate(make_plan(base), draws=500, seed=9)
    b = simulate(make_plan(changed), draws=500, seed=9)
    assert np.array_equal(a.run.net_horizon[:, 0], b.run.net_horizon[:, 0])
    assert not np.array_equal(a.run.net_horizon[:, 1], b.run.net_horizon[:, 1])


def test_a_footprint_run_alone_matches_its_row_in_a_run_of_several():
    wy = make_plan([{"id": "cip", "type": "provider_efficiency", "saving": {"2020/21": 5e7}}])
    other = make_plan([{"id": "cip", "type": "prescribing", "saving": {"2020/21": 3e7},
                        "owner": "00T"}], footprint="E54000007")
    alone = simulate(wy, draws=400, seed=2)
    both = simulate([other, wy], draws=400, seed=2)
    assert np.array_equal(alone.residual_draws[:, 0], both.residual_draws[:, 1])
    england = both.summary().set_index("footprint").loc["england"]
    assert england["gap"] == pytest.approx(both.inputs.gap[:, -1].sum())


def test_draw_zero_is_the_central_case():
    plan = make_plan([{"id": "cip", "type": "provider_efficiency", "saving": {"2020/21": 1e8},
                       "evidence": {"grade": "B"}},
                      {"id": "dm", "type": "demand_management_ae", "saving": {"2020/21": 1e8},
                       "investment": {"2016/17": 1e6}, "double_running": {"2020/21": 2e6},
                       "evidence": {"grade": "C"}}])
    params = load_parameters()
    result = simulate(plan, draws=50, seed=1)
    central = result.run.net_horizon[0]
    cip_median = params.value("risk.delivery.provider_efficiency.median")
    assert central[0] == pytest.approx(1e8 * cip_median, rel=1e-6)
    odds_c = params.value("risk.evidence.odds_ratio.grade_c")
    m = params.value("risk.delivery.demand_management_ae.median")
    graded = m * odds_c / (1 - m + m * odds_c)
    bias = params.value("risk.optimism_bias.investment.central")
    assert central[1] == pytest.approx(1e8 * graded - 2e6 * (1 + bias), rel=1e-6)


def test_slipped_savings_move_later_and_past_the_horizon_are_lost():
    plan = make_plan([{"id": "rc", "type": "service_reconfiguration",
                       "saving": {"2019/20": 1e7, "2020/21": 2e7}}])
    overrides = {**certain("service_reconfiguration"),
                 "risk.slippage.service_reconfiguration.two_years": 1.0}
    result = simulate(plan, draws=20, seed=1, params=load_parameters(overrides=overrides),
                      gap_uncertainty=False)
    gap = footprint_gap()
    assert np.array_equal(result.residual_draws[0, 0], gap - [0, 0, 0, 0, 1e7, 2e7])  # central
    assert np.array_equal(result.residual_draws[1:, 0, -1], np.full(20, gap[-1]))  # lost
    assert np.array_equal(result.residual_draws[1:, 0, 0], np.full(20, gap[0]))


def test_a_scheme_delivers_no_more_than_its_prerequisite():
    plan = make_plan([{"id": "dm", "type": "demand_management_non_elective",
                       "saving": {"2020/21": 1e7}},
                      {"id": "rc", "type": "provider_efficiency", "saving": {"2020/21": 1e7},
                       "depends_on": ["dm"]}])
    result = simulate(plan, draws=2000, seed=4)
    net = result.run.net_horizon
    assert np.all(net[:, 1] <= net[:, 0] + 1e-6)  # same saving, so fraction(rc) ≤ fraction(dm)
    alone = simulate(make_plan([plan.schemes[1].model_dump(exclude={"depends_on"})]),
                     draws=2000, seed=4)
    assert result.schemes()["expected_saving"].iloc[1] < alone.schemes()["expected_saving"][0]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.floats(1e6, 1e7), min_size=2, max_size=6),
       st.sampled_from(["provider_efficiency", "prescribing", "back_office_estates"]))
def test_correlation_raises_the_spread_of_the_residual_gap(savings, kind):
    plan = make_plan([{"id": f"s{i}", "type": kind, "saving": {"2020/21": s}}
                      for i, s in enumerate(savings)])
    spread = {}
    for loading in (0.0, 0.8):
        params = load_parameters(overrides={"risk.pressure.loading": loading,
                                            f"risk.slippage.{kind}.one_year": 0.0,
                                            f"risk.slippage.{kind}.two_years": 0.0})
        # The gap's own uncertainty is off: at £1m–£10m of savings it would swamp the effect.
        result = simulate(plan, draws=3000, seed=21, params=params, gap_uncertainty=False)
        spread[loading] = result.residual_draws[1:, 0, -1].std()
    assert spread[0.8] > spread[0.0]


def test_every_scheme_type_has_a_prior():
    assert set(TYPES) == {t.value for t in SchemeType}
    params = load_parameters()
    for t in TYPES:
        assert params.value(f"risk.delivery.{t}.p10") <= params.value(f"risk.delivery.{t}.p90")


def test_variance_shares_add_up_to_one_per_footprint():
    result = simulate(_half_chance_plan(), draws=2000, seed=8)
    shares = result.schemes()["variance_share"]
    assert shares.sum() == pytest.approx(1.0, abs=1e-9)
    assert result.schemes()["variance_share_england"].sum() == pytest.approx(1.0, abs=1e-9)


def test_summary_is_the_horizon_of_residual_computed_once_and_handed_out_as_copies():
    result = simulate(_half_chance_plan(), draws=500, seed=6)
    summary = result.summary()
    horizon = result.residual().query("year == @result.horizon").set_index("footprint")
    by_code = summary.set_index("footprint")
    columns = by_code.columns.drop("draws")
    assert by_code[columns].equals(horizon.loc[by_code.index, columns])
    assert result.summary_row(FOOTPRINT).equals(by_code.loc[FOOTPRINT])
    summary["probability_of_balance"] = -1.0  # a caller's change stays in its copy
    assert result.summary().equals(by_code.reset_index())
    assert result.schemes() is not result.schemes()


def test_keep_delivered_as_a_count_keeps_just_the_first_draws():
    plan = _half_chance_plan()
    every = simulate(plan, draws=300, seed=5, keep_delivered=True)
    first = simulate(plan, draws=300, seed=5, keep_delivered=51, block=40)
    assert first.delivered_draws.shape[0] == 51
    assert np.array_equal(first.delivered_draws, every.delivered_draws[:51])
    assert np.array_equal(first.residual_draws, every.residual_draws)
    with pytest.raises(ValueError):
        _ = simulate(plan, draws=10, seed=5).delivered_draws
