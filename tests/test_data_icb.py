"""Today's ICB footprint sets (icb2023: 42 ICBs, icb2026: 36): areas, organisations, catchments
and the crosswalk between them."""

from pathlib import Path

import pandas as pd
import pytest

from openstp import data
from openstp.plan import check_plan_file

ENGLAND_MID_2020 = 56_550_138  # ONS mid-2020 LSOA estimates, England
NCL, NWL = "E54000028", "E54000027"  # North Central and North West London ICBs of 2023
SPLIT_2025 = {"E54000023": {"T02", "T03"}, "E54000025": {"T01", "T02"},
              "E54000034": {"QRL", "T05", "T07"}}  # NHS England's practice-matched successors


@pytest.mark.parametrize("footprint_set,count", [("icb2023", 42), ("icb2026", 36)])
def test_every_lsoa_is_in_one_icb_and_populations_add_to_england(footprint_set, count):
    codes = set(data.footprints(footprint_set)["code"])
    assert len(codes) == count
    assert set(data.lsoas()[footprint_set]) == codes
    assert int(data.footprint_population(footprint_set, 2020).sum()) == ENGLAND_MID_2020


def test_2026_codes_are_nhs_englands_and_include_the_merged_icbs():
    fps = data.footprints("icb2026").set_index("code")
    assert {"T01", "T02", "T03", "T04", "T05", "T07"} <= set(fps.index)
    assert (fps.index == fps["ods_code"]).all()
    assert fps.loc["T04", "name"] == "NHS North Central and West London ICB"
    assert fps.loc["T04", "region_name"] == "London"


def test_surrey_heartlands_and_sussex_carry_their_april_2023_codes():
    fps = data.footprints("icb2023").set_index("ods_code")["code"]
    assert fps["QXU"] == "E54000063" and fps["QNX"] == "E54000064"
    assert data.resolve_footprint("QWO", "icb2023").code == "E54000054"


def test_a_merged_2026_icb_is_the_sum_of_its_whole_2023_parts():
    lsoas = data.lsoas()
    t04 = set(lsoas.loc[lsoas["icb2026"] == "T04", "lsoa11cd"])
    assert t04 == set(lsoas.loc[lsoas["icb2023"].isin([NCL, NWL]), "lsoa11cd"])
    pop23 = data.footprint_population("icb2023", 2020)
    assert data.footprint_population("icb2026", 2020)["T04"] == pop23[NCL] + pop23[NWL]
    catch = data.table("icb_trust_catchments").set_index(["footprint_set", "footprint", "trust"])
    parts = catch.loc["icb2023"].loc[[NCL, NWL]].groupby("trust")["share"].sum()
    merged = catch.loc["icb2026"].loc["T04"]["share"]
    pd.testing.assert_series_equal(merged.sort_index(), parts.sort_index(), check_names=False,
                                   atol=1e-7)


def test_split_icbs_go_only_to_their_named_successors():
    lsoas = data.lsoas()
    for code, successors in SPLIT_2025.items():
        assert set(lsoas.loc[lsoas["icb2023"] == code, "icb2026"]) == successors, code


def test_crosswalk_shares_add_to_one_on_each_side():
    cw = data.table("icb_crosswalk")
    assert cw["population"].sum() == ENGLAND_MID_2020
    for side in ("icb2023", "icb2026"):
        assert cw.groupby(side)[f"share_of_{side}"].sum().between(1 - 1e-5, 1 + 1e-5).all()
    frimley = cw[cw["icb2023"] == "E54000034"].set_index("icb2026")["share_of_icb2023"]
    # NHS England's practice counts put 21%, 63% and 16% of Frimley's practices in QRL, T05, T07
    assert frimley["T05"] == pytest.approx(0.63, abs=0.08)


@pytest.mark.parametrize("footprint_set", ["icb2023", "icb2026"])
def test_each_icb_lists_itself_its_sub_icb_locations_councils_and_trusts(footprint_set):
    orgs = data.organisations(footprint_set)
    fps = data.footprints(footprint_set)
    icbs = orgs[orgs["kind"] == "icb"]
    assert sorted(icbs["footprint"]) == sorted(fps["code"])
    assert (icbs["code"] == icbs["footprint"]).all()
    assert set(icbs["ods_code"]) == set(fps["ods_code"])
    subs = orgs[orgs["kind"].isin(["sub_icb_location", "council"])]
    assert subs.groupby("code")["share"].sum().between(1 - 1e-5, 1 + 1e-5).all()
    for kind in ("sub_icb_location", "council", "acute_trust"):
        assert set(orgs.loc[orgs["kind"] == kind, "footprint"]) == set(fps["code"]), kind


@pytest.mark.parametrize("footprint_set", ["icb2023", "icb2026"])
def test_trust_catchment_shares_add_to_one(footprint_set):
    catch = data.table("icb_trust_catchments")
    catch = catch[catch["footprint_set"] == footprint_set]
    assert catch["trust"].nunique() == 138
    assert catch.groupby("trust")["share"].sum().between(1 - 1e-6, 1 + 1e-6).all()
    assert set(catch["footprint"]) <= set(data.footprints(footprint_set)["code"])


def test_an_acute_trust_is_listed_with_its_catchment_share():
    orgs = data.organisations("icb2023")
    harrogate = orgs[orgs["code"] == "RCD"].set_index("footprint")["share"]
    assert harrogate["E54000051"] > 0.5  # Humber and North Yorkshire
    assert harrogate["E54000054"] == pytest.approx(0.253, abs=0.001)  # West Yorkshire


PLAN = """\
footprint: {footprint}
footprint_set: {footprint_set}
name: ICB owner test (illustrative)
illustrative: true
base_year: 2025/26
horizon: 2028/29
schemes:
  - id: icb-running-costs
    name: Running-cost reduction led by the ICB
    type: back_office_estates
    owner: {owner}
    sector: other_nhs
    start_year: 2026/27
    saving: {{2026/27: 1000000, 2027/28: 2000000, 2028/29: 2000000}}
"""


@pytest.mark.parametrize("footprint_set,footprint,owner", [
    ("icb2026", "T04", "T04"), ("icb2023", "QWO", "QWO"), ("icb2023", "QWO", "E54000054"),
    ("icb2026", "thames valley", "T05")])
def test_an_icb_is_accepted_as_a_scheme_owner(tmp_path: Path, footprint_set, footprint, owner):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(footprint=footprint, footprint_set=footprint_set, owner=owner))
    plan, problems = check_plan_file(path)
    assert plan is not None
    assert not [p for p in problems if "owner" in str(p) or "footprint" in str(p)], problems


def test_an_icb_of_another_system_is_refused_as_owner(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(footprint="T04", footprint_set="icb2026", owner="QWO"))
    _, problems = check_plan_file(path)
    assert any("belongs to QWO" in str(p) for p in problems), problems


def test_age_structure_and_deprivation_work_per_2026_icb():
    by_age = data.footprint_population("icb2026", 2020, by_age=True)
    assert list(by_age.columns) == list(data.AGES) and len(by_age) == 36
    assert by_age.sum(axis=1).sum() == ENGLAND_MID_2020
    lsoas = data.lsoas()
    deprived = (lsoas["imd2019_decile"] <= 2).groupby(lsoas["icb2026"]).mean()
    assert deprived.idxmax() in {"QOP", "QYG", "QHL", "QMF", "QHM"}  # the most deprived systems
