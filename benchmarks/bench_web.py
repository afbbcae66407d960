"""Bounded loopback load on the web app: what-if latency, a full pool, and a long mixed run.

Run:  python benchmarks/bench_web.py [--results DIR] [--engine chain|sample] [--quick]

The app runs in its own process on 127.0.0.1 (so the load generator does not share its
interpreter), over a real results folder (default ``/tmp/base-results``, written by
``openstp review --out DIR``) with the real review chain recomputing each what-if at 1,000 draws
(``--engine sample`` swaps in the stand-in engine, which leaves only the web layer's own cost).
Three runs, each printed with its target (printed, never asserted):

1. what-ifs one after another on one footprint, each a new scenario: p50/p95, and the web
   layer's own share (latency less the engine's time, which the answer reports);
2. what-ifs from 10 concurrent clients: p95 of those answered, and how many got 503;
3. a mixed run of 50 concurrent clients (pages, API reads, what-ifs): errors other than the
   intended 503/429, latency by kind, and the server's memory (RSS from /proc) after warm-up
   and at the end.

``--quick`` makes each run short. Exits 1 if any request failed other than with 503 or 429.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the sample fixtures

GROWTH = "gap.growth.non_demographic.acute"
SHED = (429, 503)  # answers that mean "try later", which a full pool is meant to give
TABLES = ["gap", "bridge", "residual", "schemes", "beds", "workforce", "access"]
Work = list[tuple[str, str, dict]]


def serve(results: Path, plans: Path, port: int, engine_name: str) -> None:
    """Server mode: run the app on loopback until killed."""
    import uvicorn
    from fixtures.sample_engine import SampleEngine

    from openstp.report import load_results
    from openstp.web import create_app
    from openstp.web.scenario import chain_engine

    engine = chain_engine if engine_name == "chain" else SampleEngine(load_results(results))
    app = create_app(results, plans, engine=engine, draws=1000)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the app exited before it was ready")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the app did not start")


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (VmRSS in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def what_if_body(i: int) -> dict:
    """A scenario no earlier request asked for (so the answer is computed, not cached)."""
    return {"assumptions": {GROWTH: round(0.0201 + 0.0000137 * i, 7)}}


def requests_mix(footprints: list[str], n: int, seed: int = 1) -> Work:
    """(kind, path, JSON body or {}) for ``n`` requests: 30% pages, 60% API reads, 10% what-ifs.

    What-ifs pick from a few values per footprint, so some are cached and some computed.
    """
    rng = random.Random(seed)
    pages = ["/", "/rules", "/assumptions", "/plans"]
    out: Work = []
    for _ in range(n):
        code = rng.choice(footprints)
        roll = rng.random()
        if roll < 0.1:
            body = {"assumptions": {GROWTH: rng.choice([0.023, 0.027, 0.03, 0.034, 0.038])}}
            out.append(("what-if", f"/api/footprints/{code}/scenario", body))
        elif roll < 0.3:
            out.append(("page", f"/footprints/{code}", {}))
        elif roll < 0.4:
            out.append(("page", rng.choice(pages), {}))
        elif roll < 0.55:
            out.append(("league", "/api/footprints", {}))
        elif roll < 0.7:
            out.append(("footprint", f"/api/footprints/{code}", {}))
        elif roll < 0.9:
            out.append(("table", f"/api/footprints/{code}/tables/{rng.choice(TABLES)}", {}))
        elif roll < 0.95:
            out.append(("plans", "/api/plans", {}))
        else:
            out.append(("england", "/api/england", {}))
    return out


class Tally:
    """Latencies by kind, engine seconds of computed what-ifs, 503/429s and other errors."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.web_share: list[float] = []
        self.shed = 0
        self.errors: list[str] = []

    def add(self, kind: str, path: str, seconds: float, status: int | None, answer: bytes,
            error: str = "") -> None:
        if status is None:
            self.errors.append(f"{error} {path}")
        elif status in SHED:
            self.shed += 1
            return
        elif status >= 400:
            self.errors.append(f"{status} {path}")
        elif kind == "what-if":
            self.web_share.append(seconds - float(json.loads(answer)["seconds"]))
        self.latencies.setdefault(kind, []).append(seconds)

    def all(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]


