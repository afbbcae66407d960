"""The catalogue of semantic plan checks: what the schema alone cannot see.

Each check has an id and a title and yields ``Finding``s (a data path and a message saying
what is wrong and what is allowed). ``openstp.plan.validate`` runs them and places each finding
on a file line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from openstp.data.sites import match_site
from openstp.defaults import ICB_SETS
from openstp.errors import ParameterError, UnknownCodeError
from openstp.params import builtin_parameters
from openstp.plan.context import Context, Finding
from openstp.plan.fy import fy_in_range, parse_fy
from openstp.plan.model import Plan
from openstp.plan.sourcemap import DataPath

_NOT_BED_HOLDERS = ("ccg", "icb", "sub_icb_location", "council", "gp_federation")


Check = Callable[[Context], Iterator[Finding]]


def footprint_known(ctx: Context) -> Iterator[Finding]:
    """The footprint names exactly one footprint of its set."""
    if ctx.footprint_error:
        yield Finding(
            ("footprint",),
            f"{ctx.footprint_error}; give a code, ODS code or a unique part of a name "
            f"from footprint set {ctx.plan.footprint_set} (`openstp footprints "
            f"--footprint-set {ctx.plan.footprint_set}` lists them)",
        )


def _org_refs(plan: Plan) -> Iterator[tuple[DataPath, str, str]]:
    for i, scheme in enumerate(plan.schemes):
        yield ("schemes", i, "owner"), scheme.owner, "scheme owner"
    for i, bed in enumerate(plan.bed_changes):
        yield ("bed_changes", i, "trust"), bed.trust, "bed-change trust"
    if plan.governance is not None:
        for i, member in enumerate(plan.governance.board):
            if member.organisation is not None:
                yield (
                    ("governance", "board", i, "organisation"),
                    member.organisation,
                    "board member",
                )
    if plan.engagement is not None:
        for i, sign in enumerate(plan.engagement.sign_offs):
            yield ("engagement", "sign_offs", i, "organisation"), sign.organisation, "sign-off"


def organisations_in_footprint(ctx: Context) -> Iterator[Finding]:
    """Every organisation code exists in the footprint set and belongs to the plan's footprint."""
    for path, code, role in _org_refs(ctx.plan):
        rows = ctx.by_code.get(code)
        if rows is None:
            yield Finding(path, _unknown_code(ctx, code, role))
        elif ctx.footprint is not None and ctx.footprint.code not in {r["footprint"] for r in rows}:
            homes = ", ".join(
                f"{fp} {ctx.footprint_names.get(fp, '')}".strip()
                for fp in dict.fromkeys(r["footprint"] for r in rows)
            )
            yield Finding(
                path,
                f"{role} '{code}' ({rows[0]['name']}) belongs to {homes}, "
                f"not to {ctx.footprint.code} {ctx.footprint.name}; only organisations "
                f"in the plan's footprint are allowed: {ctx.local_examples}",
            )


def _unknown_code(ctx: Context, code: str, role: str) -> str:
    message = f"unknown {role} code '{code}' in {ctx.plan.footprint_set}"
    candidates = [
        c for org in ctx.local for c in (org["code"], org["ods_code"]) if isinstance(c, str) and c
    ] or list(ctx.by_code)
    close = difflib.get_close_matches(code.upper(), candidates, n=1)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    if ctx.footprint is not None:
        return (
            f"{message}; use the ONS or ODS code of an organisation in "
            f"{ctx.footprint.code} {ctx.footprint.name}: {ctx.local_examples}"
        )
    return f"{message}; use an ONS code (e.g. E38000001) or ODS code (e.g. RAE)"


def bed_trust_is_provider(ctx: Context) -> Iterator[Finding]:
    """Bed changes are made by providers (trusts), not commissioners or councils."""
    for i, bed in enumerate(ctx.plan.bed_changes):
        rows = ctx.by_code.get(bed.trust)
        if rows is not None and rows[0]["kind"] in _NOT_BED_HOLDERS:
            yield Finding(
                ("bed_changes", i, "trust"),
                f"'{bed.trust}' ({rows[0]['name']}) is a {rows[0]['kind']}, "
                "which has no beds; give the ODS code of the trust that runs them",
            )


