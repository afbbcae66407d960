"""A footprint page's charts (each with its data and alt text) and tables."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache

import pandas as pd

from openstp import data
from openstp.plan import Plan
from openstp.report import charts, england_maps, maps
from openstp.report.blocks import Cell, Chart, Links, Table, records
from openstp.report.fmt import (
    RATING_SYMBOLS,
    count,
    missing,
    money,
    pct,
    plain,
    rating,
    signed,
    words,
)
from openstp.report.results import FootprintResults


def rating_cell(value: object) -> Cell:
    """A rating as its symbol, with the words for screen readers and a colour class."""
    key = plain(value)
    order = list(RATING_SYMBOLS).index(key) if key in RATING_SYMBOLS else len(RATING_SYMBOLS)
    return Cell(RATING_SYMBOLS.get(key, "–"), cls=f"rating rating-{key}", sr=rating(value),
                key=str(order))


def key_assumptions(assumptions: pd.DataFrame, plan: Plan | None) -> pd.DataFrame:
    """The uncertain assumptions (single numbers with a published range) and the plan's own.

    Columns: path, value (central), unit, low, high, plan_value, source, description.
    """
    single = assumptions[assumptions["year"].isna()]
    own = dict(plan.assumptions) if plan else {}
    keep = single[single["low"].notna() | single["path"].isin(list(own))].copy()
    keep["plan_value"] = keep["path"].map(own)
    return keep[["path", "value", "unit", "low", "high", "plan_value", "source",
                 "description"]].reset_index(drop=True)


def _last(df: pd.DataFrame) -> pd.Series | None:
    return None if df.empty else df.iloc[-1]


def _alt_bridge(bridge: pd.DataFrame) -> str:
    if bridge.empty:
        return "No bridge in these results."
    steps = bridge.iloc[1:-1]
    saved = -steps.loc[steps["amount"] < 0, "amount"].sum()
    added = steps.loc[steps["amount"] > 0, "amount"].sum()
    return (f"Waterfall chart: do-nothing gap {money(bridge['amount'].iloc[0])}; schemes are "
            f"expected to save {money(saved)} across {len(steps)} steps; investment adds "
            f"{money(added)}; residual gap {money(bridge['amount'].iloc[-1])}.")


def _alt_fan(residual: pd.DataFrame) -> str:
    last = _last(residual)
    if last is None:
        return "No residual gap in these results."
    return (f"Fan chart of the residual gap by year; in {last['year']} the median is "
            f"{money(last['p50'])}, with 80% of simulated futures between {money(last['p10'])} "
            f"and {money(last['p90'])}.")


def _alt_schemes(schemes: pd.DataFrame) -> str:
    if schemes.empty:
        return "No schemes."
    top = schemes.sort_values("variance_share").iloc[-1]
    return (f"Bar chart of {len(schemes)} schemes' share of the variance of savings; the largest "
            f"is {top['name']} with {pct(top['variance_share'])}.")


def _alt_beds(beds: pd.DataFrame) -> str:
    last = _last(beds)
    if last is None:
        return "No beds in these results."
    return (f"Line chart of beds needed and planned by year; in {last['year']} "
            f"{count(last['beds_required_p50'])} beds are needed (median) and "
            f"{count(last['beds_planned'])} planned; enough beds in "
            f"{pct(last['p_enough_beds'])} of futures.")


def _baseline_note(beds: pd.DataFrame) -> str:
    """Where the base-year beds came from: the trusts' own returns, or apportioned."""
    if beds.empty or "baseline_detail" not in beds:
        return ""
    return f"Base-year beds: {plain(beds['baseline_detail'].iloc[0])}."


def _beyond_30km_note(access: pd.DataFrame) -> str:
    """The share of each service's users beyond 30 km straight-line, before and after."""
    if access.empty or "share_beyond_30km_after" not in access:
        return ""
    rows = access[access["group"] == "all"]
    return " ".join(f"{words(r['service'])}: {pct(r['share_beyond_30km_before'], 1)} of users "
                    f"beyond 30 km before, {pct(r['share_beyond_30km_after'], 1)} after."
                    for r in records(rows))


def _alt_occupancy(beds: pd.DataFrame) -> str:
    last = _last(beds)
    if last is None:
        return "No occupancy in these results."
    return (f"Line chart of bed occupancy by year; in {last['year']} beds are "
            f"{pct(last['mean_occupancy'], 1)} full on average and "
            f"{pct(last['winter_occupancy'], 1)} in winter.")


