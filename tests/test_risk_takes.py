"""What it would take: each answer brings P(balance) to its target on the same draws, the root
finder is exact where the answer is known, footprint answers do not depend on how the work is
split, and the command writes the JSON the issue asks for."""

from __future__ import annotations

import json

import numpy as np
import pytest

from openstp.risk.engine import run
from openstp.risk.levers import keep_footprints, scale_savings
from openstp.risk.takes import answer, chunk_task, find_root, quantile, what_it_takes

DRAWS, SEED = 300, 2016


@pytest.fixture(scope="module")
def takes(builtin_run):
    return what_it_takes(builtin_run.inputs, DRAWS, SEED, (0.5, 0.8))


def balanced(residual: np.ndarray) -> np.ndarray:
    return (np.rint(residual) <= 0).mean(axis=0)


def test_extra_funding_reaches_each_target_and_no_less_would(builtin_run, takes):
    residual = run(builtin_run.inputs, DRAWS, SEED).residual[1:, :, -1]
    footprints = takes.iloc[:-1]
    for key, t in (("p50", 0.5), ("p80", 0.8)):
        money = footprints[f"extra_funding_{key}"].to_numpy()
        assert (balanced(residual - money) >= t).all()
        assert (balanced(residual - money + 1e3) < t).all()
        assert (footprints[f"extra_funding_{key}_error"] > 0).all()
    england = takes.iloc[-1]
    assert england["footprint"] == "england"
    total = residual.sum(axis=1)
    assert balanced(total - england["extra_funding_p50"]) >= 0.5
    assert england["extra_funding_p80"] > england["extra_funding_p50"] > 0
    assert england["extra_funding_p50_share"] == pytest.approx(
        england["extra_funding_p50"] / builtin_run.inputs.allocation[:, -1].sum())


def test_savings_scale_up_reaches_its_target_on_the_same_draws(builtin_run, takes):
    scale = takes["savings_scale_p50"].to_numpy()[:-1]
    assert np.isfinite(scale[:3]).all() and (scale[:3] > 1).all()
    inputs = keep_footprints(builtin_run.inputs, [0, 1, 2])
    at = run(scale_savings(inputs, scale[:3]), DRAWS, SEED).residual[1:, :, -1]
    assert balanced(at) == pytest.approx(0.5, abs=2 / DRAWS)
    below = run(scale_savings(inputs, scale[:3] * 0.98), DRAWS, SEED).residual[1:, :, -1]
    assert (balanced(below) < 0.5).all()


def test_root_finder_is_exact_where_the_root_is_known():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(999, 3)) * [1.0, 2.0, 3.0] + [5.0, 6.0, 7.0]
    slope = np.array([1.0, 2.0, 0.5])
    root = find_root(lambda s: quantile(x - s * slope, 0.8), 0.0, 100.0, 3, tol=1e-9)
    expected = quantile(x, 0.8)[0] / slope
    assert root.value == pytest.approx(expected, rel=1e-6)
    assert root.error == pytest.approx(quantile(x, 0.8)[1] / slope, rel=1e-3)
    never = find_root(lambda s: quantile(x + s, 0.5), 0.0, 10.0, 3, tol=1e-6)
    assert np.isnan(never.value).all()


def test_a_footprints_answer_does_not_depend_on_the_others_in_its_task(builtin_run):
    inputs = builtin_run.inputs
    alone = chunk_task(inputs, [5], 200, SEED, (0.5,))
    together = answer(keep_footprints(inputs, [3, 4, 5]), 200, SEED, (0.5,), england=False)
    for key, value in alone.items():
        np.testing.assert_array_equal(value, together[key][2:])


def test_what_it_takes_json_has_england_and_every_footprint(cli, tmp_path):
    out = tmp_path / "takes.json"
    done = cli("what-it-takes", "--draws", "100", "--workers", "0", "--format", "json",
               "--out", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    assert doc["targets"] == [0.5, 0.8] and len(doc["rows"]) == 44
    for row in [doc["england"], *doc["rows"]]:
        for key in ("extra_funding_p50", "extra_funding_p80", "extra_funding_p50_error",
                    "extra_funding_p80_error"):
            assert row[key] > 0
    assert doc["england"]["extra_funding_p80"] > doc["england"]["extra_funding_p50"]


def test_targets_can_follow_one_option_as_the_issue_writes_them(cli):
    done = cli("what-it-takes", "--footprint", "E54000005", "--target", "0.5", "0.9",
               "--draws", "100", "--workers", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["targets"] == [0.5, 0.9] and doc["england"] is None
    assert doc["rows"][0]["extra_funding_p90"] > doc["rows"][0]["extra_funding_p50"]


def test_a_target_outside_zero_to_one_is_a_clear_error(cli):
    done = cli("what-it-takes", "--footprint", "E54000005", "--target", "1.5")
    assert done.returncode == 2 and "--target" in done.stderr and "Traceback" not in done.stderr


def test_review_report_and_workbook_carry_what_it_takes(tmp_path):
    from openpyxl import load_workbook

    from openstp.report import load_results, write_site
    from openstp.review.chain import run_chain
    from openstp.risk import builtin_plan

    codes = ["E54000005", "E54000012"]
    folder = run_chain([builtin_plan(c) for c in codes], draws=200, seed=5,
                       capacity_draws=50).write(tmp_path / "results")
    england = json.loads((folder / "england.json").read_text())["what_it_takes"]
    assert england["extra_funding_p80"] > england["extra_funding_p50"] > 0
    results = load_results(folder)
    league = results.league.set_index("footprint")
    assert (league["extra_funding_p50"] > 0).all() and (league["extra_funding_p50_error"] > 0).all()
    write_site(results, tmp_path / "site", workbook=True)
    page = (tmp_path / "site" / "footprints" / "E54000005.html").read_text()
    assert "What it would take to balance" in page
    money = f"£{league.at['E54000005', 'extra_funding_p50'] / 1e6:,.1f}m"
    assert money in page
    sheet = load_workbook(next((tmp_path / "site").glob("*.xlsx")), read_only=True)["League"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert {"extra_funding_p50", "extra_funding_p80_error", "extra_years_p50"} <= set(header)
