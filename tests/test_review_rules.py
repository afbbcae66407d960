"""Every readiness rule can give each of its outcomes, with the numbers in its explanation."""

import copy

import pandas as pd
import pytest

from openstp import data
from openstp.params import builtin_parameters
from openstp.plan import Plan
from openstp.review import CATALOGUE, Evidence, Rating, review_plan

FOOTPRINT = "E54000005"  # West Yorkshire: CCGs 02R/02W…, trusts RR8/RWY…, councils E08000035…
CCG, TRUST, COUNCIL = "02R", "RR8", "E08000035"
BASE_SPEND = {"acute": 1.5e9, "mental_health": 3e8, "community": 2.5e8}

BASE = {
    "footprint": FOOTPRINT, "name": "Rule test plan",
    "schemes": [
        {"id": "cip", "name": "CIP", "type": "provider_efficiency", "owner": TRUST,
         "start_year": "2016/17", "evidence": {"grade": "B"},
         "saving": {"2016/17": 10e6, "2017/18": 20e6, "2018/19": 30e6, "2019/20": 40e6,
                    "2020/21": 50e6}},
        {"id": "dm", "name": "Admission avoidance", "type": "demand_management_non_elective",
         "owner": CCG, "start_year": "2016/17", "evidence": {"grade": "A"},
         "saving": {"2020/21": 5e6}},
        {"id": "care", "name": "Reablement", "type": "social_care", "owner": COUNCIL,
         "start_year": "2017/18", "evidence": {"grade": "B"}, "saving": {"2020/21": 2e6}},
    ],
}


def _orgs() -> pd.DataFrame:
    orgs = data.organisations("stp2017")
    return orgs[orgs["footprint"] == FOOTPRINT]


def evidence(plan_changes=None, **results) -> Evidence:
    doc = copy.deepcopy(BASE)
    for key, value in (plan_changes or {}).items():
        doc[key] = value
    plan = Plan.model_validate(doc)
    return Evidence(plan=plan, footprint=FOOTPRINT, organisations=_orgs(), gap={},
                    base_spend=BASE_SPEND, **results)


def judge(rule_id: str, ev: Evidence):
    from openstp.review.verdict import Thresholds

    return CATALOGUE[rule_id](ev, Thresholds(builtin_parameters()))


def _ccgs() -> list[str]:
    return sorted(_orgs().loc[lambda o: o["kind"] == "ccg", "ods_code"])


def schemes(*extra):
    return [*copy.deepcopy(BASE["schemes"]), *extra]


RECONFIG = {"id": "merge", "name": "Merge sites", "type": "service_reconfiguration",
            "owner": TRUST, "start_year": "2018/19", "saving": {"2020/21": 1e6},
            "business_case": True, "capital": {"2018/19": 5e6}, "evidence": {"grade": "A"}}
CONSULTED = {"consultations": [{"start": "2017-01-01", "end": "2017-03-01",
                                "description": "Site merger"}]}
CLOSURE = {"id": "cut", "trust": "RWY", "year": "2018/19", "change": -50, "relies_on": ["dm"]}
CLOSE_ED = {"id": "ed", "site": "RWY01", "service": "ed", "action": "downgrade",
            "year": "2018/19"}


def risk(p):
    return {"probability_of_balance": p, "standard_error": 0.01, "residual_mean": 1e6}


