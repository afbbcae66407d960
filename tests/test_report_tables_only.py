"""A footprint's tables can be built in part (a what-if resends only some)."""

from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.report import footprint_blocks
from openstp.report.blocks import SiteLinks
from openstp.report.footprint_blocks import footprint_tables


def test_only_the_tables_asked_for_are_built_and_they_are_the_full_builds(sample, monkeypatch):  # noqa: F811
    fp = sample.footprint("E54000005")
    every = footprint_tables(fp, SiteLinks(1), None)
    assert {"verdicts", "schemes", "assumptions-table"} <= set(every)

    def unwanted(*args):
        raise AssertionError("the assumptions table was built though not asked for")

    monkeypatch.setattr(footprint_blocks, "key_assumptions", unwanted)
    some = footprint_tables(fp, SiteLinks(1), None, only=("schemes", "verdicts"))
    assert list(some) == ["verdicts", "schemes"]
    for name, table in some.items():
        assert (table.caption, table.rows) == (every[name].caption, every[name].rows)
