"""The parameter tree: sourced numbers in YAML, loaded by path, overridable by file or ``--set``.

``load_parameters()`` returns every built-in parameter; ``params.value("gap.growth.
non_demographic.acute")`` reads one; ``parse_set_option("path=0.02")`` parses a CLI override.
"""

from openstp.params.model import CASES, Parameter, Reference
from openstp.params.overrides import parse_set_option
from openstp.params.tree import Parameters, builtin_parameters, load_parameters
from openstp.params.units import STATUSES, UNITS
from openstp.params.yamlio import PARAMS_DIR

__all__ = [
    "CASES",
    "PARAMS_DIR",
    "STATUSES",
    "UNITS",
    "Parameter",
    "Parameters",
    "Reference",
    "builtin_parameters",
    "load_parameters",
    "parse_set_option",
]