CASES = [
    # rule, plan changes, model results, expected rating, words in the explanation
    ("lsbu.funding", {}, {"risk": risk(0.7)}, Rating.met, "P(balance in 2020/21) = 70%"),
    ("lsbu.funding", {}, {"risk": risk(0.3)}, Rating.partly, "30%"),
    ("lsbu.funding", {}, {"risk": risk(0.05)}, Rating.not_met, "5%"),
    ("lsbu.funding", {}, {}, Rating.no_evidence, "not run"),
    ("lsbu.collaboration", {}, {}, Rating.met, "ccg, council, trust"),
    ("lsbu.collaboration", {"schemes": schemes()[:2]}, {}, Rating.partly, "2 of"),
    ("lsbu.collaboration", {"schemes": schemes()[:1]}, {}, Rating.not_met, "1 of"),
    ("lsbu.governance", {"governance": {"decision_rights": True}}, {}, Rating.met, "binding"),
    ("lsbu.governance", {"governance": {"decision_rights": "Advisory only"}}, {}, Rating.partly,
     "Advisory only"),
    ("lsbu.governance", {"governance": {"decision_rights": False}}, {}, Rating.not_met, "cannot"),
    ("lsbu.governance", {}, {}, Rating.no_evidence, "no decision rights"),
    ("lsbu.leadership", {"governance": {"lead": {"name": "A"}, "board": [
        {"name": "B", "organisation": CCG}, {"name": "C", "organisation": TRUST}]}}, {},
     Rating.met, "board of 2 from 2"),
    ("lsbu.leadership", {"governance": {"lead": {"name": "A"}}}, {}, Rating.partly, "board of 0"),
    ("lsbu.leadership", {"governance": {"published": True}}, {}, Rating.no_evidence,
     "neither a lead nor"),
    ("lsbu.leadership", {"governance": {"lead": {"name": "A", "organisation_kind": "ccg",
                                                 "gp": True}}}, {}, Rating.partly,
     "named, from a ccg (a GP)"),
    ("lsbu.leadership", {}, {}, Rating.no_evidence, "no governance"),
    ("lsbu.pace", {"schemes": schemes(RECONFIG), "engagement": CONSULTED}, {}, Rating.met,
     "1 of 1"),
    ("lsbu.pace", {"schemes": schemes(RECONFIG), "site_changes": [{**CLOSE_ED,
                                                                   "year": "2017/18"}],
                   "engagement": {"consultations": [{"start": "2018-01-01", "end": "2018-02-01",
                                                     "description": "x"}]}}, {},
     Rating.partly, "too early"),
    ("lsbu.pace", {"schemes": schemes(RECONFIG)}, {}, Rating.not_met, "0 of 1"),
    ("lsbu.local_government", {"engagement": {"sign_offs": [
        {"organisation": c, "signed": True} for c in ["E08000032", "E08000033", "E08000034",
                                                      COUNCIL, "E08000036", "E10000023"]]}},
     {}, Rating.met, "6 of 6"),
    ("lsbu.local_government", {}, {}, Rating.partly, "social care is in"),
    ("lsbu.local_government", {"schemes": schemes()[:2]}, {}, Rating.not_met, "0 of 6"),
    ("lsbu.accountability", {"governance": {"published": True}, "engagement": CONSULTED}, {},
     Rating.met, "1 consultation and 0 public events"),
    ("lsbu.accountability", {"governance": {"published": True}}, {}, Rating.partly, "published"),
    ("lsbu.accountability", {}, {}, Rating.not_met, "not published"),
    ("lsbu.business_plans", {"schemes": schemes()[1:]}, {}, Rating.not_applicable,
     "No reconfiguration"),
    ("lsbu.business_plans", {"schemes": [*schemes()[1:], RECONFIG]}, {}, Rating.met, "1 of 1"),
    ("lsbu.business_plans", {"schemes": schemes(RECONFIG)}, {}, Rating.partly, "1 of 2"),
    ("lsbu.business_plans", {}, {}, Rating.not_met, "0 of 1"),
    ("lsbu.workforce", {"workforce": {}},
     {"workforce": {"shortfall_share": 0.01, "shortfall_fte": 10}}, Rating.met, "1.0%"),
    ("lsbu.workforce", {"workforce": {}},
     {"workforce": {"shortfall_share": 0.08, "shortfall_fte": 800}}, Rating.partly, "800 FTE"),
    ("lsbu.workforce", {}, {}, Rating.not_met, "no workforce section"),
    ("lsbu.demand_before_cuts", {}, {}, Rating.not_applicable, "closes no beds"),
    ("lsbu.demand_before_cuts", {"bed_changes": [CLOSURE]},
     {"beds": {"p_enough_after_closures": 0.9}}, Rating.met, "90%"),
    ("lsbu.demand_before_cuts", {"bed_changes": [CLOSURE]},
     {"beds": {"p_enough_after_closures": 0.1}}, Rating.partly, "10%"),
    ("lsbu.demand_before_cuts", {"bed_changes": [{**CLOSURE, "relies_on": []}]}, {},
     Rating.not_met, "cut do not follow"),
    ("nhse.bed_test", {}, {}, Rating.not_applicable, "closes no beds"),
    ("nhse.bed_test", {"bed_changes": [CLOSURE]}, {"beds": {"closures": pd.DataFrame(
        [{"id": "cut", "verdict": "meets", "conditions": "new_treatments",
          "reason": "evidences new_treatments"}])}},
     Rating.met, "1 of 1"),
    ("nhse.bed_test", {"bed_changes": [CLOSURE, {**CLOSURE, "id": "cut2"}]},
     {"beds": {"closures": pd.DataFrame(
         [{"id": "cut", "verdict": "meets", "conditions": "new_treatments", "reason": "ok"},
          {"id": "cut2", "verdict": "fails", "conditions": "",
           "reason": "no bed-test condition evidenced"}])}},
     Rating.partly, "1 of 2"),
    ("nhse.bed_test", {"bed_changes": [CLOSURE]}, {"beds": {"closures": pd.DataFrame(
        [{"id": "cut", "verdict": "fails", "conditions": "",
          "reason": "no bed-test condition evidenced"}])}},
     Rating.not_met, "no bed-test condition"),
    ("nhse.bed_test", {"bed_changes": [CLOSURE]}, {}, Rating.no_evidence, "not run"),
    ("nhse.bed_test", {"bed_changes": [CLOSURE]}, {
        "beds": {"closures": pd.DataFrame([{"id": "cut", "verdict": "meets",
                                            "conditions": "alternative_provision",
                                            "reason": "evidences alternative_provision"}])},
        "workforce": {"unstaffed_closures": {"cut"}}}, Rating.not_met, "staff not in place"),
    ("tests2010.gp_support", {}, {}, Rating.not_applicable, "No reconfiguration"),
    ("tests2010.gp_support", {"schemes": schemes(RECONFIG), "engagement": {"sign_offs": [
        {"organisation": c, "signed": True} for c in _ccgs()]}}, {}, Rating.met, "11 of 11"),
    ("tests2010.gp_support", {"schemes": schemes(RECONFIG), "engagement": {"sign_offs": [
        {"organisation": CCG, "signed": True}]}}, {}, Rating.partly, "1 of 11"),
    ("tests2010.gp_support", {"schemes": schemes(RECONFIG)}, {}, Rating.not_met, "0 of 11"),
    ("tests2010.public_engagement", {"schemes": schemes(RECONFIG), "engagement": CONSULTED}, {},
     Rating.met, "1 public consultation recorded"),
    ("tests2010.public_engagement", {"schemes": schemes(RECONFIG), "engagement": {"events": [
        {"date": "2017-01-01", "kind": "public_meeting"}]}}, {}, Rating.partly, "1 engagement"),
    ("tests2010.public_engagement", {"schemes": schemes(RECONFIG)}, {}, Rating.not_met,
     "No consultation"),
    ("tests2010.clinical_evidence", {"schemes": schemes(RECONFIG)}, {}, Rating.met, "1 of 1"),
    ("tests2010.clinical_evidence", {"schemes": schemes(RECONFIG, {
        **RECONFIG, "id": "merge2", "evidence": {"grade": "D"}})}, {}, Rating.partly, "1 of 2"),
    ("tests2010.clinical_evidence", {"schemes": schemes({**RECONFIG, "evidence": None})}, {},
     Rating.not_met, "0 of 1"),
    ("tests2010.patient_choice", {"site_changes": [CLOSE_ED]},
     {"access": {"people_beyond_threshold": 0}}, Rating.met, "Nobody"),
    ("tests2010.patient_choice", {"site_changes": [CLOSE_ED]},
     {"access": {"people_beyond_threshold": 500, "share_population_beyond": 0.0002}},
     Rating.partly, "500 people"),
    ("tests2010.patient_choice", {"site_changes": [CLOSE_ED]},
     {"access": {"people_beyond_threshold": 90000, "share_population_beyond": 0.04}},
     Rating.not_met, "4.0%"),
    ("tests2010.patient_choice", {"site_changes": [CLOSE_ED]}, {}, Rating.no_evidence,
     "not modelled"),
    ("evidence.quality", {}, {}, Rating.met, "0% of 2020/21"),
    ("evidence.quality", {"schemes": schemes({**RECONFIG, "evidence": {"grade": "C"},
                                              "saving": {"2020/21": 30e6}})}, {}, Rating.partly,
     "34%"),
    ("evidence.quality", {"schemes": [{**BASE["schemes"][0], "evidence": {"grade": "D"}}]}, {},
     Rating.not_met, "100%"),
    ("evidence.quality", {"schemes": []}, {}, Rating.no_evidence, "no savings"),
    ("evidence.savings_vs_achieved", {}, {}, Rating.met, "0.5% of provider spend"),
    ("evidence.savings_vs_achieved", {"schemes": [{**BASE["schemes"][0], "saving": {
        "2016/17": 65e6}}]}, {}, Rating.partly, "3.2%"),
    ("evidence.savings_vs_achieved", {"schemes": [{**BASE["schemes"][0], "saving": {
        "2016/17": 100e6}}]}, {}, Rating.not_met, "4.9%"),
    ("access.equity", {}, {}, Rating.not_applicable, "No service closes"),
    ("access.equity", {"site_changes": [CLOSE_ED]}, {"access": {"people_beyond_threshold": 0}},
     Rating.met, "Nobody"),
    ("access.equity", {"site_changes": [CLOSE_ED]}, {"access": {
        "people_beyond_threshold": 1000, "deprived_burden_ratio": 1.0,
        "rural_burden_ratio": 1.1}}, Rating.partly, "1,000 people"),
    ("access.equity", {"site_changes": [CLOSE_ED]}, {"access": {
        "people_beyond_threshold": 1000, "deprived_burden_ratio": 0.5,
        "rural_burden_ratio": 3.0}}, Rating.not_met, "3.00×"),
    ("access.equity", {"site_changes": [CLOSE_ED]}, {"access": {
        "people_beyond_threshold": 1000, "deprived_burden_ratio": 1.0, "rural_burden_ratio": 1.1,
        "extra_deaths": {"central": 736.1, "low": 285.1, "high": 1390.1, "capped": True,
                         "people_beyond_study_range": 317758, "study_max_km": 58}}},
     Rating.partly, "CAPPED: 317,758 residents would travel beyond the 58 km"),
    ("access.equity", {"site_changes": [CLOSE_ED]}, {}, Rating.no_evidence, "not modelled"),
]


