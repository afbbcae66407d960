"""The web app's hardening parts on their own: the worker pool, the bounded cache, the request
guard (Host, Origin, body size), plan names and the form's numbers.

The guard is tested around a tiny Starlette app served on loopback, so each case is one plain
request and answer; ``test_web_limits`` drives the same checks through the real app.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from test_web_api import serve

from openstp.web.cache import Memo
from openstp.web.form import form_scenario
from openstp.web.guard import Guard, host_name
from openstp.web.plans import BadPlanName, PlanStore, check_name, is_name
from openstp.web.pool import Busy, WorkPool

GROWTH = "gap.growth.non_demographic.acute"


# the worker pool ----------------------------------------------------------------------------
def test_pool_runs_jobs_and_passes_their_errors_back():
    pool = WorkPool(2, 1)
    assert pool.run(sum, [1, 2, 3]) == 6
    assert threading.current_thread().name not in pool.run(lambda: threading.current_thread().name)
    with pytest.raises(ZeroDivisionError):
        pool.run(lambda: 1 / 0)
    pool.close()


def test_a_full_pool_refuses_at_once_with_a_retry_time():
    pool = WorkPool(1, 0)
    started, release = threading.Event(), threading.Event()

    def hold() -> str:
        started.set()
        release.wait(30)
        return "done"

    with ThreadPoolExecutor(1) as caller:
        first = caller.submit(pool.run, hold)
        started.wait(30)
        with pytest.raises(Busy) as busy:
            pool.run(sum, [1])
        assert busy.value.retry_after >= 1 and "busy" in str(busy.value)
        release.set()
        assert first.result() == "done"
    assert pool.run(sum, [1]) == 1  # room again once the job is done
    pool.close()


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError, match="at least one worker"):
        WorkPool(0, 1)


# the cache ----------------------------------------------------------------------------------
def test_memo_keeps_only_the_most_recent_values():
    memo: Memo[int, int] = Memo(2)
    for key in (1, 2, 1, 3):  # 1 is used again, so 2 is the oldest when 3 arrives
        memo.get(key, lambda k=key: k * 10)
    assert len(memo) == 2
    assert memo.get(1, lambda: -1) == 10 and memo.get(3, lambda: -1) == 30
    assert memo.get(2, lambda: -1) == -1


def test_memo_builds_once_for_many_threads_and_keeps_no_errors():
    memo: Memo[str, int] = Memo(8)
    calls, gate = [], threading.Barrier(8)

    def build() -> int:
        calls.append(1)
        return 42

    def ask(_: int) -> int:
        gate.wait(30)
        return memo.get("page", build)

    with ThreadPoolExecutor(8) as threads:
        assert list(threads.map(ask, range(8))) == [42] * 8
    assert len(calls) == 1
    with pytest.raises(KeyError):
        memo.get("bad", lambda: {}["x"])
    assert memo.get("bad", lambda: 7) == 7


# the guard ----------------------------------------------------------------------------------
async def _echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{request.method} {len(await request.body())}")


@pytest.fixture(scope="module")
def guarded():
    app = Starlette(routes=[Route("/{path:path}", _echo,
                                  methods=["GET", "POST", "PUT", "DELETE", "PATCH"])])
    with serve(Guard(app, ["stp.example", "[fd00::5]"], max_body=1000)) as url, \
            httpx.Client(base_url=url, headers={"Host": "localhost:8000"}, timeout=30) as client:
        yield client


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST",
                                  "stp.example", "stp.example:9000", "[fd00::5]:80"])
def test_allowed_hosts_are_served(guarded, host):
    r = guarded.get("/", headers={"Host": host})
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example",
                                  "127.0.0.2", "", "[::2]:8000"])
def test_any_other_host_is_refused_on_every_method(guarded, host):
    for method in ("GET", "POST", "PUT", "DELETE"):
        r = guarded.request(method, "/api/x", headers={"Host": host})
        assert r.status_code == 403, (method, host)
        assert "--allowed-host" in r.json()["detail"]
        assert "script-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"}, {"Origin": "null"}, {"Origin": "http://localhost:9999"},
    {"Referer": "http://evil.example/page"}, {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:8000"},
])
def test_cross_site_state_changes_are_refused(guarded, headers):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        r = guarded.request(method, "/plans/x", headers=headers, content=b"x")
        assert r.status_code == 403, (method, headers)
        assert "cross-site" in r.text
    assert guarded.get("/", headers=headers).status_code == 200  # reading is not changing


@pytest.mark.parametrize("headers", [
    {}, {"Origin": "http://localhost:8000"}, {"Referer": "http://localhost:8000/footprints/x"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost:8000"},
])
def test_same_origin_and_non_browser_changes_go_through(guarded, headers):
    assert guarded.post("/x", headers=headers, content=b"abc").text == "POST 3"


def test_bodies_over_the_limit_are_refused_before_the_app_reads_them(guarded):
    assert guarded.put("/x", content=b"a" * 1000).text == "PUT 1000"
    declared = guarded.put("/api/x", content=b"a" * 1001)
    assert declared.status_code == 413 and "1,000 bytes" in declared.json()["detail"]
    streamed = guarded.put("/x", content=iter([b"a" * 600, b"a" * 600]))  # chunked, no length
    assert streamed.status_code == 413 and "1,000 bytes" in streamed.text
    assert guarded.post("/x", content=iter([b"a" * 600, b"a" * 400])).text == "POST 1000"


def test_host_names_lose_their_port():
    assert host_name("Example.ORG:8000") == "example.org"
    assert host_name("[::1]:8000") == "::1" and host_name("[::1]") == "::1"


# names and form values ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["x\n", "x\r\n", "x" * 81, "x" * 5000, "a\nb", "é", "x\x00"])
def test_names_are_whole_file_stems(name):
    assert not is_name(name)
    with pytest.raises(BadPlanName) as err:
        check_name(name)
    assert len(str(err.value)) < 250  # a 5,000-character name is not echoed back


def test_a_file_whose_name_is_not_a_plan_name_is_not_listed(tmp_path):
    (tmp_path / "x\n.yaml").write_text("name: x\n")
    (tmp_path / "ok.yaml").write_text("name: x\n")
    assert [f.name for f in PlanStore(tmp_path).list()] == ["ok"]


def test_the_plans_list_sees_saves_at_once_and_hand_edits_when_checked(tmp_path):
    store = PlanStore(tmp_path)
    assert store.list() == [] and not store.check()
    store.save("mine", "name: one\n", None)
    assert [f.name for f in store.list()] == ["mine"] and store.generation == 1
    (tmp_path / "by-hand.yaml").write_text("name: x\n")
    assert [f.name for f in store.list()] == ["mine"]  # kept until the folder is looked at
    assert store.check() and [f.name for f in store.list()] == ["by-hand", "mine"]
    (tmp_path / "mine.yaml").write_text("name: edited in place\n")
    assert store.check() and store.list()[1].text == "name: edited in place\n"
    (tmp_path / "by-hand.yaml").unlink()
    assert store.check() and [f.name for f in store.list()] == ["mine"]
    assert not store.check() and store.generation == 4


@pytest.mark.parametrize("fields, words", [
    ({"s.cip.saving": "inf"}, "s.cip.saving: 'inf' is not a finite number"),
    ({"s.cip.saving": "nan"}, "not a finite number"),
    ({"s.cip.saving": "1e303"}, "a saving is between £0m and £100,000m"),
    ({"s.cip.saving": "100001"}, "a saving is between"),
    ({"s.cip.saving": "-1"}, "a saving is between"),
    ({f"a.{GROWTH}": "-inf"}, f"a.{GROWTH}: '-inf' is not a finite number"),
    ({f"a.{GROWTH}": "1e999"}, "not a finite number"),
    ({f"a.{GROWTH}": "lots"}, "is not a number"),
    ({"plan": "x\n"}, "is not a plan name"),
])
def test_form_numbers_are_checked_at_the_edge(fields, words):
    with pytest.raises(HTTPException) as err:
        form_scenario(fields)
    assert err.value.status_code == 422 and words in err.value.detail


def test_form_values_within_bounds_make_a_scenario():
    s = form_scenario({"plan": "p-1", "s.cip.saving": "100000", "s.cip.grade": "B",
                       f"a.{GROWTH}": "0.03", "action": "update", "name": "x"})
    assert s.schemes["cip"].saving == 100e9 and s.assumptions == {GROWTH: 0.03}
