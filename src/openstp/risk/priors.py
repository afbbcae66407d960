"""Delivery priors from the parameter tree, as arrays over scheme types and evidence grades.

``risk.delivery.<type>.{p10,median,p90}`` give the fraction of a planned saving delivered for a
grade-B scheme asking the reference amount (``risk.ambition``); ``risk.support.<type>`` gives
the range [lower, upper] the fraction can take, so delivery can miss, meet or beat its plan.
With g(x) = logit((x − lower) / (upper − lower)) the engine turns a standard normal z into a
fraction with the split logit-normal quantile function

    fraction = lower + (upper − lower) · expit(g(m) + z × (s_low if z < 0 else s_high))

where s_low and s_high put p10 and p90 exactly at z = ∓1.2816 (the normal's 10th and 90th
percentiles) and m, the median, is the grade-B median with its odds multiplied by the grade's
``risk.evidence.odds_ratio`` (on the 0–1 scale, as the grades were calibrated) and scaled by
the ambition curve: z = 0 (the central case) gives m. Slippage (0, 1, 2 years or never), the
system-pressure loading, optimism bias and the availability of capital come from their own
files.
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
SUPPORT = "risk.support.{type}.{end}"
SLIPPAGE = "risk.slippage.{type}.{n}"
AMBITION = "risk.ambition.{type}.{n}"
AMBITION_TYPES: tuple[str, ...] = ("provider_efficiency", "demand_management_outpatients",
                                   "demand_management_elective",
                                   "demand_management_non_elective", "demand_management_ae")
"""Types whose delivered fraction falls as their ask rises (``risk.ambition``)."""
CAPITAL = "risk.capital.{n}"
LOADING = "risk.pressure.loading"
OPTIMISM = "risk.optimism_bias.investment.{case}"
Z90 = float(ndtri(0.9))  # the standard normal's 90th percentile: where p90 sits
MAX_DELAY = 2  # slippage is 0, 1 or 2 years (risk.slippage has one_year and two_years)
NEVER = MAX_DELAY + 1  # the money tables' last slot: the scheme does not happen
SLOTS = NEVER + 1  # slots of the money tables: delays 0 … MAX_DELAY, then never
_EDGE = float(logit(1e-6))  # a median at the very end of its range is held just inside it


@dataclass(frozen=True)
class Priors:
    """Per-scheme prior arrays, all shape (scheme,)."""

    centre: np.ndarray  # g(median): the graded, ambition-scaled median on the logit scale
    s_low: np.ndarray  # logit spread below the median, per unit of z
    s_high: np.ndarray  # logit spread above the median
    lower: np.ndarray  # the fraction's range: lower + width · expit(·)
    width: np.ndarray
    central_fraction: np.ndarray  # fraction delivered at z = 0
    certain: np.ndarray  # bool: p10 = median = p90, so the fraction is central_fraction
    slip_cumulative: np.ndarray  # (scheme, 3): P(delay < 1), P(delay < 2), P(not never)
    capital_cumulative: np.ndarray  # (scheme, 2): P(capital on time), P(on time or a year late)
    loading: np.ndarray  # system-pressure loading (correlation)
    optimism: np.ndarray  # (scheme, 3): low, central, high uplift on costs
    ambition: np.ndarray  # multiplier of the median from the ask (1 where not adjusted)


def _table(params: Parameters, problems: list[Problem]) -> dict[str, np.ndarray]:
    """Arrays over TYPES (and GRADES) for one parameter tree, checking they are coherent."""
    def value(path: str) -> float:
        return params.value(path)

    q = np.array([[value(DELIVERY.format(type=t, q=k)) for k in ("p10", "median", "p90")]
                  for t in TYPES])
    support = np.array([[value(SUPPORT.format(type=t, end=e)) for e in ("lower", "upper")]
                        for t in TYPES])
    slip = np.array([[value(SLIPPAGE.format(type=t, n=n))
                      for n in ("one_year", "two_years", "never")] for t in TYPES])
    odds = np.array([value(GRADE_PATHS[g]) for g in GRADES])
    optimism = np.array([value(OPTIMISM.format(case=c)) for c in ("low", "central", "high")])
    reference, full = (np.array([value(AMBITION.format(type=t, n=n)) if t in AMBITION_TYPES
                                 else np.nan for t in TYPES]) for n in ("reference", "full"))
    capital = np.array([value(CAPITAL.format(n=n)) for n in ("on_time", "one_year_late")])
    for t, (p10, median, p90), (lower, upper) in zip(TYPES, q, support, strict=True):
        paths = [DELIVERY.format(type=t, q=k) for k in ("p10", "median", "p90")]
        ends = [SUPPORT.format(type=t, end=e) for e in ("lower", "upper")]
        certain = p10 == median == p90
        if not lower < upper:
            problems.append(_problem(params, ends, f"need lower < upper, got {lower:g}, "
                                     f"{upper:g}"))
        elif not p10 <= median <= p90:
            problems.append(_problem(params, paths, f"need p10 <= median <= p90, got "
                                     f"{p10:g}, {median:g}, {p90:g}"))
        elif certain and not lower <= median <= upper:
            problems.append(_problem(params, paths + ends, f"certain delivery {median:g} is "
                                     f"outside the range {lower:g} to {upper:g}"))
        elif not certain and not (lower < p10 and p90 < upper):
            problems.append(_problem(params, paths + ends, f"a spread needs lower < p10 and "
                                     f"p90 < upper (got {p10:g}, {p90:g} within {lower:g} to "
                                     f"{upper:g}); for certain delivery set p10 = median = "
                                     "p90"))
    for t, row in zip(TYPES, slip, strict=True):
        if row.sum() > 1:
            paths = [SLIPPAGE.format(type=t, n=n) for n in ("one_year", "two_years", "never")]
            problems.append(_problem(params, paths, f"one_year + two_years + never = "
                                     f"{row.sum():g} is more than 1"))
    if capital.sum() > 1:
        paths = [CAPITAL.format(n=n) for n in ("on_time", "one_year_late")]
        problems.append(_problem(params, paths, f"on_time + one_year_late = {capital.sum():g}"
                                 " is more than 1"))
    for g, ratio in zip(GRADES, odds, strict=True):
        if not ratio > 0:
            problems.append(_problem(params, [GRADE_PATHS[g]], "an odds ratio must be above 0"))
    if not optimism[0] <= optimism[1] <= optimism[2]:
        paths = [OPTIMISM.format(case=c) for c in ("low", "central", "high")]
        problems.append(_problem(params, paths, "optimism bias needs low <= central <= high, "
                                 "got " + ", ".join(f"{v:g}" for v in optimism)))
    return {"q": q, "support": support, "slip": slip, "odds": odds, "optimism": optimism,
            "reference": reference, "full": full, "capital": capital, "loading": np.array(value(LOADING))}


def _problem(params: Parameters, paths: list[str], message: str) -> Problem:
    """A problem placed on the overridden parameter among ``paths`` (else the first)."""
    path = next((p for p in paths if params[p].override), paths[0])
    param = params[path]
    where = param.override or param.file
    return problem(where, message, None if param.override else param.line, path)


def ambition_multiplier(ask: np.ndarray, reference: np.ndarray, full: np.ndarray,
                        median: np.ndarray) -> np.ndarray:
    """The ambition curve, the factor on a scheme's median fraction delivered: above the
    ``reference`` ask it delivers the amount the reference does (reference / ask); at or below
    ``full`` it delivers all of its plan at the median (1 / median); in between the factor
    runs straight from one to the other; with ``full`` at or above the reference, smaller
    asks keep the median as it is. 1 where the ask or the reference is unknown (NaN).
    Non-increasing in the ask."""
    span = reference - full  # full >= reference: asking less than the reference earns nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        above = reference / ask
        between = np.where(span > 0, 1 + (1 / median - 1) * (reference - ask) / span, 1.0)
        below = np.where(span > 0, 1 / median, 1.0)
        scale = np.where(ask >= reference, above, np.where(ask <= full, below, between))
    return np.where(np.isfinite(scale) & (ask > 0), scale, 1.0)


def build_priors(trees: Sequence[Parameters], tree_index: np.ndarray, types: np.ndarray,
                 grades: np.ndarray, ask: np.ndarray | None = None,
                 unfunded: np.ndarray | None = None) -> Priors:
    """Priors for each scheme from its plan's parameter tree.

    ``trees`` holds the distinct trees; ``tree_index``, ``types`` and ``grades`` give, per
    scheme, the index of its tree, of its type in ``TYPES`` and of its grade in ``GRADES``;
    ``ask`` its ambition (NaN where unknown) and ``unfunded`` the share of its capital not
    yet secured (0 where it needs none).
    """
    problems: list[Problem] = []
    tables = [_table(tree, problems) for tree in trees]
    if problems:
        raise ParameterError(list(dict.fromkeys(problems)))
    n = len(types)
    ask = np.full(n, np.nan) if ask is None else ask
    unfunded = np.zeros(n) if unfunded is None else np.clip(unfunded, 0.0, 1.0)
    stack = {k: np.stack([t[k] for t in tables]) for k in tables[0]}
    q = stack["q"][tree_index, types]  # (scheme, 3)
    lower, upper = stack["support"][tree_index, types].T
    width = upper - lower
    ambition = ambition_multiplier(ask, stack["reference"][tree_index, types],
                                   stack["full"][tree_index, types], q[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        g = logit((q - lower[:, None]) / width[:, None])  # the quantiles on the logit scale
        s_low = np.where(q[:, 0] < q[:, 1], (g[:, 1] - g[:, 0]) / Z90, 0.0)
        s_high = np.where(q[:, 2] > q[:, 1], (g[:, 2] - g[:, 1]) / Z90, 0.0)
        shift = np.log(stack["odds"][tree_index, grades])
        # grades multiply the odds of the 0–1 median, as they were calibrated; a median
        # outside (0, 1) has its odds multiplied within its own range instead
        inside = (q[:, 1] > 0) & (q[:, 1] < 1)
        graded = np.where(inside, expit(logit(q[:, 1]) + shift),
                          lower + width * expit(g[:, 1] + shift))
    graded = np.where(shift == 0, q[:, 1], graded)
    median = np.where(ambition == 1, graded, graded * ambition)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.clip(logit((median - lower) / width), _EDGE, -_EDGE)
    certain = (q[:, 0] == q[:, 1]) & (q[:, 1] == q[:, 2])
    # certain delivery is exactly the value set, whatever the grade or the ask
    central_fraction = np.where(certain, q[:, 1], median)
    slip = stack["slip"][tree_index, types]
    on_time, late = stack["capital"][tree_index].T
    return Priors(centre=centre, s_low=s_low, s_high=s_high, lower=lower, width=width,
                  central_fraction=central_fraction, certain=certain,
                  slip_cumulative=np.stack([1 - slip.sum(axis=1), 1 - slip[:, 1:].sum(axis=1),
                                            1 - slip[:, 2]], axis=1),
                  capital_cumulative=np.stack([1 - unfunded * (1 - on_time),
                                               1 - unfunded * (1 - on_time - late)], axis=1),
                  loading=stack["loading"][tree_index],
                  optimism=stack["optimism"][tree_index], ambition=ambition)
