"""NHS England's tests (bed closures 2017, reconfiguration 2010), evidence quality and access."""

from __future__ import annotations

from openstp.plan import EvidenceGrade, SchemeType
from openstp.review.rules_lsbu import RECONFIGURATION, _needs_consultation
from openstp.review.verdict import Evidence, Rating, Thresholds, banded, plural, rule

BED_TEST = "NHS England, new test for bed closures (Simon Stevens, March 2017)"
TESTS_2010 = "Department of Health, the four tests for service reconfiguration (2010)"
WEAK = {EvidenceGrade.C, EvidenceGrade.D}
PROVIDER_SECTORS = ("acute", "mental_health", "community")


def _share_rating(done: int, total: int) -> Rating:
    if done == total:
        return Rating.met
    return Rating.partly if done else Rating.not_met


@rule("nhse.bed_test", "NHS England bed-closure test",
      "Does every significant bed closure meet one of NHS England's three conditions, and is it "
      "safe against simulated demand?", BED_TEST, ("beds.closures",))
def bed_test(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    closures = [c for c in ev.plan.bed_changes if c.change < 0]
    if not closures:
        return Rating.not_applicable, "The plan closes no beds."
    if ev.beds is None:
        return Rating.no_evidence, f"{len(closures)} closures; the beds model was not run."
    rows = ev.beds["closures"].copy()
    # Condition 1 needs alternative provision "with the workforce to deliver it".
    unstaffed = (ev.workforce or {}).get("unstaffed_closures", set())
    only_alternative = rows["conditions"] == "alternative_provision"
    late = rows["id"].isin(unstaffed) & only_alternative & (rows["verdict"] == "meets")
    rows.loc[late, "verdict"] = "fails"
    rows.loc[late, "reason"] = ("alternative provision evidenced, but the workforce model finds "
                                "its staff not in place when the beds close")
    meets = rows[rows["verdict"] == "meets"]
    reasons = "; ".join(f"{r.id}: {r.reason}" for r in rows.itertuples())
    return _share_rating(len(meets), len(rows)), (
        f"{len(meets)} of {plural(len(rows), 'closure')} meet the test ({reasons}).")


def _reconfigures(ev: Evidence) -> bool:
    return bool(_needs_consultation(ev))


@rule("tests2010.gp_support", "Support from GP commissioners",
      "Have the footprint's CCGs signed off the reconfiguration?", TESTS_2010,
      ("plan.engagement.sign_offs",))
def gp_support(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if not _reconfigures(ev):
        return Rating.not_applicable, "No reconfiguration proposed."
    ccgs = set(ev.organisations.loc[ev.organisations["kind"] == "ccg", "code"]) | set(
        ev.organisations.loc[ev.organisations["kind"] == "ccg", "ods_code"].dropna())
    n_ccgs = int((ev.organisations["kind"] == "ccg").sum())
    signed = {s.organisation for s in (ev.plan.engagement.sign_offs if ev.plan.engagement
                                       else []) if s.signed and s.organisation in ccgs}
    return _share_rating(min(len(signed), n_ccgs), n_ccgs), (
        f"{len(signed)} of {n_ccgs} CCGs have signed off.")


@rule("tests2010.public_engagement", "Strengthened public and patient engagement",
      "Has the public been consulted on the reconfiguration?", TESTS_2010, ("plan.engagement",))
def public_engagement(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if not _reconfigures(ev):
        return Rating.not_applicable, "No reconfiguration proposed."
    eng = ev.plan.engagement
    if eng and eng.consultations:
        return Rating.met, f"{plural(len(eng.consultations), 'public consultation')} recorded."
    if eng and eng.events:
        return Rating.partly, (f"{plural(len(eng.events), 'engagement event')} but no formal "
                               "consultation.")
    return Rating.not_met, "No consultation or engagement event recorded."


@rule("tests2010.clinical_evidence", "Clear clinical evidence base",
      "Is each reconfiguration backed by strong (grade A or B) evidence?", TESTS_2010,
      ("plan.schemes.evidence",))
def clinical_evidence(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    schemes = [s for s in ev.plan.schemes if s.type is RECONFIGURATION]
    if not schemes:
        return Rating.not_applicable, "No reconfiguration scheme proposed."
    strong = [s for s in schemes if s.evidence and s.evidence.grade not in WEAK]
    return _share_rating(len(strong), len(schemes)), (
        f"{len(strong)} of {len(schemes)} reconfiguration schemes cite grade A or B evidence.")


@rule("tests2010.patient_choice", "Consistency with patient choice",
      "Do people keep a choice of site within reach after services close?", TESTS_2010,
      ("access.people_beyond_threshold",))
def patient_choice(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    closing = [c for c in ev.plan.site_changes if c.action.value != "open"]
    if not closing:
        return Rating.not_applicable, "No service closes or is downgraded."
    if ev.access is None:
        return Rating.no_evidence, f"{len(closing)} service changes; access was not modelled."
    moved = ev.access["people_beyond_threshold"]
    minutes = int(t.travel_threshold_minutes)
    if moved == 0:
        return Rating.met, f"Nobody is moved beyond {minutes} minutes of their nearest site."
    share = ev.access.get("share_population_beyond", 0.0)
    return (Rating.partly if share < 0.01 else Rating.not_met), (
        f"{moved:,.0f} people ({share:.1%}) are moved beyond {minutes} minutes.")


@rule("evidence.quality", "Quality of evidence for savings",
      "What share of the horizon-year savings rests on weak (grade C/D) or no evidence?",
      "Nuffield Trust, Shifting the balance of care (2017); CIPFA review of STPs (2016)",
      ("plan.schemes",))
def evidence_quality(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    horizon = ev.plan.horizon
    total = sum(s.saving.get(horizon, 0.0) for s in ev.plan.schemes)
    if total <= 0:
        return Rating.no_evidence, f"The plan claims no savings in {horizon}."
    weak = sum(s.saving.get(horizon, 0.0) for s in ev.plan.schemes
               if s.evidence is None or s.evidence.grade in WEAK)
    share = weak / total
    sentence = f"{share:.0%} of {horizon} savings rest on grade C/D or ungraded evidence"
    return banded(share, t.weak_evidence_met, t.weak_evidence_partly, sentence)


@rule("evidence.savings_vs_achieved", "Savings against what has ever been achieved",
      "Is planned provider efficiency, as a share of provider spend a year, within what the NHS "
      "has achieved?", "CHPI (2017): 2.8% recurrent; NHS Providers (2017): 3.7% in all; CIPFA (2016)",
      ("plan.schemes", "gap.base_spend"))
def savings_vs_achieved(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    cip = [s for s in ev.plan.schemes if s.type is SchemeType.provider_efficiency]
    if not cip:
        return Rating.not_applicable, "The plan claims no provider efficiency savings."
    spend = sum(ev.base_spend.get(s, 0.0) for s in PROVIDER_SECTORS)
    years = ev.plan.years()
    cumulative = [sum(s.saving.get(y, 0.0) for s in cip) for y in years]
    steps = [b - a for a, b in zip([0.0, *cumulative[:-1]], cumulative, strict=True)]
    rate = max(steps) / spend if spend else float("inf")
    sentence = (f"Peak new provider efficiency is {rate:.1%} of provider spend in a year, against "
                f"{t.recurrent_cip_achieved:.1%} recurrent and {t.total_cip_achieved:.1%} in all "
                "ever achieved")
    return banded(rate, t.recurrent_cip_achieved, t.total_cip_achieved, sentence)


@rule("access.equity", "Access and equity",
      "Are people moved beyond the travel threshold, and does the burden fall on the most deprived "
      "or rural?", "Nicholl et al., Emerg Med J (2007); OpenSTP access model",
      ("access.people_beyond_threshold", "access.burden_ratios"))
def access_equity(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if not [c for c in ev.plan.site_changes if c.action.value != "open"]:
        return Rating.not_applicable, "No service closes or is downgraded."
    if ev.access is None:
        return Rating.no_evidence, "Access was not modelled."
    moved = ev.access["people_beyond_threshold"]
    minutes = int(t.travel_threshold_minutes)
    if moved == 0:
        return Rating.met, f"Nobody is moved beyond {minutes} minutes."
    deprived, rural = ev.access["deprived_burden_ratio"], ev.access["rural_burden_ratio"]
    sentence = (f"{moved:,.0f} people moved beyond {minutes} minutes; the most deprived fifth bear "
                f"{deprived:.2f}× and rural areas {rural:.2f}× their population share")
    sentence += _deaths_clause(ev.access.get("extra_deaths"))
    unfair = max(deprived, rural) > t.equity_ratio_max
    return (Rating.not_met if unfair else Rating.partly), sentence + "."


def _deaths_clause(deaths: dict | None) -> str:
    """The A&E changes' estimated extra deaths, flagged when beyond the study's distances."""
    if not deaths:
        return ""
    text = (f"; A&E changes: {deaths['central']:,.1f} extra deaths a year estimated "
            f"(95% CI {deaths['low']:,.1f}-{deaths['high']:,.1f})")
    if deaths.get("capped"):
        text += (f", CAPPED: {deaths['people_beyond_study_range']:,.0f} residents would travel "
                 f"beyond the {deaths['study_max_km']:g} km Nicholl et al. (2007) studied")
    return text
