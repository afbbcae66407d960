"""Plotly figures of the review, one function per chart; each takes exactly the table it draws.

The site and the web app show the same figures and offer the same table as the chart's "download
data (CSV)", so a chart and its data cannot disagree. Colours are the Okabe–Ito colour-blind-safe
palette; every label from a plan is HTML-escaped because Plotly reads a little HTML in text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from openstp.report.fmt import missing, words

BLUE, ORANGE, SKY, GREEN = "#0072B2", "#E69F00", "#56B4E9", "#009E73"
VERMILLION, PURPLE, YELLOW, GREY, NHS_BLUE = "#D55E00", "#CC79A7", "#F0E442", "#AEB7BD", "#005EB8"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, "#000000", GREY)
READINESS_COLOURS = {"ready": BLUE, "not ready": ORANGE, "not reviewed": GREY}
READINESS_TINTS = {"ready": (BLUE, "#5DA5DA", "#004C77", "#9CC7E6"),
                   "not ready": (ORANGE, "#F5C060", "#A86F00", "#FBE0A8"),
                   "not reviewed": (GREY, "#CDD3D7", "#8C979E", "#E3E7E9")}
"""Tints of each readiness colour, so that neighbouring footprints can be told apart."""
MAP_CELL_DEGREES = (0.06, 0.04)
"""Grid (longitude, latitude) that England's 32,844 small areas are pooled into for the map."""

AXIS = {"automargin": True, "gridcolor": "#E8EDEE", "zerolinecolor": "#768692"}
BASE_LAYOUT = {
    "template": "none",  # the styling is all here; plotly's default template is 10 kB a chart
    "font": {"family": "Arial, Helvetica, sans-serif", "size": 14, "color": "#212B32"},
    "colorway": list(PALETTE), "plot_bgcolor": "white", "paper_bgcolor": "white",
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "xaxis": AXIS, "yaxis": AXIS,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    "hoverlabel": {"font": {"family": "Arial, Helvetica, sans-serif"}},
}
"""Layout every chart starts from (NHS text colour, Okabe–Ito colours, light grid)."""


def text(value: object) -> str:
    """Label text safe for Plotly (which renders a few HTML tags): escaped, never None."""
    return "" if missing(value) else html.escape(str(value))


def label(step: str) -> str:
    """'demand_management_outpatients' → 'Demand management outpatients'; 'ed' → 'A&E'."""
    return words(step)


def short(value: object, limit: int = 42) -> str:
    """Escaped label cut to ``limit`` characters with an ellipsis (the full text is in hovers)."""
    raw = "" if missing(value) else str(value)
    return text(raw if len(raw) <= limit else raw[: limit - 1].rstrip() + "…")


def _money_label(v: float) -> str:
    return ("−" if v < 0 else "") + f"£{abs(v):,.1f}m"


def _m(values: Iterable[float]) -> list[float]:
    return [float(v) / 1e6 for v in values]


def _figure(height: int = 420, **layout: object) -> go.Figure:
    fig = go.Figure(layout={**BASE_LAYOUT, "height": height})
    fig.update_layout(**layout)
    return fig


def _points_figure(traces: list[dict], height: int, **layout: object) -> go.Figure:
    """A figure of thousands of points, built without per-point validation (it is slow)."""
    base = _figure(height, **layout)
    return go.Figure(data=traces, layout=base.layout.to_plotly_json(), _validate=False)


def bridge_chart(bridge: pd.DataFrame) -> go.Figure:
    """Waterfall from the do-nothing gap, through each scheme type and investment, to the residual.

    The first row is the starting total and the last row the residual; the rest are steps.
    """
    n = len(bridge)
    measure = ["absolute"] + ["relative"] * max(n - 2, 0) + (["total"] if n > 1 else [])
    amounts = _m(bridge["amount"])
    fig = _figure(yaxis_title="£ million", showlegend=False)
    fig.add_trace(go.Waterfall(
        x=[text(label(s)) for s in bridge["step"]], y=amounts, measure=measure,
        text=[_money_label(v) for v in amounts], textposition="outside",
        connector={"line": {"color": "#768692", "width": 1}},
        decreasing={"marker": {"color": GREEN}}, increasing={"marker": {"color": VERMILLION}},
        totals={"marker": {"color": NHS_BLUE}},
        hovertemplate="%{x}: £%{y:,.1f}m<extra></extra>"))
    fig.update_xaxes(tickangle=-30)
    return fig


