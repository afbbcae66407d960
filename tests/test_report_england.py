"""All 44 footprints of 2017: the site has every page, and the workbook's England total is the
CLI's England gap."""

import json
import subprocess
import sys

import pytest
from fixtures.sample_results import write_sample_results
from openpyxl import load_workbook

from openstp import data
from openstp.report import load_results, write_site

CODES = list(data.footprints("stp2017")["code"])


@pytest.fixture(scope="module")
def england(tmp_path_factory):
    folder = write_sample_results(tmp_path_factory.mktemp("all") / "results", CODES,
                                  access_lsoa=False)
    return load_results(folder)


def test_site_for_all_44_footprints(england, tmp_path):
    pages = write_site(england, tmp_path / "site")
    assert len(pages) == 3 + 44
    assert sorted(p.stem for p in (tmp_path / "site" / "footprints").glob("*.html")) == sorted(
        CODES)
    index = (tmp_path / "site" / "index.html").read_text()
    assert all(f'href="footprints/{code}.html"' in index for code in CODES)


def test_workbook_england_total_is_the_gap_commands(england, tmp_path):
    xlsx = tmp_path / "all.xlsx"
    from openstp.report import write_workbook

    write_workbook(england, xlsx)
    cli = subprocess.run([sys.executable, "-m", "openstp", "gap", "--format", "json"],
                         capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(cli.stdout)
    body = list(load_workbook(xlsx)["Gap summary"].iter_rows(values_only=True))
    header, total = body[0], body[-1]
    assert total[0] == "England" and len(body) == 1 + 44 + 1
    assert total[header.index("2020/21")] == pytest.approx(figures["england_gap"], rel=1e-9)
    assert total[header.index("all sectors 2020/21")] == pytest.approx(
        figures["england_gap_all_sectors"], rel=1e-9)
