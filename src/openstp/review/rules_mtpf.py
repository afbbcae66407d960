"""What NHS England's Medium Term Planning Framework 2026/27-2028/29 (and the 2025/26 guidance
it builds on) asks of a system's plan, as review rules for today's ICB sets only.

The STP-era rules (``CATALOGUE``: LSBU, the 2010 tests, evidence, access) stay the review of the
2016-2020 sets; ``catalogue_for(footprint_set)`` gives the rules a set is judged by. Targets are
parameters (``icb.targets.*``, each with its source); a rule is ``partly`` met from
``icb.targets.partly_share_of_target`` of its target. Rules read the plan, its base spend and
``Evidence.extra``: ``gap_by_year`` (the do-nothing gap, £ by year), ``residual_by_year`` (what
the risk model leaves, £ by year, where run), ``deficit_support`` (the system's 2025/26 support,
£), ``icb_running_costs``, ``agency_spend`` and ``bank_spend`` (base-year £).
"""

from __future__ import annotations

from collections.abc import Callable

from openstp.defaults import ICB_SETS
from openstp.params import Parameters
from openstp.plan import SchemeType
from openstp.plan.fy import format_fy, fy_range, parse_fy
from openstp.review.verdict import (
    CATALOGUE,
    Evidence,
    Rating,
    Rule,
    RuleFunction,
    Thresholds,
    Verdict,
    money,
)

MTPF = ("NHS England, Medium term planning framework 2026/27-2028/29 and NHS finance business "
        "rules from 2026/27 (2025)")
GUIDANCE_2025 = "NHS England, 2025/26 priorities and operational planning guidance (2025)"
LOCAL_GOVERNMENT = ("public_health", "adult_social_care")
MTPF_CATALOGUE: dict[str, Rule] = {}
RUNNING_COST_TYPES = {SchemeType.back_office_estates, SchemeType.corporate_running_costs}
STAFFING_TYPES = {SchemeType.workforce_agency, SchemeType.temporary_staffing}


