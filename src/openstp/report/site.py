"""Write the static report site: England, one page per footprint, data CSVs, assets, workbook.

The site opens from disk with no internet: plotly.js is the partial bundle shipped in
``report/static`` (``scripts/vendor_plotly.py``, manifest ``plotly-finance.yaml``), charts are
drawn by one small local script from JSON beside each chart, and there are no web fonts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from openstp.errors import InputFileError, PlanError
from openstp.folders import atomic_folder, new_run_id, stamp
from openstp.plan import Plan, load_plan
from openstp.report import fmt
from openstp.report.blocks import SiteLinks
from openstp.report.pages import assumptions_page, england_page, footprint_page, rules_page
from openstp.report.results import Results

PLOTLY_JS = "plotly-finance.min.js"
"""plotly.js as shipped: its finance partial bundle, which holds every trace type drawn."""
ASSETS = ("openstp.css", "openstp.js", PLOTLY_JS)
FILTERS: dict[str, Callable[..., str]] = {
    "money": fmt.money, "pct": fmt.pct, "num": fmt.count, "rating": fmt.rating,
    "words": fmt.words, "plain": fmt.plain}


def environment(*extra: jinja2.BaseLoader) -> jinja2.Environment:
    """Jinja with autoescaping on (plan text is user input), strict undefined, our filters.

    ``extra`` loaders are searched first, so the web app can extend the report's templates.
    """
    loader = jinja2.ChoiceLoader([*extra, jinja2.PackageLoader("openstp.report", "templates")])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def asset_text(name: str) -> str:
    """One of the report's own static files (CSS, JS)."""
    return resources.files("openstp.report").joinpath("static", name).read_text("utf-8")


def read_plan(path: Path | None) -> Plan | None:
    """The plan at ``path``, or None if there is none or it cannot be read."""
    if path is None:
        return None
    try:
        return load_plan(path)
    except (InputFileError, PlanError):
        return None


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (inside the folder being built), readable by a web server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o644)  # a published site must be readable by the web server


def _page_data(out: Path, scope: str, context: dict[str, Any]) -> None:
    """Every chart's and table's data as CSV under ``data/<scope>/``.

    Several charts and tables show the same frame (a footprint's schemes: two charts and a
    table); each frame is formatted once.
    """
    frames = [(chart.id, chart.data) for chart in context.get("charts", {}).values()]
    tables = dict(context.get("tables", {}))
    for key in ("league", "matrix", "table"):
        if key in context:
            tables[key] = context[key]
    frames += [(table.id, table.data) for table in tables.values() if table.data is not None]
    texts: dict[int, str] = {}  # by id(): the frames stay alive in ``frames`` meanwhile
    for name, df in frames:
        if id(df) not in texts:
            texts[id(df)] = df.to_csv(index=False)
        _write(out / "data" / scope / f"{name}.csv", texts[id(df)])


def write_site(results: Results, out: str | Path, *, workbook: bool = True,
               progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the whole site into ``out``; return the HTML pages written (England first).

    The site is built beside ``out`` and swapped in whole (``openstp.folders``): a report
    killed part-way leaves the last site as it was, never an index linking to missing pages.
    """
    out = Path(out)
    with atomic_folder(out) as tmp:
        pages = [out / page.relative_to(tmp) for page in _build(results, tmp, workbook,
                                                                 progress)]
        stamp(tmp, str(results.england.get("run_id") or new_run_id()), "openstp report")
    return pages


def _build(results: Results, out: Path, workbook: bool,
           progress: Callable[[str], None] | None) -> list[Path]:
    env = environment()
    assets = out / "assets"
    for name in ASSETS:
        _write(assets / name, asset_text(name))
    pages: list[Path] = []

    def render(path: Path, template: str, context: dict[str, Any], scope: str) -> None:
        _write(path, env.get_template(template).render(**context))
        _page_data(out, scope, context)
        pages.append(path)

    render(out / "index.html", "england.html.j2", england_page(results, SiteLinks(0)),
           "england")
    render(out / "rules.html", "rules.html.j2", rules_page(results, SiteLinks(0)), "england")
    render(out / "assumptions.html", "assumptions.html.j2",
           assumptions_page(results, SiteLinks(0)), "england")
    for code in results.footprints():
        fp = results.footprint(code)
        if progress:
            progress(fp.name)
        if fp.plan_file is not None:
            _write(out / "plans" / f"{code}.yaml", fp.plan_file.read_text("utf-8"))
        context = footprint_page(fp, SiteLinks(1), results.england, read_plan(fp.plan_file))
        render(out / "footprints" / f"{code}.html", "footprint.html.j2", context, code)
    if workbook:
        from openstp.report.workbook import write_workbook

        write_workbook(results, out / "openstp-results.xlsx")
        os.chmod(out / "openstp-results.xlsx", 0o644)
    return pages
