"""The workbook is a model: LibreOffice (headless) recalculates its Gap sheet from the Inputs, at
the defaults to ``openstp gap``'s England figures, and after an input is changed to what the
model gives with that parameter overridden. Also: formats by unit, rule titles, Read me."""

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.gap.components import gap_components
from openstp.params import builtin_parameters
from openstp.report.workbook import COUNT, MONEY, build_workbook, column_format
from openstp.report.workbook_model import name_of

SOFFICE = shutil.which("soffice")
GROWTH = "gap.growth.non_demographic.acute"


def recalculated(paths: list[Path], out: Path) -> list[Path]:
    """Each workbook opened, recalculated and saved again by LibreOffice (own profile: two
    test workers may run it at once)."""
    profile = f"file:///tmp/openstp-lo-{uuid.uuid4().hex}"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), *map(str, paths)], check=True,
                   capture_output=True, timeout=240)
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return [out / p.name for p in paths]


@pytest.fixture(scope="module")
def built(sample):  # noqa: F811
    return build_workbook(sample)


def horizon_totals(path: Path) -> dict[str, float]:
    ws = load_workbook(path, data_only=True)["Gap"]
    return {str(r[1]): r[-1] for r in ws.iter_rows(values_only=True)
            if r[0] == "England"}


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-calc-nogui)")
def test_libreoffice_recalculates_the_gap_from_the_inputs(built, sample, tmp_path):  # noqa: F811
    defaults = tmp_path / "defaults.xlsx"
    built.save(defaults)
    changed = tmp_path / "changed.xlsx"
    wb = load_workbook(defaults)
    sheet, cell = wb.defined_names[name_of(GROWTH)].attr_text.split("!")
    wb[sheet][cell.replace("$", "")] = 0.04
    wb.save(changed)
    (out := tmp_path / "out").mkdir()
    at_defaults, after = (horizon_totals(p) for p in recalculated([defaults, changed], out))
    e = sample.england
    model = gap_components(e["footprint_set"], builtin_parameters(), e["base_year"],
                           e["horizon"])
    nhs = [i for i, f in enumerate(model.funders) if f == "nhs_england"]
    nhs_key = next(k for k in at_defaults if "NHS England" in k)
    all_key = next(k for k in at_defaults if "All sectors" in k)
    assert at_defaults[nhs_key] == pytest.approx(model.gap[nhs, -1].sum(), rel=1e-9)
    assert at_defaults[all_key] == pytest.approx(model.gap[:, -1].sum(), rel=1e-9)
    moved = gap_components(e["footprint_set"], builtin_parameters().with_overrides(
        {GROWTH: 0.04}), e["base_year"], e["horizon"])
    assert after[nhs_key] == pytest.approx(moved.gap[nhs, -1].sum(), rel=1e-9)
    assert after[nhs_key] > at_defaults[nhs_key] + 1e9


def test_the_defaults_equal_the_gap_command(sample, cli):  # noqa: F811
    import json

    e = sample.england
    out = json.loads(cli("gap", "--base-year", e["base_year"], "--year", e["horizon"],
                         "--format", "json").stdout)
    model = gap_components(e["footprint_set"], builtin_parameters(), e["base_year"],
                           e["horizon"])
    nhs = [i for i, f in enumerate(model.funders) if f == "nhs_england"]
    assert model.gap[nhs, -1].sum() == pytest.approx(out["england_gap"], rel=1e-12)
    assert model.gap[:, -1].sum() == pytest.approx(out["england_gap_all_sectors"], rel=1e-12)


def test_every_gap_input_is_a_named_cell_with_unit_and_source(built):
    ws = built["Inputs"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[1]}
    assert name_of(GROWTH) in rows and rows[name_of(GROWTH)][3] == pytest.approx(
        builtin_parameters().value(GROWTH))
    for name, row in rows.items():
        assert name in built.defined_names, name
        assert row[4] and row[6], f"{name} lacks a unit or a source"
    assert "risk_delivery_provider_efficiency_median" in rows


def test_formats_follow_units_and_rules_read_as_titles(built, sample):  # noqa: F811
    gap = built["Gap"]
    assert gap["H9"].number_format == MONEY and '"m"' in MONEY and "(" in MONEY
    header = [c.value for c in built["Workforce"][1]]
    assert built["Workforce"].cell(2, header.index("required") + 1).number_format == COUNT
    assert column_format("Workforce", "gap") == COUNT  # staff, not £
    assert column_format("Workforce", "agency_cost") == MONEY
    league = [c.value for c in built["League"][1]]
    assert "Funding shortfall" in league and "lsbu.funding" not in league
    review = [c.value for c in built["Review"][1]]
    assert review.index("rule_title") < review.index("rule")
    readme = [r[0] for r in built["Read me"].iter_rows(values_only=True)]
    assert all(name in readme for name in built.sheetnames)
    care = [c.value for c in built["Social care"][1]]
    assert {"gap", "delayed_days", "extra_beds"} <= set(care)
