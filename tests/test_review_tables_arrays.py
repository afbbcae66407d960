"""Results tables built from arrays give what the pandas idioms they replace gave."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from openstp.review import tables
from openstp.review.chain import run_chain
from openstp.risk import builtin_plan

CODES = ["E54000036", "E54000005", "E54000012"]  # not in code order


@pytest.fixture(scope="module")
def run():
    return run_chain([builtin_plan(c) for c in CODES], draws=100, seed=3, capacity_draws=20)


def test_bridge_keeps_footprint_order_then_step_order(run):
    summary = run.risk.summary().set_index("footprint")
    bridge = tables._bridge(run, summary)
    by_type = run.risk.by_type().set_index(["footprint", "type"])
    assert list(dict.fromkeys(bridge["footprint"])) == CODES
    for code, rows in bridge.groupby("footprint", sort=False):
        types = by_type.loc[code].index.tolist()
        assert rows["step"].tolist() == ["do-nothing gap", "gap uncertainty",
                                         *(t.replace("_", " ") for t in types),
                                         "investment", "residual gap"]
        assert rows["amount"].iloc[0] == summary.at[code, "gap"]
        assert rows["amount"].iloc[2:-2].tolist() == (
            -by_type.loc[code, "expected_saving"]).tolist()


def _detail_run(lsoas):
    return SimpleNamespace(plans=[SimpleNamespace(footprint_set="stp2017")], codes=["E54000005"],
                           access={"E54000005": {"ed": {"lsoas": lsoas}}})


def test_lsoa_detail_places_areas_as_a_left_merge_on_the_code_would():
    points = tables._points_of("stp2017")
    lsoas = pd.DataFrame({"lsoa11cd": [points["lsoa11cd"].iloc[7], "NOT-AN-AREA",
                                       points["lsoa11cd"].iloc[3]],
                          "users": [1.0, 2.0, 3.0], "site_before": "A", "site_after": "B",
                          "minutes_before": [10.0, 20.0, 30.0],
                          "minutes_after": [11.0, 21.0, 31.0]})
    detail = tables._access_lsoa(_detail_run(lsoas))
    merged = lsoas.merge(points[["lsoa11cd", "lon", "lat"]], on="lsoa11cd", how="left")
    np.testing.assert_array_equal(detail["lon"], merged["lon"])
    np.testing.assert_array_equal(detail["lat"], merged["lat"])
    assert np.isnan(detail["lon"].iloc[1]) and tables._places.cache_info().currsize >= 1
    assert tables._access_lsoa(_detail_run(lsoas.iloc[:0])).empty


def test_verdict_counts_and_patterns_count_a_missing_rating_once(run):
    league = run.tables().frames["league"]
    rule = next(iter(tables.catalogue_for("stp2017")))
    league[rule] = ["met", np.nan, np.nan]
    summary = run.risk.summary().set_index("footprint")
    england = tables._england(run, league, summary)
    rules = list(tables.catalogue_for("stp2017"))
    assert england["rules_passed"][rule] == 1
    assert england["rules_passed"] == {r: int((league[r] == "met").sum()) for r in rules}
    assert england["rules_not_applicable"] == {
        r: int((league[r] == "not_applicable").sum()) for r in rules}
    assert england["verdict_patterns"] == league[rules].drop_duplicates().shape[0]
