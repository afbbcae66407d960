"""OpenSTP: England's NHS Sustainability and Transformation Plans as open, testable software.

The public API for notebooks; the ``openstp`` command is a thin layer over it. Names are
imported on first use, so ``import openstp`` (and every command) starts without loading the
numerical stack it does not need.
"""


from openstp._version import __version__
from openstp.lazy import lazy_getattr

_HOMES = {
    "OpenSTPError": "openstp.errors",
    "builtin_plans": "openstp.risk",
    "check_plan_file": "openstp.plan",
    "do_nothing_gap": "openstp.gap",
    "footprint_population": "openstp.data",
    "footprint_summary": "openstp.data",
    "footprints": "openstp.data",
    "gap_decomposition": "openstp.gap",
    "gap_sensitivity": "openstp.gap",
    "load_parameters": "openstp.params",
    "load_plan": "openstp.plan",
    "resolve_footprint": "openstp.data",
    "simulate": "openstp.risk",
    "social_care_gap": "openstp.workforce",
    "workforce_gap": "openstp.workforce",
}

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


__getattr__ = lazy_getattr("openstp", _HOMES, globals())


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