def fan_chart(residual: pd.DataFrame) -> go.Figure:
    """The residual gap by year: the P10–P90 band, the median and the mean; below 0 is balance."""
    years = list(residual["year"])
    fig = _figure(yaxis_title="£ million (above 0: still a gap)")
    fig.add_trace(go.Scatter(x=years, y=_m(residual["p90"]), mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=years, y=_m(residual["p10"]), mode="lines", line={"width": 0},
                             fill="tonexty", fillcolor="rgba(86,180,233,0.35)",
                             name="80% of futures (P10–P90)",
                             hovertemplate="%{x}: P10 £%{y:,.1f}m<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=_m(residual["p50"]), mode="lines+markers",
                             line={"color": BLUE, "width": 3}, name="Median (P50)",
                             hovertemplate="%{x}: P50 £%{y:,.1f}m<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=_m(residual["mean"]), mode="lines",
                             line={"color": "#000000", "width": 2, "dash": "dash"}, name="Mean",
                             hovertemplate="%{x}: mean £%{y:,.1f}m<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#768692", "width": 1})
    return fig


def scheme_risk_chart(schemes: pd.DataFrame, top: int = 15) -> go.Figure:
    """Which schemes carry the variance of the savings: share of variance, largest first."""
    df = schemes.sort_values("variance_share", ascending=True).tail(top)
    shares = [100 * float(v) for v in df["variance_share"].fillna(0)]
    names = [f"{short(n)} ({text(g)})" for n, g in zip(df["name"], df["evidence_grade"],
                                                       strict=True)]
    fig = _figure(height=max(260, 34 * len(df) + 90), showlegend=False,
                  xaxis={"title": {"text": "Share of the variance of savings (%)"},
                         "range": [0, max(shares, default=1) * 1.15 + 1]})
    fig.add_trace(go.Bar(y=names, x=shares, orientation="h", marker_color=ORANGE,
                         text=[f"{v:.0f}%" for v in shares], textposition="outside",
                         customdata=[text(n) for n in df["name"]],
                         hovertemplate="%{customdata}: %{x:.1f}% of the variance"
                                       "<extra></extra>"))
    return fig


def scheme_delivery_chart(schemes: pd.DataFrame) -> go.Figure:
    """Planned against expected (simulated mean) savings of each scheme in the horizon year."""
    df = schemes.sort_values("planned", ascending=True)
    names = [short(n) for n in df["name"]]
    fig = _figure(height=max(260, 40 * len(df) + 90), xaxis_title="£ million in the horizon year",
                  barmode="group", legend={"traceorder": "reversed"})
    fig.add_trace(go.Bar(y=names, x=_m(df["planned"]), orientation="h", name="Planned",
                         marker_color=GREY, hovertemplate="%{y}: planned £%{x:,.1f}m"
                                                          "<extra></extra>"))
    fig.add_trace(go.Bar(y=names, x=_m(df["expected"]), orientation="h", name="Expected",
                         marker_color=BLUE, hovertemplate="%{y}: expected £%{x:,.1f}m"
                                                          "<extra></extra>"))
    return fig


def beds_chart(beds: pd.DataFrame) -> go.Figure:
    """Beds needed (P10–P90 band and median) against beds planned, by year."""
    years = list(beds["year"])
    fig = _figure(yaxis_title="General and acute beds")
    fig.add_trace(go.Scatter(x=years, y=list(beds["beds_required_p90"]), mode="lines",
                             line={"width": 0}, showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=years, y=list(beds["beds_required_p10"]), mode="lines",
                             line={"width": 0}, fill="tonexty", fillcolor="rgba(230,159,0,0.3)",
                             name="Beds needed, 80% of futures",
                             hovertemplate="%{x}: P10 %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=list(beds["beds_required_p50"]), mode="lines+markers",
                             line={"color": VERMILLION, "width": 3}, name="Beds needed (median)",
                             hovertemplate="%{x}: %{y:,.0f} needed<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=list(beds["beds_planned"]), mode="lines+markers",
                             line={"color": BLUE, "width": 3, "shape": "hv"},
                             marker={"symbol": "square"}, name="Beds planned",
                             hovertemplate="%{x}: %{y:,.0f} planned<extra></extra>"))
    return fig


