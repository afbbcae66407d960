"""Hostile plan files through the real CLI, in-process: never a traceback or a hang; a refusal is
exit 2 with every line naming its file; what validate passes, run runs. (The long run of the same
is ``python benchmarks/fuzz_plans.py --cases 5000``.)"""

from __future__ import annotations

import random

import pytest
from hostile import TEXT, judge, mutate, run_cli, trial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXED = {  # the reproductions reported against the hardening issue
    "alias bomb": "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" + TEXT,
    "deep nesting": "x: " + "[" * 300 + "]" * 300 + "\n" + TEXT,
    "python tag": TEXT.replace("footprint: E54000005", "footprint: !!python/object/apply:"
                               "os.system ['id']"),
    "omap": TEXT.replace("footprint_set: stp2017", "footprint_set: !!omap [{a: 1}]"),
    "tuple": TEXT.replace("footprint_set: stp2017", "footprint_set: !!python/tuple [1, 2]"),
    "self alias": "s: &s [*s]\n" + TEXT,
    "huge saving": TEXT.replace("2016/17: 1500000,", "2016/17: 9.9e307,"),
    "huge baseline": TEXT.replace("acute: 1450000000", "acute: 1.7e308"),
    "bed change": TEXT.replace("change: -60", "change: -1000000000"),
    "unknown site": TEXT.replace("site: RWY01", "site: ZZZ99"),
    "late horizon": TEXT.replace("horizon: 2020/21", "horizon: 2030/31"),
    "early base": TEXT.replace("base_year: 2015/16", "base_year: 2005/06"),
    "long name": TEXT.replace("name: West Yorkshire illustrative plan (example)",
                              "name: " + "x" * 100_000),
    "control character": TEXT.replace("name: West", "name: \x07West"),
    "syntax error": TEXT.replace("saving: {2016/17: 1500000,", "saving: {2016/17: 1500000,,"),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_each_reported_hostile_plan_is_refused_in_one_line_per_problem(name, tmp_path):
    verdicts = trial(FIXED[name], tmp_path, "plan", run=True)
    assert verdicts == {"validate": "refused", "run": "refused"}
    _, _, err = run_cli(["validate", str(tmp_path / "plan.yaml")])
    assert "Traceback" not in err and "plan.yaml:" in err


def test_markup_and_escapes_in_a_name_print_as_text(tmp_path):
    plan = TEXT.replace("name: West Yorkshire illustrative plan (example)",
                        'name: "[/bold] [link=http://x]y[/link] \\x1b[31m"')
    assert trial(plan, tmp_path, "plan", run=False) == {"validate": "clean"}
    code, _, err = run_cli(["validate", str(tmp_path / "plan.yaml")])
    assert code == 0 and "[/bold] [link=http://x]y[/link]" in err and "\x1b" not in err


def test_a_pipe_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    code, _, err = run_cli(["validate", str(fifo)], seconds=5)
    assert code == 2 and "not a regular file" in err


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_random_hostile_plans_are_validated_cleanly(seed, tmp_path):
    verdict = trial(mutate(random.Random(seed)), tmp_path, f"p{seed}", run=False)["validate"]
    assert verdict in ("clean", "refused")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_what_validate_passes_run_runs_with_valid_json(seed, tmp_path):
    verdicts = trial(mutate(random.Random(seed)), tmp_path, f"p{seed}", run=True)
    assert set(verdicts.values()) <= {"clean", "refused"}
    if verdicts["validate"] == "clean":
        assert verdicts["run"] == "clean"


def test_the_judge_can_fail():
    assert judge("traceback", "", "") == "traceback"
    assert judge(2, "", "Traceback (most recent call last):\n  File x") == "bad error"
    assert judge(0, '{"gap": -Infinity}', "", json_out=True) == "bad output"
