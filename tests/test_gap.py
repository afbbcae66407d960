"""The do-nothing gap: hand-computed arithmetic, England totals, calibration and decomposition."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import openstp
from openstp.gap import SECTOR_NAMES, compute_gap, decompose, project, sensitivity
from openstp.gap.report import england_totals
from openstp.params import load_parameters


def test_hand_computed_two_footprints_two_years():
    # Two footprints, one sector, base year and one later year.
    base = np.array([[100.0], [50.0]])
    demographic = np.array([[[1.0, 1.02]], [[1.0, 1.05]]])
    rate = np.array([0.03])
    inflation = np.array([[1.0, 1.02]])
    national_funding = np.array([[150.0, 160.0]])
    share = np.array([[[2 / 3, 0.6]], [[1 / 3, 0.4]]])
    nd, cost, funding = project(base, demographic, rate, inflation, national_funding, share)
    # footprint A: 100 × 1.02 × 1.03 × 1.02 = 107.1612; funding 160 × 0.6 = 96
    assert cost[0, 0, 1] == pytest.approx(107.1612)
    assert cost[1, 0, 1] == pytest.approx(50 * 1.05 * 1.03 * 1.02)
    assert funding[:, 0, 1] == pytest.approx([96.0, 64.0])
    assert (cost - funding)[:, 0, 0] == pytest.approx([0.0, 0.0])  # balanced in the base year
    assert nd[0].tolist() == pytest.approx([1.0, 1.03])


@pytest.fixture(scope="module")
def default_run():
    return openstp.do_nothing_gap()


def test_default_run_is_the_stps_own(default_run):
    assert set(default_run["year"]) == {"2015/16", "2016/17", "2017/18", "2018/19", "2019/20",
                                        "2020/21"}
    assert default_run["footprint"].nunique() == 44
    assert set(default_run["sector"]) == set(SECTOR_NAMES)
    assert {"footprint", "sector", "year", "gap", "cost", "funding"} <= set(default_run.columns)
    assert len(default_run) == 44 * 9 * 6


def test_base_year_gap_is_the_opening_position_in_acute_and_nil_elsewhere(default_run):
    base = default_run[default_run["year"] == "2015/16"]
    acute = base["sector"] == "acute"
    assert base.loc[~acute, "gap"].abs().max() < 1e-3
    opening = compute_gap().opening.total
    np.testing.assert_allclose(base.loc[acute, "gap"], opening, rtol=1e-9, atol=1e-3)
    # England's opening: providers' underlying deficit less commissioners' surplus (params)
    assert opening.sum() == pytest.approx((3.2 - 0.602) * 1e9, rel=1e-9)


def test_footprint_gaps_sum_to_england_exactly(default_run):
    arrays = compute_gap()
    national_funding = arrays.funding.sum(axis=0)
    horizon = default_run[default_run["year"] == "2020/21"]
    assert horizon["funding"].sum() == pytest.approx(national_funding[:, -1].sum(), rel=1e-12)
    totals = england_totals(horizon)
    assert totals["england_gap_all_sectors"] == pytest.approx(horizon["gap"].sum(), rel=1e-12)
    assert totals["england_gap"] + totals["england_gap_local_government"] == pytest.approx(
        totals["england_gap_all_sectors"])


def test_england_nhs_funding_in_horizon_is_the_sr2015_budget():
    horizon = openstp.do_nothing_gap().query("year == '2020/21' and funder == 'nhs_england'")
    assert horizon["funding"].sum() == pytest.approx(119.9e9, rel=1e-3)  # FACTS 1.9


def _england_gap(*args):
    result = openstp.gap.report  # noqa: F841 - imported for england_totals
    frame = openstp.do_nothing_gap(base_year="2013/14", funding=args[0])
    return england_totals(frame[frame["year"] == "2020/21"])["england_gap"]


def test_calibration_fyfv_nearly_30bn_with_flat_real_funding():
    # Five Year Forward View / A Call to Action: ~£30bn by 2020/21 (FACTS 1.1, 1.6).
    assert 25e9 <= _england_gap("flat-real") <= 35e9


def test_calibration_22bn_left_after_sr2015():
    # SR2015's ~£8bn left ~£22bn for efficiency (FACTS 1.4, 1.8).
    assert 17e9 <= _england_gap("sr2015") <= 27e9


def test_more_non_demographic_growth_means_a_bigger_gap():
    params = load_parameters(overrides={"gap.growth.non_demographic.acute": 0.05})
    higher = compute_gap(params=params).gap[:, :, -1].sum()
    assert higher > compute_gap().gap[:, :, -1].sum()


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 0.06), st.floats(0.0, 0.06), st.sampled_from(["sr2015", "flat-real"]),
       st.sampled_from(["2013/14", "2015/16"]))
def test_decomposition_adds_up_to_the_gap(acute, social_care, funding, base_year):
    params = load_parameters(overrides={"gap.growth.non_demographic.acute": acute,
                                        "gap.growth.non_demographic.adult_social_care":
                                            social_care})
    bridge = decompose(compute_gap(params=params, base_year=base_year, funding=funding))
    parts = bridge[["demography", "non_demographic", "inflation", "interaction", "opening",
                    "funding"]]
    np.testing.assert_allclose(parts.sum(axis=1), bridge["gap"], rtol=1e-9, atol=1e-3)


def test_own_baseline_replaces_the_apportioned_one():
    own = {"E54000005": {"acute": 1.5e9}}
    arrays = compute_gap(baselines=own)
    f = arrays.footprints.index("E54000005")
    s = arrays.sectors.index("acute")
    assert arrays.base[f, s] == 1.5e9
    # the base year's gap is just the opening position: funding scales with the own baseline
    assert arrays.gap[f, s, 0] == pytest.approx(arrays.opening.total[f], abs=1e-3)
    default = compute_gap()
    own_share = arrays.funding[f, s] - arrays.stf_to_deficits[f]
    ratio = own_share / (default.funding[f, s] - default.stf_to_deficits[f])
    np.testing.assert_allclose(ratio, ratio[0])


def test_sensitivity_swings_each_ranged_parameter_around_central():
    table = sensitivity()
    england = table[table["footprint"] == "england"]
    assert "gap.growth.non_demographic.acute" in set(england["parameter"])
    row = england.set_index("parameter").loc["gap.growth.non_demographic.acute"]
    assert row["low"] < row["central"] < row["high"]
    assert (england["swing"].diff().dropna() <= 0).all()  # widest first


def test_years_before_projections_say_they_used_the_national_parameter():
    frame = openstp.do_nothing_gap(base_year="2013/14")
    methods = frame.groupby("year")["demography_method"].first()
    assert "pre_projection" in methods["2013/14"]
    assert "SNPP" in methods["2020/21"]


def test_cli_json_carries_england_gap(cli):
    result = cli("gap", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["england_gap"] > 0 and doc["rows"]
    assert {r["year"] for r in doc["rows"]} == {"2020/21"}


def test_cli_tables_put_the_sign_of_money_before_the_pound_sign(cli):
    """Funding closes the gap, so its column is negative: −£922.4m, never £-922.4m."""
    result = cli("gap", "--footprint", "west york", "--decompose")
    assert result.returncode == 0, result.stderr
    assert "−£" in result.stdout and "£-" not in result.stdout


@pytest.mark.parametrize("args,message", [
    (["--param", "gap.growth.non_demographic.acutee=0.02"], "did you mean"),
    (["--param", "gap.funding.nhs_england_budget=-5"], "minimum"),
    (["--funding", "magic"], "allowed: sr2015, flat-real"),
    (["--footprint", "Atlantis"], "no footprint matches"),
    (["--footprint-set", "stp2017", "--set", "icb2022"], "one footprint set"),
])
def test_cli_bad_gap_options_are_one_clear_line(cli, args, message):
    result = cli("gap", *args)
    assert result.returncode == 2
    assert message.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr
