"""What the plan checks look at: the plan plus the reference data for its footprint set.

``Context`` resolves the footprint and indexes organisations by code once, so each check in
``openstp.plan.checks`` stays a few lines; ``Finding`` is what a check reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from openstp import data as reference
from openstp.data.models import Footprint
from openstp.errors import UnknownCodeError
from openstp.plan.model import Plan
from openstp.plan.sourcemap import DataPath

_EXAMPLES_PER_KIND = 3  # codes of each kind suggested when a code is wrong


@dataclass(frozen=True)
class Finding:
    """One semantic problem: where in the plan (data path) and what is wrong."""

    path: DataPath
    message: str


Org = dict[str, Any]
"""One organisation row of the reference data (footprint, code, ods_code, name, kind, share)."""


@dataclass
class Context:
    """The plan with the reference data it is checked against, looked up once."""

    plan: Plan
    organisations: list[Org] = field(default_factory=list, repr=False)
    footprint: Footprint | None = None
    footprint_error: str | None = None

    @classmethod
    def build(cls, plan: Plan) -> Context:
        """Resolve the plan's footprint and load its footprint set's organisations."""
        ctx = cls(plan=plan, organisations=reference.records("organisations", plan.footprint_set))
        try:
            ctx.footprint = reference.resolve_footprint(plan.footprint, plan.footprint_set)
        except UnknownCodeError as err:
            ctx.footprint_error = "; ".join(p.message for p in err.problems)
        return ctx

    @cached_property
    def by_code(self) -> dict[str, list[Org]]:
        """Organisation rows (one per footprint it serves) keyed by ONS and by ODS code."""
        index: dict[str, list[Org]] = {}
        for org in self.organisations:
            for key in {org["code"], org["ods_code"]}:
                if isinstance(key, str) and key:
                    index.setdefault(key, []).append(org)
        return index

    @cached_property
    def footprint_names(self) -> dict[str, str]:
        """Footprint ONS code → name, for messages."""
        return {row["code"]: row["name"]
                for row in reference.records("footprints", self.plan.footprint_set)}

    @cached_property
    def service_sites(self) -> dict[str, list[Any]]:
        """The built-in service site table as columns (what the access model resolves)."""
        return reference.columns("service_sites")

    @cached_property
    def hospital_sites(self) -> dict[str, list[Any]]:
        """NHS Choices hospital sites as columns (site codes for bed changes)."""
        return reference.columns("hospital_sites")

    @cached_property
    def local(self) -> list[Org]:
        """Organisations of the plan's footprint (empty if the footprint is unknown)."""
        here = self.footprint.code if self.footprint is not None else None
        return [org for org in self.organisations if org["footprint"] == here]

    @cached_property
    def local_examples(self) -> str:
        """A few codes of each kind of organisation in the footprint, for messages."""
        by_kind: dict[str, list[str]] = {}
        for org in sorted(self.local, key=lambda o: str(o["code"])):
            by_kind.setdefault(str(org["kind"]), []).append(short_code(org))
        return "; ".join(f"{_first_few(codes)} ({kind})" for kind, codes in sorted(by_kind.items()))


def _first_few(codes: list[str]) -> str:
    more = ", …" if len(codes) > _EXAMPLES_PER_KIND else ""
    return ", ".join(codes[:_EXAMPLES_PER_KIND]) + more


def short_code(org: Org) -> str:
    ods = org["ods_code"]
    return ods if isinstance(ods, str) and ods else str(org["code"])
