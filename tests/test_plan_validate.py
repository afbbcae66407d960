"""Semantic checks against the reference data: the example is clean, each check fires alone.

Each test edits the West Yorkshire example in one place (marked ``#!``) and expects exactly one
problem on that line, so a check that fires too eagerly also fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openstp.errors import Problem
from openstp.plan import check_plan_file, load_plan, validate_plan
from openstp.plan.checks import CHECKS

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_example.yaml"


@pytest.fixture(scope="module")
def example_text() -> str:
    """The example plan's YAML text."""
    return EXAMPLE.read_text(encoding="utf-8")


def edited(tmp_path: Path, text: str, old: str, new: str) -> tuple[Path, int]:
    """Write ``text`` with the first ``old`` replaced by ``new`` (which carries a '#!' mark)."""
    assert old in text, old
    changed = text.replace(old, new, 1)
    line = next(i for i, ln in enumerate(changed.splitlines(), start=1) if "#!" in ln)
    path = tmp_path / "plan.yaml"
    path.write_text(changed, encoding="utf-8")
    return path, line


def one_problem(path: Path) -> Problem:
    """The only problem reported for ``path``."""
    plan, problems = check_plan_file(path)
    assert plan is not None
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_example_validates_clean() -> None:
    plan, problems = check_plan_file(EXAMPLE)
    assert problems == []
    assert plan is not None and plan.illustrative
    assert "ILLUSTRATIVE" in (plan.description or "")
    assert len(plan.schemes) >= 6 and len({s.type for s in plan.schemes}) >= 6
    assert plan.bed_changes and plan.site_changes and plan.workforce and plan.engagement


def test_example_years_and_totals() -> None:
    plan = load_plan(EXAMPLE)
    assert plan.years() == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    totals = plan.total_saving_by_year()
    assert list(totals) == plan.years() and totals["2015/16"] == 0
    assert sum(totals.values()) == sum(s.total_saving() for s in plan.schemes)


def test_footprint_by_name_or_code_is_accepted(tmp_path: Path, example_text: str) -> None:
    path, _ = edited(tmp_path, example_text, "footprint: E54000005", "footprint: West York #!")
    assert check_plan_file(path)[1] == []


def test_unknown_footprint(tmp_path: Path, example_text: str) -> None:
    path, line = edited(tmp_path, example_text, "footprint: E54000005", "footprint: E54999999 #!")
    _, problems = check_plan_file(path)
    first = problems[0]
    assert (first.line, first.field) == (line, "footprint")
    assert "E54999999" in first.message and "stp2017" in first.message
    # without a footprint, membership cannot be judged: no misleading owner problems follow
    assert len(problems) == 1


def test_owner_outside_footprint(tmp_path: Path, example_text: str) -> None:
    path, line = edited(tmp_path, example_text, "    owner: RXF\n", "    owner: RN3 #!\n")
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[3].owner")
    assert "Great Western Hospitals" in prob.message and "E54000040" in prob.message
    assert "not to E54000005 West Yorkshire" in prob.message


def test_unknown_owner_code(tmp_path: Path, example_text: str) -> None:
    path, line = edited(tmp_path, example_text, "    owner: RXF\n", "    owner: RXQ9 #!\n")
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[3].owner")
    assert (
        "unknown scheme owner code 'RXQ9'" in prob.message
        and "RAE, RCD, RCF, … (acute_trust)" in prob.message
    )


def test_sign_off_codes(tmp_path: Path, example_text: str) -> None:
    path, _ = edited(
        tmp_path, example_text, "    - organisation: 03G\n", "    - organisation: E38000001 #!\n"
    )
    assert check_plan_file(path)[1] == []  # ONS code of a West Yorkshire CCG
    path, line = edited(
        tmp_path, example_text, "    - organisation: 03G\n", "    - organisation: E38000002 #!\n"
    )
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "engagement.sign_offs[0].organisation")
    assert "sign-off 'E38000002'" in prob.message and "not to E54000005" in prob.message


def test_bed_change_by_a_commissioner(tmp_path: Path, example_text: str) -> None:
    path, line = edited(tmp_path, example_text, "    trust: RWY\n", "    trust: 02R #!\n")
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "bed_changes[0].trust")
    assert "is a ccg" in prob.message


def test_year_outside_horizon(tmp_path: Path, example_text: str) -> None:
    old = "    saving: {2019/20: 6000000, 2020/21: 14000000}\n"
    new = "    saving:\n      2020/21: 14000000\n      2021/22: 15000000 #!\n"
    path, line = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[5].saving.2021/22")
    assert "outside the plan period" in prob.message and "2020/21" in prob.message


