"""Rules as a catalogue: each readiness question is data (id, question, source, what it reads)
plus one small function that returns a rating and a sentence with the numbers behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from openstp.params import Parameters
from openstp.plan import Plan


class Rating(StrEnum):
    """How far a plan meets a rule."""

    met = "met"
    partly = "partly"
    not_met = "not_met"
    no_evidence = "no_evidence"
    not_applicable = "not_applicable"
    """The plan proposes nothing the rule tests (no closures, no reconfiguration …): the rule
    neither passes nor fails, and does not count towards readiness."""


@dataclass(frozen=True)
class Verdict:
    """One rule's outcome for one plan, with the sentence that explains it."""

    rule: str
    rating: Rating
    explanation: str


@dataclass
class Evidence:
    """What the review reads about one footprint: its plan and each model's results.

    A model that was not run leaves its field ``None``; rules that need it say so.
    """

    plan: Plan
    footprint: str
    organisations: pd.DataFrame
    gap: dict[str, float]
    base_spend: dict[str, float]
    risk: dict[str, Any] | None = None
    beds: dict[str, Any] | None = None
    workforce: dict[str, Any] | None = None
    access: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


RuleFunction = Callable[[Evidence, "Thresholds"], tuple[Rating, str]]


@dataclass(frozen=True)
class Rule:
    """A readiness question: where it comes from, what it reads, and how it is judged."""

    id: str
    title: str
    question: str
    source: str
    reads: tuple[str, ...]
    judge: RuleFunction

    @property
    def short(self) -> str:
        """A title short enough to head a column of the rule matrix."""
        return SHORT_TITLES.get(self.id, self.title)

    def __call__(self, evidence: Evidence, thresholds: Thresholds) -> Verdict:
        rating, sentence = self.judge(evidence, thresholds)
        return Verdict(self.id, rating, sentence)


class Thresholds:
    """The review's thresholds, read by name from ``review.*`` parameters."""

    def __init__(self, params: Parameters) -> None:
        self._params = params

    def __getattr__(self, name: str) -> float:
        return self._params.value(f"review.thresholds.{name}")

    def params(self) -> Parameters:
        """The full parameter tree (for rules that read model parameters too)."""
        return self._params


SHORT_TITLES = {
    "lsbu.funding": "Funding", "lsbu.collaboration": "Collaboration",
    "lsbu.governance": "Governance", "lsbu.leadership": "Leadership", "lsbu.pace": "Pace",
    "lsbu.local_government": "Councils", "lsbu.accountability": "Public account",
    "lsbu.business_plans": "Business cases", "lsbu.workforce": "Workforce",
    "lsbu.demand_before_cuts": "Demand first", "nhse.bed_test": "Bed test",
    "tests2010.gp_support": "GP support", "tests2010.public_engagement": "Engagement",
    "tests2010.clinical_evidence": "Clinical evidence", "tests2010.patient_choice": "Choice",
    "evidence.quality": "Evidence", "evidence.savings_vs_achieved": "CIP record",
    "access.equity": "Access",
}
"""Column headings of the rule matrix (the full title and question are in the rule key)."""

CATALOGUE: dict[str, Rule] = {}


def rule(id: str, title: str, question: str, source: str, reads: tuple[str, ...]
         ) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function in the catalogue under ``id``."""

    def register(fn: RuleFunction) -> RuleFunction:
        if id in CATALOGUE:
            raise ValueError(f"rule {id} registered twice")
        CATALOGUE[id] = Rule(id, title, question, source, reads, fn)
        return fn

    return register


def banded(value: float, met: float, partly: float, sentence: str,
           higher_is_better: bool = False) -> tuple[Rating, str]:
    """Rate ``value`` against two cut-offs: met within ``met``, partly within ``partly``."""
    sign = -1 if higher_is_better else 1
    if sign * value <= sign * met:
        return Rating.met, sentence + "."
    return (Rating.partly if sign * value <= sign * partly else Rating.not_met), sentence + "."


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 consultation"``, ``"2 consultations"``."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def money(amount: float) -> str:
    """£ in millions for sentences: £12.3m."""
    return f"£{amount / 1e6:,.1f}m"
