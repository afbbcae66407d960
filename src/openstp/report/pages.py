"""What each page shows, as data: England's overview and one footprint's full story.

``england_page`` and ``footprint_page`` return the context a template renders; the static site and
the web app both call them, so the two always show the same charts, tables and words.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from openstp import data
from openstp.plan import Plan
from openstp.report import charts, england_maps, maps
from openstp.report.blocks import Cell, Chart, Links, Table, records
from openstp.report.fmt import count, missing, money, pct, plain
from openstp.report.footprint_blocks import footprint_charts, footprint_tables, rating_cell
from openstp.report.results import FootprintResults, Results
from openstp.review.verdict import SHORT_TITLES

SECTIONS = (("money", "Money"), ("risk", "How sure"), ("schemes", "Schemes"), ("beds", "Beds"),
            ("access", "Access"), ("workforce", "Workforce"), ("readiness", "Readiness"),
            ("assumptions", "Assumptions"))


def key_figures(row: dict[str, Any], horizon: str) -> list[tuple[str, str, str, str]]:
    """(id, label, value, note) of the key figures in a league row."""
    return [
        ("kf-gap", f"Do-nothing gap, {horizon}", money(row.get("gap")),
         "all sectors (NHS, public health, social care), cash"),
        ("kf-residual", "Gap left after the plan", money(row.get("residual_gap_mean")),
         "mean of simulated futures"),
        ("kf-balance", "Chance of balance", pct(row.get("probability_of_balance")),
         f"share of futures in balance in {horizon}"),
        ("kf-beds", "Beds short", count(row.get("beds_gap")),
         "median beds needed minus beds planned"),
        ("kf-workforce", "Staff short", count(row.get("workforce_gap_fte")),
         "full-time equivalent"),
        ("kf-access", "People beyond 45 minutes", count(row.get("people_beyond_45min")),
         "from a service after the plan's changes"),
    ]


def do_minimum(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of the do-nothing and do-minimum gaps in a league row; none if absent."""
    if row.get("template_gap") is None:
        return []
    method = plain(row.get("opening_method"))
    return [
        ("Opening underlying position (base year, a deficit positive)",
         f"{money(row.get('opening_position'))} ({method})"),
        ("Template gap: the STP template's do-nothing, no efficiency at all",
         money(row.get("template_gap"))),
        ("Do-minimum: after business-as-usual efficiency at the historical rate",
         money(row.get("do_minimum_gap"))),
        ("Do-minimum at the rate national planning assumed", money(row.get(
            "do_minimum_gap_planning"))),
        ("Where the money is counted (basis)", plain(row.get("basis"))),
    ]


