"""Access and equity: what closing, downgrading or opening emergency, maternity, neonatal and
stroke services does to travel for every small area of England, and who bears it.

``assess_access("ed", footprint="E54000020", close=["RWY01"])`` returns an ``AccessResult``
with ``.summary()`` (by IMD quintile and urban/rural), ``.lsoas()``, ``.headline()`` and
``.plot(path)``; ``build_model`` + ``run_scenario`` + ``closure_sweep`` are the parts.
"""

from openstp.access.equity import DEFAULT_MILES, DEFAULT_MINUTES, scenario_deaths, summarise
from openstp.access.fit import TravelFit, fit_travel_estimate
from openstp.access.maps import write_map
from openstp.access.matrix import TravelMatrix, builtin_matrix, read_matrix
from openstp.access.model import AccessModel, build_model
from openstp.access.mortality import Gradient
from openstp.access.report import AccessResult, assess_access
from openstp.access.scenario import Change, Scenario, plan_changes, run_scenario
from openstp.access.services import SERVICES
from openstp.access.sites import builtin_sites, read_sites
from openstp.access.sweep import closure_sweep
from openstp.access.travel import METHODS, EstimateModel

__all__ = [
    "DEFAULT_MILES", "DEFAULT_MINUTES", "METHODS", "SERVICES", "AccessModel", "AccessResult",
    "Change", "EstimateModel", "Gradient", "Scenario", "TravelFit", "TravelMatrix",
    "assess_access", "build_model", "builtin_matrix", "builtin_sites", "closure_sweep",
    "fit_travel_estimate", "plan_changes", "read_matrix", "read_sites", "run_scenario",
    "scenario_deaths", "summarise", "write_map",
]
