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

GROUP_LABELS = {"gap": "Cost growth and funding", "risk": "Delivery of savings",
                "beds": "Beds", "workforce": "Workforce", "access": "Access and travel",
                "social_care": "Social care"}
"""Headings of the what-if form's groups of assumptions, by the first part of their path."""
UNCHANGED_BY_WHAT_IF = frozenset({"access-map"})
"""Charts drawn from data a what-if never recomputes (per-area travel times), so not resent."""

@dataclass(frozen=True)
class FootprintView:
    """What a footprint page shows besides the results: its base plan and the plans folder."""

    fp: FootprintResults
    base: PlanFile | None
    files: list[PlanFile]
    """This footprint's plan files."""
    suggestion: str
    """The name the save box offers (the first free ``CODE-scenario-N``)."""

    @property
    def signature(self) -> tuple[object, ...]:
        """Everything the page depends on beyond the results, for the page cache's key."""
        return (self.base and (self.base.name, self.base.version),
                tuple((f.name, f.version) for f in self.files), self.suggestion)


def form_context(view: FootprintView, plan: Plan | None, assumptions: pd.DataFrame,
                 horizon: str) -> dict[str, Any]:
    """What the what-if form shows: the key assumptions, the schemes, the plans list."""
    groups: dict[str, list[dict[str, str]]] = {}
    for a in key_assumptions(assumptions, plan).to_dict("records"):
        used = a["value"] if missing(a["plan_value"]) else a["plan_value"]
        groups.setdefault(a["path"].split(".")[0], []).append({
            "path": a["path"], "description": plain(a["description"]),
            "hint": f"{words(a['unit'])}; central {plain(a['value'])}"
                    + _range_text(a["low"], a["high"]), "used": plain(used),
            "own": "yes" if not missing(a["plan_value"]) else ""})
    order = list(GROUP_LABELS)
    keys = [{"label": GROUP_LABELS.get(g, words(g)), "items": items,
             "open": g == "gap" or any(i["own"] for i in items)}
            for g, items in sorted(groups.items(), key=lambda kv: (
                order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]
    schemes = [{"id": s.id, "name": s.name, "saving_m": s.saving.get(horizon, 0.0) / 1e6,
                "grade": s.evidence.grade.value if s.evidence else ""}
               for s in (plan.schemes if plan else [])]
    return {"base": view.base, "keys": keys, "form_schemes": schemes,
            "plan_files": view.files, "suggested_name": view.suggestion}


def what_if_json(fp: FootprintResults, plan: Plan, seconds: float, macros: Any,
                 links: WebLinks) -> str:
    """A what-if as the API sends it: new chart specs by element id, HTML fragments (with the
    page's ``macros``), the league row and the engine's ``seconds``."""
    verdicts = footprint_tables(fp, links, plan)["verdicts"]
    html = {"key-figures": str(macros.figures(key_figures(fp.league, fp.horizon))),
            "verdicts": str(macros.table(verdicts, links, fp.code)),
            "overall": plain(fp.league.get("overall")),
            "overall-reason": plain(fp.league.get("reason"))}
    charts = ",".join(f"{json.dumps(c.dom_id)}:{c.json()}"
                      for c in footprint_charts(fp).values()
                      if not c.data.empty and c.id not in UNCHANGED_BY_WHAT_IF)
    league = {k: _jsonable(v) for k, v in fp.league.items()}
    return (f'{{"footprint":{json.dumps(fp.code)},"seconds":{seconds:.4f},'
            f'"league":{json.dumps(league)},"html":{json.dumps(html)},'
            f'"charts":{{{charts}}}}}')


def plans_table(files: list[PlanFile], footprints: set[str], links: WebLinks) -> Table:
    """The plans page's table: each plan file, its footprint, file and folder."""
    table = Table("plans", "Plan files", [("Plan", False), ("Footprint", False),
                                          ("File", False), ("Folder", False)])
    for f in files:
        fp = f.plan.footprint if f.plan else None
        href = f"/footprints/{fp}?plan={quote(f.name)}" if fp in footprints else None
        table.add(Cell(f.plan.name if f.plan else f"(unreadable: {f.problem})", href=href),
                  fp or "–", Cell(f"{f.name}.yaml", href=links.plan(f.name)),
                  "saved" if f.editable else "reviewed")
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
