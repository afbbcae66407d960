"""The access model of one service: small areas × the service's sites, with travel computed once.

``build_model`` is the slow step (distances, estimates, matrix look-ups for every pair); every
scenario and sweep afterwards only re-ranks columns of the arrays it holds. Models of the
built-in data are kept (a few, most recently used) so repeated calls — the national review,
the web app's "what if" — build each service once; their arrays are read-only.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openstp.access.areas import DEFAULT_POPULATION_YEAR, small_areas
from openstp.access.matrix import TravelMatrix, builtin_matrix, read_matrix
from openstp.access.mortality import Gradient
from openstp.access.order import sorted_keys
from openstp.access.services import SERVICES, ServiceInfo, service_info
from openstp.access.sites import builtin_sites, read_sites, resolve_site, sites_offering
from openstp.access.travel import EstimateModel, Travel, travel_arrays
from openstp.params import Parameters, builtin_parameters


@dataclass(frozen=True)
class Assignment:
    """Each area's site (column; opened sites follow the model's), minutes, km and method."""

    site: np.ndarray  # (area,) int64
    minutes: np.ndarray  # (area,) float32
    km: np.ndarray  # (area,) float32
    method: np.ndarray  # (area,) int8 codes into METHODS

    @classmethod
    def at(cls, travel: Travel, site: np.ndarray) -> Assignment:
        """Every area at column ``site`` of ``travel``."""
        rows = np.arange(len(site))
        return cls(site, travel.minutes[rows, site], travel.km[rows, site],
                   travel.method[rows, site])


@dataclass
class AccessModel:
    """Travel from every England LSOA to every site of one service, and the baseline nearest."""

    service: ServiceInfo
    areas: pd.DataFrame  # small_areas rows, aligned with the arrays' rows
    sites: pd.DataFrame  # the service's sites, aligned with the arrays' columns
    all_sites: pd.DataFrame  # the whole site table (for opening a service at another site)
    travel: Travel
    users: np.ndarray  # float64 weights per area
    estimate: EstimateModel
    params: Parameters
    matrices: tuple[TravelMatrix, ...]
    notes: list[str] = field(default_factory=list)
    best: np.ndarray = field(init=False)  # (area,) baseline nearest site (column)
    second: np.ndarray = field(init=False)  # (area,) where it goes if that closes; -1 if alone
    baseline: Assignment = field(init=False)  # every area at ``best``
    runner_up: Assignment | None = field(init=False)  # every area at ``second`` (sweeps)
    baseline_keys: np.ndarray = field(init=False)  # (area,) sorted keys of baseline minutes
    gradient: Gradient | None = field(init=False)  # distance-mortality, if it applies
    _columns: dict[str, int] = field(init=False, repr=False)  # upper-case site_id -> column
    _kept: dict = field(init=False, repr=False)  # ``keep``'s results, most recent last

    def __post_init__(self) -> None:
        minutes = self.travel.minutes  # (area, site)
        rows = np.arange(len(minutes))
        if minutes.shape[1] == 1:
            self.best = np.zeros(len(minutes), np.int64)
            self.second = np.full(len(minutes), -1, np.int64)
            self.runner_up = None
        else:
            two = np.argpartition(minutes, 1, axis=1)[:, :2]
            first_is_best = minutes[rows, two[:, 0]] <= minutes[rows, two[:, 1]]
            self.best = np.where(first_is_best, two[:, 0], two[:, 1])
            # Second is the site a closure of ``best`` re-ranks to (``reassign``'s argmin: the
            # lowest column among ties), so a sweep row equals that closure run on its own.
            masked = minutes.copy()
            masked[rows, self.best] = np.inf
            self.second = masked.argmin(axis=1)
            self.runner_up = Assignment.at(self.travel, self.second)
        self.baseline = Assignment.at(self.travel, self.best)
        self.baseline_keys = sorted_keys(self.baseline.minutes)
        shared = [self.users, self.second, self.baseline_keys]  # by every scenario
        for a in (self.baseline, self.runner_up):
            shared += [a.site, a.minutes, a.km, a.method] if a is not None else []
        for array in shared:
            array.flags.writeable = False
        self.gradient = Gradient.from_params(self.params) if self.service.mortality else None
        ids = self.sites["site_id"].fillna("").astype(str).str.upper()
        unique = ~ids.duplicated(keep=False).to_numpy()
        self._columns = {k: i for i, (k, one) in enumerate(zip(ids, unique, strict=True)) if one}
        self._kept = {}

    @property
    def n_areas(self) -> int:
        """Number of small areas (rows of every array)."""
        return len(self.areas)

    def keep(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept for later calls with the same ``key`` (the 64 most recent): for
        figures of the baseline, which read only the model's read-only arrays."""
        with _LOCK:
            if key in self._kept:
                self._kept[key] = self._kept.pop(key)
                return self._kept[key]
        value = compute()
        with _LOCK:
            self._kept[key] = value
            while len(self._kept) > _KEPT_PER_MODEL:
                del self._kept[next(iter(self._kept))]
        return value

    def column(self, query: str, field: str = "site") -> int:
        """Column of the model's site ``query`` names, as ``resolve_site`` finds it (a site id
        first, then code, postcode or name); a site id is a dictionary look-up."""
        col = self._columns.get(query.strip().upper())
        return resolve_site(query, self.sites, field=field) if col is None else col


