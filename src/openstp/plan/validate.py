"""Validate a plan against the reference data and report every problem with file, line and field.

``validate_plan`` runs the named checks of ``openstp.plan.checks.CHECKS`` on a loaded plan;
``check_plan_file`` loads a file and validates it, returning all problems instead of raising,
which is what ``openstp validate`` and the web upload form need.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from openstp.errors import InputFileError, PlanError, Problem
from openstp.plan.checks import CHECKS
from openstp.plan.context import Context
from openstp.plan.loader import load_plan_with_map
from openstp.plan.model import Plan
from openstp.plan.sourcemap import SourceMap, render_path


def validate_plan(
    plan: Plan,
    source: str = "<file>",
    source_map: SourceMap | None = None,
    checks: Iterable[str] | None = None,
) -> list[Problem]:
    """Run the semantic checks (all, or the ids in ``checks``) and return their problems.

    ``source`` names the plan in each problem; ``source_map`` (from ``load_plan_with_map``)
    supplies line numbers. Problems are sorted by line.
    """
    chosen = list(CHECKS) if checks is None else list(checks)
    unknown = [c for c in chosen if c not in CHECKS]
    if unknown:
        raise ValueError(f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    ctx = Context.build(plan)
    problems: list[Problem] = []
    for check_id in chosen:
        _, run = CHECKS[check_id]
        for finding in run(ctx):
            line = source_map.line(finding.path) if source_map is not None else None
            problems.append(
                Problem(source, finding.message, line=line, field=render_path(finding.path))
            )
    return sorted(problems, key=lambda p: p.line or 0)


def check_plan_file(path: str | os.PathLike[str]) -> tuple[Plan | None, list[Problem]]:
    """Load and validate a plan file; return the plan (``None`` if unreadable) and all problems.

    Never raises for problems in the file itself; schema problems stop before semantic checks
    because the plan cannot be built.
    """
    plan, _, problems = check_plan_file_with_map(path)
    return plan, problems


def check_plan_file_with_map(path: str | os.PathLike[str]
                             ) -> tuple[Plan | None, SourceMap | None, list[Problem]]:
    """``check_plan_file`` that also returns the line map, for later checks to place problems."""
    try:
        plan, source_map = load_plan_with_map(path)
    except (InputFileError, PlanError) as err:
        return None, None, list(err.problems)
    return plan, source_map, validate_plan(plan, str(path), source_map)
