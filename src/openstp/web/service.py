"""Everything the web app does, independent of HTTP: pages, what-ifs, saves, downloads.

One ``Service`` per app holds the loaded results (read once), the plans folder, the templates,
bounded caches and the worker pool. Pages, JSON and CSV are made once per *results version* (a
digest of the results folder's files) and served from memory; what-ifs are cached by their
content. Heavy work — recomputing a footprint, parsing or writing a plan — runs in the bounded
pool (``openstp.web.pool``); rendering a page holds one of as many render slots as workers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from openstp.defaults import DEFAULT_SEED, WHAT_IF_DRAWS
from openstp.params import builtin_parameters
from openstp.plan import Plan, plan_to_yaml_str
from openstp.report.blocks import Chart
from openstp.report.footprint_blocks import footprint_charts, footprint_tables
from openstp.report.pages import (
    assumptions_page,
    england_page,
    footprint_page,
    rules_page,
)
from openstp.report.results import FootprintResults, Results, load_results
from openstp.report.site import environment
from openstp.report.workbook import build_workbook
from openstp.review.tables import BUILTIN
from openstp.web.cache import Memo
from openstp.web.diffs import PlanDiff, compare, diff_context
from openstp.web.limits import (
    PAGE_CACHE,
    QUEUE_PER_WORKER,
    SCENARIO_CACHE,
    TEXT_CACHE,
    default_workers,
)
from openstp.web.links import WebLinks
from openstp.web.plans import WATCH_SECONDS, PlanFile, PlanStore, check_name, version_of
from openstp.web.pool import WorkPool
from openstp.web.scenario import Engine, SaveRequest, Scenario, apply_scenario, chain_engine
from openstp.web.views import FootprintView, form_context, plans_table, what_if_json

WHAT_IF_SUFFIX = re.compile(r" \(what-if [A-Za-z0-9_-]+\)$")
"""The note a saved what-if adds to its plan's title (replaced, not stacked, on a re-save)."""


@dataclass
class Outcome:
    """A what-if's result: the footprint's new results and the plan that produced them."""

    fp: FootprintResults
    plan: Plan
    seconds: float
    json: str
    """The what-if as the API sends it (made in the pool with the recomputation)."""


