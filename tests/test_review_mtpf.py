"""The Medium Term Planning Framework rules: each outcome of each rule, on small ICB plans."""

from __future__ import annotations

import pytest

from openstp import data
from openstp.params import builtin_parameters
from openstp.plan import Plan
from openstp.review import rules_mtpf
from openstp.review.verdict import CATALOGUE, Evidence, Rating, Thresholds

YEARS = ["2026/27", "2027/28", "2028/29"]
BASE = {"acute": 4e9, "mental_health": 1e9, "other_nhs": 1e9, "adult_social_care": 9e9}
NHS_BASE = 6e9  # BASE without adult social care


def scheme(id: str, type: str, saving: dict[str, float], owner: str = "RAL") -> dict:
    return {"id": id, "name": id.replace("-", " "), "type": type, "owner": owner,
            "sector": "acute", "start_year": min(saving), "saving": saving}


def evidence(schemes: list[dict], horizon: str = "2028/29", base_year: str = "2025/26",
             **extra) -> Evidence:
    plan = Plan.model_validate({"footprint": "T04", "footprint_set": "icb2026",
                                "name": "MTPF rule test (illustrative)", "illustrative": True,
                                "base_year": base_year, "horizon": horizon, "schemes": schemes})
    orgs = data.organisations("icb2026")
    return Evidence(plan=plan, footprint="T04", organisations=orgs[orgs["footprint"] == "T04"],
                    gap={}, base_spend=BASE, extra=extra)


def rate(rule_id: str, ev: Evidence, params=None) -> Rating:
    verdict = rules_mtpf.MTPF_CATALOGUE[rule_id](ev, Thresholds(params or builtin_parameters()))
    assert verdict.explanation.endswith(".")
    return verdict.rating


def flat(amount: float, years=YEARS) -> dict[str, float]:
    return dict.fromkeys(years, amount)


def test_mtpf_rules_apply_only_to_icb_sets():
    assert rules_mtpf.catalogue_for("icb2026") is rules_mtpf.MTPF_CATALOGUE
    assert rules_mtpf.catalogue_for("icb2023") is rules_mtpf.MTPF_CATALOGUE
    assert rules_mtpf.catalogue_for("stp2017") is CATALOGUE
    assert not set(rules_mtpf.MTPF_CATALOGUE) & set(CATALOGUE)
    assert len(rules_mtpf.MTPF_CATALOGUE) == 7


@pytest.mark.parametrize("savings,expected", [
    ({"2026/27": 100e6, "2027/28": 200e6, "2028/29": 300e6}, Rating.met),
    ({"2026/27": 50e6, "2027/28": 200e6, "2028/29": 300e6}, Rating.partly),
    ({"2026/27": 100e6, "2027/28": 200e6, "2028/29": 250e6}, Rating.not_met)])
def test_breakeven_every_year_from_2026_27(savings, expected):
    gap = {"2026/27": 100e6, "2027/28": 200e6, "2028/29": 300e6}
    ev = evidence([scheme("cip", "provider_efficiency", savings)], gap_by_year=gap)
    assert rate("mtpf.breakeven", ev) is expected


def test_breakeven_prefers_the_risk_models_residual_and_needs_some_gap():
    ev = evidence([scheme("cip", "provider_efficiency", flat(1e9))],
                  residual_by_year={"2026/27": 0.0, "2027/28": 0.0, "2028/29": 5e6})
    assert rate("mtpf.breakeven", ev) is Rating.not_met
    assert rate("mtpf.breakeven", evidence([])) is Rating.no_evidence
    early = evidence([], horizon="2025/26", base_year="2024/25", gap_by_year={})
    assert rate("mtpf.breakeven", early) is Rating.no_evidence


@pytest.mark.parametrize("new_funding,support,expected", [
    ({"2026/27": 60e6, "2027/28": 29e6}, 90e6, Rating.met),
    ({"2026/27": 80e6, "2027/28": 30e6}, 90e6, Rating.partly),
    ({"2026/27": 60e6, "2027/28": 29e6, "2028/29": 10e6}, 90e6, Rating.not_met),
    ({"2026/27": 80e6}, None, Rating.met)])
