"""Financial years: spelling, parsing, ranges, and their use as a pydantic type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from openstp.plan import FinancialYear, format_fy, fy_in_range, fy_offset, fy_range, parse_fy


class _Holder(BaseModel):
    year: FinancialYear


@given(st.integers(1000, 9998))
def test_format_then_parse_round_trips(start: int) -> None:
    assert parse_fy(format_fy(start)) == start


@given(st.from_regex(r"[0-9]{4}/[0-9]{2}", fullmatch=True))
def test_parse_accepts_exactly_consecutive_years(text: str) -> None:
    start, suffix = int(text[:4]), int(text[5:])
    if suffix == (start + 1) % 100:
        assert format_fy(parse_fy(text)) == text
    else:
        with pytest.raises(ValueError, match="the second part must be the year after"):
            parse_fy(text)


@given(st.integers(1900, 2100), st.integers(0, 20))
def test_range_length_and_ends(start: int, length: int) -> None:
    first, last = format_fy(start), format_fy(start + length)
    years = fy_range(first, last)
    assert len(years) == length + 1 and years[0] == first and years[-1] == last
    assert all(fy_in_range(y, first, last) for y in years)
    assert fy_offset(first, length) == last


def test_century_boundary() -> None:
    assert format_fy(1999) == "1999/00" and parse_fy("1999/00") == 1999
    assert fy_range("2015/16", "2020/21") == [
        "2015/16",
        "2016/17",
        "2017/18",
        "2018/19",
        "2019/20",
        "2020/21",
    ]
    assert fy_range("2020/21", "2015/16") == []


@pytest.mark.parametrize(
    ("bad", "hint"),
    [
        ("2017/19", "'2017/18'"),
        ("2016-17", "YYYY/YY"),
        ("16/17", "YYYY/YY"),
        ("2016/2017", "YYYY/YY"),
        (2016, "YYYY/YY"),
        (True, "YYYY/YY"),
    ],
)
def test_bad_years_are_explained(bad: object, hint: str) -> None:
    with pytest.raises(ValueError, match="not a financial year") as err:
        parse_fy(bad)  # type: ignore[arg-type]
    assert hint in str(err.value)
    with pytest.raises(ValidationError):
        _Holder(year=bad)  # type: ignore[arg-type]


def test_pydantic_type_keeps_the_string() -> None:
    assert _Holder(year="2016/17").year == "2016/17"
    schema = _Holder.model_json_schema()["properties"]["year"]
    assert schema["type"] == "string" and schema["pattern"]
