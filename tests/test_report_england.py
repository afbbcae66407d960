"""All 44 footprints of 2017, from a real review: the site has every page, and the workbook's
England total is the CLI's England gap."""

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from openstp import data
from openstp.report import load_results, write_site

CODES = list(data.footprints("stp2017")["code"])


@pytest.fixture(scope="module")
def site(national_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("all") / "site"
    return out, write_site(load_results(national_folder), out)


def test_site_for_all_44_footprints(site):
    out, pages = site
    assert len(pages) == 3 + 44
    assert sorted(p.stem for p in (out / "footprints").glob("*.html")) == sorted(CODES)
    index = (out / "index.html").read_text()
    assert all(f'href="footprints/{code}.html"' in index for code in CODES)


def test_workbook_england_total_is_the_gap_commands(site):
    xlsx = site[0] / "openstp-results.xlsx"
    cli = subprocess.run([sys.executable, "-m", "openstp", "gap", "--format", "json"],
                         capture_output=True, text=True, timeout=300, check=True)
    figures = json.loads(cli.stdout)
    body = list(load_workbook(xlsx)["Gap summary"].iter_rows(values_only=True))
    header, total = body[0], body[-1]
    assert total[0] == "England" and len(body) == 1 + 44 + 1
    assert total[header.index("2020/21")] == pytest.approx(figures["england_gap"], rel=1e-9)
    assert total[header.index("all sectors 2020/21")] == pytest.approx(
        figures["england_gap_all_sectors"], rel=1e-9)
