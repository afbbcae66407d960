"""Read a results folder (written by ``openstp review --out DIR``) into typed, checked tables.

The folder is the contract between the review chain and everything that publishes it: the report
site, the workbook and the web app read only these files. Columns are found by name, never by
position, and extra columns are kept, so the chain may add fields without breaking a reader.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from openstp.errors import InputFileError, Problem, problem
from openstp.folders import verify_stamp

ENGLAND_KEYS = ("footprint_set", "base_year", "horizon", "draws", "seed", "openstp_version",
                "generated", "england_gap", "england_gap_all_sectors",
                "probability_of_balance_mean", "plans", "rules_passed", "overall", "notes")
"""Keys ``england.json`` must hold."""

TABLES: dict[str, tuple[str, ...]] = {
    "league": ("footprint", "name", "region", "overall", "reason", "gap", "residual_gap_mean",
               "probability_of_balance", "beds_gap", "workforce_gap_fte",
               "people_beyond_45min"),
    "rules": ("rule", "title", "question", "source", "reads"),
    "verdicts": ("footprint", "rule", "rating", "explanation"),
    "assumptions": ("path", "year", "value", "unit", "low", "high", "status", "source",
                    "description", "note"),
    "gap": ("footprint", "sector", "funder", "year", "cost", "funding", "gap", "cost_real",
            "funding_real", "gap_real", "demography_method"),
    "bridge": ("footprint", "step", "amount"),
    "residual": ("footprint", "year", "mean", "p10", "p50", "p90"),
    "schemes": ("footprint", "scheme", "name", "type", "owner", "evidence_grade", "planned",
                "expected", "variance_share"),
    "beds": ("footprint", "name", "year", "beds_planned", "beds_required_p10",
             "beds_required_p50", "beds_required_p90", "p_enough_beds", "mean_occupancy",
             "winter_occupancy", "days_above_92pct", "days_above_95pct",
             "p_no_bed_free_winter_day"),
    "closures": ("footprint", "id", "trust", "year", "change", "conditions", "probability_safe",
                 "verdict", "reason"),
    "workforce": ("footprint", "group", "year", "required", "supply_p10", "supply_p50",
                  "supply_p90", "shortfall_p50"),
    "access": ("footprint", "service", "group", "people", "mean_minutes_before",
               "mean_minutes_after", "people_beyond_45min_before", "people_beyond_45min_after"),
}
"""Each CSV of the folder (``<name>.csv``) and the columns it must have, in any order."""

OPTIONAL_TABLES: dict[str, tuple[str, ...]] = {
    "sensitivity": ("parameter", "first_order", "first_order_low", "first_order_high", "total",
                    "total_low", "total_high"),
}
"""CSVs a folder may have (``openstp review --sensitivity N``), with their columns."""

PARQUETS: dict[str, tuple[str, ...]] = {
    "lsoa_points": ("lsoa11cd", "footprint", "lon", "lat"),
    "access_lsoa": ("lsoa11cd", "footprint", "service", "lon", "lat", "minutes_before",
                    "minutes_after"),
}
OPTIONAL = frozenset({"access_lsoa"})

TEXT_COLUMNS = frozenset({
    "footprint", "name", "region", "overall", "reason", "rule", "title", "question", "source",
    "reads", "rating", "explanation", "path", "year", "unit", "status", "description", "note",
    "sector", "funder", "demography_method", "step", "scheme", "type", "owner",
    "evidence_grade", "id", "trust", "conditions", "verdict", "group", "service", "lsoa11cd",
    "parameter",
})
"""Columns read as text, so codes such as ``03G`` and years such as ``2020/21`` stay as written."""


@dataclass(frozen=True)
class FootprintResults:
    """One footprint's rows of every table, with its league row and reviewed plan file."""

    code: str
    name: str
    region: str
    league: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    rules: pd.DataFrame
    assumptions: pd.DataFrame
    points: pd.DataFrame
    access_points: pd.DataFrame | None
    base_year: str
    horizon: str
    plan_file: Path | None = None
    footprint_set: str = "stp2017"

    def table(self, name: str) -> pd.DataFrame:
        """This footprint's rows of table ``name`` (an empty frame if it has none)."""
        return self.tables[name]

    def rule_ids(self) -> list[str]:
        """Rule ids in catalogue order."""
        return list(self.rules["rule"])

    def replaced(self, tables: dict[str, pd.DataFrame]) -> FootprintResults:
        """A copy with the given tables (e.g. from a what-if run) in place of the stored ones.

        ``tables["league"]`` (one row) replaces the league row; unknown names are ignored.
        Raises ``InputFileError`` if a table lacks a column of the results-folder contract.
        """
        new = dict(self.tables)
        league = dict(self.league)
        problems = []
        for name, df in tables.items():
            missing = [c for c in TABLES.get(name, ()) if c not in df.columns]
            if missing:
                problems.append(problem(f"run_footprint: {name}",
                                        f"missing column(s): {', '.join(missing)}"))
        if problems:
            raise InputFileError(problems)
        for name, df in tables.items():
            if name in ("league", "league_row"):
                row = df.iloc[0].to_dict() if isinstance(df, pd.DataFrame) else dict(df)
                league.update(row)
            elif name in new:
                new[name] = _only(df, self.code)
        return dataclasses.replace(self, tables=new, league=league)


