"""The ten reasons London South Bank University gave (May 2017) why no STP was ready, as rules."""

from __future__ import annotations

from openstp.plan import SchemeType
from openstp.review.verdict import Evidence, Rating, Thresholds, banded, money, plural, rule

LSBU = ("London South Bank University (Boyle, Lister, Steer), Sustainability and Transformation "
        "Plans: how serious are the proposals? (2017)")
TRUST_KINDS = ("acute_trust", "mental_health_trust", "community_trust", "ambulance_trust")
RECONFIGURATION = SchemeType.service_reconfiguration
DEMAND_MANAGEMENT = {SchemeType.demand_management_outpatients, SchemeType.demand_management_elective,
                     SchemeType.demand_management_non_elective, SchemeType.demand_management_ae}


def _kinds(ev: Evidence) -> dict[str, str]:
    """Kind of each of the footprint's organisations by ONS and by ODS code (the first row of
    an organisation listed more than once wins, as a table look-up would)."""
    orgs = ev.organisations
    first: dict[str, str] = {}
    for code, ods, kind in zip(orgs["code"], orgs["ods_code"], orgs["kind"], strict=True):
        for key in (code, ods):
            if isinstance(key, str) and key:
                first.setdefault(key, str(kind))
    return first


def _partner_group(kind: str | None) -> str | None:
    if kind in TRUST_KINDS:
        return "trust"
    return kind if kind in ("ccg", "council") else None


@rule("lsbu.funding", "Funding shortfall",
      "Is the plan likely to reach financial balance without money it has not been given?",
      LSBU, ("risk.probability_of_balance", "plan.schemes"))
