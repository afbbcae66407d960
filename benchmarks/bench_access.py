"""Time access: one all-England reconfiguration and a sweep of every single-ED closure, each
beside a naive all-pairs baseline that recomputes every area's nearest site from scratch.

Run:  python benchmarks/bench_access.py
Targets (issue 6): one reconfiguration of 32,844 LSOAs × all ED sites ≤ 50 ms; the sweep of
every single-ED closure ≤ 10 s. Prints numbers only; nothing is asserted.
"""

from __future__ import annotations

import statistics

import numpy as np
from timing import timed

from openstp.access import (
    Change,
    build_model,
    closure_sweep,
    run_scenario,
    scenario_deaths,
    summarise,
)
from openstp.access.mortality import Gradient
from openstp.access.travel import travel_arrays

CLOSE = ["RWY01", "RAE01", "RK950"]  # Huddersfield, Bradford, Derriford


def reconfigure(model) -> None:
    """The fast path: re-rank only areas whose nearest site closed, then summarise by group."""
    scenario = run_scenario(model, [Change(site=s, action="close") for s in CLOSE])
    summarise(scenario, deaths=scenario_deaths(scenario))


def reconfigure_naive(model) -> None:
    """All pairs from scratch: distances, estimates and matrix minutes for every area × site,
    argmin over the open sites, then the same summary."""
    scenario = run_scenario(model, [Change(site=s, action="close") for s in CLOSE])
    travel = travel_arrays(model.areas, model.sites, model.estimate, model.matrices)
    minutes = np.where(scenario.closed[None, :], np.inf, travel.minutes)
    best = minutes.argmin(axis=1)
    assert np.array_equal(minutes[np.arange(len(best)), best], scenario.after.minutes)
    summarise(scenario, deaths=scenario_deaths(scenario))


def sweep_naive(model) -> None:
    """Every single closure as its own all-pairs argmin over the precomputed minutes matrix."""
    t, w = model.travel, model.users
    rows = np.arange(model.n_areas)
    gradient = Gradient.from_params(model.params)
    persons = model.areas["persons"].to_numpy(float)
    before = t.minutes[rows, model.best]
    km_before = t.km[rows, model.best]
    for j in range(len(model.sites)):
        masked = t.minutes.copy()
        masked[:, j] = np.inf
        best = masked.argmin(axis=1)
        after = masked[rows, best]
        float((w * ((after > 30) & (before <= 30))).sum())
        gradient.extra_deaths(persons, km_before, t.km[rows, best]).sum(axis=1)


def main() -> None:
    cold = timed(lambda: build_model("ed"))[0]
    model = build_model("ed")
    n, m = model.travel.minutes.shape
    print(f"build the ED model ({n:,} LSOAs × {m} sites, loads data once): {cold * 1e3:8.1f} ms")
    fast = statistics.median(timed(lambda: reconfigure(model), repeat=30))
    naive = statistics.median(timed(lambda: reconfigure_naive(model), repeat=5))
    print(f"one reconfiguration, all England (close {len(CLOSE)} EDs, summary by group, deaths): "
          f"median {fast * 1e3:.1f} ms; naive all-pairs {naive * 1e3:.1f} ms; "
          f"ratio {naive / fast:.1f}×  (target ≤ 50 ms)")
    sweep = statistics.median(timed(lambda: closure_sweep(model), repeat=10))
    naive_sweep = timed(lambda: sweep_naive(model))[0]
    print(f"sweep of every single-ED closure ({m} closures): median {sweep * 1e3:.1f} ms; "
          f"naive all-pairs {naive_sweep:.2f} s; ratio {naive_sweep / sweep:.0f}×  "
          "(target ≤ 10 s)")


if __name__ == "__main__":
    main()
