"""The results folder contract, on a sample folder: files, columns, sums; and ``load_results``.

The fixtures here (a 3-footprint sample folder, loaded results) are imported by the other
report and web tests.
"""

import json
import shutil

import pandas as pd
import pytest
from conftest import built_once
from fixtures.sample_results import DEFAULT_FOOTPRINTS, write_sample_results

from openstp.errors import InputFileError
from openstp.folders import stamp
from openstp.report import load_results
from openstp.report.results import PARQUETS, TABLES

CONTRACT_FILES = {f"{name}.csv" for name in TABLES} | {f"{name}.parquet" for name in PARQUETS} | {
    "england.json", "plans", "run.json"}


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory):
    """A sample results folder for West Yorkshire, South East London and Cornwall."""
    return built_once(tmp_path_factory, "sample", write_sample_results)


@pytest.fixture(scope="session")
def sample(sample_folder):
    return load_results(sample_folder)


def copy_folder(src, tmp_path, name="copy"):
    dst = tmp_path / name
    shutil.copytree(src, dst)
    return dst


def restamp(folder):
    """Stamp an edited folder as whole again: a test standing in for another tool's writer."""
    stamp(folder, json.loads((folder / "run.json").read_text())["run_id"], "test edit")
    return folder


def test_sample_folder_holds_exactly_the_contract_files(sample_folder):
    assert {p.name for p in sample_folder.iterdir()} == CONTRACT_FILES
    assert sorted(p.stem for p in (sample_folder / "plans").iterdir()) == sorted(
        DEFAULT_FOOTPRINTS)
    for name, columns in TABLES.items():
        header = pd.read_csv(sample_folder / f"{name}.csv", nrows=0).columns
        assert set(columns) <= set(header), name


def test_sample_figures_add_up(sample):
    bridge = sample.tables["bridge"]
    for _, rows in bridge.groupby("footprint"):
        assert rows["step"].iloc[0] == "do-nothing gap" and rows["step"].iloc[-1] == "residual gap"
        assert rows["amount"].iloc[:-1].sum() == pytest.approx(rows["amount"].iloc[-1])
    league = sample.league.set_index("footprint")
    first = bridge.groupby("footprint")["amount"].first()
    assert league["gap"].to_dict() == pytest.approx(first.to_dict())
    gap = sample.tables["gap"]
    horizon = gap[gap["year"] == sample.horizon]
    assert sample.england["england_gap_all_sectors"] == pytest.approx(horizon["gap"].sum())
    assert sum(sample.england["overall"].values()) == len(league)
    assert set(sample.england["rules_passed"]) == set(sample.rule_ids())


def test_footprint_view_filters_every_table(sample):
    fp = sample.footprint("E54000036")
    assert fp.name == "Cornwall and the Isles of Scilly"
    for name, df in fp.tables.items():
        assert set(df["footprint"]) <= {"E54000036"}, name
    assert not fp.table("bridge").empty and fp.plan_file.name == "E54000036.yaml"
    with pytest.raises(KeyError):
        sample.footprint("E54999999")


def test_codes_and_years_stay_text(sample):
    assert sample.tables["schemes"]["owner"].map(type).eq(str).all()
    assert set(sample.tables["residual"]["year"]) == {"2016/17", "2017/18", "2018/19", "2019/20",
                                                      "2020/21"}


def test_column_order_and_extra_columns_do_not_matter(sample_folder, tmp_path):
    folder = copy_folder(sample_folder, tmp_path)
    for name in TABLES:
        df = pd.read_csv(folder / f"{name}.csv", dtype=str)
        df = df[list(reversed(df.columns))].assign(added_later="x")
        df.to_csv(folder / f"{name}.csv", index=False)
    loaded = load_results(restamp(folder))
    assert "added_later" in loaded.league.columns
    assert loaded.footprint("E54000005").table("bridge")["amount"].dtype.kind == "f"


def test_missing_files_and_columns_are_all_reported(sample_folder, tmp_path):
    folder = copy_folder(sample_folder, tmp_path)
    (folder / "beds.csv").unlink()
    pd.read_csv(folder / "bridge.csv").drop(columns="amount").to_csv(folder / "bridge.csv",
                                                                      index=False)
    england = json.loads((folder / "england.json").read_text())
    del england["horizon"]
    (folder / "england.json").write_text(json.dumps(england))
    with pytest.raises(InputFileError) as err:
        load_results(folder)
    text = str(err.value)
    assert "beds.csv: missing file" in text
    assert "bridge.csv: missing column(s): amount" in text
    assert "england.json: missing key(s): horizon" in text


def test_access_detail_is_optional(sample_folder, tmp_path):
    folder = copy_folder(sample_folder, tmp_path)
    (folder / "access_lsoa.parquet").unlink()
    loaded = load_results(restamp(folder))
    assert loaded.access_lsoa is None and loaded.footprint("E54000005").access_points is None


def test_rule_columns_must_match_the_catalogue(sample_folder, tmp_path):
    folder = copy_folder(sample_folder, tmp_path)
    pd.read_csv(folder / "league.csv").drop(columns="lsbu.pace").to_csv(
        folder / "league.csv", index=False)
    with pytest.raises(InputFileError, match="missing rule column"):
        load_results(restamp(folder))


def test_a_folder_mixing_two_runs_is_refused(sample_folder, tmp_path):
    old = copy_folder(sample_folder, tmp_path, "old")
    new = write_sample_results(tmp_path / "new", seed=7)
    shutil.copy(new / "verdicts.csv", old / "verdicts.csv")  # a review killed half-way, once
    with pytest.raises(InputFileError, match="verdicts.csv: not the file run"):
        load_results(old)
    (old / "run.json").unlink()
    with pytest.raises(InputFileError, match="run.json: missing"):
        load_results(old)
