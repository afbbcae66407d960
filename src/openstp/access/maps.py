"""Maps of a scenario: every small area's population-weighted centroid coloured by the change in
travel minutes (or, with no change, by travel minutes), with the sites marked. PNG through
matplotlib and self-contained interactive HTML through plotly (plotly.js inlined, no tiles), so
neither needs the internet. Drawn from a computed ``Scenario``; written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from openstp.access.scenario import Scenario
from openstp.errors import InputFileError, problem
from openstp.io import write_text_atomic, write_with

SITE_STYLE = {"open": ("black", "o"), "closed": ("red", "X"), "new": ("green", "^")}


def _colour_values(scenario: Scenario) -> tuple[np.ndarray, str]:
    change = scenario.after.minutes - scenario.before.minutes
    if np.any(np.abs(change) > 0.05):
        return change, "change in travel minutes (after − before)"
    return scenario.before.minutes, "travel minutes to the nearest site"


def write_map(scenario: Scenario, path: str | Path, scope: np.ndarray | None = None,
              title: str = "") -> None:
    """Write the map to ``path``: ``.png`` (static) or ``.html`` (interactive, offline)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".png", ".html", ".htm"}:
        raise InputFileError([problem(str(path), "map must end in .png or .html", field="--map")])
    scope = np.ones(scenario.model.n_areas, bool) if scope is None else scope
    if suffix == ".png":
        write_with(path, lambda tmp: _png(scenario, scope, title, tmp))
    else:
        write_text_atomic(path, _html(scenario, scope, title))


def _site_frame(scenario: Scenario, scope: np.ndarray):
    sites = scenario.site_table
    a = scenario.model.areas[scope]
    pad = 15_000
    inside = (sites["easting"].between(a["easting"].min() - pad, a["easting"].max() + pad)
              & sites["northing"].between(a["northing"].min() - pad, a["northing"].max() + pad))
    return sites[inside]


def _png(scenario: Scenario, scope: np.ndarray, title: str, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    values, label = _colour_values(scenario)
    a = scenario.model.areas
    x, y, v = a["easting"].to_numpy()[scope], a["northing"].to_numpy()[scope], values[scope]
    changed = "change" in label
    fig, ax = plt.subplots(figsize=(8, 9) if scope.sum() > 5000 else (8, 7), dpi=110)
    size = 1.2 if scope.sum() > 5000 else 9
    if changed and (v < -0.05).any():
        norm, cmap = TwoSlopeNorm(0, min(v.min(), -1), max(v.max(), 1)), "RdBu_r"
    elif changed:
        norm, cmap = None, "YlOrRd"
    else:
        norm, cmap = None, "viridis_r"
    moved = np.abs(v) > 0.05 if changed else np.ones_like(v, bool)
    ax.scatter(x[~moved], y[~moved], s=size, c="#d9d9d9", linewidths=0, label="no change")
    points = ax.scatter(x[moved], y[moved], s=size * (4 if changed else 1), c=v[moved],
                        cmap=cmap, norm=norm, linewidths=0)
    fig.colorbar(points, ax=ax, shrink=0.6, label=label)
    sites = _site_frame(scenario, scope)
    for status, (colour, marker) in SITE_STYLE.items():
        s = sites[sites["status"] == status]
        if len(s):
            ax.scatter(s["easting"], s["northing"], c=colour, marker=marker,
                       s=40 if status != "open" else 14, label=f"site {status}", zorder=3)
    pad = 5_000
    ax.set_xlim(x.min() - pad, x.max() + pad)
    ax.set_ylim(y.min() - pad, y.max() + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=7, markerscale=1.5, frameon=False)
    ax.text(0.0, -0.02, "Points: LSOA population-weighted centroids (ONS). British National Grid.",
            transform=ax.transAxes, fontsize=6, va="top")
    fig.tight_layout()
    fig.savefig(out, format="png")
    plt.close(fig)


def _html(scenario: Scenario, scope: np.ndarray, title: str) -> str:
    import plotly.graph_objects as go

    values, label = _colour_values(scenario)
    table = scenario.lsoa_table(scope)
    a = scenario.model.areas[scope]
    hover = (table["lsoa11cd"] + "<br>before: " + table["site_before"] + ", "
             + table["minutes_before"].map("{:.1f}".format) + " min (" + table["method_before"]
             + ")<br>after: " + table["site_after"] + ", "
             + table["minutes_after"].map("{:.1f}".format) + " min (" + table["method_after"] + ")")
    fig = go.Figure(go.Scattergl(
        x=a["easting"], y=a["northing"], mode="markers", text=hover, hoverinfo="text",
        marker={"size": 3 if scope.sum() > 5000 else 6, "color": values[scope],
                "colorscale": "RdBu_r" if (values[scope] < -0.05).any() else "YlOrRd",
                "colorbar": {"title": label}}, name="LSOAs"))
    sites = _site_frame(scenario, scope)
    for status, (colour, marker) in SITE_STYLE.items():
        s = sites[sites["status"] == status]
        if len(s):
            fig.add_trace(go.Scatter(
                x=s["easting"], y=s["northing"], mode="markers", name=f"site {status}",
                text=s["site_id"] + " " + s["name"], hoverinfo="text",
                marker={"color": colour, "size": 9,
                        "symbol": {"o": "circle", "X": "x", "^": "triangle-up"}[marker]}))
    fig.update_layout(title=title, template="plotly_white", height=800,
                      xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"})
    return fig.to_html(include_plotlyjs=True, full_html=True)