def england_page(results: Results, links: Links) -> dict[str, Any]:
    """The England page: national figures, the readiness map, the league table and the rules."""
    e, league = results.england, results.league
    horizon, n = results.horizon, len(league)
    overall = e.get("overall", {})
    rules = results.tables["rules"]
    passed = e.get("rules_passed", {})
    rule_data = rules[["rule", "title"]].assign(footprints_met=[int(passed.get(r, 0))
                                                                for r in rules["rule"]])
    gaps = league[["footprint", "name", "gap", "residual_gap_mean", "probability_of_balance"]]
    worst = league.sort_values("residual_gap_mean").iloc[-1] if n else None
    chart_list = [
        _england_map(results, overall, n),
        Chart("gaps", f"The gap before and after each plan, {horizon}",
              lambda: charts.league_gap_chart(league), gaps,
              f"Bar chart of {n} footprints' do-nothing gap and expected residual gap. Largest "
              f"residual: {worst['name']} at {money(worst['residual_gap_mean'])}."
              if worst is not None else "No footprints."),
        Chart("rules", "How many footprints met each rule",
              lambda: charts.rules_chart(rules, passed, n, e.get("rules_not_applicable")),
              rule_data,
              "Bar chart of the number of footprints meeting each of "
              f"{len(rules)} readiness rules, out of {n}."),
    ]
    ids = list(rules["rule"])
    per_head = _with_per_head(league)
    if "sensitivity" in results.tables:
        indices = results.tables["sensitivity"]
        top = indices.dropna(subset=["total"]).sort_values("total").iloc[-1:]
        chart_list.append(Chart(
            "sensitivity", f"Which assumptions matter for England's gap left in {horizon}",
            lambda: charts.sensitivity_chart(indices), indices,
            f"Bar chart of the total Sobol index of England's residual gap for the "
            f"{min(len(indices), 15)} parameters that matter most; the largest is "
            f"{top['parameter'].iloc[0] if len(top) else 'none'}.",
            "Each parameter drawn between its low and high (openstp sensitivity); the bars "
            "show 95% intervals."))
    table = Table("league", f"League table of the review: {n} footprints, {horizon}", [
        ("Footprint", False), ("Region", False), ("Overall", False), ("Rules not met", True),
        ("Do-nothing gap", True), ("Gap left (mean)", True), ("Gap left a head", True),
        ("Chance of balance", True), ("Beds short", True), ("Staff short (FTE)", True),
        ("People beyond 45 min", True)], data=league, sortable=True)
    for r in records(per_head):
        failed = sum(r.get(i) == "not_met" for i in ids)
        head = r.get("residual_per_head")
        table.add(Cell(r["name"], href=links.footprint(r["footprint"])),
                  str(r["region"]).replace(" of England", "").replace(" Commissioning Region",
                                                                       ""),
                  Cell(r["overall"], cls="overall " + ("ready" if r["overall"] == "ready"
                                                       else "not-ready")),
                  Cell(str(failed), key=str(failed)),
                  _num(money(r["gap"]), r["gap"]),
                  _num(money(r["residual_gap_mean"]), r["residual_gap_mean"]),
                  _num("–" if missing(head) else f"£{head:,.0f}", head),
                  _num(pct(r["probability_of_balance"]), r["probability_of_balance"]),
                  _num(count(r["beds_gap"]), r["beds_gap"]),
                  _num(count(r["workforce_gap_fte"]), r["workforce_gap_fte"]),
                  _num(count(r["people_beyond_45min"]), r["people_beyond_45min"]))
    titles = dict(zip(rules["rule"], rules["short_title"] if "short_title" in rules else [
        SHORT_TITLES.get(r, t) for r, t in zip(rules["rule"], rules["title"], strict=True)],
        strict=True))
    matrix = Table("verdict-matrix", "Each footprint's verdict on each rule (✓ met, ◐ partly "
                   "met, ✗ not met, ? no evidence, – not applicable)",
                   [("Footprint", False)] + [(str(titles[i]), False) for i in ids],
                   data=league[["footprint", "name", *ids]], sortable=True)
    for r in records(league):
        matrix.add(Cell(r["name"], href=links.footprint(r["footprint"])),
                   *[rating_cell(r.get(i)) for i in ids])
    return {
        "title": "England", "links": links, "england": e, "horizon": horizon,
        "figures": [
            ("kf-england-gap", f"NHS do-nothing gap, {horizon}", money(e.get("england_gap")),
             "NHS England-funded sectors, cash"),
            ("kf-england-all", "All sectors", money(e.get("england_gap_all_sectors")),
             "with public health and adult social care"),
            ("kf-england-balance", "Average chance of balance",
             pct(e.get("probability_of_balance_mean")), "across footprints"),
            ("kf-england-ready", "Plans ready", f"{overall.get('ready', 0)} of {n}",
             "by the review's stated overall rule"),
        ],
        "charts": {c.id: c for c in chart_list}, "league": table, "matrix": matrix,
        "rules": list(zip(range(1, len(ids) + 1), records(rules), strict=True)),
    }


def _num(shown: str, value: object) -> Cell:
    """A number shown formatted and sorted by its value."""
    return Cell(shown, key="" if missing(value) else repr(float(value)))