def funding(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if ev.risk is None:
        return Rating.no_evidence, "The delivery-risk model was not run for this plan."
    p = ev.risk["probability_of_balance"]
    horizon = ev.plan.horizon
    new_money = sum(s.saving.get(horizon, 0.0) for s in ev.plan.schemes
                    if s.type is SchemeType.new_funding)
    sentence = (f"P(balance in {horizon}) = {p:.0%} (±{ev.risk.get('standard_error', 0):.1%}); "
                f"expected residual gap {money(ev.risk.get('residual_mean', 0.0))}")
    if new_money:
        sentence += f"; relies on {money(new_money)} of new money"
    return banded(p, t.balance_met, t.balance_partly, sentence, higher_is_better=True)


@rule("lsbu.collaboration", "Collaboration across organisations",
      "Does every scheme have an owner, and do owners span commissioners, providers and councils?",
      LSBU, ("plan.schemes.owner", "reference organisations"))
def collaboration(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if not ev.plan.schemes:
        return Rating.not_met, "The plan has no schemes, so no organisation owns any change."
    kinds = _kinds(ev)
    groups = {_partner_group(kinds.get(s.owner)) for s in ev.plan.schemes} - {None}
    owners = {s.owner for s in ev.plan.schemes}
    sentence = (f"{len(owners)} organisations own the {len(ev.plan.schemes)} schemes, spanning "
                f"{', '.join(sorted(groups)) or 'no known partner kind'} "
                f"({len(groups)} of ccg, trust, council)")
    if len(groups) >= t.owner_kinds_met:
        return Rating.met, sentence + "."
    return (Rating.partly if len(groups) >= 2 else Rating.not_met), sentence + "."


@rule("lsbu.governance", "Legal and governance basis",
      "Does the plan record who may take binding decisions?", LSBU,
      ("plan.governance.decision_rights",))
def governance(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    rights = ev.plan.governance.decision_rights if ev.plan.governance else None
    if rights is None:
        return Rating.no_evidence, "The plan records no decision rights for its board."
    if rights is True:
        return Rating.met, "The plan records that its board can take binding decisions."
    if rights is False:
        return Rating.not_met, "The plan records that its board cannot take binding decisions."
    return Rating.partly, f"Decision rights are described but not binding: “{rights}”."


@rule("lsbu.leadership", "Clarity of role and leadership",
      "Is there a named lead and a partnership board with members from several partners?", LSBU,
      ("plan.governance.lead", "plan.governance.board"))
def leadership(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    gov = ev.plan.governance
    if gov is None:
        return Rating.no_evidence, "The plan has no governance section."
    if gov.lead is None and not gov.board:
        return Rating.no_evidence, "The plan records neither a lead nor a partnership board."
    kinds = _kinds(ev)
    partners = {_partner_group(kinds.get(m.organisation)) for m in gov.board
                if m.organisation} - {None}
    sentence = (f"Lead: {_lead_text(gov.lead)}; board of {len(gov.board)} "
                f"from {len(partners)} kinds of partner")
    if gov.lead and len(partners) >= 2:
        return Rating.met, sentence + "."
    return Rating.partly, sentence + "."


def _lead_text(lead) -> str:
    if lead is None:
        return "none"
    kind = lead.organisation_kind.value.replace("_", " ") if lead.organisation_kind else None
    return f"named{f', from a {kind}' if kind else ''}{' (a GP)' if lead.gp else ''}"


def _needs_consultation(ev: Evidence) -> list[tuple[str, str]]:
    """(id, start year) of reconfiguration schemes and service closures or downgrades."""
    items = [(s.id, s.start_year) for s in ev.plan.schemes if s.type is RECONFIGURATION]
    items += [(c.id, c.year) for c in ev.plan.site_changes if c.action.value != "open"]
    return items


def _consulted_before(ev: Evidence, year: str) -> bool:
    consultations = ev.plan.engagement.consultations if ev.plan.engagement else []
    fy_start = int(year[:4])
    return any((c.end.year, c.end.month) < (fy_start, 4) for c in consultations)


@rule("lsbu.pace", "Pace of change",
      "Does every reconfiguration start only after a public consultation has ended?", LSBU,
      ("plan.schemes", "plan.site_changes", "plan.engagement.consultations"))
def pace(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    items = _needs_consultation(ev)
    if not items:
        return Rating.not_applicable, "No reconfiguration or service closure needs consultation."
    early = [i for i, year in items if not _consulted_before(ev, year)]
    sentence = (f"{len(items) - len(early)} of {plural(len(items), 'reconfiguration')} start "
                "after a consultation has ended")
    if early:
        sentence += f"; too early: {', '.join(early)}"
    if not early:
        return Rating.met, sentence + "."
    return (Rating.partly if len(early) < len(items) else Rating.not_met), sentence + "."


@rule("lsbu.local_government", "Engagement of local government",
      "Have the footprint's councils signed the plan off, and does it address social care?",
      LSBU, ("plan.engagement.sign_offs", "plan.schemes"))
def local_government(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    councils = set(ev.organisations.loc[ev.organisations["kind"] == "council", "code"])
    signed = {s.organisation for s in (ev.plan.engagement.sign_offs if ev.plan.engagement
                                       else []) if s.signed} & councils
    social_care = any(s.type is SchemeType.social_care or s.sector == "adult_social_care"
                      for s in ev.plan.schemes)
    sentence = (f"{len(signed)} of {len(councils)} councils signed off; social care "
                f"{'is' if social_care else 'is not'} in the plan's schemes")
    if councils and signed == councils and social_care:
        return Rating.met, sentence + "."
    if signed or social_care:
        return Rating.partly, sentence + "."
    return Rating.not_met, sentence + "."


@rule("lsbu.accountability", "Accountability to the public",
      "Is the plan published, and has the public been consulted?", LSBU,
      ("plan.governance.published", "plan.engagement"))
def accountability(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    published = bool(ev.plan.governance and ev.plan.governance.published)
    eng = ev.plan.engagement
    consulted = bool(eng and (eng.consultations or eng.events))
    sentence = (f"Plan {'published' if published else 'not published'}; "
                f"{plural(len(eng.consultations) if eng else 0, 'consultation')} and "
                f"{plural(len(eng.events) if eng else 0, 'public event')} recorded")
    if published and consulted:
        return Rating.met, sentence + "."
    return (Rating.partly if published or consulted else Rating.not_met), sentence + "."


@rule("lsbu.business_plans", "Business plans",
      "Does every reconfiguration and every large scheme have an approved business case with its "
      "investment and capital?", LSBU, ("plan.schemes", "gap.base_spend"))
def business_plans(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    large = t.large_scheme_share * sum(ev.base_spend.values())
    needing = [s for s in ev.plan.schemes
               if s.type is RECONFIGURATION or s.total_saving() / max(len(s.saving), 1) >= large]
    if not needing:
        return Rating.not_applicable, (f"No reconfiguration or scheme saving over {money(large)} "
                                       "a year.")
    ok = [s for s in needing if s.business_case
          and (s.type is not RECONFIGURATION or s.investment or s.capital)]
    sentence = (f"{len(ok)} of {len(needing)} reconfigurations and large schemes (over "
                f"{money(large)} a year) have a business case with investment")
    if len(ok) == len(needing):
        return Rating.met, sentence + "."
    return (Rating.partly if 2 * len(ok) >= len(needing) else Rating.not_met), sentence + "."


@rule("lsbu.workforce", "Workforce plans",
      "Does the plan have a workforce plan, and does it supply the staff the plan needs?", LSBU,
      ("plan.workforce", "workforce.gap"))
def workforce(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    if ev.plan.workforce is None:
        return Rating.not_met, "The plan has no workforce section (LSBU: two thirds had none)."
    if ev.workforce is None:
        return Rating.partly, "A workforce section exists; the workforce model was not run."
    share = ev.workforce["shortfall_share"]
    sentence = (f"Workforce shortfall in {ev.plan.horizon}: {ev.workforce['shortfall_fte']:,.0f} "
                f"FTE, {share:.1%} of staff required")
    return (Rating.met if share <= t.workforce_gap_met else Rating.partly), sentence + "."


@rule("lsbu.demand_before_cuts", "Demand reduction before acute cuts",
      "Do bed closures come only after the demand management they rely on, with enough beds left?",
      LSBU, ("plan.bed_changes", "plan.schemes", "beds.closures"))
def demand_before_cuts(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    closures = [c for c in ev.plan.bed_changes if c.change < 0]
    if not closures:
        return Rating.not_applicable, "The plan closes no beds."
    starts = {s.id: (s.type, s.start_year) for s in ev.plan.schemes}
    premature = [c.id for c in closures
                 if not any(starts.get(r, (None, ""))[0] in DEMAND_MANAGEMENT
                            and starts[r][1] < c.year for r in c.relies_on)]
    beds = sum(-c.change for c in closures)
    if premature:
        return Rating.not_met, (f"{beds:,} beds close; {', '.join(premature)} do not follow "
                                "demand management that started in an earlier year.")
    p_enough = ev.beds["p_enough_after_closures"] if ev.beds else None
    if p_enough is None:
        return Rating.partly, f"{beds:,} beds close after demand management; beds not modelled."
    sentence = (f"{beds:,} beds close after the demand management they rely on; beds left "
                f"cover need in {p_enough:.0%} of simulated futures")
    return (Rating.met if p_enough >= t.beds_enough_min else Rating.partly), sentence + "."
