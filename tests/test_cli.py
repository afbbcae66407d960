"""The command line as a user runs it: listings, look-ups, output formats and exit codes."""

import csv
import io
import json

import pytest


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("openstp ")


@pytest.mark.parametrize("footprint_set,count,england", [
    ("stp2017", 44, 55_619_430), ("icb2022", 42, 56_550_138)])
def test_footprints_json_lists_every_footprint_summing_to_england(cli, footprint_set, count,
                                                                 england):
    result = cli("footprints", "--footprint-set", footprint_set, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["rows"]) == count
    assert sum(r["population"] for r in doc["rows"]) == england == doc["england_population"]


def test_footprints_csv_is_clean_for_pipes(cli):
    result = cli("footprints", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 44
    assert {"code", "name", "population", "ccgs", "councils", "trusts"} <= set(rows[0])


def test_footprints_table_is_readable(cli):
    result = cli("footprints")
    assert result.returncode == 0
    assert "West Yorkshire" in result.stdout and "44 footprints" in result.stdout


@pytest.mark.parametrize("query", ["E54000007", "QOP", "manchester"])
def test_footprint_accepts_ons_ods_or_name(cli, query):
    result = cli("footprint", query, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["code"] == "E54000007"
    assert any(o["kind"] == "ccg" for o in doc["organisations"])


def test_ambiguous_footprint_is_one_clear_line(cli):
    result = cli("footprint", "cumbria")
    assert result.returncode == 2
    assert "matches 2 footprints" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_footprint_set_exits_2(cli):
    result = cli("footprints", "--footprint-set", "stp2016")
    assert result.returncode == 2 and "allowed: stp2017" in result.stderr


def test_sources_lists_every_table(cli):
    result = cli("sources", "--format", "json")
    names = {r["table"] for r in json.loads(result.stdout)["rows"]}
    assert {"footprints", "lsoas", "organisations", "hospital_sites"} <= names


def test_parquet_output_is_written_atomically(cli, tmp_path):
    import pandas as pd

    out = tmp_path / "gap.parquet"
    result = cli("gap", "--format", "parquet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(pd.read_parquet(out)) == 44 * 9 * 6
    assert [p.name for p in tmp_path.iterdir()] == ["gap.parquet"]  # no temporary left behind


def test_validate_accepts_the_example_plan(cli):
    result = cli("validate", "examples/west_yorkshire_example.yaml",
                 cwd=__import__("pathlib").Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stderr


def test_validate_reports_every_problem_with_file_line_and_field(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("footprint: E54000005\nname: Broken\nschemes:\n"
                   "  - id: a\n    name: A\n    type: magic\n    owner: RR8\n"
                   "    start_year: 2016/17\n    saving: {2016/17: -5}\n")
    result = cli("validate", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(f"{bad}:6: schemes[0].type" in line for line in lines)
    assert any(f"{bad}:9: schemes[0].saving.2016/17" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_validate_missing_file_is_one_line(cli, tmp_path):
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_schema_is_json_schema_of_the_plan(cli):
    result = cli("schema")
    doc = __import__("json").loads(result.stdout)
    assert doc["title"] == "OpenSTP plan"
    assert "schemes" in doc["properties"]
