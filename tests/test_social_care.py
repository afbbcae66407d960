"""Adult social care: the gap per footprint and council, funding closing it exactly, and the
delayed-discharge knock-on of care left unfunded."""

from __future__ import annotations

import json

import numpy as np
import pytest

from openstp.gap import do_nothing_gap
from openstp.params import load_parameters
from openstp.plan import parse_plan_text
from openstp.workforce import social_care_gap
from openstp.workforce.social_care import council_weights

WY = "E54000005"
PLAN = """
footprint: E54000005
name: Social care test case
schemes:
  - id: council-money
    name: Extra social care money from the councils
    type: new_funding
    owner: E08000035
    sector: adult_social_care
    start_year: 2020/21
    saving: {{2020/21: {amount}}}
"""


@pytest.fixture(scope="module")
def england():
    return social_care_gap(draws=100)


def _horizon(result, code=WY):
    rows = result.footprints
    return rows[(rows["footprint"] == code) & (rows["year"] == "2020/21")].iloc[0]


def test_england_gap_is_the_gap_models_adult_social_care_gap(england):
    gap = do_nothing_gap()
    asc = gap[(gap["sector"] == "adult_social_care") & (gap["year"] == "2020/21")]["gap"].sum()
    assert england.england["gap"] == pytest.approx(asc)
    assert england.footprints.groupby("year")["gap"].sum()["2020/21"] == pytest.approx(asc)


@pytest.mark.parametrize("amount", [1.0, 12_345_678.0, 250_000_000.0])
def test_extra_funding_closes_the_gap_by_exactly_that_amount(england, amount):
    more = social_care_gap(draws=100, extra_funding={WY: {"2020/21": amount}})
    before, after = _horizon(england), _horizon(more)
    assert before["residual_gap"] - after["residual_gap"] == pytest.approx(amount, abs=1e-6)
    other = "E54000006"
    assert _horizon(more, other)["residual_gap"] == _horizon(england, other)["residual_gap"]


def test_plan_social_care_funding_closes_the_gap_by_exactly_that_amount():
    base = social_care_gap(plan=parse_plan_text(PLAN.format(amount=0))[0], draws=10)
    plan, _ = parse_plan_text(PLAN.format(amount=30_000_000))
    funded = social_care_gap(plan=plan, draws=10)
    assert _horizon(base)["residual_gap"] - _horizon(funded)["residual_gap"] == pytest.approx(3e7)
    assert _horizon(funded)["plan_funding"] == 3e7


def test_national_funding_override_closes_englands_gap_by_exactly_that_amount(england):
    params = load_parameters()
    path = "gap.funding.social_care.ibcf"
    more = social_care_gap(draws=10, params=params.with_overrides(
        {path: {"2020/21": params.value(path, "2020/21") + 0.5}}))
    assert england.england["residual_gap"] - more.england["residual_gap"] == pytest.approx(
        0.5e9, rel=1e-9)


def test_funding_that_closes_the_gap_removes_the_delay_knock_on(england):
    row = _horizon(england)
    assert row["extra_delayed_days"] > 0
    closed = social_care_gap(draws=10, extra_funding={WY: {"2020/21": row["gap"]}})
    assert _horizon(closed)["extra_delayed_days"] == pytest.approx(0.0, abs=1e-9)


def test_delayed_days_hand_check(england):
    # Base-year social-care delays (1.84m x 32.9%) shared by the footprint's 65+ weight and grown
    # with it; the knock-on is that x elasticity 0.75 x the unfunded share.
    rows = england.footprints
    base = rows[rows["year"] == "2015/16"].set_index("footprint")
    weight = base["cost"] / base["cost"].sum()
    row = _horizon(england)
    expected = 1.84e6 * 0.329 * weight[WY] * row["cost"] / base.loc[WY, "cost"] / (
        _cost_growth_other_than_demography(england))
    assert row["delayed_days"] - row["extra_delayed_days"] == pytest.approx(expected, rel=1e-9)
    assert row["extra_delayed_days"] == pytest.approx(
        (row["delayed_days"] - row["extra_delayed_days"]) * 0.75 * row["unmet_share"])


def _cost_growth_other_than_demography(result):
    """Cost index / demographic index: the same for every footprint in the gap model."""
    from openstp.gap import compute_gap

    arrays = compute_gap()
    s = arrays.sectors.index("adult_social_care")
    ratio = arrays.cost[:, s, -1] / arrays.cost[:, s, 0] / arrays.demographic_index[:, s, -1]
    assert np.allclose(ratio, ratio[0])
    return ratio[0]


def test_more_unmet_need_means_more_delayed_days():
    params = load_parameters()
    path = "gap.funding.social_care.precept"
    less = social_care_gap(draws=1, params=params.with_overrides(
        {path: {"2020/21": params.value(path, "2020/21") - 0.5}}))
    more_money = social_care_gap(draws=1)
    assert less.england["extra_delayed_days"] > more_money.england["extra_delayed_days"]


def test_council_weights_sum_to_one_within_each_footprint():
    weights = council_weights("stp2017", 2017)
    sums = weights.groupby("footprint")["weight"].sum()
    assert len(sums) == 44 and np.allclose(sums, 1.0)
    assert (weights["weight"] > 0).all()


def test_councils_add_up_to_their_footprint(england):
    councils = england.councils.groupby(["footprint", "year"])[["gap", "residual_gap",
                                                                "extra_delayed_days"]].sum()
    rows = england.footprints.set_index(["footprint", "year"])[councils.columns]
    assert np.allclose(councils.loc[rows.index], rows)


def test_delay_ranges_are_ordered(england):
    rows = england.footprints
    assert (rows["extra_delayed_days_p10"] <= rows["extra_delayed_days_p90"]).all()
    e = england.england
    assert e["extra_delayed_days_p10"] <= e["extra_delayed_days_p90"]


def test_cli_social_care_json_and_council_csv(cli):
    run = cli("social-care", "--footprint", "west york", "--draws", "20", "--format", "json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert {r["footprint"] for r in doc["rows"]} == {WY}
    assert {c["council_name"] for c in doc["councils"]} >= {"Leeds", "Bradford"}
    csv = cli("social-care", "--footprint", WY, "--draws", "5", "--format", "csv", "--councils")
    assert csv.returncode == 0 and csv.stdout.startswith("footprint,council,council_name")


def test_cli_social_care_unknown_set_is_one_line(cli):
    bad = cli("social-care", "--footprint-set", "stp1999", "--draws", "5")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
