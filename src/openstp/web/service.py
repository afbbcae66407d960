"""Everything the web app does, independent of HTTP: pages, what-ifs, saves, downloads.

One ``Service`` per app holds the loaded results (read once), the plans folder, the templates and
small caches, so a repeated page or what-if costs almost nothing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from openstp.defaults import DEFAULT_SEED
from openstp.params import builtin_parameters
from openstp.plan import Plan, plan_to_yaml_str
from openstp.report.blocks import Chart
from openstp.report.fmt import missing, plain, words
from openstp.report.footprint_blocks import footprint_charts, footprint_tables, key_assumptions
from openstp.report.pages import (
    assumptions_page,
    england_page,
    footprint_page,
    key_figures,
    rules_page,
)
from openstp.report.results import FootprintResults, Results, load_results
from openstp.report.site import environment
from openstp.report.workbook import build_workbook
from openstp.web.links import WebLinks
from openstp.web.plans import PlanFile, PlanStore, version_of
from openstp.web.scenario import Engine, SaveRequest, Scenario, apply_scenario, chain_engine

SCENARIO_CACHE = 128
"""What-if results kept in memory (most recently used)."""
GROUP_LABELS = {"gap": "Cost growth and funding", "risk": "Delivery of savings",
                "beds": "Beds", "workforce": "Workforce", "access": "Access and travel",
                "social_care": "Social care"}
"""Headings of the what-if form's groups of assumptions, by the first part of their path."""
WHAT_IF_SUFFIX = re.compile(r" \(what-if [A-Za-z0-9_-]+\)$")
"""The note a saved what-if adds to its plan's title (replaced, not stacked, on a re-save)."""
UNCHANGED_BY_WHAT_IF = frozenset({"access-map"})
"""Charts drawn from data a what-if never recomputes (per-area travel times), so not resent."""


@dataclass
class Outcome:
    """A what-if's result: the footprint's new results and the plan that produced them."""

    fp: FootprintResults
    plan: Plan
    seconds: float
    json: str | None = None


