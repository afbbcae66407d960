"""The web app under pressure and abuse, over real HTTP: a full worker pool answers 503, pages
are rendered once, and over-size, malformed, cross-site or rebinding requests are refused with
the right status and a clear message, never 500.

Each reproduction of a reported fault is one test here. Nothing is timed: a "held" what-if is
an engine that waits for an event, so the pool is full exactly when the test says so.
"""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fixtures.sample_engine import SampleEngine
from test_report_sample import copy_folder, sample_folder  # noqa: F401 - fixtures
from test_web_api import GROWTH, WY, client, free_port, live_app, serve  # noqa: F401 - fixtures

from openstp.plan import load_plan, plan_to_yaml_str
from openstp.report import load_results
from openstp.web import create_app

BIG = 1_200_000  # over the 1 MB body limit


class Gate:
    """A what-if engine that holds every run until ``release`` is set."""

    def __init__(self, engine: SampleEngine):
        self.engine, self.calls = engine, 0
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, plan, **kw):
        self.calls += 1
        self.entered.set()
        self.release.wait(60)
        return self.engine(plan, **kw)


@pytest.fixture
def held(sample_folder, tmp_path):  # noqa: F811
    """(client, gate): an app with one worker and no queue, whose engine waits for the gate."""
    results = copy_folder(sample_folder, tmp_path, "results")
    gate = Gate(SampleEngine(load_results(results)))
    app = create_app(results, tmp_path / "plans", engine=gate, workers=1, queue=0)
    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c, gate
        gate.release.set()


def what_if(growth: float) -> dict:
    return {"assumptions": {GROWTH: growth}}


def test_a_full_pool_answers_503_and_the_loop_stays_free(held):
    c, gate = held
    with ThreadPoolExecutor(2) as threads:
        first = threads.submit(c.post, f"/api/footprints/{WY}/scenario", json=what_if(0.031))
        assert gate.entered.wait(60)
        same = threads.submit(c.post, f"/api/footprints/{WY}/scenario", json=what_if(0.031))
        other = c.post(f"/api/footprints/{WY}/scenario", json=what_if(0.032))
        assert other.status_code == 503 and int(other.headers["retry-after"]) >= 1
        assert "busy" in other.json()["detail"] and "try again" in other.json()["detail"]
        form = c.post(f"/footprints/{WY}", data={f"a.{GROWTH}": "0.033", "action": "update"})
        assert form.status_code == 503 and "retry-after" in form.headers
        assert "The server is busy" in form.text
        for path in ("/api/health", "/", f"/footprints/{WY}", f"/api/footprints/{WY}"):
            assert c.get(path).status_code == 200, path  # nothing waits for the what-if
        gate.release.set()
        assert first.result().status_code == 200 and same.result().status_code == 200
    assert gate.calls == 1  # the same what-if asked twice at once is computed once
    assert c.post(f"/api/footprints/{WY}/scenario", json=what_if(0.032)).status_code == 200


def test_first_reads_are_made_off_the_event_loop(sample_folder, tmp_path, monkeypatch):  # noqa: F811
    from openstp.web import api

    entered, release = threading.Event(), threading.Event()

    def slow_records(df):
        entered.set()
        release.wait(60)
        return records(df)

    records = api.records
    monkeypatch.setattr(api, "records", slow_records)
    app = create_app(sample_folder, tmp_path, engine=SampleEngine(load_results(sample_folder)))
    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as c, \
            ThreadPoolExecutor(1) as threads:
        league = threads.submit(c.get, "/api/footprints")
        assert entered.wait(60)
        for path in ("/api/health", "/", "/api/england", f"/footprints/{WY}"):
            assert c.get(path).status_code == 200, path  # while the league is being encoded
        release.set()
        assert league.result().status_code == 200 and len(league.result().json()) == 3


