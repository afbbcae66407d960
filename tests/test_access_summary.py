"""Fast paths of the access model checked against the plain computation they replace: sort
keys against a stable argsort, deaths of moved areas against the full gradient, and the kept
built-in models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from openstp.access import Change, build_model, run_scenario, scenario_deaths
from openstp.access.order import order_of, sorted_keys, updated_keys
from openstp.params import load_parameters


@pytest.fixture(scope="module")
def ed():
    return build_model("ed")


def test_deaths_are_computed_for_moved_areas_and_equal_the_full_gradient(ed):
    s = run_scenario(ed, [Change(site="RWY01", action="close")])
    full = ed.gradient.extra_deaths(ed.areas["persons"].to_numpy(float), s.before.km,
                                    s.after.km)
    assert np.array_equal(scenario_deaths(s), full)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_sort_keys_order_like_a_stable_argsort_and_update_like_one(data):
    specials = st.sampled_from([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan, 7.0])
    value = st.one_of(specials, st.floats(-1e6, 1e6, width=32))
    n = data.draw(st.integers(1, 60))
    before = data.draw(hnp.arrays(np.float32, n, elements=value))
    after = np.where(data.draw(hnp.arrays(bool, n)), data.draw(
        hnp.arrays(np.float32, n, elements=value)), before).astype(np.float32)
    keys = sorted_keys(before)
    assert np.array_equal(order_of(keys), np.argsort(before, kind="stable"))
    assert np.array_equal(order_of(updated_keys(keys, before, after)),
                          np.argsort(after, kind="stable"))


def test_builtin_models_are_kept_and_shared_read_only(ed):
    again = build_model("ed")
    assert again.travel.minutes is ed.travel.minutes and again.baseline is ed.baseline
    with pytest.raises(ValueError, match="read-only"):
        again.travel.minutes[0, 0] = 0
    assert run_scenario(ed).before is ed.baseline
    # Other mortality parameters share the arrays but not the gradient.
    params = load_parameters(overrides={"access.mortality.baseline_risk": 0.1})
    other = build_model("ed", params=params)
    assert other.travel is ed.travel and other.params is params
    assert other.gradient.baseline_risk == 0.1 != ed.gradient.baseline_risk
    # Other travel parameters, or cache=False, build afresh.
    slower = load_parameters(overrides={"access.travel.intercept_minutes": 9.0})
    assert build_model("ed", params=slower).travel is not ed.travel
    fresh = build_model("ed", cache=False)
    assert fresh.travel is not ed.travel
    assert np.array_equal(fresh.travel.minutes, ed.travel.minutes)
