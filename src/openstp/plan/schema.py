"""The JSON Schema of plan files, generated from the pydantic models (never written by hand).

Editors such as VS Code use it for completion and inline errors in plan YAML files.
"""

from __future__ import annotations

from typing import Any

from openstp.plan.model import Plan

SCHEMA_ID = "urn:openstp:schema:plan"
"""Identifier of the plan schema (a URN: no published copy is promised at a web address)."""

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for an OpenSTP plan file."""
    schema = Plan.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "OpenSTP plan",
        **{k: v for k, v in schema.items() if k != "title"},
    }