def test_pages_are_rendered_once_and_caches_stay_bounded(sample_folder, tmp_path, monkeypatch):  # noqa: F811
    from openstp.web import service

    renders: list[str] = []
    real = service.footprint_page
    monkeypatch.setattr(service, "footprint_page",
                        lambda fp, *a: renders.append(fp.code) or real(fp, *a))
    svc = service.Service(sample_folder, tmp_path, engine=SampleEngine(load_results(
        sample_folder)))
    with ThreadPoolExecutor(6) as threads:
        pages = list(threads.map(lambda _: svc.footprint_html(WY), range(6)))
    assert len(set(pages)) == 1 and renders == [WY]
    for _ in range(20):
        svc.footprint_html(WY, saved=f"made-up-{_}")  # ?saved=NAME not the plan shown
        svc.footprint_html("E54000030")
    assert renders == [WY, "E54000030"] and len(svc._pages) == 2
    from openstp.web.scenario import SaveRequest

    assert svc.fresh_footprint_html(WY, None, None) == pages[0]  # served with no file look
    svc.save(WY, SaveRequest(name="kept", assumptions={GROWTH: 0.03}))
    assert svc.fresh_footprint_html(WY, None, None) is None
    svc.footprint_html(WY)
    svc.footprint_html("E54000030")
    assert renders[2:] == [WY]  # the new plan shows on its footprint's page only
    (tmp_path / "by-hand.yaml").write_text((tmp_path / "kept.yaml").read_text())
    svc.store.check()  # what the app's watcher does every second
    assert "by-hand.yaml" in svc.footprint_html(WY) and renders[3:] == [WY]
    svc.close()


def test_bodies_over_1_mb_are_refused_before_parsing(live_app, client):  # noqa: F811
    _, _, plans = live_app
    padding = "x" * BIG
    cases = [client.post(f"/api/footprints/{WY}/scenario", json={"plan": padding}),
             client.put("/api/plans/huge", json={"yaml": padding}),
             client.post(f"/footprints/{WY}", data={"a.x": padding, "action": "save",
                                                    "name": "huge"}),
             client.put("/api/plans/huge", content=iter([b"{" + b" " * BIG, b"}"]),
                        headers={"Content-Type": "application/json"})]
    for r in cases:
        assert r.status_code == 413, r.text[:200]
        assert "1,000,000 bytes" in r.text
    assert not (plans / "huge.yaml").exists()


def many_schemes(results, n: int) -> str:
    plan = load_plan(results / "plans" / f"{WY}.yaml")
    s = plan.schemes[0]
    return plan_to_yaml_str(plan.model_copy(update={"schemes": [
        s.model_copy(update={"id": f"s-{i}"}) for i in range(n)]}))


def test_plans_over_200_schemes_are_refused_with_the_limit(live_app, client):  # noqa: F811
    _, results, plans = live_app
    r = client.put("/api/plans/crowded", json={"yaml": many_schemes(results, 201)})
    assert r.status_code == 422
    assert "at most 200 schemes; this one has 201" in r.json()["detail"]["problems"][0]
    assert not (plans / "crowded.yaml").exists()
    body = {"schemes": {f"s-{i}": {"grade": "D"} for i in range(201)}}
    r = client.post(f"/api/footprints/{WY}/scenario", json=body)
    assert r.status_code == 422 and "at most 200 items" in r.text


