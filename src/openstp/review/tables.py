"""The review's results folder: the league table and every model's tables, as CSV and JSON.

This folder is the contract with the report, the workbook and the web app: they read it, so a
review can be published, shared and diffed without being run again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openstp import data
from openstp._version import __version__
from openstp.folders import atomic_folder, new_run_id, stamp
from openstp.output import check_finite, dumps
from openstp.plan import plan_to_yaml_str
from openstp.review.rules_mtpf import catalogue_for
from openstp.risk.takes import funding_and_years_table
from openstp.workforce import GROUPS

BUILTIN = ("built-in plans: what was reported about each STP (site changes, bed cuts, leads), "
           "with illustrative savings derived from national published aggregates")
PARQUETS = ("lsoa_points", "access_lsoa")
POPULATION_YEAR = 2017
"""Mid-2017 residents, the estimate nearest the plans, for the league's per-head figures."""
TAKES_COLUMNS = tuple(f"{lever}_{key}{end}" for key in ("p50", "p80")
                      for lever, ends in (("extra_funding", ("", "_error", "_share")),
                                          ("extra_years", ("",))) for end in ends)
"""What it would take (``risk.takes``), in each league row and England's summary: the extra
funding (± error, share of allocation) and extra years for P(balance) 50% and 80%."""


@dataclass
class NationalTables:
    """Every table of the results folder, plus England's summary."""

    england: dict[str, Any]
    frames: dict[str, pd.DataFrame]

    def write(self, out: Path, plans) -> Path:
        """Write the folder: ``<name>.csv`` per table, ``england.json``, ``plans/*.yaml`` and
        ``run.json``, all at once (``openstp.folders``): a killed run leaves the old folder.

        Plans saved into ``plans/`` since the last review (what-ifs) are kept."""
        out = Path(out)
        with atomic_folder(out, keep=("plans",)) as tmp:
            for name, frame in self.frames.items():
                check_finite(frame, str(out / name))
                if name in PARQUETS:
                    frame.to_parquet(tmp / f"{name}.parquet", index=False)
                else:
                    (tmp / f"{name}.csv").write_text(frame.to_csv(index=False), encoding="utf-8")
            (tmp / "england.json").write_text(dumps(self.england, str(out / "england.json")),
                                              encoding="utf-8")
            (tmp / "plans").mkdir()
            for plan, code in zip(plans, self.frames["league"]["footprint"], strict=True):
                (tmp / "plans" / f"{code}.yaml").write_text(plan_to_yaml_str(plan),
                                                            encoding="utf-8")
            stamp(tmp, self.england["run_id"], "openstp review")
        return out


