"""Which assumptions matter: the Sobol wiring recovers the Ishigami function's known indices,
every ranged risk parameter is a factor, a delivery median keeps its prior's shape, and the
indices of England's residual gap are reproducible and rank a strong parameter first."""

from __future__ import annotations

import json

import numpy as np
import pytest

from openstp.params import load_parameters
from openstp.risk.levers import keep_footprints
from openstp.risk.sobol import Factor, analyse, factors, sensitivity

# Ishigami & Homma (1990), a = 7, b = 0.1: analytic first-order and total indices
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_wiring_recovers_the_ishigami_indices():
    found = [Factor(f"x{i}", -np.pi, np.pi) for i in range(3)]
    table = analyse(found, ishigami, 4096, seed=1)
    assert table["first_order"].to_numpy() == pytest.approx(ISHIGAMI_S1, abs=0.03)
    assert table["total"].to_numpy() == pytest.approx(ISHIGAMI_ST, abs=0.03)
    assert (table["first_order_low"] < table["first_order"]).all()
    assert (table["total_high"] > table["total"]).all()


def test_every_ranged_risk_parameter_is_a_factor_and_nothing_else():
    params = load_parameters()
    found = {f.path for f in factors(params)}
    assert len(found) >= 20
    assert {"risk.pressure.loading", "risk.delivery.provider_efficiency.median",
            "risk.capital.on_time", "risk.ambition.provider_efficiency.reference"} <= found
    assert all(p.startswith("risk.") for p in found)
    assert not any(p.endswith((".p10", ".p90")) for p in found)


def test_a_delivery_median_takes_its_p10_and_p90_along():
    params = load_parameters()
    factor = next(f for f in factors(params) if f.path == "risk.delivery.prescribing.median")
    moved = factor.overrides(factor.high, params)
    assert moved["risk.delivery.prescribing.median"] == factor.high
    assert params.value("risk.delivery.prescribing.p10") < moved[
        "risk.delivery.prescribing.p10"] < factor.high < moved["risk.delivery.prescribing.p90"]


def test_england_indices_are_reproducible_and_rank_cip_delivery_high(builtin_run):
    params = load_parameters()
    inputs = keep_footprints(builtin_run.inputs, list(range(6)))
    first = sensitivity(inputs, params, 8, 40, seed=3)
    again = sensitivity(inputs, params, 8, 40, seed=3)
    england, footprints, runs = first
    assert runs == 8 * (len(factors(params)) + 2)
    assert england.equals(again[0])
    top = england["parameter"].head(5).tolist()
    assert "risk.delivery.provider_efficiency.median" in top
    assert set(footprints["footprint"]) == set(inputs.footprints)


def test_sensitivity_json_lists_rows_with_intervals(cli, tmp_path):
    out = tmp_path / "sobol.json"
    done = cli("sensitivity", "--footprint", "E54000005", "--samples", "4", "--draws", "20",
               "--workers", "0", "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert doc["model_runs"] == 4 * (len(factors(load_parameters())) + 2)
    row = doc["rows"][0]
    assert {"parameter", "first_order", "total", "first_order_interval",
            "total_interval"} <= set(row)
    totals = [r["total"] for r in doc["rows"] if r["total"] is not None]
    assert totals == sorted(totals, reverse=True)


def test_samples_must_be_a_power_of_two(cli):
    done = cli("sensitivity", "--samples", "10", "--workers", "0")
    assert done.returncode == 2 and "power of 2" in done.stderr


def test_review_with_sensitivity_feeds_the_report_chart_and_workbook_sheet(tmp_path):
    from openpyxl import load_workbook

    from openstp.report import load_results, write_site
    from openstp.review.chain import run_chain
    from openstp.risk import builtin_plan

    run = run_chain([builtin_plan("E54000005"), builtin_plan("E54000012")], draws=100,
                    seed=5, capacity_draws=20, sensitivity_samples=4)
    folder = run.write(tmp_path / "results")
    results = load_results(folder)
    assert set(results.tables["sensitivity"]["parameter"]) == {
        f.path for f in factors(load_parameters())}
    write_site(results, tmp_path / "site", workbook=True)
    page = (tmp_path / "site" / "index.html").read_text()
    assert "Which assumptions matter" in page
    book = load_workbook(next((tmp_path / "site").glob("*.xlsx")), read_only=True)
    assert "Sensitivity" in book.sheetnames


def test_review_rejects_a_sample_size_that_is_not_a_power_of_two(cli, tmp_path):
    done = cli("review", "--sensitivity", "12", "--out", str(tmp_path / "r"))
    assert done.returncode == 2 and "power of 2" in done.stderr
