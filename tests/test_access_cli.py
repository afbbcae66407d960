"""The ``openstp access`` command as a user runs it: baseline JSON, a plan, sweeps, maps, a user
matrix, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_example.yaml"


def test_england_baseline_for_emergency_departments(cli):
    result = cli("access", "--service", "ed", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["lsoas"] == 32_844
    # users weighted by hospital use: older, more rural people live further away (74.3% of
    # residents, 72.7% of weighted users, are within 10 km)
    assert doc["share_within_10km"] == pytest.approx(0.727, abs=0.01)
    assert 0 < doc["share_beyond_30km"] < 0.05
    assert doc["share_within_30min"] == pytest.approx(0.943, abs=0.01)
    assert doc["methods"]["before"]["road_matrix"] > 0.6
    assert doc["rows"][0]["group"] == "all" and len(doc["rows"]) == 8


def test_plan_file_scenario_for_its_footprint(cli):
    result = cli("access", str(EXAMPLE), "-f", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["scope_name"] == "West Yorkshire" and doc["changes"][0]["site"] == "RWY01"
    assert doc["share_within_10km_after"] < doc["share_within_10km"]
    deaths = doc["extra_deaths_estimate"]
    assert deaths["label"].startswith("estimate") and 0 < deaths["low"] < deaths["high"]
    assert doc["rows"][-1]["group"] == "England (all LSOAs)"


def test_sweep_ranks_sites_of_a_footprint(cli):
    result = cli("access", "--sweep", "--footprint", "west york", "-f", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rank,site_id,name,stp2017_footprint")
    assert len(lines) == 11 and "RWY01" in result.stdout


def test_maps_png_and_offline_html(cli, tmp_path):
    png, html = tmp_path / "m.png", tmp_path / "m.html"
    for path in (png, html):
        result = cli("access", "--footprint", "west york", "--close", "RWY01", "--map",
                     str(path), "-f", "csv")
        assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = html.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in text and 'src="https://cdn.plot.ly' not in text


def test_user_matrix_from_the_command_line(cli, tmp_path):
    matrix = tmp_path / "osrm.csv"
    matrix.write_text("origin,destination,duration\nE01011012,RWY02,600\n")
    result = cli("access", "--matrix", str(matrix), "--footprint", "west york", "--lsoas",
                 "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert "user_matrix" in result.stdout


@pytest.mark.parametrize("args,message", [
    (("--close", "ZZZ99"), "no ed site matches 'ZZZ99'"),
    (("--service", "dentist"), "unknown service 'dentist'"),
    (("--minutes", "thirty"), "give positive numbers"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    result = cli("access", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
