"""``stp_boundaries_2017``: the outlines of England's 44 STP footprints (ONS, February 2017,
ultra generalised), as rings of points for maps drawn offline (no tile server): one row per
vertex, in drawing order.
"""

from __future__ import annotations

import json

import pandas as pd

from reference.common import Shared

STP = "geography/boundaries/stp17_feb2017_ultra_generalised.geojson"
DECIMALS = 4
"""About 10 m: far finer than the ultra-generalised outlines themselves."""


def rings(path: str, sh: Shared, code_key: str, name_key: str) -> pd.DataFrame:
    collection = json.loads((sh.root / path).read_text(encoding="utf-8"))
    rows = []
    for feature in collection["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        ring_no = 0
        for polygon in polygons:
            for hole, ring in enumerate(polygon):
                for order, (lon, lat) in enumerate(ring):
                    rows.append((props[code_key], props.get(name_key, ""), ring_no, hole > 0,
                                 order, round(lon, DECIMALS), round(lat, DECIMALS)))
                ring_no += 1
    return pd.DataFrame(rows, columns=["code", "name", "ring", "hole", "order", "lon", "lat"])


def build(sh: Shared) -> pd.DataFrame:
    """Every footprint's outline: code, name, ring, hole, order, lon, lat (WGS84)."""
    return rings(STP, sh, "stp17cd", "stp17nm")
