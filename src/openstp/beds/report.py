"""The ``openstp beds`` command's work: run the bed model and write what a user asked for."""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress

from openstp import data
from openstp.beds.api import beds
from openstp.beds.demand_management import bed_day_reduction
from openstp.output import Format, emit, stderr
from openstp.params import load_parameters
from openstp.plan import Plan, load_plan
from openstp.risk import builtin_plan, builtin_plans, simulate

BUILTIN_SET = "stp2017"
BUILTIN = "illustrative built-in plans derived from national published aggregates"

TABLE_COLUMNS = ["year", "beds_planned", "beds_required_p10", "beds_required_p50",
                 "beds_required_p90", "p_enough_beds", "mean_occupancy", "winter_occupancy",
                 "days_above_92pct", "days_above_95pct", "p_no_bed_free_winter_day"]


HEADERS = {"beds_planned": "planned", "beds_required_p10": "needed P10",
           "beds_required_p50": "needed P50", "beds_required_p90": "needed P90",
           "p_enough_beds": "P(enough)", "mean_occupancy": "occupancy",
           "winter_occupancy": "winter occ.", "days_above_92pct": "days >92%",
           "days_above_95pct": "days >95%", "p_no_bed_free_winter_day": "P(full, winter day)"}


def beds_command(*, plan_path: Path | None, footprint: str | None, footprint_set: str,
                 overrides: dict[str, float], draws: int, seed: int,
                 target_occupancy: float | None, fmt: Format, out: Path | None) -> None:
    """Run beds for a plan, a footprint or England and emit the result.

    Plans (the given one; for a footprint or England of 2017, the built-in ones) run through the
    risk model first, so demand management removes bed days only as its simulated delivery does.
    """
    params = load_parameters((), overrides)
    plans = _plans(plan_path, footprint, footprint_set)
    with Progress(transient=True, console=stderr) as bar:
        task = bar.add_task("simulating beds", total=6)
        cut = None
        if plans:
            risk = simulate(plans, draws=max(draws - 1, 1), seed=seed, params=params,
                            keep_delivered=True)
            cut = bed_day_reduction(risk, plans, params, draws - 1)[:draws]
        one = plans[0] if plan_path else None
        result = beds(footprint_set, plan=one, plans=None if one else plans,
                      footprint=footprint, draws=draws, seed=seed,
                      target_occupancy=target_occupancy, params=params, dm_reduction=cut,
                      progress=lambda _: bar.advance(task))
    single = plan_path is not None or footprint is not None
    capacity = result.capacity
    england = {**result.england, **_plans_leave(capacity, plans)}
    meta = {"draws": draws, "seed": seed, "notes": result.notes,
            "plans": "user plan" if plan_path else BUILTIN if plans else "none",
            "england": None if single else england,
            "demographic_growth": result.england["demographic_growth"]}
    if fmt is Format.json:
        emit(capacity, fmt, out=out, extra={**meta, "closures": result.closures.to_dict(
            orient="records")})
        return
    if fmt is not Format.table:
        emit(capacity, fmt, out=out)
        return
    if single:
        name = capacity["name"].iloc[0]
        emit(capacity[TABLE_COLUMNS].rename(columns=HEADERS), fmt,
             title=f"G&A beds planned and needed, {name}",
             caption=f"{draws:,} simulated futures; plan: {meta['plans']}. "
                     + " ".join(result.notes))
        if len(result.closures):
            emit(result.closures[["id", "trust", "year", "change", "conditions",
                                  "probability_safe", "verdict", "reason"]], fmt,
                 title="NHS England bed-closure test")
        return
    horizon = capacity[capacity["year"] == capacity["year"].max()]
    emit(horizon[["footprint", "name", *TABLE_COLUMNS[1:]]].rename(columns=HEADERS), fmt,
         title=f"G&A beds planned and needed in {horizon['year'].iloc[0]}, by footprint",
         caption=result.england["explanation"] + " " + england.get("plans_leave", ""))


def _plans(plan_path: Path | None, footprint: str | None, footprint_set: str) -> list[Plan]:
    """The plan to run: the user's, or the built-in ones (2017 footprints only)."""
    if plan_path is not None:
        return [load_plan(plan_path)]
    if footprint_set != BUILTIN_SET:
        return []
    if footprint is not None:
        return [builtin_plan(data.resolve_footprint(footprint, footprint_set).code)]
    return builtin_plans()


def _plans_leave(capacity, plans: list[Plan]) -> dict[str, float | str]:
    """What the plans leave in the horizon year: beds planned against beds needed (P50)."""
    if not plans:
        return {}
    horizon = capacity[capacity["year"] == capacity["year"].max()]
    planned = float(horizon["beds_planned"].sum())
    needed = float(horizon["beds_required_p50"].sum())
    return {"plans_beds_planned": planned, "plans_beds_needed_p50": needed,
            "plans_leave": (f"After the plans' demand management (as simulated) and bed changes, "
                            f"{needed:,.0f} beds are needed (P50) in {horizon['year'].iloc[0]} "
                            f"against {planned:,.0f} planned.")}
