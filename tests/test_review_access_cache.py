"""The review's access assessments are kept between what-ifs, keyed on all they read."""

import pandas as pd
import pytest

from openstp.access import assess_access
from openstp.params import builtin_parameters
from openstp.review.access import _assessed, plan_access
from openstp.risk import builtin_plan


@pytest.fixture(scope="module")
def plan():
    plan = builtin_plan("E54000005")
    assert plan.site_changes
    return plan


def test_a_second_assessment_of_the_same_plan_is_not_recomputed(plan):
    params = builtin_parameters()
    first = plan_access(plan, 45, params)
    misses = _assessed.cache_info().misses
    again = plan_access(plan, 45, params.with_overrides({"gap.growth.non_demographic.acute":
                                                         0.03}))
    assert _assessed.cache_info().misses == misses
    for service, result in first.items():
        pd.testing.assert_frame_equal(again[service]["summary"], result["summary"])
        assert again[service]["headline"] == result["headline"]


def test_kept_assessment_is_the_one_computed_afresh(plan):
    params = builtin_parameters()
    kept = plan_access(plan, 45, params)
    plan_access(plan, 45, params)
    service = min(kept)
    fresh = assess_access(service, plan=plan, params=params, minutes=(30, 45, 60))
    pd.testing.assert_frame_equal(kept[service]["summary"], fresh.summary())
    assert kept[service]["headline"] == fresh.headline()


def test_a_callers_change_does_not_reach_the_next_caller(plan):
    params = builtin_parameters()
    first = plan_access(plan, 45, params)
    service = min(first)
    first[service]["summary"].loc[:, "users"] = -1.0
    first[service]["lsoas"].loc[:, "minutes_after"] = -1.0
    first[service]["headline"]["notes"].append("changed")
    again = plan_access(plan, 45, params)[service]
    assert (again["summary"]["users"] >= 0).all()
    assert (again["lsoas"]["minutes_after"] >= 0).all()
    assert "changed" not in again["headline"]["notes"]


def test_a_changed_access_parameter_or_site_change_gives_a_new_answer(plan):
    params = builtin_parameters()
    base = plan_access(plan, 45, params)
    service = min(base)
    misses = _assessed.cache_info().misses
    slower = plan_access(plan, 45, params.with_overrides({"access.travel.circuity": 1.6}))
    assert _assessed.cache_info().misses == misses + 1
    assert not slower[service]["lsoas"]["minutes_after"].equals(
        base[service]["lsoas"]["minutes_after"])
    fewer = plan.model_copy(update={"site_changes": plan.site_changes[1:]})
    plan_access(fewer, 45, params)
    plan_access(plan, 60, params)
    assert _assessed.cache_info().misses == misses + 3
