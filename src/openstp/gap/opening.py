"""Each footprint's opening underlying position: England's base-year deficit shared to
footprints by the best per-trust evidence shipped, every part labelled by how it was found.

    published[f]   = Σ deficits of f's trusts that a source names (reported 2015/16 outturn)
    proxy[f]       = (England's provider deficit − Σ named) × f's share of section 40 revenue
                     loans of 2016/17 drawn by the other trusts (a loan is a sign of distress)
    apportioned[f] = −England's commissioner surplus × f's share of NHS England base spend
    opening[f]     = published + proxy + apportioned, or the plan's own figure, which wins

Sign: as every gap here, a deficit is positive. A footprint's ``opening_method`` is the method
behind the largest part of its opening position (``plan`` where the plan states its own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from openstp import data

METHODS = ("published", "proxy", "apportioned")


@dataclass(frozen=True)
class Opening:
    """Opening position parts per footprint (f,), £ cash in the base year, deficit positive."""

    footprints: list[str]
    published: np.ndarray  # (f,) named trusts' own reported positions
    proxy: np.ndarray  # (f,) the rest of England's provider deficit, by section 40 loans
    apportioned: np.ndarray  # (f,) commissioners' surplus, by NHS spend
    own: np.ndarray  # (f,) the plan's own figure, NaN where the plan states none
    proxy_weight: np.ndarray  # (f,) share of England's provider deficit beyond the named trusts

    @property
    def total(self) -> np.ndarray:
        """(f,) the opening position used: the plan's own where given, else the sum of parts."""
        return np.where(np.isnan(self.own), self.published + self.proxy + self.apportioned,
                        self.own)

    @property
    def method(self) -> np.ndarray:
        """(f,) text: ``plan`` or the method of the largest part."""
        parts = np.abs(np.stack([self.published, self.proxy, self.apportioned]))
        largest = np.asarray(METHODS, dtype=object)[parts.argmax(axis=0)]
        return np.where(np.isnan(self.own), largest, "plan").astype(object)


@dataclass(frozen=True)
class TrustEvidence:
    """Per-trust evidence summed to footprints (f,), read-only: what sharing England needs."""

    named: np.ndarray  # reported 2015/16 positions of named trusts (a deficit negative), £
    loans: np.ndarray  # section 40 revenue loans drawn in 2016/17 by the other trusts, £
    beds: np.ndarray  # general and acute beds, winter 2016/17


@lru_cache(maxsize=8)
def trust_evidence(footprint_set: str, footprints: tuple[str, ...]) -> TrustEvidence:
    """The ``trusts`` table summed over each footprint's trusts (by the trust's population
    share where it is split between footprints), once per footprint set."""
    trusts = data.table("trusts").set_index("code")
    position = trusts["position_2015_16"]
    orgs = data.organisations(footprint_set)
    orgs = orgs[orgs["code"].isin(trusts.index) & orgs["footprint"].isin(footprints)]
    rows = np.array([footprints.index(c) for c in orgs["footprint"]], dtype=np.intp)
    share = orgs["share"].to_numpy(float)

    def summed(values: pd.Series) -> np.ndarray:
        out = np.zeros(len(footprints))
        np.add.at(out, rows, orgs["code"].map(values).fillna(0.0).to_numpy(float) * share)
        out.setflags(write=False)
        return out

    return TrustEvidence(named=summed(position.fillna(0.0)),
                         loans=summed(trusts["s40_revenue_loans_2016_17"][position.isna()]),
                         beds=summed(trusts["ga_beds_2016_17"]))


def share_opening(footprint_set: str, footprints: list[str], nhs_share: np.ndarray,
                  provider_deficit: float, commissioner_surplus: float,
                  own: Mapping[str, float] | None = None) -> Opening:
    """England's opening deficit (``provider_deficit`` − ``commissioner_surplus``, £) shared to
    ``footprints``; ``nhs_share`` (f,) is each footprint's share of NHS England base spend and
    ``own`` maps footprint code → the plan's own opening position (£).

    The proxy part takes whatever the named trusts do not hold, so the parts of every footprint
    add up to England's figure exactly, whichever trusts a footprint set can place.
    """
    evidence = trust_evidence(footprint_set, tuple(footprints))
    published = -evidence.named  # a deficit is negative in the accounts, positive as a gap
    weight = evidence.loans / evidence.loans.sum()
    proxy = (provider_deficit - published.sum()) * weight
    apportioned = -commissioner_surplus * nhs_share
    given = np.full(len(footprints), np.nan)
    for code, amount in (own or {}).items():
        given[footprints.index(code)] = amount
    return Opening(list(footprints), published, proxy, apportioned, given, weight)
