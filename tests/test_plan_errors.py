"""Each kind of bad plan file gives one clear problem naming the right file, line and field.

A test plan marks the line the problem should point at with ``#!``; the helper finds it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from openstp.errors import InputFileError, PlanError, Problem
from openstp.plan import check_plan_file, load_plan

HEADER = """\
footprint: E54000005
name: Test plan
"""

SCHEME = """\
schemes:
  - id: first
    name: First scheme
    type: prescribing
    owner: 02N
    start_year: 2016/17
    saving: {{2016/17: 100000}}
{extra}"""


def write(tmp_path: Path, body: str, name: str = "plan.yaml") -> tuple[Path, int | None]:
    """Write a plan; return its path and the line marked with '#!' (None if unmarked)."""
    text = textwrap.dedent(body)
    marked = [i for i, line in enumerate(text.splitlines(), start=1) if "#!" in line]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, (marked[0] if marked else None)


def only_problem(path: Path) -> Problem:
    """The single problem ``check_plan_file`` reports for ``path``."""
    _, problems = check_plan_file(path)
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].file == str(path)
    return problems[0]


def with_scheme_line(old: str, new: str, extra: str = "") -> str:
    """A plan with one scheme in which line ``old`` is replaced by ``new`` (mark it with #!)."""
    text = HEADER + SCHEME.format(extra=extra)
    assert old in text
    return text.replace(old, new)


def test_malformed_yaml_reports_parser_line(tmp_path: Path) -> None:
    path, _ = write(tmp_path, HEADER + "schemes: [\n  - id: a\n")
    with pytest.raises(InputFileError) as err:
        load_plan(path)
    (prob,) = err.value.problems
    assert prob.file == str(path) and prob.line is not None
    assert "not valid YAML" in prob.message
    assert only_problem(path).message == prob.message


def test_malformed_yaml_line_is_exact(tmp_path: Path) -> None:
    path, line = write(tmp_path, HEADER + "description: [unclosed\nhorizon: 2020/21 #!\n")
    prob = only_problem(path)
    assert prob.line == line and "not valid YAML" in prob.message


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path, line = write(tmp_path, HEADER + "name: Again #!\n")
    prob = only_problem(path)
    assert prob.line == line
    assert "duplicate key" in prob.message and "name" in prob.message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(InputFileError) as err:
        load_plan(path)
    assert err.value.problems[0].file == str(path)
    assert "not found" in err.value.problems[0].message
    plan, problems = check_plan_file(path)
    assert plan is None and "not found" in problems[0].message


def test_empty_file(tmp_path: Path) -> None:
    path, _ = write(tmp_path, "# nothing here\n")
    prob = only_problem(path)
    assert prob.line == 1 and "empty" in prob.message


def test_unknown_field_suggests_spelling(tmp_path: Path) -> None:
    text = with_scheme_line(
        "    saving: {2016/17: 100000}\n", "    savings: {2016/17: 100000} #!\n"
    )
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].savings")
    assert "unknown field 'savings'" in prob.message
    assert "did you mean 'saving'" in prob.message and "allowed here" in prob.message


def test_missing_required_field(tmp_path: Path) -> None:
    text = with_scheme_line("    owner: 02N\n", "")
    path, _ = write(tmp_path, text)
    prob = only_problem(path)
    assert prob.field == "schemes[0].owner" and prob.line == 4  # the scheme's "- id:" line
    assert "required field 'owner' is missing" in prob.message


def test_wrong_type(tmp_path: Path) -> None:
    text = with_scheme_line("    saving: {2016/17: 100000}\n", "    saving: {2016/17: lots} #!\n")
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].saving.2016/17")
    assert "must be a valid number" in prob.message and "'lots'" in prob.message


def test_quoted_number_is_not_money(tmp_path: Path) -> None:
    text = with_scheme_line("    saving: {2016/17: 100000}\n", "    saving: {2016/17: '100'} #!\n")
    prob = only_problem(write(tmp_path, text)[0])
    assert prob.field == "schemes[0].saving.2016/17" and "valid number" in prob.message


