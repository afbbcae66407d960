"""Matching the service lists' hospitals to NHS Choices sites: names, postcodes, rules."""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from reference.common import Shared, postcode_key

NAME_STOPWORDS = {"hospital", "hospitals", "the", "nhs", "trust", "foundation", "university",
                  "general", "district", "and", "of", "site", "teaching", "hasu", "su"}
SPECIALIST_NAME = r"child|women|newborn|maternity"  # not an all-age emergency department


def name_tokens(name: object) -> list[str]:
    """The distinctive words of a hospital name: first segment, no punctuation or filler."""
    head = str(name).split(";")[0].split(",")[0].lower()
    words = re.findall(r"[a-z0-9]+", head.replace("'", "").replace("\u2019", ""))
    return [w for w in words if w not in NAME_STOPWORDS]


def name_score(a: object, b: object) -> float:
    """Name similarity in [0, 1]: the better of sequence similarity and word containment."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    seq = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    short = min(len(set(ta)), len(set(tb)))
    contained = len(set(ta) & set(tb)) / short if short >= 2 else 0.0
    return round(max(seq, contained), 3)


def service_source_records(sh: Shared) -> pd.DataFrame:
    """Every hospital of the four service lists as one record: list, postcode, name, flags."""
    g = "geography/"
    acute = sh.csv(g + "hospitals/acute_hospitals_england_allen_2017.csv")
    neo = sh.csv(g + "maternity/neonatal_units_england_allen_2019.csv")
    s16 = sh.csv(g + "stroke/stroke_units_england_ssnap_2016_allen.csv")
    s22 = sh.csv(g + "stroke/stroke_hospitals_2022.csv")
    s22 = s22[s22["Country"] == "England"]
    s22_name = s22["SSNAP name"].where(~s22["SSNAP name"].str.startswith("None"), s22["Stroke Team"])
    frames = [
        pd.DataFrame({"source": "acute2017", "postcode": acute["hospital_postcode"],
                      "source_name": acute["hospital"]}),
        pd.DataFrame({"source": "neonatal2019", "postcode": neo["Postcode"],
                      "source_name": neo["hospital"], "neonatal_level": neo["neonatal_level"]}),
        pd.DataFrame({"source": "ssnap2016", "postcode": s16["Postcode"],
                      "source_name": s16["Stroke Team"], "trust_name": s16["Health Board / Trust"],
                      "easting": s16["Easting"].astype(float),
                      "northing": s16["Northing"].astype(float)}),
        pd.DataFrame({"source": "stroke2022", "postcode": s22["Postcode"], "source_name": s22_name,
                      "trust_name": s22["Health Board / Trust"],
                      "easting": s22["Easting"].astype(float),
                      "northing": s22["Northing"].astype(float),
                      "thrombolysis": s22["Use_IVT"].astype(bool),
                      "thrombectomy": s22["Use_MT"].astype(bool),
                      "admissions": s22["Admissions 21/22"]}),
    ]
    recs = pd.concat(frames, ignore_index=True)
    recs["key"] = postcode_key(recs["postcode"])
    return recs


def place_site(key: str, name: str, trust: object, east: float, north: float,
               nhs: pd.DataFrame) -> tuple[str | None, str, float]:
    """Find the NHS Choices site of one source hospital: (site code, rule, name score).

    Rules, in order: ``postcode`` (the only NHS trust site at that postcode, unless its name
    scores under 0.5 and a better-named site lies nearby), ``postcode_name`` (several sites at
    the postcode: the best-named), ``name_nearby`` (a site within 3 km of the source's own
    coordinates, or in the same postcode district, whose name scores at least 0.55), else
    ``unmatched``. Where the source names a trust, that trust's sites are preferred.
    """
    def best(cands: pd.DataFrame) -> tuple[str, float]:
        if isinstance(trust, str):  # sites of the source's own trust first
            same = cands["parent_name"].map(lambda n: name_score(trust, n)) >= 0.8
            cands = cands[same] if same.any() else cands
        score = cands["name"].map(lambda n: name_score(name, n))
        i = score.idxmax()
        return cands.at[i, "site_code"], float(score[i])

    at_pc = nhs[nhs["pc"] == key]
    if np.isnan(east):
        near = nhs[nhs["pc"].str[:-3] == key[:-3]]
    else:
        near = nhs[np.hypot(nhs["easting"] - east, nhs["northing"] - north) < 3_000]
    if len(at_pc) == 1:
        code, score = at_pc["site_code"].iloc[0], name_score(name, at_pc["name"].iloc[0])
        if score >= 0.5 or near.empty:
            return code, "postcode", score
        alt, alt_score = best(near)
        return (alt, "name_nearby", alt_score) if alt_score >= 0.5 else (code, "postcode", score)
    if len(at_pc) > 1:
        code, score = best(at_pc)
        return code, "postcode_name", score
    if not near.empty:
        code, score = best(near)
        if score >= 0.55:
            return code, "name_nearby", score
    return None, "unmatched", 0.0


def type1_trusts(sh: Shared) -> pd.Series:
    """Type 1 A&E attendances per trust, April 2016 to March 2019 (NHS England monthly returns)."""
    ae = sh.csv("geography/trusts/ae_attendances_by_trust_monthly_2016_2019_nhsr.csv", dtype=str)
    ae = ae[ae["type"] == "1"]
    return ae.assign(n=ae["attendances"].astype(int)).groupby("org_code")["n"].sum()

