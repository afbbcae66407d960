"""What every table builder shares: the shared data folder, constants and small helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).resolve().parents[1] / "reference_sources.yaml"
AGES = [str(a) for a in range(90)] + ["90+"]
POPULATION_YEARS = (2017, 2019, 2020)
FOOTPRINT_SETS = ("stp2017", "stp2018", "stp2019", "stp2020", "icb2022", "icb2023", "icb2026")
PROJECTION_YEARS = [str(y) for y in range(2016, 2042)]
"""The years of ONS's 2016-based projections that the tables keep."""


class Shared:
    """Reads files below the shared data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def csv(self, rel: str, **kw) -> pd.DataFrame:
        """The CSV file at ``rel`` below the shared data folder."""
        return pd.read_csv(self.root / rel, **kw)


def strip_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Column names and text cells without surrounding blanks or a byte-order mark."""
    df.columns = [c.strip().lstrip("\ufeff") for c in df.columns]
    return df.apply(lambda s: s.str.strip() if s.dtype == object or str(s.dtype) == "str" else s)


def to_bng(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude as British National Grid metres, to 0.1 m."""
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = transformer.transform(lon.to_numpy(float), lat.to_numpy(float))
    return np.round(east, 1), np.round(north, 1)


def postcode_key(s: pd.Series) -> pd.Series:
    """Postcodes compared without spaces and in upper case (``B15 2TH`` → ``B152TH``)."""
    return s.astype(str).str.upper().str.replace(" ", "", regex=False).str.strip()


def catalogue() -> dict:
    """``reference_sources.yaml``: every table's title, kind, sources, and the site review."""
    return yaml.safe_load(SOURCES.read_text())