def mtpf_rule(id: str, title: str, question: str, source: str, reads: tuple[str, ...]
              ) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule in the MTPF catalogue (not the STP-era one) under ``id``."""

    def register(fn: RuleFunction) -> RuleFunction:
        if id in MTPF_CATALOGUE or id in CATALOGUE:
            raise ValueError(f"rule {id} registered twice")
        MTPF_CATALOGUE[id] = Rule(id, title, question, source, reads, fn)
        return fn

    return register


def catalogue_for(footprint_set: str) -> dict[str, Rule]:
    """The rules a plan of ``footprint_set`` is judged by: MTPF for ICB sets, else STP-era."""
    return MTPF_CATALOGUE if footprint_set in ICB_SETS else CATALOGUE


def judge(ev: Evidence, params: Parameters) -> list[Verdict]:
    """Every MTPF rule's verdict for one footprint's evidence."""
    thresholds = Thresholds(params)
    return [r(ev, thresholds) for r in MTPF_CATALOGUE.values()]


def _target(params: Parameters, name: str) -> float:
    return params.value(f"icb.targets.{name}")


def _plan_years(ev: Evidence) -> list[str]:
    return fy_range(format_fy(parse_fy(ev.plan.base_year) + 1), ev.plan.horizon)


def _savings(ev: Evidence, year: str, types: set[SchemeType] | None = None,
             exclude: set[SchemeType] | None = None, owners: set[str] | None = None) -> float:
    return sum(s.saving.get(year, 0.0) for s in ev.plan.schemes
               if (types is None or s.type in types) and not (exclude and s.type in exclude)
               and (owners is None or s.owner in owners))


def _nhs_base(ev: Evidence) -> float:
    return sum(v for k, v in ev.base_spend.items() if k not in LOCAL_GOVERNMENT)


def _against_target(share: float, target: float, partly: float, sentence: str
                    ) -> tuple[Rating, str]:
    if share >= target:
        return Rating.met, sentence + "."
    return (Rating.partly if share >= partly * target else Rating.not_met), sentence + "."


@mtpf_rule("mtpf.breakeven", "Break-even every year from 2026/27",
           "Does the system balance in every year from 2026/27, when each ICB and trust must "
           "break even on its own?", MTPF, ("extra.residual_by_year", "extra.gap_by_year",
                                            "plan.schemes.saving"))
def breakeven(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    first = format_fy(int(_target(p, "first_breakeven_year")))
    years = [y for y in _plan_years(ev) if y >= first]
    residual = ev.extra.get("residual_by_year")
    gap = ev.extra.get("gap_by_year")
    if not years:
        return Rating.no_evidence, f"The plan ends before {first}, when break-even applies."
    if residual is None and gap is None:
        return Rating.no_evidence, "No gap was computed for this plan, so balance is unknown."
    if residual is None:
        residual = {y: gap.get(y, 0.0) - _savings(ev, y) for y in years}
    short = {y: residual.get(y, 0.0) for y in years if residual.get(y, 0.0) > 0}
    what = "left after the plan" if "residual_by_year" in ev.extra else "of gap not planned for"
    if not short:
        return Rating.met, (f"Balanced (system level) in every year {first} to "
                            f"{ev.plan.horizon}; each organisation's own position is not "
                            "modelled.")
    worst = max(short, key=short.get)
    sentence = (f"{money(short[worst])} {what} in {worst}; short in {len(short)} of "
                f"{len(years)} years from {first}")
    return (Rating.partly if ev.plan.horizon not in short else Rating.not_met), sentence + "."


@mtpf_rule("mtpf.deficit_support", "No reliance on deficit support",
           "Does the plan stop relying on deficit support funding by 2028/29?", MTPF,
           ("plan.schemes[type=new_funding]", "extra.deficit_support",
            "icb.opening.deficit_support_remaining"))
def deficit_support(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    end = format_fy(int(_target(p, "deficit_support_end_year")))
    new = {y: _savings(ev, y, {SchemeType.new_funding}) for y in _plan_years(ev)}
    late = {y: v for y, v in new.items() if y >= end and v > 0}
    if late:
        y = min(late)
        return Rating.not_met, (f"The plan counts {money(late[y])} of new funding in {y}, after "
                                f"deficit support ends ({end}).")
    support = ev.extra.get("deficit_support")
    remaining = p.series("icb.opening.deficit_support_remaining")
    if support is not None:
        over = {y: v - support * remaining[y] for y, v in new.items()
                if y in remaining and v > support * remaining[y]}
        if over:
            y = min(over)
            return Rating.partly, (f"New funding of {money(new[y])} in {y} is more than the "
                                   f"{remaining[y]:.0%} of deficit support left that year "
                                   f"({money(support * remaining[y])}).")
    total = sum(new.values())
    return Rating.met, (f"No new funding counted from {end}; {money(total)} before it"
                        + ("." if support is not None else
                           " (the system's deficit support was not given)."))


@mtpf_rule("mtpf.productivity", "2% productivity a year",
           "Do efficiency schemes deliver at least 2% of NHS spend a year?",
           "NHS Providers on Spending Review 2025 (2025); " + MTPF,
           ("plan.schemes[type=provider_efficiency]", "base_spend"))
def productivity(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    base, years = _nhs_base(ev), _plan_years(ev)
    if base <= 0 or not years:
        return Rating.no_evidence, "The plan has no NHS base spend or no years to judge."
    target = _target(p, "productivity_growth")
    saving = _savings(ev, ev.plan.horizon, {SchemeType.provider_efficiency})
    a_year = saving / base / len(years)
    sentence = (f"Efficiency schemes save {money(saving)} by {ev.plan.horizon}, "
                f"{a_year:.1%} of NHS base spend a year over {len(years)} years "
                f"(target {target:.0%})")
    return _against_target(a_year, target, _target(p, "partly_share_of_target"), sentence)


@mtpf_rule("mtpf.cost_base", "Cost base down at least 1%",
           "Do the plan's savings cut the cost base by at least 1% in its first year?",
           GUIDANCE_2025, ("plan.schemes.saving", "base_spend"))
def cost_base(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    base, years = _nhs_base(ev), _plan_years(ev)
    if base <= 0 or not years:
        return Rating.no_evidence, "The plan has no NHS base spend or no years to judge."
    year = "2025/26" if "2025/26" in years else years[0]
    target = _target(p, "cost_base_reduction_2025_26")
    share = _savings(ev, year, exclude={SchemeType.new_funding}) / base
    note = "" if year == "2025/26" else " (the 2025/26 target applied to the plan's first year)"
    sentence = f"Savings in {year} are {share:.1%} of NHS base spend, target {target:.0%}{note}"
    return _against_target(share, target, _target(p, "partly_share_of_target"), sentence)


@mtpf_rule("mtpf.running_costs", "ICB running costs halved",
           "Do schemes owned by the ICB cut its running costs by half?",
           "NHS England, Working together in 2025/26 (letter, 1 April 2025)",
           ("extra.icb_running_costs", "plan.schemes[owner=ICB]"))
def running_costs(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    costs = ev.extra.get("icb_running_costs")
    if not costs:
        return Rating.no_evidence, ("The plan gives no ICB running costs, so the 50% cut "
                                    "cannot be checked.")
    icb = ev.organisations[ev.organisations["kind"] == "icb"]
    owners = set(icb["code"]) | set(icb["ods_code"].dropna())
    saving = _savings(ev, ev.plan.horizon, RUNNING_COST_TYPES, owners=owners)
    target = _target(p, "icb_running_cost_reduction")
    sentence = (f"ICB-owned back-office schemes save {money(saving)} of {money(costs)} running "
                f"costs ({saving / costs:.0%}; target {target:.0%})")
    return _against_target(saving / costs, target, _target(p, "partly_share_of_target"),
                           sentence)


@mtpf_rule("mtpf.temporary_staffing", "Agency -30% and bank -10%",
           "Do temporary-staffing schemes cut agency spend by 30% and bank spend by 10%?",
           GUIDANCE_2025, ("extra.agency_spend", "extra.bank_spend",
                           "plan.schemes[type=workforce_agency|temporary_staffing]"))
def temporary_staffing(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    agency, bank = ev.extra.get("agency_spend"), ev.extra.get("bank_spend", 0.0)
    years = _plan_years(ev)
    if not agency or not years:
        return Rating.no_evidence, ("The plan gives no agency spend, so the 30% cut cannot be "
                                    "checked.")
    need = agency * _target(p, "agency_spend_reduction") + bank * _target(p, "bank_spend_reduction")
    saving = _savings(ev, years[0], STAFFING_TYPES)
    sentence = (f"Temporary-staffing schemes save {money(saving)} in {years[0]} against "
                f"{money(need)} asked (30% of {money(agency)} agency, 10% of {money(bank)} bank)")
    return _against_target(saving / need, 1.0, _target(p, "partly_share_of_target"), sentence)


@mtpf_rule("mtpf.plan_length", "A 3-year and a 5-year plan",
           "Does the plan run three years (the MTPF) and five (the longer plan)?", MTPF,
           ("plan.base_year", "plan.horizon"))
def plan_length(ev: Evidence, t: Thresholds) -> tuple[Rating, str]:
    p = t.params()
    years = len(_plan_years(ev))
    medium, long = (int(_target(p, n)) for n in ("plan_years_medium_term", "plan_years_long_term"))
    sentence = f"The plan runs {years} years, {ev.plan.base_year} to {ev.plan.horizon}"
    if years >= long:
        return Rating.met, sentence + "."
    if years >= medium:
        return Rating.partly, sentence + f": a {medium}-year plan without the {long}-year view."
    return Rating.not_met, sentence + f", shorter than the {medium}-year plan asked."
