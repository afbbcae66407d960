"""``assess_access``: one service, one footprint (or England), one reconfiguration, as a result
object with tables, headline figures and maps; and the ``openstp access`` command's work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openstp import data
from openstp.access.equity import (
    DEFAULT_MILES,
    DEFAULT_MINUTES,
    scenario_deaths,
    summarise,
)
from openstp.access.maps import write_map
from openstp.access.model import AccessModel, build_model
from openstp.access.mortality import LABEL as DEATHS_LABEL
from openstp.access.scenario import Change, Scenario, plan_changes, run_scenario
from openstp.access.sweep import closure_sweep
from openstp.access.travel import METHODS
from openstp.data.models import Footprint
from openstp.output import plain
from openstp.params import Parameters
from openstp.plan import Plan, load_plan

DISTANCE_NOTE = "distances are straight-line (British National Grid), as in Nicholl et al. 2007"
SITES_NOTE = ("sites in England only: areas near the Welsh or Scottish border may have a nearer "
              "hospital outside the model")


@dataclass
class AccessResult:
    """A scenario for one service with its scope, thresholds and estimated deaths."""

    scenario: Scenario
    scope: np.ndarray
    footprint: Footprint | None
    minutes: Sequence[float] = DEFAULT_MINUTES
    miles: Sequence[float] = DEFAULT_MILES
    deaths: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def model(self) -> AccessModel:
        """The access model the scenario ran on."""
        return self.scenario.model

    @property
    def place(self) -> str:
        """The footprint's name, or England."""
        return self.footprint.name if self.footprint else "England"

    def summary(self) -> pd.DataFrame:
        """Population-weighted travel, thresholds and deaths by group (see ``equity.summarise``);
        with a footprint, an extra row covers every England LSOA."""
        extra = [("England (all LSOAs)", np.ones(self.model.n_areas, bool))] if (
            self.footprint) else []
        return summarise(self.scenario, self.scope, self.minutes, self.miles, self.deaths, extra)

    def lsoas(self) -> pd.DataFrame:
        """One row per LSOA of the scope: site, minutes, km and method before and after."""
        table = self.scenario.lsoa_table(self.scope)
        if self.deaths is not None:
            table["extra_deaths_estimate"] = self.deaths[0][self.scope]
        return table

    def share_within(self, km: float | None = None, minutes: float | None = None,
                     after: bool = False) -> float:
        """Share of the scope's users within ``km`` straight-line or ``minutes`` of the service."""
        s = self.scenario.after if after else self.scenario.before
        w = self.model.users * self.scope
        ok = s.km <= km if km is not None else s.minutes <= minutes
        return float((w * ok).sum() / w.sum())

    def headline(self) -> dict[str, Any]:
        """The figures a reader needs first: baseline shares, methods, deaths, changes, notes."""
        w = self.model.users * self.scope
        methods = {tag: {m: float((w * (s.method == i)).sum() / w.sum())
                         for i, m in enumerate(METHODS)}
                   for tag, s in (("before", self.scenario.before),
                                  ("after", self.scenario.after))}
        out: dict[str, Any] = {
            "service": self.model.service.name, "service_label": self.model.service.label,
            "users": self.model.service.users_label,
            "scope": self.footprint.code if self.footprint else "england",
            "scope_name": self.place, "lsoas": len(np.flatnonzero(self.scope)),
            "users_total": float(w.sum()),
            "share_within_10km": self.share_within(km=10),
            "share_within_30min": self.share_within(minutes=30),
            "share_within_10km_after": self.share_within(km=10, after=True),
            "share_within_30min_after": self.share_within(minutes=30, after=True),
            "share_beyond_30km": 1 - self.share_within(km=30),
            "share_beyond_30km_after": 1 - self.share_within(km=30, after=True),
            "sites": len(self.model.sites),
            "changes": [{"site": c.site, "action": c.action, "from": c.origin, "year": c.year}
                        for c in self.scenario.changes],
            "methods": methods,
            "distance": DISTANCE_NOTE,
            "thresholds": {"minutes": list(self.minutes), "miles": list(self.miles)},
            "extra_deaths_estimate": None,
            "notes": [*self.model.notes, *self.scenario.notes, *self.notes, SITES_NOTE],
        }
        if self.deaths is not None:
            central, low, high = (self.deaths * self.scope).sum(axis=1)
            gradient = self.model.gradient
            beyond = float(self.beyond_evidence())
            deaths = {"label": DEATHS_LABEL, "central": float(central), "low": float(low),
                      "high": float(high), "study_max_km": gradient.max_km,
                      "people_beyond_study_range": beyond, "capped": beyond > 0,
                      "caveat": gradient.caveat(beyond, float(central)) if beyond else None}
            out["extra_deaths_estimate"] = deaths
            if beyond:
                out["notes"].insert(0, deaths["caveat"])
        return out

    def beyond_evidence(self) -> float:
        """Residents of the scope whose journey after the changes is longer than any in the
        mortality study, and whose distance changed (their deaths estimate is capped)."""
        gradient = self.model.gradient
        if gradient is None:
            return 0.0
        before, after = self.scenario.before.km, self.scenario.after.km
        mask = gradient.beyond_evidence(after) & (after != before) & self.scope
        return float(self.model.areas["persons"].to_numpy(float)[mask].sum())

    def plot(self, path: str | Path) -> None:
        """Write a map (``.png`` or ``.html``) of the change in travel over the scope."""
        changes = ", ".join(f"{c.action} {c.site}" for c in self.scenario.changes) or "no changes"
        title = f"{self.model.service.label}, {self.place}: {changes}"
        write_map(self.scenario, path, self.scope, title)


