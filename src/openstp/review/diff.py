"""What changed between two versions of a plan, or two review result folders, and by how much.

Plans are meant to be revised in the open. A diff answers, in this order: which assumptions
changed; England's totals old → new with the difference and percentage; the footprints ranked
by how far their gap left moved; and every verdict that changed. Two plans also list every
changed field of the plan first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from openstp.plan import Plan

LIST_KEYS = ("schemes", "bed_changes", "site_changes")


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to leaf values; lists of items with ``id`` are keyed by id, not position."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v
                                                 for v in value):
        return _flatten({v["id"]: v for v in value}, prefix)
    if isinstance(value, list):
        return {prefix: value}
    return {prefix: value}


def diff_plans(old: Plan, new: Plan) -> pd.DataFrame:
    """Rows (field, old, new, change) for every field that differs; ids key list items."""
    a = _flatten(old.model_dump(mode="json", exclude_defaults=True))
    b = _flatten(new.model_dump(mode="json", exclude_defaults=True))
    rows = []
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key), b.get(key)
        if before == after:
            continue
        change = "added" if key not in a else "removed" if key not in b else "changed"
        rows.append({"field": key, "old": before, "new": after, "change": change})
    return pd.DataFrame(rows, columns=["field", "old", "new", "change"])


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return (pd.isna(a) and pd.isna(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return bool(a == b)


ENGLAND_MEASURES = {
    "england_gap_all_sectors": "do-nothing gap, all sectors (£)",
    "england_gap": "do-nothing gap, NHS England sectors (£)",
    "residual_gap_mean": "gap left after the plans, mean (£)",
    "probability_of_balance_mean": "P(balance), mean over footprints",
    "beds_gap": "beds short at the horizon (beds)",
    "workforce_gap_fte": "staff short at the horizon (FTE)",
}
FOOTPRINT_MEASURES = {"gap": "gap", "residual_gap_mean": "gap_left",
                      "probability_of_balance": "p_balance", "beds_gap": "beds_short",
                      "workforce_gap_fte": "staff_short"}


@dataclass(frozen=True)
class Review:
    """What a diff reads of one review: its league table, verdicts, assumptions and England."""

    league: pd.DataFrame
    verdicts: pd.DataFrame
    assumptions: pd.DataFrame
    england: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> Review:
        """A results folder written by ``openstp review --out``."""
        return cls(*(pd.read_csv(folder / f"{n}.csv", dtype={"year": str})
                     for n in ("league", "verdicts", "assumptions")),
                   json.loads((folder / "england.json").read_text(encoding="utf-8")))


def _change(old: float, new: float) -> tuple[float, float]:
    difference = new - old
    return difference, (difference / abs(old) if old else float("nan"))


def diff_assumptions(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Every parameter value (per year) that differs: path, year, unit, old, new, change."""
    key = ["path", "year"]
    both = old[[*key, "unit", "value"]].merge(new[[*key, "value"]], on=key, how="outer",
                                               suffixes=("_old", "_new"))
    moved = both[~both.apply(lambda r: _same(r["value_old"], r["value_new"]), axis=1)]
    difference = moved["value_new"] - moved["value_old"]
    return pd.DataFrame({"path": moved["path"], "year": moved["year"], "unit": moved["unit"],
                         "old": moved["value_old"], "new": moved["value_new"],
                         "difference": difference}).reset_index(drop=True)


def diff_england(old: Review, new: Review) -> pd.DataFrame:
    """England's totals old → new, with the difference and the percentage change."""
    rows = []
    for key, label in ENGLAND_MEASURES.items():
        if key in old.england and key in new.england:
            a, b = float(old.england[key]), float(new.england[key])
            difference, share = _change(a, b)
            rows.append({"measure": label, "old": a, "new": b, "difference": difference,
                         "percent": share})
    for rating in ("ready", "not ready"):
        a = int(old.england.get("overall", {}).get(rating, 0))
        b = int(new.england.get("overall", {}).get(rating, 0))
        rows.append({"measure": f"plans {rating}", "old": a, "new": b, "difference": b - a,
                     "percent": _change(a, b)[1]})
    return pd.DataFrame(rows)


def diff_footprints(old: Review, new: Review) -> pd.DataFrame:
    """One row per footprint in both reviews: each key figure old → new and the overall
    verdict, ranked by how far the gap left moved (largest first)."""
    keep = ["footprint", "name", "overall", *FOOTPRINT_MEASURES]
    both = old.league[keep].merge(new.league[keep], on=["footprint", "name"],
                                  suffixes=("_old", "_new"))
    out = both[["footprint", "name"]].copy()
    for column, short in FOOTPRINT_MEASURES.items():
        out[f"{short}_old"] = both[f"{column}_old"]
        out[f"{short}_new"] = both[f"{column}_new"]
        out[f"{short}_change"] = both[f"{column}_new"] - both[f"{column}_old"]
    out["overall_old"], out["overall_new"] = both["overall_old"], both["overall_new"]
    order = out["gap_left_change"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def diff_verdicts(old: Review, new: Review) -> pd.DataFrame:
    """Every rule whose rating changed for a footprint, with the new explanation."""
    key = ["footprint", "rule"]
    both = old.verdicts.merge(new.verdicts, on=key, suffixes=("_old", "_new"))
    moved = both[both["rating_old"] != both["rating_new"]]
    return pd.DataFrame({"footprint": moved["footprint"], "rule": moved["rule"],
                         "old": moved["rating_old"], "new": moved["rating_new"],
                         "explanation": moved["explanation_new"]}).reset_index(drop=True)


def diff_reviews(old: Review, new: Review) -> dict[str, pd.DataFrame]:
    """The sections of a diff, in the order a reader wants them."""
    return {"assumptions": diff_assumptions(old.assumptions, new.assumptions),
            "england": diff_england(old, new), "footprints": diff_footprints(old, new),
            "verdicts": diff_verdicts(old, new)}


def diff_folders(old: Path, new: Path) -> dict[str, pd.DataFrame]:
    """Compare two results folders (``openstp review --out``)."""
    return diff_reviews(Review.read(old), Review.read(new))
