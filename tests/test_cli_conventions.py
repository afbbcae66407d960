"""The command line's conventions: fast start, option names and their old aliases, one --draws
default per kind of command, output formats, progress and --quiet, and a one-footprint run that
is never called England."""

from __future__ import annotations

import inspect
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from test_report_sample import sample_folder  # noqa: F401 - fixture

from openstp import cli as openstp_cli
from openstp import defaults
from openstp.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "west_yorkshire_example.yaml"
GROUP = openstp_cli.command()
HEAVY = ("pandas", "numpy", "scipy", "plotly", "matplotlib", "pyarrow", "openstp.gap",
         "openstp.risk", "openstp.beds", "openstp.access", "openstp.workforce",
         "openstp.review", "openstp.report", "openstp.web", "openstp.params", "openstp.data")


def run_in_process(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``openstp ARGS`` in this process: exit status, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["openstp", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code or 0, captured.out, captured.err


@pytest.mark.parametrize("args", [["--help"], ["gap", "--help"], ["review", "--help"]])
def test_help_imports_no_numerical_stack_and_no_model(args):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "openstp", *args],
                            capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert not {m for m in imported if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}


def test_cli_modules_are_small_and_one_per_stage():
    from openstp.cli import STAGES

    folder = ROOT / "src" / "openstp" / "cli"
    assert {p.stem for p in folder.glob("*.py")} == {*STAGES, "__init__", "app", "options"}
    assert all(len(p.read_text().splitlines()) < 200 for p in folder.glob("*.py"))


def draws_defaults() -> dict[str, int]:
    return {name: next(p.default for p in cmd.params if p.name == "draws")
            for name, cmd in GROUP.commands.items() if any(p.name == "draws" for p in cmd.params)}


def test_one_draws_default_per_kind_of_command_stated_in_help():
    kinds = {"run": defaults.RISK_DRAWS, "review": defaults.RISK_DRAWS,
             "report": defaults.RISK_DRAWS, "export": defaults.RISK_DRAWS,
             "beds": defaults.CAPACITY_DRAWS, "workforce": defaults.CAPACITY_DRAWS,
             "social-care": defaults.CAPACITY_DRAWS, "diff": defaults.DIFF_DRAWS,
             "serve": defaults.WHAT_IF_DRAWS, "what-it-takes": defaults.TAKES_DRAWS,
             "sensitivity": defaults.SOBOL_DRAWS, "sweep": defaults.SWEEP_DRAWS}
    assert draws_defaults() == kinds
    for name, draws in kinds.items():
        help_text = next(p.help for p in GROUP.commands[name].params if p.name == "draws")
        assert f"default: {draws:,}" in help_text, name


def test_the_models_read_the_same_defaults():
    from openstp.beds import beds
    from openstp.review import chain
    from openstp.risk import DEFAULT_DRAWS, simulate
    from openstp.workforce import social_care_gap, workforce_gap

    assert DEFAULT_DRAWS == chain.DEFAULT_DRAWS == defaults.RISK_DRAWS
    assert inspect.signature(simulate).parameters["draws"].default == defaults.RISK_DRAWS
    assert chain.CAPACITY_DRAWS == defaults.CAPACITY_DRAWS
    for api in (beds, workforce_gap, social_care_gap):
        assert inspect.signature(api).parameters["draws"].default == defaults.CAPACITY_DRAWS
    assert inspect.signature(chain.run_footprint).parameters["draws"].default == (
        defaults.WHAT_IF_DRAWS)


@pytest.mark.parametrize("new,old", [
    (["footprints", "--footprint-set", "icb2022", "-f", "csv"],
     ["footprints", "--set", "icb2022", "-f", "csv"]),
    (["gap", "--param", "gap.growth.non_demographic.acute=0.03", "--footprint", "cornwall",
      "-f", "csv"],
     ["gap", "--set", "gap.growth.non_demographic.acute=0.03", "--footprint", "cornwall",
      "-f", "csv"]),
    (["gap", "--footprint-set", "icb2022", "--param", "gap.growth.non_demographic.acute=0.03",
      "--decompose", "-f", "csv"],
     ["gap", "--set", "icb2022", "--set", "gap.growth.non_demographic.acute=0.03",
      "--decompose", "-f", "csv"]),
])
def test_old_set_still_works_with_a_one_line_note(monkeypatch, capsys, new, old):
    code, out, err = run_in_process(monkeypatch, capsys, *new)
    assert code == 0 and err == ""
    old_code, old_out, old_err = run_in_process(monkeypatch, capsys, *old)
    assert old_code == 0 and old_out == out
    assert old_err.splitlines() == [old_err.strip()] and "deprecated" in old_err
    assert "--footprint-set" in old_err or "--param" in old_err


@pytest.mark.parametrize("args,message", [
    (["gap", "--param", "gap.growth.non_demographic.acutee=0.02"], "error: --param: "),
    (["gap", "--param", "nonsense"], "error: --param: 'nonsense' is not of the form"),
    (["beds", "--footprint-set", "stp1999"], "error: --footprint-set: unknown footprint set"),
    (["run", "--all", "--footprint-set", "icb2022"],
     "error: --footprint-set: no built-in plans for icb2022"),
    (["gap", "--footprint-set", "icb2022", "--set", "stp2018"], "one footprint set at a time"),
])
def test_option_errors_name_the_option_typed(monkeypatch, capsys, args, message):
    code, _, err = run_in_process(monkeypatch, capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["gap", "-f", "parquet"], ["beds", "-f", "parquet"],
                                  ["social-care", "--format", "parquet", "--councils"],
                                  ["access", "-f", "parquet"], ["footprints", "-f", "parquet"],
                                  ["review", "-f", "parquet"], ["gap", "--out", "gap.csv"]])
