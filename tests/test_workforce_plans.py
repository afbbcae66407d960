"""Workforce for many plans in one run: each plan's rows are exactly its single-plan rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from openstp import data
from openstp.errors import PlanError
from openstp.plan import parse_plan_text
from openstp.risk import builtin_plan, simulate
from openstp.workforce import GROUPS, run_workforce, workforce_gap, workforce_gaps
from openstp.workforce.api import plan_params
from openstp.workforce.baseline import baseline_table
from openstp.workforce.readiness import readiness_table
from openstp.workforce.tables import finance_table, gap_table

DRAWS, SEED = 61, 3
STAFFED = """
footprint: E54000005
name: A plan with a workforce section
schemes:
  - id: community-teams
    name: Community teams avoid admissions
    type: demand_management_non_elective
    owner: 02R
    sector: acute
    start_year: 2016/17
    saving: {2016/17: 20000000, 2017/18: 20000000, 2018/19: 20000000, 2019/20: 20000000,
      2020/21: 20000000}
    workforce_dependent: true
bed_changes:
  - {id: cut, trust: RWY, year: 2018/19, change: -40}
workforce:
  community:
    2016/17: {recruitment: 300, training_places: 40}
  nurses_midwives:
    2017/18: {recruitment: 100, retention_change: 20, training_places: 150}
"""
CLOSURES = "E54000012"  # a built-in plan that closes beds
OTHER = "E54000036"


@pytest.fixture(scope="module")
def plans():
    staffed, _ = parse_plan_text(STAFFED)
    return [staffed, builtin_plan(CLOSURES), builtin_plan(OTHER)]


@pytest.fixture(scope="module")
def delivery(plans):
    risk = simulate(plans, draws=DRAWS - 1, seed=SEED, keep_delivered=True)
    return {code: risk.delivered_share(code)[:DRAWS] for code in risk.footprints}


@pytest.fixture(scope="module")
def together(plans, delivery):
    return workforce_gaps(plans, draws=DRAWS, seed=SEED, delivery=delivery)


def whole_set(plan, delivery):
    """The single-plan call as it always ran: every footprint of the set simulated with the
    plan, then the plan's footprint's rows kept."""
    code = plan.footprint
    run = run_workforce(plan.footprint_set, plan_params(None, plan),
                        (plan.base_year, plan.horizon), draws=DRAWS, seed=SEED,
                        plans={code: plan}, delivery={code: delivery})
    names = data.footprints(plan.footprint_set).set_index("code")["name"]
    tables = {"table": gap_table(run, names), "finance": finance_table(run),
              "baseline": baseline_table(run.footprints, names, run.in_post,
                                         run.staff.vacancy_rate[:, 1])}
    out = {k: t[t["footprint"] == code].reset_index(drop=True) for k, t in tables.items()}
    out["readiness"] = readiness_table(plan, run.for_plan(code, plan))
    return out


def test_plans_cover_a_workforce_section_bed_closures_and_risk_delivery(plans, together):
    assert [p.footprint for p in plans] == list(together)
    assert together["E54000005"].workforce_plan == "present"
    assert (together[CLOSURES].readiness["kind"] == "bed_closure").any()
    assert all("simulated by the risk model" in r.notes[2] for r in together.values())


@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_plans_rows_equal_the_whole_set_run_exactly(plans, delivery, together, index):
    plan = plans[index]
    result = together[plan.footprint]
    reference = whole_set(plan, delivery[plan.footprint])
    single = workforce_gap(plan=plan, draws=DRAWS, seed=SEED, delivery=delivery[plan.footprint])
    for name, expected in reference.items():
        pd.testing.assert_frame_equal(getattr(result, name), expected, check_exact=True)
        pd.testing.assert_frame_equal(getattr(single, name), expected, check_exact=True)
    assert single.notes == result.notes


def test_a_plan_run_simulates_only_its_footprint(plans, together):
    assert together[OTHER].run.footprints == [p.footprint for p in plans]
    one = workforce_gap(plan=plans[2], draws=5)
    assert one.run.footprints == [OTHER] and one.table["footprint"].eq(OTHER).all()
    assert "england" not in vars(one)  # England waits until it is read
    assert len(one.england) == len(GROUPS) * len(plans[2].years())


def test_england_sums_every_footprint_with_every_plan(plans, delivery, together):
    england = together[OTHER].england
    assert england is together["E54000005"].england  # one table, computed once
    first = plans[0]
    run = run_workforce(first.footprint_set, plan_params(None, first),
                        (first.base_year, first.horizon), draws=DRAWS, seed=SEED,
                        plans={p.footprint: p for p in plans}, delivery=delivery)
    assert len(run.footprints) == 44
    assert np.allclose(england["required"], run.required[0].sum(axis=0).ravel(), rtol=1e-12)
    assert np.allclose(england["supply"], run.supply[0].sum(axis=0).ravel(), rtol=1e-12)


def test_plans_with_their_own_assumptions_keep_them(plans, delivery):
    cautious = plans[1].model_copy(update={"assumptions": {"workforce.flows.plan_fill_rate": 0.5,
                                                           "workforce.staff.doctors.net_growth":
                                                           0.0}})
    mixed = [plans[0], cautious, plans[2]]
    results = workforce_gaps(mixed, draws=DRAWS, seed=SEED, delivery=delivery)
    alone = workforce_gap(plan=cautious, draws=DRAWS, seed=SEED, delivery=delivery[CLOSURES])
    pd.testing.assert_frame_equal(results[CLOSURES].table, alone.table, check_exact=True)
    plain = workforce_gaps(plans, draws=DRAWS, seed=SEED, delivery=delivery)
    assert not results[CLOSURES].table["supply"].equals(plain[CLOSURES].table["supply"])
    pd.testing.assert_frame_equal(results[OTHER].table, plain[OTHER].table, check_exact=True)
    england = results[OTHER].england
    assert len(england) == len(GROUPS) * len(plans[0].years())
    assert np.isfinite(england[["required", "supply", "gap"]].to_numpy()).all()


def test_two_plans_for_one_footprint_are_a_plan_error(plans):
    with pytest.raises(PlanError, match="second plan"):
        workforce_gaps([plans[2], plans[2]], draws=1)
