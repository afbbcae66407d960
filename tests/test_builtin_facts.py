"""The built-in plans carry what was reported about each footprint's STP, each fact sourced."""

from pathlib import Path

import pandas as pd
import pytest

from openstp import data
from openstp.risk import builtin_plans
from openstp.risk.builtin import builtin_dir

MATCHES = Path(builtin_dir()) / "published_matches.csv"


@pytest.fixture(scope="module")
def plans():
    return {p.footprint: p for p in builtin_plans()}


def _facts(plan):
    """Every reported fact of a plan, as (where, object with a ``sources`` list)."""
    gov = plan.governance
    facts = [(f"site_changes.{c.id}", c) for c in plan.site_changes]
    facts += [(f"bed_changes.{c.id}", c) for c in plan.bed_changes]
    if gov is not None:
        facts.append(("governance", gov))
        if gov.lead is not None:
            facts.append(("governance.lead", gov.lead))
    return facts


def test_every_plan_fact_has_a_source(plans):
    missing = [f"{code}: {where}" for code, plan in plans.items()
               for where, fact in _facts(plan) if not fact.sources]
    assert not missing, missing
    assert sum(len(_facts(p)) for p in plans.values()) > 44  # the facts are there to check
    for plan in plans.values():  # the derived money says where it came from too
        assert plan.illustrative
        assert all(s.evidence and s.evidence.citation for s in plan.schemes), plan.footprint


def test_the_source_check_fails_on_a_fact_without_one(plans):
    plan = plans["E54000005"].model_copy(deep=True)
    plan.site_changes[0].sources = []
    assert [w for w, f in _facts(plan) if not f.sources] == [f"site_changes.{plan.site_changes[0].id}"]


def test_matched_ae_units_appear_as_site_changes(plans):
    matches = pd.read_csv(MATCHES, dtype=str)
    ae = matches[matches["list"] == "ae_units_at_risk_2017"]
    assert len(ae) == 18  # the stored copy of the i's list of 24 ends after 18 names
    matched = matches[matches["site_id"].notna()]
    assert len(matched[matched["list"] == "ae_units_at_risk_2017"]) == 18
    sites = data.table("service_sites").set_index("site_id")
    for row in matched.itertuples():
        plan = plans[row.footprint]
        assert any(c.site == row.site_id and c.service.value == row.service
                   for c in plan.site_changes), (row.published_name, row.footprint)
        assert sites.at[row.site_id, "stp2017"] == row.footprint
        assert sites.at[row.site_id, row.service]  # the site has the service it loses


def test_unmatched_units_are_recorded_with_a_reason(plans):
    matches = pd.read_csv(MATCHES, dtype=str)
    unmatched = matches[matches["site_id"].isna()]
    assert len(unmatched) >= 1 and unmatched["reason"].notna().all()
    for row in unmatched.itertuples():
        assert row.published_name.split(" (")[0] in plans[row.footprint].description


def test_leads_are_named_only_where_reported(plans):
    leads = {c: p.governance.lead for c, p in plans.items() if p.governance.lead}
    assert 10 <= len(leads) < 44
    assert leads["E54000048"].gp is True and leads["E54000048"].organisation_kind.value == "ccg"
    assert leads["E54000007"].organisation_kind.value == "local_authority"
    assert "E54000036" not in leads  # Cornwall: "TBC" in the source, so unknown


def test_published_bed_cuts_are_kept(plans):
    cuts = {c: sum(b.change for b in p.bed_changes) for c, p in plans.items() if p.bed_changes}
    assert len(cuts) == 7 and cuts["E54000037"] == -590


def _plan_facts():
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "scripts" / "plan_facts.py"
    spec = importlib.util.spec_from_file_location("plan_facts", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("plan_facts", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_published_names_match_the_right_site_or_none():
    facts = _plan_facts()
    eds = data.table("service_sites")
    eds = eds[eds["ed"]]
    for published, site in [("County Hospital, Stafford", "RJE09"),
                            ("Queens Hospital, Burton-on-Trent, Staffordshire", "RJF02"),
                            ("Alexandra Hospital, Redditch", "RWP01"),
                            ("Huddersfield Royal Infirmary", "RWY01")]:
        row, _, why = facts.best_match(published, eds)
        assert row is not None and row["site_id"] == site, (published, why)
    maternity = data.table("service_sites")
    maternity = maternity[maternity["maternity"]]
    row, _, why = facts.best_match("Huddersfield Royal Infirmary", maternity)
    assert row is None and why  # not Bradford Royal Infirmary: the place word must match
    assert facts.footprint_of("Coast, Humber and Vale", data.footprints("stp2017")) == "E54000006"
