"""Scenario grids: every variant of a grid file run as Dask tasks, the results in one long
table (variant × footprint × measure) written as Parquet.

A grid file (YAML) lists variants; each may set parameters (``params``: path → number), scale
every scheme's planned saving (``savings_scale``) and replace the built-in plans of some
footprints with plan files (``plans``, paths relative to the grid file). ``grid`` adds the
cartesian product of parameter values as more variants. ``draws`` and ``seed`` apply to every
variant; the same seed gives every variant the same draws (common random numbers), and
results come back in variant order, so the table is the same whatever the number of workers.

    draws: 500
    seed: 2016
    variants:
      - name: central
      - name: strong pressure
        params: {risk.pressure.loading: 0.6}
      - name: plans 20% bigger
        savings_scale: 1.2
    grid:
      risk.ambition.provider_efficiency.reference: [0.035, 0.045]
      risk.capital.on_time: [0.034, 0.15]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openstp.errors import InputFileError, OpenSTPError, Problem, problem
from openstp.params import Parameters
from openstp.plan import Plan
from openstp.risk.engine import run
from openstp.risk.inputs import Inputs, build_inputs
from openstp.risk.levers import scale_savings, with_parameters
from openstp.risk.results import ENGLAND
from openstp.risk.simulate import load_checked
from openstp.risk.tasks import Progress, Where, run_tasks
from openstp.safeyaml import YAMLInputError, YAMLList, YAMLMap, load_yaml

MEASURES = ("residual_central", "residual_mean", "residual_p10", "residual_p50",
            "residual_p90", "probability_of_balance", "expected_shortfall")
MAX_VARIANTS = 100_000
SOURCE = "sweep variant {name}"


@dataclass(frozen=True)
class Variant:
    name: str
    params: dict[str, float] = field(default_factory=dict)
    savings_scale: float = 1.0
    plans: tuple[Plan, ...] = ()  # replace the base plans of these footprints


@dataclass(frozen=True)
class Grid:
    variants: list[Variant]
    draws: int
    seed: int


def read_grid(path: Path, params: Parameters, draws: int, seed: int) -> Grid:
    """The grid file at ``path``, checked: one ``file:line: field: message`` per problem."""
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError([problem(str(path), "no such grid file")]) from None
    except YAMLInputError as err:
        raise InputFileError([problem(str(path), err.message, err.line, err.field)]) from None
    problems: list[Problem] = []

    def bad(node: Any, key: Any, message: str, where: str) -> None:
        line = node.key_lines.get(key) if isinstance(node, YAMLMap) else None
        problems.append(problem(str(path), message, line or getattr(node, "line", None), where))

    if not isinstance(doc, YAMLMap):
        raise InputFileError([problem(str(path), "a grid file is a mapping with variants "
                                      "(and optionally grid, draws, seed)", 1)])
    for key in doc:
        if key not in ("variants", "grid", "draws", "seed"):
            bad(doc, key, "unknown key; use variants, grid, draws or seed", str(key))
    draws = _whole(doc, "draws", draws, 1, bad)
    seed = _whole(doc, "seed", seed, 0, bad)
    variants: list[Variant] = []
    raw = doc.get("variants", [])
    if not isinstance(raw, YAMLList):
        bad(doc, "variants", "variants must be a list", "variants")
        raw = []
    for i, item in enumerate(raw):
        variants.append(_variant(item, i, path, params, bad))
    variants += _product(doc.get("grid"), params, bad, doc)
    names = [v.name for v in variants]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(problem(str(path), f"two variants are named {name!r}", None, "variants"))
    if not variants and not problems:
        problems.append(problem(str(path), "no variants: add variants or grid", 1, "variants"))
    if len(variants) > MAX_VARIANTS:
        problems.append(problem(str(path), f"{len(variants):,d} variants is more than "
                                f"{MAX_VARIANTS:,d}", 1, "grid"))
    if problems:
        raise InputFileError(problems)
    return Grid(variants, draws, seed)


def _whole(doc: YAMLMap, key: str, default: int, least: int, bad) -> int:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        bad(doc, key, f"{key} must be a whole number of at least {least}", key)
        return default
    return value


def _checked_params(values: Any, params: Parameters, node: Any, key: str, bad) -> dict:
    if not isinstance(values, YAMLMap):
        bad(node, key, "params must map parameter paths to numbers", key)
        return {}
    out = {}
    for path, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            bad(values, path, "must be a number", str(path))
            continue
        try:
            params.with_overrides({str(path): float(value)})
        except OpenSTPError as err:
            bad(values, path, "; ".join(p.message for p in err.problems), str(path))
            continue
        out[str(path)] = float(value)
    return out


def _variant(item: Any, i: int, path: Path, params: Parameters, bad) -> Variant:
    where = f"variants[{i}]"
    if not isinstance(item, YAMLMap) or not isinstance(item.get("name"), str):
        bad(item if isinstance(item, YAMLMap) else None, "name",
            "each variant is a mapping with a name", where)
        return Variant(name=f"#{i}")
    for key in item:
        if key not in ("name", "params", "savings_scale", "plans"):
            bad(item, key, "unknown key; use name, params, savings_scale or plans",
                f"{where}.{key}")
    values = _checked_params(item["params"], params, item, "params", bad) \
        if "params" in item else {}
    scale = item.get("savings_scale", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 <= scale <= 100:
        bad(item, "savings_scale", "savings_scale must be a number from 0 to 100",
            f"{where}.savings_scale")
        scale = 1.0
    plans: list[Plan] = []
    files = item.get("plans") or []
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        bad(item, "plans", "plans must be a list of plan files", f"{where}.plans")
        files = []
    for name in files:
        try:
            plans.append(load_checked(path.parent / name, params))
        except OpenSTPError as err:
            for p in err.problems:
                bad(item, "plans", f"{p.file}:{p.line or ''}: {p.message}", f"{where}.plans")
    return Variant(name=item["name"], params=values, savings_scale=float(scale),
                   plans=tuple(plans))


def _product(grid: Any, params: Parameters, bad, doc: YAMLMap) -> list[Variant]:
    if grid is None:
        return []
    if not isinstance(grid, YAMLMap) or not all(isinstance(v, YAMLList) and v
                                                for v in grid.values()):
        bad(doc, "grid", "grid must map parameter paths to lists of numbers", "grid")
        return []
    axes = []
    for key, values in grid.items():
        checked = [_checked_params(_one_key(key, v, values), params, grid, key, bad)
                   for v in values]
        axes.append([c[str(key)] for c in checked if c])
    return [Variant(name=", ".join(f"{k}={v:g}" for k, v in zip(grid, combo, strict=True)),
                    params={str(k): v for k, v in zip(grid, combo, strict=True)})
            for combo in itertools.product(*axes)]


def _one_key(key: Any, value: Any, node: YAMLList) -> YAMLMap:
    """A one-key mapping carrying ``node``'s line, to check a grid value as a parameter."""
    out = YAMLMap(node.line)
    out[key], out.key_lines[key] = value, node.line
    return out


