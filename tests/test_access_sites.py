"""The built-in service site table and its match record; a user's site table; finding sites."""

from __future__ import annotations

import pandas as pd
import pytest

from openstp import data
from openstp.access.sites import builtin_sites, read_sites, resolve_site
from openstp.errors import InputFileError, UnknownCodeError


@pytest.fixture(scope="module")
def sites() -> pd.DataFrame:
    return builtin_sites()


def test_every_service_has_sites_with_unique_ids_in_england(sites):
    counts = sites[["ed", "maternity", "neonatal", "stroke", "thrombectomy"]].sum()
    assert counts.to_dict() == {"ed": 173, "maternity": 158, "neonatal": 159, "stroke": 127,
                                "thrombectomy": 24}
    assert sites["site_id"].is_unique
    assert sites["lsoa11cd"].str.startswith("E01").all()
    assert sites["easting"].between(80_000, 660_000).all()


def test_road_matrix_covers_113_sites_and_most_eds(sites):
    assert sites["matrix_key"].notna().sum() == 113
    assert sites.loc[sites["ed"], "matrix_key"].notna().sum() == 110


def test_sites_are_placed_by_recorded_rules(sites):
    assert set(sites["placement"]) <= {"postcode", "postcode_name", "name_nearby",
                                       "source_coordinates", "reviewed"}
    assert set(sites["ed_rule"]) <= {"acute_list_trust_with_type1", "specialist_name",
                                     "trust_without_type1", "acute_list_trust_unknown",
                                     "reviewed_add", "reviewed_remove"}
    # Coordinates from NHS Choices agree with the stroke lists' own within 2 km.
    assert sites["km_from_list_coordinates"].dropna().max() < 2


def test_match_table_lists_the_unplaced_and_every_review_with_its_reason():
    matches = data.table("service_site_matches")
    unplaced = matches[matches["rule"] == "unplaced"]
    assert set(unplaced["postcode"]) == {"L14 5AB", "NE63 9FL"}  # Alder Hey; Wansbeck
    reviewed = matches[matches["source"] == "review"]
    assert len(reviewed) == 13 and reviewed["note"].str.len().min() > 40
    placed = matches[matches["source"].isin(["acute2017", "neonatal2019", "ssnap2016",
                                             "stroke2022"])]
    assert len(placed) == 185 + 161 + 127 + 129


def test_reviewed_sites_carry_the_review(sites):
    by_id = sites.set_index("site_id")
    assert by_id.loc["RWY01", "ed"] and by_id.loc["RWY01", "ed_rule"] == "reviewed_add"
    assert not by_id.loc["RYJ04", "ed"] and by_id.loc["RYJ04", "maternity"]


@pytest.mark.parametrize("query,site_id", [("RWY02", "RWY02"), ("hx3 0pw", "RWY02"),
                                           ("Calderdale Royal", "RWY02"), ("e11bb", "R1H12")])
def test_resolve_site_by_code_postcode_or_name(sites, query, site_id):
    assert sites["site_id"].iloc[resolve_site(query, sites)] == site_id


@pytest.mark.parametrize("query,message", [("Royal", "matches"), ("ZZZ99", "no site matches")])
def test_resolve_site_rejects_ambiguous_and_unknown(sites, query, message):
    with pytest.raises(UnknownCodeError, match=message):
        resolve_site(query, sites)


def test_read_sites_accepts_lat_lon_and_flags(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site_id,name,lat,lon,ed,maternity\n"
                    "A1,Alpha,51.5186,-0.0593,yes,0\nB2,Beta,53.6458,-1.8038,true,1\n")
    table = read_sites(path)
    assert table["ed"].tolist() == [True, True] and table["maternity"].tolist() == [False, True]
    assert table.loc[0, "easting"] == pytest.approx(534_750, abs=300)  # Royal London
    assert table.loc[0, "northing"] == pytest.approx(181_800, abs=300)


def test_read_sites_reports_every_problem_with_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("site_id,name,easting,northing,ed\nA,Alpha,x,100,yes\nA,Beta,5,5,maybe\n")
    with pytest.raises(InputFileError) as err:
        read_sites(path)
    text = str(err.value)
    assert "bad.csv:2: easting: not a number" in text
    assert "bad.csv:3: ed: not true/false" in text
    assert "bad.csv:3: site_id: empty or repeated" in text


def test_read_sites_needs_coordinates(tmp_path):
    path = tmp_path / "nocoords.csv"
    path.write_text("site_id,name,ed\nA,Alpha,1\n")
    with pytest.raises(InputFileError, match="easting and northing"):
        read_sites(path)
