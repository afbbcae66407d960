"""Judge one plan against every rule, and add the verdicts up by the stated overall rule."""

from __future__ import annotations

from dataclasses import dataclass

from openstp.params import Parameters
from openstp.review import rules_lsbu, rules_tests  # noqa: F401 - registers the rules
from openstp.review.rules_mtpf import catalogue_for
from openstp.review.verdict import Evidence, Rating, Thresholds, Verdict


@dataclass(frozen=True)
class Review:
    """Every rule's verdict for one plan, and the overall readiness with its reason."""

    footprint: str
    verdicts: list[Verdict]
    overall: str
    reason: str

    def by_rule(self) -> dict[str, Verdict]:
        """Verdicts keyed by rule id."""
        return {v.rule: v for v in self.verdicts}


def overall_readiness(verdicts: list[Verdict], params: Parameters) -> tuple[str, str]:
    """'ready' when at most max_not_met rules fail and max_partly are partly met or unevidenced."""
    failed = [v.rule for v in verdicts if v.rating is Rating.not_met]
    partly = [v.rule for v in verdicts if v.rating in (Rating.partly, Rating.no_evidence)]
    max_not_met = params.value("review.overall.max_not_met")
    max_partly = params.value("review.overall.max_partly")
    if len(failed) <= max_not_met and len(partly) <= max_partly:
        return "ready", (f"{len(failed)} rules not met (at most {max_not_met:.0f} allowed) and "
                         f"{len(partly)} partly met or unevidenced (at most {max_partly:.0f}).")
    detail = []
    if len(failed) > max_not_met:
        detail.append(f"{len(failed)} rules not met ({', '.join(failed)})")
    if len(partly) > max_partly:
        detail.append(f"{len(partly)} partly met or unevidenced, more than {max_partly:.0f}")
    return "not ready", "; ".join(detail) + "."


def review_plan(evidence: Evidence, params: Parameters) -> Review:
    """Apply every rule of the plan's catalogue to one footprint's evidence: the MTPF rules for
    today's ICB sets, the STP-era ones for the 2016-2020 sets (``rules_mtpf.catalogue_for``)."""
    thresholds = Thresholds(params)
    rules = catalogue_for(evidence.plan.footprint_set).values()
    verdicts = [r(evidence, thresholds) for r in rules]
    overall, reason = overall_readiness(verdicts, params)
    return Review(evidence.footprint, verdicts, overall, reason)