_MODELS: OrderedDict[tuple, AccessModel] = OrderedDict()  # built-in data, most recent last
_MODELS_KEPT = len(SERVICES)  # one per service: an ED model holds about 50 MB
_KEPT_PER_MODEL = 64  # baseline summaries: England and each footprint of a set
_LOCK = threading.Lock()


def build_model(service: str, *, sites: pd.DataFrame | str | Path | None = None,
                matrix: str | Path | TravelMatrix | None = None, use_builtin_matrix: bool = True,
                params: Parameters | None = None,
                population_year: int = DEFAULT_POPULATION_YEAR, cache: bool = True) -> AccessModel:
    """Build the access model of ``service`` ("ed", "maternity", "neonatal", "stroke",
    "thrombectomy") over all England LSOAs.

    ``sites`` is a site table or a CSV path (default: the built-in table); ``matrix`` a user's
    travel-time matrix (CSV/Parquet path) whose minutes override the shipped road matrix.
    With neither, the model is kept and shared by later calls with the same travel inputs
    (``cache=False`` builds afresh); its arrays and tables are shared, so treat them as
    read-only.
    """
    info = service_info(service)
    params = params or builtin_parameters()
    if sites is not None or matrix is not None or not cache:
        return _build(info, sites, matrix, use_builtin_matrix, params, population_year)
    # Everything the arrays depend on; the gradient is read afresh from ``params`` below.
    screen = params.value("access.travel.matrix_screen_minutes") if use_builtin_matrix else None
    key = (info.name, use_builtin_matrix, screen, EstimateModel.from_params(params),
           population_year)
    with _LOCK:
        model = _MODELS.pop(key, None)
        if model is not None:
            _MODELS[key] = model
    if model is None:
        model = _build(info, None, None, use_builtin_matrix, params, population_year)
        for array in (model.travel.minutes, model.travel.km, model.travel.method):
            array.flags.writeable = False
        with _LOCK:
            _MODELS[key] = model
            while len(_MODELS) > _MODELS_KEPT:
                _MODELS.popitem(last=False)
    if model.params is params:
        return model
    out = copy.copy(model)  # the arrays stay shared; these parameters and their gradient
    out.params = params
    out.gradient = Gradient.from_params(params) if info.mortality else None
    return out


def _build(info: ServiceInfo, sites: pd.DataFrame | str | Path | None,
           matrix: str | Path | TravelMatrix | None, use_builtin_matrix: bool,
           params: Parameters, population_year: int) -> AccessModel:
    source = "built-in service_sites"
    if sites is None:
        table = builtin_sites()
    elif isinstance(sites, pd.DataFrame):
        table, source = sites, "site table"
    else:
        table, source = read_sites(sites), str(sites)
    offering = sites_offering(info.name, table, source)
    matrices: list[TravelMatrix] = []
    if use_builtin_matrix:
        matrices.append(builtin_matrix(params.value("access.travel.matrix_screen_minutes")))
    if isinstance(matrix, TravelMatrix):
        matrices.append(matrix)
    elif matrix is not None:
        matrices.append(read_matrix(matrix, table))
    areas = small_areas(population_year)
    estimate = EstimateModel.from_params(params)
    travel = travel_arrays(areas, offering, estimate, matrices)
    notes = [n for m in matrices for n in m.notes]
    return AccessModel(service=info, areas=areas, sites=offering, all_sites=table, travel=travel,
                       users=areas[info.users].to_numpy(float), estimate=estimate, params=params,
                       matrices=tuple(matrices), notes=notes)
