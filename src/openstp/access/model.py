"""The access model of one service: small areas × the service's sites, with travel computed once.

``build_model`` is the slow step (distances, estimates, matrix look-ups for every pair); every
scenario and sweep afterwards only re-ranks columns of the arrays it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from openstp.access.areas import DEFAULT_POPULATION_YEAR, small_areas
from openstp.access.matrix import TravelMatrix, builtin_matrix, read_matrix
from openstp.access.services import ServiceInfo, service_info
from openstp.access.sites import builtin_sites, read_sites, sites_offering
from openstp.access.travel import EstimateModel, Travel, travel_arrays
from openstp.params import Parameters, builtin_parameters


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
    best: np.ndarray = field(init=False)  # baseline nearest site (column) per area
    second: np.ndarray = field(init=False)  # second nearest (for closure sweeps)

    def __post_init__(self) -> None:
        minutes = self.travel.minutes
        if minutes.shape[1] == 1:
            self.best = np.zeros(len(minutes), np.int64)
            self.second = np.full(len(minutes), -1, np.int64)
            return
        two = np.argpartition(minutes, 1, axis=1)[:, :2]
        rows = np.arange(len(minutes))
        first_is_best = minutes[rows, two[:, 0]] <= minutes[rows, two[:, 1]]
        self.best = np.where(first_is_best, two[:, 0], two[:, 1])
        self.second = np.where(first_is_best, two[:, 1], two[:, 0])

    @property
    def n_areas(self) -> int:
        """Number of small areas (rows of every array)."""
        return len(self.areas)


def build_model(service: str, *, sites: pd.DataFrame | str | Path | None = None,
                matrix: str | Path | TravelMatrix | None = None, use_builtin_matrix: bool = True,
                params: Parameters | None = None,
                population_year: int = DEFAULT_POPULATION_YEAR) -> AccessModel:
    """Build the access model of ``service`` ("ed", "maternity", "neonatal", "stroke",
    "thrombectomy") over all England LSOAs.

    ``sites`` is a site table or a CSV path (default: the built-in table); ``matrix`` a user's
    travel-time matrix (CSV/Parquet path) whose minutes override the shipped road matrix.
    """
    info = service_info(service)
    params = params or builtin_parameters()
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