# The footprint tables are fixed package data, so a name resolves the same way every time;
# resolving copies and searches whole tables, too slow to repeat for every "what if".
_resolve_footprint = lru_cache(maxsize=1024)(data.resolve_footprint)


def footprint_scope(areas: pd.DataFrame, footprint: str | None, footprint_set: str
                    ) -> tuple[np.ndarray, Footprint | None]:
    """Areas of ``footprint`` (ONS/ODS code or name) in ``footprint_set``, or all England."""
    if footprint is None:
        return np.ones(len(areas), bool), None
    fp = _resolve_footprint(footprint, footprint_set)
    return (areas[footprint_set] == fp.code).to_numpy(), fp


def assess_access(service: str = "ed", *, footprint: str | None = None,
                  footprint_set: str = "stp2017", close: Sequence[str] = (),
                  open_sites: Sequence[str] = (), plan: Plan | str | Path | None = None,
                  year: str | None = None, sites: pd.DataFrame | str | Path | None = None,
                  matrix: str | Path | None = None, use_builtin_matrix: bool = True,
                  params: Parameters | None = None, population_year: int = 2017,
                  minutes: Sequence[float] = DEFAULT_MINUTES,
                  miles: Sequence[float] = DEFAULT_MILES,
                  model: AccessModel | None = None) -> AccessResult:
    """What closing, downgrading or opening ``service`` at sites does to travel, and for whom.

    Changes come from ``close``/``open_sites`` (site codes, postcodes or names) and from a plan
    file's ``site_changes`` (in effect by ``year``, if given); the plan's footprint is the scope
    unless ``footprint`` says otherwise.
    """
    changes = [Change(site=s, action="close", origin="--close") for s in close]
    changes += [Change(site=s, action="open", origin="--open") for s in open_sites]
    if plan is not None:
        loaded = plan if isinstance(plan, Plan) else load_plan(plan)
        origin = loaded.name if isinstance(plan, Plan) else str(plan)
        changes += plan_changes(loaded, service, year, origin=origin)
        if footprint is None:
            footprint, footprint_set = loaded.footprint, loaded.footprint_set
    model = model or build_model(service, sites=sites, matrix=matrix, params=params,
                                 use_builtin_matrix=use_builtin_matrix,
                                 population_year=population_year)
    scenario = run_scenario(model, changes)
    scope, fp = footprint_scope(model.areas, footprint, footprint_set)
    notes = [] if changes or plan is None else [
        f"the plan has no site changes for {service}: the result is today's configuration"]
    return AccessResult(scenario=scenario, scope=scope, footprint=fp, minutes=tuple(minutes),
                        miles=tuple(miles), deaths=scenario_deaths(scenario), notes=notes)


