"""What a footprint page shows besides its results: the base plan, the what-if form and the
footprint's plan files; a what-if's answer to the page's script; and the plans page's table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pandas as pd

from openstp.plan import Plan
from openstp.report.blocks import Cell, Table
from openstp.report.fmt import missing, plain, words
from openstp.report.footprint_blocks import footprint_charts, footprint_tables, key_assumptions
from openstp.report.pages import key_figures
from openstp.report.results import FootprintResults
from openstp.web.links import WebLinks
from openstp.web.plans import PlanFile
from openstp.web.sites import site_rows

GROUP_LABELS = {"gap": "Cost growth and funding", "risk": "Delivery of savings",
                "beds": "Beds", "workforce": "Workforce", "access": "Access and travel",
                "social_care": "Social care"}
"""Headings of the what-if form's groups of assumptions, by the first part of their path."""
NOT_IN_A_RUN = ("plans.",)
"""Parameter paths the review chain never reads (the built-in plans' build script does)."""
DELIVERY_STATS = (("p10", "P10 (a bad year)"), ("median", "median"), ("p90", "P90 (a good year)"))
"""The three quantiles of a scheme type's share of its saving delivered (risk.delivery)."""
TYPE_LABELS = {"provider_efficiency": "Provider efficiency (CIP)",
               "demand_management_outpatients": "Demand management: outpatients",
               "demand_management_elective": "Demand management: elective admissions",
               "demand_management_non_elective": "Demand management: emergency admissions",
               "demand_management_ae": "Demand management: A&E attendances",
               "service_reconfiguration": "Service reconfiguration",
               "back_office_estates": "Back office and estates", "prescribing": "Prescribing",
               "workforce_agency": "Workforce: agency spend", "social_care": "Social care",
               "prevention": "Prevention", "new_funding": "New funding"}
"""Scheme types as the delivery table names them."""
RESENT_TABLES = ("schemes", "closures", "beds-table", "equity", "workforce-table")
"""Tables of the page a what-if sends again (as ``table:ID`` HTML), beside the charts."""
UNCHANGED_BY_WHAT_IF = frozenset({"access-map", "locator"})
"""Charts a what-if leaves as the page drew them: the access map, drawn from data recomputed
only when its plan changes sites, and the locator (England's footprints, one highlighted)."""
REDRAWN_WITH_SITES = ("access-map", "access")
"""Figures sent whole (as ``figure:ID`` HTML) when a what-if recomputed minutes per area."""

@dataclass(frozen=True)
class FootprintView:
    """What a footprint page shows besides the results: its base plan and the plans folder."""

    fp: FootprintResults
    base: PlanFile | None
    files: list[PlanFile]
    """This footprint's plan files."""
    suggestion: str
    """The name the save box offers (the first free ``CODE-scenario-N``)."""
    builtin: bool = False
    """True if the reviewed plans are OpenSTP's built-in plans."""

    def kind(self, f: PlanFile) -> str:
        """How the plans list labels a file: saved (here), built-in, or reviewed (a user's)."""
        return "saved" if f.editable else ("built-in" if self.builtin else "reviewed")

    @property
    def signature(self) -> tuple[object, ...]:
        """Everything the page depends on beyond the results, for the page cache's key."""
        return (self.base and (self.base.name, self.base.version),
                tuple((f.name, f.version) for f in self.files), self.suggestion)


