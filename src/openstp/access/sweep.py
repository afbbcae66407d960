"""Sweeps: the harm each site's closure alone would do, for every site of a service at once.

With each area's nearest and second-nearest site (and travel to both) precomputed in the
model, closing site j moves exactly the areas whose nearest it is to their second-nearest;
every per-site total is then one weighted ``bincount`` over areas, so all closures cost about
as much as one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from openstp.access.equity import DEFAULT_MILES, DEFAULT_MINUTES
from openstp.access.model import AccessModel
from openstp.access.sums import code_sums
from openstp.access.travel import KM_PER_MILE
from openstp.errors import OpenSTPError, problem

RANK_BY = {"beyond": "users newly beyond the first minutes threshold",
           "deaths": "estimated extra deaths a year (emergency departments only)",
           "minutes": "extra user-minutes of travel"}


def closure_sweep(model: AccessModel, sites: np.ndarray | None = None,
                  minutes: Sequence[float] = DEFAULT_MINUTES,
                  miles: Sequence[float] = DEFAULT_MILES, rank_by: str = "beyond",
                  scope: np.ndarray | None = None) -> pd.DataFrame:
    """One row per site (``sites``: bool mask over the model's sites, default all): what closing
    it alone would do to the users of ``scope`` areas (default all England), ranked by
    ``rank_by`` (see ``RANK_BY``)."""
    if rank_by not in RANK_BY:
        raise OpenSTPError([problem("--rank-by", f"unknown {rank_by!r}; choose one of "
                                    f"{', '.join(RANK_BY)}", field="rank_by")])
    m = len(model.sites)
    if m < 2:
        raise OpenSTPError([problem("--sweep", f"only {m} {model.service.name} site: closing it "
                                    "leaves nobody a site to go to")])
    best, near, fallback = model.best, model.baseline, model.runner_up
    w = model.users if scope is None else model.users * scope  # (area,)
    extra_min, extra_km = fallback.minutes - near.minutes, fallback.km - near.km  # (area,)

    def per_site(values: np.ndarray) -> np.ndarray:
        return code_sums(best, values[None], m)[0]  # (site,)

    users = per_site(w)
    cols = {"site_id": model.sites["site_id"], "name": model.sites["name"],
            "users_nearest": users}
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["mean_extra_minutes"] = per_site(w * extra_min) / users
        cols["mean_extra_km"] = per_site(w * extra_km) / users
        cols["estimated_share_after"] = per_site(w * (fallback.method == 0)) / users
    cols["extra_user_minutes"] = per_site(w * extra_min)
    for th in minutes:
        cols[f"newly_beyond_{th:g}min"] = per_site(
            w * ((fallback.minutes > th) & (near.minutes <= th)))
    for mi in miles:
        limit = mi * KM_PER_MILE
        cols[f"newly_beyond_{mi:g}mi"] = per_site(w * ((fallback.km > limit) & (near.km <= limit)))
    if model.gradient is not None:
        persons = model.areas["persons"].to_numpy(float)
        if scope is not None:
            persons = persons * scope
        deaths = model.gradient.extra_deaths(persons, near.km, fallback.km)  # (3, area)
        for name, row in zip(("", "_low", "_high"), deaths, strict=True):
            cols[f"extra_deaths_estimate{name}"] = per_site(row)
    out = pd.DataFrame(cols)
    if sites is not None:
        out = out[sites]
    key = {"beyond": f"newly_beyond_{minutes[0]:g}min", "minutes": "extra_user_minutes",
           "deaths": "extra_deaths_estimate"}[rank_by]
    if key not in out:
        raise OpenSTPError([problem("--rank-by", f"{rank_by} is only for emergency departments",
                                    field="rank_by")])
    out = out.sort_values([key, "extra_user_minutes"], ascending=False, kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