def sweep_sites(model: AccessModel, footprint: str | None, footprint_set: str,
                minutes: Sequence[float], miles: Sequence[float], rank_by: str) -> pd.DataFrame:
    """Closure sweep of the model's sites located in ``footprint`` (default all), harm counted
    over every England LSOA (people cross footprint borders to hospital)."""
    _, fp = footprint_scope(model.areas, footprint, footprint_set)
    located = model.areas[footprint_set].to_numpy()[model.travel.km.argmin(axis=0)]
    mask = located == fp.code if fp else None
    table = closure_sweep(model, mask, minutes, miles, rank_by)
    table.insert(3, f"{footprint_set}_footprint", table["site_id"].map(
        dict(zip(model.sites["site_id"], located, strict=True))))
    return table


# ---------------------------------------------------------------- the CLI command's work

def parse_thresholds(text: str, option: str) -> tuple[float, ...]:
    """``"30,45,60"`` → ``(30.0, 45.0, 60.0)``; anything else is a one-line error."""
    from openstp.errors import OpenSTPError, problem

    try:
        values = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        values = ()
    if not values or any(v <= 0 for v in values):
        raise OpenSTPError([problem(option, f"{text!r}: give positive numbers separated by "
                                    "commas, e.g. 30,45,60", field=option.lstrip("-"))])
    return values


def access_command(*, plan: Path | None, service: str, footprint: str | None,
                   footprint_set: str, overrides: dict[str, Any], params_files: list[Path],
                   close: list[str], open_sites: list[str], year: str | None,
                   matrix: Path | None, sites: Path | None, estimate_only: bool, sweep: bool,
                   rank_by: str, minutes: str, miles: str, lsoas: bool, sites_list: bool,
                   fit: bool, population_year: int, map_path: Path | None, fmt, out: Path | None
                   ) -> None:
    """Run ``openstp access`` as asked and emit the table, CSV, JSON or Parquet."""
    from openstp.access.fit import fit_travel_estimate
    from openstp.output import Format, emit, stderr
    from openstp.params import load_parameters

    params = load_parameters(params_files, overrides)
    if fit:
        emit(fit_travel_estimate(params).table(), fmt, out=out, title="Straight-line travel estimate fitted against "
             "the road matrix (each LSOA's 3 nearest matrix hospitals)")
        return
    thresholds_min = parse_thresholds(minutes, "--minutes")
    thresholds_mi = parse_thresholds(miles, "--miles")
    model = build_model(service, sites=sites, matrix=matrix, params=params,
                        use_builtin_matrix=not estimate_only, population_year=population_year)
    meta = {"service": service, "footprint_set": footprint_set, "population_year":
            population_year, "distance": DISTANCE_NOTE}
    if sites_list:
        table = model.sites.copy()
        _, fp = footprint_scope(model.areas, footprint, footprint_set)
        located = model.areas[footprint_set].to_numpy()[model.travel.km.argmin(axis=0)]
        table.insert(2, f"{footprint_set}_footprint", located)
        if fp:
            table = table[located == fp.code]
        table["travel"] = np.where(table.get("matrix_key", pd.Series(index=table.index))
                                   .notna() & ~estimate_only, "road_matrix", "estimate")
        cols = [c for c in ("site_id", "name", "postcode", f"{footprint_set}_footprint",
                            "trust_code", "travel", "ed_rule", "sources", "placement")
                if c in table]
        emit(table[cols] if fmt is Format.table else table, fmt, out=out, extra=meta,
             title=f"{len(table)} sites with {model.service.label}")
        return
    if sweep:
        table = sweep_sites(model, footprint, footprint_set, thresholds_min, thresholds_mi,
                            rank_by)
        meta.update(rank_by=rank_by, harm_counted_over="all England LSOAs",
                    notes=model.notes + [SITES_NOTE])
        if model.service.mortality:
            meta["extra_deaths_estimate"] = DEATHS_LABEL
        title = (f"Closing one {service} site at a time: harm to {model.service.users_label}, "
                 f"ranked by {rank_by}")
        if fmt is Format.table:
            keep = ["rank", "site_id", "name", "users_nearest", "mean_extra_minutes",
                    f"newly_beyond_{thresholds_min[0]:g}min", f"newly_beyond_{thresholds_mi[0]:g}mi",
                    "extra_deaths_estimate", "estimated_share_after"]
            table = table[[c for c in keep if c in table]]
        emit(table, fmt, out=out, extra=meta, title=title,
             caption="Deaths: " + DEATHS_LABEL if model.service.mortality else None)
        return
    result = assess_access(service, footprint=footprint, footprint_set=footprint_set,
                           close=close, open_sites=open_sites, plan=plan, year=year,
                           minutes=thresholds_min, miles=thresholds_mi, model=model)
    head = result.headline()
    if map_path is not None:
        result.plot(map_path)
        stderr.print(f"map written to {plain(map_path)}")
    if lsoas:
        emit(result.lsoas(), fmt, out=out, extra={**meta, **head},
             title=f"{model.service.label}: every LSOA of {result.place}")
        return
    table = result.summary()
    if fmt is Format.table:
        _print_headline(head, stderr)
        first_min, first_mi = thresholds_min[0], thresholds_mi[0]
        short = {"group": "group", "users": "users", "mean_minutes_before": "min before",
                 "mean_minutes_after": "min after", "p90_minutes_before": "p90 before",
                 "p90_minutes_after": "p90 after", "mean_km_before": "km before",
                 "mean_km_after": "km after",
                 f"beyond_{first_min:g}min_before": f">{first_min:g} min before",
                 f"beyond_{first_min:g}min_after": f">{first_min:g} min after",
                 f"beyond_{first_mi:g}mi_before": f">{first_mi:g} mi before",
                 f"beyond_{first_mi:g}mi_after": f">{first_mi:g} mi after",
                 "estimated_share_after": "estimated", "extra_deaths_estimate": "deaths (est.)"}
        table = _for_people(table[[c for c in short if c in table]].rename(columns=short))
    emit(table, fmt, out=out, extra={**meta, **head},
         title=f"{model.service.label}, {result.place}: travel before and after",
         caption=f"users = {model.service.users_label}; minutes are means and 90th "
                 f"percentiles; km and miles are straight-line; 'estimated' is the share "
                 "of users whose minutes are estimated, not from a road matrix."
                 + (f" Deaths: {DEATHS_LABEL}." if result.deaths is not None else "")
                 + (f" CAPPED: {caveat}." if (caveat := (head.get("extra_deaths_estimate") or
                                                       {}).get("caveat")) else ""))