class Connection:
    """One keep-alive HTTP/1.1 connection to the app.

    A load generator on the same two cores as the server must cost it little: httpx takes
    2–5 ms of CPU a request, more than the server spends answering a cached page, so it would
    measure itself. This reads only what the app sends (a status line, headers with
    Content-Length, a body).
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, path: str, body: dict) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of GET ``path``, or of POST ``body`` as JSON if given."""
        data = json.dumps(body).encode() if body else b""
        head = (f"{'POST' if body else 'GET'} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}"
                f"\r\nContent-Length: {len(data)}\r\n"
                f"{'Content-Type: application/json' + chr(13) + chr(10) if body else ''}\r\n")
        for attempt in (1, 2):  # the server may have closed an idle connection: reopen once
            if self.streams is None:
                self.streams = await asyncio.open_connection(self.host, self.port)
            reader, writer = self.streams
            try:
                writer.write(head.encode() + data)
                status = await reader.readline()
                if not status:
                    raise ConnectionResetError("closed")
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    key, _, value = line.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                answer = await reader.readexactly(int(headers.get("content-length", "0")))
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if headers.get("connection") == "close":
                self.close()
            return int(status.split()[1]), headers, answer
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def load(url: str, work: Work, clients: int, tally: Tally, polite: bool = False) -> float:
    """Send ``work`` from ``clients`` concurrent clients; seconds taken.

    A ``polite`` client told 503 waits the Retry-After (at most 2 s) before its next request.
    """
    queue: asyncio.Queue = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    parts = urlsplit(url)

    async def client() -> None:
        http = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
        try:
            while not queue.empty():
                kind, path, body = queue.get_nowait()
                start = time.perf_counter()
                try:
                    status, headers, answer = await asyncio.wait_for(http.request(path, body),
                                                                     120)
                    tally.add(kind, path, time.perf_counter() - start, status, answer)
                    if polite and status in SHED:
                        await asyncio.sleep(min(2.0, float(headers.get("retry-after", "1"))))
                except (TimeoutError, OSError, asyncio.IncompleteReadError) as err:
                    tally.add(kind, path, time.perf_counter() - start, None, b"",
                              type(err).__name__)
        finally:
            http.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - start


def quantile(values: list[float], q: int) -> float:
    """The ``q``-th percentile in ms (the value itself for a single sample)."""
    if len(values) < 2:
        return 1000 * values[0] if values else float("nan")
    return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def percentiles(values: list[float]) -> str:
    ms = [quantile(values, q) for q in (50, 90, 95, 99)] + [1000 * max(values)]
    return "  ".join(f"{name} {v:7.1f}" for name, v in zip(("p50", "p90", "p95", "p99", "max"),
                                                           ms, strict=True))


def verdict(value: float, target: float) -> str:
    return f"(target ≤ {target:g} ms: {'met' if value <= target else 'NOT met'})"


def sequential(url: str, code: str, n: int) -> Tally:
    tally = Tally()
    work = [("what-if", f"/api/footprints/{code}/scenario", what_if_body(i)) for i in range(n)]
    asyncio.run(load(url, work, 1, tally))
    values = tally.latencies.get("what-if", [])
    p95 = quantile(values, 95)
    print(f"1. sequential what-ifs, {code}, 1,000 draws, n={len(values)}: "
          f"p50 {quantile(values, 50):.1f} ms, p95 {p95:.1f} ms {verdict(p95, 200)}; "
          f"web layer's own share p50 {quantile(tally.web_share, 50):.1f} ms, "
          f"p95 {quantile(tally.web_share, 95):.1f} ms")
    report_errors(tally)
    return tally


