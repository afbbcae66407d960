"""Travel-time matrices: the shipped road matrix and the adapter for a user's own.

A user's matrix is a CSV or Parquet file of minutes from LSOAs to sites, in either shape:

* wide: first column the LSOA (2011 code ``E01…`` or name), one column per site, minutes;
* long: one row per pair, as r5py's ``TravelTimeMatrixComputer`` writes it (``from_id``,
  ``to_id``, ``travel_time`` in minutes) or as an OSRM table flattened to rows (``origin``/
  ``source``, ``destination``, ``duration`` in seconds, or ``minutes``).

Sites are named by site id, ODS site code or postcode. Unknown sites and LSOAs are reported;
pairs the file does not give are estimated and labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from openstp import data
from openstp.errors import InputFileError, problem

ORIGIN_COLUMNS = ("from_id", "origin", "source", "lsoa11cd", "lsoa", "lsoa_code")
DESTINATION_COLUMNS = ("to_id", "destination", "site_id", "site", "postcode")
MINUTE_COLUMNS = ("travel_time", "minutes", "time_min")
SECOND_COLUMNS = ("duration", "duration_s", "seconds")


@dataclass(frozen=True)
class TravelMatrix:
    """Minutes from every England LSOA (rows, in ``small_areas`` order) to some sites."""

    keys: tuple[str, ...]  # one per column: built-in postcode keys, or user site ids
    minutes: np.ndarray  # float32, NaN where unknown
    method: str  # "road_matrix" or "user_matrix"
    source: str
    key_column: str  # the site-table column the keys match: matrix_key or site_id
    notes: tuple[str, ...] = field(default=())

    def columns_for(self, sites: pd.DataFrame) -> np.ndarray:
        """For each site row, its column in this matrix, or -1."""
        if self.key_column not in sites:
            return np.full(len(sites), -1)
        index = {k: i for i, k in enumerate(self.keys)}
        return np.array([index.get(k, -1) if isinstance(k, str) else -1
                         for k in sites[self.key_column]], dtype=np.int64)


@cache
def _builtin(screen_minutes: float) -> TravelMatrix:
    table = data.table("travel_minutes")
    codes = data.lsoas()["lsoa11cd"]
    if not table["lsoa11cd"].equals(codes):
        table = table.set_index("lsoa11cd").reindex(codes).reset_index()
    keys = tuple(c for c in table.columns if c != "lsoa11cd")
    tenths = table[list(keys)].to_numpy()
    minutes = tenths.astype(np.float32) / np.float32(10)
    minutes[tenths == 0] = np.nan
    screened = int((minutes > screen_minutes).sum())
    minutes[minutes > screen_minutes] = np.nan
    notes = ((f"{screened} road-matrix cells over {screen_minutes:g} minutes treated as "
              "routing errors: those pairs are estimated"),) if screened else ()
    return TravelMatrix(keys=keys, minutes=minutes, method="road_matrix",
                        source="built-in travel_minutes (calibrated car minutes, 2021/22 stroke "
                               "hospitals)", key_column="matrix_key", notes=notes)


def builtin_matrix(screen_minutes: float = 500.0) -> TravelMatrix:
    """The shipped calibrated road matrix, with cells over ``screen_minutes`` screened out."""
    return _builtin(float(screen_minutes))


def _read_table(path: Path) -> pd.DataFrame:
    name = str(path)
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype={0: str}, low_memory=False)
    except FileNotFoundError:
        raise InputFileError([problem(name, "file not found")]) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure is bad input
        raise InputFileError([problem(name, f"cannot read the matrix: {exc}")]) from None


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def read_matrix(path: str | Path, sites: pd.DataFrame) -> TravelMatrix:
    """A user's LSOA × site matrix (see the module docstring), matched to ``sites``."""
    path = Path(path)
    name = str(path)
    raw = _read_table(path)
    cols = [str(c) for c in raw.columns]
    raw.columns = cols
    origin, dest = _pick(cols, ORIGIN_COLUMNS), _pick(cols, DESTINATION_COLUMNS)
    minutes_col, seconds_col = _pick(cols, MINUTE_COLUMNS), _pick(cols, SECOND_COLUMNS)
    if origin and dest and (minutes_col or seconds_col):
        value = raw[minutes_col] if minutes_col else raw[seconds_col] / 60.0
        long = pd.DataFrame({"area": raw[origin].astype(str), "site": raw[dest].astype(str),
                             "minutes": pd.to_numeric(value, errors="coerce")})
        wide = long.pivot_table(index="area", columns="site", values="minutes", aggfunc="min")
        shape = "long"
    else:
        if len(cols) < 2:
            raise InputFileError([problem(name, "expected an LSOA column and site columns, or "
                                          "from_id/to_id/travel_time rows")])
        wide = raw.set_index(raw.columns[0]).apply(pd.to_numeric, errors="coerce")
        wide.index = wide.index.astype(str)
        shape = "wide"
    return _match(wide, sites, name, shape)


def _match(wide: pd.DataFrame, sites: pd.DataFrame, name: str, shape: str) -> TravelMatrix:
    lsoas = data.lsoas()
    by_code = pd.Series(np.arange(len(lsoas)), index=lsoas["lsoa11cd"])
    by_name = pd.Series(np.arange(len(lsoas)), index=lsoas["lsoa11nm"])
    index = pd.Series(wide.index)
    rows = index.map(by_code).fillna(index.map(by_name))
    site_index: dict[str, str] = {}
    for col in ("postcode", "matrix_key", "site_code", "site_id"):  # later columns win
        if col in sites:
            for key, sid in zip(sites[col], sites["site_id"], strict=True):
                if isinstance(key, str) and key:
                    site_index[key.upper().replace(" ", "")] = sid
    site_ids = [site_index.get(str(c).upper().replace(" ", "")) for c in wide.columns]
    known_sites = [i for i, s in enumerate(site_ids) if s is not None]
    if not known_sites:
        sample = ", ".join(map(str, list(wide.columns)[:5]))
        raise InputFileError([problem(name, f"no column names a known site (first: {sample}); "
                                      "use site codes, site ids or postcodes")])
    if rows.notna().sum() == 0:
        sample = ", ".join(map(str, index[:3]))
        raise InputFileError([problem(name, f"no row names an England LSOA (first: {sample}); "
                                      "use LSOA 2011 codes (E01…) or names")])
    minutes = np.full((len(lsoas), len(known_sites)), np.nan, np.float32)
    ok = rows.notna().to_numpy()
    values = wide.iloc[:, known_sites].to_numpy(np.float32, copy=True)
    values[values < 0] = np.nan
    minutes[rows[ok].astype(int).to_numpy()] = values[ok]
    notes = [(f"user matrix {Path(name).name} ({shape}): {len(known_sites)} sites, "
              f"{int(ok.sum()):,} LSOAs")]
    unknown = [str(c) for c, s in zip(wide.columns, site_ids, strict=True) if s is None]
    if unknown:
        notes.append(f"ignored {len(unknown)} matrix columns naming no site of the site table: "
                     + ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else ""))
    if (~ok).any():
        notes.append(f"ignored {int((~ok).sum())} rows naming no England LSOA (e.g. "
                     f"{index[~ok].iloc[0]})")
    keys = tuple(str(site_ids[i]) for i in known_sites)
    return TravelMatrix(keys=keys, minutes=minutes, method="user_matrix", source=name,
                        key_column="site_id", notes=tuple(notes))
