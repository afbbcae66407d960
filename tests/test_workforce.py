"""Workforce: hand-computed pieces, properties, plan sections, readiness flags, England run."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstp.errors import PlanError
from openstp.params import load_parameters
from openstp.plan import parse_plan_text
from openstp.workforce import GROUPS, demand, supply, workforce_gap
from openstp.workforce.baseline import SETTINGS, Settings, apportion, posts
from openstp.workforce.gap import Draws, agency_cost, run_workforce
from openstp.workforce.groups import param_prefix, scheme_groups
from openstp.workforce.inputs import read_staff_params, triangular

G = {g: i for i, g in enumerate(GROUPS)}
YEARS = ["2015/16", "2016/17"]

PLAN = """
footprint: E54000005
name: Workforce test case
schemes:
  - id: community-teams
    name: Community teams avoid admissions
    type: demand_management_non_elective
    owner: 02R
    sector: acute
    start_year: 2016/17
    saving: {{2016/17: 20000000, 2017/18: 20000000, 2018/19: 20000000, 2019/20: 20000000,
      2020/21: 20000000}}
    workforce_dependent: true
{workforce}
"""


def _plan(workforce: str = ""):
    plan, _ = parse_plan_text(PLAN.format(workforce=workforce))
    return plan


@pytest.fixture(scope="module")
def england():
    return workforce_gap(draws=200)


# --- hand-computed small cases -------------------------------------------------------------

def test_posts_are_staff_in_post_over_the_filled_share():
    # 900 in post with 10% of posts vacant: 1,000 posts, 100 vacancies.
    assert posts(np.array([900.0]), np.array([0.1])) == pytest.approx([1000.0])


def test_apportion_and_required_hand_case():
    # Two footprints with hospital spend 100 and 300: shares 0.25 and 0.75. Hospital activity of
    # footprint 0 grows by 10% from demography and 10% from bed days: index 1.1 x 1.1 = 1.21.
    spend = np.array([[100.0, 1, 1, 1], [300.0, 1, 1, 1]])
    activity = np.ones((2, len(SETTINGS), 2))
    activity[0, 0, 1] = 1.1
    s = Settings(list(SETTINGS), spend, activity)
    national = np.zeros(len(GROUPS))
    national[G["doctors"]] = 1000.0
    fp = apportion(national[None], s)  # (1, f, g)
    assert fp[0, :, G["doctors"]] == pytest.approx([250.0, 750.0])
    need = demand.required_paths(fp, demand.activity_paths(s, np.array([0.1])))
    assert need[0, 0, G["doctors"], 1] == pytest.approx(250 * 1.21)
    assert need[0, 1, G["doctors"], 1] == pytest.approx(750 * 1.1)  # bed-day growth only


def test_plan_additions_hand_case():
    # 10 recruited in year 0; 20 training places in year 0 qualify a year later; 90% of actions
    # delivered, 75% of places complete, 10% of added staff leave each year.
    added = supply.added_staff(np.array([[10.0, 0, 0]]), np.array([[20.0, 0, 0]]),
                               np.array([1]), np.array([[0.1]]), np.array([0.9]),
                               np.array([[0.75]]))
    assert added[0, 0] == pytest.approx([9.0, 8.1 + 0.9 * 0.75 * 20, (8.1 + 13.5) * 0.9])


def test_default_supply_compounds_net_growth():
    out = supply.supply_paths(np.array([[100.0]]), np.array([[0.02]]), 3)
    assert out[0, 0, 0] == pytest.approx([100, 102, 104.04])


def test_demand_management_scheme_hand_case():
    # A £7.8m delivered saving with 22% re-provision removes 7.8 / 0.78 = £10m of hospital
    # activity and adds £2.2m of community care.
    plan, _ = parse_plan_text(PLAN.format(workforce="").replace(
        "{2016/17: 20000000, 2017/18: 20000000, 2018/19: 20000000, 2019/20: 20000000,\n"
        "      2020/21: 20000000}", "{2016/17: 7800000}"))
    per_pound = np.full((1, len(GROUPS)), 1e-5)
    out = demand.scheme_changes(plan, YEARS, np.array([1.0, 1.0]), np.ones((1, 1, 2)),
                                per_pound, np.array([0.5]), 0.22)
    assert out[0, G["doctors"]] == pytest.approx([0, -100])
    assert out[0, G["nurses_midwives"]] == pytest.approx([0, -50])  # ward half goes with beds
    assert out[0, G["community"]] == pytest.approx([0, 22])
    assert out[0, G["gps"]] == pytest.approx([0, 0])


def test_bed_closure_removes_ward_nursing_only_when_it_happens():
    plan, _ = parse_plan_text("""
footprint: E54000005
name: Beds
bed_changes:
  - {id: cut, trust: RWY, year: 2016/17, change: -60}