def national_tables(run) -> NationalTables:
    """Shape a ``ChainRun`` into the results-folder tables."""
    names = data.footprints(run.plans[0].footprint_set).set_index("code")
    horizon = run.plans[0].horizon
    summary = run.risk.summary().set_index("footprint")
    takes = funding_and_years_table(run.risk.inputs, run.risk.run.residual[1:]).set_index(
        "footprint")
    capacity = run.beds.capacity
    at_horizon = capacity[capacity["year"] == horizon].set_index("footprint")
    verdict_rows, league_rows = [], []
    population = data.footprint_population(run.plans[0].footprint_set, POPULATION_YEAR)
    for code in run.codes:
        review = run.reviews[code]
        for v in review.verdicts:
            verdict_rows.append({"footprint": code, "rule": v.rule, "rating": v.rating.value,
                                 "explanation": v.explanation})
        wf = run.workforce[code].table
        wf_h = wf[wf["year"] == horizon]
        access = _access_moved(run.access[code])
        league_rows.append({
            "footprint": code, "name": names.at[code, "name"],
            "region": names.at[code, "region_name"], "overall": review.overall,
            "reason": review.reason,
            **{v.rule: v.rating.value for v in review.verdicts},
            "gap": float(summary.at[code, "gap"]),
            "residual_gap_mean": float(summary.at[code, "residual_mean"]),
            "probability_of_balance": float(summary.at[code, "probability_of_balance"]),
            "probability_of_balance_se": float(summary.at[code, "standard_error"]),
            "beds_planned": float(at_horizon.at[code, "beds_planned"]),
            "beds_gap": float(at_horizon.at[code, "beds_required_p50"]
                              - at_horizon.at[code, "beds_planned"]),
            "workforce_gap_fte": float(np.maximum(wf_h["gap"], 0).sum()),
            "people_beyond_45min": access,
            "population": float(population.get(code, np.nan)),
            **_money(run, code),
            **{c: float(takes.at[code, c]) for c in TAKES_COLUMNS},
        })
    league = pd.DataFrame(league_rows)
    league["gap_per_head"] = league["gap"] / league["population"]
    league["residual_per_head"] = league["residual_gap_mean"] / league["population"]
    frames = {
        "league": league,
        "verdicts": pd.DataFrame(verdict_rows),
        "rules": pd.DataFrame([{"rule": r.id, "title": r.title, "short_title": r.short,
                                "question": r.question,
                                "source": r.source, "reads": "; ".join(r.reads)}
                               for r in catalogue_for(run.plans[0].footprint_set).values()]),
        "assumptions": run.params.table(),
        "gap": run.gap_frame,
        "bridge": _bridge(run, summary),
        "residual": run.risk.residual()[lambda d: d["footprint"].isin(run.codes)][
            ["footprint", "year", "residual_mean", "residual_p10", "residual_p50",
             "residual_p90"]].rename(columns=lambda c: c.replace("residual_", "")),
        "schemes": _schemes(run),
        "beds": capacity,
        "closures": run.beds.closures,
        "workforce": _workforce(run),
        "access": _access_table(run),
        "lsoa_points": _lsoa_points(run),
    }
    detail = _access_lsoa(run)
    if detail is not None:
        frames["access_lsoa"] = detail
    if getattr(run, "sensitivity", None) is not None:
        frames["sensitivity"] = run.sensitivity
    england = _england(run, league, summary)
    england["what_it_takes"] = {c: float(takes.at["england", c]) for c in TAKES_COLUMNS}
    return NationalTables(england, frames)


MONEY = ("opening_position", "opening_method", "template_gap", "do_minimum_gap",
         "do_minimum_gap_planning", "basis")
"""The gap's own figures each league row carries (``openstp.gap.summary``)."""


def _money(run, code: str) -> dict[str, Any]:
    """One footprint's opening position, template and do-minimum gaps and basis (if known)."""
    if run.gap_summary is None:
        return {}
    row = run.gap_summary.set_index("footprint").loc[code]
    return {k: (row[k] if isinstance(row[k], str) else float(row[k])) for k in MONEY}


def _bridge(run, summary: pd.DataFrame) -> pd.DataFrame:
    """Do-nothing gap → its own uncertainty (mean over the draws less the central gap) →
    expected saving by scheme type → investment → residual gap (mean); ``summary`` is the risk
    summary by footprint."""
    by_type = run.risk.by_type()
    summary = summary.loc[run.codes]
    cost = run.risk.schemes().groupby("footprint")["expected_cost"].sum()
    steps = by_type[by_type["footprint"].isin(run.codes)]
    n = len(run.codes)
    # built as arrays with one constructor call (frame by frame is slow), then put in
    # footprint order and step order; the sort is stable, so types keep by_type's order
    footprint = np.concatenate([np.repeat(np.array(run.codes, object), 4),
                                steps["footprint"].to_numpy(object)])
    step = np.concatenate([np.tile(np.array(["do-nothing gap", "gap uncertainty", "investment",
                                             "residual gap"], object), n),
                           steps["type"].str.replace("_", " ").to_numpy(object)])
    amount = np.concatenate([
        np.column_stack([summary["gap"].to_numpy(float),
                         (summary["gap_mean"] - summary["gap"]).to_numpy(float),
                         cost.reindex(run.codes, fill_value=0.0).to_numpy(float),
                         summary["residual_mean"].to_numpy(float)]).ravel(),
        -steps["expected_saving"].to_numpy(float)])
    order = np.concatenate([np.tile([0, 1, 3, 4], n), np.full(len(steps), 2)])
    index = {c: i for i, c in enumerate(run.codes)}
    rank = np.array([index[c] for c in footprint])
    rows = np.lexsort((order, rank))
    return pd.DataFrame({"footprint": footprint[rows], "step": step[rows],
                         "amount": amount[rows]})


