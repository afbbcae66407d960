"""The gap's opening position, the STF paid to deficits, the organisational basis, adult social
care for all adults, and the do-minimum gaps with their bridge."""

from __future__ import annotations

import json

import numpy as np
import pytest

from openstp.gap import compute_gap, project
from openstp.gap.minimum import STEPS, bridge, with_england
from openstp.gap.model import stf_to_deficits
from openstp.gap.summary import footprint_summary
from openstp.params import load_parameters

NORTH_CENTRAL_LONDON = "E54000028"  # UCLH, the Royal Free, Great Ormond Street, Moorfields
HERTS_WEST_ESSEX = "E54000025"  # a neighbour whose residents use London's hospitals
NORTH_EAST_LONDON = "E54000029"


@pytest.fixture(scope="module")
def central():
    return compute_gap()


def test_hand_computed_two_footprints_with_an_opening_deficit():
    # A has base spend 100 and a deficit of 10 carried in its cost base; B is in balance.
    base = np.array([[100.0], [50.0]])
    opening = np.array([[10.0], [0.0]])
    demographic = np.array([[[1.0, 1.02]], [[1.0, 1.05]]])
    rate, inflation = np.array([0.03]), np.array([[1.0, 1.02]])
    national_funding = np.array([[150.0, 160.0]])
    share = np.array([[[2 / 3, 0.6]], [[1 / 3, 0.4]]])
    _, cost, funding = project(base + opening, demographic, rate, inflation, national_funding,
                               share)
    # the STF's 6 in year 1 goes to A (all of the deficit) instead of 0.6 : 0.4
    moved = stf_to_deficits(opening[:, 0], share[:, 0], np.array([0.0, 6.0]))
    assert moved[:, 1] == pytest.approx([6 * (1 - 0.6), 6 * (0 - 0.4)])
    gap = cost[:, 0] - (funding[:, 0] + moved)
    assert gap[:, 0] == pytest.approx([10.0, 0.0])  # the base year's gap is the opening
    assert gap[0, 1] == pytest.approx(110 * 1.02 * 1.03 * 1.02 - (96 + 2.4))
    assert gap[1, 1] == pytest.approx(50 * 1.05 * 1.03 * 1.02 - (64 - 2.4))
    assert gap[:, 1].sum() == pytest.approx(cost[:, 0, 1].sum() - 160)  # England unchanged


def test_footprints_sum_to_england_in_every_column(central):
    summary = footprint_summary(central)
    england = summary.iloc[-1]
    parts = summary.iloc[:-1]
    for column in ("opening_position", "template_gap", "do_minimum_gap",
                   "do_minimum_gap_planning", "opening_proxy", "opening_published"):
        assert parts[column].sum() == pytest.approx(england[column], rel=1e-12)
    assert england["template_gap"] == pytest.approx(central.gap[:, :, -1].sum(), rel=1e-12)
    assert set(parts["opening_method"]) <= {"published", "proxy", "apportioned"}
    assert england["opening_published"] == pytest.approx(604.7e6)  # the twelve named trusts


def test_a_footprint_with_a_larger_deficit_gets_a_larger_gap_all_else_equal():
    small = compute_gap(openings={NORTH_CENTRAL_LONDON: 50e6})
    large = compute_gap(openings={NORTH_CENTRAL_LONDON: 150e6})
    f = small.footprints.index(NORTH_CENTRAL_LONDON)
    assert large.gap[f, :, -1].sum() > small.gap[f, :, -1].sum() + 50e6
    assert list(large.opening.method[[f]]) == ["plan"]
    assert large.opening.total[f] == 150e6


def test_plan_file_opening_position_wins_and_bad_ones_are_clear_errors():
    from openstp.errors import ParameterError

    with pytest.raises(ParameterError, match="not in this footprint set"):
        compute_gap(openings={"E54999999": 1e6})
    with pytest.raises(ParameterError, match="at least £0"):
        compute_gap(baselines={NORTH_CENTRAL_LONDON: {"acute": -1.0}})