def form_context(view: FootprintView, plan: Plan | None, assumptions: pd.DataFrame,
                 horizon: str) -> dict[str, Any]:
    """What the what-if form shows: the key assumptions, delivery by scheme type, the schemes'
    savings by year, the plan's own bed changes, the footprint's sites, the plans list."""
    groups: dict[str, list[dict[str, str]]] = {}
    keys_table = key_assumptions(assumptions, plan)
    # plans.* feed only the script that builds the built-in plans: changing one moves nothing;
    # risk.delivery.* have their own fieldset, by scheme type
    keys_table = keys_table[~keys_table["path"].str.startswith((*NOT_IN_A_RUN, "risk.delivery."))]
    for a in keys_table.to_dict("records"):
        groups.setdefault(a["path"].split(".")[0], []).append(_field(a))
    order = list(GROUP_LABELS)
    keys = [{"label": GROUP_LABELS.get(g, words(g)), "items": items,
             "open": g == "gap" or any(i["own"] for i in items)}
            for g, items in sorted(groups.items(), key=lambda kv: (
                order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    years = [y for y in plan.years() if y != plan.base_year] if plan else []
    schemes = [{"id": s.id, "name": s.name, "type": words(s.type.value),
                "savings": [{"year": y, "m": round(s.saving.get(y, 0.0) / 1e6, 1)}
                            for y in years],
                "grade": s.evidence.grade.value if s.evidence else ""}
               for s in (plan.schemes if plan else [])]
    return {"base": view.base, "keys": keys, "form_schemes": schemes, "years": years,
            "delivery": delivery_fields(assumptions, plan),
            "bed_changes": [{"id": b.id, "trust": b.trust, "site": b.site or "", "year": b.year,
                             "change": b.change, "type": words(b.bed_type.value)}
                            for b in (plan.bed_changes if plan else [])],
            "sites": site_rows(plan) if plan else [], "plan_files": view.files,
            "kinds": {f.name: view.kind(f) for f in view.files},
            "reviewed_label": "built-in" if view.builtin else "reviewed",
            "suggested_name": view.suggestion}


def delivery_fields(assumptions: pd.DataFrame, plan: Plan | None) -> list[dict[str, Any]]:
    """The delivery priors (P10, median, P90 of the share delivered) of each scheme type the
    plan uses, as form fields grouped by type."""
    if plan is None:
        return []
    single = assumptions[assumptions["year"].isna()].set_index("path")
    own = dict(plan.assumptions)
    out = []
    for kind in sorted({s.type.value for s in plan.schemes}):
        items = []
        for stat, label in DELIVERY_STATS:
            path = f"risk.delivery.{kind}.{stat}"
            if path not in single.index:
                continue
            central = single.at[path, "value"]
            items.append({"path": path, "stat": stat, "label": label,
                          "used": plain(own.get(path, central)),
                          "central": plain(central), "own": "yes" if path in own else ""})
        if items:
            out.append({"type": kind, "label": TYPE_LABELS.get(kind, words(kind).capitalize()),
                        "items": items})
    return out


def _field(a: dict[str, Any]) -> dict[str, str]:
    used = a["value"] if missing(a["plan_value"]) else a["plan_value"]
    return {"path": a["path"], "description": plain(a["description"]),
            "hint": f"{words(a['unit'])}; central {plain(a['value'])}"
                    + _range_text(a["low"], a["high"]), "used": plain(used),
            "own": "yes" if not missing(a["plan_value"]) else ""}


def what_if_json(fp: FootprintResults, plan: Plan, seconds: float, macros: Any,
                 links: WebLinks, new_map: bool = False) -> str:
    """A what-if as the API sends it: new chart specs by element id, HTML fragments (with the
    page's ``macros``), the league row and the engine's ``seconds``; the access map only if
    ``new_map`` (the what-if recomputed minutes per area)."""
    tables = footprint_tables(fp, links, plan, only=("verdicts", *RESENT_TABLES))
    html = {"key-figures": str(macros.figures(key_figures(fp.league, fp.horizon))),
            "verdicts": str(macros.table(tables["verdicts"], links, fp.code)),
            **{f"table:{t}": str(macros.table(tables[t], links, fp.code))
               for t in RESENT_TABLES},
            "overall": plain(fp.league.get("overall")),
            "overall-reason": plain(fp.league.get("reason"))}
    every = footprint_charts(fp)
    if new_map:  # titles and empty charts change too: these figures are sent whole
        html.update({f"figure:{i}": str(macros.chart(every[i], links, fp.code))
                     for i in REDRAWN_WITH_SITES})
    charts = ",".join(f"{json.dumps(c.dom_id)}:{c.json()}" for c in every.values()
                      if not c.data.empty and c.id not in UNCHANGED_BY_WHAT_IF
                      and not (new_map and c.id in REDRAWN_WITH_SITES))
    league = {k: _jsonable(v) for k, v in fp.league.items()}
    return (f'{{"footprint":{json.dumps(fp.code)},"seconds":{seconds:.4f},'
            f'"league":{json.dumps(league)},"html":{json.dumps(html)},'
            f'"charts":{{{charts}}}}}')


def plans_table(files: list[PlanFile], footprints: set[str], links: WebLinks,
                builtin: bool = False) -> Table:
    """The plans page's table: each plan file, its footprint, file and folder."""
    table = Table("plans", "Plan files", [("Plan", False), ("Footprint", False),
                                          ("File", False), ("Folder", False)])
    for f in files:
        fp = f.plan.footprint if f.plan else None
        href = f"/footprints/{fp}?plan={quote(f.name)}" if fp in footprints else None
        table.add(Cell(f.plan.name if f.plan else f"(unreadable: {f.problem})", href=href),
                  fp or "–", Cell(f"{f.name}.yaml", href=links.plan(f.name)),
                  "saved" if f.editable else ("built-in" if builtin else "reviewed"))
    return table


def _range_text(low: object, high: object) -> str:
    if not missing(low) and not missing(high):
        return f", published range {plain(low)} to {plain(high)}"
    if not missing(low):
        return f", published low {plain(low)}"
    return f", published high {plain(high)}" if not missing(high) else ""


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
