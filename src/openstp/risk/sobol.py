"""Which assumptions matter: Sobol indices (SALib) of England's residual gap and of each
footprint's P(balance) over every ranged parameter.

The factors are every parameter under ``REGISTRY``'s prefixes that has a ``low`` and a ``high``
in its YAML file: each is drawn uniformly between them (Saltelli's scheme, ``N × (D + 2)``
model runs for D factors) and the model is the Monte Carlo itself, run with the same seed for
every sample (common random numbers: the indices measure the parameters, not the draws). A
delivery median moves its p10 and p90 with it on the logit scale, so the prior keeps its shape.

To add a ranged gap parameter (cost growth, demography, inflation, opening position) give it a
``low`` and ``high`` in its YAML file and add its path or prefix to ``REGISTRY`` — one entry.
Factors outside ``risk.`` make each sample lay the plans out again (the gap is recomputed);
risk factors only rebuild the priors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from openstp.params import Parameters
from openstp.risk.engine import run
from openstp.risk.inputs import Inputs, build_inputs
from openstp.risk.levers import with_parameters
from openstp.risk.priors import DELIVERY, SUPPORT
from openstp.risk.results import ENGLAND
from openstp.risk.tasks import Progress, Where, run_tasks

REGISTRY: tuple[str, ...] = ("risk.",)
"""Path prefixes (or whole paths) whose ranged parameters are Sobol factors."""
SOURCE = "sensitivity sample"
CONF = 0.95


@dataclass(frozen=True)
class Factor:
    """One ranged parameter: its path and the range it is drawn from."""

    path: str
    low: float
    high: float

    def overrides(self, value: float, params: Parameters) -> dict[str, float]:
        """The parameter values for a sample at ``value``: a delivery median takes its p10 and
        p90 along, shifted by as much on the logit scale of its range."""
        out = {self.path: float(value)}
        parts = self.path.split(".")
        if parts[:2] == ["risk", "delivery"] and parts[-1] == "median":
            kind = parts[2]
            lower, upper = (params.value(SUPPORT.format(type=kind, end=e))
                            for e in ("lower", "upper"))

            def g(x: float) -> float:
                return float(logit((x - lower) / (upper - lower)))

            shift = g(value) - g(params.value(self.path))
            for q in ("p10", "p90"):
                path = DELIVERY.format(type=kind, q=q)
                out[path] = float(lower + (upper - lower) * expit(g(params.value(path)) + shift))
        return out


def factors(params: Parameters, registry: Sequence[str] = REGISTRY) -> list[Factor]:
    """Every scalar parameter under ``registry`` with a low and a high that differ."""
    found = []
    for path in params.paths():
        if not any(path == r or path.startswith(r) for r in registry):
            continue
        p = params[path]
        if p.is_series or p.low is None or p.high is None or isinstance(p.low, dict):
            continue
        if float(p.low) < float(p.high):
            found.append(Factor(path, float(p.low), float(p.high)))
    return found


def problem(found: Sequence[Factor]) -> dict:
    """The SALib problem for ``found``."""
    return {"num_vars": len(found), "names": [f.path for f in found],
            "bounds": [[f.low, f.high] for f in found]}


def sample(found: Sequence[Factor], n: int, seed: int) -> np.ndarray:
    """(N × (D + 2), D) Saltelli sample (scrambled Sobol sequence, first-order and total)."""
    from SALib.sample import sobol

    return sobol.sample(problem(found), n, calc_second_order=False, scramble=True, seed=seed)


def indices(found: Sequence[Factor], outputs: np.ndarray, seed: int) -> pd.DataFrame:
    """One row per factor and output column of ``outputs`` (sample, output): first-order and
    total indices with the half-widths of their 95% bootstrap intervals; NaN when the output
    does not vary across the samples."""
    from SALib.analyze import sobol

    rows = []
    for j in range(outputs.shape[1]):
        y = outputs[:, j]
        if np.ptp(y) == 0:
            s1 = s1c = st = stc = np.full(len(found), np.nan)
        else:
            with warnings.catch_warnings():  # an output that barely varies (a P(balance)
                # that moves in a few samples) is reported through its wide intervals instead
                warnings.filterwarnings("ignore", message="Constant values encountered")
                si = sobol.analyze(problem(found), y, calc_second_order=False,
                                   conf_level=CONF, num_resamples=200, seed=seed)
            s1, s1c, st, stc = si["S1"], si["S1_conf"], si["ST"], si["ST_conf"]
        rows.append(pd.DataFrame({"output": j, "parameter": [f.path for f in found],
                                  "first_order": s1, "first_order_low": s1 - s1c,
                                  "first_order_high": s1 + s1c, "total": st,
                                  "total_low": st - stc, "total_high": st + stc}))
    return pd.concat(rows, ignore_index=True)


def evaluate(inputs: Inputs, params: Parameters, found: Sequence[Factor], rows: np.ndarray,
             draws: int, seed: int) -> np.ndarray:
    """One Dask task: for each sample in ``rows`` (sample, factor), England's mean residual
    gap in the horizon year, then each footprint's P(balance) — (sample, 1 + footprint)."""
    gap_too = any(not f.path.startswith("risk.") for f in found)
    out = np.empty((len(rows), 1 + len(inputs.footprints)))
    for i, row in enumerate(rows):
        values: dict[str, float] = {}
        for factor, value in zip(found, row, strict=True):
            values.update(factor.overrides(value, params))
        variant = (build_inputs(inputs.plans, params.with_overrides(values, source=SOURCE))
                   if gap_too else with_parameters(inputs, values, SOURCE))
        residual = run(variant, draws, seed, workers=1).residual[1:, :, -1]
        out[i, 0] = residual.sum(axis=1).mean()
        out[i, 1:] = (np.rint(residual) <= 0).mean(axis=0)
    return out


def sensitivity(inputs: Inputs, params: Parameters, n: int, draws: int, seed: int,
                where: Where | None = None, progress: Progress | None = None,
                chunk: int = 16) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Sobol indices of England's residual gap (one row per factor, ranked by total index)
    and of each footprint's P(balance) (footprint × factor); and the number of model runs."""
    found = factors(params)
    x = sample(found, n, seed)
    pieces = [(x[a:a + chunk], draws, seed) for a in range(0, len(x), chunk)]
    y = np.vstack(run_tasks(evaluate, pieces, where or Where(workers=0), progress,
                            shared=(inputs, params, found)))
    table = indices(found, y, seed)
    england = table[table["output"] == 0].drop(columns="output")
    england = england.sort_values("total", ascending=False, kind="stable", ignore_index=True)
    footprints = table[table["output"] > 0].copy()
    footprints.insert(0, "footprint", [inputs.footprints[j - 1] for j in footprints["output"]])
    return england, footprints.drop(columns="output").reset_index(drop=True), len(x)


def analyse(found: Sequence[Factor], model: Callable[[np.ndarray], np.ndarray], n: int,
            seed: int) -> pd.DataFrame:
    """Indices of a plain vectorised ``model`` (sample, factor) → (sample,): the same wiring
    as ``sensitivity``, for models with known indices."""
    x = sample(found, n, seed)
    return indices(found, model(x)[:, None], seed).drop(columns="output")


__all__ = ["ENGLAND", "REGISTRY", "Factor", "analyse", "factors", "sensitivity"]