def test_negative_money(tmp_path: Path) -> None:
    text = with_scheme_line(
        "    saving: {2016/17: 100000}\n", "    saving:\n      2016/17: -5000 #!\n"
    )
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].saving.2016/17")
    assert "greater than or equal to 0" in prob.message and "-5000" in prob.message


def test_impossible_financial_year(tmp_path: Path) -> None:
    text = with_scheme_line(
        "    saving: {2016/17: 100000}\n", "    saving:\n      2017/19: 5000 #!\n"
    )
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].saving.2017/19")
    assert "'2017/19' is not a financial year" in prob.message and "'2017/18'" in prob.message


def test_badly_spelt_start_year(tmp_path: Path) -> None:
    text = with_scheme_line("    start_year: 2016/17\n", "    start_year: 2016-17 #!\n")
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].start_year")
    assert "YYYY/YY" in prob.message


def test_unknown_scheme_type(tmp_path: Path) -> None:
    text = with_scheme_line("    type: prescribing\n", "    type: magic_money #!\n")
    path, line = write(tmp_path, text)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[0].type")
    assert (
        "'magic_money' is not allowed" in prob.message and "'provider_efficiency'" in prob.message
    )


def test_horizon_before_base_year(tmp_path: Path) -> None:
    path, line = write(tmp_path, HEADER + "base_year: 2018/19\nhorizon: 2016/17 #!\n")
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "horizon")
    assert "must be after the base year" in prob.message


def test_consultation_ends_before_it_starts(tmp_path: Path) -> None:
    body = HEADER + textwrap.dedent("""\
        engagement:
          consultations:
            - start: 2017-03-01
              end: 2017-02-01 #!
              description: Hospital changes
        """)
    path, line = write(tmp_path, body)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "engagement.consultations[0].end")
    assert "ends (2017-02-01) before it starts (2017-03-01)" in prob.message


def test_impossible_date(tmp_path: Path) -> None:
    body = HEADER + textwrap.dedent("""\
        engagement:
          events:
            - kind: workshop
              date: 2017-02-30 #!
        """)
    path, line = write(tmp_path, body)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "engagement.events[0].date")
    assert "'2017-02-30' is not a valid date" in prob.message and "YYYY-MM-DD" in prob.message


def test_union_alternatives_merge_into_one_problem(tmp_path: Path) -> None:
    path, line = write(tmp_path, HEADER + "governance:\n  decision_rights: 3 #!\n")
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "governance.decision_rights")
    assert "boolean" in prob.message and "string" in prob.message


def test_yes_is_not_a_boolean(tmp_path: Path) -> None:
    path, line = write(tmp_path, HEADER + "illustrative: yes #!\n")
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "illustrative")
    assert "valid boolean" in prob.message


def test_coordinates_only_when_opening(tmp_path: Path) -> None:
    body = HEADER + textwrap.dedent("""\
        site_changes:
          - id: close-ed
            site: RAE01
            service: ed
            action: close
            year: 2018/19
            coordinates: {lat: 53.8, lon: -1.79} #!
        """)
    path, line = write(tmp_path, body)
    prob = only_problem(path)
    assert (prob.line, prob.field) == (line, "site_changes[0].coordinates")
    assert "only for action 'open'" in prob.message


def test_several_schema_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = with_scheme_line("    type: prescribing\n", "    type: magic\n    colour: red\n")
    path, _ = write(tmp_path, text)
    with pytest.raises(PlanError) as err:
        load_plan(path)
    lines = [p.line for p in err.value.problems]
    assert len(lines) == 2 and lines == sorted(lines)
    assert {p.field for p in err.value.problems} == {"schemes[0].type", "schemes[0].colour"}
    assert str(err.value).startswith(f"{path}:")