def _schemes(run) -> pd.DataFrame:
    schemes = run.risk.schemes()
    schemes = schemes[schemes["footprint"].isin(run.codes)]
    return pd.DataFrame({
        "footprint": schemes["footprint"], "scheme": schemes["scheme"], "name": schemes["name"],
        "type": schemes["type"], "owner": schemes["owner"],
        "evidence_grade": schemes["grade"], "planned": schemes["planned_saving"],
        "expected": schemes["expected_saving"], "variance_share": schemes["variance_share"],
    }).reset_index(drop=True)


def _workforce(run) -> pd.DataFrame:
    """Staff required and expected supply per group and year; supply quantiles over draws."""
    frames = []
    for code in run.codes:
        result = run.workforce[code]
        t = result.table
        wf = result.run
        supply = wf.supply[1:, wf.footprints.index(code)]  # (draw, group, year), random draws
        q = np.quantile(supply, [0.1, 0.5, 0.9], axis=0)  # (3, group, year)
        g = t["group"].map({name: i for i, name in enumerate(GROUPS)}).to_numpy()
        y = t["year"].map({name: i for i, name in enumerate(wf.years)}).to_numpy()
        frames.append(pd.DataFrame({
            "footprint": code, "group": t["group"], "year": t["year"],
            "required": t["required"], "supply": t["supply"],
            "supply_p10": q[0, g, y], "supply_p50": q[1, g, y], "supply_p90": q[2, g, y],
            "gap": t["gap"], "gap_p10": t["gap_p10"], "gap_p90": t["gap_p90"],
            "shortfall_p50": np.maximum(t["gap"], 0), "agency_cost": t["agency_cost"]}))
    return pd.concat(frames, ignore_index=True)


def _access_moved(access: dict[str, dict]) -> float:
    moved = 0.0
    for result in access.values():
        s = result["summary"].set_index("group")
        moved = max(moved, float(s.at["all", "beyond_45min_after"]
                                 - s.at["all", "beyond_45min_before"]))
    return moved