def _alt_access(access: pd.DataFrame) -> str:
    rows = access[access["group"] == "all"]
    if rows.empty:
        return "No access results."
    parts = [f"{words(r.service)} {signed(r.mean_minutes_after - r.mean_minutes_before)} minutes"
             for r in rows.itertuples()]
    return "Bar chart of the change in average travel minutes by group; for everyone: " + \
        "; ".join(parts) + "."


def _alt_workforce(workforce: pd.DataFrame) -> str:
    if workforce.empty:
        return "No workforce results."
    last = workforce[workforce["year"] == workforce["year"].max()]
    return (f"Bar chart of staff required and supplied in {last['year'].iloc[0]}: "
            f"{count(last['required'].sum())} FTE required, {count(last['supply_p50'].sum())} "
            f"supplied (median), {count(last['shortfall_p50'].sum())} short.")


def _sites(points: pd.DataFrame | None) -> pd.DataFrame | None:
    """The sites the footprint's areas go to before or after, per service: a site that no area
    goes to afterwards has closed or been downgraded."""
    if points is None or points.empty or "site_after" not in points:
        return None
    where = _site_places()
    rows = []
    for service, p in points.groupby("service", sort=False):
        after = set(p["site_after"])
        for site in sorted(set(p["site_before"]) | after):
            if site in where:
                name, lon, lat = where[site]
                rows.append({"site_id": site, "name": name, "service": service, "lon": lon,
                             "lat": lat, "closed": site not in after})
    return pd.DataFrame(rows) if rows else None


@cache
def _site_places() -> dict[str, tuple[str, float, float]]:
    """Service site id → (name, longitude, latitude), from the built-in site table."""
    sites = data.columns("service_sites")
    places: dict[str, tuple[str, float, float]] = {}
    for site, name, lon, lat in zip(sites["site_id"], sites["name"], sites["lon"], sites["lat"],
                                    strict=True):
        places.setdefault(site, (name, lon, lat))
    return places


def footprint_charts(fp: FootprintResults) -> dict[str, Chart]:
    """Every chart of a footprint page, keyed by id (figures are drawn only when needed)."""
    horizon, points, outline = fp.horizon, fp.access_points, fp.points
    bridge, residual, schemes = fp.table("bridge"), fp.table("residual"), fp.table("schemes")
    beds, access, workforce, gap = (fp.table(n) for n in ("beds", "access", "workforce", "gap"))
    has_minutes = points is not None and not points.empty
    shapes = fp.footprint_set == england_maps.SHAPES_SET  # outlines ship for 2017 only
    out = [
        Chart("bridge", f"From the do-nothing gap to the gap left, {horizon}",
              lambda: charts.bridge_chart(bridge), bridge, _alt_bridge(bridge)),
        Chart("fan", "The gap left after the plan, by year", lambda: charts.fan_chart(residual),
              residual, _alt_fan(residual),
              "Below zero the footprint is in balance. The band holds 80% of simulated futures."),
        Chart("scheme-risk", "Which schemes carry the risk",
              lambda: charts.scheme_risk_chart(schemes), schemes, _alt_schemes(schemes),
              "Share of the variance of total savings that each scheme contributes; the "
              "evidence grade (A strongest, D weakest) is in brackets."),
        Chart("scheme-delivery", f"Savings planned and expected, {horizon}",
              lambda: charts.scheme_delivery_chart(schemes), schemes,
              f"Bar chart of each scheme's planned and expected saving in {horizon}; in total "
              f"{money(schemes['planned'].sum())} planned and "
              f"{money(schemes['expected'].sum())} expected.",
              "Expected is the mean saving over the simulated futures."),
        Chart("beds", "Beds needed and beds planned", lambda: charts.beds_chart(beds), beds,
              _alt_beds(beds), _baseline_note(beds)),
        Chart("occupancy", "How full the beds are, on average and in winter",
              lambda: charts.occupancy_chart(beds), beds, _alt_occupancy(beds)),
        *([Chart("locator", "Where the footprint is", lambda: england_maps.locator(fp.code),
                 pd.DataFrame({"footprint": [fp.code], "name": [fp.name]}),
                 f"Map of England's 44 footprints with {fp.name} highlighted in blue.")]
          if shapes else []),
        Chart("access-map", "Minutes to each service after the plan" if has_minutes else
              "Where the footprint's people live",
              lambda: maps.access_map(points, outline,
                                      england_maps.outline(fp.code) if shapes else None,
                                      _sites(points)),
              points if has_minutes else outline,
              "Map of the footprint's small areas coloured by travel minutes to the nearest "
              "site after the plan's changes, inside the footprint's boundary, with the sites "
              "open (circles) and closed or downgraded (crosses); ringed areas are those whose "
              "patients would go to another site, ringed in that site's colour. Choose the "
              "service with the buttons."
              if has_minutes else
              "Map of the footprint's small areas (travel minutes per area are not in these "
              "results).", "Each dot is a small area (LSOA) at its population-weighted centre."),
        Chart("access", "Who travels further", lambda: charts.access_chart(access), access,
              _alt_access(access), _beyond_30km_note(access)),
        Chart("workforce", "Staff required and supplied",
              lambda: charts.workforce_chart(workforce), workforce, _alt_workforce(workforce)),
        Chart("gap-sectors", "The do-nothing gap by sector", lambda: charts.gap_sector_chart(gap),
              gap, f"Stacked bar chart of the do-nothing gap by sector and year; in {horizon} it "
              f"is {money(gap.loc[gap['year'] == horizon, 'gap'].sum())} across all sectors.",
              "Public health and adult social care are funded by councils, the rest by the NHS."),
    ]
    return {c.id: c for c in out}


