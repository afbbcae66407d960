"""Travel: straight-line distance, the estimate, the shipped road matrix, the user-matrix adapter
and the fit of the estimate against the road matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from openstp.access import build_model, builtin_matrix, fit_travel_estimate, read_matrix
from openstp.access.areas import small_areas
from openstp.access.sites import builtin_sites
from openstp.access.travel import METHODS, EstimateModel, straight_km
from openstp.errors import InputFileError
from openstp.params import builtin_parameters

ESTIMATE = METHODS.index("estimate")
ROAD = METHODS.index("road_matrix")
USER = METHODS.index("user_matrix")


def test_hand_checked_straight_line_distances():
    # City of London 001A centroid (532 180.9, 181 797.9) to the Royal London Hospital
    # (534 754.0, 181 798.0): dx 2 573.1 m, dy 0.1 m, so 2.5731 km.
    assert straight_km(np.array([532_180.9]), np.array([181_797.9]), np.array([534_754.0]),
                       np.array([181_798.0]))[0, 0] == pytest.approx(2.5731, abs=1e-3)
    # Huddersfield Royal Infirmary (412 237.0, 417 680.2) to Calderdale Royal (409 505.0,
    # 423 164.1): dx 2 732.0, dy 5 483.9; sqrt(7 463 824 + 30 073 159) = 6 126.7 m.
    assert straight_km(np.array([412_237.0]), np.array([417_680.2]), np.array([409_505.0]),
                       np.array([423_164.1]))[0, 0] == pytest.approx(6.1267, abs=1e-3)


def test_estimate_is_intercept_plus_distance_at_speed():
    est = EstimateModel(intercept=10.0, circuity=1.5, speeds=(30.0, 60.0, 90.0))
    km = np.array([[10.0], [10.0], [10.0]], np.float32)
    minutes = est.minutes(km, np.array([0, 1, 2]))[:, 0]
    assert minutes == pytest.approx([10 + 15 * 2, 10 + 15, 10 + 15 * 2 / 3])


def test_builtin_matrix_is_screened_and_aligned_to_the_areas():
    matrix = builtin_matrix(500)
    assert matrix.minutes.shape == (32_844, 113)
    assert np.nanmax(matrix.minutes) <= 500
    areas = small_areas()
    scilly = np.flatnonzero(areas["lsoa11nm"] == "Isles of Scilly 001A")[0]
    assert np.isnan(matrix.minutes[scilly]).all()
    assert any("routing errors" in n for n in matrix.notes)


def test_road_minutes_used_where_known_and_labelled(ed_model):
    t, sites = ed_model.travel, ed_model.sites
    has_column = sites["matrix_key"].notna().to_numpy()
    assert (t.method[:, ~has_column] == ESTIMATE).all()
    assert (t.method[:, has_column] == ROAD).mean() > 0.99
    assert np.isfinite(t.minutes).all() and (t.minutes > 0).all()


@pytest.fixture(scope="module")
def ed_model():
    return build_model("ed")


def _wide_csv(tmp_path, header: str, rows: list[str]):
    path = tmp_path / "matrix.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_user_matrix_wide_overrides_and_is_labelled(tmp_path):
    path = _wide_csv(tmp_path, "lsoa11cd,RWY02,HD3 3EA,XX999",
                     ["E01011012,12.5,7.5,3", "Calderdale 001A,20,25,3"])
    model = build_model("ed", matrix=path)
    areas, ids = model.areas, model.sites["site_id"].tolist()
    row = np.flatnonzero(areas["lsoa11cd"] == "E01011012")[0]
    named = np.flatnonzero(areas["lsoa11nm"] == "Calderdale 001A")[0]
    crh, hri = ids.index("RWY02"), ids.index("RWY01")
    assert model.travel.minutes[row, crh] == 12.5 and model.travel.method[row, crh] == USER
    assert model.travel.minutes[row, hri] == 7.5 and model.travel.method[row, hri] == USER
    assert model.travel.minutes[named, hri] == 25
    assert any("ignored 1 matrix columns" in n and "XX999" in n for n in model.notes)
    # Pairs the file leaves out keep the road matrix or the estimate, labelled so.
    other = np.flatnonzero(areas["lsoa11cd"] == "E01000001")[0]
    assert model.travel.method[other, crh] == ROAD


def test_user_matrix_long_r5py_and_osrm_seconds(tmp_path):
    sites = builtin_sites()
    r5 = tmp_path / "r5.csv"
    pd.DataFrame({"from_id": ["E01011012"], "to_id": ["RWY01"], "travel_time": [9.0]}).to_csv(
        r5, index=False)
    osrm = tmp_path / "osrm.parquet"
    pd.DataFrame({"source": ["E01011012"], "destination": ["HX3 0PW"],
                  "duration": [600.0]}).to_parquet(osrm)
    m1, m2 = read_matrix(r5, sites), read_matrix(osrm, sites)
    row = np.flatnonzero(small_areas()["lsoa11cd"] == "E01011012")[0]
    assert m1.keys == ("RWY01",) and m1.minutes[row, 0] == 9.0
    assert m2.keys == ("RWY02",) and m2.minutes[row, 0] == 10.0  # 600 seconds
    assert np.isnan(m1.minutes[row + 1, 0])


def test_user_matrix_naming_nothing_known_is_an_error(tmp_path):
    path = _wide_csv(tmp_path, "lsoa,AAA,BBB", ["E01011012,1,2"])
    with pytest.raises(InputFileError, match="no column names a known site"):
        read_matrix(path, builtin_sites())
    path = _wide_csv(tmp_path, "lsoa,RWY01", ["nowhere,1"])
    with pytest.raises(InputFileError, match="no row names an England LSOA"):
        read_matrix(path, builtin_sites())


def test_shipped_speeds_equal_a_refit_and_the_fit_is_reported():
    params = builtin_parameters()
    fit = fit_travel_estimate(params)
    assert fit.estimate.intercept == pytest.approx(
        params.value("access.travel.intercept_minutes"), abs=0.15)
    for name, speed in zip(("conurbation", "city_town", "rural"), fit.estimate.speeds,
                           strict=True):
        assert speed == pytest.approx(params.value(f"access.travel.speed_kmh.{name}"), abs=0.5)
    assert fit.r2 > 0.6 and fit.mean_abs_error < 5
    assert fit.nearest_agreement > 0.8 and fit.nearest_mean_abs_error < 4
    assert len(fit.table()) > 10