def _england_map(results: Results, overall: dict, n: int) -> Chart:
    """The 2017 footprints as a choropleth; other sets (no outlines shipped) as readiness dots."""
    league = results.league
    if results.england.get("footprint_set", england_maps.SHAPES_SET) == england_maps.SHAPES_SET:
        shaded = england_maps.map_table(_with_per_head(league))
        return Chart(
            "map", "England's footprints, shaded by the review",
            lambda: england_maps.choropleth(shaded), shaded,
            f"Map of England's {n} footprints shaded by the number of rules not met (buttons "
            "switch to the do-nothing gap per head, the gap left per head, the chance of "
            f"balance and beds short); {overall.get('ready', 0)} ready, "
            f"{overall.get('not ready', 0)} not ready.",
            "Shades run from dark blue (low) to yellow (high); for the chance of balance yellow "
            "is low. Point at a footprint's centre for its name and figure. Thick white lines are "
            "England's regions.")
    cells = maps.readiness_cells(results.lsoa_points, league)
    return Chart("map", "Which footprints are ready", lambda: maps.readiness_map(cells), cells,
                 f"Map of England's footprints coloured by readiness: {overall.get('ready', 0)} "
                 f"ready in blue, {overall.get('not ready', 0)} not ready in orange.",
                 "Each square pools the small areas within about 4 km. Shades only tell "
                 "neighbouring footprints apart; point at a square for its footprint.")


def _with_per_head(league: pd.DataFrame) -> pd.DataFrame:
    """The league with gap and gap left per head (older results folders lack them)."""
    if "residual_per_head" in league:
        return league
    pop = league["footprint"].map(data.footprint_population(england_maps.SHAPES_SET, 2017))
    return league.assign(gap_per_head=league["gap"] / pop,
                         residual_per_head=league["residual_gap_mean"] / pop)


def footprint_page(fp: FootprintResults, links: Links, england: dict[str, Any],
                   plan: Plan | None = None) -> dict[str, Any]:
    """One footprint: money bridge, fan chart, schemes, beds, access, workforce, verdicts."""
    return {
        "title": fp.name, "links": links, "fp": fp, "plan": plan, "horizon": fp.horizon,
        "england": england,
        "overall": plain(fp.league.get("overall")), "reason": plain(fp.league.get("reason")),
        "figures": key_figures(fp.league, fp.horizon), "sections": SECTIONS,
        "do_minimum": do_minimum(fp.league),
        "charts": footprint_charts(fp), "tables": footprint_tables(fp, links, plan),
    }


def rules_page(results: Results, links: Links) -> dict[str, Any]:
    """The catalogue of readiness rules with their questions and sources."""
    rules = results.tables["rules"]
    passed = results.england.get("rules_passed", {})
    table = Table("rules-table", f"The {len(rules)} readiness rules", [
        ("Rule", False), ("Question", False), ("Source", False), ("Reads", False),
        ("Footprints met", True)], data=rules)
    for i, r in enumerate(records(rules), start=1):
        table.add(Cell(f"{i}. {r['title']}", sub=r["rule"]), plain(r["question"]),
                  plain(r["source"]), plain(r["reads"]),
                  f"{passed.get(r['rule'], 0)} of {len(results.league)}"
                  + (f" ({na} not applicable)" if (na := results.england.get(
                      "rules_not_applicable", {}).get(r["rule"], 0)) else ""))
    return {"title": "Rules", "links": links, "england": results.england, "table": table}


def assumptions_page(results: Results, links: Links) -> dict[str, Any]:
    """Every parameter the models used, with unit, range, status and source."""
    df = results.tables["assumptions"]
    table = Table("assumptions-all", f"All {len(df)} parameter values used", [
        ("Parameter", False), ("Year", False), ("Value", True), ("Unit", False),
        ("Range", True), ("Status", False), ("Source", False)], data=df)
    for a in records(df):
        table.add(Cell(a["path"], sub=plain(a["description"])), plain(a["year"]),
                  plain(a["value"]), plain(a["unit"]),
                  f"{plain(a['low'])}–{plain(a['high'])}" if not pd.isna(a["low"]) else "–",
                  plain(a["status"]), Cell(plain(a["source"]), cls="small"))
    return {"title": "Assumptions", "links": links, "england": results.england, "table": table}
