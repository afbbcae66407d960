"""The series for today's ICBs: NHS England's budget, allocations by target share, weighted
populations per set, opening positions and beds by catchment."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openstp import data
from openstp.data import icb
from openstp.errors import OpenSTPError
from openstp.params import builtin_parameters
from openstp.params import icb_series as series

NCL, NWL = "E54000028", "E54000027"
ICB_YEARS = ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29", "2030/31"]


def test_budget_is_the_published_plan_to_2028_29_then_the_stated_assumption():
    budget = series.nhs_budget(["2024/25", "2028/29", "2029/30", "2030/31"]).set_index("year")
    assert budget.loc["2024/25", "cash_gbp_bn"] == 186.8
    assert budget.loc["2028/29", "cash_gbp_bn"] == 226.1
    assert budget.loc["2029/30", "cash_gbp_bn"] == pytest.approx(226.1 * 1.030 * 1.019)
    assert list(budget["method"]) == ["published", "published", "assumed", "assumed"]
    cases = [series.nhs_budget(["2030/31"], case=c)["cash_gbp_bn"].iloc[0]
             for c in ("low", "central", "high")]
    assert cases == sorted(cases) and cases[0] < cases[2]


def test_budget_before_the_series_is_a_clear_error():
    with pytest.raises(OpenSTPError, match="no icb.funding.nhs_england_rdel for 2012/13"):
        series.nhs_budget(["2012/13"])


@pytest.mark.parametrize("footprint_set", ["icb2023", "icb2026"])
@pytest.mark.parametrize("year", ICB_YEARS)
def test_allocations_by_target_share_add_to_the_national_total(footprint_set, year):
    alloc = series.icb_allocations(footprint_set, year)
    total, _ = series.national_icb_total(year)
    assert len(alloc) == len(data.footprints(footprint_set))
    assert alloc["allocation_gbp_bn"].sum() == pytest.approx(total, rel=1e-12)
    assert (alloc["share"] > 0).all()


def test_2024_25_national_total_is_the_commons_library_figure():
    assert series.national_icb_total("2024/25") == (127.2, "published")
    alloc = series.icb_allocations("icb2023", "2024/25").set_index("footprint")
    # Cheshire and Merseyside: about 4.9% of England's weighted population
    assert alloc.loc["E54000008", "allocation_gbp_bn"] == pytest.approx(6.22, abs=0.05)


@settings(max_examples=25, deadline=None)
@given(current=st.floats(0.01, 0.2), year=st.sampled_from(ICB_YEARS))
def test_a_current_share_converges_and_the_total_still_adds_up(current, year):
    alloc = series.icb_allocations("icb2026", year, current_shares={"T04": current})
    t04 = alloc.set_index("footprint").loc["T04"]
    step = {"2024/25": 0.0, "2025/26": 0.0, "2026/27": 0.333, "2027/28": 0.667}.get(year, 1.0)
    assert t04["share"] == pytest.approx(current + (t04["target_share"] - current) * step)
    assert alloc["share"].sum() == pytest.approx(1.0)
    total, _ = series.national_icb_total(year)
    assert alloc["allocation_gbp_bn"].sum() == pytest.approx(total)


def test_convergence_follows_its_parameter():
    slow = builtin_parameters().with_overrides({"icb.allocations.convergence": {
        "2025/26": 0.0, "2026/27": 0.0, "2027/28": 0.0, "2028/29": 0.0}})
    alloc = series.icb_allocations("icb2026", "2028/29", slow, current_shares={"T04": 0.05})
    assert alloc.set_index("footprint").loc["T04", "share"] == pytest.approx(0.05)


def test_unknown_icb_in_current_shares_is_refused():
    with pytest.raises(OpenSTPError, match="unknown ICB QQQ"):
        series.icb_allocations("icb2026", "2026/27", current_shares={"QQQ": 0.1})


@pytest.mark.parametrize("footprint_set", ["icb2023", "icb2026"])
def test_weighted_population_shares_add_to_one_each_year(footprint_set):
    wp = icb.weighted_populations(footprint_set)
    assert wp.groupby("allocation_year").size().eq(len(data.footprints(footprint_set))).all()
    for c in icb.COMPONENTS:
        assert wp.groupby("allocation_year")[f"{c}_share"].sum().sub(1).abs().max() < 1e-12


def test_merged_2026_icb_equals_the_sum_of_its_2025_parts():
    wp26 = icb.weighted_populations("icb2026").set_index(["allocation_year", "footprint"])
    wp23 = icb.weighted_populations("icb2023").set_index(["allocation_year", "footprint"])
    t04 = wp26.loc[("2025/26", "T04")]
    assert t04["method"] == "summed"
    parts = wp23.loc[[("2025/26", NCL), ("2025/26", NWL)]]
    assert (parts["method"] == "published").all()
    for col in ("population", *icb.COMPONENTS):
        assert t04[col] == pytest.approx(parts[col].sum(), rel=1e-12), col
    # and back: the 2023 parts of 2026/27's T04 add up to the published T04
    back = wp23.loc[[("2026/27", NCL), ("2026/27", NWL)], "core_wp"].sum()
    assert back == pytest.approx(wp26.loc[("2026/27", "T04"), "core_wp"])
    assert wp26.loc[("2025/26", "T05"), "method"] == "apportioned"  # part of Frimley


def test_growth_index_is_one_in_the_base_year_and_flags_list_changes():
    growth = icb.weighted_population_growth("icb2026", "2026/27")
    base = growth[growth["allocation_year"] == "2026/27"]
    assert (base["index"] == 1).all() and not base["basis_changed"].any()
    later = growth[growth["allocation_year"] == "2028/29"]
    assert later["index"].between(0.95, 1.1).all() and not later["basis_changed"].any()
    assert growth.loc[growth["allocation_year"] == "2025/26", "basis_changed"].all()
    assert set(icb.SECTOR_COMPONENT.values()) <= set(icb.COMPONENTS)


def test_icb_series_refuse_an_stp_set():
    with pytest.raises(OpenSTPError, match="no ICB series"):
        icb.weighted_populations("stp2017")


@pytest.mark.parametrize("footprint_set", ["icb2023", "icb2026"])
@pytest.mark.parametrize("year", ["2024/25", "2025/26"])
def test_opening_positions_add_to_the_national_figure(footprint_set, year):
    p = builtin_parameters()
    opening = series.opening_positions(footprint_set, year).set_index("footprint")
    national = p.value("icb.opening.national.planned_deficit_2024_25" if year == "2024/25"
                       else "icb.opening.national.planned_deficit_before_support_2025_26")
    assert opening["surplus_gbp_bn"].sum() == pytest.approx(national, abs=1e-9)
    assert set(opening["method"]) <= {"published", "apportioned"}
    if year == "2025/26":
        assert opening["deficit_support_gbp_bn"].sum() == pytest.approx(2.2)


def test_named_systems_are_published_and_keep_their_figures():
    o23 = series.opening_positions("icb2023").set_index("footprint")
    assert o23.loc["E54000062", ["surplus_gbp_bn", "method"]].tolist() == [-0.09, "published"]
    assert o23.loc["E54000057", "underlying_gbp_bn"] == -0.61  # Greater Manchester
    assert o23.loc["E54000057", "method"] == "apportioned"  # its plan figure is not reported
    o26 = series.opening_positions("icb2026").set_index("footprint")
    assert o26.loc["QUA", "method"] == "published"
    assert o26.loc["T04", "method"] == "apportioned"  # North West London's is not reported
    assert o26.loc["T04", "surplus_gbp_bn"] == pytest.approx(o23.loc[NWL, "surplus_gbp_bn"])


def test_icb_beds_share_every_trusts_beds_across_icbs():
    trust = data.table("icb_trust_beds_monthly").groupby("month")["ga_beds_available"].sum()
    for fset in ("icb2023", "icb2026"):
        by_icb = icb.icb_beds(fset).groupby("month")["ga_beds_available"].sum()
        pd.testing.assert_series_equal(by_icb, trust, check_names=False, atol=0.05)


def test_merged_icb_beds_equal_the_sum_of_their_parts():
    b23 = icb.icb_beds("icb2023", "2024/25").set_index("footprint")
    b26 = icb.icb_beds("icb2026", "2024/25").set_index("footprint")
    assert b26.loc["T04", "months"] == 12
    parts = b23.loc[[NCL, NWL], ["ga_beds_available", "ga_beds_occupied"]].sum()
    assert b26.loc["T04", "ga_beds_available"] == pytest.approx(parts["ga_beds_available"],
                                                                abs=0.01)
    england = b26["ga_beds_available"].sum()
    assert 95_000 < england < 110_000  # sitrep G&A beds, England, 2024/25
    assert b26["occupancy"].between(0.8, 1.0).all()


def test_beds_for_a_year_without_returns_is_a_clear_error():
    with pytest.raises(OpenSTPError, match="no sitrep beds for 2019/20"):
        icb.icb_beds("icb2023", "2019/20")


def test_sector_need_growth_covers_every_nhs_sector_from_the_base_year():
    growth = data.sector_need_growth("icb2026", "2026/27")
    assert set(growth["sector"]) == set(icb.SECTOR_COMPONENT)
    assert growth.groupby(["footprint", "sector"]).size().eq(6).all()
    base = growth[growth["allocation_year"] == "2026/27"]
    assert (base["index"] == 1).all()
    # England's need grows with its registered list: relative indices average about 1
    later = growth[(growth["allocation_year"] == "2028/29") & (growth["sector"] == "acute")]
    assert later["share_index"].mean() == pytest.approx(1.0, abs=0.01)


def test_core_and_primary_care_per_head_match_the_commons_library():
    # CBP-10031, 2024/25: core services about £1,732 a patient, primary medical care about £180;
    # Cheshire and Merseyside has the highest core allocation per head (£1,986: its actual
    # allocation, above its target share; target shares alone give about £1,937).
    wp = data.weighted_populations("icb2023")
    wp = wp[wp["allocation_year"] == "2024/25"].set_index("footprint")
    p = builtin_parameters()
    core = p.value("icb.allocations.core_services_2024_25") * 1e9
    pmc = p.value("icb.allocations.primary_medical_care_2024_25") * 1e9
    assert core / wp["population"].sum() == pytest.approx(1_732, abs=2)
    assert pmc / wp["population"].sum() == pytest.approx(180, abs=1)
    per_head = core * wp["core_wp_share"] / wp["population"]
    assert per_head.idxmax() == "E54000008"
    assert per_head.max() == pytest.approx(1_986, rel=0.05)