def variant_inputs(base: Inputs, params: Parameters, variant: Variant) -> Inputs:
    """The laid-out run of one variant: parameters, replaced plans, then the scale-up."""
    inputs = base
    if variant.plans or any(not p.startswith("risk.") for p in variant.params):
        mine = {p.footprint for p in variant.plans}
        plans = [next((v for v in variant.plans if v.footprint == p.footprint), p)
                 if p.footprint in mine else p for p in base.plans]
        tree = params.with_overrides(variant.params, source=SOURCE.format(name=variant.name)) \
            if variant.params else params
        inputs = build_inputs(plans, tree)
    elif variant.params:
        inputs = with_parameters(base, variant.params, SOURCE.format(name=variant.name))
    if variant.savings_scale != 1.0:
        inputs = scale_savings(inputs, np.full(len(inputs.footprints), variant.savings_scale))
    return inputs


def measures(residual: np.ndarray) -> np.ndarray:
    """(measure, unit) of a (draw, unit) horizon-year residual, draw 0 central."""
    random = residual[1:]
    q10, q50, q90 = np.percentile(random, [10, 50, 90], axis=0)
    return np.stack([residual[0], random.mean(axis=0), q10, q50, q90,
                     (np.rint(random) <= 0).mean(axis=0),
                     np.clip(random, 0, None).mean(axis=0)])


def sweep_task(base: Inputs, params: Parameters, variants: list[Variant], draws: int,
               seed: int) -> pd.DataFrame:
    """One Dask task: a chunk of variants, each run on the same seed."""
    frames = []
    for variant in variants:
        inputs = variant_inputs(base, params, variant)
        residual = run(inputs, draws, seed, workers=1).residual[:, :, -1]
        units = [*inputs.footprints, ENGLAND]
        values = measures(np.column_stack([residual, residual.sum(axis=1)]))
        frames.append(pd.DataFrame({
            "variant": variant.name, "footprint": np.tile(units, len(MEASURES)),
            "measure": np.repeat(MEASURES, len(units)), "value": values.ravel()}))
    return pd.concat(frames, ignore_index=True)


def run_sweep(base: Inputs, params: Parameters, grid: Grid, where: Where | None = None,
              progress: Progress | None = None, chunk: int = 4) -> pd.DataFrame:
    """Every variant of ``grid`` as Dask tasks of ``chunk`` variants; one long table."""
    pieces = [(grid.variants[a:a + chunk], grid.draws, grid.seed)
              for a in range(0, len(grid.variants), chunk)]
    frames = run_tasks(sweep_task, pieces, where or Where(workers=0), progress,
                       shared=(base, params))
    table = pd.concat(frames, ignore_index=True)
    for column in ("variant", "footprint", "measure"):
        table[column] = table[column].astype(str)
    return table
