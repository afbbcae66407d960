"""Capacity: occupancy model checks, baseline reproduction, bed test and the England summary."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from openstp.beds import (
    beds,
    beds_required,
    day_types,
    full_risk,
    occupancy_measures,
    weekly_profile,
)
from openstp.beds.occupancy import WINTER_MONTHS, DayTypes, daily_profile, day_months
from openstp.params import builtin_parameters
from openstp.plan import parse_plan_text

ALL_WINTER = DayTypes(np.ones(1), np.array([365.0]), np.array([True]))  # one flat day type


def _year_types() -> DayTypes:
    params = builtin_parameters()
    weekly = weekly_profile(params.value("beds.capacity.weekday_admission_share"),
                            params.value("beds.capacity.mean_length_of_stay"))
    profile = daily_profile(params.series("beds.capacity.monthly_demand_factor"), weekly)
    return day_types(profile, np.isin(day_months(), WINTER_MONTHS))


def test_full_risk_hand_computed_poisson_case():
    # Two beds, mean one patient: P(N >= 2) = 1 - e^-1 (1 + 1) = 0.26424
    assert full_risk(0.5, 2) == pytest.approx(1 - np.exp(-1) * 2, rel=1e-9)


def test_beds_required_small_hand_case():
    # Mean 1 patient; keep P(full) <= 0.1: P(N>=3) = 0.0803 <= 0.1 < P(N>=2) = 0.264 → 3 beds.
    assert beds_required(np.array(1.0), 1, 0.1) == 3


def test_full_days_are_the_erlang_poisson_marginal():
    sim = occupancy_measures(np.array([8.0]), np.array([8.0]), 10.0, ALL_WINTER, 0.92, 0.95)
    assert sim["p_full_winter_day"][0] == pytest.approx(stats.poisson.sf(9, 8.0), abs=1e-8)
    # E[min(X, 10)] by the pmf, and P(X > 9.2) = P(X > 9) counted over 365 days
    x = np.arange(200)
    expected = (np.minimum(x, 10) * stats.poisson.pmf(x, 8.0)).sum() / 10
    assert sim["mean_occupancy"][0] == pytest.approx(expected, abs=1e-8)
    assert sim["days_above_flag"][0] == pytest.approx(365 * stats.poisson.sf(9, 8.0), abs=1e-6)


def test_non_integer_beds_count_full_at_the_next_whole_bed():
    # 10.5 beds: full needs 11 patients; above 95% (9.975) needs 10; min(X, 10.5) caps at 10.5
    sim = occupancy_measures(np.array([9.0]), np.array([9.0]), 10.5, ALL_WINTER, 0.92, 0.95)
    assert sim["p_full_winter_day"][0] == pytest.approx(stats.poisson.sf(10, 9.0), abs=1e-8)
    assert sim["days_above_critical"][0] == pytest.approx(365 * stats.poisson.sf(9, 9.0),
                                                          abs=1e-6)
    x = np.arange(200)
    expected = (np.minimum(x, 10.5) * stats.poisson.pmf(x, 9.0)).sum() / 10.5
    assert sim["mean_occupancy"][0] == pytest.approx(expected, abs=1e-8)


def test_day_types_are_month_by_weekday_and_keep_the_profile():
    params = builtin_parameters()
    weekly = weekly_profile(0.814, 7.3)
    profile = daily_profile(params.series("beds.capacity.monthly_demand_factor"), weekly)
    winter = np.isin(day_months(), WINTER_MONTHS)
    types = day_types(profile, winter)
    assert len(types.factor) == 84 and types.days.sum() == 365
    assert types.days[types.winter].sum() == winter.sum()
    # every day's profile value is its type's factor, and the counts match: the same year
    by_day = {}
    for d, (month, value) in enumerate(zip(day_months(), profile, strict=True)):
        by_day.setdefault((month, d % 7), []).append(value)
    assert sorted(len(v) for v in by_day.values()) == sorted(types.days)
    assert all(len(set(v)) == 1 for v in by_day.values())
    assert sorted(v[0] for v in by_day.values()) == sorted(types.factor)


def test_reference_pool_at_target_is_exactly_the_target():
    risk = full_risk(0.85, 200)
    assert beds_required(np.array(170.0), 1, risk) == 200


def test_small_pools_need_lower_occupancy_than_large_ones():
    risk = full_risk(0.85, 200)
    small = 20.0 / beds_required(np.array(20.0), 1, risk)
    large = 2000.0 / beds_required(np.array(2000.0), 1, risk)
    assert small < 0.85 < large


@settings(max_examples=30, deadline=None)
@given(st.floats(50, 3000), st.integers(1, 10), st.floats(0.7, 0.9))
def test_splitting_demand_into_more_pools_never_needs_fewer_beds(mean, pools, target):
    # Doubling the pools (same total demand) needs at least as many beds, up to rounding each
    # pool to whole beds.
    risk = full_risk(target, 200)
    assert beds_required(np.array(mean), 2 * pools, risk) >= beds_required(
        np.array(mean), pools, risk) - 2 * pools


@settings(max_examples=25, deadline=None)
@given(st.floats(20, 500), st.floats(0.6, 1.1))
def test_occupancy_and_overflow_rise_as_beds_fall(mean, ratio):
    beds_high = max(int(mean / ratio), 2)
    beds_low = max(beds_high - max(1, beds_high // 10), 1)
    level, types = np.array([mean]), _year_types()
    hi = occupancy_measures(level, level * 1.01, beds_high, types, .92, .95)
    lo = occupancy_measures(level, level * 1.01, beds_low, types, .92, .95)
    assert lo["mean_occupancy"][0] > hi["mean_occupancy"][0]
    # up to the exact method's error (a few 1e-9 a day) where both are all but 0
    assert lo["p_full_winter_day"][0] >= hi["p_full_winter_day"][0] - 1e-8
    assert lo["days_above_critical"][0] >= hi["days_above_critical"][0] - 365e-8


def test_weekly_profile_is_busier_on_weekdays_and_averages_one():
    profile = weekly_profile(0.814, 7.3)
    assert profile.mean() == pytest.approx(1.0)
    assert profile[:5].mean() > profile[5:].mean()


@pytest.fixture(scope="module")
def england():
    return beds(draws=40)


def test_bed_baselines_sum_to_the_trusts_reported_beds(england):
    from openstp import data

    trusts = data.table("trust_beds_2016_17")
    reported = trusts.groupby("stp2017")["beds_open"].sum()
    base = england.capacity[england.capacity["year"] == "2015/16"].set_index("footprint")
    assert (base["baseline_method"] == "sitrep").all()  # every footprint's trusts reported
    np.testing.assert_allclose(base["beds_planned"], reported.loc[base.index], atol=0.51)
    assert england.england["base_beds"] == pytest.approx(trusts["beds_open"].sum())
    # footprints differ in how full their hospitals ran, as their trusts reported
    occupancy = trusts.groupby("stp2017")["beds_occupied"].sum() / reported
    assert occupancy.max() - occupancy.min() > 0.05
    assert base["mean_occupancy"].corr(occupancy.loc[base.index]) > 0.8


def test_a_footprint_with_a_trust_missing_is_apportioned_and_says_so(monkeypatch):
    from openstp import data
    from openstp.beds import baseline

    table = data.table("trust_beds_2016_17")
    monkeypatch.setattr(baseline.data, "table", lambda name: table[table["counted_as"] != "RR8"]
                        if name == "trust_beds_2016_17" else data.table(name))
    inputs = baseline.trust_baseline("stp2017", ("E54000005", "E54000006"), np.array([6, 4]))
    assert np.isnan(inputs.beds[0]) and "RR8" in inputs.methods[0]
    assert inputs.methods[0].startswith("apportioned") and inputs.methods[1].startswith("sitrep")
    np.testing.assert_allclose(inputs.pool_shares.sum(axis=1), 1)


def test_england_demography_alone_raises_bed_days(england):
    growth = england.england["demographic_growth"]
    assert 0.03 < growth < 0.10
    assert "raises G&A bed days" in england.england["explanation"]
    horizon = england.capacity[england.capacity["year"] == "2020/21"]
    assert horizon["beds_required_p50"].sum() > horizon["beds_planned"].sum()


def test_same_seed_same_results():
    a = beds(footprint="E54000005", draws=20, seed=7).capacity
    b = beds(footprint="E54000005", draws=20, seed=7).capacity
    assert a.equals(b)


PLAN = """
footprint: E54000005
name: Bed test case
schemes:
  - id: community-teams
    name: Community teams
    type: demand_management_non_elective
    owner: 02R
    start_year: {start}
    saving: {{2020/21: 1000000}}