def test_deficit_support_gone_by_2028_29(new_funding, support, expected):
    schemes = [scheme("dsf", "new_funding", new_funding)]
    extra = {} if support is None else {"deficit_support": support}
    assert rate("mtpf.deficit_support", evidence(schemes, **extra)) is expected


@pytest.mark.parametrize("horizon_saving,expected", [
    (0.02 * NHS_BASE * 3, Rating.met), (0.012 * NHS_BASE * 3, Rating.partly),
    (0.005 * NHS_BASE * 3, Rating.not_met)])
def test_two_percent_productivity_a_year(horizon_saving, expected):
    ev = evidence([scheme("cip", "provider_efficiency", {"2028/29": horizon_saving})])
    assert rate("mtpf.productivity", ev) is expected


def test_productivity_without_base_spend_has_no_evidence():
    ev = evidence([scheme("cip", "provider_efficiency", {"2028/29": 1e6})])
    ev.base_spend = {}
    assert rate("mtpf.productivity", ev) is Rating.no_evidence
    assert rate("mtpf.cost_base", ev) is Rating.no_evidence


@pytest.mark.parametrize("first_year,expected", [
    (0.011 * NHS_BASE, Rating.met), (0.006 * NHS_BASE, Rating.partly), (0.0, Rating.not_met)])
def test_cost_base_down_one_percent(first_year, expected):
    ev = evidence([scheme("cip", "back_office_estates", {"2026/27": first_year,
                                                           "2027/28": NHS_BASE})])
    assert rate("mtpf.cost_base", ev) is expected


@pytest.mark.parametrize("owner,saving,expected", [
    ("T04", 30e6, Rating.met), ("T04", 15e6, Rating.partly), ("T04", 5e6, Rating.not_met),
    ("RAL", 30e6, Rating.not_met)])  # a trust's back office is not the ICB's running costs
def test_icb_running_costs_halved(owner, saving, expected):
    ev = evidence([scheme("corporate", "back_office_estates", {"2028/29": saving}, owner)],
                  icb_running_costs=60e6)
    assert rate("mtpf.running_costs", ev) is expected


def test_running_costs_unknown_is_no_evidence():
    ev = evidence([scheme("corporate", "back_office_estates", {"2028/29": 1e6}, "T04")])
    assert rate("mtpf.running_costs", ev) is Rating.no_evidence


@pytest.mark.parametrize("saving,expected", [
    (35e6, Rating.met), (20e6, Rating.partly), (5e6, Rating.not_met)])
def test_agency_and_bank_cuts(saving, expected):
    # asked: 30% of £100m agency + 10% of £50m bank = £35m
    ev = evidence([scheme("agency", "workforce_agency", {"2026/27": saving})],
                  agency_spend=100e6, bank_spend=50e6)
    assert rate("mtpf.temporary_staffing", ev) is expected
    assert rate("mtpf.temporary_staffing", evidence([])) is Rating.no_evidence


@pytest.mark.parametrize("horizon,expected", [
    ("2030/31", Rating.met), ("2028/29", Rating.partly), ("2027/28", Rating.not_met)])
def test_three_and_five_year_plans(horizon, expected):
    assert rate("mtpf.plan_length", evidence([], horizon=horizon)) is expected


def test_targets_are_parameters_that_move_the_verdict():
    ev = evidence([scheme("cip", "provider_efficiency", {"2028/29": 0.02 * NHS_BASE * 3})])
    tougher = builtin_parameters().with_overrides({"icb.targets.productivity_growth": 0.035})
    assert rate("mtpf.productivity", ev) is Rating.met
    assert rate("mtpf.productivity", ev, tougher) is Rating.partly


def test_judge_gives_one_verdict_per_rule():
    verdicts = rules_mtpf.judge(evidence([]), builtin_parameters())
    assert [v.rule for v in verdicts] == list(rules_mtpf.MTPF_CATALOGUE)
