"""``openstp run`` as a user runs it: built-in plans, plan files, formats, files and errors."""

from __future__ import annotations

import csv
import io
import json
import re
import sys

import pytest

from openstp.cli import main

GOOD = """\
footprint: E54000005
name: Test plan
schemes:
  - id: leeds-cip
    name: Leeds CIP
    type: provider_efficiency
    owner: RR8
    start_year: 2016/17
    saving: {2016/17: 10000000, 2020/21: 50000000}
    investment: {2016/17: 1000000}
    evidence: {grade: B}
"""


def test_run_all_json_has_probability_of_balance_for_every_footprint(cli, tmp_path):
    result = cli("run", "--all", "--draws", "300", "--format", "json", "--out",
                 str(tmp_path / "results"))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["rows"]) == 44
    for row in doc["rows"]:
        assert 0 <= row["probability_of_balance"] <= 1
        assert row["standard_error"] >= 0
        assert row["illustrative"] is True
    assert doc["illustrative"] is True and "national published aggregates" in doc["note"]
    assert doc["england"]["gap"] == pytest.approx(sum(r["gap"] for r in doc["rows"]))
    assert {"probability_of_balance", "standard_error", "expected_shortfall"} <= set(
        doc["england"])
    written = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert written == ["by_type.csv", "residual.csv", "results.json", "schemes.csv",
                       "summary.csv"]
    assert json.loads((tmp_path / "results" / "results.json").read_text()) == doc


def test_run_takes_the_built_in_plans_of_todays_icbs(cli):
    everyone = json.loads(cli("run", "--all", "--footprint-set", "icb2026", "--draws", "400",
                              "--format", "json").stdout)
    assert len(everyone["rows"]) == 36 and {r["year"] for r in everyone["rows"]} == {"2030/31"}
    chances = [r["probability_of_balance"] for r in everyone["rows"]]  # not clones of one plan:
    noise = max(r["standard_error"] for r in everyone["rows"])  # they differ beyond MC error
    assert max(chances) - min(chances) > 3 * noise
    one = cli("run", "--footprint", "lancashire", "--footprint-set", "icb2026", "--draws", "100",
              "--format", "csv")
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines()[1].startswith("QE1,NHS Lancashire and South Cumbria ICB,")
    own = cli("run", "examples/west_yorkshire_example.yaml", "--footprint-set", "icb2026")
    assert own.returncode == 2 and "plan files name their own footprint set" in own.stderr


def test_run_one_footprint_table_is_labelled_illustrative_and_shows_where_risk_sits(cli):
    result = cli("run", "--footprint", "west yorkshire", "--draws", "200")
    assert result.returncode == 0, result.stderr
    out = re.sub(r"\s+", " ", result.stdout)
    assert "ILLUSTRATIVE" in out and "West Yorkshire" in out
    assert "P(balance)" in out and "Where the risk sits" in out


def test_run_plan_file_csv_is_reproducible(monkeypatch, capsys, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(GOOD)
    args = ("run", str(plan), "--draws", "500", "--seed", "4", "--format", "csv")
    code, first, err = run_in_process(monkeypatch, capsys, *args)
    assert code == 0, err
    assert run_in_process(monkeypatch, capsys, *args)[1] == first
    rows = list(csv.DictReader(io.StringIO(first)))
    assert len(rows) == 1 and rows[0]["footprint"] == "E54000005"
    assert rows[0]["illustrative"] == "False"


def run_in_process(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``openstp ARGS`` in this process (no start-up cost): exit status, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["openstp", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code or 0, captured.out, captured.err


def test_a_bad_plan_file_exits_2_from_the_real_command(cli, tmp_path):
    plan = tmp_path / "bad.yaml"
    plan.write_text(GOOD.replace("owner: RR8", "owner: RTH"))
    result = cli("run", str(plan))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"bad\.yaml:7: schemes\[0\]\.owner: .*belongs to", result.stderr)


@pytest.mark.parametrize("change,expected", [
    (("2020/21: 50000000}", "2020/21: 50000000, 2021/22: 5}"), "outside the plan period"),
    (("owner: RR8", "owner: RTH"), "belongs to"),
    (("type: provider_efficiency", "type: magic_savings"), "type"),
    (("investment: {2016/17: 1000000}", "investment: {2016/17: -1000000}"), "investment"),
])
def test_bad_scheme_data_is_a_clear_error_with_exit_2(monkeypatch, capsys, tmp_path, change,
                                                      expected):
    plan = tmp_path / "bad.yaml"
    plan.write_text(GOOD.replace(*change))
    code, _, err = run_in_process(monkeypatch, capsys, "run", str(plan), "--draws", "10")
    assert code == 2
    assert expected in err
    assert re.search(r"bad\.yaml:\d+: schemes\[0\]", err), err


@pytest.mark.parametrize("args", [[], ["--all", "--footprint", "E54000005"],
                                  ["--all", "--draws", "0"], ["--all", "--format", "parquet"],
                                  ["--footprint", "atlantis"], ["missing.yaml"]])
def test_bad_run_requests_exit_2(monkeypatch, capsys, args):
    code, _, err = run_in_process(monkeypatch, capsys, "run", *args)
    assert code == 2 and err.startswith("error: ")


def test_out_must_be_a_folder(monkeypatch, capsys, tmp_path):
    file = tmp_path / "results.txt"
    file.write_text("not a folder")
    code, _, err = run_in_process(monkeypatch, capsys, "run", "--all", "--out", str(file))
    assert code == 2 and "needs a folder" in err


def test_cli_defaults_match_the_api():
    import inspect

    from openstp.cli.risk import run
    from openstp.risk import DEFAULT_DRAWS, DEFAULT_SEED

    params = inspect.signature(run).parameters
    assert params["draws"].default == DEFAULT_DRAWS
    assert params["seed"].default == DEFAULT_SEED
