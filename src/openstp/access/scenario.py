"""Reconfiguration scenarios: close, downgrade or open a service at sites, and who then travels
where. Closing re-ranks only the areas whose nearest site closed; opening compares one new column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from openstp.access.model import AccessModel, Assignment
from openstp.access.sites import resolve_site
from openstp.access.travel import METHODS, travel_arrays
from openstp.errors import OpenSTPError, UnknownCodeError, problem


@dataclass(frozen=True)
class Change:
    """One change to the service: ``close``, ``downgrade`` (loses the service, like a closure)
    or ``open``."""

    site: str
    action: str
    origin: str = "--close"  # where the change came from, for messages
    easting: float | None = None
    northing: float | None = None
    name: str | None = None
    year: str | None = None


def baseline(model: AccessModel) -> Assignment:
    """Every area at its nearest site of today's configuration (computed once per model; its
    arrays are read-only)."""
    return model.baseline


def reassign(model: AccessModel, closed: np.ndarray, opened=None) -> Assignment:
    """Nearest site after closing the columns where ``closed`` is true and adding ``opened``
    (a ``Travel`` to new sites). Only areas whose nearest site closed are re-ranked."""
    if closed.all() and (opened is None or not opened.minutes.shape[1]):
        raise OpenSTPError([problem("site changes", f"every {model.service.name} site would "
                                    "close: nobody could reach the service")])
    t, base = model.travel, model.baseline
    hit = np.flatnonzero(closed[base.site])  # (hit,) areas whose nearest site closed
    if not hit.size and (opened is None or not opened.minutes.shape[1]):
        return base
    best, minutes, km, method = (v.copy() for v in (base.site, base.minutes, base.km,
                                                    base.method))
    if hit.size:
        sub = t.minutes[hit]  # (hit, site), a copy
        sub[:, closed] = np.inf
        best[hit] = sub.argmin(axis=1)
        minutes[hit], km[hit], method[hit] = (v[hit, best[hit]] for v in (t.minutes, t.km,
                                                                         t.method))
    if opened is not None and opened.minutes.shape[1]:
        rows = np.arange(model.n_areas)
        j = opened.minutes.argmin(axis=1)
        new = opened.minutes[rows, j]
        better = new < minutes
        best = np.where(better, t.minutes.shape[1] + j, best)
        minutes = np.where(better, new, minutes)
        km = np.where(better, opened.km[rows, j], km)
        method = np.where(better, opened.method[rows, j], method)
    return Assignment(best, minutes, km, method)


@dataclass
class Scenario:
    """A reconfiguration of one service and its before/after assignment of every area."""

    model: AccessModel
    changes: list[Change]
    closed: np.ndarray  # bool per model site
    opened: pd.DataFrame  # new sites, columns after the model's
    before: Assignment
    after: Assignment
    notes: list[str]

    @property
    def site_table(self) -> pd.DataFrame:
        """Model sites then opened sites, in column order, with a ``status`` column."""
        base = self.model.sites[["site_id", "name", "easting", "northing"]].assign(
            status=np.where(self.closed, "closed", "open"))
        new = self.opened[["site_id", "name", "easting", "northing"]].assign(status="new")
        return pd.concat([base, new], ignore_index=True)

    def lsoa_table(self, rows: np.ndarray | None = None) -> pd.DataFrame:
        """One row per area (of the boolean mask ``rows``, else all): users, equity groups, and
        site, minutes, km, method before and after."""
        pick = slice(None) if rows is None else np.asarray(rows, bool)
        a = {c: self.model.areas[c].to_numpy()[pick]
             for c in ("lsoa11cd", "imd_quintile", "rural", "rurality")}
        before, after = _picked(self.before, pick), _picked(self.after, pick)
        ids = np.concatenate([self.model.sites["site_id"].to_numpy(),
                              self.opened["site_id"].to_numpy()])
        methods = np.array(METHODS)
        # the scope's rows first, then plain arrays: a what-if builds a footprint's table, not
        # England's 32,844 rows (rounded as arrays, as DataFrame.round would)
        return pd.DataFrame({
            **a, "users": self.model.users[pick],
            "site_before": ids[before.site], "minutes_before": np.round(before.minutes, 1),
            "km_before": np.round(before.km, 2), "method_before": methods[before.method],
            "site_after": ids[after.site], "minutes_after": np.round(after.minutes, 1),
            "km_after": np.round(after.km, 2), "method_after": methods[after.method],
            "minutes_change": np.round(after.minutes - before.minutes, 1),
            "km_change": np.round(after.km - before.km, 2)},
            columns=["lsoa11cd", "users", "imd_quintile", "rural", "rurality", "site_before",
                     "minutes_before", "km_before", "method_before", "site_after",
                     "minutes_after", "km_after", "method_after", "minutes_change",
                     "km_change"])


def _picked(assignment: Assignment, pick: slice | np.ndarray) -> Assignment:
    return Assignment(assignment.site[pick], assignment.minutes[pick], assignment.km[pick],
                      assignment.method[pick])


def run_scenario(model: AccessModel, changes: list[Change] | None = None) -> Scenario:
    """Apply ``changes`` to the model's service and assign every area before and after."""
    changes = changes or []
    closed = np.zeros(len(model.sites), bool)
    new_rows: list[dict] = []
    notes: list[str] = []
    for ch in changes:
        if ch.action in ("close", "downgrade"):
            col = _offering_column(model, ch)
            if closed[col]:
                notes.append(f"{ch.origin}: {ch.site} is already closed")
            closed[col] = True
        elif ch.action == "open":
            row = _opened_site(model, ch, notes)
            if row is not None:
                new_rows.append(row)
        else:
            raise OpenSTPError([problem(ch.origin, f"unknown action {ch.action!r}; use close, "
                                        "downgrade or open", field="action")])
    opened = pd.DataFrame(new_rows, columns=["site_id", "name", "easting", "northing",
                                             "matrix_key", "postcode", "site_code"])
    extra = travel_arrays(model.areas, opened, model.estimate, model.matrices) if len(
        opened) else None
    after = reassign(model, closed, extra)
    return Scenario(model=model, changes=changes, closed=closed, opened=opened,
                    before=baseline(model), after=after, notes=notes)


