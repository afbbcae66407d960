"""A small, realistic SAMPLE results folder in the exact format ``openstp review --out`` writes.

Tests, benchmarks and demos use it to exercise the report, workbook and web app without running
the whole review chain. The gap, the parameter table, the rule catalogue and the map points are
real; the simulated delivery, beds, workforce, access and verdicts are invented but consistent
(bridges add up, England totals are the sums of the footprints). ``england.json`` says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openstp import data
from openstp._version import __version__
from openstp.folders import new_run_id, stamp
from openstp.gap import do_nothing_gap
from openstp.gap.sectors import NHS_SECTORS
from openstp.io import write_text_atomic, write_with
from openstp.params import builtin_parameters
from openstp.plan import Plan, dump_plan
from openstp.report.sample_plans import sample_plan
from openstp.review import CATALOGUE, Rating, Verdict, overall_readiness

DEFAULT_FOOTPRINTS = ("E54000005", "E54000030", "E54000036")
"""West Yorkshire (urban and rural), South East London (dense), Cornwall (rural)."""

DELIVERY = {"A": 0.9, "B": 0.75, "C": 0.55, "D": 0.4}
"""Sample share of planned savings delivered, by evidence grade."""

SERVICES = {"ed": 3, "stroke": 2, "maternity": 2}
"""Sample services and how many sites each footprint has for them."""

Z90 = 1.2815515655446004  # standard normal 90th percentile


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def write_sample_results(folder: str | Path, footprints: Sequence[str] = DEFAULT_FOOTPRINTS,
                         *, access_lsoa: bool = True, seed: int = 20160401) -> Path:
    """Write a sample results folder for ``footprints`` (stp2017 codes) and return its path."""
    folder = Path(folder)
    rng = np.random.default_rng(seed)
    params = builtin_parameters()
    gap = do_nothing_gap("stp2017")
    gap = gap[gap["footprint"].isin(footprints)].reset_index(drop=True)
    years = sorted(gap["year"].unique())
    base_year, horizon = years[0], years[-1]
    names = data.footprints("stp2017").set_index("code")
    nhs = gap[gap["sector"].isin(NHS_SECTORS)].groupby(["footprint", "year"])["gap"].sum()
    tables: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "league", "verdicts", "bridge", "residual", "schemes", "beds", "closures", "workforce",
        "access")}
    points = _lsoa_points()
    lsoa_minutes = []
    for code in footprints:
        plan = sample_plan(code, float(nhs[(code, horizon)]), base_year, horizon)
        dump_plan(plan, folder / "plans" / f"{code}.yaml")
        fp = {"footprint": code, "name": names.at[code, "name"],
              "region": names.at[code, "region_name"]}
        money = _money_tables(plan, nhs.loc[code], years, tables,
                              delivery=float(rng.uniform(0.9, 1.3)))
        beds = _beds_tables(plan, fp, years, rng, tables)
        fte = _workforce_table(code, years, rng, tables)
        minutes = _access_minutes(code, points, rng)
        lsoa_minutes.append(minutes)
        beyond = _access_table(code, minutes, tables)
        verdicts = _verdicts(code, money["p_balance"], rng, tables,
                             strict=footprints.index(code) % 4 == 0)
        overall, reason = overall_readiness(verdicts, params)
        tables["league"].append({
            **fp, "overall": overall, "reason": reason,
            **{v.rule: v.rating.value for v in verdicts},
            "gap": money["gap"], "residual_gap_mean": money["residual"],
            "probability_of_balance": money["p_balance"], "beds_gap": beds,
            "workforce_gap_fte": fte, "people_beyond_45min": beyond})
    frames = {k: pd.DataFrame(v) for k, v in tables.items()}
    frames["gap"] = gap
    frames["rules"] = pd.DataFrame([{"rule": r.id, "title": r.title, "question": r.question,
                                     "source": r.source, "reads": "; ".join(r.reads)}
                                    for r in CATALOGUE.values()])
    frames["assumptions"] = params.table()
    for name, df in frames.items():
        write_text_atomic(folder / f"{name}.csv", df.to_csv(index=False))
    write_with(folder / "lsoa_points.parquet", lambda p: points.to_parquet(p, index=False))
    if access_lsoa:
        detail = pd.concat(lsoa_minutes, ignore_index=True)
        write_with(folder / "access_lsoa.parquet", lambda p: detail.to_parquet(p, index=False))
    england = _england(frames, horizon, base_year, seed)
    write_text_atomic(folder / "england.json", json.dumps(england, indent=2) + "\n")
    stamp(folder, england["run_id"], "sample results")
    return folder


def _share(scheme: Any, delivery: float) -> float:
    return min(1.0, delivery * DELIVERY[scheme.evidence.grade.value if scheme.evidence else "D"])


def _money_tables(plan: Plan, nhs_gap: pd.Series, years: list[str],
                  tables: dict[str, list[dict[str, Any]]], delivery: float) -> dict[str, float]:
    """Schemes, bridge and residual fan; ``delivery`` scales every scheme's delivered share."""
    code, horizon = plan.footprint, years[-1]
    expected_by_type: dict[str, float] = {}
    variance = {}
    for s in plan.schemes:
        share = _share(s, delivery)
        planned = s.saving.get(horizon, 0.0)
        expected_by_type[s.type.value] = expected_by_type.get(s.type.value, 0.0) + planned * share
        variance[s.id] = (planned * (1 - share)) ** 2
        tables["schemes"].append({
            "footprint": code, "scheme": s.id, "name": s.name, "type": s.type.value,
            "owner": s.owner, "evidence_grade": s.evidence.grade.value if s.evidence else None,
            "planned": planned, "expected": planned * share})
    total_var = sum(variance.values()) or 1.0
    for row in tables["schemes"]:
        if row["footprint"] == code:
            row["variance_share"] = variance[row["scheme"]] / total_var
    gap = float(nhs_gap[horizon])
    investment = sum(s.investment.get(horizon, 0.0) + s.double_running.get(horizon, 0.0)
                     for s in plan.schemes)
    steps = [("do-nothing gap", gap)] + [(t, -v) for t, v in expected_by_type.items()]
    steps.append(("investment", investment))
    residual = sum(v for _, v in steps)
    steps.append(("residual gap", residual))
    tables["bridge"] += [{"footprint": code, "step": s, "amount": v} for s, v in steps]
    sd = 0.0
    for i, year in enumerate(years[1:], start=1):
        planned = sum(s.saving.get(year, 0.0) for s in plan.schemes)
        expected = sum(s.saving.get(year, 0.0) * _share(s, delivery) for s in plan.schemes)
        spend = sum(s.investment.get(year, 0.0) + s.double_running.get(year, 0.0)
                    for s in plan.schemes)
        mean = float(nhs_gap[year]) - expected + spend
        sd = 0.12 * planned * (1 + i / len(years))
        tables["residual"].append({"footprint": code, "year": year, "mean": mean,
                                   "p10": mean - Z90 * sd, "p50": mean - 0.05 * sd,
                                   "p90": mean + Z90 * sd})
    return {"gap": gap, "residual": residual, "p_balance": _phi(-residual / max(sd, 1.0))}


