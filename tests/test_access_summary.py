"""Fast paths of the access model checked against the plain computation they replace: the equity
summary against a group-by-group reference kept in this file (on random scenarios and on
England's), sort keys against a stable argsort, deaths of moved areas against the full
gradient, every sweep row against its closure run alone, and the kept built-in models."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from openstp.access import (
    SERVICES,
    AccessModel,
    Change,
    build_model,
    closure_sweep,
    run_scenario,
    scenario_deaths,
    summarise,
)
from openstp.access.equity import groups
from openstp.access.model import Assignment
from openstp.access.order import order_of, sorted_keys, updated_keys
from openstp.access.travel import KM_PER_MILE, EstimateModel, Travel
from openstp.params import builtin_parameters, load_parameters


def _quantile(values, weights, q, order):
    total = weights.sum()
    if total <= 0:
        return float("nan")
    cum = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cum, q * total), len(cum) - 1)])


def reference_summary(scenario, scope=None, minutes=(30, 45, 60), miles=(10, 20, 50),
                      deaths=None, extra_groups=()):
    """The summary group by group, one masked sum at a time."""
    model = scenario.model
    scope = np.ones(model.n_areas, bool) if scope is None else scope
    w = model.users
    b, a = scenario.before, scenario.after
    order = {"before": np.argsort(b.minutes, kind="stable"),
             "after": np.argsort(a.minutes, kind="stable")}

    def mean(values, weights):
        total = weights.sum()
        return float((values * weights).sum() / total) if total > 0 else float("nan")

    rows = []
    for name, mask in [*groups(model.areas, scope), *extra_groups]:
        wm = w * mask
        row = {"group": name, "lsoas": int(mask.sum()), "users": wm.sum()}
        for tag, s in (("before", b), ("after", a)):
            row[f"mean_minutes_{tag}"] = mean(s.minutes, wm)
            row[f"p90_minutes_{tag}"] = _quantile(s.minutes, wm, 0.9, order[tag])
            row[f"mean_km_{tag}"] = mean(s.km, wm)
        for t in minutes:
            for tag, s in (("before", b), ("after", a)):
                row[f"beyond_{t:g}min_{tag}"] = float((wm * (s.minutes > t)).sum())
        for mi in miles:
            for tag, s in (("before", b), ("after", a)):
                row[f"beyond_{mi:g}mi_{tag}"] = float((wm * (s.km > mi * KM_PER_MILE)).sum())
        for tag, s in (("before", b), ("after", a)):
            row[f"estimated_share_{tag}"] = mean((s.method == 0).astype(float), wm)
        if deaths is not None:
            central, low, high = (deaths * mask).sum(axis=1)
            row.update(extra_deaths_estimate=central, extra_deaths_estimate_low=low,
                       extra_deaths_estimate_high=high)
        rows.append(row)
    return pd.DataFrame(rows)


def assert_same_summary(new: pd.DataFrame, ref: pd.DataFrame) -> None:
    """Same columns in the same order, counts exact, floats within 1e-9 relative."""
    assert list(new.columns) == list(ref.columns)
    assert new["group"].tolist() == ref["group"].tolist()
    assert new["lsoas"].dtype == np.int64 and (new["lsoas"] == ref["lsoas"]).all()
    for col in new.columns[2:]:
        np.testing.assert_allclose(new[col].to_numpy(float), ref[col].to_numpy(float),
                                   rtol=1e-9, atol=0, err_msg=col)


def small_model(n: int, m: int, draw) -> AccessModel:
    """A model of ``n`` areas and ``m`` sites with tied minutes and zero weights drawn."""
    quarter = hnp.arrays(np.int64, (n, m), elements=st.integers(4, 400))
    minutes = (draw(quarter) / 4).astype(np.float32)
    km = (draw(quarter) / 8).astype(np.float32)
    method = draw(hnp.arrays(np.int8, (n, m), elements=st.integers(0, 2)))
    users = draw(hnp.arrays(float, n, elements=st.one_of(
        st.just(0.0), st.integers(1, 3000).map(float), st.floats(0.01, 500.0))))
    areas = pd.DataFrame({
        "imd_quintile": draw(hnp.arrays(np.int8, n, elements=st.integers(1, 5))),
        "rural": draw(hnp.arrays(bool, n)), "persons": users})
    sites = pd.DataFrame({"site_id": [f"S{j}" for j in range(m)],
                          "name": [f"Site {j}" for j in range(m)]})
    params = builtin_parameters()
    return AccessModel(service=SERVICES["ed"], areas=areas, sites=sites, all_sites=sites,
                       travel=Travel(minutes, km, method), users=users,
                       estimate=EstimateModel.from_params(params), params=params, matrices=())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_summary_equals_the_group_by_group_reference_on_random_scenarios(data):
    draw = data.draw
    n, m = draw(st.integers(1, 120)), draw(st.integers(2, 6))
    model = small_model(n, m, draw)
    closed = draw(st.lists(st.integers(0, m - 1), max_size=m - 1, unique=True))
    scenario = run_scenario(model, [Change(site=f"S{j}", action="close") for j in closed])
    if draw(st.booleans()):  # any before and after, not only the model's baseline and re-rank
        other = small_model(n, m, draw)
        pick = draw(hnp.arrays(np.int64, n, elements=st.integers(0, m - 1)))
        scenario = dataclasses.replace(scenario, after=Assignment.at(other.travel, pick))
    bools = hnp.arrays(bool, n)
    scope = draw(bools)
    extra = [(f"extra {i}", draw(bools)) for i in range(draw(st.integers(0, 3)))]
    thresholds = st.lists(st.sampled_from([5.0, 12.5, 30, 45.0, 60, 80.25]), min_size=1,
                          max_size=4)
    minutes, miles = draw(thresholds), draw(thresholds)
    deaths = draw(hnp.arrays(float, (3, n), elements=st.floats(-5, 5)))
    args = {"scope": scope, "minutes": minutes, "miles": miles, "deaths": deaths,
            "extra_groups": extra}
    assert_same_summary(summarise(scenario, **args), reference_summary(scenario, **args))


@pytest.fixture(scope="module")
def ed():
    return build_model("ed")


def test_summary_equals_the_reference_for_england_and_a_footprint(ed):
    s = run_scenario(ed, [Change(site=c, action="close") for c in ("RWY01", "RAE01", "RK950")]
                     + [Change(site="NEW1", action="open", easting=430_000.0,
                               northing=560_000.0)])
    deaths = scenario_deaths(s)
    assert_same_summary(summarise(s, deaths=deaths), reference_summary(s, deaths=deaths))
    scope = (ed.areas["stp2017"] == "E54000020").to_numpy()  # West Yorkshire
    args = {"scope": scope, "minutes": (20, 45), "miles": (5,), "deaths": deaths,
            "extra_groups": [("England (all LSOAs)", np.ones(ed.n_areas, bool))]}
    assert_same_summary(summarise(s, **args), reference_summary(s, **args))
    # Another scenario with the same groups reuses the baseline's figures the model kept.
    other = run_scenario(ed, [Change(site="RWY02", action="close")])
    args["deaths"] = scenario_deaths(other)
    assert_same_summary(summarise(other, **args), reference_summary(other, **args))


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


def test_every_sweep_row_equals_that_closure_run_alone(ed):
    sweep = closure_sweep(ed).set_index("site_id")
    w, persons = ed.users, ed.areas["persons"].to_numpy(float)
    for col, site in enumerate(ed.sites["site_id"]):
        s = run_scenario(ed, [Change(site=site, action="close")])
        b, a = s.before, s.after
        moved = b.site == col
        row = sweep.loc[site]
        assert row["users_nearest"] == pytest.approx(w[moved].sum(), rel=1e-9)
        assert row["extra_user_minutes"] == pytest.approx(
            (w * (a.minutes - b.minutes)).sum(), rel=1e-9, abs=1e-9)
        assert row["newly_beyond_30min"] == pytest.approx(
            (w * ((a.minutes > 30) & (b.minutes <= 30))).sum(), rel=1e-9, abs=1e-9)
        assert row["newly_beyond_10mi"] == pytest.approx(
            (w * ((a.km > 10 * KM_PER_MILE) & (b.km <= 10 * KM_PER_MILE))).sum(),
            rel=1e-9, abs=1e-9)
        deaths = ed.gradient.extra_deaths(persons, b.km, a.km)[0].sum()
        assert row["extra_deaths_estimate"] == pytest.approx(deaths, rel=1e-9, abs=1e-12)


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


def test_deaths_estimate_is_capped_and_flagged_beyond_the_studys_distances():
    from openstp.access import assess_access
    from openstp.params import builtin_parameters

    # Cornwall's only type 1 emergency department: most residents would travel past 58 km
    capped = assess_access("ed", footprint="cornwall", close=["REF12"]).headline()
    deaths = capped["extra_deaths_estimate"]
    assert deaths["capped"] and deaths["people_beyond_study_range"] > 100_000
    assert "58 km" in deaths["caveat"] and deaths["caveat"] == capped["notes"][0]
    uncapped = assess_access("ed", footprint="cornwall", close=["REF12"],
                             params=builtin_parameters().with_overrides(
                                 {"access.mortality.study_max_km": 1000})).headline()
    assert not uncapped["extra_deaths_estimate"]["capped"]
    assert deaths["central"] < uncapped["extra_deaths_estimate"]["central"]
    assert capped["share_beyond_30km_after"] > capped["share_beyond_30km"]


def test_a_change_within_the_studys_distances_is_not_flagged():
    from openstp.access import assess_access

    head = assess_access("ed", footprint="west york", close=["RWY01"]).headline()
    assert not head["extra_deaths_estimate"]["capped"]
    assert head["extra_deaths_estimate"]["caveat"] is None


def test_ed_users_weigh_residents_by_their_use_of_hospital_care():
    from openstp.access.areas import small_areas

    areas = small_areas()
    assert areas["ed_users"].sum() == pytest.approx(areas["persons"].sum())
    old = areas["persons_65plus"] / areas["persons"]
    ratio = areas["ed_users"] / areas["persons"]
    assert ratio[old > old.quantile(0.9)].mean() > 1.2 * ratio[old < old.quantile(0.1)].mean()
