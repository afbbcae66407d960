"""The web app's diff of two plans: ``openstp diff``'s sections (``openstp.review.diff``) for two
plan files of one footprint, both run through the what-if engine with the same draws and seed,
so only what the plans change moves.

Order, as the CLI's: the plan's fields that changed (assumptions first), the footprint's figures
old → new with the difference and percentage, then every verdict that changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from openstp.errors import OpenSTPError
from openstp.plan import Plan
from openstp.report.blocks import Cell, Table
from openstp.report.fmt import count, money, pct, plain, rating
from openstp.review.diff import Review, diff_footprints, diff_plans, diff_verdicts

FIGURES = (("gap", "Do-nothing gap", money), ("gap_left", "Gap left after the plan (mean)", money),
           ("p_balance", "Chance the plan balances", pct), ("beds_short", "Beds short", count),
           ("staff_short", "Staff short (FTE)", count))
"""The footprint's figures a diff shows: ``diff_footprints`` column stem, label, format."""


@dataclass(frozen=True)
class PlanDiff:
    """Two plans of one footprint and what changed between them, as ``openstp diff`` has it."""

    old: str
    new: str
    sections: dict[str, pd.DataFrame]

    def json(self) -> dict[str, Any]:
        """The sections as records (for the API)."""
        from openstp.output import records

        return {"old": self.old, "new": self.new,
                **{k: records(v) for k, v in self.sections.items()}}


def review_of(tables: dict[str, pd.DataFrame]) -> Review:
    """What a diff reads from one run's tables: its league row and verdicts (the assumptions
    that differ are the plan's own, listed with its fields)."""
    return Review(tables["league"], tables["verdicts"], pd.DataFrame(), {})


def plan_diff(old: tuple[str, Plan, Review], new: tuple[str, Plan, Review]) -> PlanDiff:
    """The diff of two named plans and their runs; assumptions lead the plan's fields."""
    fields = whole_items(diff_plans(old[1], new[1]))
    first = fields["field"].str.startswith("assumptions.")
    fields = pd.concat([fields[first], fields[~first]], ignore_index=True)
    return PlanDiff(old[0], new[0], {"plan": fields,
                                     "footprint": diff_footprints(old[2], new[2]),
                                     "verdicts": diff_verdicts(old[2], new[2])})


def whole_items(fields: pd.DataFrame) -> pd.DataFrame:
    """A scheme, bed change or site change added or removed as one row, not one per field."""
    item = fields["field"].str.extract(r"^((?:schemes|bed_changes|site_changes)\.[^.]+)\.")[0]
    whole = item.notna() & fields["change"].isin(["added", "removed"])
    rows = []
    for key, part in fields[whole].groupby(item[whole], sort=False):
        if part["change"].nunique() != 1:
            rows += part.to_dict("records")
            continue
        side = "new" if part["change"].iloc[0] == "added" else "old"
        text = ", ".join(f"{f.rsplit('.', 1)[1]} {v}" for f, v in zip(
            part["field"], part[side], strict=True) if not f.endswith(".id"))
        rows.append({"field": key, "old": None, "new": None, side: text,
                     "change": part["change"].iloc[0]})
    out = pd.concat([fields[~whole], pd.DataFrame(rows, columns=fields.columns)],
                    ignore_index=True)
    return out.sort_values("field", kind="stable").reset_index(drop=True)


def compare(svc: Any, old: str, new: str) -> PlanDiff:
    """The diff of plan files ``old`` and ``new`` of the web app's ``Service`` ``svc``: each run
    in its pool, kept by the two files' versions. Raises ``PlanNotFound`` or ``ValueError``."""
    files = [svc.store.get(old), svc.store.get(new)]
    for f in files:
        if f.plan is None:
            raise ValueError(f"{f.name}.yaml cannot be read: {f.problem}")
    a, b = (f.plan for f in files)
    if a.footprint != b.footprint:
        raise ValueError(f"{old} is a plan for {a.footprint} and {new} for {b.footprint}: "
                         "compare two plans of one footprint")

    def run(f: Any) -> tuple[str, Plan, Review]:
        return f.name, f.plan, review_of(svc.engine(f.plan, draws=svc.draws,
                                                    seed=svc.seed).tables)

    key = json.dumps(["diff", *((f.name, f.version) for f in files)])
    return svc.diffs.get(key, lambda: plan_diff(*(svc.pool.run(run, f) for f in files)))


def diff_context(svc: Any, old: str | None, new: str | None) -> dict[str, Any]:
    """What the diff page shows: every readable plan to choose from and, for two, the diff."""
    context: dict[str, Any] = {
        "title": "Compare two plans", "links": svc.links, "england": svc.results.england,
        "files": [f for f in svc.store.list() if f.plan is not None], "old": old, "new": new,
        "tables": [], "error": ""}
    if not (old and new):
        return context
    try:
        diff = compare(svc, old, new)
    except KeyError as err:
        context["error"] = f"Not compared: there is no plan called {err.args[0]}."
        return context
    except (ValueError, OpenSTPError) as err:
        context["error"] = f"Not compared: {err}"
        return context
    code = svc.store.get(new).plan.footprint
    place = svc.footprint(code).name if code in svc.results.footprints() else code
    rules = svc.results.tables["rules"]
    titles = dict(zip(rules["rule"], rules["title"], strict=True))
    context.update(tables=diff_tables(diff, place, titles), place=place, code=code)
    return context


def diff_tables(diff: PlanDiff, place: str, titles: dict[str, str]) -> list[Table]:
    """The diff page's tables: changed fields, the footprint's figures, changed verdicts."""
    fields = Table("diff-fields", f"What the plan changes ({diff.old} → {diff.new})",
                   [("Field", False), ("Old", False), ("New", False), ("Change", False)],
                   data=diff.sections["plan"])
    for r in diff.sections["plan"].to_dict("records"):
        fields.add(Cell(r["field"]), _value(r["old"]), _value(r["new"]), r["change"])
    figures = Table("diff-figures", f"{place}: old → new", [
        ("Figure", False), ("Old", True), ("New", True), ("Difference", True), ("Change", True)],
        data=diff.sections["footprint"])
    for row in diff.sections["footprint"].to_dict("records"):
        for stem, label, fmt in FIGURES:
            a, b = row[f"{stem}_old"], row[f"{stem}_new"]
            d = b - a
            share = pct(d / abs(a), 1) if a else "–"
            figures.add(label, fmt(a), fmt(b), ("+" if d > 0 else "") + fmt(d), share)
        figures.add("Overall verdict", plain(row["overall_old"]), plain(row["overall_new"]),
                    "", "")
    verdicts = Table("diff-verdicts", "Verdicts that changed", [
        ("Rule", False), ("Old", False), ("New", False), ("Why now", False)],
        data=diff.sections["verdicts"])
    for r in diff.sections["verdicts"].to_dict("records"):
        verdicts.add(Cell(titles.get(r["rule"], r["rule"]), sub=r["rule"]), rating(r["old"]),
                     rating(r["new"]), plain(r["explanation"]))
    return [fields, figures, verdicts]


def _value(v: Any) -> str:
    if isinstance(v, float) and abs(v) >= 1e5:
        return money(v)
    if isinstance(v, (list, dict)):
        return plain(", ".join(map(str, v)) if isinstance(v, list) else str(v))
    return plain(v)
