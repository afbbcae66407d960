"""The what-if's real questions without a browser: savings by year, the plan's own bed changes,
opening and closing sites, delivery by scheme type, and what the form offers."""

import re

import httpx
import pytest
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures
from test_web_api import GROWTH, live_app  # noqa: F401 - fixture

from openstp.errors import PlanError
from openstp.plan import load_plan
from openstp.report import load_results
from openstp.web.form import form_scenario
from openstp.web.plans import PlanStore
from openstp.web.scenario import Scenario, apply_scenario, chain_engine
from openstp.web.service import Service
from openstp.web.sites import footprint_sites, offered, site_rows
from openstp.web.views import delivery_fields, form_context

WY = "E54000005"


@pytest.fixture
def plan(sample_folder):  # noqa: F811
    return load_plan(sample_folder / "plans" / f"{WY}.yaml")


def test_one_year_of_a_saving_changes_alone(plan):
    scheme = next(s for s in plan.schemes if len([v for v in s.saving.values() if v]) > 2)
    year = sorted(y for y, v in scheme.saving.items() if v)[1]
    new = apply_scenario(plan, Scenario(schemes={scheme.id: {"savings": {year: 1_234_000}}}), {})
    changed = new.scheme(scheme.id).saving
    assert changed[year] == 1_234_000
    assert {y: v for y, v in changed.items() if y != year} == {
        y: v for y, v in scheme.saving.items() if y != year}


def test_a_saving_sent_back_rounded_to_a_tenth_of_a_million_is_not_a_change(plan):
    scheme = plan.schemes[0]
    shown = {y: round(v / 1e6, 1) * 1e6 for y, v in scheme.saving.items()}
    new = apply_scenario(plan, Scenario(schemes={scheme.id: {"savings": shown}}), {})
    assert new.scheme(scheme.id).saving == scheme.saving


def test_the_plans_own_bed_change_can_be_resized_and_no_other(plan):
    bed = plan.bed_changes[0]
    new = apply_scenario(plan, Scenario(beds={bed.id: -10}), {})
    assert new.bed_changes[0].change == -10
    with pytest.raises(PlanError, match="no bed change with id someone-elses"):
        apply_scenario(plan, Scenario(beds={"someone-elses": -500}), {})


def test_closing_and_reopening_a_site_adds_then_removes_a_site_change(plan):
    site = footprint_sites(WY, "stp2017")
    ed = site[site["ed"]].iloc[0]["site_id"]
    closed = apply_scenario(plan, Scenario(sites={f"{ed}:ed": False}), {})
    change = [c for c in closed.site_changes if c.site == ed]
    assert [(c.service.value, c.action.value, c.year) for c in change] == [
        ("ed", "close", plan.horizon)]
    assert offered(closed)[(ed, "ed")] is False
    reopened = apply_scenario(closed, Scenario(sites={f"{ed}:ed": True}), {})
    assert reopened.site_changes == plan.site_changes
    with pytest.raises(PlanError, match="not a site and service of E54000005: RXX99:ed"):
        apply_scenario(plan, Scenario(sites={"RXX99:ed": False}), {})


def test_opening_a_service_at_a_site_without_it_is_a_plan_change(plan):
    rows = site_rows(plan)
    site, svc = next((r["id"], s["service"]) for r in rows for s in r["services"] if not s["on"])
    opened = apply_scenario(plan, Scenario(sites={f"{site}:{svc}": True}), {})
    assert [(c.site, c.action.value) for c in opened.site_changes
            if c.service.value == svc] == [(site, "open")]


def test_a_closed_site_gives_minutes_per_area_for_the_map(plan):
    site = footprint_sites(WY, "stp2017")
    ed = site[site["ed"]].iloc[0]["site_id"]
    closed = apply_scenario(plan, Scenario(sites={f"{ed}:ed": False}), {})
    points = chain_engine(closed, draws=50).tables["access_lsoa"]
    assert set(points["service"]) == {"ed"} and set(points["footprint"]) == {WY}
    assert points[["lon", "lat"]].notna().all().all()
    assert (points["minutes_after"] >= points["minutes_before"]).all()
    assert (points["minutes_after"] > points["minutes_before"]).any()
    unchanged = plan.model_copy(update={"site_changes": []})
    assert "access_lsoa" not in chain_engine(unchanged, draws=50).tables


def test_the_form_reads_years_beds_and_sites():
    s = form_scenario({"s.cip.saving.2018/19": "12.3", "b.cut": "-25",
                       "site.RAE01:ed": "0", "site.RAE01:stroke": "1"})
    assert s.schemes["cip"].savings == {"2018/19": 12_300_000}
    assert s.beds == {"cut": -25} and s.sites == {"RAE01:ed": False, "RAE01:stroke": True}


