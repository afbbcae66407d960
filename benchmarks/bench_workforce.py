"""Time the workforce model as the review runs it: all 44 built-in plans × 1,001 draws in one run,
against the yardstick of one whole-set run per plan (every footprint simulated and tabled, the
plan's rows kept), and one plan alone (the web app's "what if").

Run:  python benchmarks/bench_workforce.py [--draws 1001] [--repeat 5]

Times are warm (reference data, gap model and imports loaded) and the best of ``--repeat``.
The yardstick's rows are checked against the one run's: they must be identical.
Targets: 44 plans ≤ 1 s; one plan ≤ 50 ms.
"""

from __future__ import annotations

import argparse

import pandas as pd
from timing import timed

from openstp import data
from openstp.risk import builtin_plans, simulate
from openstp.workforce import run_workforce, workforce_gap, workforce_gaps
from openstp.workforce.api import plan_params
from openstp.workforce.baseline import baseline_table
from openstp.workforce.readiness import readiness_table
from openstp.workforce.tables import england_table, finance_table, gap_table


def whole_set(plan, share, draws: int, seed: int) -> pd.DataFrame:
    """One plan the old way: every footprint simulated and tabled (gap, England, finance,
    baseline), the plan's rows kept; only the arithmetic inside is today's."""
    code = plan.footprint
    run = run_workforce(plan.footprint_set, plan_params(None, plan),
                        (plan.base_year, plan.horizon), draws=draws, seed=seed,
                        plans={code: plan}, delivery={code: share})
    names = data.footprints(plan.footprint_set).set_index("code")["name"]
    england_table(run.years, run.in_post, run.required, run.supply, run.agency_cost)
    readiness_table(plan, run.for_plan(code, plan))
    tables = (gap_table(run, names), finance_table(run),
              baseline_table(run.footprints, names, run.in_post, run.staff.vacancy_rate[:, 1]))
    table, _, _ = (t[t["footprint"] == code].reset_index(drop=True) for t in tables)
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1001)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    plans = builtin_plans()
    risk = simulate(plans, draws=args.draws - 1, seed=args.seed, keep_delivered=True)
    shares = {code: risk.delivered_share(code)[:args.draws] for code in risk.footprints}
    first = plans[0]

    def together():
        return workforce_gaps(plans, draws=args.draws, seed=args.seed, delivery=shares)

    def yardstick():
        return [whole_set(p, shares[p.footprint], args.draws, args.seed) for p in plans]

    def one_plan():
        return workforce_gap(plan=first, draws=args.draws, seed=args.seed,
                             delivery=shares[first.footprint])

    results, old = together(), yardstick()  # warm, and the rows to compare
    one_plan()
    same = all(results[p.footprint].table.equals(rows) for p, rows in zip(plans, old,
                                                                          strict=True))
    fast = min(timed(together, args.repeat))
    slow = min(timed(yardstick, max(args.repeat // 2, 1)))
    single = min(timed(one_plan, args.repeat * 4))
    print(f"workforce, {len(plans)} plans × {args.draws:,} draws × 7 groups × "
          f"{len(first.years())} years (best of repeats, warm)")
    print(f"  {len(plans)} plans in one run:              {fast:8.3f} s")
    print(f"  {len(plans)} whole-set single-plan runs:     {slow:8.3f} s  (the yardstick)")
    print(f"  ratio (yardstick / one run):          {slow / fast:8.1f}×")
    print(f"  one plan alone ({first.footprint}):          {single * 1e3:8.1f} ms")
    print(f"  rows identical to the yardstick's:    {same}")


if __name__ == "__main__":
    main()