def _deaths(row: dict) -> Cell:
    """The extra-deaths estimate, marked when journeys go beyond the study's distances."""
    value = row.get("extra_deaths_estimate")
    if missing(value):
        return Cell("–", numeric=True)
    capped = row.get("deaths_capped") is True or str(row.get("deaths_capped")) == "True"
    return Cell(count(value, 1), numeric=True, cls="capped" if capped else "",
                sub=(f"capped: {count(row.get('people_beyond_deaths_evidence'))} residents "
                     "beyond the distances Nicholl et al. (2007) studied") if capped else "")


def footprint_tables(fp: FootprintResults, links: Links, plan: Plan | None,
                     only: Collection[str] | None = None) -> dict[str, Table]:
    """Every table of a footprint page (or only those with the ids in ``only``), keyed by id."""
    builders: dict[str, Callable[[], Table | None]] = {
        "verdicts": lambda: _verdicts(fp), "schemes": lambda: _schemes(fp),
        "closures": lambda: _closures(fp), "beds-table": lambda: _beds(fp),
        "equity": lambda: _equity(fp), "workforce-table": lambda: _staff(fp),
        "assumptions-table": lambda: _assumptions(fp, plan), "takes": lambda: takes_table(fp)}
    found = {i: build() for i, build in builders.items() if only is None or i in only}
    return {i: tb for i, tb in found.items() if tb is not None}


def _verdicts(fp: FootprintResults) -> Table:
    rules: dict[str, dict] = {}
    for r in records(fp.rules):
        rules.setdefault(r["rule"], r)
    verdicts = Table("verdicts", f"Readiness verdicts for {fp.name}", [
        ("Rule", False), ("Verdict", False), ("Why", False), ("Source", False)],
        data=fp.table("verdicts"))
    for v in records(fp.table("verdicts")):
        info = rules.get(v["rule"])
        title = info["title"] if info is not None else v["rule"]
        verdicts.add(Cell(title, sub=v["rule"]),
                     Cell(rating(v["rating"]), cls=f"rating rating-{v['rating']}"),
                     plain(v["explanation"]),
                     Cell(plain(info["source"] if info is not None else ""), cls="small"))
    return verdicts


def _schemes(fp: FootprintResults) -> Table:
    schemes = Table("schemes", f"Schemes and their simulated delivery, {fp.horizon}", [
        ("Scheme", False), ("Type", False), ("Owner", False), ("Evidence", False),
        ("Planned", True), ("Expected", True), ("Share of variance", True)],
        data=fp.table("schemes"))
    for s in records(fp.table("schemes")):
        schemes.add(plain(s["name"]), words(s["type"]), plain(s["owner"]),
                    plain(s["evidence_grade"]), money(s["planned"]), money(s["expected"]),
                    pct(s["variance_share"]))
    return schemes


def _closures(fp: FootprintResults) -> Table:
    closures = Table("closures", "Bed closures and NHS England's bed test", [
        ("Closure", False), ("Trust", False), ("Year", False), ("Beds", True),
        ("Conditions claimed", False), ("Chance safe", True), ("Verdict", False),
        ("Reason", False)], data=fp.table("closures"))
    for c in records(fp.table("closures")):
        closures.add(plain(c["id"]), plain(c["trust"]), plain(c["year"]), count(c["change"]),
                     words(c["conditions"]), pct(c["probability_safe"]), plain(c["verdict"]),
                     plain(c["reason"]))
    return closures


