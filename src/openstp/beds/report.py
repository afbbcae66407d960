"""The ``openstp beds`` command's work: run the bed model and write what a user asked for."""

from __future__ import annotations

from pathlib import Path

from rich.progress import Progress

from openstp.beds.api import beds
from openstp.output import Format, emit, stderr
from openstp.params import load_parameters
from openstp.plan import load_plan

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
    """Run beds for a plan, a footprint or England and emit the result."""
    params = load_parameters((), overrides)
    plan = load_plan(plan_path) if plan_path else None
    with Progress(transient=True, console=stderr) as bar:
        task = bar.add_task("simulating beds", total=6)
        result = beds(footprint_set, plan=plan, footprint=footprint, draws=draws, seed=seed,
                      target_occupancy=target_occupancy, params=params,
                      progress=lambda _: bar.advance(task))
    single = plan is not None or footprint is not None
    capacity = result.capacity
    meta = {"draws": draws, "seed": seed, "notes": result.notes,
            "england": None if single else result.england,
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
             caption=f"{draws:,} simulated futures; " + " ".join(result.notes))
        if len(result.closures):
            emit(result.closures[["id", "trust", "year", "change", "conditions",
                                  "probability_safe", "verdict", "reason"]], fmt,
                 title="NHS England bed-closure test")
        return
    horizon = capacity[capacity["year"] == capacity["year"].max()]
    emit(horizon[["footprint", "name", *TABLE_COLUMNS[1:]]].rename(columns=HEADERS), fmt,
         title=f"G&A beds planned and needed in {horizon['year'].iloc[0]}, by footprint",
         caption=result.england["explanation"])
