"""The built-in illustrative plans: one per footprint of 2017, closing its own do-nothing gap on
paper with the national mix of savings the STPs reported.

They are written by ``scripts/build_builtin_plans.py`` into ``openstp/plan/builtin/`` from
national published aggregates (``params/plans/national_mix.yaml``); they are **not** the
footprints' own plans. Replace one with your own plan file to test a real plan.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from openstp import data
from openstp.errors import UnknownCodeError, problem
from openstp.plan import Plan

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BUILTIN_SET = "stp2017"
"""Footprint set of the built-in plans."""


def builtin_dir() -> Path:
    """Folder holding the built-in plan files (``<E54 code>.yaml``)."""
    return Path(str(files("openstp.plan") / "builtin"))


@cache
def _load(code: str) -> Plan:
    path = builtin_dir() / f"{code}.yaml"
    if not path.exists():
        raise UnknownCodeError([problem(str(path), f"no built-in plan for {code}; run "
                                        "scripts/build_builtin_plans.py")])
    # The files are written and checked by the build script and the tests, so they are read
    # with the fast C loader rather than the line-tracking one used for users' plan files.
    return Plan.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader))


def builtin_plan(footprint: str) -> Plan:
    """The built-in illustrative plan of one 2017 footprint (ONS or ODS code, or a name part)."""
    code = data.resolve_footprint(footprint, BUILTIN_SET).code
    return _load(code).model_copy(deep=True)


def builtin_plans() -> list[Plan]:
    """All 44 built-in illustrative plans, in footprint-code order."""
    codes = sorted(data.footprints(BUILTIN_SET)["code"])
    return [_load(code).model_copy(deep=True) for code in codes]


def is_builtin(plan: Plan) -> bool:
    """True when ``plan`` is exactly one of the shipped built-in plans (which the build script
    and the test suite validate, so a run need not check them again)."""
    if not plan.illustrative or plan.footprint_set != BUILTIN_SET:
        return False
    if not (builtin_dir() / f"{plan.footprint}.yaml").exists():
        return False
    return _load(plan.footprint) == plan
