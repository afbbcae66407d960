"""Staff in post and vacancies per footprint and group in the base year.

No trust or CCG workforce figures for the STP years are shipped, so national totals (NHS Digital,
HSCIC, Skills for Care; see ``params/workforce/staff.yaml``) are apportioned to footprints by
the gap model's cost-weighted population of each group's setting: the footprint's share of
England's base-year spend in the sectors of that setting. Every output carries ``METHOD``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from openstp.gap import GapArrays
from openstp.workforce.groups import GROUPS, LABELS, SETTING_OF_GROUP, SETTINGS
from openstp.workforce.inputs import StaffParams

METHOD = ("apportioned: national staff in post and vacancy rates (NHS Digital, HSCIC, Skills "
          "for Care) shared out by each footprint's cost-weighted population in the group's "
          "setting (gap model); no trust or CCG workforce data for 2015-2017 are shipped")


@dataclass(frozen=True)
class Settings:
    """Spend and activity of each care setting: sums of the gap model's sectors."""

    names: list[str]
    spend: np.ndarray  # (f, setting) base-year spend, £
    activity: np.ndarray  # (f, setting, y) demographic activity index, 1 at the base year

    @property
    def share(self) -> np.ndarray:
        """Each footprint's share of England's base-year spend in each setting (f, setting)."""
        return _ratio(self.spend, self.spend.sum(axis=0, keepdims=True), 0.0)

    def of_groups(self, values: np.ndarray) -> np.ndarray:
        """Pick per-setting values (setting on axis 1) for each group: axis 1 becomes group."""
        index = [self.names.index(SETTING_OF_GROUP[g]) for g in GROUPS]
        return values[:, index]


def _ratio(top: np.ndarray, bottom: np.ndarray, empty: float) -> np.ndarray:
    """top / bottom, ``empty`` where bottom is 0 (a setting without spend)."""
    top, bottom = np.broadcast_arrays(top, bottom)
    return np.divide(top, bottom, out=np.full(top.shape, empty), where=bottom != 0)


def settings_from_gap(arrays: GapArrays) -> Settings:
    """Spend-weighted settings from the gap model's (footprint, sector, year) arrays."""
    names = list(SETTINGS)
    spend = np.stack([arrays.base[:, [arrays.sectors.index(s) for s in SETTINGS[n]]].sum(axis=1)
                      for n in names], axis=1)
    # A setting with no spend (social care in today's ICB sets, outside the ICB total) has no
    # activity to grow: index 1 and share 0, not 0/0.
    activity = np.stack([
        _ratio((arrays.base[:, idx, None] * arrays.demographic_index[:, idx, :]).sum(axis=1),
               arrays.base[:, idx].sum(axis=1)[:, None], 1.0)
        for idx in ([arrays.sectors.index(s) for s in SETTINGS[n]] for n in names)], axis=1)
    return Settings(names, spend, activity)


def posts(in_post: np.ndarray, vacancy_rate: np.ndarray) -> np.ndarray:
    """Posts (staff in post + vacancies) from staff in post and the vacant share of posts."""
    return in_post / (1 - vacancy_rate)


def apportion(national: np.ndarray, settings: Settings) -> np.ndarray:
    """National per-group figures ``(..., g)`` shared to footprints: ``(..., f, g)``."""
    return np.asarray(national)[..., None, :] * settings.of_groups(settings.share)


def baseline_table(footprints: list[str], names: pd.Series, in_post: np.ndarray,
                   vacancy_rate: np.ndarray) -> pd.DataFrame:
    """Rows per footprint × group: staff in post, vacancies and posts in the base year (central).

    ``in_post`` (f, g) FTE; ``vacancy_rate`` (g,) the central vacant share of posts.
    """
    vacancies = posts(in_post, vacancy_rate) - in_post
    f, g = np.meshgrid(np.arange(len(footprints)), np.arange(len(GROUPS)), indexing="ij")
    return pd.DataFrame({
        "footprint": np.asarray(footprints)[f.ravel()],
        "name": names.reindex(np.asarray(footprints)[f.ravel()]).to_numpy(),
        "group": np.asarray(GROUPS)[g.ravel()],
        "label": [LABELS[x] for x in np.asarray(GROUPS)[g.ravel()]],
        "in_post": in_post.ravel(),
        "vacancies": vacancies.ravel(),
        "posts": (in_post + vacancies).ravel(),
        "method": "apportioned",
    })


def national_in_post(staff: StaffParams) -> dict[str, float]:
    """England's staff in post per group in the base year (FTE)."""
    return {g: float(v) for g, v in zip(GROUPS, staff.in_post, strict=True)}