def test_the_form_offers_delivery_by_scheme_type_and_only_this_plans_beds(sample, plan):  # noqa: F811
    assumptions = sample.tables["assumptions"]
    delivery = delivery_fields(assumptions, plan)
    assert {d["type"] for d in delivery} == {s.type.value for s in plan.schemes}
    assert [a["stat"] for a in delivery[0]["items"]] == ["p10", "median", "p90"]
    service = Service(sample.folder, sample.folder / "no-plans")
    try:
        context = form_context(service.view(WY, None), plan, assumptions, plan.horizon)
    finally:
        service.close()
    paths = [i["path"] for g in context["keys"] for i in g["items"]]
    assert not [p for p in paths if p.startswith(("plans.", "risk.delivery."))]
    assert [b["id"] for b in context["bed_changes"]] == [b.id for b in plan.bed_changes]
    assert all(len(f"{v['m']}".split(".")[1]) == 1 for s in context["form_schemes"]
               for v in s["savings"])
    assert context["reviewed_label"] == "built-in"


def test_built_in_plans_are_labelled_built_in(sample_folder, tmp_path):  # noqa: F811
    results = load_results(sample_folder)
    assert results.england["plans"].startswith("built-in plans")
    store = PlanStore(tmp_path, reviewed=sample_folder / "plans")
    from openstp.web.links import WebLinks
    from openstp.web.views import plans_table

    table = plans_table(store.list(), set(results.footprints()), WebLinks(), builtin=True)
    assert {row[-1].text for row in table.rows} == {"built-in"}
    assert {row[-1].text for row in plans_table(store.list(), set(), WebLinks()).rows} == {
        "reviewed"}


def test_the_diff_of_two_plans_says_what_changed_and_by_how_much(live_app):  # noqa: F811
    url, _, _ = live_app
    with httpx.Client(base_url=url, timeout=60) as c:
        saved = c.post(f"/api/footprints/{WY}/scenario/save", json={
            "name": "diff-me", "assumptions": {GROWTH: 0.038}})
        assert saved.status_code == 201, saved.text
        body = c.get("/api/diff", params={"old": WY, "new": "diff-me"}).json()
        assert body["plan"][0] == {"field": f"assumptions.{GROWTH}", "old": None,
                                   "new": 0.038, "change": "added"}
        row = body["footprint"][0]
        assert row["gap_left_new"] > row["gap_left_old"]
        assert row["gap_left_change"] == pytest.approx(row["gap_left_new"] - row["gap_left_old"])
        page = c.get("/diff", params={"old": WY, "new": "diff-me"}).text
        assert "West Yorkshire: old → new" in page and "Gap left after the plan" in page
        other = c.get("/api/diff", params={"old": WY, "new": "E54000030"})
        assert other.status_code == 422 and "compare two plans of one footprint" in other.text
        assert c.get("/api/diff", params={"old": WY, "new": "nope"}).status_code == 404
        assert "Not compared: there is no plan called nope." in c.get(
            "/diff", params={"old": WY, "new": "nope"}).text


def test_the_form_without_javascript_closes_a_site(live_app):  # noqa: F811
    """Each checkbox follows a hidden "0" of its name: the last value sent wins."""
    url, _, _ = live_app
    fields = {"plan": WY, "site.RAE01:ed": "0", "site.RAE01:maternity": ["0", "1"],
              "action": "update"}
    with httpx.Client(base_url=url, timeout=60) as c:
        page = c.post(f"/footprints/{WY}", data=fields)
    assert page.status_code == 200, page.text[:500]
    ed = re.search(r'<input type="checkbox" name="site\.RAE01:ed"[^>]*>', page.text).group(0)
    maternity = re.search(r'<input type="checkbox" name="site\.RAE01:maternity"[^>]*>',
                          page.text).group(0)
    assert "checked" not in ed and "checked" in maternity
    assert "your what-if" in page.text


def test_the_map_is_sent_again_only_when_travel_can_change(live_app):  # noqa: F811
    """Closing a site sends the access map whole; a what-if on a plan that already closes it,
    changing only money, leaves the page's map as it is (it would be the same)."""
    url, _, _ = live_app
    closing = {"sites": {"RAE01:ed": False}}
    with httpx.Client(base_url=url, timeout=60) as c:
        closed = c.post(f"/api/footprints/{WY}/scenario", json=closing).json()
        assert "figure:access-map" in closed["html"]
        saved = c.post(f"/api/footprints/{WY}/scenario/save",
                       json={"name": "ed-closed", **closing})
        assert saved.status_code == 201, saved.text
        money = c.post(f"/api/footprints/{WY}/scenario",
                       json={"plan": "ed-closed", "assumptions": {GROWTH: 0.037}}).json()
    assert "figure:access-map" not in money["html"]
    assert "chart-access-map" not in money["charts"] and "chart-bridge" in money["charts"]
