"""The ``openstp run`` command's work: pick the plans, simulate, shape and write the tables.

Tables go to stdout (``--format table|csv|json``); ``--out DIR`` writes ``summary.csv``,
``residual.csv``, ``schemes.csv``, ``by_type.csv`` and ``results.json``, each atomically.
The JSON document has one row per footprint with ``probability_of_balance`` and its
``standard_error``, and England's figures under ``england``. A run of one footprint has no England:
its tables and files carry that footprint's rows only, and ``england`` is null.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from openstp import data
from openstp.defaults import ICB_SETS
from openstp.errors import OpenSTPError, problem
from openstp.io import write_text_atomic
from openstp.output import Format, check_finite, dumps, emit, plain, records, stderr
from openstp.params import load_parameters
from openstp.risk.builtin import BUILTIN_SET, builtin_plan
from openstp.risk.builtin_icb import builtin_plans_of
from openstp.risk.results import ENGLAND, RiskResults
from openstp.risk.simulate import PlanLike, simulate

MONEY = ("gap", "planned_saving", "planned_cost", "residual_on_paper", "residual_central",
         "residual_mean", "residual_p10", "residual_p50", "residual_p90", "expected_shortfall",
         "central_saving", "expected_saving", "planned_saving_total", "expected_saving_total",
         "expected_cost", "net_sd")
SUMMARY_TABLE = ["footprint", "name", "gap", "planned_saving", "residual_central",
                 "residual_mean", "residual_p10", "residual_p90", "probability_of_balance",
                 "standard_error", "expected_shortfall", "gap_closed_mean"]
HEADERS = {"gap": "do-nothing gap", "planned_saving": "planned", "residual_central": "central",
           "residual_mean": "mean", "residual_p10": "P10", "residual_p90": "P90",
           "probability_of_balance": "P(balance)", "standard_error": "± s.e.",
           "expected_shortfall": "exp. shortfall", "central_saving": "central",
           "expected_saving": "expected", "realisation": "expected/planned",
           "variance_share": "share of risk", "gap_closed_mean": "closed"}
SCHEME_TABLE = ["scheme", "type", "grade", "owner", "planned_saving", "central_saving",
                "expected_saving", "realisation", "variance_share"]
TYPE_TABLE = ["type", "planned_saving", "central_saving", "expected_saving", "realisation"]
OUT_FILES = ("summary.csv", "residual.csv", "schemes.csv", "by_type.csv", "results.json")
EXPLAIN = ("Residual gap = do-nothing gap − delivered savings + investment and double running "
           "(with optimism bias); balance = residual ≤ £0. Central = every input at its central "
           "value (draw 0); mean, P10/P90 and P(balance) over the random draws.")


def choose_plans(plan_files: list[Path], footprint: str | None, run_all: bool,
                 footprint_set: str | None = None) -> list[PlanLike]:
    """The plans a run asked for: files, one built-in plan, or all the built-in plans of
    ``footprint_set`` (the 44 of 2017 by default; one per ICB for today's ICB sets)."""
    asked = sum([bool(plan_files), footprint is not None, run_all])
    if asked != 1:
        raise OpenSTPError([problem("run", "give exactly one of: PLAN.yaml …, --footprint CODE "
                                    "(its built-in illustrative plan) or --all (every built-in plan "
                                    "of the footprint set)")])
    if plan_files:
        if footprint_set is not None:
            raise OpenSTPError([problem("--footprint-set", "plan files name their own footprint "
                                        "set; --footprint-set picks built-in plans")])
        return list(plan_files)
    chosen = footprint_set or BUILTIN_SET
    if chosen not in (BUILTIN_SET, *ICB_SETS):
        raise OpenSTPError([problem("--footprint-set", f"no built-in plans for {chosen}: they "
                                    f"ship for {', '.join((BUILTIN_SET, *ICB_SETS))}")])
    if run_all:
        return list(builtin_plans_of(chosen))
    if chosen == BUILTIN_SET:
        return [builtin_plan(footprint or "")]
    code = data.resolve_footprint(footprint or "", chosen).code
    return [p for p in builtin_plans_of(chosen) if p.footprint == code]


def run_command(*, plan_files: list[Path], footprint: str | None, run_all: bool, draws: int,
                seed: int, fmt: Format, out: Path | None, overrides: dict[str, Any],
                params_files: list[Path], footprint_set: str | None = None) -> RiskResults:
    """Run the simulation as the CLI asked and emit the tables; returns the results."""
    if fmt is Format.parquet:
        raise OpenSTPError([problem("--format", "run prints table, csv or json; use --out DIR "
                                    "to write every table to files")])
    if out is not None and out.exists() and not out.is_dir():
        raise OpenSTPError([problem(str(out), "--out needs a folder; this is a file")])
    plans = choose_plans(plan_files, footprint, run_all, footprint_set)
    params = load_parameters(params_files, overrides)
    with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("blocks of draws"), TimeElapsedColumn(), console=stderr,
                  transient=True, disable=not stderr.is_terminal) as bar:
        task = bar.add_task("draws", total=None)
        results = simulate(plans, draws, seed, params=params,
                           progress=lambda done, total: bar.update(task, completed=done,
                                                                   total=total))
    if out is not None:
        write_outputs(results, out)
        stderr.print(f"wrote {', '.join(OUT_FILES)} to {plain(out)}")
    if fmt is Format.table:
        print_tables(results)
    elif fmt is Format.json:
        sys.stdout.write(dumps(document(results), "output"))
    else:
        summary = results.summary()
        emit(summary[summary["footprint"] != ENGLAND], fmt)
    return results