def test_start_year_outside_horizon(tmp_path: Path, example_text: str) -> None:
    path, line = edited(
        tmp_path, example_text, "    start_year: 2018/19\n", "    start_year: 2022/23 #!\n"
    )
    _, problems = check_plan_file(path)
    assert (problems[0].line, problems[0].field) == (line, "schemes[5].start_year")
    assert all(p.field.startswith("schemes[5].") for p in problems)  # savings now precede start


def test_saving_before_start_year(tmp_path: Path, example_text: str) -> None:
    old = "    saving: {2019/20: 6000000, 2020/21: 14000000}\n"
    new = "    saving:\n      2017/18: 1000 #!\n"
    path, line = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[5].saving.2017/18")
    assert "before the scheme's start_year 2018/19" in prob.message


def test_duplicate_id(tmp_path: Path, example_text: str) -> None:
    path, line = edited(
        tmp_path, example_text, "  - id: wy-prescribing\n", "  - id: mid-yorks-agency #!\n"
    )
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[4].id")
    assert "duplicate id 'mid-yorks-agency'" in prob.message and "schemes[3]" in prob.message


def test_unknown_depends_on(tmp_path: Path, example_text: str) -> None:
    old = "    depends_on: [wy-community-workforce]\n    workforce_dependent: true\n"
    new = "    depends_on:\n      - wy-community-workforse #!\n    workforce_dependent: true\n"
    path, line = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[1].depends_on[0]")
    assert "no scheme has id 'wy-community-workforse'" in prob.message
    assert "did you mean 'wy-community-workforce'" in prob.message


def test_unknown_relies_on(tmp_path: Path, example_text: str) -> None:
    old = "    relies_on: [calderdale-kirklees-reconfiguration, wy-community-workforce]\n"
    path, line = edited(tmp_path, example_text, old, "    relies_on: [nothing] #!\n")
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "bed_changes[0].relies_on[0]")


def test_dependency_cycle(tmp_path: Path, example_text: str) -> None:
    old = "    sector: adult_social_care\n"
    new = "    sector: adult_social_care\n    depends_on: [bradford-admission-avoidance] #!\n"
    path, _ = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert prob.field == "schemes[1].depends_on"
    assert (
        "dependency loop bradford-admission-avoidance → wy-community-workforce → "
        "bradford-admission-avoidance" in prob.message
    )


def test_self_dependency(tmp_path: Path, example_text: str) -> None:
    old = "    evidence: {grade: B}\n"
    new = "    evidence: {grade: B}\n    depends_on: [leeds-teaching-cip] #!\n"
    path, line = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "schemes[2].depends_on")
    assert "leeds-teaching-cip → leeds-teaching-cip" in prob.message


def test_validate_without_source_map_has_fields_but_no_lines() -> None:
    plan = load_plan(EXAMPLE)
    bad = plan.model_copy(update={"footprint": "E54000040"})
    problems = validate_plan(bad, source="memory")
    assert problems and all(p.line is None and p.file == "memory" for p in problems)
    assert {p.field for p in problems} >= {"schemes[0].owner", "bed_changes[0].trust"}


def test_checks_can_be_chosen_and_are_catalogued() -> None:
    plan = load_plan(EXAMPLE).model_copy(update={"footprint": "E54000040"})
    assert validate_plan(plan, checks=["unique_ids"]) == []
    with pytest.raises(ValueError, match="unknown check"):
        validate_plan(plan, checks=["no_such_check"])
    for check_id, (title, func) in CHECKS.items():
        assert title and func.__doc__, check_id


def test_assumption_outside_parameter_range(tmp_path: Path, example_text: str) -> None:
    old = "  gap.growth.non_demographic.acute: 0.02\n"
    path, line = edited(tmp_path, example_text, old, "  gap.growth.non_demographic.acute: 5 #!\n")
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "assumptions.gap.growth.non_demographic.acute")
    assert "above the maximum" in prob.message


def test_unknown_assumption(tmp_path: Path, example_text: str) -> None:
    old = "  gap.growth.non_demographic.acute: 0.02\n"
    new = "  gap.growth.non_demographic.acut: 0.02 #!\n"
    path, line = edited(tmp_path, example_text, old, new)
    prob = one_problem(path)
    assert (prob.line, prob.field) == (line, "assumptions.gap.growth.non_demographic.acut")
    assert "unknown parameter" in prob.message and "non_demographic.acute" in prob.message