def _access_table(run) -> pd.DataFrame:
    frames = []
    for code in run.codes:
        for service, result in run.access[code].items():
            s = result["summary"]
            frames.append(pd.DataFrame({
                "footprint": code, "service": service, "group": s["group"], "people": s["users"],
                "mean_minutes_before": s["mean_minutes_before"],
                "mean_minutes_after": s["mean_minutes_after"],
                "people_beyond_45min_before": s["beyond_45min_before"],
                "people_beyond_45min_after": s["beyond_45min_after"],
                "extra_deaths_estimate": s.get("extra_deaths_estimate"),
                **_deaths_flag(result["headline"])}))
    columns = ["footprint", "service", "group", "people", "mean_minutes_before",
               "mean_minutes_after", "people_beyond_45min_before", "people_beyond_45min_after",
               "extra_deaths_estimate", "people_beyond_deaths_evidence", "deaths_capped",
               "share_beyond_30km_before", "share_beyond_30km_after"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _deaths_flag(headline: dict) -> dict[str, Any]:
    """Whether the deaths estimate is capped (journeys beyond the study's), and the 30 km shares."""
    deaths = headline.get("extra_deaths_estimate") or {}
    return {"people_beyond_deaths_evidence": float(deaths.get("people_beyond_study_range", 0.0)),
            "deaths_capped": bool(deaths.get("capped", False)),
            "share_beyond_30km_before": headline["share_beyond_30km"],
            "share_beyond_30km_after": headline["share_beyond_30km_after"]}


def _access_lsoa(run) -> pd.DataFrame | None:
    """Every changed footprint's small areas per service: site and minutes before and after."""
    frames = [result["lsoas"].assign(footprint=code, service=service)
              for code in run.codes for service, result in run.access[code].items()
              if "lsoas" in result]
    if not frames:
        return None
    detail = pd.concat(frames, ignore_index=True)
    footprint_set = run.plans[0].footprint_set
    points = _points_of(footprint_set)
    at = _places(footprint_set).get_indexer(detail["lsoa11cd"])
    found = at >= 0
    for column in ("lon", "lat"):  # as a left merge on the area code: NaN where none
        detail[column] = np.where(found, points[column].to_numpy(float)[at], np.nan)
    return detail[["lsoa11cd", "footprint", "service", "lon", "lat", "users", "site_before",
                   "site_after", "minutes_before", "minutes_after"]]


def _lsoa_points(run) -> pd.DataFrame:
    return _points_of(run.plans[0].footprint_set).copy()


@lru_cache(maxsize=8)  # reference data only: every run of a set writes the same table
def _points_of(footprint_set: str) -> pd.DataFrame:
    lsoas = data.lsoas()
    return pd.DataFrame({"lsoa11cd": lsoas["lsoa11cd"], "footprint": lsoas[footprint_set],
                         "lon": lsoas["lon"].round(5), "lat": lsoas["lat"].round(5)})


@lru_cache(maxsize=8)  # reference data only; an Index is immutable
def _places(footprint_set: str) -> pd.Index:
    """Row of each area code in ``_points_of(footprint_set)``."""
    return pd.Index(_points_of(footprint_set)["lsoa11cd"])


def _england(run, league: pd.DataFrame, summary: pd.DataFrame) -> dict[str, Any]:
    gap = run.gap_frame[run.gap_frame["year"] == run.plans[0].horizon]
    illustrative = all(p.illustrative for p in run.plans)
    rules = catalogue_for(run.plans[0].footprint_set)
    # a rule a footprint lacks is NaN, "nan" as text: one pattern, as drop_duplicates counts it
    ratings = league[list(rules)].to_numpy(object)
    return {
        "footprint_set": run.plans[0].footprint_set, "base_year": run.plans[0].base_year,
        "horizon": run.plans[0].horizon, "draws": run.draws, "seed": run.seed,
        "openstp_version": __version__, "run_id": new_run_id(),
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "footprints": len(run.codes),
        "england_gap": float(gap.loc[gap["funder"] == "nhs_england", "gap"].sum()),
        "england_gap_all_sectors": float(gap["gap"].sum()),
        "residual_gap_mean": float(league["residual_gap_mean"].sum()),
        "probability_of_balance_mean": float(league["probability_of_balance"].mean()),
        "plans": BUILTIN if illustrative else "user plans",
        "rules_passed": dict(zip(rules, (ratings == "met").sum(axis=0).tolist(), strict=True)),
        "rules_not_applicable": dict(zip(rules, (ratings == "not_applicable").sum(axis=0).tolist(),
                                         strict=True)),
        "verdict_patterns": len({tuple(row) for row in ratings.astype(str)}),
        "overall": league["overall"].value_counts().to_dict(),
        "beds_gap": float(league["beds_gap"].sum()),
        "workforce_gap_fte": float(league["workforce_gap_fte"].sum()),
        **({f"england_{k}": float(league[k].sum()) for k in MONEY
            if k not in ("opening_method", "basis")} | {"basis": league["basis"].iloc[0]}
           if "basis" in league else {}),
        "notes": run.notes,
    }