def _beds(fp: FootprintResults) -> Table:
    beds = Table("beds-table", "Beds and winter pressure by year", [
        ("Year", False), ("Planned", True), ("Needed (P10–P90)", True), ("Enough beds", True),
        ("Average full", True), ("Winter full", True), ("Days above 95%", True)],
        data=fp.table("beds"))
    for b in records(fp.table("beds")):
        beds.add(b["year"], count(b["beds_planned"]),
                 f"{count(b['beds_required_p50'])} ({count(b['beds_required_p10'])}–"
                 f"{count(b['beds_required_p90'])})", pct(b["p_enough_beds"]),
                 pct(b["mean_occupancy"], 1), pct(b["winter_occupancy"], 1),
                 count(b["days_above_95pct"]))
    return beds


def _equity(fp: FootprintResults) -> Table:
    equity = Table("equity", "Access and equity: average minutes and people beyond 45 minutes", [
        ("Service", False), ("Group", False), ("People", True), ("Minutes before", True),
        ("Minutes after", True), ("Beyond 45 min before", True), ("Beyond 45 min after", True),
        ("Extra deaths a year (estimate)", True)], data=fp.table("access"))
    for a in records(fp.table("access")):
        equity.add(words(a["service"]), plain(a["group"]), count(a["people"]),
                   count(a["mean_minutes_before"], 1), count(a["mean_minutes_after"], 1),
                   count(a["people_beyond_45min_before"]), count(a["people_beyond_45min_after"]),
                   _deaths(a))
    return equity


def _staff(fp: FootprintResults) -> Table:
    staff = Table("workforce-table", "Staff shortfall (median, FTE) by group and year", [
        ("Group", False), ("Year", False), ("Required", True), ("Supplied (P10–P90)", True),
        ("Short", True)], data=fp.table("workforce"))
    for w in records(fp.table("workforce")):
        staff.add(words(w["group"]), w["year"], count(w["required"]),
                  f"{count(w['supply_p50'])} ({count(w['supply_p10'])}–"
                  f"{count(w['supply_p90'])})", count(w["shortfall_p50"]))
    return staff


def _assumptions(fp: FootprintResults, plan: Plan | None) -> Table:
    keys = key_assumptions(fp.assumptions, plan)
    assumptions = Table("assumptions-table", "Key assumptions: the uncertain numbers, and any the "
                        "plan sets itself", [("Parameter", False), ("Used", True),
                                             ("Central", True), ("Range", True), ("Unit", False),
                                             ("Source", False)], data=keys)
    for a in records(keys):
        used = a["plan_value"] if pd.notna(a["plan_value"]) else a["value"]
        assumptions.add(Cell(a["path"], sub=plain(a["description"])),
                        Cell(plain(used), cls="plan-value" if pd.notna(a["plan_value"]) else ""),
                        plain(a["value"]),
                        f"{plain(a['low'])}–{plain(a['high'])}" if pd.notna(a["low"]) else "–",
                        plain(a["unit"]), Cell(plain(a["source"]), cls="small"))
    return assumptions


def takes_table(fp: FootprintResults) -> Table | None:
    """What it would take to balance (extra funding and extra years for P(balance) 50% and
    80%), from the league row; None for a results folder written before it was there."""
    row = fp.league
    if "extra_funding_p50" not in row:
        return None
    data = pd.DataFrame([{"target": t, "extra_funding": row[f"extra_funding_{k}"],
                          "extra_funding_error": row[f"extra_funding_{k}_error"],
                          "extra_funding_share": row[f"extra_funding_{k}_share"],
                          "extra_years": row[f"extra_years_{k}"]}
                         for t, k in ((0.5, "p50"), (0.8, "p80"))])
    table = Table("takes", f"What it would take to balance in {fp.horizon}", [
        ("Chance of balancing", False), ("Extra recurrent funding", True),
        ("± Monte Carlo error", True), ("Share of allocation", True),
        ("Or extra years at the planned pace", True)], data=data)
    for r in records(data):
        table.add(pct(r["target"]), money(r["extra_funding"]), money(r["extra_funding_error"]),
                  pct(r["extra_funding_share"], 1),
                  "never" if pd.isna(r["extra_years"]) else count(r["extra_years"], 1))
    return table
