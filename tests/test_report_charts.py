"""The charts: each draws exactly its table, labels from plans are escaped, colours are safe."""

import pandas as pd
import pytest
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.report import charts, maps
from openstp.report.blocks import SiteLinks
from openstp.report.footprint_blocks import footprint_charts, key_assumptions
from openstp.report.pages import england_page


def test_bridge_starts_with_the_gap_and_ends_with_the_total(sample):  # noqa: F811
    bridge = sample.footprint("E54000005").table("bridge")
    trace = charts.bridge_chart(bridge)["data"][0]
    assert trace["measure"][0] == "absolute" and trace["measure"][-1] == "total"
    assert set(trace["measure"][1:-1]) == {"relative"}
    assert trace["y"] == pytest.approx(list(bridge["amount"] / 1e6))
    assert trace["x"][0] == "Do-nothing gap" and trace["x"][-1] == "Residual gap"


def test_fan_chart_band_is_p10_to_p90(sample):  # noqa: F811
    residual = sample.footprint("E54000036").table("residual")
    fig = charts.fan_chart(residual)
    upper, lower = fig["data"][0], fig["data"][1]
    assert upper["y"] == pytest.approx(list(residual["p90"] / 1e6))
    assert lower["y"] == pytest.approx(list(residual["p10"] / 1e6))
    assert lower["fill"] == "tonexty"


def test_labels_from_plans_are_escaped():
    schemes = pd.DataFrame({"name": ["<b>bold</b> & co"], "evidence_grade": ["A"],
                            "variance_share": [1.0], "planned": [1.0], "expected": [1.0]})
    fig = charts.scheme_risk_chart(schemes)
    assert fig["data"][0]["y"][0] == "&lt;b&gt;bold&lt;/b&gt; &amp; co (A)"
    assert charts.short("x" * 60).endswith("…") and len(charts.short("x" * 60)) == 42


def test_palette_is_okabe_ito():
    assert charts.READINESS_COLOURS["ready"] == "#0072B2"
    assert charts.READINESS_COLOURS["not ready"] == "#E69F00"


def test_map_cells_cover_england_and_mark_unreviewed(sample):  # noqa: F811
    cells = maps.readiness_cells(sample.lsoa_points, sample.league)
    assert set(cells["overall"]) == {"ready", "not ready", "not reviewed"}
    assert 3000 < len(cells) < 8000
    assert cells["lon"].between(-6.5, 2).all() and cells["lat"].between(49.8, 56).all()


def test_every_footprint_chart_has_data_and_alt_text(sample):  # noqa: F811
    made = footprint_charts(sample.footprint("E54000030"))
    assert set(made) == {"bridge", "fan", "scheme-risk", "scheme-delivery", "beds", "occupancy", "locator",
                         "access-map", "access", "workforce", "gap-sectors"}
    for chart in made.values():
        assert not chart.data.empty and chart.alt.endswith(".") and chart.title
        assert chart.json().startswith("{")


def test_charts_are_drawn_only_when_needed(sample):  # noqa: F811
    made = footprint_charts(sample.footprint("E54000030"))
    assert "figure" not in made["access-map"].__dict__
    made["bridge"].json()
    assert "figure" in made["bridge"].__dict__


def test_england_page_figures(sample):  # noqa: F811
    page = england_page(sample, SiteLinks(0))
    labels = {label: value for _, label, value, _ in page["figures"]}
    assert labels["Plans ready"] == "1 of 3"
    assert len(page["league"].rows) == 3


def test_key_assumptions_are_ranged_or_set_by_the_plan(sample):  # noqa: F811
    keys = key_assumptions(sample.tables["assumptions"], None)
    assert keys["low"].notna().all()
    assert "gap.growth.non_demographic.acute" in set(keys["path"])
