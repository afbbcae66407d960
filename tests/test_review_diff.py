"""Plan and result diffs: what changed, field by field."""

import pandas as pd

from openstp.plan import load_plan
from openstp.review.diff import diff_plans, diff_tables

EXAMPLE = "examples/west_yorkshire_example.yaml"


def test_identical_plans_have_no_diff():
    plan = load_plan(EXAMPLE)
    assert diff_plans(plan, plan).empty


def test_changed_saving_and_removed_scheme_are_listed_by_id():
    old = load_plan(EXAMPLE)
    schemes = [s.model_copy() for s in old.schemes]
    first = schemes[0]
    year = max(first.saving)
    schemes[0] = first.model_copy(update={"saving": {**first.saving, year: 1.0}})
    removed = schemes.pop()
    new = old.model_copy(update={"schemes": schemes})
    diff = diff_plans(old, new).set_index("field")
    assert diff.loc[f"schemes.{first.id}.saving.{year}", "new"] == 1.0
    assert diff.loc[f"schemes.{first.id}.saving.{year}", "change"] == "changed"
    assert (diff.index.str.startswith(f"schemes.{removed.id}.")).any()
    assert set(diff.loc[diff.index.str.startswith(f"schemes.{removed.id}."), "change"]) == {
        "removed"}


def test_result_tables_diff_reports_moved_figures_and_verdicts():
    old = pd.DataFrame({"footprint": ["A", "B"], "overall": ["ready", "not ready"],
                        "probability_of_balance": [0.6, 0.1]})
    new = pd.DataFrame({"footprint": ["A", "B"], "overall": ["ready", "ready"],
                        "probability_of_balance": [0.6, 0.55]})
    diff = diff_tables(old, new)
    assert list(diff["footprint"]) == ["B", "B"]
    assert set(diff["column"]) == {"overall", "probability_of_balance"}