@dataclass(frozen=True)
class Results:
    """A loaded results folder: England's figures, every table, and the map points."""

    folder: Path
    england: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    lsoa_points: pd.DataFrame
    access_lsoa: pd.DataFrame | None = None
    _by_code: dict[str, FootprintResults] = field(default_factory=dict, repr=False,
                                                  compare=False)

    @property
    def league(self) -> pd.DataFrame:
        """One row per footprint, in the folder's order."""
        return self.tables["league"]

    @property
    def horizon(self) -> str:
        """The plans' last financial year."""
        return str(self.england["horizon"])

    def footprints(self) -> list[str]:
        """Footprint codes in league order."""
        return list(self.league["footprint"])

    def rule_ids(self) -> list[str]:
        """Rule ids in catalogue order."""
        return list(self.tables["rules"]["rule"])

    def plan_file(self, code: str) -> Path | None:
        """The reviewed plan of footprint ``code`` (``plans/<code>.yaml``), if present."""
        path = self.folder / "plans" / f"{code}.yaml"
        return path if path.is_file() else None

    def footprint(self, code: str) -> FootprintResults:
        """Footprint ``code``'s results; raises ``KeyError`` for a code not in the league."""
        if code not in self._by_code:
            row = self._league_rows[code]  # KeyError for a code not in the league
            split = self._split
            self._by_code[code] = FootprintResults(
                code=code, name=str(row["name"]), region=str(row["region"]), league=row,
                tables={n: _part(parts, code) for n, parts in split.items()
                        if n not in ("lsoa_points", "access_lsoa")},
                rules=self.tables["rules"], assumptions=self.tables["assumptions"],
                points=_part(split["lsoa_points"], code),
                access_points=(None if self.access_lsoa is None
                               else _part(split["access_lsoa"], code)),
                base_year=str(self.england["base_year"]), horizon=self.horizon,
                footprint_set=str(self.england.get("footprint_set", "stp2017")),
                plan_file=self.plan_file(code))
        return self._by_code[code]

    @cached_property
    def _league_rows(self) -> dict[str, dict[str, Any]]:
        """Each footprint's league row (its first, should a code repeat)."""
        rows: dict[str, dict[str, Any]] = {}
        for row in self.league.to_dict("records"):
            rows.setdefault(row["footprint"], row)
        return rows

    @cached_property
    def _split(self) -> dict[str, tuple[pd.DataFrame, dict[str, pd.DataFrame]]]:
        """Every table with a footprint column, split by footprint once (not once a footprint)."""
        frames = {n: df for n, df in self.tables.items() if n != "league"}
        frames["lsoa_points"] = self.lsoa_points
        if self.access_lsoa is not None:
            frames["access_lsoa"] = self.access_lsoa
        return {name: (df, {str(code): part.reset_index(drop=True)
                            for code, part in df.groupby("footprint", sort=False)})
                for name, df in frames.items() if "footprint" in df.columns}


