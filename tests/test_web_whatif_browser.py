"""Every what-if control driven in Debian's Chromium, with the real review chain recomputing the
footprint (100 draws): delivery by scheme type, one year of a scheme's saving, the plan's own bed
change, closing a site (access table and map), the buttons while an update runs, and a save that
refreshes the plans list. Screenshots go to ``tests/artifacts/``."""

import re
import threading

import pytest
from test_report_sample import copy_folder, sample, sample_folder  # noqa: F401 - fixtures
from test_web_api import WY, serve
from test_web_browser import CHROMIUM, Watched, browser  # noqa: F401 - fixture

from openstp.plan import load_plan
from openstp.web import create_app
from openstp.web.scenario import chain_engine

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed"),
]


class HeldEngine:
    """The review chain, made to wait while ``go`` is clear (to look at the page meanwhile)."""

    def __init__(self):
        self.go = threading.Event()
        self.go.set()

    def __call__(self, plan, **kw):
        assert self.go.wait(60)
        return chain_engine(plan, **kw)


@pytest.fixture(scope="module")
def app(sample_folder, tmp_path_factory):  # noqa: F811
    """(base URL, plans folder, engine) of an app over the sample with the real chain."""
    root = tmp_path_factory.mktemp("whatif")
    results = copy_folder(sample_folder, root, "results")
    engine = HeldEngine()
    with serve(create_app(results, root / "plans", engine=engine, draws=100)) as url:
        yield url, root / "plans", engine


@pytest.fixture
def page(browser, app):  # noqa: F811
    url = app[0]
    w = Watched(browser, url)
    w.page.goto(f"{url}/footprints/{WY}")
    w.charts_drawn()
    w.page.get_by_text("What if? Change the assumptions and schemes").click()
    yield w
    assert [p for p in w.problems if "409 (Conflict)" not in p and "422" not in p] == []
    w.page.close()


def update(w: Watched) -> None:
    before = w.page.locator("#whatif-form").get_attribute("data-updated")
    w.page.get_by_role("button", name="Update the figures").click()
    w.page.wait_for_function("b => document.getElementById('whatif-form').dataset.updated "
                             "!== b && document.getElementById('whatif-status').className "
                             "!== ''", arg=before)
    assert "Updated in" in w.page.locator("#whatif-status").inner_text()


def test_delivery_by_scheme_type_moves_the_gap_left(page):
    residual = page.page.locator("#kf-residual").inner_text()
    cell = page.page.locator("input[name='a.risk.delivery.provider_efficiency.median']")
    assert cell.input_value() == "0.85"
    cell.fill("0.76")
    update(page)
    assert page.page.locator("#kf-residual").inner_text() != residual
    cell.fill("0.5")  # below its P10 (0.75): said plainly, once
    page.page.get_by_role("button", name="Update the figures").click()
    page.page.wait_for_selector("#whatif-status.error")
    text = page.page.locator("#whatif-status").inner_text()
    assert text.count("Not updated") == 1 and "need p10 <= median <= p90" in text


def test_one_years_saving_is_edited_alone_and_money_shows_one_decimal(page, app):
    values = page.page.eval_on_selector_all(
        "input[name^='s.'][name*='.saving.']", "els => els.map(e => e.value)")
    assert values and all(re.fullmatch(r"\d+\.\d", v) for v in values), values[:5]
    plan = load_plan(app[1].parent / "results" / "plans" / f"{WY}.yaml")
    scheme = plan.schemes[0]
    year = sorted(scheme.saving)[2]
    page.page.locator(f"input[name='s.{scheme.id}.saving.{year}']").fill("0.5")
    update(page)
    page.page.locator("#save-name").fill("one-year")
    page.page.get_by_role("button", name="Save as a new plan").click()
    page.page.wait_for_selector("#saved-link")
    saved = load_plan(app[1] / "one-year.yaml").scheme(scheme.id).saving
    assert saved[year] == 500_000
    assert {y: v for y, v in saved.items() if y != year} == {
        y: v for y, v in scheme.saving.items() if y != year}


