"""The YAML reader: plain data with lines, YAML 1.2 scalars, and nothing an attacker could use."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from openstp.safeyaml import MAX_DEPTH, MAX_NODES, YAMLInputError, field_at, load_yaml

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=12)
scalars = (st.none() | st.booleans() | st.integers(-10**12, 10**12)
           | st.floats(allow_nan=False, width=64) | names)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(names, inner, max_size=4), max_leaves=30)


def _dump(data) -> str:
    stream = io.StringIO()
    YAML(typ="rt").dump(data, stream)
    return stream.getvalue()


@settings(max_examples=200, deadline=None)
@given(documents)
def test_what_ruamel_writes_reads_back_the_same(data):
    assert load_yaml(_dump(data)) == data


@pytest.mark.parametrize(("text", "value"), [
    ("1e3", 1000.0), ("0o17", 15), ("0x1F", 31), ("1_000", 1000), ("yes", "yes"), ("on", "on"),
    ("~", None), ("", None), ("True", True), ("2016-04-01", "2016-04-01"), ("'3'", "3"),
    ("!!str 3", "3"), ("+.inf", float("inf")), ("1:20", "1:20")])
def test_scalars_resolve_as_yaml_1_2_with_dates_as_text(text, value):
    assert load_yaml(f"a: {text}") == {"a": value}


def test_every_key_and_item_knows_its_line():
    data = load_yaml("a: 1\nb:\n  - x\n  - y: 2\n    z: 3\n")
    assert data.key_lines == {"a": 1, "b": 2}
    assert data["b"].item_lines == [3, 4] and data["b"].line == 3
    assert data["b"][1].key_lines == {"y": 4, "z": 5}


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: &x [1]\nb: *x\n", 1, "aliases"),
    ("a: 1\nb: *x\n", 2, "aliases"),
    ("&s [*s]", 1, "aliases"),
    ("footprint: !!python/object/apply:os.system ['id']\n", 1, "!!python/object/apply"),
    ("a: !!python/tuple [1, 2]\n", 1, "!!python/tuple"),
    ("a: !!omap [{x: 1}]\n", 1, "!!omap"),
    ("a: !!binary aGk=\n", 1, "!!binary"),
    ("a: !custom {x: 1}\n", 1, "!custom"),
    ("a:\n  <<: {x: 1}\n", 2, "merge keys"),
    ("? [1]\n: 2\n", 1, "cannot be a key"),
    ("--- 1\n--- 2\n", 2, "more than one"),
    ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
    ("a: 1\nb: [1, 2\n", 3, "expected"),
    ("a: 1\nb: \x07\n", 2, "control characters"),
])
def test_refused_yaml_is_one_error_with_its_line(text, line, words):
    with pytest.raises(YAMLInputError) as err:
        load_yaml(text)
    assert err.value.line == line and words in err.value.message


def test_nesting_deeper_than_the_limit_is_refused_not_a_recursion_error():
    for deep in (MAX_DEPTH + 1, 300, 100_000):
        with pytest.raises(YAMLInputError, match="nest"):  # ours, or libyaml's own limit
            load_yaml("[" * deep + "]" * deep)
    assert load_yaml("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is not None


def test_aliases_when_allowed_are_shared_merged_and_counted_at_full_size():
    data = load_yaml("refs: &r [{title: T}]\na: {references: *r}\nb: &b {x: 1, y: 2}\n"
                     "c:\n  <<: *b\n  y: 3\n", aliases=True)
    assert data["a"]["references"] is data["refs"] and data["c"] == {"x": 1, "y": 3}
    laughs = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdef", "bcdefg"))
    with pytest.raises(YAMLInputError, match=f"more than {MAX_NODES:,}"):
        load_yaml(laughs, aliases=True)
    with pytest.raises(YAMLInputError, match="inside its own anchor"):
        load_yaml("&s [*s]", aliases=True)


def test_an_error_names_the_field_its_line_sits_under():
    text = "a: 1\nschemes:\n  - id: x\n    saving: {2016/17: 1,,}\n  - id: y\n    name: [\n"
    with pytest.raises(YAMLInputError) as err:
        load_yaml(text)
    assert err.value.line == 4 and err.value.field == "schemes[0].saving"
    assert field_at(text, 5) == "schemes[1].id" and field_at(text, 1) == "a"
    assert field_at("# only a comment\n", 1) is None
