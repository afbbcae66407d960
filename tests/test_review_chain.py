"""The whole chain on built-in plans: results folder, league table, verdicts, CLI and diff."""

import io
import json

import pandas as pd
import pytest

from openstp.beds import bed_day_reduction
from openstp.review.chain import run_chain
from openstp.review.verdict import CATALOGUE, Rating
from openstp.risk import builtin_plan

CODES = ["E54000005", "E54000012", "E54000036"]


@pytest.fixture(scope="module")
def run():
    return run_chain([builtin_plan(c) for c in CODES], draws=200, seed=5, capacity_draws=50)


@pytest.fixture(scope="module")
def folder(run, tmp_path_factory):
    return run.write(tmp_path_factory.mktemp("results"))


def test_results_folder_has_every_table(folder):
    names = {p.name for p in folder.iterdir()}
    for table in ("league", "verdicts", "rules", "assumptions", "gap", "bridge", "residual",
                  "schemes", "beds", "closures", "workforce", "access"):
        assert f"{table}.csv" in names
    assert {"england.json", "lsoa_points.parquet", "plans"} <= names
    assert sorted(p.stem for p in (folder / "plans").iterdir()) == CODES


def test_league_has_one_row_per_footprint_and_a_column_per_rule(folder):
    league = pd.read_csv(folder / "league.csv")
    assert list(league["footprint"]) == CODES
    assert set(CATALOGUE) <= set(league.columns)
    assert set(league[list(CATALOGUE)].stack()) <= {r.value for r in Rating}
    assert league["overall"].isin(["ready", "not ready"]).all()
    assert (league["gap"] > 0).all() and league["probability_of_balance"].between(0, 1).all()


def test_every_verdict_is_explained_footprint_by_footprint(folder):
    verdicts = pd.read_csv(folder / "verdicts.csv")
    assert len(verdicts) == len(CODES) * len(CATALOGUE)
    assert verdicts["explanation"].str.len().min() > 10
    funding = verdicts[verdicts["rule"] == "lsbu.funding"]
    assert funding["explanation"].str.contains("P\\(balance in 2020/21\\)").all()


def test_bridge_runs_from_gap_to_residual(folder):
    bridge = pd.read_csv(folder / "bridge.csv")
    for _, steps in bridge.groupby("footprint"):
        assert steps["step"].iloc[0] == "do-nothing gap"
        assert steps["step"].iloc[-1] == "residual gap"
        # the steps add up to the mean residual gap
        assert steps["amount"].iloc[:-1].sum() == pytest.approx(steps["amount"].iloc[-1],
                                                                rel=1e-6)


def test_england_summary_counts_rules(folder):
    england = json.loads((folder / "england.json").read_text())
    assert england["footprints"] == len(CODES)
    assert set(england["rules_passed"]) == set(CATALOGUE)
    assert england["plans"].startswith("built-in plans") and "illustrative savings" in england["plans"]


def test_demand_management_removes_bed_days_only_as_delivered(run):
    plans = [builtin_plan(c) for c in CODES]
    cut = bed_day_reduction(run.risk, plans, run.params, 50)
    assert cut.shape == (51, len(CODES), 6)
    assert (cut[:, :, 0] == 0).all()  # nothing is delivered in the base year
    assert 0 < cut[0, 0, -1] < 0.2
    assert cut[1:, 0, -1].std() > 0  # delivery varies across draws


def test_same_seed_same_league(run):
    again = run_chain([builtin_plan(c) for c in CODES], draws=200, seed=5, capacity_draws=50)
    pd.testing.assert_frame_equal(run.tables().frames["league"],
                                  again.tables().frames["league"])


def test_cli_review_writes_league_csv(cli, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    from openstp.plan import dump_plan

    dump_plan(builtin_plan("E54000005"), plans / "wy.yaml")
    out = tmp_path / "out"
    result = cli("review", "--plans", str(plans), "--draws", "100", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "West Yorkshire" in result.stdout
    assert len(pd.read_csv(out / "league.csv")) == 1


def test_cli_review_rejects_a_folder_with_a_broken_plan(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("footprint: E54000005\nname: x\nschemes: 3\n")
    result = cli("review", "--plans", str(tmp_path), "--draws", "10", "--out",
                 str(tmp_path / "o"))
    assert result.returncode == 2
    assert "bad.yaml:3: schemes" in result.stderr
    assert not (tmp_path / "o").exists()


def test_cli_diff_of_two_plans_shows_plan_and_figure_changes(cli, tmp_path):
    from openstp.plan import dump_plan

    old = builtin_plan("E54000005")
    first = old.schemes[0]
    new = old.model_copy(update={"schemes": [first.model_copy(update={"saving": {
        y: v * 2 for y, v in first.saving.items()}}), *old.schemes[1:]]})
    dump_plan(old, tmp_path / "old.yaml")
    dump_plan(new, tmp_path / "new.yaml")
    result = cli("diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--draws",
                 "50", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert f"schemes.{first.id}.saving" in result.stdout
    rows = pd.read_csv(io.StringIO(result.stdout))
    moved = rows[rows["section"] == "footprints"].iloc[0]
    assert moved["footprint"] == "E54000005" and moved["gap_left_change"] < 0
