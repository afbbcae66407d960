"""Workforce and social care: the staff a plan needs against the staff it can get, the cost of
the shortfall, whether schemes and bed closures have their staff when they start, and the adult
social care gap with its knock-on on delayed discharges."""

from openstp.workforce.api import WorkforceResult, workforce_gap, workforce_gaps
from openstp.workforce.gap import WorkforceRun, run_workforce
from openstp.workforce.groups import GROUPS, LABELS, NHS_GROUPS
from openstp.workforce.social_care_api import SocialCareResult, social_care_gap

__all__ = ["GROUPS", "LABELS", "NHS_GROUPS", "SocialCareResult", "WorkforceResult",
           "WorkforceRun", "run_workforce", "social_care_gap", "workforce_gap",
           "workforce_gaps"]
