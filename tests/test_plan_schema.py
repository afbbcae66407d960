"""The generated JSON Schema and the public API of ``openstp.plan``."""

from __future__ import annotations

import json
from typing import Any, get_args

import openstp.data
import openstp.plan
from openstp.plan import Plan, plan_json_schema
from openstp.plan.model import FootprintSet


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(model, field, property schema) for every model property in the schema."""
    models = {"Plan": schema, **schema["$defs"]}
    return [
        (model, name, prop)
        for model, body in models.items()
        for name, prop in body.get("properties", {}).items()
    ]


def test_schema_identity_and_json() -> None:
    schema = plan_json_schema()
    assert schema["$id"] == "urn:openstp:schema:plan" and schema["title"] == "OpenSTP plan"
    assert schema["additionalProperties"] is False
    json.dumps(schema)  # serialisable


def test_every_field_is_described() -> None:
    missing = [
        f"{m}.{f}" for m, f, p in _properties(plan_json_schema()) if not p.get("description")
    ]
    assert missing == []


def test_every_model_forbids_unknown_fields() -> None:
    defs = plan_json_schema()["$defs"]
    open_models = [
        n
        for n, d in defs.items()
        if "properties" in d and d.get("additionalProperties") is not False
    ]
    assert open_models == []


def test_scheme_types_are_listed_in_the_schema() -> None:
    types = plan_json_schema()["$defs"]["SchemeType"]["enum"]
    assert "provider_efficiency" in types and "new_funding" in types and len(types) == 15
    assert {"neighbourhood_health", "corporate_running_costs", "temporary_staffing"} <= set(types)


def test_footprint_sets_match_the_reference_data() -> None:
    assert set(get_args(FootprintSet)) == set(openstp.data.FOOTPRINT_SETS)


def test_public_api_is_exported() -> None:
    for name in openstp.plan.__all__:
        assert getattr(openstp.plan, name) is not None, name
    assert sorted(openstp.plan.__all__) == list(openstp.plan.__all__)
    assert {
        "Plan",
        "load_plan",
        "dump_plan",
        "check_plan_file",
        "validate_plan",
        "plan_json_schema",
        "fy_range",
        "parse_fy",
    } <= set(openstp.plan.__all__)


def test_public_functions_have_docstrings() -> None:
    for name in openstp.plan.__all__:
        obj = getattr(openstp.plan, name)
        if callable(obj) and not name[0].isupper():
            assert obj.__doc__, name
    assert Plan.__doc__
