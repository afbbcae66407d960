"""What changed between two versions of a plan, or two review result folders.

Plans are meant to be revised in the open: the diff lists every changed field of the plan, then
every figure and verdict of the review that moved.
"""

from __future__ import annotations

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


def diff_tables(old: pd.DataFrame, new: pd.DataFrame, key: str = "footprint") -> pd.DataFrame:
    """Rows (key, column, old, new) for every cell that differs between two result tables."""
    a, b = old.set_index(key), new.set_index(key)
    rows = []
    for ident in a.index.union(b.index):
        for col in a.columns.union(b.columns):
            before = a.at[ident, col] if ident in a.index and col in a.columns else None
            after = b.at[ident, col] if ident in b.index and col in b.columns else None
            if _same(before, after):
                continue
            rows.append({key: ident, "column": col, "old": before, "new": after})
    return pd.DataFrame(rows, columns=[key, "column", "old", "new"])


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return (pd.isna(a) and pd.isna(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return bool(a == b)


def diff_folders(old: Path, new: Path) -> pd.DataFrame:
    """Compare two review output folders through their league tables."""
    return diff_tables(pd.read_csv(old / "league.csv"), pd.read_csv(new / "league.csv"))