def _beds_tables(plan: Plan, fp: dict[str, str], years: list[str], rng: np.random.Generator,
                 tables: dict[str, list[dict[str, Any]]]) -> float:
    population = float(data.footprint_population("stp2017", 2017)[fp["footprint"]])
    base = population * 1.87 / 1000
    planned = base * 1.04
    for i, year in enumerate(years):
        planned += sum(c.change for c in plan.bed_changes if c.year == year)
        p50 = base * 1.012 ** i * (1 + rng.normal(0, 0.003))
        mean_occ = min(0.99, 0.87 * p50 / planned)
        winter = min(0.995, mean_occ + 0.045)
        tables["beds"].append({
            **fp, "year": year, "beds_planned": round(planned),
            "beds_required_p10": p50 * 0.96, "beds_required_p50": p50,
            "beds_required_p90": p50 * 1.045,
            "p_enough_beds": _phi((planned - p50) / (0.03 * p50)),
            "mean_occupancy": mean_occ, "winter_occupancy": winter,
            "days_above_92pct": 365 * _phi((mean_occ - 0.92) / 0.03),
            "days_above_95pct": 365 * _phi((mean_occ - 0.95) / 0.03),
            "p_no_bed_free_winter_day": _phi((winter - 0.97) / 0.02)})
        for change in (c for c in plan.bed_changes if c.year == year and c.change < 0):
            safe = tables["beds"][-1]["p_enough_beds"]
            meets = bool(change.conditions) and safe >= 0.8
            tables["closures"].append({
                "footprint": fp["footprint"], "id": change.id, "trust": change.trust,
                "year": year, "change": change.change,
                "conditions": "; ".join(c.condition.value for c in change.conditions),
                "probability_safe": safe, "verdict": "meets" if meets else "does not meet",
                "reason": "" if meets else f"beds left cover need in {safe:.0%} of futures"})
    last = tables["beds"][-1]
    return float(last["beds_required_p50"] - last["beds_planned"])


