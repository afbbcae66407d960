"""Build OpenSTP's built-in reference data from ``../shared/data`` into ``src/openstp/data``.

Run from the repository root:  python scripts/build_reference_data.py [--shared DIR] [--out DIR]

It needs the ``build`` extra (pyproj for British National Grid, openpyxl). The program itself never
reads ``../shared``: it reads only the Parquet tables and ``manifest.yaml`` this script writes.
Every table is listed in the manifest with its sources, licence and whether it is source or derived.
Each table has its own builder in ``scripts/reference/`` (``reference.<table>.build``); this
driver runs them in the order their inputs need.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from reference import (
    acute_hospitals_2017,
    cost_per_head_2014,
    footprints,
    hospital_sites,
    icb_beds_monthly,
    icb_crosswalk,
    icb_trust_beds_monthly,
    icb_trust_catchments,
    icb_weighted_populations,
    lsoa_population,
    lsoas,
    npp2016_england,
    organisations,
    service_site_matches,
    service_sites,
    snpp2016_lad_60plus,
    stroke_units_2016,
    stroke_units_2022,
    travel_minutes,
    trusts,
)
from reference.common import ROOT, Shared
from reference.manifest import write_tables
from reference.service_placement import place_services

OUT = ROOT / "src" / "openstp" / "data"


def build_tables(sh: Shared) -> dict[str, pd.DataFrame]:
    """Every reference table by name, in the manifest's order."""
    areas = lsoas.build(sh)
    population = lsoa_population.build(sh, areas)
    stroke_2016 = stroke_units_2016.build(sh)
    sites = hospital_sites.build(sh, areas, stroke_2016)
    placement = place_services(sh, areas, sites)
    located = service_sites.build(placement)
    travel = travel_minutes.build(sh, areas, located)
    crosswalk = icb_crosswalk.build(areas, population)
    catchments = icb_trust_catchments.build(sh, crosswalk)
    trust_beds = icb_trust_beds_monthly.build(sh)
    orgs = organisations.build(sh, areas, population, sites, catchments, crosswalk)
    return {
        "footprints": footprints.build(sh),
        "lsoas": areas,
        "lsoa_population": population,
        "organisations": orgs,
        "hospital_sites": sites,
        "acute_hospitals_2017": acute_hospitals_2017.build(sh, sites),
        "stroke_units_2016": stroke_2016,
        "stroke_units_2022": stroke_units_2022.build(sh),
        "service_sites": travel_minutes.with_matrix_keys(located, travel),
        "service_site_matches": service_site_matches.build(placement, sites),
        "travel_minutes": travel,
        "npp2016_england": npp2016_england.build(sh),
        "snpp2016_lad_60plus": snpp2016_lad_60plus.build(sh),
        "cost_per_head_2014": cost_per_head_2014.build(sh),
        "icb_crosswalk": crosswalk,
        "icb_trust_catchments": catchments,
        "icb_weighted_populations": icb_weighted_populations.build(sh),
        "icb_trust_beds_monthly": trust_beds,
        "icb_beds_monthly": icb_beds_monthly.build(trust_beds, catchments),
        "trusts": trusts.build(sh, orgs),
    }


def main(argv: list[str] | None = None) -> None:
    """Build every table from ``--shared`` and write them (and the manifest) to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (default: the "
                        "package's data folder)")
    args = parser.parse_args(argv)
    tables = build_tables(Shared(args.shared))
    write_tables(tables, args.out)
    for name, df in tables.items():
        print(f"{name:24s} {len(df):>8,d} rows")


if __name__ == "__main__":
    main()
