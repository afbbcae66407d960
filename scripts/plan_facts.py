"""What was reported about each footprint's real 2016 STP, as facts for the built-in plans.

Read by ``scripts/build_builtin_plans.py`` from the shared folder's ``published/`` tables:

* emergency departments the STPs marked for closure or downgrade (the *i*'s list of February
  2017, 18 of its 24 names stored) and maternity or neonatal units facing closure or downgrade
  (the *i*, 16 February 2017), each matched by name to a site of the built-in ``service_sites``
  table that has the service today; what cannot be matched is recorded with the reason;
* who led each footprint in spring 2016 and from which kind of organisation (NHS England,
  16 March 2016; HSJ, 30 March 2016; 20 footprints stored, three leads then still to be named).

Every fact carries the list of sources it was read from. Nothing here is inferred: a footprint
the lists do not name gets no site change and no lead, and its rules say ``no_evidence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

AE_FILE = Path("published/ae_units_at_risk_2017_partial.csv")
MATERNITY_FILE = Path("published/maternity_units_at_risk_2017.csv")
LEADS_FILE = Path("published/stp_leads_2016_partial.csv")
AE_SOURCE = ("Johnston Press Investigation Unit, the i: 'Full list: the 24 A&Es marked for "
             "closure' (February 2017), 18 of the 24 names stored "
             "(shared/data/published/ae_units_at_risk_2017_partial.csv)")
HSJ_AE_SOURCE = "HSJ (February 2017): 24 A&Es could close or be downgraded under the STPs"
MATERNITY_SOURCE = ("the i (16 February 2017): maternity units facing closure or downgrade in STP "
                    "documents (shared/data/published/maternity_units_at_risk_2017.csv)")
PUBLISHED_SOURCE = ("All 44 STPs were published by about December 2016 (CIPFA, 'Delivering the "
                    "forward view'; RCEM; FACTS 2.3)")
LEADS_SOURCES = {"HSJ 30 Mar 2016": "HSJ, 'Revealed: the leaders chosen for 41 of England's STPs' "
                                    "(30 March 2016)",
                 "NHS England 16 Mar 2016": "NHS England, 'footprint areas' news item "
                                            "(16 March 2016)",
                 "HSJ": "HSJ, 'Revealed: the leaders chosen for 41 of England's STPs' "
                        "(30 March 2016)"}
LEAD_KINDS = {"Provider CEO": ("provider", False), "CCG": ("ccg", False),
              "CCG (GP)": ("ccg", True), "Local authority": ("local_authority", False)}
YEAR_NOTE = ("The reports give no year; the change is put in the plan's horizon year, the end of "
             "the STP period.")
ACS_SOURCES = [("The MJ (16 June 2017) and HSJ (19 June 2017): the first eight accountable care "
               "systems, and devolution deals in Greater Manchester and Surrey Heartlands "
               "(FACTS 7.12)"),
               ("LSBU (Boyle, Lister, Steer, 2017): no legislative framework for collaboration "
               "(FACTS 7.2)")]
ACS = {  # footprint: the part of it named, and how
    "E54000034": ("Frimley Health", "one of the first eight accountable care systems"),
    "E54000009": ("South Yorkshire and Bassetlaw", ("one of the first eight accountable care "
                                                   "systems")),
    "E54000014": ("Nottinghamshire", "one of the first eight accountable care systems"),
    "E54000041": ("Dorset", "one of the first eight accountable care systems"),
    "E54000024": ("Luton with Milton Keynes and Bedfordshire", ("one of the first eight "
                                                               "accountable care systems")),
    "E54000048": ("Blackpool and Fylde Coast (part of the footprint)", ("one of the first eight "
                                                                      "accountable care systems")),
    "E54000044": ("Berkshire West and Buckinghamshire (parts of the footprint)", ("two of the "
                  "first eight accountable care systems")),
    "E54000007": ("Greater Manchester", "a health and social care devolution deal"),
    "E54000035": ("Surrey Heartlands", "a health and social care devolution deal"),
}
"""Footprints NHS England named in June 2017 as first accountable care systems, or with a
devolution deal (FACTS 7.12): a described, not binding, basis for joint decisions."""
MIN_SCORE = 0.25
"""Least word overlap (Jaccard) between a published name and a site's name to call them one."""
_NOISE = {"hospital", "hospitals", "university", "the", "and", "of", "nhs", "trust", "sic",
          "general", "district", "foundation", "on", "upon"}


def words(text: str) -> set[str]:
    """Significant lower-case words of a name: no parenthetical remarks, no common words."""
    return set(_word_list(text))


def _word_list(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text.lower()).replace("'", "").replace("’", "")
    text = text.replace("&", " and ")
    return [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _NOISE]


