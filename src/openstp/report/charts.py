"""Plotly figures of the review, one function per chart; each takes exactly the table it draws.

A figure is plain data, the ``{"data": [...], "layout": {...}}`` that ``Plotly.react`` takes:
building it through plotly.py's graph_objects validated every property and took most of the
report's time. ``tests/test_report_specs.py`` checks the specs against graph_objects.

The site and the web app show the same figures and offer the same table as the chart's "download
data (CSV)", so a chart and its data cannot disagree. Colours are the Okabe–Ito colour-blind-safe
palette; every label from a plan is HTML-escaped because Plotly reads a little HTML in text.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from openstp.report.fmt import missing, words

Figure = dict[str, Any]
"""A Plotly figure as plain data: ``{"data": [traces], "layout": {...}}``; treat it as read-only
(figures share the nested dicts of ``BASE_LAYOUT``)."""

BLUE, ORANGE, SKY, GREEN = "#0072B2", "#E69F00", "#56B4E9", "#009E73"
VERMILLION, PURPLE, YELLOW, GREY, NHS_BLUE = "#D55E00", "#CC79A7", "#F0E442", "#AEB7BD", "#005EB8"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, "#000000", GREY)
READINESS_COLOURS = {"ready": BLUE, "not ready": ORANGE, "not reviewed": GREY}
AXIS = {"automargin": True, "gridcolor": "#E8EDEE", "zerolinecolor": "#768692"}
BASE_LAYOUT = {
    # plotly.py's rendering of template="none": no styling, as the styling is all here (plotly's
    # default template is 10 kB a chart); kept as plotly.py wrote it so the specs are unchanged
    "template": {"data": {"scatter": [{"type": "scatter"}]}},
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


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``extra``, nested dicts merged key by key (as ``update_layout``)."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            value = merge(old, value)
        out[key] = value
    return out


def _money_label(v: float) -> str:
    return ("−" if v < 0 else "") + f"£{abs(v):,.1f}m"


def _m(values: pd.Series) -> list[float]:
    return (values / 1e6).tolist()


def _title(title: str) -> dict[str, Any]:
    return {"title": {"text": title}}


def figure(traces: list[dict[str, Any]], height: int = 420, **layout: Any) -> Figure:
    """A figure of ``traces`` on the base layout, ``height`` pixels tall, ``layout`` merged in."""
    return {"data": traces, "layout": merge({**BASE_LAYOUT, "height": height}, layout)}


def bridge_chart(bridge: pd.DataFrame) -> Figure:
    """Waterfall from the do-nothing gap, through each scheme type and investment, to the residual.

    The first row is the starting total and the last row the residual; the rest are steps.
    """
    n = len(bridge)
    measure = ["absolute"] + ["relative"] * max(n - 2, 0) + (["total"] if n > 1 else [])
    amounts = _m(bridge["amount"])
    return figure([{
        "type": "waterfall", "x": [text(label(s)) for s in bridge["step"]], "y": amounts,
        "measure": measure, "text": [_money_label(v) for v in amounts],
        "textposition": "outside", "connector": {"line": {"color": "#768692", "width": 1}},
        "decreasing": {"marker": {"color": GREEN}}, "increasing": {"marker": {"color": VERMILLION}},
        "totals": {"marker": {"color": NHS_BLUE}},
        "hovertemplate": "%{x}: £%{y:,.1f}m<extra></extra>"}],
        showlegend=False, xaxis={"tickangle": -30}, yaxis=_title("£ million"))


def _band(x: list[Any], upper: list[float], lower: list[float], fill: str, name: str,
          hover: str) -> list[dict[str, Any]]:
    """An 80% band: an invisible upper line, and the lower line filled up to it."""
    return [{"type": "scatter", "x": x, "y": upper, "mode": "lines", "line": {"width": 0},
             "showlegend": False, "hoverinfo": "skip"},
            {"type": "scatter", "x": x, "y": lower, "mode": "lines", "line": {"width": 0},
             "fill": "tonexty", "fillcolor": fill, "name": name, "hovertemplate": hover}]


def fan_chart(residual: pd.DataFrame) -> Figure:
    """The residual gap by year: the P10–P90 band, the median and the mean; below 0 is balance."""
    years = residual["year"].tolist()
    return figure([
        *_band(years, _m(residual["p90"]), _m(residual["p10"]), "rgba(86,180,233,0.35)",
               "80% of futures (P10–P90)", "%{x}: P10 £%{y:,.1f}m<extra></extra>"),
        {"type": "scatter", "x": years, "y": _m(residual["p50"]), "mode": "lines+markers",
         "line": {"color": BLUE, "width": 3}, "name": "Median (P50)",
         "hovertemplate": "%{x}: P50 £%{y:,.1f}m<extra></extra>"},
        {"type": "scatter", "x": years, "y": _m(residual["mean"]), "mode": "lines",
         "line": {"color": "#000000", "width": 2, "dash": "dash"}, "name": "Mean",
         "hovertemplate": "%{x}: mean £%{y:,.1f}m<extra></extra>"}],
        yaxis=_title("£ million (above 0: still a gap)"),
        shapes=[{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 0,
                 "y1": 0, "line": {"color": "#768692", "width": 1}}])


def scheme_risk_chart(schemes: pd.DataFrame, top: int = 15) -> Figure:
    """Which schemes carry the variance of the savings: share of variance, largest first."""
    df = schemes.sort_values("variance_share", ascending=True).tail(top)
    shares = (100 * df["variance_share"].fillna(0).astype(float)).tolist()
    names = [f"{short(n)} ({text(g)})" for n, g in zip(df["name"], df["evidence_grade"],
                                                       strict=True)]
    return figure([{
        "type": "bar", "y": names, "x": shares, "orientation": "h",
        "marker": {"color": ORANGE}, "text": [f"{v:.0f}%" for v in shares],
        "textposition": "outside", "customdata": [text(n) for n in df["name"]],
        "hovertemplate": "%{customdata}: %{x:.1f}% of the variance<extra></extra>"}],
        height=max(260, 34 * len(df) + 90), showlegend=False,
        xaxis={**_title("Share of the variance of savings (%)"),
               "range": [0, max(shares, default=1) * 1.15 + 1]})


def scheme_delivery_chart(schemes: pd.DataFrame) -> Figure:
    """Planned against expected (simulated mean) savings of each scheme in the horizon year."""
    df = schemes.sort_values("planned", ascending=True)
    names = [short(n) for n in df["name"]]
    return figure([
        {"type": "bar", "y": names, "x": _m(df["planned"]), "orientation": "h",
         "name": "Planned", "marker": {"color": GREY},
         "hovertemplate": "%{y}: planned £%{x:,.1f}m<extra></extra>"},
        {"type": "bar", "y": names, "x": _m(df["expected"]), "orientation": "h",
         "name": "Expected", "marker": {"color": BLUE},
         "hovertemplate": "%{y}: expected £%{x:,.1f}m<extra></extra>"}],
        height=max(260, 40 * len(df) + 90), xaxis=_title("£ million in the horizon year"),
        barmode="group", legend={"traceorder": "reversed"})


def beds_chart(beds: pd.DataFrame) -> Figure:
    """Beds needed (P10–P90 band and median) against beds planned, by year."""
    years = beds["year"].tolist()
    return figure([
        *_band(years, beds["beds_required_p90"].tolist(), beds["beds_required_p10"].tolist(),
               "rgba(230,159,0,0.3)", "Beds needed, 80% of futures",
               "%{x}: P10 %{y:,.0f}<extra></extra>"),
        {"type": "scatter", "x": years, "y": beds["beds_required_p50"].tolist(),
         "mode": "lines+markers", "line": {"color": VERMILLION, "width": 3},
         "name": "Beds needed (median)", "hovertemplate": "%{x}: %{y:,.0f} needed<extra></extra>"},
        {"type": "scatter", "x": years, "y": beds["beds_planned"].tolist(),
         "mode": "lines+markers", "line": {"color": BLUE, "width": 3, "shape": "hv"},
         "marker": {"symbol": "square"}, "name": "Beds planned",
         "hovertemplate": "%{x}: %{y:,.0f} planned<extra></extra>"}],
        yaxis=_title("General and acute beds"))


def occupancy_chart(beds: pd.DataFrame) -> Figure:
    """Average and winter bed occupancy by year, against the 92–95% band of critical pressure."""
    years = beds["year"].tolist()
    return figure([
        {"type": "scatter", "x": years, "y": (100 * beds["mean_occupancy"]).tolist(),
         "mode": "lines+markers", "line": {"color": BLUE, "width": 3},
         "name": "Average over the year",
         "hovertemplate": "%{x}: %{y:.1f}% on average<extra></extra>"},
        {"type": "scatter", "x": years, "y": (100 * beds["winter_occupancy"]).tolist(),
         "mode": "lines+markers", "line": {"color": VERMILLION, "width": 3, "dash": "dot"},
         "marker": {"symbol": "diamond"}, "name": "Winter (January–March)",
         "hovertemplate": "%{x}: %{y:.1f}% in winter<extra></extra>"}],
        height=360, yaxis=_title("Beds occupied (%)"),
        shapes=[{"type": "rect", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 92,
                 "y1": 95, "fillcolor": "rgba(213,94,0,0.15)", "line": {"width": 0}}],
        annotations=[{"text": "92–95%: critical", "showarrow": False, "xref": "x domain",
                      "x": 0, "xanchor": "left", "yref": "y", "y": 95, "yanchor": "top"}])


def workforce_chart(workforce: pd.DataFrame) -> Figure:
    """Staff required against staff supplied (median, with the P10–P90 range) in the last year."""
    last = workforce[workforce["year"] == workforce["year"].max()]
    groups = [text(label(g)) for g in last["group"]]
    return figure([
        {"type": "bar", "x": groups, "y": last["required"].tolist(), "name": "Required",
         "marker": {"color": GREY}, "hovertemplate": "%{x}: %{y:,.0f} required<extra></extra>"},
        {"type": "bar", "x": groups, "y": last["supply_p50"].tolist(),
         "name": "Supplied (median, P10–P90)", "marker": {"color": BLUE},
         "hovertemplate": "%{x}: %{y:,.0f} supplied<extra></extra>",
         "error_y": {"type": "data", "symmetric": False, "color": "#000000",
                     "array": (last["supply_p90"] - last["supply_p50"]).tolist(),
                     "arrayminus": (last["supply_p50"] - last["supply_p10"]).tolist()}}],
        yaxis=_title("Full-time equivalent staff"), barmode="group")


def access_chart(access: pd.DataFrame) -> Figure:
    """Extra minutes of travel after the plan's changes, by group of people, for each service."""
    traces = []
    for i, (service, rows) in enumerate(access.groupby("service", sort=False)):
        name = text(label(service))
        traces.append({
            "type": "bar", "x": [text(g) for g in rows["group"]],
            "y": (rows["mean_minutes_after"] - rows["mean_minutes_before"]).tolist(),
            "name": name, "marker": {"color": PALETTE[i % len(PALETTE)]},
            "hovertemplate": "%{x}: %{y:+.1f} minutes<extra>" + name + "</extra>"})
    return figure(traces, yaxis=_title("Change in average minutes to the service"),
                  barmode="group")