def sites_known(ctx: Context) -> Iterator[Finding]:
    """Sites of site changes are in the site table (offering the service if it closes there);
    sites of bed changes are hospital sites of their trust."""
    sites = ctx.service_sites
    for i, change in enumerate(ctx.plan.site_changes):
        service = change.service.value
        path = ("site_changes", i, "site")
        offering = {col: [v for v, on in zip(values, sites[service], strict=True) if on]
                    for col, values in sites.items()}
        if _matches(change.site, offering):
            continue  # opening where the service already is changes nothing: a note, not wrong
        if change.action.value == "open":
            if change.coordinates is None and not _matches(change.site, sites):
                yield Finding(path, f"{change.site!r} is not in the site table: opening a new "
                                    "site needs its coordinates")
        elif _matches(change.site, sites):
            yield Finding(path, f"{change.site} has no {service} in the site table, so it "
                                "cannot close or downgrade there")
        else:
            yield Finding(path, f"no {service} site matches {change.site!r}; list them with "
                                f"`openstp access --service {service} --sites-list`")
    hospitals = ctx.hospital_sites
    for i, bed in enumerate(ctx.plan.bed_changes):
        if bed.site is None or bed.site.upper() in {c.upper() for c in hospitals["site_code"]}:
            continue
        own = sorted(c for c, t in zip(hospitals["site_code"], hospitals["parent_ods_code"],
                                       strict=True) if t == bed.trust)
        close = difflib.get_close_matches(bed.site.upper(), own, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        yield Finding(("bed_changes", i, "site"),
                      f"unknown hospital site code {bed.site!r}{hint}; {bed.trust}'s sites: "
                      f"{', '.join(own[:8]) or 'none listed'}{', …' if len(own) > 8 else ''}")


def _matches(query: str, sites: dict) -> bool:
    try:
        match_site(query, sites)
    except UnknownCodeError:
        return False
    return True


def _year_refs(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    for i, s in enumerate(plan.schemes):
        yield ("schemes", i, "start_year"), s.start_year
        for name in ("saving", "investment", "double_running", "capital", "capital_funded"):
            for year in getattr(s, name):
                yield ("schemes", i, name, year), year
    for year in plan.icb.allocation if plan.icb else ():
        yield ("icb", "allocation", year), year
    for i, bed in enumerate(plan.bed_changes):
        yield ("bed_changes", i, "year"), bed.year
    for i, site in enumerate(plan.site_changes):
        yield ("site_changes", i, "year"), site.year
    if plan.workforce is not None:
        for group, years in plan.workforce.groups().items():
            for year in years:
                yield ("workforce", group.value, year), year


def years_in_plan_period(ctx: Context) -> Iterator[Finding]:
    """Every year used lies between the base year and the horizon."""
    plan = ctx.plan
    for path, year in _year_refs(plan):
        if not fy_in_range(year, plan.base_year, plan.horizon):
            yield Finding(
                path,
                f"{year} is outside the plan period: years must lie between "
                f"the base year {plan.base_year} and the horizon {plan.horizon}",
            )


def saving_not_before_start(ctx: Context) -> Iterator[Finding]:
    """A scheme saves nothing before its start year."""
    for i, s in enumerate(ctx.plan.schemes):
        for year, amount in s.saving.items():
            if amount > 0 and parse_fy(year) < parse_fy(s.start_year):
                yield Finding(
                    ("schemes", i, "saving", year),
                    f"a saving in {year} is before the scheme's start_year "
                    f"{s.start_year}: move the saving or the start year",
                )


def unique_ids(ctx: Context) -> Iterator[Finding]:
    """Ids are unique within schemes, within bed changes and within site changes."""
    for section in ("schemes", "bed_changes", "site_changes"):
        first: dict[str, int] = {}
        for i, item in enumerate(getattr(ctx.plan, section)):
            if item.id in first:
                yield Finding(
                    (section, i, "id"),
                    f"duplicate id '{item.id}' (already used by "
                    f"{section}[{first[item.id]}]); each id must be unique",
                )
            else:
                first.setdefault(item.id, i)


def references_known(ctx: Context) -> Iterator[Finding]:
    """``depends_on`` and ``relies_on`` name schemes that exist in the plan."""
    ids = [s.id for s in ctx.plan.schemes]
    refs = [
        (("schemes", i, "depends_on", j), ref)
        for i, s in enumerate(ctx.plan.schemes)
        for j, ref in enumerate(s.depends_on)
    ]
    refs += [
        (("bed_changes", i, "relies_on", j), ref)
        for i, b in enumerate(ctx.plan.bed_changes)
        for j, ref in enumerate(b.relies_on)
    ]
    for path, ref in refs:
        if ref not in ids:
            close = difflib.get_close_matches(ref, ids, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(ids) if ids else "none"
            yield Finding(path, f"no scheme has id '{ref}'{hint}; scheme ids: {known}")


def no_dependency_cycles(ctx: Context) -> Iterator[Finding]:
    """Scheme dependencies form no loop (a scheme cannot wait on itself)."""
    deps = {s.id: list(s.depends_on) for s in ctx.plan.schemes}
    index = {s.id: i for i, s in reversed(list(enumerate(ctx.plan.schemes)))}
    reported: set[frozenset[str]] = set()
    for start in deps:
        for cycle in _cycles_from(start, deps):
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                loop = " → ".join([*cycle, cycle[0]])
                yield Finding(
                    ("schemes", index[cycle[0]], "depends_on"),
                    f"dependency loop {loop}: a scheme cannot depend on itself, "
                    "directly or through others",
                )


def _cycles_from(start: str, deps: dict[str, list[str]]) -> Iterator[list[str]]:
    """Loops through ``start`` found by depth-first search (each returned starting at start)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in deps.get(node, []):
            if nxt == start:
                yield trail
            elif nxt not in seen and nxt in deps:
                seen.add(nxt)
                stack.append((nxt, [*trail, nxt]))


def assumptions_valid(ctx: Context) -> Iterator[Finding]:
    """Each assumption names a parameter of the tree and stays within its allowed range."""
    params = builtin_parameters()  # a broken built-in tree is an install fault: let it raise
    for path, value in ctx.plan.assumptions.items():
        try:
            params.with_overrides({path: value}, source="plan")
        except ParameterError as err:
            for prob in err.problems:
                yield Finding(("assumptions", path), prob.message)


def icb_figures_on_icb_sets(ctx: Context) -> Iterator[Finding]:
    """An ``icb`` section belongs to a plan of today's ICB sets."""
    if ctx.plan.icb is not None and ctx.plan.footprint_set not in ICB_SETS:
        yield Finding(("icb",), f"the icb section is for plans of today's ICB sets "
                      f"({', '.join(ICB_SETS)}), not {ctx.plan.footprint_set}: use baseline "
                      "and opening_position")


CHECKS: dict[str, tuple[str, Check]] = {
    "footprint_known": ("Footprint exists in its footprint set", footprint_known),
    "organisations_in_footprint": (
        "Organisations exist and belong to the footprint",
        organisations_in_footprint,
    ),
    "bed_trust_is_provider": ("Bed changes belong to providers", bed_trust_is_provider),
    "sites_known": ("Sites exist and offer the service they change", sites_known),
    "years_in_plan_period": ("Years lie between base year and horizon", years_in_plan_period),
    "saving_not_before_start": ("No saving before a scheme starts", saving_not_before_start),
    "unique_ids": ("Ids are unique", unique_ids),
    "references_known": ("Scheme references exist", references_known),
    "no_dependency_cycles": ("Scheme dependencies have no loops", no_dependency_cycles),
    "assumptions_valid": ("Assumptions override known parameters within range", assumptions_valid),
    "icb_figures_on_icb_sets": ("ICB figures only on ICB sets",
                                icb_figures_on_icb_sets),
}
"""Check id → (title, function). Order is the order problems are reported in for one line."""
