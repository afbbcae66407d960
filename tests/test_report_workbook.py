"""``openstp export --xlsx``: a workbook of real numbers whose totals equal the CLI's figures."""

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.gap.sectors import NHS_SECTORS
from openstp.report.workbook import MONEY, PERCENT

SHEETS = ["Read me", "Inputs", "Gap", "Gap data", "About", "Gap summary", "League", "Review",
          "Rules", "Assumptions", "Gap by footprint", "Bridge", "Schemes", "Residual", "Beds",
          "Closures", "Workforce", "Access", "Social care"]


def run(*args):
    result = subprocess.run([sys.executable, "-m", "openstp", *args],
                            capture_output=True, check=False,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def workbook(sample_folder, tmp_path_factory):  # noqa: F811
    path = tmp_path_factory.mktemp("xlsx") / "results.xlsx"
    run("export", "--results", str(sample_folder), "--xlsx", str(path))
    return load_workbook(path)


def rows(ws):
    values = list(ws.iter_rows(values_only=True))
    return values[0], values[1:]


def test_workbook_has_every_sheet(workbook):
    assert workbook.sheetnames == SHEETS


def test_gap_summary_equals_the_gap_command(workbook, sample):  # noqa: F811
    header, body = rows(workbook["Gap summary"])
    horizon = sample.horizon
    col, all_col = header.index(horizon), header.index(f"all sectors {horizon}")
    by_code = {r[0]: r for r in body}
    for code in sample.footprints():
        cli = json.loads(run("gap", "--footprint", code, "--format", "json").stdout)
        assert by_code[code][col] == pytest.approx(cli["footprint_gap"], rel=1e-9)
        assert by_code[code][all_col] == pytest.approx(cli["footprint_gap_all_sectors"],
                                                       rel=1e-9)
    assert by_code["England"][col] == pytest.approx(sample.england["england_gap"], rel=1e-9)
    assert by_code["England"][all_col] == pytest.approx(
        sample.england["england_gap_all_sectors"], rel=1e-9)


def test_about_sheet_carries_england(workbook, sample):  # noqa: F811
    about = {r[0]: r[1] for r in workbook["About"].iter_rows(values_only=True) if r[0]}
    assert about["england_gap"] == pytest.approx(sample.england["england_gap"])
    assert about["horizon"] == sample.horizon and about["seed"] == sample.england["seed"]


def test_numbers_are_numbers_with_finance_formats(workbook, sample):  # noqa: F811
    ws = workbook["Gap by footprint"]
    header, body = rows(ws)
    gap_col = header.index("gap")
    assert all(isinstance(r[gap_col], int | float) for r in body)
    assert ws.cell(2, gap_col + 1).number_format == MONEY
    nhs = sum(r[gap_col] for r in body
              if r[header.index("year")] == sample.horizon and r[header.index("sector")]
              in NHS_SECTORS)
    assert nhs == pytest.approx(sample.england["england_gap"], rel=1e-9)
    league = workbook["League"]
    lh, _ = rows(league)
    assert league.cell(2, lh.index("probability_of_balance") + 1).number_format == PERCENT
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref


def test_schemes_sheet_totals(workbook, sample):  # noqa: F811
    header, body = rows(workbook["Schemes"])
    total = body[-1]
    assert total[0] == "Total"
    schemes = sample.tables["schemes"]
    assert total[header.index("planned")] == pytest.approx(schemes["planned"].sum())
    assert total[header.index("expected")] == pytest.approx(schemes["expected"].sum())
    assert len(body) == len(schemes) + 1


def test_review_sheet_holds_every_verdict(workbook, sample):  # noqa: F811
    header, body = rows(workbook["Review"])
    assert len(body) == len(sample.tables["verdicts"])
    assert {"footprint", "rule", "rating", "explanation"} <= set(header)
