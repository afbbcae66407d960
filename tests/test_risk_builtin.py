"""The 44 built-in illustrative plans: valid, labelled, closing their own gap on paper with the
national mix, and a seeded regression snapshot of the main job."""

from __future__ import annotations

import numpy as np
import pytest

import openstp
from openstp.data import footprints
from openstp.params import load_parameters
from openstp.plan import load_plan, validate_plan
from openstp.risk import builtin_plan, builtin_plans, simulate
from openstp.risk.builtin import builtin_dir, is_builtin


@pytest.fixture(scope="module")
def plans():
    return builtin_plans()


@pytest.fixture(scope="module")
def main_job(plans):
    return simulate(plans, draws=2000, seed=2016)


@pytest.fixture(scope="module")
def as_built(plans):
    return simulate(plans, draws=200, seed=2016)


def test_one_plan_per_2017_footprint_and_files_say_they_are_illustrative(plans):
    assert [p.footprint for p in plans] == sorted(footprints("stp2017")["code"])
    for plan in plans:
        text = (builtin_dir() / f"{plan.footprint}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# ILLUSTRATIVE PLAN")
        assert plan.illustrative
        assert "national published aggregates" in plan.description
        assert "not" in plan.description and "own" in plan.description


def test_every_builtin_plan_passes_openstp_validate(plans):
    for plan in plans:
        path = builtin_dir() / f"{plan.footprint}.yaml"
        assert validate_plan(load_plan(path), str(path)) == []
        assert load_plan(path) == plan  # the fast loader reads the same plan


def test_each_plan_closes_the_gap_it_was_built_for_on_paper_every_year(as_built):
    """Built from the gap model with the opening position: every year after the base year the
    savings close the gap on paper; the base year's gap (the opening deficit and a year of
    growth) is the starting position no scheme starting in 2016/17 can close."""
    frame = as_built.residual()
    frame = frame[frame["footprint"] != "england"]
    assert len(frame) == 44 * 6
    tolerance = 50.0 + 1e-4 * frame.groupby("footprint")["gap"].transform("max")  # £ rounding
    later = frame["year"] > "2015/16"
    assert (frame.loc[later, "residual_on_paper"].abs() < tolerance[later]).all()
    base = frame[~later]
    assert (base["residual_on_paper"] - base["gap"]).abs().max() < 1.0
    assert (frame.loc[frame["year"] == "2020/21", "planned_saving"] > 0).all()


def test_the_national_mix_is_the_one_the_stps_reported(as_built):
    types = as_built.by_type().query("footprint == 'england'").set_index("type")
    planned = types["planned_saving"]
    nhs = planned.drop("social_care").sum()
    params = load_parameters()
    assert planned["provider_efficiency"] / nhs == pytest.approx(
        params.value("plans.national_mix.provider_efficiency_share"), abs=0.005)
    demand = planned[[t for t in planned.index if t.startswith("demand_management")]].sum()
    assert 3.5e9 < demand < 4.5e9  # the Nuffield Trust's "£4bn of £22bn" (FACTS 3.12)
    grades = {s.type.value: s.evidence.grade.value for p in builtin_plans()[:1] for s in p.schemes}
    assert grades["demand_management_non_elective"] in {"C", "D"}
    assert grades["service_reconfiguration"] == "D"


def test_builtin_plan_lookup_and_identity():
    plan = builtin_plan("west york")
    assert plan.footprint == "E54000005" and is_builtin(plan)
    changed = plan.model_copy(update={"name": "edited"})
    assert not is_builtin(changed)
    with pytest.raises(openstp.OpenSTPError):
        builtin_plan("nowhere at all")


def test_main_job_snapshot(main_job):
    """Seeded regression: the main job's England figures (update when priors change or the
    plans are rebuilt). The gap includes the opening position and the plans are sized to it;
    each draw also redraws the gap from its own ranges."""
    summary = main_job.summary().set_index("footprint")
    england = summary.loc["england"]
    assert england["gap"] == pytest.approx(19.68e9, rel=0.01)
    assert england["planned_saving"] == pytest.approx(19.98e9, rel=0.01)
    assert england["residual_central"] == pytest.approx(10.06e9, rel=0.02)
    assert england["residual_mean"] == pytest.approx(10.47e9, rel=0.03)
    assert england["residual_p10"] == pytest.approx(3.66e9, rel=0.1)
    assert england["residual_p90"] == pytest.approx(18.38e9, rel=0.1)
    assert 0.44 < england["gap_closed_mean"] < 0.52
    p = summary["probability_of_balance"]
    assert p.between(0, 1).all() and p.max() < 0.05  # on the evidence, no plan balances
    assert np.isfinite(summary["standard_error"]).all()


def test_public_api_exports_simulate_and_builtin_plans():
    assert openstp.simulate is simulate
    assert openstp.builtin_plans is builtin_plans
    assert {"simulate", "builtin_plans"} <= set(openstp.__all__)
