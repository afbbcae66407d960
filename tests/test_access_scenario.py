"""Reconfiguration scenarios: nearest sites, closures and openings, plan changes, equity
summaries, the mortality estimate and closure sweeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstp.access import (
    Change,
    Gradient,
    build_model,
    closure_sweep,
    plan_changes,
    run_scenario,
    scenario_deaths,
    summarise,
)
from openstp.access.equity import weighted_quantile
from openstp.errors import OpenSTPError, UnknownCodeError
from openstp.params import builtin_parameters

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_example.yaml"


@pytest.fixture(scope="module")
def ed():
    return build_model("ed")


@pytest.mark.parametrize("service", ["maternity", "neonatal", "stroke", "thrombectomy"])
def test_every_lsoa_gets_a_nearest_site_for_every_service(service):
    model = build_model(service)
    rows = np.arange(model.n_areas)
    assert model.n_areas == 32_844
    assert ((model.best >= 0) & (model.best < len(model.sites))).all()
    assert np.isfinite(model.travel.minutes[rows, model.best]).all()
    assert (model.travel.minutes[rows, model.best] <= model.travel.minutes.min(axis=1)).all()


def test_every_lsoa_gets_a_nearest_ed(ed):
    before = run_scenario(ed).before
    assert np.isfinite(before.minutes).all() and len(before.site) == 32_844


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_closing_sites_never_shortens_a_journey(ed, draw):
    m = len(ed.sites)
    cols = draw.draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=8, unique=True))
    changes = [Change(site=ed.sites["site_id"].iloc[c], action="close") for c in cols]
    s = run_scenario(ed, changes)
    assert (s.after.minutes >= s.before.minutes).all()
    # Same as recomputing every area from scratch over the open sites.
    naive = np.where(s.closed[None, :], np.inf, ed.travel.minutes).min(axis=1)
    assert np.array_equal(s.after.minutes, naive)


def test_closing_a_site_moves_only_the_areas_whose_nearest_it_was(ed):
    s = run_scenario(ed, [Change(site="RWY01", action="close")])
    col = ed.sites["site_id"].tolist().index("RWY01")
    was_nearest = s.before.site == col
    moved = s.after.site != s.before.site
    assert was_nearest.sum() > 50
    assert np.array_equal(moved, was_nearest)
    assert (s.after.minutes[~was_nearest] == s.before.minutes[~was_nearest]).all()


def test_opening_a_site_never_lengthens_a_journey(ed):
    s = run_scenario(ed, [Change(site="RVVKC", action="open"),
                          Change(site="NEW1", action="open", easting=430_000.0,
                                 northing=560_000.0, name="New ED")])
    assert (s.after.minutes <= s.before.minutes).all()
    assert (s.after.site >= len(ed.sites)).sum() > 0
    assert s.site_table["status"].tolist()[-2:] == ["new", "new"]


def test_site_change_errors_are_clear(ed):
    with pytest.raises(UnknownCodeError, match="has no ed in the site table"):
        run_scenario(ed, [Change(site="RYJ04", action="close")])  # Queen Charlotte's
    with pytest.raises(UnknownCodeError, match="no ed site matches"):
        run_scenario(ed, [Change(site="ZZZ99", action="close")])
    with pytest.raises(UnknownCodeError, match="needs its coordinates"):
        run_scenario(ed, [Change(site="ZZZ99", action="open")])
    with pytest.raises(OpenSTPError, match="unknown action"):
        run_scenario(ed, [Change(site="RWY01", action="demolish")])


def test_plan_changes_by_service_and_year():
    changes = plan_changes(EXAMPLE, "ed")
    assert [(c.site, c.action, c.year) for c in changes] == [
        ("RWY01", "downgrade", "2019/20")]
    assert plan_changes(EXAMPLE, "ed", year="2018/19") == []
    assert plan_changes(EXAMPLE, "maternity") == []


def test_summary_is_population_weighted_and_splits_by_equity_group(ed):
    s = run_scenario(ed, [Change(site="RWY01", action="close")])
    table = summarise(s, deaths=scenario_deaths(s)).set_index("group")
    w = ed.users
    assert table.loc["all", "users"] == pytest.approx(w.sum())
    assert table.loc["all", "mean_minutes_after"] == pytest.approx(
        (w * s.after.minutes).sum() / w.sum(), rel=1e-6)
    quintiles = table.loc[[g for g in table.index if g.startswith("IMD")], "users"].sum()
    assert quintiles == pytest.approx(w.sum())
    assert table.loc["urban", "users"] + table.loc["rural", "users"] == pytest.approx(w.sum())
    assert (table["beyond_30min_after"] >= table["beyond_30min_before"]).all()
    low, mid, high = table.loc["all", ["extra_deaths_estimate_low", "extra_deaths_estimate",
                                       "extra_deaths_estimate_high"]]
    assert 0 < low < mid < high


def test_weighted_quantile():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(values, np.array([1.0, 1.0, 1.0, 1.0]), 0.9) == 4.0
    assert weighted_quantile(values, np.array([10.0, 0.0, 0.0, 1.0]), 0.5) == 1.0


def test_gradient_reproduces_the_papers_summary():
    g = Gradient.from_params(builtin_parameters())
    assert g.risk(np.array(5.0)) == pytest.approx(0.062)
    plus_10km = g.risk(np.array(15.0)) - g.risk(np.array(5.0))
    assert 0.009 < plus_10km < 0.014  # "around a 1% absolute increase" per 10 km
    deaths = g.extra_deaths(np.array([1000.0]), np.array([5.0]), np.array([5.0]))
    assert (deaths == 0).all()


def test_deaths_only_for_emergency_care():
    s = run_scenario(build_model("stroke"))
    assert scenario_deaths(s) is None


def test_sweep_equals_one_closure_at_a_time(ed):
    sweep = closure_sweep(ed).set_index("site_id")
    assert len(sweep) == len(ed.sites) and sweep["rank"].min() == 1
    for site in ("RWY01", "RAE01", "RK950"):
        s = run_scenario(ed, [Change(site=site, action="close")])
        table = summarise(s, deaths=scenario_deaths(s)).set_index("group").loc["all"]
        newly = table["beyond_30min_after"] - table["beyond_30min_before"]
        assert sweep.loc[site, "newly_beyond_30min"] == pytest.approx(newly)
        assert sweep.loc[site, "extra_deaths_estimate"] == pytest.approx(
            table["extra_deaths_estimate"], rel=1e-6)
        users = ed.users[s.before.site == ed.sites["site_id"].tolist().index(site)].sum()
        assert sweep.loc[site, "users_nearest"] == pytest.approx(users)


def test_sweep_rank_by_is_checked(ed):
    with pytest.raises(OpenSTPError, match="unknown 'worst'"):
        closure_sweep(ed, rank_by="worst")
    ranked = closure_sweep(ed, rank_by="deaths")
    assert ranked["extra_deaths_estimate"].is_monotonic_decreasing


def test_a_users_site_table_replaces_the_builtin_one(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site_id,name,postcode,easting,northing,ed\n"
                    "CRH,Calderdale Royal,HX3 0PW,409505,423164,1\n"
                    "HRI,Huddersfield Royal,HD3 3EA,412237,417680,1\n"
                    "SJ,St James's,,432000,435000,1\n")
    model = build_model("ed", sites=path)
    assert model.sites["site_id"].tolist() == ["CRH", "HRI", "SJ"]
    methods = model.travel.method
    assert (methods[:, 0] == 1).mean() > 0.99  # CRH's postcode is in the road matrix
    assert (methods[:, 1:] == 0).all()  # the others are estimated
    s = run_scenario(model, [Change(site="Huddersfield", action="close")])
    assert set(np.unique(s.after.site)) <= {0, 2}


def test_public_api_names_exist():
    from openstp import access

    assert sorted(access.__all__) == sorted(set(access.__all__))
    for name in access.__all__:
        assert getattr(access, name) is not None
