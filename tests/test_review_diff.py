"""Plan and result diffs: what changed, field by field."""

import pandas as pd
import pytest

from openstp.plan import load_plan
from openstp.review.diff import Review, diff_plans, diff_reviews

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


def _review(residual, p_balance, overall, loading, rating):
    league = pd.DataFrame({"footprint": ["A", "B", "C"], "name": ["Aa", "Bb", "Cc"],
                           "overall": overall, "gap": [10e6, 20e6, 30e6],
                           "residual_gap_mean": residual, "probability_of_balance": p_balance,
                           "beds_gap": [1, 2, 3], "workforce_gap_fte": [5.0, 6.0, 7.0]})
    verdicts = pd.DataFrame({"footprint": ["A", "B"], "rule": ["r1", "r1"],
                             "rating": rating, "explanation": ["x", "y"]})
    assumptions = pd.DataFrame({"path": ["risk.pressure.loading", "gap.funding.x"],
                                "year": [None, "2016/17"], "unit": ["fraction", "£bn"],
                                "value": [loading, 1.0]})
    england = {"residual_gap_mean": float(sum(residual)),
               "overall": {"ready": overall.count("ready"),
                           "not ready": overall.count("not ready")}}
    return Review(league, verdicts, assumptions, england)


def test_a_results_diff_answers_what_changed_and_by_how_much():
    old = _review([5e6, 8e6, 9e6], [0.1, 0.0, 0.2], ["not ready"] * 3, 0.4, ["met", "met"])
    new = _review([5e6, 2e6, 9.5e6], [0.1, 0.4, 0.2], ["not ready", "ready", "not ready"],
                  0.2, ["met", "not_met"])
    sections = diff_reviews(old, new)
    assert list(sections) == ["assumptions", "england", "footprints", "verdicts"]
    changed = sections["assumptions"]
    assert list(changed["path"]) == ["risk.pressure.loading"]
    assert (changed.iloc[0]["old"], changed.iloc[0]["new"]) == (0.4, 0.2)
    assert changed.iloc[0]["difference"] == pytest.approx(-0.2)
    england = sections["england"].set_index("measure")
    left = england.loc["gap left after the plans, mean (£)"]
    assert (left["old"], left["new"]) == (22e6, 16.5e6)
    assert left["percent"] == pytest.approx(-0.25)
    assert england.loc["plans ready", "new"] == 1
    footprints = sections["footprints"]
    assert list(footprints["footprint"]) == ["B", "C", "A"]  # largest move of the gap left first
    assert footprints.iloc[0]["gap_left_change"] == -6e6
    assert footprints.iloc[0]["overall_new"] == "ready"
    assert sections["verdicts"].to_dict("records") == [
        {"footprint": "B", "rule": "r1", "old": "met", "new": "not_met", "explanation": "y"}]


def test_identical_reviews_differ_in_nothing():
    same = _review([5e6, 8e6, 9e6], [0.1, 0.0, 0.2], ["not ready"] * 3, 0.4, ["met", "met"])
    sections = diff_reviews(same, same)
    assert sections["assumptions"].empty and sections["verdicts"].empty
    assert (sections["footprints"]["gap_left_change"] == 0).all()
