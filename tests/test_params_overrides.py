"""Overrides (``--set`` and override files) and the errors they raise: each bad input becomes a
``ParameterError`` with one problem per issue, naming file, line and field."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstp.errors import ParameterError
from openstp.params import load_parameters, parse_set_option
from openstp.params.yamlio import load_tree

BASE = load_parameters()
ACUTE = "gap.growth.non_demographic.acute"
BUDGET = "gap.funding.nhs_england_budget"
SETTINGS = settings(max_examples=60, deadline=None)


def _write(tmp_path: Path, text: str, name: str = "overrides.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(excinfo):
    return excinfo.value.problems


# --- parse_set_option -------------------------------------------------------------------------


def test_parse_set_option_splits_path_and_number():
    assert parse_set_option("gap.growth.non_demographic.acute=0.02") == (ACUTE, 0.02)
    assert parse_set_option("  gap.x = -1e-3 ") == ("gap.x", -0.001)


@pytest.mark.parametrize(
    "text",
    [
        "gap.x",
        "=0.2",
        "gap..x=1",
        "gap.x=abc",
        "gap.x=nan",
        "gap.x=inf",
        "gap.x=",
        "1gap.x=2",
        "gap x=1",
    ],
)
def test_parse_set_option_rejects_malformed_options(text):
    with pytest.raises(ParameterError) as excinfo:
        parse_set_option(text)
    assert _problems(excinfo)[0].file == "--set"


segment = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
paths = st.lists(segment, min_size=1, max_size=5).map(".".join)
finite = st.floats(allow_nan=False, allow_infinity=False)


@SETTINGS
@given(paths, finite)
def test_parse_set_option_round_trips(path, number):
    assert parse_set_option(f"{path}={number!r}") == (path, number)


# --- applying overrides ------------------------------------------------------------------------


def test_set_override_changes_only_that_parameter():
    params = load_parameters(overrides={ACUTE: 0.02})
    assert params.value(ACUTE) == 0.02
    assert params[ACUTE].override == "--set"
    assert params.table().set_index("path").loc[ACUTE, "status"] == "override"
    changed = [p for p in BASE if BASE[p] != params[p]]
    assert changed == [ACUTE]
    assert BASE.value(ACUTE) == 0.027  # the original is untouched


def test_scalar_override_of_a_series_sets_every_year():
    params = BASE.with_overrides({"gap.inflation.gdp_deflator": 0.02})
    assert set(params.series("gap.inflation.gdp_deflator").values()) == {0.02}


def test_year_mapping_override_merges_into_a_series(tmp_path):
    path = _write(tmp_path, "gap:\n  funding:\n    nhs_england_budget:\n      2020/21: 125.0\n")
    params = load_parameters([path])
    assert params.value(BUDGET, "2020/21") == 125.0
    assert params.value(BUDGET, "2019/20") == 115.8


def test_structured_override_with_matching_unit(tmp_path):
    path = _write(
        tmp_path, f"{ACUTE}:\n  value: 0.03\n  unit: fraction_per_year\n  low: 0.01\n  high: 0.05\n"
    )
    params = load_parameters([path])
    assert [params.value(ACUTE, case=c) for c in ("low", "central", "high")] == [0.01, 0.03, 0.05]


def test_files_apply_in_order_then_set_options(tmp_path):
    first = _write(tmp_path, f"{ACUTE}: 0.01\n", "a.yaml")
    second = _write(tmp_path, f"{ACUTE}: 0.02\n", "b.yaml")
    assert load_parameters([first, second]).value(ACUTE) == 0.02
    assert load_parameters([first, second], {ACUTE: 0.03}).value(ACUTE) == 0.03


def test_empty_override_file_changes_nothing(tmp_path):
    assert load_parameters([_write(tmp_path, "# nothing\n")]) == BASE


SCALAR_PATHS = [p for p in BASE if not BASE[p].is_series]


@st.composite
def scalar_overrides(draw):
    path = draw(st.sampled_from(SCALAR_PATHS))
    param = BASE[path]
    lo = param.minimum if param.minimum is not None else -1e6
    hi = param.maximum if param.maximum is not None else 1e6
    return path, draw(st.floats(min_value=lo, max_value=hi, allow_nan=False))


def _nested(path: str, number: float) -> str:
    lines = []
    for depth, part in enumerate(path.split(".")):
        lines.append("  " * depth + part + ":")
    lines[-1] += f" {number!r}"
    return "\n".join(lines) + "\n"


@SETTINGS
@given(scalar_overrides())
def test_override_round_trips_through_mapping_nested_and_dotted_files(tmp_path_factory, case):
    path, number = case
    tmp = tmp_path_factory.mktemp("ov")
    from_mapping = load_parameters(overrides={path: number})
    head, tail = path.split(".", 1)
    nested = _write(tmp, _nested(path, number), "nested.yaml")
    dotted = _write(tmp, f"{path}: {number!r}\n", "dotted.yaml")
    mixed = _write(tmp, f"{head}:\n  {tail}: {number!r}\n", "mixed.yaml")
    assert from_mapping.value(path) == number
    for file in (nested, dotted, mixed):
        assert load_parameters([file]).value(path) == number


@SETTINGS
@given(st.sampled_from(SCALAR_PATHS))
def test_overriding_with_current_values_keeps_every_number(path):
    same = BASE.with_overrides({path: BASE.value(path)})
    assert same.table()["value"].tolist() == BASE.table()["value"].tolist()


# --- errors ------------------------------------------------------------------------------------


def test_unknown_path_suggests_close_names(tmp_path):
    path = _write(tmp_path, "gap:\n  growth:\n    non_demographic:\n      acuet: 0.02\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert prob.file == str(path) and prob.line == 4
    assert prob.field == "gap.growth.non_demographic.acuet"
    assert "Did you mean gap.growth.non_demographic.acute" in prob.message


def test_unknown_set_path_is_reported_against_set():
    with pytest.raises(ParameterError) as excinfo:
        load_parameters(overrides={"gap.growth.non_demographic.acutee": 0.01})
    assert _problems(excinfo)[0].file == "--set"
    assert "Did you mean" in _problems(excinfo)[0].message


def test_wrong_unit_is_an_error(tmp_path):
    path = _write(tmp_path, f"{ACUTE}:\n  value: 0.03\n  unit: GBP_bn\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert prob.line == 3 and prob.field == f"{ACUTE}.unit"
    assert "fraction_per_year" in prob.message


def test_non_numeric_value_is_an_error(tmp_path):
    path = _write(tmp_path, f"{ACUTE}: two percent\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert prob.line == 1 and "not a number" in prob.message


def test_non_numeric_year_value_names_the_year(tmp_path):
    path = _write(tmp_path, f"{BUDGET}:\n  2020/21: lots\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert prob.line == 2 and prob.field.endswith("2020/21")


def test_negative_rate_below_minimum_is_an_error(tmp_path):
    path = _write(tmp_path, f"{ACUTE}: -0.01\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert "below the minimum 0" in prob.message and prob.field == ACUTE and prob.line == 1


def test_share_above_maximum_is_an_error():
    with pytest.raises(ParameterError, match="above the maximum 1"):
        BASE.with_overrides({"gap.baseline.sector_share.acute": 1.5})


def test_malformed_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "gap:\n  growth: [unclosed\n  other: 1\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    (prob,) = _problems(excinfo)
    assert prob.file == str(path) and "malformed YAML" in prob.message and prob.line


def test_duplicate_keys_are_malformed_yaml(tmp_path):
    path = _write(tmp_path, f"{ACUTE}: 0.01\n{ACUTE}: 0.02\n")
    with pytest.raises(ParameterError, match="malformed YAML"):
        load_parameters([path])


def test_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([missing])
    (prob,) = _problems(excinfo)
    assert prob.file == str(missing) and "not found" in prob.message


def test_group_given_a_number_is_an_error(tmp_path):
    path = _write(tmp_path, "gap:\n  growth: 0.02\n")
    with pytest.raises(ParameterError, match="group of parameters"):
        load_parameters([path])


def test_year_mapping_for_a_scalar_is_an_error():
    with pytest.raises(ParameterError, match="is a scalar"):
        BASE.with_overrides({ACUTE: {"2016/17": 0.02}})


def test_unknown_override_field_is_an_error():
    with pytest.raises(ParameterError, match="unknown override field 'valeu'"):
        BASE.with_overrides({ACUTE: {"valeu": 0.02}})


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    path = _write(tmp_path, f"{ACUTE}: -1\ngap.nope: 1\n{BUDGET}:\n  2020/21: x\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    assert [p.line for p in _problems(excinfo)] == [1, 2, 4]
    assert "\n" in str(excinfo.value)


# --- errors in parameter tree files --------------------------------------------------------------


def _tree(tmp_path: Path, text: str) -> list:
    (tmp_path / "gap").mkdir(exist_ok=True)
    (tmp_path / "gap" / "bad.yaml").write_text(text, encoding="utf-8")
    _, problems = load_tree(tmp_path)
    return problems


def test_leaf_missing_description_references_and_status(tmp_path):
    problems = _tree(tmp_path, "x:\n  unit: fraction\n  value: 0.5\n")
    fields = {p.field for p in problems}
    assert {"description", "references", "status"} <= fields
    assert all(p.file.endswith("bad.yaml") for p in problems)


def test_leaf_reference_without_publisher_and_bad_unit(tmp_path):
    problems = _tree(
        tmp_path,
        "x:\n  description: d\n  unit: percent\n  value: 1\n"
        "  status: published\n  references:\n    - title: t\n"
        "      year: 2016\n",
    )
    fields = {p.field for p in problems}
    assert {"unit", "references[0].publisher"} <= fields


def test_derived_leaf_needs_a_note_and_range_must_bracket(tmp_path):
    problems = _tree(
        tmp_path,
        "x:\n  description: d\n  unit: fraction\n  value: 0.5\n"
        "  low: 0.6\n  status: derived\n  references:\n"
        "    - {title: t, publisher: p, year: 2016}\n",
    )
    messages = " ".join(p.message for p in problems)
    assert "derivation in note" in messages
    problems = _tree(
        tmp_path,
        "x:\n  description: d\n  unit: fraction\n  value: 0.5\n"
        "  low: 0.6\n  status: published\n  references:\n"
        "    - {title: t, publisher: p, year: 2016}\n",
    )
    assert any("low 0.6 is above the central value 0.5" in p.message for p in problems)


def test_leaf_with_bad_year_and_unknown_field(tmp_path):
    problems = _tree(
        tmp_path,
        "x:\n  description: d\n  unit: GBP_bn\n  values:\n"
        "    2016/18: 1.0\n  colour: red\n  status: published\n"
        "  references:\n    - {title: t, publisher: p, year: 2016}\n",
    )
    fields = {p.field for p in problems}
    assert "values.2016/18" in fields and "colour" in fields
    assert all(p.line for p in problems)


def test_problem_strings_show_file_line_and_field(tmp_path):
    path = _write(tmp_path, f"{ACUTE}: -1\n")
    with pytest.raises(ParameterError) as excinfo:
        load_parameters([path])
    assert str(excinfo.value).startswith(f"{path}:1: {ACUTE}: ")
    assert not math.isnan(BASE.value(ACUTE))
