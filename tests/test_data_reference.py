"""The built-in reference data: coverage, sums and schemas of the shipped tables."""

import pandas as pd
import pytest

from openstp import data

ENGLAND_MID_2017 = 55_619_430  # ONS mid-2017 LSOA estimates, England (shared SOURCES.md)
ENGLAND_MID_2020 = 56_550_138  # ONS mid-2020 LSOA estimates, England


def test_england_has_32844_lsoas_with_unique_codes():
    lsoas = data.lsoas()
    assert len(lsoas) == 32_844
    assert lsoas["lsoa11cd"].is_unique
    assert lsoas["lsoa11cd"].str.startswith("E01").all()


@pytest.mark.parametrize("footprint_set,count", [
    ("stp2017", 44), ("stp2018", 42), ("stp2019", 42), ("stp2020", 42), ("icb2022", 42)])
def test_every_lsoa_belongs_to_exactly_one_known_footprint(footprint_set, count):
    lsoas = data.lsoas()
    codes = set(data.footprints(footprint_set)["code"])
    assert len(codes) == count
    assert lsoas[footprint_set].notna().all()
    assert set(lsoas[footprint_set]) == codes  # every footprint has LSOAs, none unknown


def test_stp2017_codes_run_from_e54000005_to_e54000048():
    codes = sorted(data.footprints("stp2017")["code"])
    assert codes == [f"E540000{n:02d}" for n in range(5, 49)]


@pytest.mark.parametrize("footprint_set,year,england", [
    ("stp2017", 2017, ENGLAND_MID_2017), ("icb2022", 2020, ENGLAND_MID_2020)])
def test_footprint_populations_sum_to_england(footprint_set, year, england):
    pop = data.footprint_population(footprint_set, year)
    assert int(pop.sum()) == england


def test_footprint_population_by_age_adds_up_to_total():
    by_age = data.footprint_population("stp2017", 2017, by_age=True)
    assert list(by_age.columns) == list(data.AGES)
    pd.testing.assert_series_equal(by_age.sum(axis=1), data.footprint_population("stp2017", 2017),
                                   check_names=False)


def test_only_cumbria_ccg_is_split_across_2017_footprints():
    orgs = data.organisations("stp2017")
    ccgs = orgs[orgs["kind"] == "ccg"]
    assert ccgs["code"].nunique() == 209
    split = ccgs[ccgs["share"] < 1]
    assert split["name"].unique().tolist() == ["NHS Cumbria CCG"]
    assert set(split["footprint"]) == {"E54000047", "E54000048"}
    assert split["share"].sum() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("footprint_set", data.FOOTPRINT_SETS)
def test_organisation_shares_sum_to_one(footprint_set):
    orgs = data.organisations(footprint_set)
    shares = orgs[orgs["kind"].isin(["ccg", "council"])].groupby("code")["share"].sum()
    assert shares.between(1 - 1e-5, 1 + 1e-5).all()


def test_152_upper_tier_councils_in_2017():
    orgs = data.organisations("stp2017")
    assert orgs.loc[orgs["kind"] == "council", "code"].nunique() == 152


def test_acute_trusts_per_2017_footprint_from_health_foundation_lookup():
    orgs = data.organisations("stp2017")
    acute = orgs[orgs["kind"] == "acute_trust"]
    assert acute["code"].nunique() == 137
    assert set(acute["footprint"]) <= set(data.footprints("stp2017")["code"])
    assert ("RN3", "E54000040") in set(zip(acute["code"], acute["footprint"], strict=True))


def test_lsoa_attributes_are_in_range():
    lsoas = data.lsoas()
    assert lsoas["imd2019_decile"].between(1, 10).all()
    assert lsoas["easting"].between(80_000, 660_000).all()
    assert lsoas["northing"].between(0, 660_000).all()
    assert set(lsoas["ruc11cd"]) <= {"A1", "B1", "C1", "C2", "D1", "D2", "E1", "E2"}
    assert lsoas["rural"].mean() == pytest.approx(0.18, abs=0.03)


def test_known_lsoa_centroid_projects_to_bng():
    # E01000001 (City of London 001A): ONS BNG centroid is about (532 150, 181 615).
    row = data.lsoas().set_index("lsoa11cd").loc["E01000001"]
    assert row["easting"] == pytest.approx(532_150, abs=200)
    assert row["northing"] == pytest.approx(181_615, abs=200)


def test_manifest_names_source_and_licence_of_every_shipped_table():
    manifest = data.manifest()
    assert "Open Government Licence" in manifest["licence"]["name"]
    shipped = {p.stem for p in data.reference.DATA_DIR.glob("*.parquet")}
    assert shipped == set(manifest["tables"])
    for name, entry in manifest["tables"].items():
        assert entry["kind"] in {"source", "derived"}, name
        assert entry["sources"], name
        for src in entry["sources"]:
            assert src["publisher"] and src["title"] and src["year"] and src["licence"], name
        data.table(name)  # loads and passes its schema check


def test_resolve_footprint_by_ons_ods_and_name():
    assert data.resolve_footprint("E54000007").name == "Greater Manchester"
    assert data.resolve_footprint("qop").code == "E54000007"
    assert data.resolve_footprint("manchester").code == "E54000007"
    assert data.resolve_footprint("devon", "icb2022").ods_code == "QJK"


@pytest.mark.parametrize("query", ["cumbria", "E54999999", ""])
def test_resolve_footprint_rejects_ambiguous_or_unknown(query):
    with pytest.raises(data.ReferenceDataError.__mro__[1]):
        data.resolve_footprint(query)


def test_unknown_footprint_set_is_a_clear_error():
    with pytest.raises(data.ReferenceDataError, match="allowed: stp2017"):
        data.footprints("stp2016")


def test_cost_curve_rises_with_age_and_deprivation():
    cost = data.table("cost_per_head_2014")
    total = cost[(cost["component"] == "total") & (cost["sex"] == "persons")]
    by_age = total.groupby("age")["gbp_per_head"].mean()
    assert by_age[85] > 3 * by_age[40]
    by_q = total.groupby("imd_quintile")["gbp_per_head"].mean()
    assert by_q[1] > by_q[5]  # quintile 1 is the most deprived


def test_national_projection_matches_ons_2016_total():
    npp = data.table("npp2016_england")
    assert npp[npp["year"] == 2016]["persons"].sum() == 55_268_067