def _score(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def best_match(name: str, candidates: pd.DataFrame, column: str = "name"
               ) -> tuple[pd.Series | None, float, str]:
    """The candidate row whose ``column`` shares most words with ``name``, with its score and
    why it was refused (empty when accepted): too few words shared, or a tie. A candidate must
    share the name's first significant word (the place: 'Huddersfield Royal Infirmary' is not
    'Bradford Royal Infirmary')."""
    target = words(name)
    first = next(iter(_word_list(name)), "")
    scores = candidates[column].map(lambda n: _score(target, words(n)) if first in words(n)
                                    else 0.0)
    if scores.empty:
        return None, 0.0, "no candidate sites"
    order = scores.sort_values(ascending=False, kind="stable")
    top = float(order.iloc[0])
    if top < MIN_SCORE:
        return None, top, f"no site shares enough of the name (best {top:.2f})"
    if len(order) > 1 and float(order.iloc[1]) == top:
        return None, top, "two sites match equally"
    return candidates.loc[order.index[0]], top, ""


@dataclass
class Facts:
    """Per footprint: site changes and lead; and the record of every published item's match."""

    site_changes: dict[str, list[dict]]
    leads: dict[str, dict]
    matches: pd.DataFrame
    unmatched_notes: dict[str, list[str]]


def footprint_of(area: str, footprints: pd.DataFrame) -> str:
    """The footprint whose name best matches a published area name (raises if none does)."""
    row, _, why = best_match(area, footprints)
    if row is None:
        raise SystemExit(f"published footprint name {area!r} matches no footprint: {why}")
    return str(row["code"])


def _ae_changes(table: pd.DataFrame, sites: pd.DataFrame, horizon: str
                ) -> tuple[list[dict], list[dict]]:
    eds = sites[sites["ed"]]
    changes, records = [], []
    for row in table.itertuples():
        site, score, why = best_match(row.hospital, eds)
        record = {"list": "ae_units_at_risk_2017", "published_name": row.hospital,
                  "service": "ed", "score": round(score, 3), "reason": why}
        if site is None:
            records.append({**record, "site_id": "", "footprint": ""})
            continue
        records.append({**record, "site_id": site["site_id"], "site_name": site["name"],
                        "footprint": site["stp2017"]})
        note = f" {row.note}." if isinstance(row.note, str) and row.note else ""
        if "Replaced" in note:
            note += (" The replacement unit is not modelled: the shipped site tables have no "
                     "site or coordinates for it.")
        changes.append({"footprint": site["stp2017"], "change": {
            "id": f"ed-{site['site_id'].lower()}", "site": site["site_id"], "service": "ed",
            "action": "downgrade", "year": horizon,
            "description": (f"A&E at {site['name']} marked for closure or downgrade: "
                            f"{row.status_per_inews.lower()} (the i, February 2017).{note} "
                            f"Modelled as losing its type 1 emergency department. {YEAR_NOTE}"),
            "sources": [AE_SOURCE, HSJ_AE_SOURCE]}})
    return changes, records


_CLOSE_WORDS = ("close", "move to", "centralised")


def _maternity_changes(table: pd.DataFrame, sites: pd.DataFrame, footprints: pd.DataFrame,
                       horizon: str) -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    changes, records, notes = [], [], {}
    for row in table.itertuples():
        reported = footprint_of(row.stp_area_as_published, footprints)
        proposal = row.proposal_as_published
        action = "close" if any(w in proposal.lower() for w in _CLOSE_WORDS) else "downgrade"
        published = row.hospital_or_unit.strip()
        units = [published] if published.startswith("(") else [
            u.strip() for u in published.split(";")]
        for unit in units:
            service = "neonatal" if "(neonatal)" in unit else "maternity"
            record = {"list": "maternity_units_at_risk_2017", "published_name": unit,
                      "service": service}
            site, score, area = None, 0.0, reported
            if unit.startswith("("):
                why = "the report names no unit"
            elif "birthing centre" in unit.lower() or "midwife" in unit.lower():
                why = "a midwife-led birth centre: service_sites lists obstetric units only"
            else:  # a named unit is placed where the site is, whatever area the report filed
                site, score, why = best_match(unit, sites[sites[service]])
                if site is None:
                    named, _, _ = best_match(unit, sites)
                    if named is not None:
                        area = str(named["stp2017"])
                        why = (f"{named['name']} ({named['site_id']}) has no {service} unit in "
                               "service_sites")
            if site is not None:
                area = str(site["stp2017"])
            ed_site = (best_match(unit, sites[sites["ed"]])[0] if "a&e" in proposal.lower()
                       and not unit.startswith("(") else None)
            if ed_site is not None:
                records.append({**record, "service": "ed", "site_id": ed_site["site_id"],
                                "site_name": ed_site["name"], "footprint": ed_site["stp2017"],
                                "score": None, "reason": ""})
                changes.append({"footprint": str(ed_site["stp2017"]), "change": {
                    "id": f"ed-{ed_site['site_id'].lower()}", "site": ed_site["site_id"],
                    "service": "ed", "action": "downgrade", "year": horizon,
                    "description": (f"A&E at {ed_site['name']}: {proposal} (the i, 16 February "
                                    f"2017). Modelled as losing its type 1 emergency "
                                    f"department. {YEAR_NOTE}"),
                    "sources": [MATERNITY_SOURCE]}})
            if site is None:
                records.append({**record, "site_id": "", "footprint": area,
                                "score": round(score, 3), "reason": why})
                notes.setdefault(area, []).append(
                    f"{unit} ({service}: {proposal}) is not modelled: {why}.")
                continue
            records.append({**record, "site_id": site["site_id"], "site_name": site["name"],
                            "footprint": area, "score": round(score, 3), "reason": ""})
            changes.append({"footprint": area, "change": {
                "id": f"{service}-{site['site_id'].lower()}", "site": site["site_id"],
                "service": service, "action": action, "year": horizon,
                "description": (f"{label(service)} at {site['name']}: {proposal} (the i, 16 "
                                f"February 2017). Modelled as a {action}. {YEAR_NOTE}"),
                "sources": [MATERNITY_SOURCE]}})
    return changes, records, notes


def label(service: str) -> str:
    return {"maternity": "Maternity", "neonatal": "Neonatal care", "ed": "A&E"}[service]


def _leads(table: pd.DataFrame, footprints: pd.DataFrame, organisations: pd.DataFrame
           ) -> dict[str, dict]:
    leads = {}
    for row in table.itertuples():
        code = footprint_of(row.footprint, footprints)
        if not isinstance(row.role_type, str) or row.lead.startswith("TBC"):
            continue  # not confirmed when the source was written: the lead stays unknown
        kind, gp = LEAD_KINDS.get(row.role_type, (None, None))
        sources = [LEADS_SOURCES.get(part.strip(), part.strip())
                   for part in row.source.split(";")]
        lead = {"name": row.lead, "sources": sources}
        if not row.role_as_published.startswith("("):  # "(role not in the source excerpt)"
            lead["role"] = row.role_as_published
        if row.role_type != "unknown":
            lead["organisation_kind"], lead["gp"] = kind, gp
        organisation = _organisation_of(row.role_as_published, organisations)
        if organisation:
            lead["organisation"] = organisation
        leads[code] = lead
    return leads


def _organisation_of(role: str, organisations: pd.DataFrame) -> str | None:
    """The ODS or ONS code of the organisation named in a role ('Chief Executive, X'), when one
    organisation's name matches it exactly (case and 'NHS' aside)."""
    if "," not in role:
        return None
    named = (role.split(",", 1)[1].strip().lower().replace("&", "and").replace("nhs ", "")
             .replace(" nhs", ""))
    names = (organisations["name"].str.lower().str.replace("&", "and")
             .str.replace("nhs ", "").str.replace(" nhs", ""))
    hit = organisations[names == named]
    if len(hit["code"].unique()) != 1:
        return None
    first = hit.iloc[0]
    return str(first["ods_code"] if isinstance(first["ods_code"], str) else first["code"])


def read_facts(shared: Path, sites: pd.DataFrame, footprints: pd.DataFrame,
               organisations: pd.DataFrame, horizon: str) -> Facts:
    """Every published fact, matched to sites and footprints."""
    ae, ae_records = _ae_changes(pd.read_csv(shared / AE_FILE), sites, horizon)
    maternity, mat_records, notes = _maternity_changes(pd.read_csv(shared / MATERNITY_FILE),
                                                       sites, footprints, horizon)
    by_footprint: dict[str, list[dict]] = {}
    seen: dict[str, dict] = {}
    for item in [*ae, *maternity]:
        change = item["change"]
        if change["id"] in seen:  # one site named on two lists: one change, both sources
            earlier = seen[change["id"]]["sources"]
            earlier += [s for s in change["sources"] if s not in earlier]
            continue
        seen[change["id"]] = change
        by_footprint.setdefault(item["footprint"], []).append(change)
    leads = _leads(pd.read_csv(shared / LEADS_FILE), footprints, organisations)
    columns = ["list", "published_name", "service", "footprint", "site_id", "site_name",
               "score", "reason"]
    matches = pd.DataFrame([*ae_records, *mat_records]).reindex(columns=columns)
    return Facts(by_footprint, leads, matches, notes)


def decision_rights(code: str) -> tuple[str, list[str]] | None:
    """What was reported about a footprint's basis for joint decisions, with its sources."""
    if code not in ACS:
        return None
    place, how = ACS[code]
    return ((f"{place}: named in June 2017 as {how}, with partners to take decisions on a shared "
            "budget together; no legislative framework made those decisions binding on the "
            "partners."), ACS_SOURCES)