def concurrent(url: str, code: str, clients: int, per_client: int) -> Tally:
    tally = Tally()
    work = [("what-if", f"/api/footprints/{code}/scenario", what_if_body(1_000 + i))
            for i in range(clients * per_client)]
    seconds = asyncio.run(load(url, work, clients, tally, polite=True))
    values = tally.latencies.get("what-if", [])
    p95 = quantile(values, 95)
    print(f"2. {clients} concurrent clients, {len(work)} new what-ifs in {seconds:.1f} s: "
          f"{len(values)} answered, p95 {p95:.1f} ms {verdict(p95, 1000)}; "
          f"{tally.shed} answered 503 (pool full; the client waits Retry-After, then goes on)")
    report_errors(tally)
    return tally


def mixed(url: str, pid: int, footprints: list[str], clients: int, n: int, warm: int) -> Tally:
    every_page = ["/", "/rules", "/assumptions", "/plans",
                  *(f"/footprints/{c}" for c in footprints)]
    warm_up = [("page", p, {}) for p in every_page] + requests_mix(footprints, warm, seed=2)
    asyncio.run(load(url, warm_up, clients, Tally()))
    before = rss_mb(pid)
    tally = Tally()
    seconds = asyncio.run(load(url, requests_mix(footprints, n), clients, tally))
    after = rss_mb(pid)
    total = sum(len(v) for v in tally.latencies.values()) + tally.shed
    pages = quantile(tally.latencies.get("page", []), 95)
    change = 100 * (after - before) / before
    print(f"3. mixed: {total} requests from {clients} clients in {seconds:.1f} s "
          f"({total / seconds:,.0f} requests/s); {len(tally.errors)} errors other than 503/429 "
          f"(target 0), {tally.shed} answered 503/429; latency in ms:")
    for kind, values in sorted(tally.latencies.items()):
        print(f"     {kind:10s} n={len(values):5d}  {percentiles(values)}")
    print(f"     {'all':10s} n={len(tally.all()):5d}  {percentiles(tally.all())}")
    print(f"   pages p95 {pages:.1f} ms {verdict(pages, 300)}")
    print(f"   server memory (RSS): {before:.0f} MB after warm-up, {after:.0f} MB at the end "
          f"({change:+.0f}%; target within ±20%: {'met' if abs(change) <= 20 else 'NOT met'})")
    report_errors(tally)
    return tally


def report_errors(tally: Tally) -> None:
    if tally.errors:
        print("   errors (first 10):", *tally.errors[:10], sep="\n     ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("/tmp/base-results"),
                        help="results folder (default: /tmp/base-results)")
    parser.add_argument("--engine", choices=("chain", "sample"), default="chain",
                        help="what-if engine: the review chain, or the stand-in (web layer only)")
    parser.add_argument("--quick", action="store_true", help="short runs")
    parser.add_argument("--serve", nargs=4, metavar=("RESULTS", "PLANS", "PORT", "ENGINE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), Path(args.serve[1]), int(args.serve[2]), args.serve[3])
        return
    if not (args.results / "england.json").is_file():
        raise SystemExit(f"no results folder at {args.results}: write one with "
                         f"`openstp review --out {args.results}` or pass --results DIR")
    from openstp.report import load_results

    footprints = load_results(args.results).footprints()
    code = footprints[0]
    n_seq, per_client, n_mixed, warm = (8, 3, 1_000, 200) if args.quick else (
        40, 10, 10_000, 1_000)
    with tempfile.TemporaryDirectory(prefix="openstp-bench-") as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen([sys.executable, __file__, "--serve", str(args.results),
                                    str(Path(tmp) / "plans"), str(port), args.engine])
        try:
            wait_until_up(url, process)
            print(f"engine: {args.engine}; results: {args.results} ({len(footprints)} "
                  f"footprints); server RSS at start {rss_mb(process.pid):.0f} MB")
            tallies = [sequential(url, code, n_seq), concurrent(url, code, 10, per_client),
                       mixed(url, process.pid, footprints, 50, n_mixed, warm)]
        finally:
            process.terminate()
            process.wait(10)
    if any(t.errors for t in tallies):
        sys.exit(1)


if __name__ == "__main__":
    main()