def _workforce_table(code: str, years: list[str], rng: np.random.Generator,
                     tables: dict[str, list[dict[str, Any]]]) -> float:
    population = float(data.footprint_population("stp2017", 2017)[code])
    total = 0.0
    for group, per_1000 in (("nurses_midwives", 5.5), ("doctors", 2.1), ("gps", 0.6),
                            ("social_care", 9.0)):
        base = population * per_1000 / 1000
        for i, year in enumerate(years):
            required = base * 1.015 ** i
            supply = base * (1 + rng.normal(0.004, 0.002)) ** i
            tables["workforce"].append({
                "footprint": code, "group": group, "year": year, "required": required,
                "supply_p10": supply * 0.97, "supply_p50": supply, "supply_p90": supply * 1.03,
                "shortfall_p50": max(required - supply, 0.0)})
        total += tables["workforce"][-1]["shortfall_p50"]
    return total


def _lsoa_points() -> pd.DataFrame:
    lsoas = data.lsoas()
    pop = data.lsoa_population(2017).sum(axis=1)
    return pd.DataFrame({"lsoa11cd": lsoas["lsoa11cd"], "footprint": lsoas["stp2017"],
                         "lon": lsoas["lon"], "lat": lsoas["lat"],
                         "population": lsoas["lsoa11cd"].map(pop).fillna(0).astype(int)})


