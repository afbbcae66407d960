"""Maps drawn as scatter plots of longitude and latitude: England's readiness, a footprint's access.

There are no map tiles (the site opens offline): each small area (LSOA) is a dot at its
population-weighted centre, and the axes are scaled so that the map is not stretched.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from openstp.report.charts import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    Figure,
    figure,
    label,
    text,
)

READINESS_TINTS = {"ready": (BLUE, "#5DA5DA", "#004C77", "#9CC7E6"),
                   "not ready": (ORANGE, "#F5C060", "#A86F00", "#FBE0A8"),
                   "not reviewed": (GREY, "#CDD3D7", "#8C979E", "#E3E7E9")}
"""Tints of each readiness colour, so that neighbouring footprints can be told apart."""
DESTINATION = (BLUE, GREEN, PURPLE, SKY, ORANGE, YELLOW)
"""Outline colours of the areas whose patients would go to each receiving site."""
MAP_CELL_DEGREES = (0.06, 0.04)
"""Grid (longitude, latitude) that England's 32,844 small areas are pooled into for the map."""


def _map_axes(lat: float) -> dict[str, Any]:
    """Hidden axes with longitude shrunk by cos(latitude), so the map is not stretched."""
    return {"xaxis": {"visible": False},
            "yaxis": {"visible": False, "scaleanchor": "x",
                      "scaleratio": 1 / math.cos(math.radians(lat))}}


