"""The built-in illustrative medium-term plans of today's ICBs (``icb2023``, ``icb2026``): one per
ICB, closing its own do-nothing gap on paper with the MTPF's 2% productivity and, where that is
not enough, neighbourhood health.

They are written by ``scripts/build_icb_plans.py`` into ``openstp/plan/builtin_<set>/``; they are
**not** the ICBs' own plans. Replace one with your own plan file to test a real plan.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from openstp.data import icb as icb_data
from openstp.defaults import ICB_SETS
from openstp.errors import UnknownCodeError, problem
from openstp.plan import Plan
from openstp.risk.builtin import builtin_plans

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def builtin_icb_dir(footprint_set: str) -> Path:
    """Folder holding one ICB set's built-in plan files (``<code>.yaml``)."""
    return Path(str(files("openstp.plan") / f"builtin_{footprint_set}"))


@cache
def _load_set(footprint_set: str) -> tuple[Plan, ...]:
    folder = builtin_icb_dir(icb_data.check_icb_set(footprint_set))
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise UnknownCodeError([problem(str(folder), f"no built-in plans for {footprint_set}; "
                                        "run scripts/build_icb_plans.py")])
    # Written and checked by the build script and the tests: read with the fast C loader.
    return tuple(Plan.model_validate(yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader))
                 for p in paths)


def builtin_icb_plans(footprint_set: str) -> list[Plan]:
    """Every built-in illustrative plan of an ICB set, in code order (fresh copies)."""
    return [plan.model_copy(deep=True) for plan in _load_set(footprint_set)]


def builtin_plans_of(footprint_set: str | None) -> list[Plan]:
    """The built-in illustrative plans a run of ``footprint_set`` reviews: one per ICB for
    today's ICB sets, else the 44 of 2017 (fresh copies)."""
    return builtin_icb_plans(footprint_set) if footprint_set in ICB_SETS else builtin_plans()