def occupancy_chart(beds: pd.DataFrame) -> go.Figure:
    """Average and winter bed occupancy by year, against the 92–95% band of critical pressure."""
    years = list(beds["year"])
    fig = _figure(height=360, yaxis_title="Beds occupied (%)")
    fig.add_hrect(y0=92, y1=95, fillcolor="rgba(213,94,0,0.15)", line_width=0,
                  annotation_text="92–95%: critical", annotation_position="top left")
    fig.add_trace(go.Scatter(x=years, y=[100 * v for v in beds["mean_occupancy"]],
                             mode="lines+markers", line={"color": BLUE, "width": 3},
                             name="Average over the year",
                             hovertemplate="%{x}: %{y:.1f}% on average<extra></extra>"))
    fig.add_trace(go.Scatter(x=years, y=[100 * v for v in beds["winter_occupancy"]],
                             mode="lines+markers", line={"color": VERMILLION, "width": 3,
                                                         "dash": "dot"},
                             marker={"symbol": "diamond"}, name="Winter (January–March)",
                             hovertemplate="%{x}: %{y:.1f}% in winter<extra></extra>"))
    return fig


def workforce_chart(workforce: pd.DataFrame) -> go.Figure:
    """Staff required against staff supplied (median, with the P10–P90 range) in the last year."""
    last = workforce[workforce["year"] == workforce["year"].max()]
    groups = [text(label(g)) for g in last["group"]]
    fig = _figure(yaxis_title="Full-time equivalent staff", barmode="group")
    fig.add_trace(go.Bar(x=groups, y=list(last["required"]), name="Required",
                         marker_color=GREY, hovertemplate="%{x}: %{y:,.0f} required"
                                                          "<extra></extra>"))
    fig.add_trace(go.Bar(
        x=groups, y=list(last["supply_p50"]), name="Supplied (median, P10–P90)",
        marker_color=BLUE, hovertemplate="%{x}: %{y:,.0f} supplied<extra></extra>",
        error_y={"type": "data", "symmetric": False, "color": "#000000",
                 "array": list(last["supply_p90"] - last["supply_p50"]),
                 "arrayminus": list(last["supply_p50"] - last["supply_p10"])}))
    return fig


def access_chart(access: pd.DataFrame) -> go.Figure:
    """Extra minutes of travel after the plan's changes, by group of people, for each service."""
    fig = _figure(yaxis_title="Change in average minutes to the service", barmode="group")
    for i, (service, rows) in enumerate(access.groupby("service", sort=False)):
        fig.add_trace(go.Bar(
            x=[text(g) for g in rows["group"]],
            y=list(rows["mean_minutes_after"] - rows["mean_minutes_before"]),
            name=text(label(service)), marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{x}: %{y:+.1f} minutes<extra>" + text(label(service)) + "</extra>"))
    return fig


def _map_layout(fig: go.Figure, lat: float) -> None:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat)))


def access_map(points: pd.DataFrame | None, outline: pd.DataFrame) -> go.Figure:
    """Minutes to each service from every small area after the plan (one service at a time).

    Without per-area travel times, the footprint's small areas are drawn as a plain outline.
    Point traces are added unvalidated: thousands of points would otherwise take most of a
    what-if's time.
    """
    if points is None or points.empty:
        fig = _points_figure([{"type": "scatter", "x": list(outline["lon"].round(4)),
                               "y": list(outline["lat"].round(4)), "mode": "markers",
                               "marker": {"size": 5, "color": GREY}, "hoverinfo": "skip"}],
                             520, showlegend=False)
        _map_layout(fig, float(outline["lat"].mean()) if len(outline) else 52.5)
        return fig
    services = list(dict.fromkeys(points["service"]))
    top = float(points["minutes_after"].quantile(0.99))
    traces = []
    for i, service in enumerate(services):
        p = points[points["service"] == service]
        traces.append({
            "type": "scatter", "x": list(p["lon"].round(4)), "y": list(p["lat"].round(4)),
            "mode": "markers", "visible": i == 0, "name": text(label(service)),
            "customdata": list(zip(p["minutes_before"].round(1), p["lsoa11cd"], strict=True)),
            "marker": {"size": 6, "color": list(p["minutes_after"].round(1)),
                       "colorscale": "Cividis", "cmin": 0, "cmax": max(top, 1.0),
                       "colorbar": {"title": {"text": "minutes"}, "thickness": 14}},
            "hovertemplate": "%{customdata[1]}: %{marker.color:.0f} min after, "
                             "%{customdata[0]:.0f} before<extra></extra>"})
    buttons = [{"label": text(label(s)), "method": "update",
                "args": [{"visible": [j == i for j in range(len(services))]}]}
               for i, s in enumerate(services)]
    fig = _points_figure(traces, 520, showlegend=False, margin={"t": 60}, updatemenus=[
        {"buttons": buttons, "x": 0, "y": 1.08, "xanchor": "left", "showactive": True,
         "type": "buttons", "direction": "right"}])
    _map_layout(fig, float(points["lat"].mean()))
    return fig


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