def access_map(points: pd.DataFrame | None, outline: pd.DataFrame,
               boundary: dict[str, Any] | None = None,
               sites: pd.DataFrame | None = None) -> Figure:
    """Minutes to each service from every small area after the plan (one service at a time).

    With ``boundary`` (a line trace of the footprint's outline) and ``sites`` (site_id, name,
    service, lon, lat, closed), the map also shows the sites open and closed, and where each
    moved area's patients would go: its dot, coloured by the site it goes to after the change.
    Without per-area travel times, the footprint's small areas are drawn as a plain outline.
    """
    frame = [boundary] if boundary else []
    if points is None or points.empty:
        lat = float(outline["lat"].mean()) if len(outline) else 52.5
        return figure([*frame, {"type": "scatter", "x": outline["lon"].round(4).tolist(),
                                "y": outline["lat"].round(4).tolist(), "mode": "markers",
                                "marker": {"size": 5, "color": GREY}, "hoverinfo": "skip"}],
                      520, showlegend=False, **_map_axes(lat))
    top = max(float(points["minutes_after"].quantile(0.99)), 1.0)
    services = []
    traces = list(frame)
    owner: list[int | None] = [None] * len(frame)  # the service button each trace belongs to
    for i, (service, p) in enumerate(points.groupby("service", sort=False)):
        services.append(service)
        traces.append({
            "type": "scatter", "x": p["lon"].round(4).tolist(), "y": p["lat"].round(4).tolist(),
            "mode": "markers", "visible": i == 0, "name": text(label(service)),
            "customdata": list(zip(p["minutes_before"].round(1).tolist(),
                                   p["lsoa11cd"].tolist(), strict=True)),
            "marker": {"size": 6, "color": p["minutes_after"].round(1).tolist(),
                       "colorscale": "Cividis", "cmin": 0, "cmax": top,
                       "colorbar": {"title": {"text": "minutes"}, "thickness": 14}},
            "hovertemplate": "%{customdata[1]}: %{marker.color:.0f} min after, "
                             "%{customdata[0]:.0f} before<extra></extra>"})
        owner.append(i)
        extra = _destinations(p, sites, i == 0) + _site_markers(sites, service, i == 0)
        traces += extra
        owner += [i] * len(extra)
    buttons = [{"label": text(label(s)), "method": "update",
                "args": [{"visible": [o is None or o == i for o in owner]}]}
               for i, s in enumerate(services)]
    layout: dict[str, Any] = {"showlegend": False, "margin": {"t": 60}, "updatemenus": [
        {"buttons": buttons, "x": 0, "y": 1.08, "xanchor": "left", "showactive": True,
         "type": "buttons", "direction": "right"}]}
    if sites is not None and not sites.empty:
        layout |= {"showlegend": True,
                   "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0}}
    return figure(traces, 520, **layout, **_map_axes(float(points["lat"].mean())))


def _destinations(p: pd.DataFrame, sites: pd.DataFrame | None, visible: bool) -> list[dict]:
    """Areas whose site changes, one trace per site they would go to (ringed dots)."""
    if sites is None or "site_after" not in p or "site_before" not in p:
        return []
    moved = p[p["site_after"] != p["site_before"]]
    names = sites.drop_duplicates("site_id").set_index("site_id")["name"]
    out = []
    for k, (site, q) in enumerate(moved.groupby("site_after", sort=True)):
        out.append({"type": "scatter", "x": q["lon"].round(4).tolist(),
                    "y": q["lat"].round(4).tolist(), "mode": "markers", "visible": visible,
                    "name": f"→ {text(names.get(site, site))}",
                    "marker": {"size": 9, "color": "rgba(0,0,0,0)",
                               "line": {"width": 1.6, "color": DESTINATION[k % len(DESTINATION)]}},
                    "hovertemplate": f"%{{text}}: now goes to {text(names.get(site, site))}"
                                     "<extra></extra>", "text": q["lsoa11cd"].tolist()})
    return out


def _site_markers(sites: pd.DataFrame | None, service: str, visible: bool) -> list[dict]:
    """The service's sites: open ones as dark circles, closed or downgraded ones as red crosses."""
    if sites is None or sites.empty:
        return []
    mine = sites[sites["service"] == service]
    out = []
    for closed, style in ((False, {"symbol": "circle", "size": 11, "color": "#212B32",
                                   "line": {"color": "white", "width": 1.5}}),
                          (True, {"symbol": "x", "size": 14, "color": VERMILLION,
                                  "line": {"color": "white", "width": 1}})):
        s = mine[mine["closed"] == closed]
        if s.empty:
            continue
        out.append({"type": "scatter", "x": s["lon"].round(4).tolist(),
                    "y": s["lat"].round(4).tolist(), "mode": "markers", "visible": visible,
                    "name": "site closed or downgraded" if closed else "site open",
                    "text": [text(n) for n in s["name"]], "marker": style,
                    "hovertemplate": "%{text}" + (" (closes)" if closed else "")
                                     + "<extra></extra>"})
    return out


def readiness_cells(lsoa_points: pd.DataFrame, league: pd.DataFrame) -> pd.DataFrame:
    """England's small areas pooled into map cells, each with its footprint and readiness.

    ``tint`` (0–3) differs between footprints that touch, so each footprint shows as a patch.
    """
    lon_step, lat_step = MAP_CELL_DEGREES
    cells = lsoa_points.assign(cx=(lsoa_points["lon"] / lon_step).round().astype(int),
                               cy=(lsoa_points["lat"] / lat_step).round().astype(int))
    top = (cells.groupby(["cx", "cy", "footprint"]).size().rename("n").reset_index()
           .sort_values("n").drop_duplicates(["cx", "cy"], keep="last"))
    info = league.set_index("footprint")[["name", "overall"]]
    top = top.join(info, on="footprint")
    tints = _tints(top)
    return pd.DataFrame({"footprint": top["footprint"], "name": top["name"].fillna(""),
                         "overall": top["overall"].fillna("not reviewed"),
                         "tint": top["footprint"].map(tints).astype(int),
                         "lon": (top["cx"] * lon_step).round(3),
                         "lat": (top["cy"] * lat_step).round(3)}
                        ).sort_values(["overall", "footprint"]).reset_index(drop=True)


def _tints(cells: pd.DataFrame) -> dict[str, int]:
    """Greedy colouring of footprints so that neighbours (touching cells) get different tints."""
    owner = dict(zip(zip(cells["cx"], cells["cy"], strict=True), cells["footprint"],
                     strict=True))
    neighbours: dict[str, set[str]] = {f: set() for f in cells["footprint"]}
    for (x, y), f in owner.items():
        for other in (owner.get((x + 1, y)), owner.get((x, y + 1))):
            if other is not None and other != f:
                neighbours[f].add(other)
                neighbours[other].add(f)
    tint: dict[str, int] = {}
    for f in sorted(neighbours, key=lambda k: (-len(neighbours[k]), k)):
        used = {tint[n] for n in neighbours[f] if n in tint}
        tint[f] = next((i for i in range(4) if i not in used), 0)
    return tint


def readiness_map(cells: pd.DataFrame) -> Figure:
    """England's footprints coloured by the review's overall readiness (tints tell them apart)."""
    traces: list[dict[str, Any]] = []
    for status, tints in READINESS_TINTS.items():
        for tint, colour in enumerate(tints):
            c = cells[(cells["overall"] == status) & (cells["tint"] == tint)]
            if c.empty:
                continue
            traces.append({
                "type": "scatter", "x": c["lon"].tolist(), "y": c["lat"].tolist(),
                "mode": "markers", "name": label(status), "legendgroup": status,
                "showlegend": not any(t["legendgroup"] == status for t in traces),
                "customdata": [text(n) for n in c["name"]],
                "marker": {"size": 5, "color": colour, "symbol": "square"},
                "hovertemplate": "%{customdata}<extra>" + label(status) + "</extra>"})
    return figure(traces, 640, legend={"orientation": "v", "x": 0, "y": 1,
                                       "itemsizing": "constant"}, **_map_axes(52.5))