@pytest.mark.parametrize("rule_id,changes,results,rating,words", CASES,
                         ids=[f"{c[0]}-{c[3].value}" for c in CASES])
def test_rule_outcome_and_explanation(rule_id, changes, results, rating, words):
    verdict = judge(rule_id, evidence(changes, **results))
    assert verdict.rating is rating, verdict.explanation
    assert words in verdict.explanation


def test_no_rule_is_a_constant():
    seen = {}
    for rule_id, _, _, rating, _ in CASES:
        seen.setdefault(rule_id, set()).add(rating)
    assert set(seen) == set(CATALOGUE)
    for rule_id, ratings in seen.items():
        assert {Rating.met, Rating.not_met} <= ratings or {Rating.met, Rating.partly} <= ratings, (
            rule_id)


def test_every_rule_names_its_source_and_inputs():
    for r in CATALOGUE.values():
        assert r.source and r.question.endswith("?") and r.reads, r.id


def test_a_not_applicable_rule_does_not_change_readiness():
    from openstp.review.overall import overall_readiness
    from openstp.review.verdict import Verdict

    params = builtin_parameters().with_overrides({"review.overall.max_partly": 1})
    base = [Verdict("lsbu.funding", Rating.met, "x"), Verdict("lsbu.pace", Rating.partly, "y")]
    extra = Verdict("nhse.bed_test", Rating.not_applicable, "The plan closes no beds.")
    for verdicts in (base, [*base, Verdict("lsbu.workforce", Rating.no_evidence, "z")]):
        alone, with_na = overall_readiness(verdicts, params), overall_readiness(
            [*verdicts, extra], params)
        assert alone[0] == with_na[0]
    assert overall_readiness(base, params)[0] == "ready"
    # the same rule met instead would count; not_applicable counts neither way
    assert "Of 2 rules that apply" in overall_readiness([*base, extra], params)[1]
    review = review_plan(evidence(), builtin_parameters())
    assert review.by_rule()["nhse.bed_test"].rating is Rating.not_applicable


def test_overall_reason_names_rules_by_title():
    review = review_plan(evidence({"governance": {"published": True}}), builtin_parameters())
    failed = [CATALOGUE[v.rule].title for v in review.verdicts if v.rating is Rating.not_met]
    assert failed and all(title in review.reason for title in failed)
    assert "lsbu." not in review.reason


def test_overall_rule_is_stated_and_configurable():
    ev = evidence({"governance": {"published": True}})
    strict = review_plan(ev, builtin_parameters())
    assert strict.overall == "not ready" and "not met" in strict.reason
    lenient = builtin_parameters().with_overrides({"review.overall.max_not_met": 20,
                                                   "review.overall.max_partly": 20})
    assert review_plan(ev, lenient).overall == "ready"