def test_only_this_plans_bed_changes_are_offered_and_a_cut_moves_the_closures(page, app):
    plan = load_plan(app[1].parent / "results" / "plans" / f"{WY}.yaml")
    names = page.page.eval_on_selector_all("input[name^='b.']", "els => els.map(e => e.name)")
    assert names == [f"b.{b.id}" for b in plan.bed_changes]
    assert page.page.locator("input[name^='a.plans.']").count() == 0
    page.page.locator(f"input[name='b.{plan.bed_changes[0].id}']").fill("-400")
    update(page)
    assert "-400" in page.page.locator("#closures").inner_text().replace("−", "-")


def test_closing_a_site_recomputes_access_and_redraws_the_map(page):
    box = page.page.locator("input[type=checkbox][name='site.RAE01:ed']")
    assert box.is_checked()
    box.uncheck()
    update(page)
    equity = page.page.locator("#equity").inner_text()
    assert "A&E" in equity
    traces = page.page.evaluate("() => document.getElementById('chart-access-map').data"
                                ".map(t => t.name)")
    assert "A&amp;E" in traces  # Plotly draws trace names as HTML
    after = page.page.evaluate("""() => { const t = document.getElementById('chart-access-map')
        .data.find(t => t.name === 'A&amp;E'); return Math.max(...t.marker.color); }""")
    assert after > 0
    assert page.page.locator("#title-access-map").inner_text() == (
        "Minutes to each service after the plan")
    assert page.page.locator("#fig-access .chart.js-plotly-plot").count() == 1
    page.page.locator("#access").scroll_into_view_if_needed()
    page.shot("web-what-if-site-closed", full=False)


def test_buttons_wait_while_an_update_runs(page, app):
    engine = app[2]
    engine.go.clear()
    try:
        page.page.locator("input[name='a.risk.delivery.provider_efficiency.median']").fill("0.8")
        page.page.get_by_role("button", name="Update the figures").click()
        page.page.wait_for_function("() => document.getElementById('whatif-save').disabled")
        assert page.page.locator("#whatif-update").is_disabled()
        assert page.page.locator("#whatif-status").inner_text() == "Updating…"
    finally:
        engine.go.set()
    page.page.wait_for_function("() => !document.getElementById('whatif-save').disabled")
    assert "Updated in" in page.page.locator("#whatif-status").inner_text()


def test_a_save_refreshes_the_plans_list_and_a_taken_name_is_said_once(page, app):
    items = page.page.locator("#plan-list li")
    before = items.count()
    assert "(built-in)" in page.page.locator("#plan-list").inner_text()
    page.page.locator("input[name='a.risk.delivery.provider_efficiency.median']").fill("0.8")
    page.page.locator("#save-name").fill("listed-at-once")
    page.page.get_by_role("button", name="Save as a new plan").click()
    page.page.wait_for_selector("#saved-link")
    page.page.wait_for_function(f"() => document.querySelectorAll('#plan-list li').length > "
                                f"{before}")
    assert "listed-at-once.yaml (saved)" in page.page.locator("#plan-list").inner_text()
    page.page.get_by_role("button", name="Save as a new plan").click()
    page.page.wait_for_selector("#save-status.error")
    assert page.page.locator("#save-status").inner_text() == (
        "Not saved: a plan with that name exists; choose another name")
    page.page.locator("#what-if").scroll_into_view_if_needed()
    page.shot("web-what-if-form", full=False)


def test_two_saved_plans_are_compared_in_the_browser(page, app):
    page.page.locator("input[name='a.risk.delivery.provider_efficiency.median']").fill("0.78")
    page.page.locator("#save-name").fill("to-compare")
    page.page.get_by_role("button", name="Save as a new plan").click()
    page.page.wait_for_selector("#saved-link")
    page.page.get_by_role("link", name=f"compare with {WY}").last.click()
    page.page.wait_for_url(f"**/diff?old={WY}&new=to-compare")
    fields = page.page.locator("#diff-fields").inner_text()
    assert "assumptions.risk.delivery.provider_efficiency.median" in fields and "0.78" in fields
    figures = page.page.locator("#diff-figures").inner_text()
    assert "Gap left after the plan (mean)" in figures and "+£" in figures
    page.page.select_option("#diff-new", WY)
    page.page.get_by_role("button", name="Compare").click()
    page.page.wait_for_url(f"**/diff?old={WY}&new={WY}")
    assert page.page.locator("#diff-fields-none").is_visible()
    page.page.goto(f"{app[0]}/diff?old={WY}&new=to-compare")
    page.shot("web-diff")