def test_organisational_basis_moves_acute_spend_to_the_teaching_hospitals(central):
    org = compute_gap(basis="organisational")
    acute = central.sectors.index("acute")
    f = {c: central.footprints.index(c) for c in (NORTH_CENTRAL_LONDON, HERTS_WEST_ESSEX,
                                                   NORTH_EAST_LONDON)}
    assert org.base[f[NORTH_CENTRAL_LONDON], acute] > central.base[f[NORTH_CENTRAL_LONDON], acute]
    assert org.base[f[HERTS_WEST_ESSEX], acute] < central.base[f[HERTS_WEST_ESSEX], acute]
    assert org.base[f[NORTH_EAST_LONDON], acute] < central.base[f[NORTH_EAST_LONDON], acute]
    # England's spend, funding and cost before the opening are the same on both bases
    for name in ("base", "funding"):
        np.testing.assert_allclose(getattr(org, name).sum(axis=0),
                                   getattr(central, name).sum(axis=0), rtol=1e-12)
    growth = org.cost.sum(axis=0)
    assert growth[acute, -1] == pytest.approx(central.cost.sum(axis=0)[acute, -1], rel=1e-3)
    assert org.basis == "organisational" and set(footprint_summary(org)["basis"]) == {
        "organisational"}


def test_adult_social_care_follows_working_age_adults_as_well_as_the_over_65s():
    older_only = compute_gap(params=load_parameters(
        overrides={"gap.baseline.social_care_clients.working_age": 0.0}))
    both = compute_gap()
    s = both.sectors.index("adult_social_care")
    # working-age adults grow more slowly than the over-65s: less demand growth for England
    growth_both = both.cost[:, s, -1].sum() / both.cost[:, s, 0].sum()
    growth_old = older_only.cost[:, s, -1].sum() / older_only.cost[:, s, 0].sum()
    assert growth_both < growth_old
    # public health stays its own sector in every total
    assert "public_health" in both.sectors


def test_bridge_steps_add_up_per_footprint_and_for_england(central):
    frame = with_england(bridge(central))
    start = frame["balanced_start_gap"] + frame["opening_carried"] + frame["stf_to_deficits"]
    np.testing.assert_allclose(start, frame["template_gap"], rtol=1e-9)
    np.testing.assert_allclose(frame["template_gap"] + frame["efficiency_historical"],
                               frame["do_minimum_gap"], rtol=1e-9)
    np.testing.assert_allclose(frame["do_minimum_gap"] + frame["efficiency_planning_extra"],
                               frame["do_minimum_gap_planning"], rtol=1e-9)
    england = frame.iloc[-1]
    assert england["stf_to_deficits"] == pytest.approx(0.0, abs=1.0)  # it only moves money
    assert england["do_minimum_gap_planning"] < england["do_minimum_gap"] < england[
        "template_gap"]
    assert all(step in frame for step in STEPS)


def test_cli_gap_json_carries_opening_template_do_minimum_and_basis(cli):
    result = cli("gap", "--format", "json", "--basis", "organisational")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    keys = {"opening_position", "opening_method", "template_gap", "do_minimum_gap", "basis"}
    assert keys <= set(doc["england"]) and len(doc["footprints"]) == 44
    assert all(keys <= set(row) for row in doc["footprints"])
    assert doc["basis"] == "organisational" == doc["england"]["basis"]
    assert doc["england"]["template_gap"] == pytest.approx(doc["england_gap_all_sectors"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_gap_bridge(cli, fmt):
    result = cli("gap", "--bridge", "--footprint", "west york", "--format", fmt)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    if fmt == "json":
        rows = json.loads(text)["rows"]
        assert [r["footprint"] for r in rows] == ["E54000005", "england"]
    else:
        assert text.splitlines()[0].startswith("footprint,name,year,basis,balanced_start_gap")


def test_cli_unknown_basis_is_one_clear_line(cli):
    result = cli("gap", "--basis", "postcode")
    assert result.returncode == 2
    assert "allowed: resident, organisational" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plan_files_own_opening_position_feeds_its_gap(tmp_path, cli):
    from test_risk_engine import make_plan

    from openstp.risk import simulate

    plan = make_plan([{"id": "cip", "type": "provider_efficiency", "saving": {"2020/21": 1e6}}],
                     opening_position=-40e6)  # a surplus
    result = simulate(plan, draws=20, seed=1)
    assert result.inputs.gap[0, 0] == pytest.approx(-40e6, abs=1e-3)  # base year: the opening
    bad = tmp_path / "bad.yaml"
    bad.write_text("footprint: E54000005\nname: test\nopening_position: 5.0e+12\n",
                   encoding="utf-8")
    result = cli("validate", str(bad))
    assert result.returncode == 2
    assert "opening_position" in result.stderr and "Traceback" not in result.stderr
