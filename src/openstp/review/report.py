"""The ``openstp review`` and ``openstp diff`` commands' work: run, show, write."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from openstp import data
from openstp.errors import InputFileError, OpenSTPError, problem
from openstp.gap.basis import check_basis
from openstp.output import Format, dumps, emit, plain, records, stderr
from openstp.params import load_parameters
from openstp.plan import load_plan
from openstp.review.chain import ChainRun, run_chain, run_national
from openstp.review.diff import Review, diff_folders, diff_plans, diff_reviews
from openstp.review.rules_mtpf import MTPF_CATALOGUE, catalogue_for
from openstp.review.verdict import CATALOGUE

SHOWN = ["footprint", "name", "overall", "met", "partly", "not_met", "no_evidence",
         "not_applicable", "probability_of_balance", "gap", "residual_gap_mean", "beds_gap", "workforce_gap_fte"]


HEADERS = {"not_met": "not met", "no_evidence": "no evidence", "not_applicable": "n/a",
           "probability_of_balance": "P(balance)", "gap": "do-nothing gap",
           "residual_gap_mean": "gap left (mean)", "beds_gap": "beds short",
           "workforce_gap_fte": "staff short (FTE)"}


def _progress(quiet: bool = False) -> Progress:
    return Progress(TextColumn("{task.description:<22}"), BarColumn(), TimeElapsedColumn(),
                    console=stderr, transient=True, disable=quiet or not stderr.is_terminal)


class StageClock:
    """Seconds spent in each stage of a run, in the order the stages ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stage: str | None = None
        self._since = time.perf_counter()

    def enter(self, stage: str) -> None:
        """Start ``stage`` (ending the one before), unless it is already running."""
        if stage != self._stage:
            self.stop()
            self._stage, self._since = stage, time.perf_counter()

    def stop(self) -> None:
        """End the running stage."""
        if self._stage is not None:
            spent = time.perf_counter() - self._since
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + spent
            self._stage = None

    def line(self) -> str:
        """'gap 0.9 s · risk 1.8 s · … · total 6.4 s'."""
        parts = [f"{stage} {secs:.1f} s" for stage, secs in self.seconds.items()]
        return " · ".join([*parts, f"total {sum(self.seconds.values()):.1f} s"])


def run_with_progress(plans_dir: Path | None, draws: int, seed: int,
                      overrides: dict[str, float], params_files: list[Path],
                      clock: StageClock | None = None, quiet: bool = False,
                      basis: str = "resident", footprint_set: str | None = None,
                      sensitivity_samples: int = 0) -> ChainRun:
    """The national review with a progress bar per stage on stderr (none if ``quiet``), timed
    by ``clock``; ``basis`` is the gap's (``openstp.gap.basis``)."""
    check_basis(basis)
    clock = clock or StageClock()
    params = load_parameters(params_files, overrides)
    with _progress(quiet) as bar:
        tasks: dict[str, int] = {}

        def step(stage: str, done: int, total: int) -> None:
            clock.enter(stage)
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        run = run_national(plans_dir, draws=draws, seed=seed, params=params, progress=step,
                           basis=basis, footprint_set=footprint_set,
                           sensitivity_samples=sensitivity_samples)
        clock.stop()
        return run


def league_view(league: pd.DataFrame) -> pd.DataFrame:
    """The league table with counts of each rating per footprint, for people to read."""
    rules = [r for r in {**CATALOGUE, **MTPF_CATALOGUE} if r in league.columns]
    ratings = league[rules]
    view = league.copy()
    for rating in ("met", "partly", "not_met", "no_evidence", "not_applicable"):
        view[rating] = (ratings == rating).sum(axis=1)
    return view[SHOWN].sort_values(["overall", "not_met", "footprint"],
                                   ascending=[False, True, True]).rename(columns=HEADERS)


def review_command(*, plans_dir: Path | None, draws: int, seed: int,
                   overrides: dict[str, float], params_files: list[Path], out: Path,
                   fmt: Format, quiet: bool = False, basis: str = "resident",
                   footprint_set: str | None = None, sensitivity_samples: int = 0) -> None:
    """Run the whole chain, write the results folder, and show the league table.

    Progress, stage times and where the results went are printed on stderr unless ``quiet``.
    """
    clock = StageClock()
    if sensitivity_samples and sensitivity_samples & (sensitivity_samples - 1):
        raise OpenSTPError([problem("--sensitivity", f"the Sobol sample needs a power of 2 "
                                    f"(8, 16, … 1024), got {sensitivity_samples}")])
    run = run_with_progress(plans_dir, draws, seed, overrides, params_files, clock, quiet,
                            basis, footprint_set, sensitivity_samples)
    clock.enter("tables")
    tables = run.tables()
    clock.enter("write")
    tables.write(out, run.plans)
    clock.stop()
    if not quiet:
        stderr.print(f"Stages: {clock.line()}", highlight=False)
    league = tables.frames["league"]
    england = tables.england
    if fmt is Format.table:
        plans = "1 plan" if len(league) == 1 else f"{len(league)} plans"
        place = _place(league, england["footprint_set"])
        emit(league_view(league), fmt, money=("do-nothing gap", "gap left (mean)"),
             title=f"Readiness of {plans} ({england['plans']})", caption=_caption(england, place))
        rules = catalogue_for(england["footprint_set"])
        applies = england.get("rules_not_applicable", {})
        passed = pd.DataFrame([{"rule": r, "title": rules[r].title, "footprints_met": n,
                                "not_applicable": int(applies.get(r, 0))}
                               for r, n in england["rules_passed"].items()])
        emit(passed, fmt, title="How many plans meet each rule" if len(league) > 1 else
             f"The rules {place}'s plan meets (1 = met)")
        if not quiet:
            stderr.print(f"Results written to [bold]{plain(out)}[/bold] (league.csv, "
                         "verdicts.csv, …).")
        return
    emit(league, fmt, extra={"england": england})


