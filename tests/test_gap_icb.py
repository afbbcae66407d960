"""The do-nothing gap and the whole chain for today's ICB sets: allocations that add up to the
national ICB total, the opening position and deficit support, a plan's own figures, every
coverage problem at once, ICB-owned schemes, and the MTPF rules in ``openstp review``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openstp.gap import compute_gap
from openstp.gap.checks import check_plan
from openstp.gap.icb import IcbOwn
from openstp.params import builtin_parameters, load_parameters
from openstp.params.icb_series import national_icb_total, opening_positions
from openstp.plan import Plan, validate_plan
from openstp.review.rules_mtpf import MTPF_CATALOGUE

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "west_yorkshire_icb_2025.yaml"
BASE, HORIZON = "2025/26", "2030/31"


@pytest.fixture(scope="module")
def arrays():
    return compute_gap("icb2026", builtin_parameters(), BASE, HORIZON)


def icb_plan(**fields) -> Plan:
    data = {"footprint": "QWO", "footprint_set": "icb2026", "name": "ICB test plan (illustrative)",
            "illustrative": True, "base_year": BASE, "horizon": "2028/29", **fields}
    return Plan.model_validate(data)


def test_england_allocations_add_up_to_the_national_icb_total(arrays):
    support = arrays.stf_to_deficits.sum(axis=0)
    allocated = arrays.funding.sum(axis=(0, 1)) - support
    totals = [national_icb_total(y)[0] * 1e9 for y in arrays.years]
    np.testing.assert_allclose(allocated, totals, rtol=1e-9)


def test_base_year_starts_at_the_reported_position_after_support(arrays):
    table = opening_positions("icb2026", BASE).set_index("footprint").loc[arrays.footprints]
    after = -(table["surplus_gbp_bn"] + table["deficit_support_gbp_bn"]).to_numpy() * 1e9
    np.testing.assert_allclose(arrays.gap[:, :, 0].sum(axis=1), after, atol=1.0)
    assert abs(arrays.opening.total.sum() - 2.2e9) < 1e3  # England's deficit before support


def test_deficit_support_is_gone_by_2028_29(arrays):
    paid = arrays.stf_to_deficits.sum(axis=0)
    assert paid[0] == pytest.approx(2.2e9)
    assert paid[arrays.years.index("2027/28")] > 0
    assert np.all(paid[arrays.years.index("2028/29"):] == 0)


def test_sectors_outside_the_icb_total_have_no_spend(arrays):
    outside = [arrays.sectors.index(s) for s in ("specialised", "public_health",
                                                 "adult_social_care")]
    assert np.all(arrays.cost[:, outside] == 0) and np.all(arrays.funding[:, outside] == 0)
    assert np.all(np.isfinite(arrays.gap))


def test_a_plans_own_allocation_and_support_replace_the_built_in_ones(arrays):
    own = {"QWO": IcbOwn({"2026/27": 6.5e9}, deficit_support=0.0)}
    mine = compute_gap("icb2026", builtin_parameters(), BASE, HORIZON, icb_own=own)
    f, t = arrays.footprints.index("QWO"), arrays.years.index("2026/27")
    assert mine.funding[f, :, t].sum() == pytest.approx(6.5e9)
    assert np.all(mine.stf_to_deficits[f] == 0)
    others = [i for i in range(len(arrays.footprints)) if i != f]
    np.testing.assert_array_equal(mine.funding[others], arrays.funding[others])


@pytest.mark.parametrize("owner", ["QWO", "RR8", "E38000225", "15F"])
def test_an_icb_and_its_organisations_are_accepted_as_scheme_owners(owner):
    scheme = {"id": "s", "name": "s", "type": "neighbourhood_health", "owner": owner,
              "start_year": "2026/27", "saving": {"2026/27": 1e6}}
    assert validate_plan(icb_plan(schemes=[scheme]), "test") == []


def test_the_icb_is_accepted_by_its_ods_code_in_the_2023_set():
    scheme = {"id": "s", "name": "s", "type": "corporate_running_costs", "owner": "QWO",
              "start_year": "2026/27", "saving": {"2026/27": 1e6}}
    plan = icb_plan(footprint="QWO", footprint_set="icb2023", schemes=[scheme])
    assert validate_plan(plan, "test") == []
    other = icb_plan(schemes=[{**scheme, "owner": "QE1"}])  # another ICB
    assert [p.field for p in validate_plan(other, "test")] == ["schemes[0].owner"]


def test_a_plan_outside_the_data_lists_every_problem_in_one_run(tmp_path, cli):
    plan = EXAMPLE.read_text(encoding="utf-8").replace("base_year: 2025/26", "base_year: 2023/24")
    plan = plan.replace("horizon: 2030/31", "horizon: 2045/46")
    path = tmp_path / "outside.yaml"
    path.write_text(plan, encoding="utf-8")
    _, problems = check_plan(path)
    assert sorted(p.field for p in problems) == ["base_year", "horizon"]
    assert all(p.line for p in problems)
    result = cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(lines) == 2 and "icb.opening" in result.stderr and "2041/42" in result.stderr


def test_the_gap_command_refuses_the_same_years_at_once(cli):
    result = cli("gap", "--footprint-set", "icb2026", "--base-year", "2023/24",
                 "--year", "2045/46")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 2


def test_the_icb_section_belongs_to_icb_sets():
    plan = Plan.model_validate({"footprint": "E54000005", "name": "x (illustrative)",
                                "icb": {"running_costs": 1e6}})
    assert [p.field for p in validate_plan(plan, "test")] == ["icb"]


def test_todays_scheme_types_have_delivery_and_slippage_priors():
    params = builtin_parameters()
    for kind in ("neighbourhood_health", "corporate_running_costs", "temporary_staffing"):
        for q in ("p10", "median", "p90"):
            assert 0 < params.value(f"risk.delivery.{kind}.{q}") <= 1
        assert params[f"risk.delivery.{kind}.median"].references
        for n in ("one_year", "two_years"):
            assert 0 <= params.value(f"risk.slippage.{kind}.{n}") <= 1


def test_built_in_icb_plans_are_illustrative_and_valid():
    from openstp.risk.builtin_icb import builtin_icb_plans

    for footprint_set, count in (("icb2023", 42), ("icb2026", 36)):
        plans = builtin_icb_plans(footprint_set)
        assert len(plans) == count
        for plan in plans:
            assert plan.illustrative and plan.description.startswith("ILLUSTRATIVE")
            assert validate_plan(plan, plan.footprint) == []


@pytest.fixture(scope="module")
def icb_run():
    from openstp.review import chain
    from openstp.risk.builtin_icb import builtin_icb_plans

    plans = [p for p in builtin_icb_plans("icb2026") if p.footprint in ("QWO", "T04")]
    return chain.run_chain(plans, draws=20, capacity_draws=5)


def test_review_of_icb_plans_judges_them_by_the_mtpf_rules(icb_run):
    run = icb_run
    for review in run.reviews.values():
        assert [v.rule for v in review.verdicts] == list(MTPF_CATALOGUE)
        ratings = review.by_rule()
        assert ratings["mtpf.productivity"].rating.value == "met"
        assert ratings["mtpf.running_costs"].rating.value == "no_evidence"
    assert set(run.tables().frames["rules"]["rule"]) == set(MTPF_CATALOGUE)


def test_icb_bed_baseline_is_the_sitrep_beds():
    from openstp.beds.model import bed_inputs
    from openstp.data import icb_beds

    inputs = bed_inputs("icb2026", [BASE, "2026/27"], builtin_parameters())
    beds = icb_beds("icb2026", "2024/25").set_index("footprint").loc[list(inputs.footprints)]
    np.testing.assert_allclose(inputs.base_beds, beds["ga_beds_available"])
    assert all(m.startswith("sitrep") for m in inputs.baseline_method)  # said per footprint


def test_an_icb_review_folder_makes_a_workbook(icb_run, tmp_path):
    from openstp.report.results import load_results
    from openstp.report.workbook import build_workbook

    icb_run.write(tmp_path / "results")
    names = build_workbook(load_results(tmp_path / "results")).sheetnames
    assert {"League", "Review", "Gap by footprint"} <= set(names)
    assert "Gap" not in names  # the live STP-era gap model is left out of ICB workbooks


def test_an_icb_site_says_it_is_about_icb_plans(icb_run, tmp_path):
    from openstp.report import load_results, write_site

    icb_run.write(tmp_path / "results")
    write_site(load_results(tmp_path / "results"), tmp_path / "site", workbook=False)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "England's integrated care boards' plans, open and testable" in page
    assert "Sustainability and Transformation Plans, open" not in page


def test_an_unknown_icb_says_where_the_codes_are_listed():
    problems = validate_plan(icb_plan(footprint="Q99"), None)
    assert any("`openstp footprints --footprint-set icb2026` lists them" in str(p)
               for p in problems), problems


def test_the_budget_assumption_after_2028_29_moves_only_the_later_years(arrays):
    from openstp.gap.icb import sensitivity_paths

    assert "icb.funding.real_growth_after_2028_29" in sensitivity_paths(builtin_parameters())
    low = compute_gap("icb2026", builtin_parameters(), BASE, HORIZON,
                      cases={"icb.funding.real_growth_after_2028_29": "low"})
    last_planned = arrays.years.index("2028/29")
    np.testing.assert_allclose(low.gap[:, :, : last_planned + 1],
                               arrays.gap[:, :, : last_planned + 1])
    assert low.gap[:, :, -1].sum() > arrays.gap[:, :, -1].sum() + 1e9


@pytest.mark.parametrize("code", ["QMF", "QWO"])
def test_built_in_icb_plans_match_todays_gap(arrays, code):
    """The shipped plans are what scripts/build_icb_plans.py writes from the current gap:
    rerun it when the gap model or its parameters change."""
    import importlib.util

    from openstp import data
    from openstp.risk.builtin_icb import builtin_icb_plans

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_icb_plans.py"
    spec = importlib.util.spec_from_file_location("build_icb_plans", script)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    f = arrays.footprints.index(code)
    name = str(data.footprints("icb2026").set_index("code")["name"][code])
    rebuilt = builder.build_plan("icb2026", code, name, arrays.years, arrays.gap[f].sum(axis=0),
                                 arrays.base[f].sum(), builtin_parameters().value(
                                     builder.PRODUCTIVITY))
    shipped = next(p for p in builtin_icb_plans("icb2026") if p.footprint == code)
    assert rebuilt == shipped



def test_a_second_icb_gap_reads_the_reference_tables_from_memory(arrays):
    """A what-if recomputes the gap with new parameters; the weighted populations and need
    indices, which depend on the reference data alone, are made once, and callers get copies."""
    from openstp.data import icb as icb_data
    from openstp.gap import icb as icb_gap

    def misses():
        return (icb_data._weighted_populations.cache_info().misses,
                icb_gap._relative_need.cache_info().misses)

    before = misses()
    again = compute_gap("icb2026", load_parameters(overrides={"risk.pressure.loading": 0.3}),
                        BASE, HORIZON)
    assert misses() == before
    np.testing.assert_array_equal(again.cost, arrays.cost)
    icb_data.weighted_populations("icb2026").loc[:, "population"] = 0.0
    assert icb_data.weighted_populations("icb2026")["population"].gt(0).all()