def _part(split: tuple[pd.DataFrame, dict[str, pd.DataFrame]], code: str) -> pd.DataFrame:
    """Footprint ``code``'s rows of a split table; no rows, with the table's columns, if none."""
    df, parts = split
    return parts[code] if code in parts else df.iloc[:0].reset_index(drop=True)


def _only(df: pd.DataFrame, code: str) -> pd.DataFrame:
    return df[df["footprint"] == code].reset_index(drop=True)


def read_table(path: Path) -> pd.DataFrame:
    """Read one results CSV: text columns as text, empty cells as missing, nothing else guessed."""
    header = pd.read_csv(path, nrows=0).columns
    dtype = {c: str for c in header if c in TEXT_COLUMNS}
    return pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""])


def load_results(folder: str | Path) -> Results:
    """Load and check a results folder; every missing file or column is one problem.

    Raises ``InputFileError`` listing all problems at once.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError([problem(str(folder), "results folder not found; write one with "
                                                   "`openstp review --out DIR`")])
    run_id, problems = verify_stamp(folder)
    england = _read_england(folder / "england.json", problems)
    if run_id and england and england.get("run_id") not in (None, run_id):
        problems.append(problem(str(folder / "england.json"), f"from run "
                                f"{str(england['run_id'])[:8]}, not {run_id[:8]}: the folder "
                                "mixes runs; write it again"))
    tables: dict[str, pd.DataFrame] = {}
    for name, columns in TABLES.items():
        df = _read(folder / f"{name}.csv", columns, problems, read_table)
        if df is not None:
            tables[name] = df
    for name, columns in OPTIONAL_TABLES.items():
        if (folder / f"{name}.csv").exists():
            df = _read(folder / f"{name}.csv", columns, problems, read_table)
            if df is not None:
                tables[name] = df
    parquets: dict[str, pd.DataFrame | None] = {}
    for name, columns in PARQUETS.items():
        path = folder / f"{name}.parquet"
        if name in OPTIONAL and not path.exists():
            parquets[name] = None
            continue
        parquets[name] = _read(path, columns, problems, pd.read_parquet)
    if problems:
        raise InputFileError(problems)
    _check_rule_columns(folder, tables, problems)
    if problems:
        raise InputFileError(problems)
    points = parquets["lsoa_points"]
    assert points is not None
    return Results(folder=folder, england=england, tables=tables, lsoa_points=points,
                   access_lsoa=parquets["access_lsoa"])


def _read_england(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        england = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(problem(str(path), "missing file"))
        return {}
    except (OSError, ValueError) as err:
        problems.append(problem(str(path), f"cannot read as JSON: {err}"))
        return {}
    if not isinstance(england, dict):
        problems.append(problem(str(path), "must be a JSON object"))
        return {}
    missing = [k for k in ENGLAND_KEYS if k not in england]
    if missing:
        problems.append(problem(str(path), f"missing key(s): {', '.join(missing)}"))
    return england


def _read(path: Path, columns: tuple[str, ...], problems: list[Problem], reader: Any
          ) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(problem(str(path), "missing file"))
        return None
    try:
        df = reader(path)
    except Exception as err:  # noqa: BLE001 - any parse failure is a problem with the file
        problems.append(problem(str(path), f"cannot read: {err}"))
        return None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        problems.append(problem(str(path), f"missing column(s): {', '.join(missing)}"))
        return None
    return df


def _check_rule_columns(folder: Path, tables: dict[str, pd.DataFrame],
                        problems: list[Problem]) -> None:
    missing = [r for r in tables["rules"]["rule"] if r not in tables["league"].columns]
    if missing:
        problems.append(problem(str(folder / "league.csv"),
                                f"missing rule column(s): {', '.join(missing)}"))
