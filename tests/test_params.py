"""The built-in parameter tree: every number has unit, description, sources and status; the
``Parameters`` API reads scalars and series; the gap-model content is complete and coherent."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from openstp.errors import ParameterError
from openstp.params import (
    PARAMS_DIR,
    STATUSES,
    UNITS,
    Parameters,
    builtin_parameters,
    load_parameters,
)
from openstp.params.yamlio import file_prefix, load_tree, tree_files

FACTS_MD = Path("/work/shared/domain/FACTS.md")
NHS_SECTORS = [
    "acute",
    "mental_health",
    "community",
    "primary_care",
    "prescribing",
    "specialised",
    "other_nhs",
]
ALL_SECTORS = [*NHS_SECTORS, "public_health", "adult_social_care"]
FYS = ["2013/14", "2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
REQUIRED_PATHS = [
    "gap.funding.nhs_england_budget",
    "gap.funding.public_health_grant",
    "gap.funding.social_care.base_spend",
    "gap.funding.social_care.precept",
    "gap.funding.social_care.ibcf",
    "gap.funding.social_care.spring_budget_2017_grant",
    "gap.funding.stf",
    "gap.growth.demography.pre_projection",
    "gap.inflation.pay_and_price.nhs",
    "gap.inflation.gdp_deflator",
    *[f"gap.baseline.sector_share.{s}" for s in NHS_SECTORS],
    *[f"gap.growth.non_demographic.{s}" for s in ALL_SECTORS],
]


@pytest.fixture(scope="module")
def params() -> Parameters:
    return load_parameters()


def _raw_leaves(node, prefix=""):
    """Leaves read straight from YAML, independent of the loader's own checks."""
    if isinstance(node, dict) and "unit" in node:
        yield prefix, node
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _raw_leaves(child, f"{prefix}.{key}" if prefix else key)


def _all_raw_leaves():
    for path in tree_files():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        yield from _raw_leaves(data, file_prefix(path))


RAW_LEAVES = list(_all_raw_leaves())


def test_builtin_tree_loads_without_problems():
    params, problems = load_tree()
    assert problems == []
    assert len(params) == len(RAW_LEAVES) > 20


@pytest.mark.parametrize("path,leaf", RAW_LEAVES, ids=[p for p, _ in RAW_LEAVES])
def test_every_parameter_has_unit_description_references_and_status(path, leaf):
    assert leaf.get("unit") in UNITS, f"{path}: unit"
    assert isinstance(leaf.get("description"), str) and leaf["description"].strip(), path
    refs = leaf.get("references")
    assert isinstance(refs, list) and refs, f"{path}: references"
    for ref in refs:
        for key in ("title", "publisher", "year"):
            assert ref.get(key), f"{path}: reference lacks {key}"
        assert isinstance(ref["year"], int) and 1900 <= ref["year"] <= 2100
    assert leaf.get("status") in STATUSES, f"{path}: status"
    if leaf["status"] == "derived":
        assert leaf.get("note"), f"{path}: derived without a derivation note"
    assert ("value" in leaf) != ("values" in leaf), f"{path}: exactly one of value/values"


@pytest.mark.parametrize("path", tree_files(), ids=lambda p: str(p.relative_to(PARAMS_DIR)))
def test_each_file_starts_with_a_comment_saying_what_it_holds(path):
    assert path.read_text(encoding="utf-8").startswith("# ")


def test_required_gap_parameters_exist(params):
    missing = [p for p in REQUIRED_PATHS if p not in params]
    assert missing == []


def test_sector_shares_cover_the_nhs_sectors_and_sum_to_one(params):
    shares = {s: params.value(f"gap.baseline.sector_share.{s}") for s in NHS_SECTORS}
    assert set(params.paths("gap.baseline.sector_share")) == {
        f"gap.baseline.sector_share.{s}" for s in NHS_SECTORS
    }
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.001)
    assert all(params[f"gap.baseline.sector_share.{s}"].status == "derived" for s in NHS_SECTORS)


@pytest.mark.parametrize(
    "path",
    [
        "gap.funding.nhs_england_budget",
        "gap.inflation.gdp_deflator",
        "gap.inflation.pay_and_price.nhs",
        "gap.funding.public_health_grant",
    ],
)
def test_funding_and_price_series_cover_2013_to_2021(params, path):
    assert list(params.series(path)) == FYS


def test_nhs_england_budget_matches_facts_1_9(params):
    budget = params.series("gap.funding.nhs_england_budget")
    assert budget["2014/15"] == 98.1 and budget["2020/21"] == 119.9


def test_growth_ranges_bracket_central(params):
    for sector in ALL_SECTORS:
        path = f"gap.growth.non_demographic.{sector}"
        low, mid, high = (params.value(path, case=c) for c in ("low", "central", "high"))
        assert 0 <= low <= mid <= high < 0.1


@pytest.mark.skipif(not FACTS_MD.exists(), reason="FACTS.md not available")
def test_facts_ids_exist_in_facts_md(params):
    rows = set(
        re.findall(
            r"^\| ([0-9]+\.[0-9]+) \|", FACTS_MD.read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    )
    cited = {f for p in params for f in params[p].facts}
    assert cited and cited <= rows


def test_value_of_scalar_ignores_year(params):
    path = "gap.growth.non_demographic.acute"
    assert params.value(path) == params.value(path, "2019/20") == 0.027


def test_value_of_series_needs_a_known_year(params):
    path = "gap.funding.nhs_england_budget"
    assert params.value(path, "2016/17") == 106.8
    with pytest.raises(ParameterError, match="give a year"):
        params.value(path)
    with pytest.raises(ParameterError, match="no value for 2030/31"):
        params.value(path, "2030/31")


def test_case_without_range_falls_back_to_central(params):
    path = "gap.funding.nhs_england_budget"
    assert params.value(path, "2016/17", case="high") == 106.8
    assert params.value("gap.funding.social_care.precept", "2018/19", case="high") > params.value(
        "gap.funding.social_care.precept", "2018/19"
    )


def test_unknown_case_and_unknown_path_are_errors(params):
    with pytest.raises(ParameterError, match="case must be"):
        params.value("gap.growth.non_demographic.acute", case="worst")
    with pytest.raises(ParameterError, match="Did you mean gap.growth.non_demographic.acute"):
        params["gap.growth.non_demographic.acuet"]


def test_series_of_a_scalar_is_an_error(params):
    with pytest.raises(ParameterError, match="scalar"):
        params.series("gap.growth.non_demographic.acute")


def test_table_has_one_row_per_number_with_sources(params):
    table = params.table()
    assert list(table.columns) == [
        "path",
        "year",
        "value",
        "unit",
        "low",
        "high",
        "status",
        "source",
        "description",
        "note",
    ]
    expected = sum(len(params[p].years) or 1 for p in params)
    assert len(table) == expected
    assert table["source"].str.len().min() > 10
    acute = table[table.path == "gap.growth.non_demographic.acute"].iloc[0]
    assert (acute.value, acute.low, acute.high) == (0.027, 0.023, 0.038)


def test_parameters_are_immutable(params):
    with pytest.raises(AttributeError):
        params._params = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        params._params["x"] = None  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        params["gap.growth.non_demographic.acute"].value = 1.0  # type: ignore[misc]


def test_builtin_tree_is_loaded_once():
    assert builtin_parameters() is builtin_parameters()
    assert load_parameters() == builtin_parameters()


def test_paths_are_sorted_and_prefix_filtered(params):
    assert params.paths() == sorted(params.paths())
    assert all(p.startswith("gap.funding.") for p in params.paths("gap.funding"))
