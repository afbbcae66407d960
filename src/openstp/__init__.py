"""OpenSTP: England's NHS Sustainability and Transformation Plans as open, testable software.

The public API for notebooks; the ``openstp`` command is a thin layer over it.
"""

from openstp._version import __version__
from openstp.data import footprint_population, footprint_summary, footprints, resolve_footprint
from openstp.errors import OpenSTPError
from openstp.gap import do_nothing_gap, gap_decomposition, gap_sensitivity
from openstp.params import load_parameters
from openstp.plan import check_plan_file, load_plan
from openstp.risk import builtin_plans, simulate
from openstp.workforce import social_care_gap, workforce_gap

__all__ = [
    "OpenSTPError",
    "__version__",
    "builtin_plans",
    "check_plan_file",
    "do_nothing_gap",
    "footprint_population",
    "footprint_summary",
    "footprints",
    "gap_decomposition",
    "gap_sensitivity",
    "load_parameters",
    "load_plan",
    "resolve_footprint",
    "simulate",
    "social_care_gap",
    "workforce_gap",
]