def test_format_and_out_mismatches_are_one_line_before_any_work(monkeypatch, capsys, args):
    code, out, err = run_in_process(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_footprint_prints_everything_on_stdout(monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "footprint", "west york")
    assert code == 0 and err == ""
    assert "West Yorkshire" in out.splitlines()[0] and "2,517,583" in out.splitlines()[0]
    assert "Organisations of West Yorkshire" in out


def test_one_footprint_run_has_no_england(monkeypatch, capsys, tmp_path):
    code, out, _ = run_in_process(monkeypatch, capsys, "run", "--footprint", "cornwall",
                                  "--draws", "50", "-f", "json", "--out", str(tmp_path))
    doc = json.loads(out)
    assert code == 0 and doc["england"] is None and doc["england_by_type"] is None
    for path in tmp_path.glob("*.csv"):
        assert "england" not in path.read_text().lower(), path.name
    _, table, _ = run_in_process(monkeypatch, capsys, "run", "--footprint", "cornwall",
                                 "--draws", "50")
    assert "England" not in table and "Cornwall" in table


def test_one_footprint_gap_json_carries_englands_own_totals(monkeypatch, capsys):
    _, england, _ = run_in_process(monkeypatch, capsys, "gap", "-f", "json")
    _, one, _ = run_in_process(monkeypatch, capsys, "gap", "--footprint", "cornwall", "-f",
                               "json")
    one, england = json.loads(one), json.loads(england)
    assert {r["footprint"] for r in one["rows"]} == {"E54000036"}
    assert one["england_gap"] == pytest.approx(england["england_gap"])
    assert one["footprint_gap_all_sectors"] == pytest.approx(sum(r["gap"] for r in one["rows"]))
    assert one["footprint_gap_all_sectors"] < 0.05 * one["england_gap_all_sectors"]


def test_review_of_one_plan_is_labelled_with_its_footprint_and_quiet_is_quiet(cli, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "wy.yaml").write_text(EXAMPLE.read_text())
    loud = cli("review", "--plans", str(plans), "--draws", "20", "--out", str(tmp_path / "a"))
    assert loud.returncode == 0, loud.stderr
    assert "Stages:" in loud.stderr and "Results written" in loud.stderr
    text = " ".join(loud.stdout.split())
    assert "West Yorkshire 2020/21: do-nothing gap" in text and "England 2020/21" not in text
    quiet = cli("review", "--plans", str(plans), "--draws", "20", "--out", str(tmp_path / "b"),
                "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert (tmp_path / "b" / "league.csv").exists()


def test_report_shows_a_bar_per_page_unless_quiet(monkeypatch, sample_folder,  # noqa: F811
                                                  tmp_path):
    from openstp.report import commands

    for quiet in (False, True):
        screen = io.StringIO()
        monkeypatch.setattr(commands, "stderr", Console(file=screen, force_terminal=True,
                                                        width=100, highlight=False))
        commands.report_command(sample_folder, tmp_path / f"site-{quiet}", quiet=quiet)
        shown = screen.getvalue()
        assert ("writing West Yorkshire" in shown and "Wrote 6 pages" in shown) != quiet
        assert (shown == "") == quiet

