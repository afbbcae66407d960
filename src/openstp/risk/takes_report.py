"""The ``openstp what-it-takes`` command's work: lay the plans out, find every root as Dask
tasks, and print or write the answers (table, csv or json; ``--out FILE``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from openstp.errors import OpenSTPError, problem
from openstp.io import write_text_atomic
from openstp.output import Format, check_finite, dumps, emit, records, stderr
from openstp.params import Parameters, load_parameters
from openstp.risk.builtin import builtin_plan, builtin_plans
from openstp.risk.inputs import Inputs, build_inputs
from openstp.risk.results import ENGLAND
from openstp.risk.simulate import PlanLike, load_checked
from openstp.risk.takes import MAX_SCALE, MAX_YEARS, target_key, what_it_takes
from openstp.risk.tasks import Where

EXPLAIN = (
    "Extra funding: recurrent money added to the horizon year's allocation at which P(balance) "
    "reaches the target (also as a share of the allocation). Extra years: years beyond the "
    "horizon at which it does if each draw's residual gap keeps changing as in the plan's last "
    "year. Savings scale: the factor on every scheme's planned saving, with no new money, at "
    "which it does (bigger asks are marked down by the ambition curve). Each is the root of "
    "the target quantile of the residual gap on common random numbers, ± its Monte Carlo "
    f"standard error; '–' means not reached (within {MAX_YEARS:g} years or {MAX_SCALE:g} "
    "times the plan). England: the footprints together with one lever for all; "
    "extra_funding_*_sum adds the footprints' own answers.")


def pick_plans(plan_files: list[Path], footprint: str | None) -> list[PlanLike]:
    """Plan files, one footprint's built-in plan, or (by default) all 44 built-in plans."""
    if plan_files and footprint is not None:
        raise OpenSTPError([problem("what-it-takes", "give plan files or --footprint, not both")])
    if footprint is not None:
        return [builtin_plan(footprint)]
    return list(plan_files) if plan_files else list(builtin_plans())


def lay_out(plans: Sequence[PlanLike], params: Parameters, funding: str = "sr2015") -> Inputs:
    """Check each plan as ``openstp validate`` does and lay them out for the engine."""
    return build_inputs([load_checked(p, params) for p in plans], params, funding)


def split_targets(words: list[Path]) -> tuple[list[Path], list[float]]:
    """Plan files, and the numbers that followed ``--target`` as in ``--target 0.5 0.8``
    (the shell passes the second as an argument; a number that is no file is a target)."""
    files, numbers = [], []
    for word in words:
        try:
            number = float(str(word))
        except ValueError:
            files.append(word)
            continue
        if word.exists():
            files.append(word)
        else:
            numbers.append(number)
    return files, numbers


def check_targets(targets: Sequence[float]) -> tuple[float, ...]:
    bad = [t for t in targets if not 0 < t < 1]
    if bad or not targets:
        raise OpenSTPError([problem("--target", f"a target is a probability between 0 and 1 "
                                    f"(exclusive), got {', '.join(f'{t:g}' for t in bad)}")])
    return tuple(sorted(set(targets)))


def with_progress(label: str, work: Any) -> Any:
    """``work(progress)`` under a rich progress bar of tasks done (on a terminal)."""
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("tasks"),
                  TimeElapsedColumn(), console=stderr, transient=True,
                  disable=not stderr.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        return work(lambda done, total: bar.update(task, completed=done, total=total))


def takes_command(*, plan_files: list[Path], footprint: str | None, draws: int, seed: int,
                  targets: Sequence[float], fmt: Format, out: Path | None,
                  overrides: dict[str, Any], params_files: list[Path], where: Where
                  ) -> pd.DataFrame:
    """Answer what it would take, as the CLI asked, and emit it; returns the table."""
    plan_files, more = split_targets(plan_files)
    targets = check_targets([*targets, *more])
    params = load_parameters(params_files, overrides)
    inputs = lay_out(pick_plans(plan_files, footprint), params)
    frame = with_progress("what it takes", lambda progress: what_it_takes(
        inputs, draws, seed, targets, where, progress))
    illustrative = all(p.illustrative for p in inputs.plans)
    meta = {"draws": draws, "seed": seed, "horizon": inputs.years[-1], "targets": list(targets),
            "illustrative": illustrative, "explanation": EXPLAIN}
    if fmt is Format.table:
        print_table(frame, targets, meta)
    elif fmt is Format.parquet:
        emit(frame, fmt, out=out)
    else:
        text = (dumps(document(frame, meta), str(out or "output")) if fmt is Format.json
                else check_finite(frame, str(out or "output")).to_csv(index=False))
        if out is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(out, text)
            stderr.print(f"wrote {out}")
    return frame


def document(frame: pd.DataFrame, meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON document: what was run, England's answers (null for one footprint) and one
    row per footprint, each with extra_funding_pNN and extra_funding_pNN_error in £."""
    england = frame[frame["footprint"] == ENGLAND]
    rows = frame[frame["footprint"] != ENGLAND].dropna(axis=1, how="all")
    return {**meta, "england": records(england.drop(columns="footprint"))[0]
            if len(england) else None, "rows": records(rows)}


def print_table(frame: pd.DataFrame, targets: Sequence[float], meta: dict[str, Any]) -> None:
    """One row per footprint and England: P(balance) now, then each lever per target."""
    columns = ["footprint", "probability_of_balance"]
    headers = {"probability_of_balance": "P(balance) now"}
    money = []
    for t in targets:  # the errors of years and scale-up are in the csv and json
        key, pct = target_key(t), f"{t:.0%}"
        columns += [f"extra_funding_{key}", f"extra_funding_{key}_error",
                    f"extra_funding_{key}_share", f"extra_years_{key}", f"savings_scale_{key}"]
        headers.update({f"extra_funding_{key}": f"extra £ for {pct}",
                        f"extra_funding_{key}_error": "±" + " " * len(money),
                        f"extra_funding_{key}_share": f"of allocation ({pct})",
                        f"extra_years_{key}": f"years for {pct}",
                        f"savings_scale_{key}": f"savings × for {pct}"})
        money += [headers[f"extra_funding_{key}"], headers[f"extra_funding_{key}_error"]]
    caption = f"£ cash, {meta['horizon']}. {EXPLAIN} {meta['draws']:,d} draws, seed {meta['seed']}."
    if meta["illustrative"]:
        caption = ("ILLUSTRATIVE: built-in plans derived from national aggregates, not the "
                   f"footprints' own plans. {caption}")
    table = frame[columns].rename(columns=headers)
    emit(table, Format.table, title=f"What it would take to balance in {meta['horizon']}",
         caption=caption, money=tuple(money))