def readiness_map(cells: pd.DataFrame) -> go.Figure:
    """England's footprints coloured by the review's overall readiness (tints tell them apart)."""
    traces: list[dict] = []
    for status, tints in READINESS_TINTS.items():
        for tint, colour in enumerate(tints):
            c = cells[(cells["overall"] == status) & (cells["tint"] == tint)]
            if c.empty:
                continue
            traces.append({
                "type": "scatter", "x": list(c["lon"]), "y": list(c["lat"]),
                "mode": "markers", "name": label(status), "legendgroup": status,
                "showlegend": not any(t["legendgroup"] == status for t in traces),
                "customdata": [text(n) for n in c["name"]],
                "marker": {"size": 5, "color": colour, "symbol": "square"},
                "hovertemplate": "%{customdata}<extra>" + label(status) + "</extra>"})
    fig = _points_figure(traces, 640, legend={"orientation": "v", "x": 0, "y": 1,
                                              "itemsizing": "constant"})
    _map_layout(fig, 52.5)
    return fig


def rules_chart(rules: pd.DataFrame, passed: dict[str, int], footprints: int) -> go.Figure:
    """How many footprints met each readiness rule."""
    df = rules.assign(met=[int(passed.get(r, 0)) for r in rules["rule"]]).iloc[::-1]
    fig = _figure(height=max(300, 30 * len(df) + 80), showlegend=False,
                  xaxis={"title": {"text": f"Footprints that met the rule (of {footprints})"},
                         "range": [0, max(footprints, 1) * 1.08], "tickformat": ",d",
                         "dtick": max(1, round(footprints / 8))})
    fig.add_trace(go.Bar(y=[text(t) for t in df["title"]], x=list(df["met"]), orientation="h",
                         marker_color=GREEN, text=list(df["met"]), textposition="outside",
                         hovertemplate="%{y}: %{x}<extra></extra>"))
    return fig


def league_gap_chart(league: pd.DataFrame) -> go.Figure:
    """Each footprint's do-nothing gap and expected residual gap in the horizon year."""
    df = league.sort_values("gap", ascending=True)
    names = [short(n) for n in df["name"]]
    fig = _figure(height=max(320, 26 * len(df) + 100), barmode="group",
                  xaxis_title="£ million in the horizon year")
    fig.add_trace(go.Bar(y=names, x=_m(df["gap"]), orientation="h", name="Do-nothing gap",
                         marker_color=GREY, hovertemplate="%{y}: £%{x:,.1f}m<extra>do-nothing"
                                                          "</extra>"))
    fig.add_trace(go.Bar(y=names, x=_m(df["residual_gap_mean"]), orientation="h",
                         name="Residual gap after the plan (mean)", marker_color=VERMILLION,
                         hovertemplate="%{y}: £%{x:,.1f}m<extra>residual</extra>"))
    return fig


def gap_sector_chart(gap: pd.DataFrame) -> go.Figure:
    """The do-nothing gap by sector and year (stacked), cash."""
    fig = _figure(yaxis_title="£ million", barmode="relative")
    for i, (sector, rows) in enumerate(gap.groupby("sector", sort=False)):
        fig.add_trace(go.Bar(x=list(rows["year"]), y=_m(rows["gap"]), name=text(label(sector)),
                             marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate="%{x}: £%{y:,.1f}m<extra>" + text(label(sector))
                                           + "</extra>"))
    return fig
