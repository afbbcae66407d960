"""England's maps are drawn from the shipped footprint outlines, offline, and carry the numbers."""

import pandas as pd
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp import data
from openstp.report import england_maps
from openstp.report.blocks import SiteLinks
from openstp.report.pages import england_page


def _league():
    fps = data.footprints("stp2017")
    return pd.DataFrame({"footprint": fps["code"], "name": fps["name"], "overall": "not ready",
                         "lsbu.funding": ["not_met"] * 40 + ["met"] * 4,
                         "gap_per_head": range(44), "residual_per_head": range(44, 0, -1),
                         "probability_of_balance": 0.0, "beds_gap": 10.0})


def test_the_44_outlines_ship_with_the_package():
    rings = england_maps._rings("stp_boundaries_2017")
    assert set(rings) == set(data.footprints("stp2017")["code"])
    regions = england_maps._rings("regions_boundaries")
    assert len(regions) == 9 and all(c.startswith("E12") for c in regions)


def test_choropleth_shades_each_footprint_by_each_metric():
    table = england_maps.map_table(_league())
    fig = england_maps.choropleth(table)
    fills = [t for t in fig["data"] if t.get("fill") == "toself"]
    assert len(fills) == 44 * len(england_maps.METRICS)
    buttons = fig["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == [m.label for m in england_maps.METRICS]
    first = [t for t in fig["data"] if t.get("visible") is True]
    assert len(first) == 45  # one metric at a time: 44 shapes and the hover/colour-bar trace
    # the smallest and largest residual per head get the two ends of the colour scale
    residual = fills[2 * 44: 3 * 44]
    colours = {t["name"]: t["fillcolor"] for t in residual}
    assert colours["E54000005"] != colours["E54000048"]
    hover = next(t for t in fig["data"] if t.get("mode") == "markers"
                 and t.get("name") == "Gap left per head")
    assert any("£44" in h for h in hover["text"])
    # regions are drawn over the footprints on every metric
    assert all(b["args"][0]["visible"][-1] for b in buttons)


def test_locator_highlights_one_footprint():
    fig = england_maps.locator("E54000041")
    highlighted = [t for t in fig["data"] if t.get("fillcolor") == england_maps.BLUE]
    assert len(highlighted) == 1 and highlighted[0]["text"] == "Dorset"


def test_england_page_has_a_sortable_league_and_short_rule_titles(sample):  # noqa: F811
    page = england_page(sample, SiteLinks(0))
    assert page["league"].sortable and page["matrix"].sortable
    headers = [h for h, _ in page["matrix"].headers]
    assert "Funding" in headers and all(len(h) <= 20 for h in headers)
    numeric = [c for c in page["league"].rows[0] if c.numeric]
    assert numeric and all(c.key for c in numeric if c.text != "–")
    assert page["charts"]["map"].data["footprint"].nunique() == len(sample.league)


def test_footprints_of_sets_without_shipped_outlines_get_no_locator(sample):  # noqa: F811
    import dataclasses

    from openstp.report.footprint_blocks import footprint_charts

    fp = sample.footprint(sample.footprints()[0])
    assert "locator" in footprint_charts(fp)
    other = dataclasses.replace(fp, footprint_set="icb2023")  # E54 codes that mean other areas
    assert "locator" not in footprint_charts(other)