def _offering_column(model: AccessModel, ch: Change) -> int:
    try:
        return model.column(ch.site, field=ch.origin)
    except UnknownCodeError:
        try:
            i = resolve_site(ch.site, model.all_sites, field=ch.origin)
        except UnknownCodeError:
            raise UnknownCodeError([problem(ch.origin, f"no {model.service.name} site matches "
                                            f"{ch.site!r}; list them with `openstp access "
                                            f"--service {model.service.name} --sites-list`",
                                            field="site")]) from None
        row = model.all_sites.iloc[i]
        raise UnknownCodeError([problem(ch.origin, f"{row['site_id']} ({row['name']}) has no "
                                        f"{model.service.name} in the site table, so it cannot "
                                        "close or downgrade there; supply your own table with "
                                        "--sites FILE", field="site")]) from None


def _opened_site(model: AccessModel, ch: Change, notes: list[str]) -> dict | None:
    try:
        col = model.column(ch.site, field=ch.origin)
        notes.append(f"{ch.origin}: {model.sites['site_id'].iloc[col]} already offers "
                     f"{model.service.name}; nothing to open")
        return None
    except UnknownCodeError:
        pass
    if ch.easting is not None and ch.northing is not None:
        return {"site_id": ch.site, "name": ch.name or ch.site, "easting": ch.easting,
                "northing": ch.northing, "matrix_key": None, "postcode": None,
                "site_code": ch.site}
    try:
        row = model.all_sites.iloc[resolve_site(ch.site, model.all_sites, field=ch.origin)]
    except UnknownCodeError:
        raise UnknownCodeError([problem(ch.origin, f"{ch.site!r} is not in the site table: "
                                        "opening a new site needs its coordinates",
                                        field="coordinates")]) from None
    return {k: row.get(k) for k in ("site_id", "name", "easting", "northing", "matrix_key",
                                     "postcode", "site_code")}


def plan_changes(plan, service: str, year: str | None = None,
                 origin: str = "plan") -> list[Change]:
    """The ``site_changes`` of ``plan`` (a ``Plan`` or a path) for ``service``, those in effect
    by financial year ``year`` if given; a downgrade loses the service, like a closure."""
    from openstp.plan import load_plan, parse_fy
    from openstp.plan.changes import SiteAction

    if isinstance(plan, (str, Path)):
        plan, origin = load_plan(plan), str(plan)
    out = []
    for ch in plan.site_changes:
        if ch.service.value != service:
            continue
        if year is not None and parse_fy(str(ch.year)) > parse_fy(year):
            continue
        east = north = None
        if ch.coordinates is not None:
            c = ch.coordinates
            if c.easting is not None:
                east, north = c.easting, c.northing
            else:
                from openstp.access.sites import to_bng

                e, n = to_bng(pd.Series([c.lon]), pd.Series([c.lat]))
                east, north = float(e[0]), float(n[0])
        action = "open" if ch.action == SiteAction.open else ch.action.value
        out.append(Change(site=ch.site, action=action, origin=f"{origin}: site_changes {ch.id}",
                          easting=east, northing=north, name=ch.description, year=str(ch.year)))
    return out
