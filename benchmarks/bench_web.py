"""Bounded loopback load on the web app's JSON API: 20 clients, 2,000 requests, latency percentiles.

Run:  python benchmarks/bench_web.py [--results DIR] [--clients 20] [--requests 2000]

The app runs in its own process on 127.0.0.1 (so the load generator does not share its
interpreter); the load is a mix of reads of the league, footprints, tables and plans, plus what-ifs
(POST .../scenario) over a few distinct assumption values. Without --results a sample results
folder is written first; without the review chain, what-ifs use the sample stand-in engine.
Prints latency percentiles per kind of request and exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

GROWTH = "gap.growth.non_demographic.acute"


def serve(results: Path, plans: Path, port: int) -> None:
    """Server mode: run the app on loopback until killed."""
    import uvicorn

    from openstp.report import load_results
    from openstp.report.sample_engine import SampleEngine
    from openstp.web import create_app
    from openstp.web.scenario import chain_engine

    try:
        import openstp.review.chain  # noqa: F401

        engine = chain_engine
    except ModuleNotFoundError:
        engine = SampleEngine(load_results(results))
    app = create_app(results, plans, engine=engine)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
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


def requests_mix(footprints: list[str], n: int, seed: int = 1) -> list[tuple[str, str, dict]]:
    """(kind, path, json body or {}) for ``n`` requests; about one in ten is a what-if."""
    rng = random.Random(seed)
    tables = ["gap", "bridge", "residual", "schemes", "beds", "workforce", "access"]
    out = []
    for _ in range(n):
        code = rng.choice(footprints)
        roll = rng.random()
        if roll < 0.1:
            body = {"assumptions": {GROWTH: rng.choice([0.023, 0.027, 0.03, 0.034, 0.038])}}
            out.append(("what-if", f"/api/footprints/{code}/scenario", body))
        elif roll < 0.3:
            out.append(("league", "/api/footprints", {}))
        elif roll < 0.5:
            out.append(("footprint", f"/api/footprints/{code}", {}))
        elif roll < 0.85:
            out.append(("table", f"/api/footprints/{code}/tables/{rng.choice(tables)}", {}))
        elif roll < 0.95:
            out.append(("plans", "/api/plans", {}))
        else:
            out.append(("england", "/api/england", {}))
    return out


async def load(url: str, work: list[tuple[str, str, dict]], clients: int
               ) -> tuple[dict[str, list[float]], list[str], float]:
    queue: asyncio.Queue = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            while not queue.empty():
                kind, path, body = queue.get_nowait()
                start = time.perf_counter()
                try:
                    r = await (http.post(path, json=body) if body else http.get(path))
                    if r.status_code >= 400:
                        errors.append(f"{r.status_code} {path}")
                except httpx.HTTPError as err:
                    errors.append(f"{type(err).__name__} {path}")
                latencies.setdefault(kind, []).append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - start


def percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    ms = [1000 * v for v in (q[49], q[89], q[94], q[98], max(values))]
    return "  ".join(f"{name} {v:7.1f}" for name, v in zip(("p50", "p90", "p95", "p99", "max"),
                                                           ms, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="results folder (default: a sample)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--serve", nargs=3, metavar=("RESULTS", "PLANS", "PORT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), Path(args.serve[1]), int(args.serve[2]))
        return
    with tempfile.TemporaryDirectory(prefix="openstp-bench-") as tmp:
        results = args.results
        if results is None:
            from openstp.report.sample import write_sample_results

            results = write_sample_results(Path(tmp) / "results")
        from openstp.report import load_results

        footprints = load_results(results).footprints()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen([sys.executable, __file__, "--serve", str(results),
                                    str(Path(tmp) / "plans"), str(port)])
        try:
            wait_until_up(url, process)
            work = requests_mix(footprints, args.requests)
            latencies, errors, seconds = asyncio.run(load(url, work, args.clients))
        finally:
            process.terminate()
            process.wait(10)
    total = sum(len(v) for v in latencies.values())
    print(f"{total} requests from {args.clients} clients in {seconds:.1f} s "
          f"({total / seconds:,.0f} requests/s), {len(errors)} errors; latency in ms:")
    for kind, values in sorted(latencies.items()):
        print(f"  {kind:10s} n={len(values):5d}  {percentiles(values)}")
    every = [v for values in latencies.values() for v in values]
    print(f"  {'all':10s} n={total:5d}  {percentiles(every)}")
    if errors:
        print("errors (first 10):", *errors[:10], sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
