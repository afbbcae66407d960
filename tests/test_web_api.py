"""The web app over real HTTP (httpx against uvicorn on loopback): API, what-if, saves, safety.

The what-if engine is ``SampleEngine`` (a stand-in for ``openstp.review.chain.run_footprint``
that rescales the stored tables), so "change an assumption, see the figure change" is testable
before the review chain exists. The ``live_app`` fixture is shared with the browser tests.
"""

import io
import socket
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fixtures.sample_engine import SampleEngine
from openpyxl import load_workbook
from test_report_sample import copy_folder, sample, sample_folder  # noqa: F401 - fixtures

from openstp.plan import load_plan, plan_to_yaml_str
from openstp.report import load_results
from openstp.web import create_app
from openstp.web.commands import is_loopback

GROWTH = "gap.growth.non_demographic.acute"
WY = "E54000005"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app):
    """Run ``app`` with uvicorn on a free loopback port in a thread; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def live_app(sample_folder, tmp_path_factory):  # noqa: F811
    """(base URL, results folder, plans folder) of a running app over a copy of the sample."""
    root = tmp_path_factory.mktemp("web")
    results = copy_folder(sample_folder, root, "results")
    plans = root / "plans"
    app = create_app(results, plans, engine=SampleEngine(load_results(results)))
    with serve(app) as url:
        yield url, results, plans


@pytest.fixture(scope="module")
def client(live_app):
    with httpx.Client(base_url=live_app[0], timeout=30) as c:
        yield c


def test_health_england_and_league(client, sample):  # noqa: F811
    assert client.get("/api/health").json()["footprints"] == 3
    assert client.get("/api/england").json()["england_gap"] == pytest.approx(
        sample.england["england_gap"])
    league = client.get("/api/footprints").json()
    assert [r["footprint"] for r in league] == sample.footprints()
    assert league[0]["lsbu.funding"] in ("met", "partly", "not_met", "no_evidence", "not_applicable")


def test_footprint_and_its_tables(client):
    one = client.get(f"/api/footprints/{WY}").json()
    assert one["league"]["name"] == "West Yorkshire" and len(one["verdicts"]) == 18
    bridge = client.get(f"/api/footprints/{WY}/tables/bridge").json()
    assert bridge[0]["step"] == "do-nothing gap" and bridge[-1]["step"] == "residual gap"
    assert client.get(f"/api/footprints/{WY}/tables/nope").status_code == 404
    assert client.get("/api/footprints/E54999999").status_code == 404
    rules = client.get("/api/tables/rules").json()
    assert {r["rule"] for r in rules} >= {"lsbu.funding", "nhse.bed_test"}


def test_openapi_schema_describes_the_api(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/footprints", "/api/footprints/{code}/scenario",
                 "/api/footprints/{code}/scenario/save", "/api/plans/{name}"):
        assert path in paths, path
    assert "put" in paths["/api/plans/{name}"]
    assert not any(p.startswith("/footprints") for p in paths)


def test_what_if_changes_the_figures(client, sample):  # noqa: F811
    stored = sample.footprint(WY).league["residual_gap_mean"]
    r = client.post(f"/api/footprints/{WY}/scenario", json={"assumptions": {GROWTH: 0.038}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["league"]["residual_gap_mean"] > stored
    assert "chart-bridge" in body["charts"] and "chart-access-map" not in body["charts"]
    # the locator shows the footprint, not the plan: the page's own is kept
    assert 'id="chart-locator"' in client.get(f"/footprints/{WY}").text
    assert "chart-locator" not in body["charts"]
    assert body["charts"]["chart-bridge"]["data"][0]["type"] == "waterfall"
    assert 'id="kf-residual"' in body["html"]["key-figures"]
    same = client.post(f"/api/footprints/{WY}/scenario", json={})
    assert same.json()["league"]["residual_gap_mean"] == pytest.approx(stored)


def test_scheme_changes_flow_through(client):
    plan = client.get(f"/api/plans/{WY}").json()["plan"]
    scheme = plan["schemes"][0]["id"]
    r = client.post(f"/api/footprints/{WY}/scenario",
                    json={"schemes": {scheme: {"saving": 0, "grade": "D"}}})
    assert r.status_code == 200, r.text
    rows = {row["scheme"]: row for row in
            client.get(f"/api/footprints/{WY}/tables/schemes").json()}
    assert rows[scheme]["planned"] > 0  # the stored results are untouched
    bridge = r.json()["charts"]["chart-scheme-delivery"]["data"]
    assert min(min(t["x"]) for t in bridge) == 0


@pytest.mark.parametrize("body, words", [
    ({"assumptions": {GROWTH: 5.0}}, GROWTH),
    ({"assumptions": {"gap.growth.no_such_thing": 0.1}}, "unknown parameter"),
    ({"schemes": {"no-such-scheme": {"saving": 1}}}, "no scheme with id no-such-scheme"),
    ({"schemes": {"provider-cip": {"saving": -5}}}, "greater than or equal to 0"),
])
def test_bad_what_ifs_say_what_is_wrong(client, body, words):
    r = client.post(f"/api/footprints/{WY}/scenario", json=body)
    assert r.status_code == 422
    assert words in r.text


def test_save_a_what_if_never_overwrites(live_app, client):
    _, _, plans = live_app
    body = {"assumptions": {GROWTH: 0.03}, "name": "api-scenario"}
    r = client.post(f"/api/footprints/{WY}/scenario/save", json=body)
    assert r.status_code == 201, r.text
    saved = load_plan(plans / "api-scenario.yaml")
    assert saved.assumptions[GROWTH] == 0.03 and saved.footprint == WY
    assert client.post(f"/api/footprints/{WY}/scenario/save", json=body).status_code == 409
    listed = {p["name"]: p for p in client.get("/api/plans", params={"footprint": WY}).json()}
    assert listed["api-scenario"]["editable"] and not listed[WY]["editable"]
    version = listed["api-scenario"]["version"]
    again = {"plan": "api-scenario", "name": "api-scenario", "version": version,
             "assumptions": {GROWTH: 0.031}}
    assert client.post(f"/api/footprints/{WY}/scenario/save", json=again).status_code == 201
    stale = client.post(f"/api/footprints/{WY}/scenario/save", json=again)
    assert stale.status_code == 409 and "changed since you loaded it" in stale.text


def test_put_plan_checks_versions_and_content(live_app, client):
    _, results, plans = live_app
    text = (results / "plans" / f"{WY}.yaml").read_text()
    created = client.put("/api/plans/uploaded", json={"yaml": text})
    assert created.status_code == 201
    v1 = created.json()["version"]
    assert client.put("/api/plans/uploaded", json={"yaml": text}).status_code == 409
    changed = text.replace("illustrative plan (sample)", "illustrative plan (edited)")
    assert client.put("/api/plans/uploaded", json={"yaml": changed, "version": v1}
                      ).status_code == 200
    assert client.put("/api/plans/uploaded", json={"yaml": text, "version": v1}
                      ).status_code == 409
    bad = client.put("/api/plans/broken", json={"yaml": "footprint: E54000005\nname: [\n"})
    assert bad.status_code == 422 and "not valid YAML" in bad.text
    assert not (plans / "broken.yaml").exists()


@pytest.mark.parametrize("path", [
    "/api/plans/..%2F..%2Fetc%2Fpasswd", "/api/plans/%2E%2E", "/api/plans/.hidden",
    "/api/plans/a.b", "/plans/..%2F..%2Fetc%2Fpasswd.yaml", "/plans/%2E%2E.yaml",
    "/api/plans/" + "x" * 100,
])
def test_path_traversal_is_refused(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422)
    assert "root:" not in r.text


def test_saving_outside_the_plans_folder_is_refused(live_app, client):
    _, results, plans = live_app
    for name in ("..%2Fescape", "%2E%2E", "a.b", "has space"):
        r = client.put(f"/api/plans/{name}", json={"yaml": "x: 1"})
        assert r.status_code in (400, 404, 405, 422), name
    r = client.post(f"/api/footprints/{WY}/scenario/save", json={"name": "../escape"})
    assert r.status_code == 422
    assert not (plans.parent / "escape.yaml").exists()
    assert not list(results.glob("escape*"))


def test_downloads(client):
    xlsx = client.get("/download/openstp-results.xlsx")
    assert xlsx.status_code == 200
    assert "Gap summary" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    chart = client.get(f"/download/{WY}/bridge.csv")
    assert chart.text.startswith("footprint,step,amount")
    table = client.get(f"/download/{WY}/gap.csv")
    assert table.status_code == 200 and WY in table.text and "E54000030" not in table.text
    assert client.get("/download/england/league.csv").status_code == 200
    assert client.get(f"/download/{WY}/nope.csv").status_code == 404
    plan = client.get(f"/plans/{WY}.yaml")
    assert "attachment" in plan.headers["content-disposition"]
    assert plan.text.startswith("footprint: E54000005")


def test_security_headers_and_cross_site_posts(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    evil = client.post(f"/api/footprints/{WY}/scenario", json={},
                       headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and not is_loopback("0.0.0.0")


def test_user_text_is_escaped_in_pages(live_app, client):
    _, results, _ = live_app
    plan = load_plan(results / "plans" / f"{WY}.yaml")
    evil = plan.model_copy(update={"name": "<script>alert(1)</script>"})
    assert client.put("/api/plans/evil", json={"yaml": plan_to_yaml_str(evil)}
                      ).status_code == 201
    for page in ("/plans", f"/footprints/{WY}?plan=evil"):
        html = client.get(page).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_and_the_form_work_without_javascript(client):
    assert "League table" in client.get("/").text
    assert client.get("/footprints/E54999999").status_code == 404
    assert client.get(f"/footprints/{WY}?plan=nope").status_code == 404
    page = client.post(f"/footprints/{WY}", data={"a." + GROWTH: "0.038", "action": "update"})
    assert page.status_code == 200 and 'value="0.038"' in page.text
    form = {"a." + GROWTH: "0.029", "action": "save", "name": "form-save"}
    saved = client.post(f"/footprints/{WY}", data=form)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/footprints/{WY}?plan=form-save&saved=form-save"
    assert "Saved as form-save.yaml" in client.get(saved.headers["location"]).text
    assert client.post(f"/footprints/{WY}", data=form).status_code == 409
    bad = client.post(f"/footprints/{WY}", data={"s.provider-cip.grade": "Z", "action": "update"})
    assert bad.status_code == 422 and "grade" in bad.text
    assert client.post(f"/footprints/{WY}", data={"a." + GROWTH: "lots"}).status_code == 422




def test_the_running_app_keeps_its_results_out_of_full_collections(sample_folder, tmp_path):  # noqa: F811
    import asyncio
    import gc

    results = copy_folder(sample_folder, tmp_path, "results")
    app = create_app(results, tmp_path / "plans", engine=SampleEngine(load_results(results)))

    async def run() -> int:
        async with app.router.lifespan_context(app):
            return gc.get_freeze_count()

    assert asyncio.run(run()) > 0
    assert gc.get_freeze_count() == 0  # given back when the app stops