def _place(league: pd.DataFrame, footprint_set: str) -> str:
    """What the run's totals cover: England, or the one footprint reviewed, or how many."""
    if len(league) == 1:
        return str(league["name"].iloc[0])
    if len(league) == len(data.footprints(footprint_set)):
        return "England"
    return f"The {len(league)} footprints reviewed"


def _caption(england: dict, place: str) -> str:
    overall = ", ".join(f"{n} {k}" for k, n in england["overall"].items())
    return (f"{place} {england['horizon']}: do-nothing gap £{england['england_gap_all_sectors'] / 1e9:.1f}bn "
            f"(NHS £{england['england_gap'] / 1e9:.1f}bn); expected gap left after the plans "
            f"£{england['residual_gap_mean'] / 1e9:.1f}bn; {overall}. {england['draws']:,} draws, "
            f"seed {england['seed']}.")


TITLES = {"plan": "Plan fields that changed", "assumptions": "Assumptions that changed",
          "england": "England: old → new", "footprints": "Footprints, by how far the gap "
          "left moved", "verdicts": "Verdicts that changed"}
MONEY = ("gap left, old", "gap left, new", "change")


def diff_command(*, old: Path, new: Path, draws: int, seed: int, fmt: Format) -> None:
    """What changed between two plans (and in every figure and verdict), or two result folders:
    assumptions first, then England old → new, footprints ranked by change, verdicts."""
    for path in (old, new):
        if not path.exists():
            raise InputFileError([problem(str(path), "no such file or folder")])
    if old.is_dir() and new.is_dir():
        sections = diff_folders(old, new)
    elif old.is_dir() or new.is_dir():
        raise InputFileError([problem(str(new), "compare two plan files or two result folders")])
    else:
        a, b = load_plan(old), load_plan(new)
        runs = [_review(run_chain([p], draws=draws, seed=seed).tables()) for p in (a, b)]
        sections = {"plan": diff_plans(a, b), **diff_reviews(*runs)}
    _emit_diff(sections, fmt, f"{old} → {new}")


def _review(tables) -> Review:
    frames = tables.frames
    return Review(frames["league"], frames["verdicts"], frames["assumptions"], tables.england)


def _emit_diff(sections: dict[str, pd.DataFrame], fmt: Format, what: str) -> None:
    if fmt is Format.json:
        sys.stdout.write(dumps({"compared": what, **{k: records(v) for k, v in
                                                    sections.items()}}, "output"))
    elif fmt is Format.csv:
        emit(pd.concat([v.assign(section=k)[["section", *v.columns]]
                        for k, v in sections.items()], ignore_index=True), fmt)
    else:
        for key, frame in sections.items():
            if frame.empty:
                stderr.print(f"{TITLES[key]}: none.")
                continue
            shown = {"england": _england_view, "footprints": _footprints_view}.get(
                key, lambda f: f)(frame)
            emit(shown, fmt, title=f"{TITLES[key]} ({what})",
                 money=MONEY if key == "footprints" else ())


def _footprints_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The footprints section narrow enough for a terminal: old → new in one cell each."""
    def arrow(old: pd.Series, new: pd.Series, form: str) -> list[str]:
        return [format(a, form) if a == b else f"{a:{form}} → {b:{form}}"
                for a, b in zip(old, new, strict=True)]

    return pd.DataFrame({
        "footprint": frame["footprint"], "name": frame["name"],
        "gap left, old": frame["gap_left_old"], "gap left, new": frame["gap_left_new"],
        "change": frame["gap_left_change"],
        "P(balance)": arrow(frame["p_balance_old"], frame["p_balance_new"], ".3f"),
        "beds short": arrow(frame["beds_short_old"], frame["beds_short_new"], ",.0f"),
        "staff short": arrow(frame["staff_short_old"], frame["staff_short_new"], ",.0f"),
        "verdict": [a if a == b else f"{a} → {b}" for a, b in
                    zip(frame["overall_old"], frame["overall_new"], strict=True)]})


def _england_view(frame: pd.DataFrame) -> pd.DataFrame:
    """England's rows as text, each in its own unit (£m, a probability, a count)."""
    def show(value: float, measure: str) -> str:
        if "(£)" in measure:
            return f"£{value / 1e6:,.1f}m"
        return f"{value:.3f}" if "P(" in measure else f"{value:,.0f}"

    return pd.DataFrame({
        "measure": frame["measure"],
        **{c: [show(v, m) for v, m in zip(frame[c], frame["measure"], strict=True)]
           for c in ("old", "new", "difference")},
        "change": [f"{p:+.1%}" if pd.notna(p) else "–" for p in frame["percent"]]})
