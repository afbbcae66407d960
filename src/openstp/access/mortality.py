"""Expected change in deaths from longer emergency journeys (Nicholl et al. 2007), an estimate.

The risk of death of a life-threatening emergency carried ``d`` straight-line km is
``expit(logit(baseline_risk) + ln(odds_ratio_per_km) × (d − reference_km))``; an area's change
in deaths a year is its residents × emergencies per person × (risk after − risk before). The
low and high figures use the 95% confidence limits of the odds ratio.

The study's journeys ran from 0 to 58 km (``access.mortality.study_max_km``): beyond that the
gradient is unknown, so a distance past it counts as that distance (the estimate is capped), and
the people it affects are counted so every output can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openstp.params import Parameters

LABEL = ("estimate: Nicholl et al. 2007 distance-mortality gradient for life-threatening "
         "emergencies (odds ratio 1.02 per straight-line km, 95% CI 1.01-1.03, journeys of "
         "0-58 km, longer ones counted at 58 km), applied to "
         "access.mortality.emergencies_per_person (an upper bound); deaths a year")


@dataclass(frozen=True)
class Gradient:
    """The distance-mortality gradient's parameters, read from ``access.mortality.*``."""

    odds_ratio: tuple[float, float, float]  # central, low, high
    baseline_risk: float
    reference_km: float
    emergencies_per_person: float
    max_km: float = float("inf")

    @classmethod
    def from_params(cls, params: Parameters) -> Gradient:
        """Read the gradient from ``params`` (central, low and high odds ratio)."""
        path = "access.mortality.odds_ratio_per_km"
        central, low, high = (params.value(path, case=c) for c in ("central", "low", "high"))
        return cls(odds_ratio=(central, low, high),
                   baseline_risk=params.value("access.mortality.baseline_risk"),
                   reference_km=params.value("access.mortality.reference_km"),
                   emergencies_per_person=params.value("access.mortality.emergencies_per_person"),
                   max_km=params.value("access.mortality.study_max_km"))

    def risk(self, km: np.ndarray, case: int = 0) -> np.ndarray:
        """Risk of death at straight-line distance ``km`` (case 0 central, 1 low, 2 high), with
        distances beyond the study's longest counted as that (the gradient is unknown there)."""
        p0 = self.baseline_risk
        km = np.minimum(np.asarray(km, float), self.max_km)
        logit = np.log(p0 / (1 - p0)) + np.log(self.odds_ratio[case]) * (km - self.reference_km)
        return 1.0 / (1.0 + np.exp(-logit))

    def extra_deaths(self, persons: np.ndarray, km_before: np.ndarray,
                     km_after: np.ndarray) -> np.ndarray:
        """Change in deaths a year per area: rows central, low, high (3 × areas)."""
        cases = persons * self.emergencies_per_person
        return np.stack([cases * (self.risk(km_after, c) - self.risk(km_before, c))
                         for c in range(3)])

    def beyond_evidence(self, km: np.ndarray) -> np.ndarray:
        """True where a journey is longer than any the study observed (its estimate is capped)."""
        return np.asarray(km, float) > self.max_km

    def caveat(self, people: float, deaths: float) -> str:
        """The sentence every output carries when some journeys are beyond the study's range."""
        return (f"{people:,.0f} residents would travel further than {self.max_km:g} km, the "
                "longest journey in Nicholl et al. (2007): the gradient is unknown there, so "
                f"their journeys count as {self.max_km:g} km and the estimate of {deaths:,.1f} "
                "extra deaths a year is capped and outside the study's evidence")
