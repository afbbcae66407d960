"""The "do nothing" gap: demography, cost growth and funding to the horizon, per footprint.

Names load on first use, so checking a plan's years (``openstp.gap.checks``) needs no pandas.
"""

from openstp.lazy import lazy_getattr

_HOMES = {
    "NHS_SECTORS": "openstp.gap.sectors", "SECTORS": "openstp.gap.sectors",
    "SECTOR_NAMES": "openstp.gap.sectors", "GapArrays": "openstp.gap.model",
    "compute_gap": "openstp.gap.model", "do_nothing_gap": "openstp.gap.model",
    "project": "openstp.gap.model", "to_frame": "openstp.gap.model",
    "decompose": "openstp.gap.analysis", "gap_decomposition": "openstp.gap.analysis",
    "gap_sensitivity": "openstp.gap.analysis", "sensitivity": "openstp.gap.analysis",
    "sensitivity_paths": "openstp.gap.analysis", "check_plan": "openstp.gap.checks",
    "coverage_problems": "openstp.gap.checks", "BASES": "openstp.gap.basis",
    "footprint_summary": "openstp.gap.summary", "bridge": "openstp.gap.minimum",
    "gap_draws": "openstp.gap.draws",
}

__all__ = [
    "BASES",
    "NHS_SECTORS",
    "SECTORS",
    "SECTOR_NAMES",
    "GapArrays",
    "bridge",
    "check_plan",
    "compute_gap",
    "coverage_problems",
    "decompose",
    "do_nothing_gap",
    "footprint_summary",
    "gap_decomposition",
    "gap_draws",
    "gap_sensitivity",
    "project",
    "sensitivity",
    "sensitivity_paths",
    "to_frame",
]


__getattr__ = lazy_getattr("openstp.gap", _HOMES, globals())