def _print_headline(head: dict[str, Any], console) -> None:
    console.print(f"[bold]{plain(head['service_label'])}[/bold], {plain(head['scope_name'])}: "
                  f"{head['lsoas']:,} LSOAs, {head['users_total']:,.0f} {head['users']}, "
                  f"{head['sites']} sites")
    console.print(f"baseline: {head['share_within_10km']:.1%} within 10 km, "
                  f"{head['share_within_30min']:.1%} within 30 minutes; after the changes: "
                  f"{head['share_within_10km_after']:.1%} and "
                  f"{head['share_within_30min_after']:.1%}; beyond 30 km: "
                  f"{head['share_beyond_30km']:.1%} before, {head['share_beyond_30km_after']:.1%} "
                  "after")
    m = head["methods"]["after"]
    console.print("travel minutes from: " + ", ".join(f"{k} {v:.1%}" for k, v in m.items() if v))
    deaths = head["extra_deaths_estimate"]
    if deaths:
        console.print(f"extra deaths a year (estimate): {deaths['central']:.1f} "
                      f"(95% CI {deaths['low']:.1f} to {deaths['high']:.1f})"
                      + (" [bold]CAPPED: beyond the study's distances[/bold]"
                         if deaths["capped"] else ""))
    for note in head["notes"]:
        console.print(f"[dim]note: {plain(note)}[/dim]")


def _for_people(table: pd.DataFrame) -> pd.DataFrame:
    """Round the summary for reading: whole users, minutes and km to one decimal, shares as %."""
    out = table.copy()
    out["group"] = out["group"].str.replace("IMD quintile ", "IMD Q")
    for col in out.columns[1:]:
        if col == "estimated":
            out[col] = out[col].map("{:.0%}".format)
        elif col.startswith(("min", "p90", "km", "deaths")):
            out[col] = out[col].map("{:,.1f}".format)
        else:
            out[col] = out[col].map("{:,.0f}".format)
    return out
