"""NHS England's bed-closure test (March 2017), applied to each closure in a plan.

A significant closure must meet at least one of three conditions: alternative provision in place
with the workforce to deliver it; new treatments that reduce specific admissions; or below-average
bed efficiency with a credible plan to improve. OpenSTP records which conditions the plan
evidences and adds what the test leaves implicit: the probability, over simulated futures, that
the beds left still cover the beds required.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from openstp.plan import Plan


def closure_footprint_rows(plan: Plan, footprint: str) -> pd.DataFrame:
    """The plan's G&A bed changes as rows (footprint, year, change) for the capacity model."""
    rows = [{"footprint": footprint, "year": c.year, "change": c.change}
            for c in plan.bed_changes if c.bed_type.value == "general_acute"]
    return pd.DataFrame(rows, columns=["footprint", "year", "change"])


def bed_test(plan: Plan, years: list[str], planned: np.ndarray, required: np.ndarray,
             min_probability_safe: float) -> pd.DataFrame:
    """One row per planned closure: conditions evidenced, probability safe, verdict, reason.

    ``planned`` (year,) beds available; ``required`` (draw, year) beds required.
    """
    starts = {s.id: s.start_year for s in plan.schemes}
    rows = []
    for change in plan.bed_changes:
        if change.change >= 0:
            continue
        y = years.index(change.year)
        safe = (planned[None, y:] >= required[:, y:]).all(axis=1).mean()
        evidenced = [c.condition.value for c in change.conditions if c.evidence.strip()]
        late = [r for r in change.relies_on if starts.get(r, change.year) > change.year]
        if "alternative_provision" in evidenced and late:
            evidenced.remove("alternative_provision")
        if not evidenced:
            verdict = "fails"
            reason = ("no bed-test condition evidenced" if not late else
                      f"alternative provision not in place: {', '.join(late)} start after "
                      f"{change.year}")
        elif safe < min_probability_safe:
            verdict = "fails"
            reason = (f"evidences {', '.join(evidenced)} but the beds left cover the beds "
                      f"required in only {safe:.0%} of simulated futures")
        else:
            verdict = "meets"
            reason = (f"evidences {', '.join(evidenced)}; beds left cover beds required in "
                      f"{safe:.0%} of simulated futures")
        rows.append({"id": change.id, "trust": change.trust, "year": change.year,
                     "change": change.change, "conditions_evidenced": len(evidenced),
                     "conditions": ", ".join(evidenced), "probability_safe": float(safe),
                     "verdict": verdict, "reason": reason})
    return pd.DataFrame(rows, columns=["id", "trust", "year", "change", "conditions_evidenced",
                                       "conditions", "probability_safe", "verdict", "reason"])
