"""Time access: one all-England reconfiguration, a sweep of every single-ED closure and
``assess_access`` for one plan, each beside a naive yardstick (all pairs recomputed from
scratch; the model rebuilt per call).

Run:  python benchmarks/bench_access.py
Targets: one reconfiguration of 32,844 LSOAs × all ED sites (summary by group with thresholds,
deaths) ≤ 15 ms median; the sweep of every single-ED closure ≤ 50 ms; ``assess_access`` for one
plan's site changes, warm (the model kept from an earlier call) ≤ 20 ms. Prints numbers only;
nothing is asserted. Medians: the machine is shared.
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

import numpy as np
from timing import timed

from openstp.access import (
    Change,
    assess_access,
    build_model,
    closure_sweep,
    run_scenario,
    scenario_deaths,
    summarise,
)
from openstp.access.mortality import Gradient
from openstp.access.travel import travel_arrays
from openstp.plan import load_plan

CLOSE = ["RWY01", "RAE01", "RK950"]  # Huddersfield, Bradford, Derriford
PLAN = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_example.yaml"


def reconfigure(model) -> None:
    """The fast path: re-rank only areas whose nearest site closed, then summarise by group."""
    scenario = run_scenario(model, [Change(site=s, action="close") for s in CLOSE])
    summarise(scenario, deaths=scenario_deaths(scenario))


def reconfigure_first(model) -> None:
    """The fast path with nothing of the baseline kept: a copy of the baseline is not the
    model's own, so its figures and its sort are computed afresh (an upper bound for the
    first scenario of a footprint)."""
    scenario = run_scenario(model, [Change(site=s, action="close") for s in CLOSE])
    fresh = dataclasses.replace(scenario.before, minutes=scenario.before.minutes.copy())
    summarise(dataclasses.replace(scenario, before=fresh), deaths=scenario_deaths(scenario))


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
    cold = timed(lambda: build_model("ed", cache=False))[0]
    model = build_model("ed")
    n, m = model.travel.minutes.shape
    print(f"build the ED model ({n:,} LSOAs × {m} sites, loads data once): {cold * 1e3:8.1f} ms")
    fast = statistics.median(timed(lambda: reconfigure(model), repeat=50))
    naive = statistics.median(timed(lambda: reconfigure_naive(model), repeat=5))
    print(f"one reconfiguration, all England (close {len(CLOSE)} EDs, summary by group, deaths): "
          f"median {fast * 1e3:.1f} ms; naive all-pairs {naive * 1e3:.1f} ms; "
          f"ratio {naive / fast:.1f}×  (target ≤ 15 ms)")
    first = statistics.median(timed(lambda: reconfigure_first(model), repeat=50))
    print(f"  the same, first scenario of its groups (baseline figures not yet kept): median "
          f"{first * 1e3:.1f} ms; ratio {naive / first:.1f}×")
    sweep = statistics.median(timed(lambda: closure_sweep(model), repeat=30))
    naive_sweep = timed(lambda: sweep_naive(model))[0]
    print(f"sweep of every single-ED closure ({m} closures): median {sweep * 1e3:.1f} ms; "
          f"naive all-pairs {naive_sweep:.2f} s; ratio {naive_sweep / sweep:.0f}×  "
          "(target ≤ 50 ms)")
    plan = load_plan(PLAN)
    assess_access("ed", plan=plan)  # warm: the model is kept from here on
    warm = statistics.median(timed(lambda: assess_access("ed", plan=plan), repeat=50))
    rebuilt = timed(lambda: assess_access("ed", plan=plan,
                                          model=build_model("ed", cache=False)))[0]
    print(f"assess_access for one plan ({plan.name}), warm: median {warm * 1e3:.1f} ms; "
          f"model rebuilt per call {rebuilt * 1e3:.0f} ms; ratio {rebuilt / warm:.0f}×  "
          "(target ≤ 20 ms)")


if __name__ == "__main__":
    main()