def _access_minutes(code: str, points: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Minutes by road from each small area to its nearest site, before and after one closes."""
    mine = points[points["footprint"] == code].reset_index(drop=True)
    frames = []
    for service, n_sites in SERVICES.items():
        sites = mine.sample(n=n_sites, random_state=int(rng.integers(1 << 31)))
        km = np.stack([_km(mine["lon"], mine["lat"], s.lon, s.lat) for s in sites.itertuples()])
        before = 8 + km.min(axis=0) * 1.35 * 60 / 55
        after = 8 + km[1:].min(axis=0) * 1.35 * 60 / 55 if service == "ed" else before
        frames.append(pd.DataFrame({
            "lsoa11cd": mine["lsoa11cd"], "footprint": code, "service": service,
            "lon": mine["lon"], "lat": mine["lat"], "minutes_before": before.round(1),
            "minutes_after": after.round(1), "population": mine["population"]}))
    return pd.concat(frames, ignore_index=True)


def _km(lon: pd.Series, lat: pd.Series, lon0: float, lat0: float) -> np.ndarray:
    dx = (lon.to_numpy() - lon0) * 111.32 * math.cos(math.radians(lat0))
    dy = (lat.to_numpy() - lat0) * 110.57
    return np.hypot(dx, dy)


def _access_table(code: str, minutes: pd.DataFrame,
                  tables: dict[str, list[dict[str, Any]]]) -> float:
    lsoas = data.lsoas().set_index("lsoa11cd")
    m = minutes.join(lsoas[["imd2019_decile", "rural"]], on="lsoa11cd")
    groups = {"all": m.index == m.index}
    for q in range(1, 6):
        groups[f"IMD quintile {q}"] = ((m["imd2019_decile"] + 1) // 2 == q).to_numpy()
    groups["urban"] = ~m["rural"].to_numpy(dtype=bool)
    groups["rural"] = m["rural"].to_numpy(dtype=bool)
    beyond_all = 0.0
    for service in SERVICES:
        for group, mask in groups.items():
            g = m[mask & (m["service"] == service).to_numpy()]
            w = g["population"]
            people = float(w.sum())
            beyond_after = float(w[g["minutes_after"] > 45].sum())
            tables["access"].append({
                "footprint": code, "service": service, "group": group, "people": people,
                "mean_minutes_before": float((g["minutes_before"] * w).sum() / max(people, 1)),
                "mean_minutes_after": float((g["minutes_after"] * w).sum() / max(people, 1)),
                "people_beyond_45min_before": float(w[g["minutes_before"] > 45].sum()),
                "people_beyond_45min_after": beyond_after})
            if group == "all":
                beyond_all = max(beyond_all, beyond_after)
    return beyond_all


def _verdicts(code: str, p_balance: float, rng: np.random.Generator,
              tables: dict[str, list[dict[str, Any]]], strict: bool) -> list[Verdict]:
    """Invented verdicts; every fourth footprint gets a ready-looking set so both outcomes show."""
    verdicts = []
    odds = [0.9, 0.1, 0.0, 0.0] if strict else [0.45, 0.3, 0.15, 0.1]
    for rule in CATALOGUE.values():
        if rule.id == "lsbu.funding":
            rating = Rating.met if p_balance >= 0.6 or strict else (
                Rating.partly if p_balance >= 0.3 else Rating.not_met)
            text = f"P(balance) = {p_balance:.0%} (sample)."
        else:
            rating = Rating(rng.choice(list(Rating), p=odds))
            text = f"Sample verdict on “{rule.title.lower()}”: {rating.value.replace('_', ' ')}."
        verdicts.append(Verdict(rule.id, rating, text))
        tables["verdicts"].append({"footprint": code, "rule": rule.id, "rating": rating.value,
                                   "explanation": text})
    return verdicts


def _england(frames: dict[str, pd.DataFrame], horizon: str, base_year: str,
             seed: int) -> dict[str, Any]:
    gap, league = frames["gap"], frames["league"]
    at_horizon = gap[gap["year"] == horizon]
    return {
        "footprint_set": "stp2017", "base_year": base_year, "horizon": horizon,
        "draws": 1000, "seed": seed, "openstp_version": __version__, "run_id": new_run_id(),
        "generated": "2017-03-31T12:00:00+00:00",
        "england_gap": float(at_horizon.loc[at_horizon["sector"].isin(NHS_SECTORS), "gap"].sum()),
        "england_gap_all_sectors": float(at_horizon["gap"].sum()),
        "probability_of_balance_mean": float(league["probability_of_balance"].mean()),
        "plans": "illustrative built-in plans derived from national published aggregates",
        "rules_passed": {r: int((league[r] == "met").sum()) for r in frames["rules"]["rule"]},
        "overall": {k: int((league["overall"] == k).sum()) for k in ("ready", "not ready")},
        "notes": [("SAMPLE results written by openstp.report.sample for tests and demos: the gap "
                   "is the real do-nothing gap; delivery, beds, workforce, access and verdicts "
                   "are invented.")],
    }
