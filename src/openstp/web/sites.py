"""Hospital sites in a what-if: which of a footprint's sites offer each service, under its plan,
and the plan's ``site_changes`` after a reader ticks or unticks a service at a site.

A toggle is keyed ``SITE:service`` (``RAE01:ed``) and says whether the site offers the service
after the what-if. Ticking back what the site offers in the built-in table removes the plan's
own change; anything else adds a change (close or open) in the plan's horizon year.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from openstp.access.sites import builtin_sites
from openstp.errors import PlanError, problem
from openstp.plan import Plan

SERVICES = ("ed", "maternity", "neonatal", "stroke")
"""The services a plan's ``site_changes`` can change (``openstp.plan.changes.Service``)."""
SERVICE_LABELS = {"ed": "A&E", "maternity": "Maternity", "neonatal": "Neonatal",
                  "stroke": "Stroke"}


@cache
def _sites() -> pd.DataFrame:
    return builtin_sites()


def footprint_sites(code: str, footprint_set: str) -> pd.DataFrame:
    """The built-in sites located in footprint ``code`` that offer at least one service."""
    sites = _sites()
    if footprint_set not in sites.columns:
        return sites.iloc[:0]
    mine = sites[(sites[footprint_set] == code) & sites[list(SERVICES)].any(axis=1)]
    return mine.sort_values("name").reset_index(drop=True)


def offered(plan: Plan) -> dict[tuple[str, str], bool]:
    """Whether each of the footprint's sites offers each service once the plan's changes apply."""
    sites = footprint_sites(plan.footprint, plan.footprint_set)
    out = {(s["site_id"], svc): bool(s[svc]) for s in sites.to_dict("records")
           for svc in SERVICES}
    for ch in plan.site_changes:
        out[(ch.site, ch.service.value)] = ch.action.value == "open"
    return out


def site_rows(plan: Plan) -> list[dict[str, Any]]:
    """The what-if form's site table: one row per site, each service ticked if offered."""
    now = offered(plan)
    changed = {(ch.site, ch.service.value) for ch in plan.site_changes}
    rows = []
    for s in footprint_sites(plan.footprint, plan.footprint_set).to_dict("records"):
        rows.append({"id": s["site_id"], "name": s["name"], "services": [
            {"service": svc, "label": SERVICE_LABELS[svc], "on": now[(s["site_id"], svc)],
             "by_plan": (s["site_id"], svc) in changed} for svc in SERVICES]})
    return rows


def apply_sites(data: dict[str, Any], plan: Plan, toggles: dict[str, bool]) -> None:
    """Change ``data["site_changes"]`` (a plan dumped as a dict) so each toggle holds."""
    if not toggles:
        return
    now = offered(plan)
    builtin = {(s["site_id"], svc): bool(s[svc])
               for s in footprint_sites(plan.footprint, plan.footprint_set).to_dict("records")
               for svc in SERVICES}
    changes = list(data.get("site_changes", []))
    bad = []
    for key, on in toggles.items():
        site, _, service = key.partition(":")
        if (site, service) not in builtin:
            bad.append(key)
            continue
        if now[(site, service)] == on:
            continue
        changes = [c for c in changes if (c["site"], str(c["service"])) != (site, service)]
        if builtin[(site, service)] != on:
            changes.append({"id": f"what-if-{'open' if on else 'close'}-{site}-{service}"
                            .lower(), "site": site, "service": service,
                            "action": "open" if on else "close", "year": plan.horizon,
                            "description": "Changed in a what-if."})
    if bad:
        raise PlanError([problem("scenario", f"not a site and service of {plan.footprint}: "
                                 f"{', '.join(sorted(bad))}", field="sites")])
    data["site_changes"] = changes