def rules_chart(rules: pd.DataFrame, passed: dict[str, int], footprints: int,
                not_applicable: dict[str, int] | None = None) -> Figure:
    """How many footprints met each rule (and, given ``not_applicable``, how many it did not
    apply to, stacked after them in grey)."""
    df = rules.assign(met=[int(passed.get(r, 0)) for r in rules["rule"]]).iloc[::-1]
    met = df["met"].tolist()
    traces = [{
        "type": "bar", "y": [text(t) for t in df["title"]], "x": met, "orientation": "h",
        "marker": {"color": GREEN}, "text": [str(m) for m in met], "textposition": "outside",
        "hovertemplate": "%{y}: %{x}<extra></extra>"}]
    layout: dict[str, Any] = {"showlegend": False}
    if not_applicable and any(not_applicable.values()):
        na = [int(not_applicable.get(r, 0)) for r in df["rule"]]
        traces[0] |= {"name": "met", "textposition": "inside"}
        traces.append({"type": "bar", "y": traces[0]["y"], "x": na, "orientation": "h",
                       "name": "not applicable", "marker": {"color": GREY},
                       "hovertemplate": "%{y}: %{x} not applicable<extra></extra>"})
        layout = {"showlegend": True, "barmode": "stack"}
    return figure(traces, height=max(300, 30 * len(df) + 80), **layout,
                  xaxis={**_title(f"Footprints that met the rule (of {footprints})"),
                         "range": [0, max(footprints, 1) * 1.08], "tickformat": ",d",
                         "dtick": max(1, round(footprints / 8))})


