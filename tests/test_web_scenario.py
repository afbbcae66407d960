"""What-if mechanics without HTTP: applying changes to a plan, and reading the engine's tables."""

from types import SimpleNamespace

import pytest
from test_report_sample import sample, sample_folder  # noqa: F401 - fixtures

from openstp.errors import InputFileError, PlanError
from openstp.plan import load_plan
from openstp.web.plans import BadPlanName, PlanConflict, PlanStore, check_name
from openstp.web.scenario import Scenario, TablesRun, apply_scenario

GROWTH = "gap.growth.non_demographic.acute"


@pytest.fixture
def plan(sample_folder):  # noqa: F811
    return load_plan(sample_folder / "plans" / "E54000005.yaml")


def test_central_values_are_not_written_into_the_plan(plan):
    new = apply_scenario(plan, Scenario(assumptions={GROWTH: 0.027}), {GROWTH: 0.027})
    assert GROWTH not in new.assumptions
    new = apply_scenario(plan, Scenario(assumptions={GROWTH: 0.03}), {GROWTH: 0.027})
    assert new.assumptions[GROWTH] == 0.03


def test_a_new_saving_rescales_the_whole_profile(plan):
    scheme = plan.schemes[0]
    horizon = scheme.saving[plan.horizon]
    new = apply_scenario(plan, Scenario(schemes={scheme.id: {"saving": horizon / 2,
                                                             "grade": "D"}}), {})
    changed = new.scheme(scheme.id)
    assert changed.evidence.grade.value == "D"
    for year, amount in scheme.saving.items():
        assert changed.saving[year] == pytest.approx(amount / 2, abs=0.01)


def test_rounding_in_the_form_does_not_change_a_saving(plan):
    scheme = plan.schemes[0]
    nudged = scheme.saving[plan.horizon] + 0.3
    new = apply_scenario(plan, Scenario(schemes={scheme.id: {"saving": nudged}}), {})
    assert new.scheme(scheme.id).saving == scheme.saving


def test_bad_changes_are_plan_errors(plan):
    with pytest.raises(PlanError, match=GROWTH):
        apply_scenario(plan, Scenario(assumptions={GROWTH: 2.0}), {})
    with pytest.raises(PlanError, match="no scheme with id nope"):
        apply_scenario(plan, Scenario(schemes={"nope": {"saving": 1.0}}), {})


def test_engine_tables_in_any_of_the_shapes(sample):  # noqa: F811
    frames = {"bridge": sample.footprint("E54000005").table("bridge")}
    as_dict = SimpleNamespace(tables=frames)
    as_method = SimpleNamespace(tables=lambda: SimpleNamespace(frames=frames))
    for run in (as_dict, as_method):
        assert list(TablesRun(run).tables) == ["bridge"]


def test_tables_that_break_the_contract_are_named(sample):  # noqa: F811
    fp = sample.footprint("E54000005")
    broken = fp.table("workforce").drop(columns=["supply_p10", "supply_p90"])
    with pytest.raises(InputFileError, match="workforce: missing column.*supply_p10"):
        fp.replaced({"workforce": broken})


def test_plan_names_are_plain_file_stems():
    assert check_name("E54000005-scenario-1") == "E54000005-scenario-1"
    for bad in ("../x", "a/b", ".hidden", "a.b", "", "x" * 81, "a b", "-x"):
        with pytest.raises(BadPlanName):
            check_name(bad)


def test_store_never_overwrites_without_the_version(tmp_path):
    store = PlanStore(tmp_path)
    first = store.save("p", "name: one\n", None)
    with pytest.raises(PlanConflict):
        store.save("p", "name: two\n", None)
    with pytest.raises(PlanConflict):
        store.save("p", "name: two\n", "0" * 64)
    second = store.save("p", "name: two\n", first.version)
    assert second.version != first.version and (tmp_path / "p.yaml").read_text() == "name: two\n"


def test_an_unchanged_plan_shows_the_published_results(sample_folder, tmp_path):  # noqa: F811
    from fixtures.sample_engine import SampleEngine

    from openstp.report import load_results
    from openstp.web.service import Service

    engine = SampleEngine(load_results(sample_folder))
    svc = Service(sample_folder, tmp_path, engine=engine)
    assert svc.what_if("E54000005", Scenario(assumptions={GROWTH: 0.027})).fp is svc.footprint(
        "E54000005")
    assert engine.calls == 0
    svc.what_if("E54000005", Scenario(assumptions={GROWTH: 0.03}))
    svc.what_if("E54000005", Scenario(assumptions={GROWTH: 0.03}))
    assert engine.calls == 1