def one_footprint(results: RiskResults) -> bool:
    """True when one footprint ran: its totals are not England's and are not labelled so."""
    return len(results.footprints) == 1


def without_england(results: RiskResults, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as written for this run: England's rows and columns left out when one footprint
    ran (they would repeat that footprint's figures under England's name)."""
    if not one_footprint(results):
        return table
    table = table[table["footprint"] != ENGLAND]
    return table.drop(columns=[c for c in table.columns if c.endswith("_england")])


def document(results: RiskResults) -> dict[str, Any]:
    """The JSON document: run metadata, England's figures and one row per footprint."""
    summary = results.summary()
    rows = records(summary[summary["footprint"] != ENGLAND].drop(columns="draws"))
    england = by_type = None
    if not one_footprint(results):
        england = records(summary[summary["footprint"] == ENGLAND].drop(
            columns=["footprint", "name", "draws"]))[0]
        by_type = records(results.by_type().query("footprint == @ENGLAND").drop(
            columns="footprint"))
    return {**results.meta(), "explanation": EXPLAIN, "england": england,
            "england_by_type": by_type, "rows": rows}


def write_outputs(results: RiskResults, folder: Path) -> None:
    """All tables and the JSON document into ``folder``, each file written atomically."""
    tables = {"summary.csv": results.summary(), "residual.csv": results.residual(),
              "schemes.csv": results.schemes(), "by_type.csv": results.by_type()}
    tables = {name: without_england(results, table) for name, table in tables.items()}
    for name, table in tables.items():
        text = check_finite(table, str(folder / name)).to_csv(index=False)
        write_text_atomic(folder / name, text)
    write_text_atomic(folder / "results.json",
                      dumps(document(results), str(folder / "results.json")))


def print_tables(results: RiskResults) -> None:
    """Human-readable tables: the summary; for a single plan also by type and by scheme."""
    summary = results.summary()
    n = results.draws
    caption = (f"£ cash. {EXPLAIN} P(balance) ± its Monte Carlo standard error; when no draw "
               f"balances, P < {3 / n:.2g} at 95% (3/N). Closed: share of the gap closed on "
               f"average. Seed {results.seed}.")
    if results.note():
        caption = f"ILLUSTRATIVE: {results.note()} {caption}"
    title = (f"Delivery risk in {results.horizon}: the gap left after {n:,d} draws of every "
             f"scheme")
    table = summary if len(results.footprints) > 1 else summary.iloc[:1]
    _emit(table[SUMMARY_TABLE], title, caption)
    if len(results.footprints) > 1:
        return
    by_type = results.by_type().query("footprint != @ENGLAND")[TYPE_TABLE]
    _emit(by_type, f"Planned against expected savings by type, {results.horizon}")
    schemes = results.schemes().sort_values("variance_share", ascending=False)[SCHEME_TABLE]
    _emit(schemes, f"Where the risk sits: each scheme's share of the variance of the "
                   f"{results.horizon} residual gap")


def _emit(frame: pd.DataFrame, title: str, caption: str | None = None) -> None:
    money = tuple(HEADERS.get(c, c) for c in frame.columns if c in MONEY)
    emit(frame.rename(columns=HEADERS), Format.table, title=title, caption=caption, money=money)
