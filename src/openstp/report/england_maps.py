"""England drawn from its 44 footprint outlines: choropleths of the review and locator maps.

The outlines (ONS, February 2017, ultra generalised) and England's regions ship in the package
(``stp_boundaries_2017``, ``regions_boundaries``), so the maps need no tile server and open
offline. Each footprint is one filled polygon trace; a hidden marker trace at the footprints'
centres carries the colour bar and the hover text, so every shade can be read as a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale

from openstp import data
from openstp.report.charts import BLUE, GREY, Figure, figure, text
from openstp.report.maps import _map_axes

SHAPES_SET = "stp2017"
"""The footprint set whose outlines ship with the package."""
COLORSCALE = "Cividis"
"""Sequential and readable with every common colour-vision deficiency."""
REGION_LINE = {"color": "#FFFFFF", "width": 2.4}
FOOTPRINT_LINE = {"color": "#AEB7BD", "width": 0.6}


@dataclass(frozen=True)
class Metric:
    """One shading of the map: a league column, its label, how to print it, and its direction."""

    column: str
    label: str
    unit: str
    fmt: str  # Python format for hover text
    high_is_bad: bool = True


METRICS = (
    Metric("rules_not_met", "Readiness: rules not met", "rules", "{:.0f}"),
    Metric("gap_per_head", "Do-nothing gap per head", "£ a head", "£{:,.0f}"),
    Metric("residual_per_head", "Gap left per head", "£ a head", "£{:,.0f}"),
    Metric("probability_of_balance", "Chance of balance", "share of futures", "{:.1%}",
           high_is_bad=False),
    Metric("beds_gap", "Beds short", "beds", "{:,.0f}"),
)


@cache
def _rings(table: str) -> dict[str, tuple[list, list, str]]:
    """Per area code: longitudes and latitudes of its outer rings (None between rings), name."""
    df = data.table(table)
    df = df[~df["hole"]].sort_values(["code", "ring", "order"], kind="stable")
    out = {}
    for code, part in df.groupby("code", sort=False):
        lons: list = []
        lats: list = []
        for _, ring in part.groupby("ring", sort=True):
            lons += [*ring["lon"].tolist(), None]
            lats += [*ring["lat"].tolist(), None]
        out[str(code)] = (lons, lats, str(part["name"].iloc[0]))
    return out


def _centres() -> pd.DataFrame:
    df = data.table("stp_boundaries_2017")
    return df.groupby("code")[["lon", "lat"]].mean()


def _regions() -> dict[str, Any]:
    lons: list = []
    lats: list = []
    for ring_lons, ring_lats, _ in _rings("regions_boundaries").values():
        lons += ring_lons
        lats += ring_lats
    return {"type": "scatter", "x": lons, "y": lats, "mode": "lines", "line": REGION_LINE,
            "hoverinfo": "skip", "showlegend": False, "name": "regions"}


def map_table(league: pd.DataFrame) -> pd.DataFrame:
    """The numbers the choropleth draws: one row per footprint, one column per metric."""
    out = league[["footprint", "name"]].copy()
    ratings = [c for c in league.columns if "." in c]
    out["rules_not_met"] = (league[ratings] == "not_met").sum(axis=1) if ratings else np.nan
    for m in METRICS[1:]:
        out[m.column] = league.get(m.column, np.nan)
    out["overall"] = league.get("overall", "")
    return out


def choropleth(table: pd.DataFrame) -> Figure:
    """England's footprints shaded by each metric in turn (buttons switch the metric)."""
    shapes = _rings("stp_boundaries_2017")
    centres = _centres()
    metrics = [m for m in METRICS if table[m.column].notna().any()]
    traces: list[dict[str, Any]] = []
    groups: list[range] = []
    for i, m in enumerate(metrics):
        start = len(traces)
        values = table.set_index("footprint")[m.column]
        low, high = float(values.min()), float(values.max())
        span = high - low or 1.0
        for code, value in values.items():
            if code not in shapes or pd.isna(value):
                continue
            frac = (value - low) / span
            lons, lats, _ = shapes[code]
            traces.append({
                "type": "scatter", "x": lons, "y": lats, "mode": "lines", "fill": "toself",
                "fillcolor": sample_colorscale(COLORSCALE, [frac if m.high_is_bad
                                                            else 1 - frac])[0],
                "line": FOOTPRINT_LINE, "hoverinfo": "skip", "showlegend": False,
                "visible": i == 0, "name": str(code)})
        here = values.dropna()
        here = here[here.index.isin(centres.index)]
        names = table.set_index("footprint")["name"].reindex(here.index)
        traces.append({
            "type": "scatter", "x": centres.loc[here.index, "lon"].round(4).tolist(),
            "y": centres.loc[here.index, "lat"].round(4).tolist(), "mode": "markers",
            "visible": i == 0, "showlegend": False, "name": text(m.label),
            "text": [f"{text(n)}: {m.fmt.format(v)}" for n, v in zip(names, here, strict=True)],
            "hoverinfo": "text",
            "marker": {"size": 9, "opacity": 0.01, "color": here.tolist(), "cmin": low,
                       "cmax": high, "colorscale": COLORSCALE,
                       "reversescale": not m.high_is_bad,
                       "colorbar": {"title": {"text": text(m.unit)}, "thickness": 14}}})
        groups.append(range(start, len(traces)))
    traces.append(_regions())
    buttons = [{"label": text(m.label), "method": "update",
                "args": [{"visible": [j in groups[i] or j == len(traces) - 1
                                      for j in range(len(traces))]}]}
               for i, m in enumerate(metrics)]
    return figure(traces, 760, showlegend=False, margin={"t": 60, "l": 0, "r": 0, "b": 0},
                  updatemenus=[{"buttons": buttons, "type": "buttons", "direction": "right",
                                "x": 0, "y": 1.07, "xanchor": "left", "showactive": True}],
                  **_map_axes(52.8))


def locator(code: str) -> Figure:
    """England's footprints in grey with one highlighted, and the regions over them."""
    shapes = _rings("stp_boundaries_2017")
    traces = []
    for other, (lons, lats, name) in shapes.items():
        here = other == code
        traces.append({"type": "scatter", "x": lons, "y": lats, "mode": "lines",
                       "fill": "toself", "fillcolor": BLUE if here else "#E8EDEE",
                       "line": {"color": "#FFFFFF" if not here else BLUE, "width": 0.5},
                       "hoverinfo": "text" if here else "skip", "text": text(name),
                       "hoveron": "fills", "showlegend": False, "name": text(name)})
    traces.append(_regions())
    return figure(traces, 360, showlegend=False, margin={"t": 5, "l": 0, "r": 0, "b": 0},
                  **_map_axes(52.8))


def outline(code: str) -> dict[str, Any] | None:
    """One footprint's boundary as a line trace (for access maps), or None if not shipped."""
    shapes = _rings("stp_boundaries_2017")
    if code not in shapes:
        return None
    lons, lats, _ = shapes[code]
    return {"type": "scatter", "x": lons, "y": lats, "mode": "lines", "name": "boundary",
            "line": {"color": GREY, "width": 1.5}, "hoverinfo": "skip", "showlegend": False}