@pytest.mark.parametrize("content, words", [
    (f'{{"assumptions": {{"{GROWTH}": Infinity}}}}', "finite number"),
    (f'{{"assumptions": {{"{GROWTH}": NaN}}}}', "finite number"),
    ('{"schemes": {"provider-cip": {"saving": 1e303}}}', "less than or equal to 100000000000"),
    ('{"schemes": {"provider-cip": {"saving": Infinity}}}', "finite number"),
])
def test_api_numbers_must_be_finite_and_in_bounds(client, content, words):  # noqa: F811
    r = client.post(f"/api/footprints/{WY}/scenario", content=content,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and words in r.text


@pytest.mark.parametrize("fields, words", [
    ({"s.provider-cip.saving": "inf"}, "s.provider-cip.saving: &#39;inf&#39; is not a finite"),
    ({"s.provider-cip.saving": "1e303"}, "a saving is between £0m and £100,000m"),
    ({f"a.{GROWTH}": "1e303"}, GROWTH),
    ({f"a.{GROWTH}": "nan"}, "is not a finite number"),
])
def test_form_numbers_that_overflowed_are_422_with_the_field(client, fields, words):  # noqa: F811
    r = client.post(f"/footprints/{WY}", data={**fields, "action": "update"})
    assert r.status_code == 422 and words in r.text


def test_bad_plan_names_are_422_before_any_file_is_touched(live_app, client):  # noqa: F811
    _, results, plans = live_app
    text = (results / "plans" / f"{WY}.yaml").read_text()
    for name in ("x%0A", "x" * 5000, "x%0D%0A"):
        r = client.put(f"/api/plans/{name}", json={"yaml": text})
        assert r.status_code == 422 and "plan names use" in r.text, name
        assert client.get(f"/api/plans/{name}").status_code == 422
        assert client.get(f"/plans/{name}.yaml").status_code == 422
        assert client.get(f"/footprints/{WY}?plan={name}").status_code == 422
    for name in ("x\n", "x" * 81):
        r = client.post(f"/api/footprints/{WY}/scenario/save", json={"name": name})
        assert r.status_code == 422 and "plan names use" in r.text
        r = client.post(f"/footprints/{WY}", data={"action": "save", "name": name})
        assert r.status_code == 422 and "plan names use" in r.text
    assert sorted(p.name for p in plans.glob("x*")) == []


@pytest.mark.parametrize("yaml, words", [
    ("footprint: !!python/object/apply:os.system ['id']",
     "tag !!python/object/apply:os.system is not allowed"),
    ("a: &x [1]\nb: *x", "anchors and aliases (&name, *name) are not allowed"),
    ("a: " + "[" * 300 + "]" * 300, "nested more than 64 levels deep"),
    ("footprint: E54000005\nname: [\n", "not valid YAML"),
])
def test_hostile_yaml_is_422_with_its_one_line_reason(live_app, client, yaml, words):  # noqa: F811
    r = client.put("/api/plans/hostile", json={"yaml": yaml})
    assert r.status_code == 422
    problems = r.json()["detail"]["problems"]
    assert len(problems) == 1 and words in problems[0] and "\n" not in problems[0]
    assert not (live_app[2] / "hostile.yaml").exists()


def test_rebinding_and_cross_site_requests_are_refused(live_app, client):  # noqa: F811
    url = live_app[0]
    port = url.rsplit(":", 1)[1]
    for path in ("/api/health", "/", f"/footprints/{WY}", "/api/plans"):
        r = client.get(path, headers={"Host": f"evil.example:{port}"})
        assert r.status_code == 403 and "allowed-host" in r.text, path
    assert client.get("/api/health", headers={"Host": f"localhost:{port}"}).status_code == 200
    evil = {"Origin": "http://evil.example"}
    assert client.put("/api/plans/evil-put", json={"yaml": "x: 1"}, headers=evil
                      ).status_code == 403
    assert client.post(f"/api/footprints/{WY}/scenario", json={}, headers=evil).status_code == 403
    assert client.post(f"/footprints/{WY}", data={"action": "update"}, headers=evil
                       ).status_code == 403
    assert client.delete("/api/plans/anything", headers=evil).status_code == 403
    assert not (live_app[2] / "evil-put.yaml").exists()
    same = client.post(f"/api/footprints/{WY}/scenario", json={}, headers={"Origin": url})
    assert same.status_code == 200


def test_serve_allows_the_names_it_is_given(sample_folder, tmp_path):  # noqa: F811
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "openstp", "serve", "--results", str(sample_folder), "--plans",
         str(tmp_path), "--port", str(port), "--allowed-host", "stp.example",
         "--allowed-host", "openstp.test", "--workers", "1"], stderr=subprocess.PIPE, text=True)
    try:
        while "OpenSTP on http://127.0.0.1" not in server.stderr.readline():
            assert server.poll() is None, "openstp serve exited"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            for _ in range(600):  # the line comes just before uvicorn listens
                try:
                    c.get("/api/health")
                    break
                except httpx.ConnectError:
                    threading.Event().wait(0.05)
            for host, status in (("stp.example", 200), ("openstp.test:80", 200),
                                 (f"127.0.0.1:{port}", 200), ("evil.example", 403)):
                assert c.get("/api/health", headers={"Host": host}).status_code == status, host
    finally:
        server.terminate()
        server.wait(30)