bed_changes:
  - id: cut
    trust: RWY
    year: 2017/18
    change: {change}
    conditions: {conditions}
    relies_on: [community-teams]
"""


def _plan(change=-60, conditions="[]", start="2016/17"):
    plan, _ = parse_plan_text(PLAN.format(change=change, conditions=conditions, start=start))
    return plan


def test_closure_without_evidence_fails_the_bed_test():
    result = beds(plan=_plan(), draws=20)
    row = result.closures.iloc[0]
    assert row["verdict"] == "fails" and "no bed-test condition" in row["reason"]


def test_alternative_provision_starting_after_the_closure_does_not_count():
    cond = "[{condition: alternative_provision, evidence: community teams}]"
    row = beds(plan=_plan(conditions=cond, start="2019/20"), draws=20).closures.iloc[0]
    assert row["verdict"] == "fails" and "not in place" in row["reason"]


def test_evidenced_small_closure_with_spare_beds_meets_the_test():
    cond = "[{condition: new_treatments, evidence: new anticoagulants}]"
    plan = _plan(change=-1, conditions=cond)
    # West Yorkshire's trusts ran at 93% over the year: open 600 beds first so some are spare
    plan.bed_changes.insert(0, plan.bed_changes[0].model_copy(update={
        "id": "new-ward", "year": "2016/17", "change": 600, "conditions": [], "relies_on": []}))
    row = beds(plan=plan, draws=20).closures.iloc[0]
    assert row["verdict"] == "meets", row["reason"]
    assert row["probability_safe"] >= 0.8


def test_cli_england_json_states_demographic_growth(cli):
    result = cli("beds", "--draws", "10", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert 0 < doc["demographic_growth"] < 0.2
    assert doc["england"]["explanation"]
    assert len({r["footprint"] for r in doc["rows"]}) == 44


def test_each_financial_month_has_its_calendar_days():
    from collections import Counter

    from openstp.beds.occupancy import day_months

    days = Counter(day_months())
    assert [days[m] for m in ("04", "05", "06", "07", "08", "09", "10", "11", "12", "01", "02",
                              "03")] == [30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31]
