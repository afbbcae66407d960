"""Delivery priors from the parameter tree, as arrays over scheme types and evidence grades.

``risk.delivery.<type>.{p10,median,p90}`` give the fraction of a planned saving delivered for a
grade-B scheme; ``risk.evidence.odds_ratio.<grade>`` shifts it on the logit scale; slippage,
the system-pressure loading and optimism bias come from their own files. The engine turns a
standard normal z into a fraction with the split logit-normal quantile function

    fraction = expit(logit(median) + log(odds ratio) + z × (s_low if z < 0 else s_high))

where s_low and s_high put p10 and p90 exactly at z = ∓1.2816 (the normal's 10th and 90th
percentiles), and z = 0 (the central case) gives the graded median.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit, ndtri

from openstp.errors import ParameterError, Problem, problem
from openstp.params import Parameters
from openstp.plan import EvidenceGrade, SchemeType

TYPES: tuple[str, ...] = tuple(t.value for t in SchemeType)
GRADES: tuple[str, ...] = (*(g.value for g in EvidenceGrade), "none")
GRADE_PATHS = {**{g.value: f"risk.evidence.odds_ratio.grade_{g.value.lower()}"
                  for g in EvidenceGrade}, "none": "risk.evidence.odds_ratio.no_evidence"}
DELIVERY = "risk.delivery.{type}.{q}"
SLIPPAGE = "risk.slippage.{type}.{n}"
LOADING = "risk.pressure.loading"
OPTIMISM = "risk.optimism_bias.investment.{case}"
Z90 = float(ndtri(0.9))  # the standard normal's 90th percentile: where p90 sits
MAX_DELAY = 2  # slippage is 0, 1 or 2 years (risk.slippage has one_year and two_years)


@dataclass(frozen=True)
class Priors:
    """Per-scheme prior arrays, all shape (scheme,)."""

    centre: np.ndarray  # logit of the graded median (±inf for certain 0 or 1)
    s_low: np.ndarray  # logit spread below the median, per unit of z
    s_high: np.ndarray  # logit spread above the median
    central_fraction: np.ndarray  # fraction delivered at z = 0
    certain: np.ndarray  # bool: p10 = median = p90, so the fraction is central_fraction
    slip_cumulative: np.ndarray  # (scheme, MAX_DELAY): P(delay < 1), P(delay < 2)
    loading: np.ndarray  # system-pressure loading (correlation)
    optimism: np.ndarray  # (scheme, 3): low, central, high uplift on costs


def _table(params: Parameters, problems: list[Problem]) -> dict[str, np.ndarray]:
    """Arrays over TYPES (and GRADES) for one parameter tree, checking they are coherent."""
    def value(path: str) -> float:
        return params.value(path)

    q = np.array([[value(DELIVERY.format(type=t, q=k)) for k in ("p10", "median", "p90")]
                  for t in TYPES])
    slip = np.array([[value(SLIPPAGE.format(type=t, n=n)) for n in ("one_year", "two_years")]
                     for t in TYPES])
    odds = np.array([value(GRADE_PATHS[g]) for g in GRADES])
    optimism = np.array([value(OPTIMISM.format(case=c)) for c in ("low", "central", "high")])
    for t, (p10, median, p90) in zip(TYPES, q, strict=True):
        paths = [DELIVERY.format(type=t, q=k) for k in ("p10", "median", "p90")]
        certain = p10 == median == p90
        if not p10 <= median <= p90:
            problems.append(_problem(params, paths, f"need p10 <= median <= p90, got "
                                     f"{p10:g}, {median:g}, {p90:g}"))
        elif not certain and not (0 < p10 and p90 < 1):
            problems.append(_problem(params, paths, f"a spread needs 0 < p10 and p90 < 1 (got "
                                     f"{p10:g}, {p90:g}); for certain delivery set p10 = "
                                     "median = p90"))
    for t, (one, two) in zip(TYPES, slip, strict=True):
        if one + two > 1:
            paths = [SLIPPAGE.format(type=t, n=n) for n in ("one_year", "two_years")]
            problems.append(_problem(params, paths, f"one_year + two_years = {one + two:g} is "
                                     "more than 1"))
    for g, ratio in zip(GRADES, odds, strict=True):
        if not ratio > 0:
            problems.append(_problem(params, [GRADE_PATHS[g]], "an odds ratio must be above 0"))
    if not optimism[0] <= optimism[1] <= optimism[2]:
        paths = [OPTIMISM.format(case=c) for c in ("low", "central", "high")]
        problems.append(_problem(params, paths, "optimism bias needs low <= central <= high, "
                                 "got " + ", ".join(f"{v:g}" for v in optimism)))
    return {"q": q, "slip": slip, "odds": odds, "optimism": optimism,
            "loading": np.array(value(LOADING))}


def _problem(params: Parameters, paths: list[str], message: str) -> Problem:
    """A problem placed on the overridden parameter among ``paths`` (else the first)."""
    path = next((p for p in paths if params[p].override), paths[0])
    param = params[path]
    where = param.override or param.file
    return problem(where, message, None if param.override else param.line, path)


def build_priors(trees: Sequence[Parameters], tree_index: np.ndarray, types: np.ndarray,
                 grades: np.ndarray) -> Priors:
    """Priors for each scheme from its plan's parameter tree.

    ``trees`` holds the distinct trees; ``tree_index``, ``types`` and ``grades`` give, per
    scheme, the index of its tree, of its type in ``TYPES`` and of its grade in ``GRADES``.
    """
    problems: list[Problem] = []
    tables = [_table(tree, problems) for tree in trees]
    if problems:
        raise ParameterError(list(dict.fromkeys(problems)))
    stack = {k: np.stack([t[k] for t in tables]) for k in tables[0]}
    q = stack["q"][tree_index, types]  # (scheme, 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.log(stack["odds"][tree_index, grades])
        logits = logit(q)
        centre = logits[:, 1] + shift
        s_low = np.where(q[:, 0] < q[:, 1], (logits[:, 1] - logits[:, 0]) / Z90, 0.0)
        s_high = np.where(q[:, 2] > q[:, 1], (logits[:, 2] - logits[:, 1]) / Z90, 0.0)
    certain = (q[:, 0] == q[:, 1]) & (q[:, 1] == q[:, 2])
    central_fraction = np.where(shift == 0, q[:, 1], expit(centre))
    slip = stack["slip"][tree_index, types]
    return Priors(centre=centre, s_low=s_low, s_high=s_high, central_fraction=central_fraction,
                  certain=certain,
                  slip_cumulative=np.stack([1 - slip.sum(axis=1), 1 - slip[:, 1]], axis=1),
                  loading=stack["loading"][tree_index],
                  optimism=stack["optimism"][tree_index])
