"""Scenario grids on Dask: a small grid on a local cluster of 2 workers gives the same Parquet
bytes as 1 worker, every variant × footprint × measure is there, and bad grid files are one
clear line each."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from openstp.errors import InputFileError
from openstp.params import load_parameters
from openstp.risk import tasks
from openstp.risk.levers import keep_footprints
from openstp.risk.sweep import MEASURES, read_grid, run_sweep
from openstp.risk.tasks import Where

GRID = """\
draws: 60
seed: 7
variants:
  - name: central
  - name: bigger savings
    savings_scale: 1.5
grid:
  risk.pressure.loading: [0.2, 0.6]
"""


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("grid") / "grid.yaml"
    path.write_text(GRID)
    return path


def parquet_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    return buffer.getvalue()


def test_two_workers_give_the_same_parquet_bytes_as_one(builtin_run, grid_file):
    params = load_parameters()
    base = keep_footprints(builtin_run.inputs, [0, 1, 2])
    grid = read_grid(grid_file, params, 100, 1)
    one = run_sweep(base, params, grid, Where(workers=1), chunk=1)
    two = run_sweep(base, params, grid, Where(workers=2), chunk=1)
    assert parquet_bytes(one) == parquet_bytes(two)
    assert len(one) == 4 * 4 * len(MEASURES)  # variants × (3 footprints + England) × measures
    assert list(one.columns) == ["variant", "footprint", "measure", "value"]
    mean = one[(one["footprint"] == "england") & (one["measure"] == "residual_mean")]
    by_name = dict(zip(mean["variant"], mean["value"], strict=True))
    assert by_name["bigger savings"] < by_name["central"]
    # the same seed in every variant: loading moves the spread, not the central case
    central = one[(one["footprint"] == "england") & (one["measure"] == "residual_central")]
    assert central["value"].iloc[2] == central["value"].iloc[3] == central["value"].iloc[0]


def _add(a, b):
    return a + b


def _times(a, b):
    return a * b


def test_a_kept_local_cluster_serves_a_second_run_with_its_own_answers():
    """The second run reuses the first one's cluster and never gets the first run's results
    back (its tasks have keys of their own)."""
    arguments = [(i, 10) for i in range(6)]
    assert tasks.run_tasks(_add, arguments, Where(workers=1)) == [10, 11, 12, 13, 14, 15]
    client = tasks._LOCAL[1][1]
    assert tasks.run_tasks(_times, arguments, Where(workers=1)) == [0, 10, 20, 30, 40, 50]
    assert tasks._LOCAL[1][1] is client
    tasks.close_local_clusters()
    assert tasks._LOCAL == {} and client.status == "closed"


@pytest.mark.parametrize("text,message", [
    ("variants: [{name: a, params: {risk.pressure.loading: 7}}]", "risk.pressure.loading"),
    ("variants: [{name: a}, {name: a}]", "two variants are named 'a'"),
    ("variants: [{name: a, colour: red}]", "unknown key"),
    ("grid: {risk.nothing.here: [1, 2]}", "unknown parameter"),
    ("draws: -3\nvariants: [{name: a}]", "draws must be a whole number"),
])
def test_bad_grid_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputFileError) as err:
        read_grid(path, load_parameters(), 100, 1)
    assert message in str(err.value) and str(path) in str(err.value)


def test_sweep_command_reports_a_bad_grid_in_one_line(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("variants: [{name: a, savings_scale: -1}]\n")
    done = cli("sweep", str(path), "--out", str(tmp_path / "x.parquet"))
    assert done.returncode == 2 and "savings_scale" in done.stderr
    assert "Traceback" not in done.stderr