class Service:
    """The web app's state and behaviour over one results folder and one plans folder."""

    def __init__(self, results_dir: Path, plans_dir: Path, engine: Engine | None = None,
                 draws: int = WHAT_IF_DRAWS, pool: WorkPool | None = None):
        self.results: Results = load_results(results_dir)
        self.version = results_version(Path(results_dir))
        self.store = PlanStore(plans_dir, reviewed=Path(results_dir) / "plans")
        self.engine = engine or chain_engine
        self.draws = draws
        self.seed = int(self.results.england.get("seed", DEFAULT_SEED))
        self.links = WebLinks()
        self.builtin = self.results.england.get("plans") == BUILTIN
        """True if the results reviewed OpenSTP's built-in plans (labelled so, not "saved")."""
        self.env: jinja2.Environment = environment(
            jinja2.PackageLoader("openstp.web", "templates"))
        workers = default_workers()
        self.pool = pool or WorkPool(workers, QUEUE_PER_WORKER * workers)
        self._render_slots = threading.BoundedSemaphore(self.pool.workers)
        self._pages: Memo[tuple[object, ...], str] = Memo(PAGE_CACHE)
        self._texts: Memo[tuple[str, ...], str] = Memo(TEXT_CACHE)
        self._outcomes: Memo[str, Outcome] = Memo(SCENARIO_CACHE)
        self._served: Memo[tuple[object, ...], str] = Memo(PAGE_CACHE)
        self.diffs: Memo[str, PlanDiff] = Memo(SCENARIO_CACHE)
        assumptions = self.results.tables["assumptions"]
        single = assumptions[assumptions["year"].isna()]
        self.central = dict(zip(single["path"], single["value"].astype(float), strict=True))
        self._reviewed = {code: (path, version_of(path.read_bytes()))
                          for code in self.results.footprints()
                          if (path := self.results.plan_file(code)) is not None}
        builtin_parameters()  # load once now, not in the first what-if
        self.store.list()  # parse every plan file now, not in the first page
        for name in ("_macros.html.j2", "footprint_web.html.j2"):
            self.env.get_template(name)
        self._closed = threading.Event()
        threading.Thread(target=self._watch, name="openstp-plans-watch", daemon=True).start()

    def _watch(self) -> None:
        """Look for plan files changed by hand every ``WATCH_SECONDS`` until closed."""
        while not self._closed.wait(WATCH_SECONDS):
            self.store.check()

    def close(self) -> None:
        """Stop watching the plans folder and stop the pool taking jobs."""
        self._closed.set()
        self.pool.close()

    # pages -------------------------------------------------------------------------------
    def _render(self, template: str, context: Callable[[], dict[str, Any]]) -> str:
        """``template`` rendered with ``context()``, in one of the render slots.

        Rendering is pure Python (it holds the GIL), so more at once than cores only adds
        latency and memory; a caller waits for a slot.
        """
        with self._render_slots:
            return self.env.get_template(template).render(**context())

    def ready_json(self, key: tuple[str, ...]) -> str | None:
        """The API answer ``api_json`` made for ``key``, if it has (no I/O: fine on the loop)."""
        return self._texts.peek((self.version, "api", *key))

    def ready_page(self, name: str) -> str | None:
        """The England, rules or assumptions page, if rendered (no I/O: fine on the loop)."""
        return self._pages.peek((self.version, "page", name))

    def fresh(self, key: tuple[str | None, ...]) -> str | None:
        """A page or answer made from the plans folder (``footprint_html``, ``plans_html``,
        ``plans_json``, by their arguments) if no plan file changed since, else None.

        No I/O, so fine on the event loop: a save through the app counts at once, a file
        edited by hand within ``WATCH_SECONDS``.
        """
        return self._served.peek((self.store.generation, *key))

    def _serve(self, key: tuple[str | None, ...], make: Callable[[], str]) -> str:
        """``make()``, kept for ``fresh`` under the plans generation it was made at."""
        generation = self.store.generation  # before making: a change meanwhile is not hidden
        text = make()
        self._served.get((generation, *key), lambda: text)
        return text

    def api_json(self, key: tuple[str, ...], build: Callable[[], Any]) -> str:
        """JSON text for an API answer over the stored results (encoded once, then reused)."""
        return self._texts.get((self.version, "api", *key),
                               lambda: json.dumps(build(), default=str))

    def page(self, name: str) -> str:
        """The England, rules or assumptions page (rendered once)."""
        builders = {"england": ("england.html.j2", england_page),
                    "rules": ("rules.html.j2", rules_page),
                    "assumptions": ("assumptions.html.j2", assumptions_page)}
        template, build = builders[name]
        return self._pages.get((self.version, "page", name), lambda: self._render(
            template, lambda: build(self.results, self.links)))

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

    def view(self, code: str, plan_name: str | None) -> FootprintView:
        """The footprint, its base plan and its plan files; raises ``KeyError`` if none."""
        fp = self.footprint(code)
        base = self.base_plan(code, plan_name)
        every = self.store.list()
        taken = {f.name for f in every}
        suggestion = next(f"{code}-scenario-{i}" for i in range(1, 10_000)
                          if f"{code}-scenario-{i}" not in taken)
        return FootprintView(fp, base, [f for f in every if f.plan is not None
                                        and f.plan.footprint == code], suggestion,
                             self.builtin)

    def footprint_html(self, code: str, plan_name: str | None = None, *,
                       saved: str | None = None) -> str:
        """The footprint page with its what-if form; ``saved``: the plan just saved.

        Rendered once per results version, base plan version and list of plan files. The note
        that a plan was saved shows only for the plan shown, so no query makes a new page.
        """
        key = _footprint_key(code, plan_name, saved)

        def make() -> str:
            view = self.view(code, plan_name)
            message = f"Saved as {view.base.name}.yaml in the plans folder." if (
                view.base and key[-1] is not None) else ""
            opened = bool(plan_name or message)
            return self._pages.get(
                (self.version, "footprint", code, view.signature, opened, message),
                lambda: self._footprint_page(view, opened=opened, message=message))

        return self._serve(key, make)

    def fresh_footprint_html(self, code: str, plan_name: str | None, saved: str | None
                             ) -> str | None:
        """``footprint_html``'s page if ``fresh`` (see there)."""
        return self.fresh(_footprint_key(code, plan_name, saved))

    def plans_html(self) -> str:
        """The plans page: every plan file (rendered again only when a plan file changes)."""
        def make() -> str:
            files = self.store.list()
            return self._render("plans.html.j2", lambda: {
                "title": "Plans", "links": self.links, "england": self.results.england,
                "table": plans_table(files, set(self.results.footprints()), self.links,
                                     self.builtin)})

        return self._serve(("plans",), make)

    def plans_json(self, footprint: str | None, info: Callable[[PlanFile], Any]) -> str:
        """The API's list of plan files (``info`` of each), optionally one footprint's."""
        return self._serve(("api-plans", footprint), lambda: json.dumps(
            [info(f) for f in self.store.list(footprint)]))

    def what_if_html(self, code: str, scenario: Scenario) -> str:
        """The footprint page showing a what-if (recomputed in the pool unless cached)."""
        outcome = self.what_if(code, scenario)
        return self._footprint_page(self.view(code, scenario.plan), outcome)

    def error_html(self, code: str, plan_name: str | None, error: str) -> str:
        """The footprint page with a form's error above the form (never cached)."""
        return self._footprint_page(self.view(code, plan_name), error=error)

    def _footprint_page(self, view: FootprintView, outcome: Outcome | None = None, *,
                        opened: bool = True, message: str = "", error: str = "") -> str:
        plan = view.base.plan if view.base else None
        fp, plan = (outcome.fp, outcome.plan) if outcome else (view.fp, plan)

        def context() -> dict[str, Any]:
            out = footprint_page(fp, self.links, self.results.england, plan)
            out.update(form_context(view, plan, self.results.tables["assumptions"],
                                    self.results.horizon), message=message, error=error,
                       showing_whatif=outcome is not None,
                       open_whatif=opened)
            return out

        return self._render("footprint_web.html.j2", context)

    # what if -------------------------------------------------------------------------------
    def what_if(self, code: str, scenario: Scenario) -> Outcome:
        """Recompute ``code`` under ``scenario``: cached by the scenario's content, else in the
        pool (raises ``Busy`` if it is full, ``PlanError`` for a bad change)."""
        base = self.base_plan(code, scenario.plan)
        if base is None or base.plan is None:
            raise KeyError(scenario.plan or code)
        key = json.dumps([code, base.version, scenario.model_dump(mode="json")], sort_keys=True)
        return self._outcomes.get(key, lambda: self.pool.run(self._recompute, code, base,
                                                             scenario))

    def _recompute(self, code: str, base: PlanFile, scenario: Scenario) -> Outcome:
        assert base.plan is not None
        plan = apply_scenario(base.plan, scenario, self.central)
        start = time.perf_counter()
        new_map = False
        if plan == base.plan and self._reviewed.get(code) == (base.path, base.version):
            fp = self.footprint(code)  # nothing changed: the published results, not a re-run
        else:
            tables = self.engine(plan, draws=self.draws, seed=self.seed).tables
            fp = self.footprint(code).replaced(tables)
            if "access_lsoa" in tables:
                fp = dataclasses.replace(fp, access_points=tables["access_lsoa"])
                new_map = _moves_travel(plan, base.plan)  # else the page's map still holds
            elif not plan.site_changes:
                fp = dataclasses.replace(fp, access_points=None)
        seconds = time.perf_counter() - start
        macros: Any = self.env.get_template("_macros.html.j2").module
        return Outcome(fp, plan, seconds, what_if_json(fp, plan, seconds, macros, self.links,
                                                          new_map))

    def what_if_json(self, code: str, scenario: Scenario) -> str:
        """A what-if as JSON: new chart specs by element id, HTML fragments, the league row."""
        return self.what_if(code, scenario).json

    def save(self, code: str, request: SaveRequest) -> PlanFile:
        """Save a what-if as a new plan file (or over its own base if unchanged since loaded).

        Written in the pool: the plan's YAML takes about 6 ms a scheme to write.
        """
        check_name(request.name)  # before the pool: a bad name costs nothing
        return self.pool.run(self._save, code, request)

    def _save(self, code: str, request: SaveRequest) -> PlanFile:
        base = self.base_plan(code, request.plan)
        if base is None or base.plan is None:
            raise KeyError(request.plan or code)
        plan = apply_scenario(base.plan, request, self.central)
        if request.name != base.name:
            title = WHAT_IF_SUFFIX.sub("", plan.name)
            plan = plan.model_copy(update={"name": f"{title} (what-if {request.name})"})
        version = request.version if request.name == base.name and base.editable else None
        return self.store.save(request.name, plan_to_yaml_str(plan), version)

    # diffs ---------------------------------------------------------------------------------
    def diff(self, old: str, new: str) -> PlanDiff:
        """What changed between plan files ``old`` and ``new`` (see ``openstp.web.diffs``)."""
        return compare(self, old, new)

    def diff_html(self, old: str | None, new: str | None) -> str:
        """The diff page: a choice of two plans and, when both are given, what changed."""
        return self._render("diff.html.j2", lambda: diff_context(self, old, new))

    # downloads -----------------------------------------------------------------------------
    def csv(self, scope: str, name: str) -> str:
        """A chart's or table's data, or a whole results table, for England or a footprint."""
        return self._texts.get((self.version, "csv", scope, name),
                               lambda: self._csv(scope, name))

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


def _footprint_key(code: str, plan_name: str | None, saved: str | None
                   ) -> tuple[str | None, ...]:
    """What a footprint page is kept by: ``saved`` counts only when it names the plan shown."""
    return ("footprint", code, plan_name, saved if saved is not None and saved == plan_name
            else None)


def results_version(folder: Path) -> str:
    """A digest of the results folder's files: what every page and table is made from."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in (".json", ".csv", ".parquet"):
            digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _moves_travel(plan: Plan, base: Plan) -> bool:
    """Whether a what-if can change the minutes per area the map draws: other sites open or
    closed, or another access assumption. (A map is 100-300 kB of JSON to send and redraw.)"""
    def access(p: Plan) -> dict[str, Any]:
        return {k: v for k, v in p.assumptions.items() if k.startswith("access.")}

    return plan.site_changes != base.site_changes or access(plan) != access(base)
