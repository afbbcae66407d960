"""Whether the models have what a plan needs, checked before anything runs.

``openstp validate`` and ``openstp run`` refuse the same plans for the same reasons: a plan's
schema and reference-data problems (``openstp.plan``) and, here, years the gap model has no data
for. Every missing series and year is reported at once, on the plan's own line, naming the
parameter path that would have to be supplied.
"""

from __future__ import annotations

import os

from openstp.defaults import ICB_SETS
from openstp.errors import ParameterError, Problem, problem
from openstp.gap.drivers import read_drivers
from openstp.params import Parameters, builtin_parameters
from openstp.plan import Plan, fy_range, fy_spans, parse_fy, validate_plan
from openstp.plan.sourcemap import SourceMap
from openstp.plan.validate import check_plan_file_with_map


def coverage_problems(params: Parameters, base_year: str, horizon: str,
                      funding: str = "sr2015") -> dict[str, list[str]]:
    """``{parameter path: [years]}`` the gap model would need and the tree does not have."""
    missing: dict[str, list[str]] = {}
    read_drivers(params, list(fy_range(base_year, horizon)), funding, missing=missing)
    return missing


def check_plan(plan: Plan | str | os.PathLike[str], params: Parameters | None = None,
               source: str | None = None, source_map: SourceMap | None = None
               ) -> tuple[Plan | None, list[Problem]]:
    """Every problem that would stop ``openstp run`` on ``plan`` (an object or a file).

    Returns the plan (None if it could not be read) and the problems, each with file, line and
    field (lines from ``source_map`` when a parsed plan comes with one); an empty list means
    the plan runs.
    """
    smap = source_map
    if isinstance(plan, Plan):
        loaded = plan
        problems = validate_plan(plan, source or f"plan {plan.footprint}", smap)
    else:
        loaded, smap, problems = check_plan_file_with_map(plan)
        source = str(plan)
    if loaded is None or problems:
        return loaded, problems
    base = params or builtin_parameters()
    try:
        base = base.with_overrides(dict(loaded.assumptions), source="plan assumptions")
    except ParameterError as err:
        return loaded, list(err.problems)
    return loaded, _years_problems(loaded, base, source or f"plan {loaded.footprint}", smap)


def _years_problems(plan: Plan, params: Parameters, source: str, smap: SourceMap | None
                    ) -> list[Problem]:
    found = []
    if plan.footprint_set in ICB_SETS:
        from openstp.gap.icb import coverage_problems as icb_coverage

        return [problem(source, message, smap.line((field,)) if smap is not None else None, field)
                for field, message in icb_coverage(params, plan.base_year, plan.horizon)]
    for path, years in coverage_problems(params, plan.base_year, plan.horizon).items():
        have = params[path].years
        early = [y for y in years if parse_fy(y) < parse_fy(have[0])]
        field = "base_year" if early else "horizon"
        line = smap.line((field,)) if smap is not None else None
        found.append(problem(
            source, f"the model has no {path} for {fy_spans(years)} (it covers {have[0]} to "
            f"{have[-1]}, {params[path].file}): give a {field.replace('_', ' ')} inside that "
            f"range, or supply {path} for those years (--params FILE)", line, field))
    return found