class Service:
    """The web app's state and behaviour over one results folder and one plans folder."""

    def __init__(self, results_dir: Path, plans_dir: Path, engine: Engine | None = None,
                 draws: int = 1000):
        self.results: Results = load_results(results_dir)
        self.store = PlanStore(plans_dir, reviewed=Path(results_dir) / "plans")
        self.engine = engine or chain_engine
        self.draws = draws
        self.seed = int(self.results.england.get("seed", DEFAULT_SEED))
        self.links = WebLinks()
        self.env: jinja2.Environment = environment(
            jinja2.PackageLoader("openstp.web", "templates"))
        self._texts: dict[tuple[str, ...], str] = {}
        self._outcomes: OrderedDict[str, Outcome] = OrderedDict()
        self._lock = threading.Lock()
        assumptions = self.results.tables["assumptions"]
        single = assumptions[assumptions["year"].isna()]
        self.central = dict(zip(single["path"], single["value"].astype(float), strict=True))
        self._reviewed = {code: (path, version_of(path.read_bytes()))
                          for code in self.results.footprints()
                          if (path := self.results.plan_file(code)) is not None}
        builtin_parameters()  # load once now, not in the first what-if
        for name in ("_macros.html.j2", "footprint_web.html.j2"):
            self.env.get_template(name)

    # pages -------------------------------------------------------------------------------
    def _memo(self, key: tuple[str, ...], build: Callable[[], str]) -> str:
        """Text made from the stored results once (pages, JSON, CSV), then reused."""
        if key not in self._texts:
            self._texts[key] = build()
        return self._texts[key]

    def api_json(self, key: tuple[str, ...], build: Callable[[], Any]) -> str:
        """JSON text for an API answer over the stored results (encoded once, then reused)."""
        return self._memo(("api", *key), lambda: json.dumps(build(), default=str))

    def page(self, name: str) -> str:
        """The England, rules or assumptions page (rendered once)."""
        builders = {"england": ("england.html.j2", england_page),
                    "rules": ("rules.html.j2", rules_page),
                    "assumptions": ("assumptions.html.j2", assumptions_page)}
        template, build = builders[name]
        return self._memo(("page", name), lambda: self.env.get_template(template).render(
            **build(self.results, self.links)))

    def footprint(self, code: str) -> FootprintResults:
        """The stored results of ``code``; raises ``KeyError`` if it is not in the results."""
        return self.results.footprint(code)

    def base_plan(self, code: str, name: str | None) -> PlanFile | None:
        """The plan a what-if starts from: ``name``, or the footprint's reviewed plan."""
        try:
            file = self.store.get(name or code)
        except KeyError:
            if name:
                raise
            return None
        if file.plan is not None and file.plan.footprint != code:
            raise KeyError(name)
        return file

    def footprint_html(self, code: str, plan_name: str | None = None,
                       scenario: Scenario | None = None, message: str = "",
                       error: str = "") -> str:
        """The footprint page with its what-if form (and a what-if's results, if given)."""
        fp = self.footprint(code)
        base = self.base_plan(code, plan_name)
        plan = base.plan if base else None
        if scenario is not None and plan is not None:
            outcome = self.what_if(code, scenario)
            fp, plan = outcome.fp, outcome.plan
        context = footprint_page(fp, self.links, self.results.england, plan)
        context.update(self.form_context(code, base, plan), message=message, error=error,
                       showing_whatif=scenario is not None,
                       open_whatif=bool(plan_name or scenario or message or error))
        return self.env.get_template("footprint_web.html.j2").render(**context)

    def form_context(self, code: str, base: PlanFile | None, plan: Plan | None
                     ) -> dict[str, Any]:
        """What the what-if form shows: the key assumptions, the schemes, the plans list."""
        groups: dict[str, list[dict[str, str]]] = {}
        for a in key_assumptions(self.results.tables["assumptions"], plan).to_dict("records"):
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
        horizon = self.results.horizon
        schemes = [{"id": s.id, "name": s.name, "saving_m": s.saving.get(horizon, 0.0) / 1e6,
                    "grade": s.evidence.grade.value if s.evidence else ""}
                   for s in (plan.schemes if plan else [])]
        taken = {f.name for f in self.store.list()}
        suggestion = next(f"{code}-scenario-{i}" for i in range(1, 10_000)
                          if f"{code}-scenario-{i}" not in taken)
        return {"base": base, "keys": keys, "form_schemes": schemes,
                "plan_files": self.store.list(code), "suggested_name": suggestion}

    # what if -------------------------------------------------------------------------------
    def what_if(self, code: str, scenario: Scenario) -> Outcome:
        """Recompute ``code`` under ``scenario`` (cached by the scenario's content)."""
        base = self.base_plan(code, scenario.plan)
        if base is None or base.plan is None:
            raise KeyError(scenario.plan or code)
        key = json.dumps([code, base.version, scenario.model_dump(mode="json")], sort_keys=True)
        with self._lock:
            if key in self._outcomes:
                self._outcomes.move_to_end(key)
                return self._outcomes[key]
        plan = apply_scenario(base.plan, scenario, self.central)
        start = time.perf_counter()
        if plan == base.plan and self._reviewed.get(code) == (base.path, base.version):
            fp = self.footprint(code)  # nothing changed: the published results, not a re-run
        else:
            fp = self.footprint(code).replaced(
                self.engine(plan, draws=self.draws, seed=self.seed).tables)
        outcome = Outcome(fp, plan, time.perf_counter() - start)
        with self._lock:
            self._outcomes[key] = outcome
            while len(self._outcomes) > SCENARIO_CACHE:
                self._outcomes.popitem(last=False)
        return outcome

    def what_if_json(self, code: str, scenario: Scenario) -> str:
        """A what-if as JSON: new chart specs by element id, HTML fragments, the league row.

        Kept with the cached outcome, so a repeated what-if is served without redrawing.
        """
        outcome = self.what_if(code, scenario)
        if outcome.json is None:
            outcome.json = self._outcome_json(code, outcome)
        return outcome.json

    def _outcome_json(self, code: str, outcome: Outcome) -> str:
        fp = outcome.fp
        macros: Any = self.env.get_template("_macros.html.j2").module
        verdicts = footprint_tables(fp, self.links, outcome.plan)["verdicts"]
        html = {"key-figures": str(macros.figures(key_figures(fp.league, fp.horizon))),
                "verdicts": str(macros.table(verdicts, self.links, code)),
                "overall": plain(fp.league.get("overall")),
                "overall-reason": plain(fp.league.get("reason"))}
        charts = ",".join(f"{json.dumps(c.dom_id)}:{c.json()}"
                          for c in footprint_charts(fp).values()
                          if not c.data.empty and c.id not in UNCHANGED_BY_WHAT_IF)
        league = {k: _jsonable(v) for k, v in fp.league.items()}
        return (f'{{"footprint":{json.dumps(code)},"seconds":{outcome.seconds:.4f},'
                f'"league":{json.dumps(league)},"html":{json.dumps(html)},'
                f'"charts":{{{charts}}}}}')

    def save(self, code: str, request: SaveRequest) -> PlanFile:
        """Save a what-if as a new plan file (or over its own base if unchanged since loaded)."""
        base = self.base_plan(code, request.plan)
        if base is None or base.plan is None:
            raise KeyError(request.plan or code)
        plan = apply_scenario(base.plan, request, self.central)
        if request.name != base.name:
            title = WHAT_IF_SUFFIX.sub("", plan.name)
            plan = plan.model_copy(update={"name": f"{title} (what-if {request.name})"})
        version = request.version if request.name == base.name and base.editable else None
        return self.store.save(request.name, plan_to_yaml_str(plan), version)

    # downloads -----------------------------------------------------------------------------
    def csv(self, scope: str, name: str) -> str:
        """A chart's or table's data, or a whole results table, for England or a footprint."""
        return self._memo(("csv", scope, name), lambda: self._csv(scope, name))

    def _csv(self, scope: str, name: str) -> str:
        if scope == "england":
            if name in self.results.tables:
                return self.results.tables[name].to_csv(index=False)
            context = england_page(self.results, self.links)
            items: dict[str, Any] = {**context["charts"], "league": context["league"],
                                     "verdict-matrix": context["matrix"]}
            for page in (rules_page, assumptions_page):
                table = page(self.results, self.links)["table"]
                items[table.id] = table
        else:
            fp = self.footprint(scope)
            if name in fp.tables:
                return fp.tables[name].to_csv(index=False)
            items = {**footprint_charts(fp), **footprint_tables(fp, self.links, None)}
        item = items.get(name)
        if item is None or (not isinstance(item, Chart) and item.data is None):
            raise KeyError(name)
        return item.data.to_csv(index=False)

    @cached_property
    def workbook(self) -> bytes:
        """The results workbook (built once)."""
        import io

        buffer = io.BytesIO()
        build_workbook(self.results).save(buffer)
        return buffer.getvalue()


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