def league_gap_chart(league: pd.DataFrame) -> Figure:
    """Each footprint's do-nothing gap and expected residual gap in the horizon year."""
    df = league.sort_values("gap", ascending=True)
    names = [short(n) for n in df["name"]]
    return figure([
        {"type": "bar", "y": names, "x": _m(df["gap"]), "orientation": "h",
         "name": "Do-nothing gap", "marker": {"color": GREY},
         "hovertemplate": "%{y}: £%{x:,.1f}m<extra>do-nothing</extra>"},
        {"type": "bar", "y": names, "x": _m(df["residual_gap_mean"]), "orientation": "h",
         "name": "Residual gap after the plan (mean)", "marker": {"color": VERMILLION},
         "hovertemplate": "%{y}: £%{x:,.1f}m<extra>residual</extra>"}],
        height=max(320, 26 * len(df) + 100), barmode="group",
        xaxis=_title("£ million in the horizon year"))


def gap_sector_chart(gap: pd.DataFrame) -> Figure:
    """The do-nothing gap by sector and year (stacked), cash."""
    traces = []
    for i, (sector, rows) in enumerate(gap.groupby("sector", sort=False)):
        name = text(label(sector))
        traces.append({"type": "bar", "x": rows["year"].tolist(), "y": _m(rows["gap"]),
                       "name": name, "marker": {"color": PALETTE[i % len(PALETTE)]},
                       "hovertemplate": "%{x}: £%{y:,.1f}m<extra>" + name + "</extra>"})
    return figure(traces, yaxis=_title("£ million"), barmode="relative")


def sensitivity_chart(indices: pd.DataFrame, top: int = 15) -> Figure:
    """Which assumptions matter: the total Sobol index of England's residual gap for the
    parameters that matter most, with the 95% interval, largest on top."""
    df = indices.dropna(subset=["total"]).sort_values("total").tail(top)
    totals = df["total"].astype(float).tolist()
    return figure([{
        "type": "bar", "y": [text(p) for p in df["parameter"]], "x": totals,
        "orientation": "h", "marker": {"color": BLUE},
        "error_x": {"type": "data", "symmetric": False,
                    "array": (df["total_high"] - df["total"]).astype(float).tolist(),
                    "arrayminus": (df["total"] - df["total_low"]).astype(float).tolist()},
        "hovertemplate": "%{y}: total index %{x:.2f}<extra></extra>"}],
        height=max(260, 30 * len(df) + 90), showlegend=False,
        margin={"l": 330}, xaxis=_title("Total Sobol index (share of variance, with interactions)"))