""")
    out = demand.bed_changes(plan, ["2015/16", "2016/17", "2017/18"], 0.9, 0.56)
    assert out[G["nurses_midwives"]] == pytest.approx([0, -60 * 0.9 * 0.56, -60 * 0.9 * 0.56])
    assert not out[[G[g] for g in GROUPS if g != "nurses_midwives"]].any()


def test_agency_cost_hand_case():
    staff = dataclasses.replace(read_staff_params(load_parameters()),
                                cost_per_fte=np.full(len(GROUPS), 40_000.0),
                                agency_share_of_cover=0.35)
    zero = np.zeros((1, len(GROUPS)))
    draws = Draws(bed_day_growth=np.zeros(1), vacancy_rate=zero, net_growth=zero,
                  leaver_rate=zero, fill=np.ones(1), completion=zero, premium=np.array([0.8]),
                  cover=np.array([0.9]))
    required = np.zeros((1, 1, len(GROUPS), 2))
    required[..., 0], required[..., 1] = 110, 130
    cost = agency_cost(required - np.full_like(required, 100.0), staff, draws,
                       np.array([1.0, 1.05]))
    # Shortfall rises from 10 to 30 FTE: 20 x £40,000 x 0.9 x 0.35 x 0.8 x 1.05.
    assert cost[0, 0, G["doctors"]] == pytest.approx([0, 20 * 40_000 * 0.9 * 0.35 * 0.8 * 1.05])
    assert cost[0, 0, G["social_care"]] == pytest.approx([0, 0])


def test_triangular_draw_zero_is_central_and_draws_stay_in_range():
    rng = np.random.default_rng(1)
    out = triangular(rng, np.array([[0.1, 0.2, 0.5], [0.3, 0.3, 0.3]]), 2000)
    assert list(out[0]) == [0.2, 0.3]
    assert out[:, 0].min() >= 0.1 and out[:, 0].max() <= 0.5 and (out[:, 1] == 0.3).all()


def test_triangular_widens_a_range_that_an_override_left_behind():
    out = triangular(np.random.default_rng(2), np.array([[-0.02, 0.05, 0.02]]), 500)
    assert np.isfinite(out).all() and out[0, 0] == 0.05 and out.min() >= -0.02


# --- properties ------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(base=st.lists(st.floats(0, 1e5), min_size=1, max_size=5),
       activity=st.lists(st.floats(0.5, 2.0), min_size=1, max_size=5),
       more=st.floats(0, 1.0))
def test_more_activity_never_needs_fewer_staff(base, activity, more):
    n = min(len(base), len(activity))
    posts_fp = np.array(base[:n])[None, :, None]
    act = np.array(activity[:n])[None, :, None, None]
    low = demand.required_paths(posts_fp, act)
    high = demand.required_paths(posts_fp, act * (1 + more))
    assert (high >= low).all()


@settings(max_examples=25, deadline=None)
@given(growth=st.floats(-0.05, 0.05), extra=st.floats(0.0, 0.05))
def test_faster_hospital_activity_growth_needs_more_hospital_staff(growth, extra):
    spend = np.ones((2, len(SETTINGS)))
    s = Settings(list(SETTINGS), spend, np.ones((2, len(SETTINGS), 4)))
    slow = demand.activity_paths(s, np.array([growth]))
    fast = demand.activity_paths(s, np.array([growth + extra]))
    hospital = [G[g] for g in ("doctors", "nurses_midwives", "support")]
    assert (fast[..., hospital, :] >= slow[..., hospital, :] - 1e-12).all()
    others = [G[g] for g in GROUPS if G[g] not in hospital]
    assert np.allclose(fast[..., others, :], slow[..., others, :])


@pytest.mark.parametrize("saving", [5_000_000, 20_000_000, 80_000_000])
def test_bigger_shift_to_the_community_needs_more_community_staff(saving):
    base = workforce_gap(plan=_plan(), draws=1)
    bigger, _ = parse_plan_text(PLAN.format(workforce="").replace("20000000", str(saving)))
    other = workforce_gap(plan=bigger, draws=1)
    delta = (other.table.set_index(["group", "year"])["required"]
             - base.table.set_index(["group", "year"])["required"])
    sign = np.sign(saving - 20_000_000)
    assert np.sign(delta.loc[("community", "2020/21")]) == sign
    assert np.sign(delta.loc[("doctors", "2020/21")]) == -sign


# --- the plan's workforce section and readiness --------------------------------------------------

def test_plan_without_a_workforce_section_is_reported_as_having_none():
    assert workforce_gap(plan=_plan(), draws=1).workforce_plan == "none"
    assert workforce_gap(plan=_plan("workforce: {}"), draws=1).workforce_plan == "empty"
    present = _plan("workforce:\n  gps:\n    2016/17: {recruitment: 5}")
    assert workforce_gap(plan=present, draws=1).workforce_plan == "present"


def test_scheme_starting_before_its_staff_exist_is_flagged():
    late = "workforce:\n  community:\n    2019/20: {recruitment: 300}"
    row = workforce_gap(plan=_plan(late), draws=50).readiness.iloc[0]
    assert row["id"] == "community-teams" and row["verdict"] == "starts before its staff exist"
    assert row["p_staffed"] < 0.5 and "community" in row["reason"]


def test_scheme_with_its_staff_recruited_in_time_is_not_flagged():
    early = "workforce:\n  community:\n    2016/17: {recruitment: 300}"
    row = workforce_gap(plan=_plan(early), draws=50).readiness.iloc[0]
    assert row["verdict"] == "staffed" and row["p_staffed"] >= 0.5


def test_plan_recruitment_raises_supply_only_in_its_footprint():
    plan = _plan("workforce:\n  gps:\n    2016/17: {recruitment: 100}")
    years = (plan.base_year, plan.horizon)
    with_plan = run_workforce("stp2017", load_parameters(), years, draws=1,
                              plans={plan.footprint: plan})
    without = run_workforce("stp2017", load_parameters(), years, draws=1)
    g, f = G["gps"], with_plan.footprints.index(plan.footprint)
    assert with_plan.supply[0, f, g, 1] - without.supply[0, f, g, 1] == pytest.approx(90.0)
    others = [i for i in range(len(with_plan.footprints)) if i != f]
    assert np.allclose(with_plan.supply[:, others], without.supply[:, others])


def test_scheme_groups_follow_type_then_sector():
    plan = _plan()
    assert scheme_groups(plan.schemes[0]) == ("ahp", "community")


def test_delivery_array_of_the_wrong_shape_is_a_plan_error():
    with pytest.raises(PlanError, match="expected"):
        workforce_gap(plan=_plan(), draws=1, delivery=np.ones((1, 2, 6)))


def test_undelivered_scheme_adds_no_community_need():
    none = workforce_gap(plan=_plan(), draws=1, delivery=np.zeros((1, 1, 6))).table
    base = workforce_gap(draws=1, footprint="E54000005").table
    assert np.allclose(none["required"], base["required"])


# --- the England run ----------------------------------------------------------------------------

def test_every_footprint_has_each_groups_2020_21_gap_with_its_uncertainty(england):
    rows = england.table[england.table["year"] == "2020/21"]
    assert len(rows) == 44 * len(GROUPS)
    assert (rows["gap_p10"] <= rows["gap_p90"]).all()
    assert rows[["gap", "gap_p10", "gap_p90"]].notna().all().all()


def test_footprints_add_up_to_england(england):
    summed = england.table.groupby(["group", "year"])[["required", "supply", "gap"]].sum()
    eng = england.england.set_index(["group", "year"])[["required", "supply", "gap"]]
    assert np.allclose(summed.loc[eng.index], eng, rtol=1e-9)


def test_base_year_reproduces_the_national_baseline(england):
    params = load_parameters()
    base = england.england[england.england["year"] == "2015/16"].set_index("group")
    for group in GROUPS:
        in_post = params.value(param_prefix(group) + "in_post")
        rate = params.value(param_prefix(group) + "vacancy_rate")
        assert base.loc[group, "supply"] == pytest.approx(in_post)
        assert base.loc[group, "gap"] == pytest.approx(in_post * rate / (1 - rate))
        assert base.loc[group, "agency_cost"] == 0


def test_england_baseline_is_labelled_apportioned(england):
    assert (england.baseline["method"] == "apportioned").all()
    assert "apportioned" in england.notes[0]


def test_same_seed_same_result_and_draw_zero_is_central():
    a = workforce_gap(draws=20, seed=7, footprint="E54000005").table
    b = workforce_gap(draws=20, seed=7, footprint="E54000005").table
    c = workforce_gap(draws=1, seed=99, footprint="E54000005").table
    assert a.equals(b)
    assert np.allclose(a["gap"], c["gap"])  # draw 0 does not depend on seed or draws


def test_finance_table_adds_workforce_cost_to_the_gap(england):
    fin = england.finance
    assert np.allclose(fin["gap_with_workforce"], fin["gap"] + fin["workforce_cost"])
    total = fin.groupby("year")["workforce_cost"].sum()
    cost = england.table.groupby("year")["agency_cost"].sum()
    assert np.allclose(total, cost.loc[total.index])


# --- command line ---------------------------------------------------------------------------------

def test_cli_workforce_json_for_a_footprint(cli):
    run = cli("workforce", "--footprint", "E54000005", "--draws", "30", "--format", "json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["year"] == "2020/21" and len(doc["england"]) == len(GROUPS)
    assert {r["group"] for r in doc["rows"]} == set(GROUPS)


def test_cli_workforce_plan_without_workforce_section_says_none(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(workforce=""), encoding="utf-8")
    run = cli("workforce", str(path), "--draws", "10", "--format", "json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["workforce_plan"] == "none" and doc["readiness"][0]["id"] == "community-teams"
    table = cli("workforce", str(path), "--draws", "10")
    assert "Workforce plan: none" in " ".join(table.stderr.split())


def test_cli_workforce_bad_input_is_one_line_and_exit_2(cli):
    bad = cli("workforce", "--footprint", "nowhere at all", "--draws", "5")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    year = cli("workforce", "--footprint", "E54000005", "--draws", "5", "--year", "2030/31")
    assert year.returncode == 2 and "2030/31" in year.stderr
