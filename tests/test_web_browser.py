"""End to end in a real browser: Debian's Chromium, headless, driven by Playwright.

The static site must open from disk with no network and no console errors; the web app must let
a reader open England, open a footprint, change an assumption, see the figures change, save the
what-if as a plan and reload it. Screenshots of each main page go to ``tests/artifacts/``: of
the window, or of the whole page with ``OPENSTP_FULL_SCREENSHOTS=1`` (1.5 s each, not 0.1 s).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from test_report_sample import copy_folder, sample, sample_folder  # noqa: F401 - fixtures
from test_web_api import GROWTH, WY, live_app  # noqa: F401 - fixture
from test_web_limits import held  # noqa: F401 - fixture

from openstp.plan import load_plan
from openstp.report import write_site

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
FULL_SCREENSHOTS = os.environ.get("OPENSTP_FULL_SCREENSHOTS") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at "
                       "/usr/bin/chromium (apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


class Watched:
    """A page that records console errors, page errors and any request off the allowed hosts."""

    def __init__(self, browser, allow: str):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

        def route(r):
            if r.request.url.startswith(allow):
                r.continue_()
            else:
                self.problems.append(f"network request: {r.request.url}")
                r.abort()
        self.page.route("**/*", route)

    def charts_drawn(self) -> None:
        """Wait until every chart container holds a drawn Plotly plot."""
        self.page.wait_for_load_state("load")
        total = self.page.locator(".chart").count()
        if total:
            self.page.locator(".chart.js-plotly-plot").nth(total - 1).wait_for(
                state="attached", timeout=20_000)
        assert self.page.locator(".chart.js-plotly-plot").count() == total

    def shot(self, name: str, full: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full and FULL_SCREENSHOTS)
        return path


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("browser-site")
    write_site(sample, out, workbook=False)
    return out


@pytest.fixture(scope="module")
def site_pages(browser, site):
    """Every page of the site, opened from disk once (by file stem) and left open."""
    paths = [site / "index.html", site / "rules.html", site / "assumptions.html",
             *sorted((site / "footprints").glob("*.html"))]
    pages = {}
    for path in paths:
        pages[path.stem] = w = Watched(browser, "file://")
        w.page.goto(path.as_uri())
        w.charts_drawn()
    yield pages
    for w in pages.values():
        w.page.close()


def test_every_site_page_opens_offline_without_errors(site_pages):
    assert len(site_pages) == 6
    for stem, w in site_pages.items():
        assert w.page.locator("h1").count() == 1
        w.shot(f"site-{stem}", full=stem in ("index", WY))
        assert w.problems == [], (stem, w.problems)


def test_chart_download_links_point_at_files(site_pages):
    hrefs = site_pages[WY].page.eval_on_selector_all("a.download", "els => els.map(e => e.href)")
    assert len(hrefs) >= 10
    for href in hrefs:
        assert Path(href.removeprefix("file://")).is_file(), href


def test_explore_change_save_and_reload(browser, live_app):  # noqa: F811
    url, _, plans = live_app
    w = Watched(browser, url)
    page = w.page
    page.goto(url + "/")
    w.charts_drawn()
    assert "England" in page.locator("h1").inner_text()
    w.shot("web-england")

    page.get_by_role("link", name="West Yorkshire").first.click()
    page.wait_for_url(f"{url}/footprints/{WY}")
    w.charts_drawn()
    residual = page.locator("#kf-residual").inner_text()
    gap_bar = page.evaluate("() => document.getElementById('chart-bridge').data[0].y[0]")
    w.shot("web-footprint")

    assert page.locator("#whatif-note").is_hidden()
    page.get_by_text("What if? Change the assumptions and schemes").click()
    page.locator(f"input[name='a.{GROWTH}']").fill("0.038")
    page.get_by_role("button", name="Update the figures").click()
    page.wait_for_selector("#whatif-form[data-updated]", state="attached")
    assert page.locator("#kf-residual").inner_text() != residual
    assert page.evaluate("() => document.getElementById('chart-bridge').data[0].y[0]") > gap_bar
    assert "Updated in" in page.locator("#whatif-status").inner_text()
    assert page.locator("#whatif-note").is_visible()
    w.shot("web-what-if", full=False)

    page.locator("#save-name").fill("e2e-scenario")
    page.get_by_role("button", name="Save as a new plan").click()
    page.wait_for_selector("#saved-link")
    assert load_plan(plans / "e2e-scenario.yaml").assumptions[GROWTH] == 0.038
    page.locator("#saved-link").click()
    page.wait_for_url(f"{url}/footprints/{WY}?plan=e2e-scenario")
    w.charts_drawn()
    assert page.locator(f"input[name='a.{GROWTH}']").input_value() == "0.038"
    page.reload()
    w.charts_drawn()
    assert page.locator("#plan-name").inner_text().endswith("(what-if e2e-scenario)")
    w.shot("web-saved-plan")

    assert w.problems == []
    with (plans / "e2e-scenario.yaml").open("a") as f:
        f.write("# edited by someone else meanwhile\n")
    page.locator("#save-name").fill("e2e-scenario")
    page.get_by_role("button", name="Save as a new plan").click()
    page.wait_for_selector("#save-status.error")
    assert "changed since you loaded it" in page.locator("#save-status").inner_text()
    assert (plans / "e2e-scenario.yaml").read_text().endswith("meanwhile\n")
    assert [p for p in w.problems if "409 (Conflict)" not in p] == []
    page.close()


def test_a_busy_server_and_a_bad_value_are_explained_in_the_form(browser, held):  # noqa: F811
    """A full worker pool (503) and a value the API cannot read (422) show as plain sentences."""
    c, gate = held
    url = str(c.base_url).rstrip("/")
    w = Watched(browser, url)
    page = w.page
    page.goto(f"{url}/footprints/{WY}")
    page.get_by_text("What if? Change the assumptions and schemes").click()
    page.evaluate("""() => {  // a field whose number JSON cannot carry (it is sent as null)
        const el = document.createElement("input");
        el.name = "a.gap.growth.non_demographic.acute"; el.value = "1e999"; el.type = "hidden";
        document.getElementById("whatif-form").appendChild(el); }""")
    page.get_by_role("button", name="Update the figures").click()
    page.wait_for_selector("#whatif-status.error")
    assert "non_demographic.acute: Input should be a valid number" in page.locator(
        "#whatif-status").inner_text()
    page.evaluate("() => document.querySelector('input[type=hidden][value=\"1e999\"]').remove()")
    with ThreadPoolExecutor(1) as threads:
        held_what_if = threads.submit(c.post, f"/api/footprints/{WY}/scenario",
                                      json={"assumptions": {GROWTH: 0.031}})
        assert gate.entered.wait(60)
        page.locator(f"input[name='a.{GROWTH}']").fill("0.036")
        page.get_by_role("button", name="Update the figures").click()
        page.wait_for_function("() => document.getElementById('whatif-status').textContent"
                               ".includes('busy')")
        assert "try again in" in page.locator("#whatif-status").inner_text()
        gate.release.set()
        assert held_what_if.result().status_code == 200
    assert [p for p in w.problems if "503" not in p and "422" not in p] == []
    page.close()


def test_league_table_sorts_by_a_column_heading(site_pages):
    w = site_pages["index"]
    heading = w.page.locator("#league thead th").nth(4)  # the do-nothing gap
    keys = "els => els.map(e => parseFloat(e.cells[4].dataset.sort))"
    heading.locator("button").click()
    assert heading.get_attribute("aria-sort") == "ascending"
    up = w.page.eval_on_selector_all("#league tbody tr", keys)
    assert up == sorted(up) and len(up) > 1
    heading.locator("button").click()
    assert heading.get_attribute("aria-sort") == "descending"
    assert w.page.eval_on_selector_all("#league tbody tr", keys) == sorted(up, reverse=True)
    assert w.problems == []
