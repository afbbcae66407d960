"""Delivery priors and random streams: the split logit-normal hits its sourced quantiles,
evidence grades move it the right way, bad priors are clear errors, streams are independent."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtri

from openstp.errors import ParameterError
from openstp.params import load_parameters
from openstp.plan import Plan
from openstp.risk import simulate
from openstp.risk.rng import STREAMS, label_keys, normals, stream_keys, uniforms


def one_scheme(kind: str, grade: str | None = "B", owner: str = "RR8") -> Plan:
    scheme = {"id": "s", "name": "s", "type": kind, "owner": owner, "start_year": "2016/17",
              "saving": {"2020/21": 1.0}}
    if grade:
        scheme["evidence"] = {"grade": grade}
    return Plan.model_validate({"footprint": "E54000005", "name": "prior test",
                                "schemes": [scheme]})


def fractions(kind: str, grade: str | None, draws: int = 20_000, **overrides) -> np.ndarray:
    params = load_parameters(overrides={"risk.pressure.loading": 0.0,
                                        f"risk.slippage.{kind}.one_year": 0.0,
                                        f"risk.slippage.{kind}.two_years": 0.0,
                                        f"risk.slippage.{kind}.never": 0.0, **overrides})
    result = simulate(one_scheme(kind, grade), draws=draws, seed=17, params=params)
    return result.run.net_horizon[:, 0]  # saving of £1: the fraction delivered


@pytest.mark.parametrize("kind", ["provider_efficiency", "demand_management_outpatients",
                                  "service_reconfiguration"])
def test_fraction_delivered_has_the_sourced_median_p10_and_p90(kind):
    params = load_parameters()
    f = fractions(kind, "B")
    assert f[0] == pytest.approx(params.value(f"risk.delivery.{kind}.median"))  # draw 0
    q10, q50, q90 = np.percentile(f[1:], [10, 50, 90])
    assert q10 == pytest.approx(params.value(f"risk.delivery.{kind}.p10"), abs=0.01)
    assert q50 == pytest.approx(params.value(f"risk.delivery.{kind}.median"), abs=0.01)
    assert q90 == pytest.approx(params.value(f"risk.delivery.{kind}.p90"), abs=0.01)
    lower, upper = (params.value(f"risk.support.{kind}.{end}") for end in ("lower", "upper"))
    assert f.min() > lower and f.max() < upper


def test_weaker_evidence_delivers_less_and_no_evidence_counts_as_grade_d():
    medians = {g: np.median(fractions("demand_management_elective", g, 4000)[1:])
               for g in ("A", "B", "C", "D")}
    assert medians["A"] > medians["B"] > medians["C"] > medians["D"]
    none = fractions("demand_management_elective", None, 4000)
    assert np.array_equal(none, fractions("demand_management_elective", "D", 4000))


def test_grade_c_demand_management_matches_the_published_zero_to_thirty_percent():
    f = fractions("demand_management_non_elective", "C")[1:]
    q10, q90 = np.percentile(f, [10, 90])
    assert -0.05 < q10 < 0.05 and 0.25 < q90 < 0.45


@pytest.mark.parametrize("kind", ["demand_management_outpatients", "demand_management_elective",
                                  "demand_management_non_elective", "demand_management_ae"])
def test_demand_management_can_raise_activity_as_the_better_care_fund_did(kind):
    """NAO 2017: planned -106,000 emergency admissions, actual +87,000 (FACTS 3.18)."""
    f = fractions(kind, "C", 4000)
    assert f[0] > 0  # the central case still delivers its graded median
    share_negative = (f[1:] < 0).mean()
    assert 0.03 < share_negative < 0.3
    assert f.min() > -1


def test_provider_efficiency_can_beat_its_plan_with_one_off_savings():
    """FACTS 3.7: recurrent plus non-recurrent savings reached 1.03 of the recurrent plan."""
    f = fractions("provider_efficiency", "B", 4000)
    assert 0.05 < (f[1:] > 1).mean() < 0.2
    assert f.max() < 1.18
    grade_a = fractions("provider_efficiency", "A", 4000)
    assert (grade_a[1:] > 1).mean() > (f[1:] > 1).mean()


def test_reconfiguration_sometimes_never_happens():
    params = load_parameters(overrides={"risk.pressure.loading": 0.0,
                                        "risk.slippage.service_reconfiguration.one_year": 0.0,
                                        "risk.slippage.service_reconfiguration.two_years": 0.0})
    result = simulate(one_scheme("service_reconfiguration", "B"), draws=4000, seed=5,
                      params=params)
    never = params.value("risk.slippage.service_reconfiguration.never")
    share_zero = (result.run.net_horizon[1:, 0] == 0).mean()
    assert share_zero == pytest.approx(never, abs=0.03)


def test_certain_delivery_at_any_level_is_exact():
    f = fractions("prevention", "B", 200, **{f"risk.delivery.prevention.{q}": 0.5
                                            for q in ("p10", "median", "p90")})
    assert np.all(f == 0.5)


@pytest.mark.parametrize("overrides,message", [
    ({"risk.delivery.provider_efficiency.p10": 0.95}, "p10 <= median <= p90"),
    ({"risk.delivery.prescribing.p90": 1.0}, "lower < p10 and p90 < upper"),
    ({"risk.slippage.prevention.one_year": 0.8}, "more than 1"),
    ({"risk.optimism_bias.investment.central": 0.9}, "low <= central <= high"),
])
def test_incoherent_priors_are_clear_errors(overrides, message):
    with pytest.raises(ParameterError) as err:
        simulate(one_scheme("provider_efficiency"), draws=10, seed=1,
                 params=load_parameters(overrides=overrides))
    assert message in str(err.value)
    assert next(iter(overrides)) in str(err.value)


def test_a_plans_assumptions_can_change_its_priors_and_the_user_overrides_win():
    plan = one_scheme("provider_efficiency").model_copy(
        update={"assumptions": {"risk.delivery.provider_efficiency.median": 0.8}})
    central = simulate(plan, draws=5, seed=1).run.net_horizon[0, 0]
    assert central == pytest.approx(0.8)
    user = load_parameters(overrides={"risk.delivery.provider_efficiency.median": 0.9})
    assert simulate(plan, draws=5, seed=1, params=user).run.net_horizon[0, 0] == (
        pytest.approx(0.9))


def test_streams_have_distinct_keys_and_spare_streams_for_later_engines():
    keys = stream_keys(1)
    assert list(keys) == list(STREAMS)
    assert {"delivery", "slippage", "pressure", "demand", "winter"} <= set(STREAMS)
    assert len(set(keys.values())) == len(STREAMS)
    assert stream_keys(1) == keys and stream_keys(2) != keys


def test_uniforms_and_normals_are_well_behaved_and_independent_across_labels():
    keys = label_keys(stream_keys(3)["delivery"], [f"E54000005/s{i}" for i in range(20)])
    u = uniforms(keys, 1, 20_001)
    assert u.min() > 0 and u.max() < 1
    assert u.mean() == pytest.approx(0.5, abs=0.005)
    assert u.var() == pytest.approx(1 / 12, abs=0.002)
    z = normals(keys, 1, 20_001)
    assert z.mean() == pytest.approx(0.0, abs=0.02)
    assert z.std() == pytest.approx(1.0, abs=0.02)
    corr = np.corrcoef(z.T)[np.triu_indices(20, 1)]
    assert np.abs(corr).max() < 4 / np.sqrt(20_000)
    lag = np.corrcoef(z[:-1, 0], z[1:, 0])[0, 1]  # successive draws of one label
    assert abs(lag) < 4 / np.sqrt(20_000)
    assert np.mean(z < ndtri(0.1)) == pytest.approx(0.1, abs=0.005)
    assert np.array_equal(uniforms(keys, 5, 9), u[4:8])  # any block gives the same draws
